/**
 * Hello-world pages of popular guides:
 * - nginxdemos/hello: nginx (port 80) answering every path with the server's address, name, date,
 *   URI and request id; `plain-text` tags as text (`Server address: 10.244.1.5:80` …), the
 *   others as an HTML page with the same facts. Access log in nginx's `main`-like combined form.
 * - paulbouwer/hello-kubernetes: node/express on `$PORT` (8080) rendering `$MESSAGE` (default
 *   `Hello world!`), the pod name and the node's OS in an HTML page; logs `Listening on:
 *   http://<hostname>:8080`.
 */
import { randomBytes } from 'node:crypto';
import type { ImageFamily, TagGroup } from './types';
import { DEFAULT_PATH, exe } from './types';
import { busyboxUserland } from './os';
import type { HttpRequest, ProcessContext } from '../program';
import { formatDate } from '../tools/system';
import { combinedLogLine } from './demo-http';

function podIp(ctx: ProcessContext): string {
  return ctx.host.net?.ip ?? '127.0.0.1';
}

export function nginxHelloFacts(ctx: ProcessContext, req: HttpRequest) {
  return {
    address: `${podIp(ctx)}:80`,
    name: ctx.host.hostname,
    date: formatDate(ctx.host.clock.now(), '%d/%b/%Y:%H:%M:%S +0000'),
    uri: req.path,
    id: randomBytes(16).toString('hex'),
  };
}

function htmlPage(f: ReturnType<typeof nginxHelloFacts>): string {
  return `<!DOCTYPE html>
<html>
<head>
<title>Hello World</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
</head>
<body>
<img alt="NGINX Logo" src="http://d37h62yn5lrxxl.cloudfront.net/assets/nginx.png"/>
<div class="info">
<p><span>Server&nbsp;address:</span> <span>${f.address}</span></p>
<p><span>Server&nbsp;name:</span> <span>${f.name}</span></p>
<p class="smaller"><span>Date:</span> <span>${f.date}</span></p>
<p class="smaller"><span>URI:</span> <span>${f.uri}</span></p>
</div>
<div class="check"><input type="checkbox" id="check" onchange="changeCookie()"> Auto Refresh</div>
<div id="footer">
<div id="center" align="center">
Request ID: ${f.id}<br/>
&copy; NGINX, Inc. 2018
</div>
</div>
</body>
</html>
`;
}

async function nginxHello(ctx: ProcessContext): Promise<number> {
  const plain = ctx.host.fs.readFile('/etc/nginx-hello-variant').trim() === 'plain-text';
  ctx.host.allocate(3_500_000);
  ctx.stdout.write('/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration\n/docker-entrypoint.sh: Configuration complete; ready for start up\n');
  ctx.host.listen(80, 'TCP', {
    address: '0.0.0.0',
    pid: ctx.pid,
    http: (req) => {
      const f = nginxHelloFacts(ctx, req);
      const body = plain ? `Server address: ${f.address}\nServer name: ${f.name}\nDate: ${f.date}\nURI: ${f.uri}\nRequest ID: ${f.id}\n` : htmlPage(f);
      ctx.stdout.write(combinedLogLine(ctx, req, 200, Buffer.byteLength(body)));
      return {
        status: 200,
        headers: { Server: 'nginx/1.27.3', 'Content-Type': plain ? 'text/plain' : 'text/html', Expires: formatDate(ctx.host.clock.now(), '%a, %d %b %Y %H:%M:%S GMT'), 'Cache-Control': 'no-cache' },
        body,
      };
    },
  });
  return ctx.host.forever();
}

