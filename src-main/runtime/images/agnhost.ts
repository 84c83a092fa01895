/**
 * registry.k8s.io/e2e-test-images/agnhost: Kubernetes' e2e "Swiss army knife" (the Hello
 * Minikube tutorial runs `/agnhost netexec --http-port=8080`). ENTRYPOINT `/agnhost`, CMD
 * `pause`; a busybox userland. Subcommands simulated:
 * - `netexec [--http-port=8080] [--udp-port=8081]`: `/` → `NOW: <Go time>`, `/hostname`,
 *   `/clientip` (ip:port), `/echo?msg=`, `/header?key=`, `/healthz`, `/exit?code=` (exits), other
 *   paths 404 `404 page not found`; klog lines `Started HTTP server on port 8080` and one per request.
 * - `serve-hostname [--port=9376]`: answers the hostname.
 * - `liveness`: `/healthz` 200 for 10 s, then 500 `error: <seconds>` (probe demos).
 * - `pause`: prints `Paused`, exits 0 on SIGTERM/SIGINT.
 * Other subcommands print agnhost's `unknown command` error (exit 1).
 */
import type { ImageFamily } from './types';
import { DEFAULT_PATH, exe } from './types';
import { busyboxUserland } from './os';
import type { HttpResponse, ProcessContext } from '../program';
import { formatDate } from '../tools/system';
import { goRemoteAddr } from './demo-http';

/** klog's header: `I1123 10:00:00.000000       1 log.go:195] `. */
function klog(ctx: ProcessContext, msg: string): void {
  const ms = ctx.host.clock.now();
  ctx.stderr.write(`I${formatDate(ms, '%m%d %H:%M:%S')}.${String((ms % 1000) * 1000).padStart(6, '0')}       1 log.go:195] ${msg}\n`);
}

function flag(args: string[], name: string, fallback: string): string {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === `--${name}` || a === `-${name}`) return args[i + 1] ?? fallback;
    if (a.startsWith(`--${name}=`) || a.startsWith(`-${name}=`)) return a.slice(a.indexOf('=') + 1);
  }
  return fallback;
}

/** Go's `time.Now().String()`. */
function goNow(ctx: ProcessContext, startedAt: number): string {
  const ms = ctx.host.clock.now();
  const mono = ((ms - startedAt) / 1000).toFixed(9);
  return `${formatDate(ms, '%Y-%m-%d %H:%M:%S')}.${String(ms % 1000).padStart(3, '0')}000000 +0000 UTC m=+${mono}`;
}

const TEXT = { 'Content-Type': 'text/plain; charset=utf-8' };
const notFound: HttpResponse = { status: 404, headers: { ...TEXT, 'X-Content-Type-Options': 'nosniff' }, body: '404 page not found\n' };

async function netexec(ctx: ProcessContext, args: string[]): Promise<number> {
  const httpPort = Number(flag(args, 'http-port', '8080'));
  const udpPort = Number(flag(args, 'udp-port', '8081'));
  const startedAt = ctx.host.clock.now();
  ctx.host.allocate(6_000_000);
  let exit!: (code: number) => void;
  const exited = new Promise<number>((r) => (exit = r));
  ctx.host.listen(httpPort, 'TCP', {
    address: '::',
    pid: ctx.pid,
    http: (req) => {
      const [path, qs] = [req.path.split('?')[0]!, new URLSearchParams(req.path.includes('?') ? req.path.slice(req.path.indexOf('?') + 1) : '')];
      klog(ctx, `${req.method} ${req.path}`);
      switch (path) {
        case '/':
          return { status: 200, headers: TEXT, body: `NOW: ${goNow(ctx, startedAt)}` };
        case '/hostname':
          return { status: 200, headers: TEXT, body: ctx.host.hostname };
        case '/clientip':
          return { status: 200, headers: TEXT, body: goRemoteAddr(req) };
        case '/echo':
          return { status: 200, headers: TEXT, body: qs.get('msg') ?? '' };
        case '/header':
          return { status: 200, headers: TEXT, body: req.headers[(qs.get('key') ?? '').toLowerCase()] ?? '' };
        case '/healthz':
          return { status: 200, body: '' };
        case '/exit': {
          const code = Number(qs.get('code') ?? 0);
          klog(ctx, `Exiting with code ${code}`);
          setTimeout(() => exit(code), 0).unref?.();
          return { status: 200, body: '' };
        }
        default:
          return notFound;
      }
    },
  });
  klog(ctx, `Started HTTP server on port ${httpPort}`);
  if (udpPort > 0) klog(ctx, `Started UDP server on port  ${udpPort}`);
  return Promise.race([exited, ctx.host.forever()]);
}

