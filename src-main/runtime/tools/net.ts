/** Network tools over the cluster network (ContainerHost.httpRequest): busybox `wget`. */
import type { Tool } from './common';
import { resolvePath } from '../vfs';

const REASONS: Record<number, string> = { 200: 'OK', 301: 'Moved Permanently', 302: 'Found', 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 405: 'Not Allowed', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable' };

export const wget: Tool = async (ctx) => {
  const args = ctx.argv.slice(1);
  let quiet = false;
  let output: string | undefined;
  let spider = false;
  const urls: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-O') output = args[++i];
    else if (a.startsWith('-O') && a.length > 2) output = a.slice(2);
    else if (a === '-T' || a === '-U' || a === '--header') i++;
    else if (a === '--spider') spider = true;
    else if (/^-[qO]+-?$/.test(a)) {
      quiet ||= a.includes('q');
      if (a.endsWith('O-')) output = '-';
      else if (a.endsWith('O')) output = args[++i];
    } else if (a === '-q') quiet = true;
    else if (!a.startsWith('-')) urls.push(a);
  }
  if (!urls.length) {
    ctx.stderr.write('BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n');
    return 1;
  }
  let status = 0;
  for (const raw of urls) {
    const url = /^[a-z]+:\/\//.test(raw) ? raw : `http://${raw}`;
    const m = /^(https?):\/\/([^/:]+)(?::(\d+))?(\/.*)?$/.exec(url);
    if (!m) {
      ctx.stderr.write(`wget: bad address '${raw}'\n`);
      status = 1;
      continue;
    }
    const host = m[2]!;
    const port = m[3] ?? (m[1] === 'https' ? '443' : '80');
    const path = m[4] ?? '/';
    if (!quiet) ctx.stderr.write(`Connecting to ${host}${m[3] ? `:${m[3]}` : ''} (${host}:${port})\n`);
    let res;
    try {
      res = await ctx.host.httpRequest(url, { method: spider ? 'HEAD' : 'GET', path, headers: { host: m[3] ? `${host}:${m[3]}` : host, 'user-agent': 'Wget', connection: 'close' }, remoteAddress: '', httpVersion: '1.1' });
    } catch {
      ctx.stderr.write(`wget: can't connect to remote host (${host}): Connection refused\n`);
      status = 1;
      continue;
    }
    if (res.status >= 400) {
      ctx.stderr.write(`wget: server returned error: HTTP/1.1 ${res.status} ${REASONS[res.status] ?? ''}`.trimEnd() + '\n');
      status = 1;
      continue;
    }
    if (spider) {
      if (!quiet) ctx.stderr.write('remote file exists\n');
      continue;
    }
    const name = output ?? (path.split('?')[0]!.split('/').pop() || 'index.html');
    if (name === '-') {
      ctx.stdout.write(res.body);
      continue;
    }
    if (!quiet) ctx.stderr.write(`saving to '${name}'\n`);
    ctx.host.fs.writeFile(resolvePath(ctx.cwd, name), res.body);
    if (!quiet) {
      const size = Buffer.byteLength(res.body);
      ctx.stderr.write(`${name.padEnd(20).slice(0, 20)} 100% |********************************| ${String(size).padStart(5)}  0:00:00 ETA\n'${name}' saved\n`);
    }
  }
  return status;
};
