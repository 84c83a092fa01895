/**
 * httpd (Apache 2.4, docker.io/library/httpd): `httpd-foreground` → `httpd -DFOREGROUND` as PID 1
 * with three mpm_event children, the startup lines on stderr (AH00558 twice when no ServerName,
 * AH00489 resuming normal operations, AH00094 command line), `It works!` from
 * /usr/local/apache2/htdocs, Apache's headers (`Server: Apache/2.4.65 (Unix)`, ETag from size and
 * mtime in µs) and error pages, the access log in the common format on stdout, and shutdown on
 * SIGTERM (AH00491) / SIGWINCH-style graceful stop is not modelled.
 */
import type { ImageFamily, TagGroup } from './types';
import { DEFAULT_PATH, exe } from './types';
import { BOOKWORM, busyboxUserland, debianUserland } from './os';
import type { HttpRequest, HttpResponse, ProcessContext, Signal } from '../program';
import { formatDate } from '../tools/system';
import { resolvePath } from '../vfs';
import { normalizeUri } from './nginx-http';

const PREFIX = '/usr/local/apache2';
/** htdocs/index.html's mtime in the upstream tarball (Last-Modified of `It works!`). */
const INDEX_MTIME = Date.UTC(2007, 5, 11, 18, 53, 14);
export const IT_WORKS = '<html><body><h1>It works!</h1></body></html>\n';

export const HTTPD_CONF = `ServerRoot "/usr/local/apache2"
Listen 80
LoadModule mpm_event_module modules/mod_mpm_event.so
LoadModule dir_module modules/mod_dir.so
LoadModule log_config_module modules/mod_log_config.so
LoadModule mime_module modules/mod_mime.so
LoadModule unixd_module modules/mod_unixd.so
User www-data
Group www-data
ServerAdmin you@example.com
#ServerName www.example.com:80
<Directory />
    AllowOverride none
    Require all denied
</Directory>
DocumentRoot "/usr/local/apache2/htdocs"
<Directory "/usr/local/apache2/htdocs">
    Options Indexes FollowSymLinks
    AllowOverride None
    Require all granted
</Directory>
<IfModule dir_module>
    DirectoryIndex index.html
</IfModule>
ErrorLog /proc/self/fd/2
LogLevel warn
<IfModule log_config_module>
    LogFormat "%h %l %u %t \\"%r\\" %>s %b \\"%{Referer}i\\" \\"%{User-Agent}i\\"" combined
    LogFormat "%h %l %u %t \\"%r\\" %>s %b" common
    CustomLog /proc/self/fd/1 common
</IfModule>
`;

const g = (tags: string[], version: string, sizeBytes: number, alpine = false): TagGroup => ({
  tags,
  version,
  sizeBytes,
  variant: { alpine: alpine ? 'yes' : '' },
  config: { env: [`PATH=${PREFIX}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`, `HTTPD_PREFIX=${PREFIX}`, `HTTPD_VERSION=${version}`, 'HTTPD_PATCHES='] },
});

export const httpd: ImageFamily = {
  repository: 'docker.io/library/httpd',
  config: { entrypoint: [], cmd: ['httpd-foreground'], workingDir: PREFIX, env: [DEFAULT_PATH], exposedPorts: ['80/tcp'] },
  groups: [
    g(['2.4.65', '2.4', '2', 'latest', '2.4.65-bookworm', '2.4-bookworm', 'bookworm'], '2.4.65', 58_912_311),
    g(['2.4.63', '2.4.63-bookworm'], '2.4.63', 58_790_245),
    g(['2.4.62', '2.4.62-bookworm'], '2.4.62', 58_702_114),
    g(['2.4.59', '2.4.59-bookworm'], '2.4.59', 58_520_907),
    g(['2.4.58', '2.4.58-bookworm'], '2.4.58', 58_415_332),
    g(['2.4.57', '2.4.57-bookworm'], '2.4.57', 58_327_129),
    g(['2.4.54', '2.4.54-bullseye'], '2.4.54', 55_221_448),
    g(['2.4.65-alpine', '2.4-alpine', '2-alpine', 'alpine', '2.4.65-alpine3.22'], '2.4.65', 22_014_877, true),
    g(['2.4.62-alpine', '2.4.62-alpine3.20'], '2.4.62', 21_601_230, true),
    g(['2.4.58-alpine'], '2.4.58', 21_338_472, true),
  ],
  files: (group) => ({
    ...(group.variant!.alpine ? busyboxUserland() : debianUserland(BOOKWORM)),
    '/usr/local/bin/httpd-foreground': exe('httpd-foreground', '#!/bin/sh\nset -e\n\n# Apache gets grumpy about PID files pre-existing\nrm -f /usr/local/apache2/logs/httpd.pid\n\nexec httpd -DFOREGROUND "$@"\n'),
    [`${PREFIX}/bin/httpd`]: exe('httpd'),
    [`${PREFIX}/bin/apachectl`]: exe('httpd'),
    [`${PREFIX}/conf/httpd.conf`]: HTTPD_CONF,
    [`${PREFIX}/htdocs/index.html`]: { kind: 'file', mode: 0o644, data: IT_WORKS, mtime: INDEX_MTIME },
    [`${PREFIX}/logs`]: { kind: 'dir', mode: 0o755 },
  }),
  programs: {
    'httpd-foreground': (ctx) => {
      try {
        ctx.host.fs.remove(`${PREFIX}/logs/httpd.pid`);
      } catch {
        /* rm -f */
      }
      return ctx.host.spawn(['httpd', '-DFOREGROUND', ...ctx.argv.slice(1)], { replacePid: ctx.pid, env: ctx.env, cwd: ctx.cwd, stdin: ctx.stdin, stdout: ctx.stdout, stderr: ctx.stderr });
    },
    httpd: (ctx) => httpdMain(ctx),
  },
};

