/**
 * HTTP clients over the pod's network: busybox `wget` and curl (Debian's curl 7.88 wording).
 * Names resolve as the container's resolver does (net/resolve.ts); bytes go through
 * ContainerHost.httpRequest (node's HTTP client over a pod socket).
 */
import type { Tool } from './common';
import type { ProcessContext, HttpResponse } from '../program';
import { resolvePath } from '../vfs';
import { parseUrl } from '../net/http-client';
import { resolveHost } from '../net/resolve';
import type { SocketError } from '../net/errors';

const REASONS: Record<number, string> = { 200: 'OK', 201: 'Created', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 304: 'Not Modified', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };

const WGET_USAGE =
  'Usage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n\nRetrieve files via HTTP or FTP\n';

function busyboxVersion(ctx: ProcessContext): string {
  const fs = ctx.host.fs;
  return fs.stat('/etc/busybox-version') ? fs.readFile('/etc/busybox-version').trim() : '1.37.0';
}

function code(e: unknown): string {
  return (e as SocketError)?.code ?? 'ECONNREFUSED';
}

/** busybox `wget`: -q, -O FILE|-, -S, -T SEC, --spider, -U, --header, --post-data; redirects followed. */
export const wget: Tool = async (ctx) => {
  const args = ctx.argv.slice(1);
  let quiet = false;
  let output: string | undefined;
  let spider = false;
  let serverResponse = false;
  let timeoutMs = 900_000;
  let agent = 'Wget';
  let postData: string | undefined;
  let dir = '';
  const extra: Record<string, string> = {};
  const urls: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--spider') spider = true;
    else if (a === '--quiet') quiet = true;
    else if (a.startsWith('--output-document')) output = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i];
    else if (a === '--header') {
      const h = args[++i] ?? '';
      const c = h.indexOf(':');
      if (c > 0) extra[h.slice(0, c).trim().toLowerCase()] = h.slice(c + 1).trim();
    } else if (a.startsWith('--post-data')) postData = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i];
    else if (a.startsWith('--user-agent')) agent = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i] ?? agent;
    else if (a.startsWith('--timeout')) timeoutMs = Number(a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i]) * 1000;
    else if (a.startsWith('--') && a.length > 2) continue;
    else if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const f = a[j]!;
        const value = () => {
          const v = a.slice(j + 1) || args[++i] || '';
          j = a.length;
          return v;
        };
        if (f === 'q') quiet = true;
        else if (f === 'S') serverResponse = true;
        else if (f === 's') spider = true;
        else if (f === 'c' || f === 'Y') {
          if (f === 'Y') value();
        } else if (f === 'O') output = value();
        else if (f === 'o') value();
        else if (f === 'T') timeoutMs = Number(value()) * 1000;
        else if (f === 'U') agent = value();
        else if (f === 'P') dir = value();
        else {
          ctx.stderr.write(`wget: unrecognized option '${a}'\n${WGET_USAGE}`);
          return 1;
        }
      }
    } else urls.push(a);
  }
  if (!urls.length) {
    ctx.stderr.write(`BusyBox v${busyboxVersion(ctx)} (2024-09-26 21:31:42 UTC) multi-call binary.\n\n${WGET_USAGE}`);
    return 1;
  }
  let status = 0;
  for (const raw of urls) {
    let url = raw;
    let res: HttpResponse | undefined;
    for (let hop = 0; hop < 20 && !res; hop++) {
      const u = parseUrl(url);
      if (!u) {
        ctx.stderr.write(`wget: bad address '${url}'\n`);
        return 1;
      }
      let ip: string;
      try {
        ip = await resolveHost(u.host, ctx.host.fs, ctx.host.dns);
      } catch {
        ctx.stderr.write(`wget: bad address '${u.host}'\n`);
        return 1;
      }
      if (!quiet) ctx.stderr.write(`Connecting to ${u.authority} (${ip}:${u.port})\n`);
      const headers: Record<string, string> = { host: u.authority, 'user-agent': agent, ...extra };
      if (postData !== undefined) headers['content-type'] ??= 'application/x-www-form-urlencoded';
      let r: HttpResponse;
      try {
        r = await ctx.host.httpRequest(`${u.scheme}://${ip.includes(':') ? `[${ip}]` : ip}:${u.port}${u.path}`, { method: postData !== undefined ? 'POST' : spider ? 'HEAD' : 'GET', path: u.path, headers, remoteAddress: '', httpVersion: '1.1', body: postData }, { timeoutMs });
      } catch (e) {
        const c = code(e);
        if (c === 'ETIMEDOUT') ctx.stderr.write('wget: download timed out\n');
        else ctx.stderr.write(`wget: can't connect to remote host (${ip}): ${(e as Error).message}\n`);
        return 1;
      }
      if (serverResponse) {
        let head = `  HTTP/1.1 ${r.status} ${r.reason ?? REASONS[r.status] ?? ''}`.trimEnd() + '\n';
        for (const [k, v] of Object.entries(r.headers ?? {})) head += `  ${k}: ${v}\n`;
        ctx.stderr.write(head);
      }
      const location = headerOf(r, 'location');
      if (r.status >= 300 && r.status < 400 && location) {
        url = /^https?:\/\//i.test(location) ? location : `${u.scheme}://${u.authority}${location.startsWith('/') ? '' : '/'}${location}`;
        continue;
      }
      res = r;
    }
    if (!res) {
      ctx.stderr.write('wget: too many redirections\n');
      return 1;
    }
    if (res.status >= 400) {
      ctx.stderr.write(`wget: server returned error: HTTP/1.1 ${res.status} ${res.reason ?? REASONS[res.status] ?? ''}`.trimEnd() + '\n');
      status = 1;
      continue;
    }
    if (spider) {
      if (!quiet) ctx.stderr.write('remote file exists\n');
      continue;
    }
    const path = parseUrl(url)?.path ?? '/';
    const name = output ?? (path.split('?')[0]!.split('/').pop() || 'index.html');
    const size = Buffer.byteLength(res.body);
    const bar = (label: string) => `${label.padEnd(20).slice(0, 20)} 100% |********************************| ${humanSize(size).padStart(5)}  0:00:00 ETA\n`;
    if (name === '-') {
      if (!quiet) ctx.stderr.write('writing to stdout\n');
      ctx.stdout.write(res.body);
      if (!quiet) ctx.stderr.write(`${bar('-')}written to stdout\n`);
      continue;
    }
    const target = resolvePath(ctx.cwd, dir ? `${dir}/${name}` : name);
    if (!output && ctx.host.fs.stat(target)) {
      ctx.stderr.write(`wget: can't open '${name}': File exists\n`);
      status = 1;
      continue;
    }
    if (!quiet) ctx.stderr.write(`saving to '${name}'\n`);
    try {
      ctx.host.fs.writeFile(target, res.body);
    } catch (e) {
      ctx.stderr.write(`wget: can't open '${name}': ${(e as Error).message}\n`);
      status = 1;
      continue;
    }
    if (!quiet) ctx.stderr.write(`${bar(name)}'${name}' saved\n`);
  }
  return status;
};

