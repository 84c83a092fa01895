/**
 * traefik/whoami (and its old name containous/whoami): a tiny Go server (default port 80,
 * `--port` or WHOAMI_PORT_NUMBER; `--name` or WHOAMI_NAME) logging `Starting up on port 80`.
 * `/` answers the hostname, the pod's IPs, `RemoteAddr:` and the request as Go's
 * `Request.Write` prints it (CRLF lines, Host and User-Agent first, then the other headers
 * sorted); `/api` the same as JSON; `/health` 200 (empty); `/bench` `1`; `/data?size=N` N bytes.
 * `--verbose` logs each request. A scratch image: no shell.
 */
import type { ImageFamily } from './types';
import { exe } from './types';
import type { HttpRequest, ProcessContext } from '../program';
import { canonicalHeader, goLogTime, goRemoteAddr, requestLine } from './demo-http';

function podIp(ctx: ProcessContext): string | undefined {
  if (ctx.host.net) return ctx.host.net.ip;
  const hosts = ctx.host.fs.stat('/etc/hosts') ? ctx.host.fs.readFile('/etc/hosts') : '';
  const line = hosts.split('\n').find((l) => l.trim().endsWith(ctx.host.hostname) && !l.startsWith('127.') && !l.startsWith('::1'));
  return line?.split(/\s+/)[0];
}

/** The pod's addresses as whoami lists its interfaces' (lo first, then eth0). */
function ips(ctx: ProcessContext): string[] {
  const ip = podIp(ctx);
  const out = ['127.0.0.1', '::1'];
  if (ip) {
    out.push(ip);
    const o = ip.split('.').map(Number);
    out.push(`fe80::${((o[2] ?? 0) << 8 | (o[3] ?? 0)).toString(16)}:a4ff:fe${(o[3] ?? 0).toString(16).padStart(2, '0')}:${(((o[2] ?? 0) * 7) & 0xffff).toString(16)}`);
  }
  return out;
}

/** Go's `Request.Write` of a received request. */
function writeRequest(req: HttpRequest): string {
  const lines = [requestLine(req), `Host: ${req.headers.host ?? ''}`];
  if (req.headers['user-agent'] !== undefined) lines.push(`User-Agent: ${req.headers['user-agent']}`);
  for (const k of Object.keys(req.headers).filter((h) => h !== 'host' && h !== 'user-agent').map(canonicalHeader).sort()) lines.push(`${k}: ${req.headers[k.toLowerCase()]}`);
  return lines.join('\r\n') + '\r\n\r\n' + (req.body ?? '');
}

async function whoami(ctx: ProcessContext): Promise<number> {
  const args = ctx.argv.slice(1);
  const opt = (name: string) => {
    const i = args.findIndex((a) => a === `--${name}` || a === `-${name}` || a.startsWith(`--${name}=`) || a.startsWith(`-${name}=`));
    if (i < 0) return undefined;
    const a = args[i]!;
    return a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[i + 1];
  };
  const port = Number(opt('port') ?? ctx.env.get('WHOAMI_PORT_NUMBER') ?? 80) || 80;
  const name = opt('name') ?? ctx.env.get('WHOAMI_NAME') ?? '';
  const verbose = args.includes('--verbose') || args.includes('-verbose');
  ctx.host.allocate(2_900_000);
  ctx.stdout.write(`${goLogTime(ctx)} Starting up on port ${port}\n`);
  ctx.host.listen(port, 'TCP', {
    address: '::',
    pid: ctx.pid,
    http: (req) => {
      if (verbose) ctx.stdout.write(`${goLogTime(ctx)} ${req.path} ${req.method}\n`);
      const path = req.path.split('?')[0]!;
      const query = new URLSearchParams(req.path.includes('?') ? req.path.slice(req.path.indexOf('?') + 1) : '');
      const remote = goRemoteAddr(req);
      const text = { 'Content-Type': 'text/plain; charset=utf-8' };
      if (path === '/health') return { status: 200, body: '' };
      if (path === '/bench') return { status: 200, headers: { ...text, Connection: 'keep-alive' }, body: '1' };
      if (path === '/data') {
        const size = Math.min(Number(query.get('size') ?? 1) || 1, 1 << 20);
        return { status: 200, headers: text, body: '|' + '-'.repeat(Math.max(0, size - 2)) + (size > 1 ? '|' : '') };
      }
      if (path === '/api') {
        const headers: Record<string, string[]> = {};
        for (const [k, v] of Object.entries(req.headers)) headers[canonicalHeader(k)] = [v];
        const body = JSON.stringify({ hostname: ctx.host.hostname, ip: ips(ctx), headers, url: req.path, host: req.headers.host ?? '', method: req.method, name, remoteAddr: remote });
        return { status: 200, headers: { 'Content-Type': 'application/json' }, body: body + '\n' };
      }
      const lines = [...(name ? [`Name: ${name}`] : []), `Hostname: ${ctx.host.hostname}`, ...ips(ctx).map((ip) => `IP: ${ip}`), `RemoteAddr: ${remote}`];
      return { status: 200, headers: text, body: lines.join('\n') + '\n' + writeRequest(req) };
    },
  });
  return ctx.host.forever();
}

const groups = [
  { tags: ['v1.10.4', 'v1.10', 'latest'], version: '1.10.4', sizeBytes: 3_489_901 },
  { tags: ['v1.10.1'], version: '1.10.1', sizeBytes: 3_431_557 },
  { tags: ['v1.8.7', 'v1.8'], version: '1.8.7', sizeBytes: 3_205_212 },
];

const family = (repository: string, g = groups): ImageFamily => ({
  repository,
  config: { entrypoint: ['/whoami'], cmd: [], workingDir: '', env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], exposedPorts: ['80/tcp'] },
  groups: g,
  files: () => ({ '/whoami': exe('whoami-server'), '/tmp': { kind: 'dir', mode: 0o1777 } }),
  programs: { 'whoami-server': whoami },
});

export const traefikWhoami = family('docker.io/traefik/whoami');
export const containousWhoami = family('docker.io/containous/whoami', [{ tags: ['v1.5.0', 'latest'], version: '1.5.0', sizeBytes: 3_116_420 }]);
