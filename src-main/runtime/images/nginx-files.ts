/**
 * The files of an nginx image per era: nginx.conf (worker_processes 1 / auto, error_log warn /
 * notice), the packaged conf.d/default.conf (the entrypoint adds the IPv6 listen at start),
 * html/index.html and 50x.html, mime.types, the entrypoint scripts of that release, and the
 * userland (Debian jessie … trixie, or Alpine).
 */
import type { FsNode } from '../vfs';
import { exe } from './types';
import type { DebianFlavor } from './os';
import { BOOKWORM, BULLSEYE, TRIXIE, busyboxUserland, debianUserland } from './os';
import { html50x, indexHtml, versionAtLeast } from './nginx-pages';

export const JESSIE: DebianFlavor = { prettyName: 'Debian GNU/Linux 8 (jessie)', id: 'debian', versionId: '8', codename: 'jessie', procps: false };
export const STRETCH: DebianFlavor = { prettyName: 'Debian GNU/Linux 9 (stretch)', id: 'debian', versionId: '9', codename: 'stretch', procps: false };
export const BUSTER: DebianFlavor = { prettyName: 'Debian GNU/Linux 10 (buster)', id: 'debian', versionId: '10', codename: 'buster', procps: false };

export const DEBIAN_BASES: Record<string, { flavor: DebianFlavor; cc: string }> = {
  jessie: { flavor: JESSIE, cc: 'gcc 4.9.2 (Debian 4.9.2-10) ' },
  stretch: { flavor: STRETCH, cc: 'gcc 6.3.0 20170516 (Debian 6.3.0-18+deb9u1) ' },
  buster: { flavor: BUSTER, cc: 'gcc 8.3.0 (Debian 8.3.0-6) ' },
  bullseye: { flavor: BULLSEYE, cc: 'gcc 10.2.1 20210110 (Debian 10.2.1-6) ' },
  bookworm: { flavor: BOOKWORM, cc: 'gcc 12.2.0 (Debian 12.2.0-14) ' },
  trixie: { flavor: TRIXIE, cc: 'gcc 14.2.0 (Debian 14.2.0-19) ' },
};

/** Alpine release → its full version and the gcc that built nginx there. */
export const ALPINE_BASES: Record<string, { release: string; cc: string }> = {
  '3.8': { release: '3.8.4', cc: 'gcc 6.4.0 (Alpine 6.4.0) ' },
  '3.10': { release: '3.10.3', cc: 'gcc 8.3.0 (Alpine 8.3.0) ' },
  '3.11': { release: '3.11.6', cc: 'gcc 9.2.0 (Alpine 9.2.0) ' },
  '3.13': { release: '3.13.5', cc: 'gcc 10.2.1 20201203 (Alpine 10.2.1_pre1) ' },
  '3.14': { release: '3.14.3', cc: 'gcc 10.3.1 20210424 (Alpine 10.3.1_git20210424) ' },
  '3.15': { release: '3.15.4', cc: 'gcc 10.3.1 20211027 (Alpine 10.3.1_git20211027) ' },
  '3.16': { release: '3.16.3', cc: 'gcc 11.2.1 20220219 (Alpine 11.2.1_git20220219) ' },
  '3.17': { release: '3.17.3', cc: 'gcc 12.2.1 20220924 (Alpine 12.2.1_git20220924-r4) ' },
  '3.19': { release: '3.19.9', cc: 'gcc 13.2.1 20231014 (Alpine 13.2.1_git20231014) ' },
  '3.20': { release: '3.20.6', cc: 'gcc 13.2.1 20240309 (Alpine 13.2.1_git20240309) ' },
  '3.21': { release: '3.21.5', cc: 'gcc 14.2.0 (Alpine 14.2.0) ' },
  '3.22': { release: '3.22.2', cc: 'gcc 14.2.0 (Alpine 14.2.0) ' },
};

/** nginx.conf as the packages ship it in each era. */
export function nginxConf(version: string, alpine: boolean): string {
  const modern = versionAtLeast(version, '1.20.0');
  const workers = modern || alpine ? 'auto' : '1';
  const level = modern ? 'notice' : 'warn';
  const pid = versionAtLeast(version, '1.27.0') ? '/run/nginx.pid' : '/var/run/nginx.pid';
  return `
user  nginx;
worker_processes  ${workers};

error_log  /var/log/nginx/error.log ${level};
pid        ${pid};


events {
    worker_connections  1024;
}


http {
    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;

    log_format  main  '$remote_addr - $remote_user [$time_local] "$request" '
                      '$status $body_bytes_sent "$http_referer" '
                      '"$http_user_agent" "$http_x_forwarded_for"';

    access_log  /var/log/nginx/access.log  main;

    sendfile        on;
    #tcp_nopush     on;

    keepalive_timeout  65;

    #gzip  on;

    include /etc/nginx/conf.d/*.conf;
}
`;
}