function headerOf(r: HttpResponse, name: string): string | undefined {
  for (const k in r.headers ?? {}) if (k.toLowerCase() === name) return r.headers![k];
  return undefined;
}

/** busybox's progress size: bytes up to 99999, then k/M. */
function humanSize(n: number): string {
  if (n < 100_000) return String(n);
  if (n < 100_000 * 1024) return `${Math.round(n / 1024)}k`;
  return `${Math.round(n / 1024 / 1024)}M`;
}

/** The curl each Debian release ships (by /etc/debian_version's major; Ubuntu codenames map to their Debian base). */
const CURL_BY_DEBIAN: Record<string, string> = { '8': '7.38.0', '9': '7.52.1', '10': '7.64.0', '11': '7.74.0', '12': '7.88.1', '13': '8.14.1', bullseye: '7.74.0', bookworm: '7.88.1', trixie: '8.14.1', focal: '7.68.0', jammy: '7.81.0', noble: '8.5.0' };

function curlVersion(ctx: ProcessContext): string {
  const fs = ctx.host.fs;
  const v = fs.stat('/etc/debian_version') ? fs.readFile('/etc/debian_version').trim() : '';
  return CURL_BY_DEBIAN[v.split(/[./]/)[0] ?? ''] ?? '7.88.1';
}

/** curl's exit-7 text: `after N ms` from 7.75, `Couldn't connect to server` from 8.0. */
function connectFailed(version: string, host: string, port: number, why: string): string {
  const [major, minor] = version.split('.').map(Number) as [number, number];
  if (major >= 8) return `Failed to connect to ${host} port ${port} after 0 ms: Couldn't connect to server`;
  if (minor >= 75) return `Failed to connect to ${host} port ${port} after 0 ms: ${why}`;
  return `Failed to connect to ${host} port ${port}: ${why}`;
}

