/**
 * registry.k8s.io/hpa-example (k8s.gcr.io/hpa-example): the php-apache server of the
 * HorizontalPodAutoscaler walkthrough. Apache + PHP 5 on port 80; every request runs index.php,
 * a CPU-heavy loop (a million square roots), and answers `OK!`. The simulation burns one core for
 * ~60 ms of cluster time per request (overlapping requests add up, capped at 4 cores) so the
 * HPA sees the load the walkthrough describes.
 */
import type { ImageFamily } from './types';
import { DEFAULT_PATH, exe } from './types';
import { debianUserland } from './os';
import type { HttpResponse, ProcessContext } from '../program';
import { JESSIE } from './kubia';
import { apacheAccess, apacheStartup, apacheUntilStopped } from './apache-php';

export const HPA_INDEX_PHP = `<?php
  $x = 0.0001;
  for ($i = 0; $i <= 1000000; $i++) {
    $x += sqrt($x);
  }
  echo "OK!";
?>
`;

/** Cluster-time cost of one request at one full core. */
export const REQUEST_CPU_MS = 60;

async function phpApache(ctx: ProcessContext): Promise<number> {
  ctx.host.allocate(11_000_000);
  apacheStartup(ctx, '2.4.10', '5.6.40');
  let busy = 0;
  const account = () => ctx.host.setCpu(Math.min(busy, 4) * 1000);
  ctx.host.listen(80, 'TCP', {
    address: '::',
    pid: ctx.pid,
    http: async (req): Promise<HttpResponse> => {
      const path = req.path.split('?')[0]!;
      if (path !== '/' && path !== '/index.php') {
        const body = `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL ${path} was not found on this server.</p>\n<hr>\n<address>Apache/2.4.10 (Debian) Server at ${req.headers.host?.split(':')[0] ?? 'localhost'} Port 80</address>\n</body></html>\n`;
        apacheAccess(ctx, req, 404, body);
        return { status: 404, headers: { Server: 'Apache/2.4.10 (Debian)', 'Content-Type': 'text/html; charset=iso-8859-1' }, body };
      }
      busy++;
      account();
      try {
        await ctx.host.sleep(REQUEST_CPU_MS);
      } finally {
        busy--;
        account();
      }
      apacheAccess(ctx, req, 200, 'OK!');
      return { status: 200, headers: { Server: 'Apache/2.4.10 (Debian)', 'X-Powered-By': 'PHP/5.6.40', 'Content-Type': 'text/html' }, body: 'OK!' };
    },
  });
  return apacheUntilStopped(ctx);
}

const family = (repository: string): ImageFamily => ({
  repository,
  config: { entrypoint: ['docker-php-entrypoint'], cmd: ['apache2-foreground'], workingDir: '/var/www/html', env: [DEFAULT_PATH, 'PHP_INI_DIR=/usr/local/etc/php', 'APACHE_CONFDIR=/etc/apache2', 'PHP_VERSION=5.6.40'], exposedPorts: ['80/tcp'] },
  groups: [{ tags: ['latest'], version: '1', sizeBytes: 181_390_711 }],
  files: () => ({
    ...debianUserland(JESSIE),
    '/usr/local/bin/docker-php-entrypoint': exe('php-apache', '#!/bin/sh\nset -e\n'),
    '/usr/local/bin/apache2-foreground': exe('php-apache'),
    '/var/www/html/index.php': HPA_INDEX_PHP,
  }),
  programs: { 'php-apache': phpApache },
});

export const hpaExampleFamilies = ['registry.k8s.io/hpa-example', 'k8s.gcr.io/hpa-example', 'gcr.io/google_containers/hpa-example'].map(family);
