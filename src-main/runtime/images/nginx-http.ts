/**
 * nginx answering HTTP: static files from the `root` of `location /`, index.html, 301 for a
 * directory without its slash, the stock 403/404/405/502 pages, the access log on stdout in
 * the configured format (`main` or `combined`) and the error log line of a missing file.
 */
import type { HttpHandler, HttpResponse, ProcessContext } from '../program';
import { formatDate } from '../tools/system';
import { resolvePath } from '../vfs';

/** When the image's files were built (Last-Modified/ETag of files that were not changed). */
const IMAGE_BUILD_MS = Date.UTC(2025, 3, 16, 12, 55, 34);

const REASONS: Record<number, string> = { 301: 'Moved Permanently', 403: 'Forbidden', 404: 'Not Found', 405: 'Not Allowed', 502: 'Bad Gateway' };

const TYPES: Record<string, string> = { html: 'text/html', htm: 'text/html', css: 'text/css', js: 'application/javascript', json: 'application/json', txt: 'text/plain', png: 'image/png', svg: 'image/svg+xml' };

interface ServerConf {
  root: string;
  /** `proxy_pass` of `location /`, e.g. `http://app:1323`. */
  proxyPass?: string;
  serverName: string;
  withForwardedFor: boolean;
}

function readConf(ctx: ProcessContext): ServerConf {
  const fs = ctx.host.fs;
  const main = fs.stat('/etc/nginx/nginx.conf') ? fs.readFile('/etc/nginx/nginx.conf') : '';
  const dir = '/etc/nginx/conf.d';
  const servers = fs.stat(dir)?.kind === 'dir' ? fs.readdir(dir).filter((f) => f.endsWith('.conf')).map((f) => fs.readFile(`${dir}/${f}`)).join('\n') : '';
  const locationRoot = /location\s+\/\s*\{[^}]*?root\s+([^;\s]+)\s*;/.exec(servers)?.[1];
  const serverRoot = /^\s*root\s+([^;\s]+)\s*;/m.exec(servers)?.[1];
  const accessLog = /^\s*access_log\s+\S+\s+(\w+)\s*;/m.exec(main)?.[1] ?? 'combined';
  return {
    root: locationRoot ?? serverRoot ?? '/usr/share/nginx/html',
    proxyPass: /location\s+\/\s*\{[^}]*?proxy_pass\s+([^;\s]+)\s*;/.exec(servers)?.[1],
    serverName: /server_name\s+([^;\s]+)/.exec(servers)?.[1] ?? 'localhost',
    withForwardedFor: accessLog === 'main' && /log_format\s+main[^;]*http_x_forwarded_for/.test(main),
  };
}

function errorPage(status: number, version: string): string {
  const title = `${status} ${REASONS[status]}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx/${version}</center>\r\n</body>\r\n</html>\r\n`;
}

export function nginxHttp(ctx: ProcessContext, version: string, workerPid: number): HttpHandler {
  let connections = 0;
  const conf = readConf(ctx);
  const fs = ctx.host.fs;
  return async (req) => {
    connections++;
    const now = ctx.host.clock.now();
    const remote = req.remoteAddress.replace(/^::ffff:/, '');
    const httpVersion = req.httpVersion ?? '1.1';
    const requestLine = `${req.method} ${req.path} HTTP/${httpVersion}`;
    const base = { Server: `nginx/${version}`, Date: formatDate(now, '%a, %d %b %Y %H:%M:%S GMT') };
    const page = (status: number, extra: Record<string, string> = {}): HttpResponse => {
      const body = errorPage(status, version);
      return { status, headers: { ...base, 'Content-Type': 'text/html', 'Content-Length': String(body.length), Connection: 'keep-alive', ...extra }, body };
    };
    let res: HttpResponse;
    let path = req.path.split('?')[0]!;
    try {
      path = decodeURIComponent(path);
    } catch {
      /* keep it encoded */
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') res = page(405);
    else if (conf.proxyPass) {
      try {
        const up = await ctx.host.httpRequest(`${conf.proxyPass.replace(/\/$/, '')}${req.path}`, { ...req, remoteAddress: '::ffff:127.0.0.1' });
        res = { status: up.status, headers: { ...base, ...(up.headers ?? {}), Connection: 'keep-alive' }, body: up.body };
      } catch (e) {
        res = page(502);
        ctx.stderr.write(
          `${formatDate(now, '%Y/%m/%d %H:%M:%S')} [error] ${workerPid}#${workerPid}: *${connections} connect() failed (111: Connection refused) while connecting to upstream, client: ${remote}, server: ${conf.serverName}, request: "${requestLine}", upstream: "${conf.proxyPass}${req.path}", host: "${req.headers.host ?? ''}"\n`,
        );
        void e;
      }
    }
    else {
      const file = resolvePath(conf.root, `.${path}`);
      const st = fs.stat(file);
      if (st?.kind === 'dir' && !path.endsWith('/')) {
        res = page(301, { Location: `http://${req.headers.host ?? conf.serverName}${path}/` });
      } else {
        const target = st?.kind === 'dir' ? resolvePath(file, 'index.html') : file;
        const tst = fs.stat(target);
        if (tst?.kind === 'file') {
          const body = fs.readFile(target);
          const mtime = tst.mtime || IMAGE_BUILD_MS;
          const ext = target.slice(target.lastIndexOf('.') + 1);
          res = {
            status: 200,
            headers: {
              ...base,
              'Content-Type': TYPES[ext] ?? 'application/octet-stream',
              'Content-Length': String(Buffer.byteLength(body)),
              'Last-Modified': formatDate(mtime, '%a, %d %b %Y %H:%M:%S GMT'),
              Connection: 'keep-alive',
              ETag: `"${Math.floor(mtime / 1000).toString(16)}-${Buffer.byteLength(body).toString(16)}"`,
              'Accept-Ranges': 'bytes',
            },
            body: req.method === 'HEAD' ? '' : body,
          };
        } else {
          const forbidden = st?.kind === 'dir';
          res = page(forbidden ? 403 : 404);
          const why = forbidden ? `directory index of "${file}/" is forbidden` : `open() "${file}" failed (2: No such file or directory)`;
          ctx.stderr.write(
            `${formatDate(now, '%Y/%m/%d %H:%M:%S')} [error] ${workerPid}#${workerPid}: *${connections} ${why}, client: ${remote}, server: ${conf.serverName}, request: "${requestLine}", host: "${req.headers.host ?? ''}"\n`,
          );
        }
      }
    }
    const bytes = req.method === 'HEAD' ? 0 : Buffer.byteLength(res.body);
    const referer = req.headers.referer ?? '-';
    const agent = req.headers['user-agent'] ?? '-';
    ctx.stdout.write(
      `${remote} - - [${formatDate(now, '%d/%b/%Y:%H:%M:%S +0000')}] "${requestLine}" ${res.status} ${bytes} "${referer}" "${agent}"${conf.withForwardedFor ? ` "${req.headers['x-forwarded-for'] ?? '-'}"` : ''}\n`,
    );
    return res;
  };
}