/** curl: -s -S -v -i -I -o FILE -O -X -d -H -L -f -m; exit codes 6 (resolve), 7 (connect), 22 (-f), 28 (timeout). */
export const curl: Tool = async (ctx) => {
  const args = ctx.argv.slice(1);
  let silent = false;
  let showError = false;
  let verbose = false;
  let include = false;
  let head = false;
  let fail = false;
  let follow = false;
  let method: string | undefined;
  let data: string | undefined;
  let output: string | undefined;
  let remoteName = false;
  let timeoutMs = 0;
  let writeOut: string | undefined;
  const headers: Record<string, string> = {};
  const urls: string[] = [];
  const takes = new Set(['-X', '--request', '-d', '--data', '--data-raw', '--data-binary', '-H', '--header', '-o', '--output', '-m', '--max-time', '--connect-timeout', '-A', '--user-agent', '-w', '--write-out', '-u', '--user', '-e', '--referer']);
  for (let i = 0; i < args.length; i++) {
    let a = args[i]!;
    if (a.startsWith('-') && !a.startsWith('--') && a.length > 2 && !takes.has(a.slice(0, 2))) {
      // combined short flags (-sS, -sSL, -vI)
      const flags = [...a.slice(1)].map((f) => `-${f}`);
      args.splice(i, 1, ...flags);
      a = args[i]!;
    }
    let value: string | undefined;
    if (takes.has(a)) value = args[++i] ?? '';
    else if (a.length > 2 && !a.startsWith('--') && takes.has(a.slice(0, 2))) {
      value = a.slice(2);
      a = a.slice(0, 2);
    }
    switch (a) {
      case '-s':
      case '--silent':
        silent = true;
        break;
      case '-S':
      case '--show-error':
        showError = true;
        break;
      case '-v':
      case '--verbose':
        verbose = true;
        break;
      case '-i':
      case '--include':
        include = true;
        break;
      case '-I':
      case '--head':
        head = true;
        break;
      case '-f':
      case '--fail':
        fail = true;
        break;
      case '-L':
      case '--location':
        follow = true;
        break;
      case '-O':
      case '--remote-name':
        remoteName = true;
        break;
      case '-X':
      case '--request':
        method = value;
        break;
      case '-d':
      case '--data':
      case '--data-raw':
      case '--data-binary':
        data = data === undefined ? value : `${data}&${value}`;
        break;
      case '-H':
      case '--header': {
        const c = value!.indexOf(':');
        if (c > 0) headers[value!.slice(0, c).trim()] = value!.slice(c + 1).trim();
        break;
      }
      case '-A':
      case '--user-agent':
        headers['User-Agent'] = value!;
        break;
      case '-o':
      case '--output':
        output = value;
        break;
      case '-w':
      case '--write-out':
        writeOut = value;
        break;
      case '-m':
      case '--max-time':
        timeoutMs = Number(value) * 1000;
        break;
      default:
        if (value !== undefined) break;
        if (a.startsWith('-') && a !== '-') {
          ctx.stderr.write(`curl: option ${a}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information\n`);
          return 2;
        }
        urls.push(a);
    }
  }
  if (!urls.length) {
    ctx.stderr.write("curl: try 'curl --help' or 'curl --manual' for more information\n");
    return 2;
  }
  const err = (n: number, text: string): number => {
    if (!silent || showError) ctx.stderr.write(`curl: (${n}) ${text}\n`);
    return n;
  };
  const progress = !silent && !verbose && !ctx.tty;
  const version = curlVersion(ctx);
  let url = urls[0]!;
  for (let hop = 0; hop < 50; hop++) {
    const u = parseUrl(url);
    if (!u) return err(3, 'URL using bad/illegal format or missing URL');
    if (u.scheme === 'https') return err(35, 'OpenSSL/3.0.17: error:0A00010B:SSL routines::wrong version number');
    let ip: string;
    try {
      ip = await resolveHost(u.host, ctx.host.fs, ctx.host.dns);
    } catch {
      return err(6, `Could not resolve host: ${u.host}`);
    }
    const m = method ?? (head ? 'HEAD' : data !== undefined ? 'POST' : 'GET');
    const req: Record<string, string> = { Host: u.authority, 'User-Agent': `curl/${version}`, Accept: '*/*', ...headers };
    if (data !== undefined && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) req['Content-Type'] = 'application/x-www-form-urlencoded';
    if (verbose) ctx.stderr.write(`*   Trying ${ip}:${u.port}...\n`);
    if (progress && hop === 0) ctx.stderr.write('  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n');
    let res: HttpResponse;
    try {
      res = await ctx.host.httpRequest(`http://${ip.includes(':') ? `[${ip}]` : ip}:${u.port}${u.path}`, { method: m, path: u.path, headers: req, remoteAddress: '', httpVersion: '1.1', body: data }, { timeoutMs: timeoutMs || undefined });
    } catch (e) {
      const c = code(e);
      if (progress) ctx.stderr.write(progressLine(0));
      if (c === 'ETIMEDOUT') return err(28, `Operation timed out after ${timeoutMs} milliseconds with 0 bytes received`);
      if (c === 'ECONNRESET') return err(56, 'Recv failure: Connection reset by peer');
      if (verbose) ctx.stderr.write(`* connect to ${ip} port ${u.port} failed: ${(e as Error).message}\n`);
      return err(7, connectFailed(version, u.host, u.port, c === 'EHOSTUNREACH' ? 'No route to host' : 'Connection refused'));
    }
    if (verbose) {
      let v = `* Connected to ${u.host} (${ip}) port ${u.port} (#0)\n> ${m} ${u.path} HTTP/1.1\n`;
      for (const [k, val] of Object.entries(req)) v += `> ${k}: ${val}\n`;
      ctx.stderr.write(v + '> \n');
    }
    const statusLine = `HTTP/1.1 ${res.status} ${res.reason ?? REASONS[res.status] ?? ''}`.trimEnd();
    const headText = `${statusLine}\r\n${Object.entries(res.headers ?? {})
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('')}\r\n`;
    if (verbose) ctx.stderr.write(headText.slice(0, -2).split('\r\n').map((l) => `< ${l}\n`).join(''));
    const location = headerOf(res, 'location');
    if (follow && res.status >= 300 && res.status < 400 && location) {
      url = /^https?:\/\//i.test(location) ? location : `http://${u.authority}${location.startsWith('/') ? '' : '/'}${location}`;
      continue;
    }
    if (fail && res.status >= 400) {
      if (progress) ctx.stderr.write(progressLine(0));
      return err(22, `The requested URL returned error: ${res.status}`);
    }
    let text = (include || head ? headText : '') + (head ? '' : res.body);
    const file = output ?? (remoteName ? u.path.split('?')[0]!.split('/').pop() || 'curl_response' : undefined);
    if (file === '/dev/null') text = '';
    else if (file && file !== '-') {
      try {
        ctx.host.fs.writeFile(resolvePath(ctx.cwd, file), text);
      } catch (e) {
        return err(23, `Failure writing output to destination (${(e as Error).message})`);
      }
      text = '';
    }
    if (progress) ctx.stderr.write(progressLine(Buffer.byteLength(res.body)));
    if (writeOut !== undefined) text += formatWriteOut(writeOut, res, ip, u.port, url);
    ctx.stdout.write(text);
    if (verbose) ctx.stderr.write(`* Connection #0 to host ${u.host} left intact\n`);
    return 0;
  }
  return err(47, 'Maximum (50) redirects followed');
};