/** Apache's error-log time: `Mon Nov 23 10:00:00.000000 2026`. */
function apacheTime(ms: number): string {
  return `${formatDate(ms, '%a %b %d %H:%M:%S')}.${String((ms % 1000) * 1000).padStart(6, '0')} ${formatDate(ms, '%Y')}`;
}

const REASONS: Record<number, [string, string]> = {
  301: ['Moved Permanently', ''],
  403: ['Forbidden', "<p>You don't have permission to access this resource.</p>"],
  404: ['Not Found', '<p>The requested URL was not found on this server.</p>'],
  405: ['Method Not Allowed', '<p>The requested method %m is not allowed for this URL.</p>'],
};

function errorPage(status: number, method: string, location?: string): string {
  const [title, text] = REASONS[status]!;
  const p = status === 301 ? `<p>The document has moved <a href="${location}">here</a>.</p>` : text.replace('%m', method);
  return `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>${status} ${title}</title>\n</head><body>\n<h1>${title}</h1>\n${p}\n</body></html>\n`;
}

const TYPES: Record<string, string> = { html: 'text/html', htm: 'text/html', css: 'text/css', js: 'text/javascript', json: 'application/json', txt: 'text/plain', png: 'image/png', svg: 'image/svg+xml', jpg: 'image/jpeg' };