/** The packaged conf.d/default.conf (before the entrypoint adds `listen [::]:80`). */
export function defaultConf(version: string): string {
  const charset = versionAtLeast(version, '1.21.0') ? '' : '    #charset koi8-r;\n';
  return `server {
    listen       80;
    server_name  localhost;

${charset}    #access_log  /var/log/nginx/host.access.log  main;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }

    #error_page  404              /404.html;

    # redirect server error pages to the static page /50x.html
    #
    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }

    # proxy the PHP scripts to Apache listening on 127.0.0.1:80
    #
    #location ~ \\.php$ {
    #    proxy_pass   http://127.0.0.1;
    #}

    # pass the PHP scripts to FastCGI server listening on 127.0.0.1:9000
    #
    #location ~ \\.php$ {
    #    root           html;
    #    fastcgi_pass   127.0.0.1:9000;
    #    fastcgi_index  index.php;
    #    fastcgi_param  SCRIPT_FILENAME  /scripts$fastcgi_script_name;
    #    include        fastcgi_params;
    #}

    # deny access to .htaccess files, if Apache's document root
    # concurs with nginx's one
    #
    #location ~ /\\.ht {
    #    deny  all;
    #}
}
`;
}

/** Every packaged default.conf text (what 10-listen-on-ipv6-by-default.sh's checksum accepts). */
export const PACKAGED_DEFAULT_CONFS = new Set([defaultConf('1.20.0'), defaultConf('1.21.0')]);

export const MIME_TYPES = `
types {
    text/html                                        html htm shtml;
    text/css                                         css;
    text/xml                                         xml;
    image/gif                                        gif;
    image/jpeg                                       jpeg jpg;
    application/javascript                           js;
    text/plain                                       txt;
    image/png                                        png;
    image/svg+xml                                    svg svgz;
    image/x-icon                                     ico;
    image/webp                                       webp;
    application/json                                 json;
    application/pdf                                  pdf;
    application/zip                                  zip;
    application/wasm                                 wasm;
    font/woff                                        woff;
    font/woff2                                       woff2;
    application/octet-stream                         bin exe dll;
    audio/mpeg                                       mp3;
    video/mp4                                        mp4;
}
`;

export interface NginxBuild {
  version: string;
  /** A Debian codename (`bookworm`) or an Alpine release (`3.21`). */
  base: string;
}

/** The image's files for one tag group. */
export function nginxFiles(b: NginxBuild): Record<string, string | FsNode> {
  const alpine = /^\d/.test(b.base);
  const deb = DEBIAN_BASES[b.base];
  const alp = ALPINE_BASES[b.base];
  const cc = alpine ? alp!.cc : deb!.cc;
  const userland = alpine ? { ...busyboxUserland(), '/etc/alpine-release': `${alp!.release}\n` } : debianUserland(deb!.flavor);
  const files: Record<string, string | FsNode> = {
    ...userland,
    // procps and net-tools: not in today's image, but the seed tutorials run `ps ax` and `netstat -tlpn` in it
    ...(alpine ? {} : { '/usr/bin/ps': exe('gnu'), '/bin/ps': exe('gnu'), '/usr/bin/netstat': exe('gnu'), '/bin/netstat': exe('gnu') }),
    // the binary's data is its build line (`nginx -V`, the `built by` notice)
    '/usr/sbin/nginx': exe('nginx', `built by ${cc}`),
    '/usr/sbin/nginx-debug': exe('nginx', `built by ${cc}`),
    '/etc/nginx/nginx.conf': nginxConf(b.version, alpine),
    '/etc/nginx/conf.d/default.conf': defaultConf(b.version),
    '/etc/nginx/mime.types': MIME_TYPES,
    '/usr/share/nginx/html/index.html': indexHtml(b.version),
    '/usr/share/nginx/html/50x.html': html50x(b.version),
    '/var/log/nginx': { kind: 'dir', mode: 0o755 },
    '/var/cache/nginx': { kind: 'dir', mode: 0o755 },
  };
  // curl is installed in the images from late 2020 on (Debian: with gettext-base; Alpine: "to make registering on DNS SD easier")
  if (versionAtLeast(b.version, '1.19.5')) files['/usr/bin/curl'] = exe('gnu');
  if (hasEntrypoint(b.version)) {
    files['/docker-entrypoint.sh'] = exe('nginx-entrypoint', '#!/bin/sh\n# vim:sw=4:ts=4:et\n\nset -e\n');
    files['/docker-entrypoint.d/10-listen-on-ipv6-by-default.sh'] = exe('nginx-entrypoint-script', '#!/bin/sh\n');
    if (versionAtLeast(b.version, '1.24.0')) files['/docker-entrypoint.d/15-local-resolvers.envsh'] = exe('nginx-entrypoint-script', '#!/bin/sh\n');
    files['/docker-entrypoint.d/20-envsubst-on-templates.sh'] = exe('nginx-entrypoint-script', '#!/bin/sh\n');
    if (versionAtLeast(b.version, '1.19.5') || b.version === '1.18.0') files['/docker-entrypoint.d/30-tune-worker-processes.sh'] = exe('nginx-entrypoint-script', '#!/bin/sh\n');
  }
  return files;
}

/** Images from 1.18.0 on start through /docker-entrypoint.sh. */
export function hasEntrypoint(version: string): boolean {
  return versionAtLeast(version, '1.18.0');
}

/** STOPSIGNAL: SIGQUIT (graceful) from the November 2020 images on, SIGTERM before. */
export function stopSignalFor(version: string): 'SIGQUIT' | 'SIGTERM' {
  return versionAtLeast(version, '1.19.5') || version === '1.18.0' ? 'SIGQUIT' : 'SIGTERM';
}