/** curl's `-w` variables (the common ones) and escapes. */
function formatWriteOut(fmt: string, res: HttpResponse, ip: string, port: number, url: string): string {
  const size = Buffer.byteLength(res.body);
  const vars: Record<string, string> = {
    http_code: String(res.status).padStart(3, '0'),
    response_code: String(res.status).padStart(3, '0'),
    size_download: String(size),
    size_header: String(0),
    remote_ip: ip,
    remote_port: String(port),
    url_effective: url,
    content_type: headerOf(res, 'content-type') ?? '',
    time_total: '0.001000',
    time_connect: '0.000100',
    time_starttransfer: '0.000900',
    num_redirects: '0',
    http_version: '1.1',
    scheme: 'HTTP',
  };
  return fmt
    .replace(/%\{([a-z_]+)\}/g, (_m, k: string) => vars[k] ?? '')
    .replace(/\\([nrt\\])/g, (_m, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : '\\'));
}

/** The final line of curl's progress meter for a transfer of `n` bytes. */
function progressLine(n: number): string {
  const size = n < 100_000 ? String(n) : `${Math.round(n / 1024)}k`;
  const pct = n ? '100' : '  0';
  const speed = n < 100_000 ? String(n) : `${Math.round(n / 1024)}k`;
  return `${pct} ${size.padStart(5)}  ${pct} ${size.padStart(5)}    0     0 ${speed.padStart(6)}      0 --:--:-- --:--:-- --:--:-- ${speed.padStart(6)}\n`;
}
