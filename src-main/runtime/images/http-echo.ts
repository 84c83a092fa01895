/**
 * hashicorp/http-echo: a Go server answering every path with `-text` plus a newline (ingress and
 * service guides). `-listen` (default `:5678`), `-status-code` (1.0), `ECHO_TEXT` (1.0),
 * `/health` → `{"status":"ok"}`. 1.0 logs `[INFO] server is listening on :5678` and one line per
 * request (`<host> <client:port> "GET / HTTP/1.1" 200 6 "curl/8.5.0" 12.3µs`); 0.2.3 logs
 * `Server is listening on :5678` and the same request lines. Without any text it exits 127 with
 * `Missing -text option!`. A scratch image: no shell.
 */
import type { ImageFamily } from './types';
import { exe } from './types';
import type { ProcessContext } from '../program';
import { goLogTime, goRemoteAddr, requestLine } from './demo-http';

/** Go's flag package: `-name value`, `-name=value`, `--name=value`. */
function flags(argv: string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const f = /^--?([\w-]+)(?:=(.*))?$/s.exec(a);
    if (!f) continue;
    if (f[2] !== undefined) m.set(f[1]!, f[2]);
    else if (f[1] === 'version') m.set('version', 'true');
    else m.set(f[1]!, argv[++i] ?? '');
  }
  return m;
}

async function httpEcho(ctx: ProcessContext): Promise<number> {
  const version = ctx.host.fs.readFile('/etc/http-echo-version').trim();
  const modern = version !== '0.2.3';
  const f = flags(ctx.argv.slice(1));
  if (f.has('version')) {
    ctx.stdout.write(`http-echo v${version}\n`);
    return 0;
  }
  const text = f.get('text') ?? (modern ? ctx.env.get('ECHO_TEXT') : undefined) ?? '';
  if (text === '') {
    ctx.stderr.write(modern ? `${goLogTime(ctx)} [ERR] Missing -text option!\n` : 'Missing -text option!\n');
    return 127;
  }
  const listen = f.get('listen') ?? ':5678';
  const port = Number(listen.slice(listen.lastIndexOf(':') + 1));
  const status = Number(f.get('status-code') ?? 200) || 200;
  ctx.host.allocate(2_600_000);
  ctx.stdout.write(`${goLogTime(ctx)} ${modern ? '[INFO] server is' : 'Server is'} listening on ${listen}\n`);
  const headers = (type: string) => ({ 'Content-Type': type, ...(modern ? { 'X-App-Name': 'http-echo', 'X-App-Version': version } : {}) });
  ctx.host.listen(port, 'TCP', {
    address: '::',
    pid: ctx.pid,
    http: (req) => {
      const health = req.path.split('?')[0] === '/health';
      const body = health ? '{"status":"ok"}' : `${text}\n`;
      const code = health ? 200 : status;
      const micros = (5 + Math.random() * 20).toFixed(3).replace(/0+$/, '').replace(/\.$/, '');
      ctx.stdout.write(`${goLogTime(ctx)} ${req.headers.host ?? ''} ${goRemoteAddr(req)} "${requestLine(req)}" ${code} ${Buffer.byteLength(body)} "${req.headers['user-agent'] ?? ''}" ${micros}µs\n`);
      return { status: code, headers: headers(health ? 'application/json' : 'text/plain; charset=utf-8'), body };
    },
  });
  return ctx.host.forever();
}

export const httpEchoImage: ImageFamily = {
  repository: 'docker.io/hashicorp/http-echo',
  config: { entrypoint: ['/http-echo'], cmd: [], workingDir: '', env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], exposedPorts: ['5678/tcp'] },
  groups: [
    { tags: ['1.0.0', '1.0', 'latest'], version: '1.0.0', sizeBytes: 3_361_234 },
    { tags: ['0.2.3', 'alpine'], version: '0.2.3', sizeBytes: 2_434_118 },
  ],
  files: (group) => ({ '/http-echo': exe('http-echo'), '/etc/http-echo-version': `${group.version}\n`, '/tmp': { kind: 'dir', mode: 0o1777 } }),
  programs: { 'http-echo': httpEcho },
};