export const nginxdemosHello: ImageFamily = {
  repository: 'docker.io/nginxdemos/hello',
  config: { entrypoint: ['/docker-entrypoint.sh'], cmd: ['nginx', '-g', 'daemon off;'], workingDir: '', env: [DEFAULT_PATH, 'NGINX_VERSION=1.27.3'], exposedPorts: ['80/tcp'], stopSignal: 'SIGQUIT' },
  groups: [
    { tags: ['latest', '0.4'], version: '0.4', sizeBytes: 20_104_552, variant: { plain: '' } },
    { tags: ['plain-text', '0.4-plain-text'], version: '0.4', sizeBytes: 20_103_985, variant: { plain: 'plain-text' } },
    { tags: ['0.3'], version: '0.3', sizeBytes: 9_911_320, variant: { plain: '' } },
    { tags: ['0.3-plain-text'], version: '0.3', sizeBytes: 9_910_828, variant: { plain: 'plain-text' } },
  ],
  files: (group: TagGroup) => ({
    ...busyboxUserland(),
    '/docker-entrypoint.sh': exe('nginx-hello'),
    '/usr/sbin/nginx': exe('nginx-hello'),
    '/etc/nginx-hello-variant': `${group.variant!.plain || 'html'}\n`,
  }),
  programs: { 'nginx-hello': nginxHello },
};

function helloKubernetesPage(message: string, pod: string, node: string): string {
  return `<!DOCTYPE html>
<html>
<head>
    <title>Hello Kubernetes!</title>
    <link rel="stylesheet" type="text/css" href="/css/main.css">
    <link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Ubuntu:300" >
</head>
<body>

  <div class="main">
    <img src="/images/kubernetes.png"/>
    <div class="content">
      <div id="message">
  ${message}
</div>
<div id="info">
  <table>
    <tr>
      <th>pod:</th>
      <td>${pod}</td>
    </tr>
    <tr>
      <th>node:</th>
      <td>${node}</td>
    </tr>
  </table>

</div>
    </div>
  </div>

</body>
</html>
`;
}

async function helloKubernetes(ctx: ProcessContext): Promise<number> {
  const port = Number(ctx.env.get('PORT') || 8080);
  const message = ctx.env.get('MESSAGE') || 'Hello world!';
  ctx.host.allocate(30_000_000);
  ctx.stdout.write(`\n> hello-kubernetes@1.10.0 start /usr/src/app\n> node server.js\n\n`);
  ctx.stdout.write(`Listening on: http://${ctx.host.hostname}:${port}\n`);
  ctx.host.listen(port, 'TCP', {
    address: '::',
    pid: ctx.pid,
    http: (req) => {
      const path = req.path.split('?')[0];
      if (path !== '/') return { status: 404, headers: { 'Content-Type': 'text/html; charset=utf-8', 'X-Powered-By': 'Express' }, body: `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot ${req.method} ${path}</pre>\n</body>\n</html>\n` };
      return { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8', 'X-Powered-By': 'Express' }, body: helloKubernetesPage(message, ctx.host.hostname, 'Linux (6.8.0-85-generic)') };
    },
  });
  return ctx.host.forever();
}

export const paulbouwerHelloKubernetes: ImageFamily = {
  repository: 'docker.io/paulbouwer/hello-kubernetes',
  config: { entrypoint: ['npm', 'start'], cmd: [], workingDir: '/usr/src/app', env: [DEFAULT_PATH, 'NODE_VERSION=13.8.0', 'PORT=8080'], exposedPorts: ['8080/tcp'] },
  groups: [
    { tags: ['1.10.1'], version: '1.10.1', sizeBytes: 43_912_118 },
    { tags: ['1.10'], version: '1.10', sizeBytes: 43_911_607 },
    { tags: ['1.9'], version: '1.9', sizeBytes: 43_580_225 },
    { tags: ['1.8'], version: '1.8', sizeBytes: 28_774_390 },
    { tags: ['1.5'], version: '1.5', sizeBytes: 27_412_877 },
  ],
  files: () => ({ ...busyboxUserland(), '/usr/local/bin/npm': exe('hello-kubernetes'), '/usr/local/bin/node': exe('hello-kubernetes'), '/usr/src/app/server.js': '// hello-kubernetes (simulated by kubesim)\n' }),
  programs: { 'hello-kubernetes': helloKubernetes },
};
