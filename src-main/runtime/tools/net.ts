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

/** busybox `nslookup NAME [SERVER]`: the 1.28 format (`Address 1: ip name`) or the newer one. */
export const nslookup: Tool = async (ctx) => {
  const name = ctx.argv.slice(1).find((a) => !a.startsWith('-'));
  const fs = ctx.host.fs;
  const resolv = fs.stat('/etc/resolv.conf') ? fs.readFile('/etc/resolv.conf') : '';
  const server = /^nameserver\s+(\S+)/m.exec(resolv)?.[1] ?? '127.0.0.1';
  const search = (/^search\s+(.+)$/m.exec(resolv)?.[1] ?? '').trim().split(/\s+/).filter(Boolean);
  const version = fs.stat('/etc/busybox-version') ? fs.readFile('/etc/busybox-version').trim() : '1.37.0';
  const old = /^1\.(2[0-8]|1\d)\./.test(version);
  if (!name) {
    ctx.stderr.write('BusyBox multi-call binary.\n\nUsage: nslookup [HOST] [SERVER]\n');
    return 1;
  }
  const dns = ctx.host.dns;
  if (!dns) {
    ctx.stdout.write(old ? `Server:    ${server}\nAddress 1: ${server}\n\n` : `;; connection timed out; no servers could be reached\n\n`);
    if (old) ctx.stderr.write(`nslookup: can't resolve '${name}'\n`);
    return 1;
  }
  const serverName = await dns.reverse(server);
  const answer = await dns.lookup(name, search);
  if (old) {
    let out = `Server:    ${server}\nAddress 1: ${server}${serverName ? ` ${serverName}` : ''}\n\n`;
    if (!answer) {
      ctx.stdout.write(out);
      ctx.stderr.write(`nslookup: can't resolve '${name}'\n`);
      return 1;
    }
    out += `Name:      ${name}\n`;
    for (let i = 0; i < answer.addresses.length; i++) {
      const ptr = await dns.reverse(answer.addresses[i]!);
      out += `Address ${i + 1}: ${answer.addresses[i]}${ptr ? ` ${ptr}` : ''}\n`;
    }
    ctx.stdout.write(out);
    return 0;
  }
  let out = `Server:\t\t${server}\nAddress:\t${server}:53\n\n`;
  if (!answer) {
    ctx.stdout.write(out + `** server can't find ${name}: NXDOMAIN\n\n`);
    return 1;
  }
  for (const a of answer.addresses) out += `Name:\t${answer.fqdn}\nAddress: ${a}\n`;
  ctx.stdout.write(out + '\n');
  return 0;
};