async function serveHostname(ctx: ProcessContext, args: string[]): Promise<number> {
  const port = Number(flag(args, 'port', '9376'));
  ctx.host.allocate(4_000_000);
  ctx.stdout.write(`Serving on port ${port}.\n`);
  ctx.host.listen(port, 'TCP', { address: '::', pid: ctx.pid, http: () => ({ status: 200, headers: TEXT, body: ctx.host.hostname }) });
  return ctx.host.forever();
}

async function liveness(ctx: ProcessContext): Promise<number> {
  const started = ctx.host.clock.now();
  ctx.host.allocate(4_000_000);
  ctx.host.listen(8080, 'TCP', {
    address: '::',
    pid: ctx.pid,
    http: (req) => {
      const path = req.path.split('?')[0];
      if (path === '/started') return { status: 200, headers: TEXT, body: String(started) };
      if (path !== '/healthz') return notFound;
      const secs = (ctx.host.clock.now() - started) / 1000;
      return secs > 10 ? { status: 500, headers: TEXT, body: `error: ${secs.toFixed(6)}` } : { status: 200, headers: TEXT, body: 'ok' };
    },
  });
  return ctx.host.forever();
}

async function pause(ctx: ProcessContext): Promise<number> {
  ctx.stdout.write('Paused\n');
  let stop!: (s: string) => void;
  const stopped = new Promise<string>((r) => (stop = r));
  ctx.host.onSignal('SIGTERM', () => stop('terminated'));
  ctx.host.onSignal('SIGINT', () => stop('interrupt'));
  const sig = await Promise.race([stopped, ctx.host.forever()]);
  ctx.stdout.write(`Signal received: ${sig}\n`);
  return 0;
}

async function agnhost(ctx: ProcessContext): Promise<number> {
  const [sub, ...args] = ctx.argv.slice(1);
  switch (sub) {
    case 'netexec':
      return netexec(ctx, args);
    case 'serve-hostname':
      return serveHostname(ctx, args);
    case 'liveness':
      return liveness(ctx);
    case 'pause':
      return pause(ctx);
    case undefined:
      ctx.stdout.write('Usage:\n  app [command]\n\nAvailable Commands:\n  netexec        Creates HTTP(S), UDP, and (optionally) SCTP servers with various endpoints\n  pause          Pauses the execution\n  serve-hostname Serves the hostname\n  liveness       Starts a server that fails after 10 seconds\n\nUse "app [command] --help" for more information about a command.\n');
      return 0;
    default:
      ctx.stderr.write(`Error: unknown command "${sub}" for "app"\nRun 'app --help' for usage.\n`);
      return 1;
  }
}

export const agnhostImage: ImageFamily = {
  repository: 'registry.k8s.io/e2e-test-images/agnhost',
  config: { entrypoint: ['/agnhost'], cmd: ['pause'], workingDir: '', env: [DEFAULT_PATH], exposedPorts: ['80/tcp', '8080/tcp', '8081/udp'] },
  groups: [
    { tags: ['2.53'], version: '2.53', sizeBytes: 52_410_117 },
    { tags: ['2.52'], version: '2.52', sizeBytes: 52_338_912 },
    { tags: ['2.48'], version: '2.48', sizeBytes: 51_297_220 },
    { tags: ['2.47'], version: '2.47', sizeBytes: 51_016_391 },
    { tags: ['2.45'], version: '2.45', sizeBytes: 50_981_503 },
    { tags: ['2.43'], version: '2.43', sizeBytes: 50_912_480 },
    { tags: ['2.40'], version: '2.40', sizeBytes: 50_720_116 },
    { tags: ['2.39'], version: '2.39', sizeBytes: 50_692_337 },
  ],
  files: () => ({ ...busyboxUserland(), '/etc/busybox-version': '1.36.1\n', '/agnhost': exe('agnhost') }),
  programs: { agnhost },
};