async function httpdMain(ctx: ProcessContext): Promise<number> {
  const args = ctx.argv.slice(1);
  const version = ctx.env.get('HTTPD_VERSION') ?? '2.4.65';
  const server = `Apache/${version} (Unix)`;
  if (args.includes('-v')) {
    ctx.stdout.write(`Server version: ${server}\nServer built:   Jul 23 2025 00:00:00\n`);
    return 0;
  }
  const fs = ctx.host.fs;
  const confPath = `${PREFIX}/conf/httpd.conf`;
  const conf = fs.stat(confPath)?.kind === 'file' ? fs.readFile(confPath) : '';
  if (args.includes('-t')) {
    ctx.stderr.write('Syntax OK\n');
    return 0;
  }
  const ports = [...conf.matchAll(/^\s*Listen\s+(?:[\d.]+:)?(\d+)/gm)].map((m) => Number(m[1]));
  const docRoot = /^\s*DocumentRoot\s+"?([^"\s]+)"?/m.exec(conf)?.[1] ?? `${PREFIX}/htdocs`;
  const serverName = /^\s*ServerName\s+(\S+)/m.exec(conf)?.[1];
  const index = /^\s*DirectoryIndex\s+(.+)$/m.exec(conf)?.[1]?.trim().split(/\s+/) ?? ['index.html'];
  const logFormat = /^\s*CustomLog\s+\S+\s+(\w+)/m.exec(conf)?.[1] ?? 'common';
  const tid = 139_950_000_000_000 + (ctx.host.hostname.length * 7919) % 1_000_000;
  const now = () => ctx.host.clock.now();
  const errlog = (module: string, msg: string) => ctx.stderr.write(`[${apacheTime(now())}] [${module}] [pid 1:tid ${tid}] ${msg}\n`);
  if (!serverName) {
    const hosts = fs.stat('/etc/hosts') ? fs.readFile('/etc/hosts') : '';
    const ip = hosts.split('\n').map((l) => l.trim().split(/\s+/)).find((w) => w.length > 1 && w.slice(1).includes(ctx.host.hostname) && !w[0]!.startsWith('127.') && !w[0]!.includes(':'))?.[0] ?? '127.0.1.1';
    const line = `AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using ${ip}. Set the 'ServerName' directive globally to suppress this message\n`;
    ctx.stderr.write(line + line);
  }
  errlog('mpm_event:notice', `AH00489: ${server} configured -- resuming normal operations`);
  errlog('core:notice', `AH00094: Command line: 'httpd -D FOREGROUND'`);
  ctx.host.allocate(4_000_000);
  ctx.host.setTitle(ctx.pid, ['httpd', ...args]);
  const children = [7, 8, 9].map((p) => ctx.host.registerProcess(['httpd', ...args], p));
  try {
    fs.writeFile(`${PREFIX}/logs/httpd.pid`, `${ctx.pid}\n`);
  } catch {
    /* read-only logs dir */
  }

  const handler = async (req: HttpRequest): Promise<HttpResponse> => {
    const t = now();
    const base = { Date: formatDate(t, '%a, %d %b %Y %H:%M:%S GMT'), Server: server };
    const [rawPath] = req.path.split('?');
    const uri = normalizeUri(rawPath!) ?? '/';
    const page = (status: number, extra: Record<string, string> = {}): HttpResponse => {
      const body = errorPage(status, req.method, extra.Location);
      return { status, headers: { ...base, ...extra, 'Content-Length': String(body.length), 'Content-Type': 'text/html; charset=iso-8859-1' }, body };
    };
    let res: HttpResponse;
    const path = resolvePath('/', `${docRoot}/${uri}`);
    let st = fs.stat(path);
    let file = path;
    if (st?.kind === 'dir' && !uri.endsWith('/')) {
      res = page(301, { Location: `http://${req.headers.host ?? serverName ?? 'localhost'}${uri}/` });
    } else {
      if (st?.kind === 'dir') {
        const found = index.map((n) => resolvePath(path, n)).find((p) => fs.stat(p)?.kind === 'file');
        file = found ?? path;
        st = fs.stat(file);
      }
      if (st?.kind === 'file') {
        if (req.method !== 'GET' && req.method !== 'HEAD') res = page(405, { Allow: 'GET,POST,OPTIONS,HEAD' });
        else {
          const body = fs.readFile(file);
          const size = Buffer.byteLength(body);
          const mtime = st.mtime || INDEX_MTIME;
          const ext = file.slice(file.lastIndexOf('.') + 1);
          res = {
            status: 200,
            headers: { ...base, 'Last-Modified': formatDate(mtime, '%a, %d %b %Y %H:%M:%S GMT'), ETag: `"${size.toString(16)}-${(mtime * 1000).toString(16)}"`, 'Accept-Ranges': 'bytes', 'Content-Length': String(size), 'Content-Type': TYPES[ext] ?? 'text/plain' },
            body: req.method === 'HEAD' ? '' : body,
          };
        }
      } else if (st?.kind === 'dir') res = page(403);
      else res = page(404);
    }
    const bytes = req.method === 'HEAD' || res.status === 304 ? '-' : String(Buffer.byteLength(res.body));
    const remote = req.remoteAddress.replace(/^::ffff:/, '');
    const common = `${remote} - - [${formatDate(t, '%d/%b/%Y:%H:%M:%S +0000')}] "${req.method} ${req.path} HTTP/${req.httpVersion ?? '1.1'}" ${res.status} ${bytes === '0' ? '-' : bytes}`;
    ctx.stdout.write(logFormat === 'combined' ? `${common} "${req.headers.referer ?? '-'}" "${req.headers['user-agent'] ?? '-'}"\n` : `${common}\n`);
    if (req.method === 'HEAD') res = { ...res, body: '' };
    return res;
  };
  for (const port of ports.length ? [...new Set(ports)] : [80]) ctx.host.listen(port, 'TCP', { address: '::', pid: ctx.pid, http: handler });

  let stop!: (sig: Signal) => void;
  const stopped = new Promise<Signal>((resolve) => (stop = resolve));
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGQUIT'] as const) ctx.host.onSignal(sig, (s) => stop(s));
  ctx.host.onSignal('SIGHUP', () => errlog('mpm_event:notice', 'AH00494: SIGHUP received.  Attempting to restart'));
  await Promise.race([stopped, ctx.host.forever()]);
  errlog('mpm_event:notice', 'AH00491: caught SIGTERM, shutting down');
  for (const c of children) c.exit();
  return 0;
}
