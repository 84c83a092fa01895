/**
 * stefanprodan/podinfo (ghcr.io and docker.io): the Go microservice of Flux/Flagger/Helm guides.
 * `./podinfo --port=9898 --port-metrics=9797 …`; zap JSON logs (`Starting podinfo`, `Starting
 * HTTP Server`). `/` answers the runtime JSON (hostname, version, color, message from
 * PODINFO_UI_MESSAGE / PODINFO_UI_COLOR, goos, num_cpu…), `/version`, `/healthz` and `/readyz`
 * (`{"status":"OK"}`), `/env`, `/headers`, `/status/{code}`, `/echo` (POST echoes the body),
 * `/delay/{s}` (waits on the cluster clock); `/metrics` on 9797 (a few Prometheus lines).
 */
import type { ImageFamily } from './types';
import { DEFAULT_PATH, exe } from './types';
import { busyboxUserland } from './os';
import type { HttpResponse, ProcessContext } from '../program';

const JSON_TYPE = { 'Content-Type': 'application/json; charset=utf-8' };

function zap(ctx: ProcessContext, msg: string, fields: Record<string, string>): void {
  const ts = new Date(ctx.host.clock.now()).toISOString();
  ctx.stdout.write(JSON.stringify({ level: 'info', ts, caller: 'podinfo/main.go:153', msg, ...fields }) + '\n');
}

function flag(args: string[], name: string, fallback: string): string {
  const a = args.find((x) => x.startsWith(`--${name}=`));
  if (a) return a.slice(name.length + 3);
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] ?? fallback : fallback;
}

const pretty = (v: unknown) => JSON.stringify(v, null, 2);

async function podinfo(ctx: ProcessContext): Promise<number> {
  const version = ctx.host.fs.readFile('/etc/podinfo-version').trim();
  const args = ctx.argv.slice(1);
  const port = Number(flag(args, 'port', ctx.env.get('PODINFO_PORT') ?? '9898'));
  const metricsPort = Number(flag(args, 'port-metrics', '0'));
  const revision = '4892983fd12e3ff2a2cbe0d9f28b8e3c6a2c3f5e';
  const color = ctx.env.get('PODINFO_UI_COLOR') ?? '#34577c';
  const message = ctx.env.get('PODINFO_UI_MESSAGE') ?? `greetings from podinfo v${version}`;
  ctx.host.allocate(14_000_000);
  zap(ctx, 'Starting podinfo', { version, revision, port: String(port) });
  let requests = 0;
  const info = () => ({
    hostname: ctx.host.hostname,
    version,
    revision,
    color,
    logo: 'https://raw.githubusercontent.com/stefanprodan/podinfo/gh-pages/cuddle_clap.gif',
    message,
    goos: 'linux',
    goarch: 'amd64',
    runtime: 'go1.24.4',
    num_goroutine: '8',
    num_cpu: '2',
  });
  ctx.host.listen(port, 'TCP', {
    address: '::',
    pid: ctx.pid,
    http: async (req): Promise<HttpResponse> => {
      requests++;
      const path = req.path.split('?')[0]!;
      const ok = (v: unknown): HttpResponse => ({ status: 200, headers: JSON_TYPE, body: pretty(v) });
      if (path === '/' || path === '/api/info') return ok(info());
      if (path === '/version') return ok({ commit: revision, version });
      if (path === '/healthz' || path === '/readyz') return ok({ status: 'OK' });
      if (path === '/env' || path === '/api/env') return ok([...ctx.env].map(([k, v]) => `${k}=${v}`));
      if (path === '/headers') {
        const h: Record<string, string[]> = {};
        for (const [k, v] of Object.entries(req.headers)) h[k.replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase())] = [v];
        return ok(h);
      }
      if (path === '/echo' || path === '/api/echo') return { status: 202, headers: JSON_TYPE, body: req.body ?? '' };
      const status = /^\/status\/(\d{3})$/.exec(path);
      if (status) return { status: Number(status[1]), headers: JSON_TYPE, body: pretty({ status: status[1] }) };
      const delay = /^\/delay\/(\d+)$/.exec(path);
      if (delay) {
        await ctx.host.sleep(Number(delay[1]) * 1000);
        return ok({ delay: Number(delay[1]) });
      }
      return { status: 404, headers: JSON_TYPE, body: pretty({ code: 404, message: 'Not found' }) };
    },
  });
  if (metricsPort > 0) {
    ctx.host.listen(metricsPort, 'TCP', {
      address: '::',
      pid: ctx.pid,
      http: () => ({
        status: 200,
        headers: { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' },
        body: `# HELP podinfo_info Podinfo version information\n# TYPE podinfo_info gauge\npodinfo_info{version="${version}"} 1\n# HELP http_requests_total Total HTTP requests served\n# TYPE http_requests_total counter\nhttp_requests_total ${requests}\n`,
      }),
    });
  }
  zap(ctx, 'Starting HTTP Server.', { addr: `:${port}` });
  return ctx.host.forever();
}

const groups = [
  { tags: ['6.9.2', 'latest'], version: '6.9.2', sizeBytes: 22_914_305 },
  { tags: ['6.7.1'], version: '6.7.1', sizeBytes: 21_802_114 },
  { tags: ['6.5.4'], version: '6.5.4', sizeBytes: 20_515_662 },
  { tags: ['6.0.0'], version: '6.0.0', sizeBytes: 19_230_878 },
];

const family = (repository: string): ImageFamily => ({
  repository,
  config: { entrypoint: ['./podinfo'], cmd: [], workingDir: '/home/app', env: [DEFAULT_PATH], exposedPorts: ['9898/tcp'] },
  groups,
  files: (group) => ({ ...busyboxUserland(), '/home/app/podinfo': exe('podinfo'), '/home/app/podcli': exe('podinfo'), '/etc/podinfo-version': `${group.version}\n` }),
  programs: { podinfo },
});

export const podinfoFamilies = ['ghcr.io/stefanprodan/podinfo', 'docker.io/stefanprodan/podinfo'].map(family);
