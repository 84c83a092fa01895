/**
 * Echo servers from the minikube and ingress guides:
 * - jmalloc/echo-server and its minikube mirror kicbase/echo-server (`kubectl create deployment
 *   hello-minikube --image=kicbase/echo-server:1.0`): Go, port `$PORT` (8080), logs `Echo server
 *   listening on port 8080.`; answers `Request served by <hostname>`, a blank line, the request
 *   line, a blank line, `Host:` and the other headers sorted (Go canonical names), then the body.
 * - ealen/echo-server: node (express), port `$PORT` (80), logs `Listening on port 80.`; answers
 *   JSON `{host, http, request, environment}`; `?echo_code=404`, `?echo_body=…`,
 *   `?echo_header=Name:Value`, `?echo_env_body=VAR` as the real one.
 */
import type { ImageFamily } from './types';
import { DEFAULT_PATH, exe } from './types';
import { busyboxUserland } from './os';
import type { HttpRequest, HttpResponse, ProcessContext } from '../program';
import { canonicalHeader, requestLine } from './demo-http';

/** jmalloc/echo-server's text answer. */
export function jmallocAnswer(req: HttpRequest, hostname: string): string {
  const headers = Object.keys(req.headers)
    .filter((k) => k !== 'host')
    .map(canonicalHeader)
    .sort()
    .map((k) => `${k}: ${req.headers[k.toLowerCase()]}\n`)
    .join('');
  return `Request served by ${hostname}\n\n${requestLine(req)}\n\nHost: ${req.headers.host ?? ''}\n${headers}${req.body ? `\n${req.body}` : ''}`;
}

async function jmalloc(ctx: ProcessContext): Promise<number> {
  const port = Number(ctx.env.get('PORT') || 8080);
  ctx.host.allocate(3_100_000);
  ctx.stdout.write(`Echo server listening on port ${port}.\n`);
  ctx.host.listen(port, 'TCP', {
    address: '::',
    pid: ctx.pid,
    http: (req) => ({ status: 200, headers: { 'Content-Type': 'text/plain' }, body: jmallocAnswer(req, ctx.host.hostname) }),
  });
  return ctx.host.forever();
}

const jmallocFamily = (repository: string, groups: ImageFamily['groups']): ImageFamily => ({
  repository,
  config: { entrypoint: ['/bin/echo-server'], cmd: [], workingDir: '', env: [DEFAULT_PATH], exposedPorts: ['8080/tcp'] },
  groups,
  files: () => ({ '/bin/echo-server': exe('jmalloc-echo-server'), '/tmp': { kind: 'dir', mode: 0o1777 } }),
  programs: { 'jmalloc-echo-server': jmalloc },
});

export const kicbaseEchoServer = jmallocFamily('docker.io/kicbase/echo-server', [{ tags: ['1.0', 'latest'], version: '0.3.1', sizeBytes: 2_401_118 }]);
export const jmallocEchoServer = jmallocFamily('docker.io/jmalloc/echo-server', [
  { tags: ['v0.3.7', 'latest'], version: '0.3.7', sizeBytes: 3_318_471 },
  { tags: ['0.3.6', 'v0.3.6'], version: '0.3.6', sizeBytes: 3_310_902 },
]);

/** ealen/echo-server's JSON answer (and its query-string controls). */
export function ealenAnswer(req: HttpRequest, ctx: { hostname: string; env: Map<string, string> }): HttpResponse {
  const q = new URLSearchParams(req.path.includes('?') ? req.path.slice(req.path.indexOf('?') + 1) : '');
  const path = req.path.split('?')[0]!;
  const headers: Record<string, string> = { 'Content-Type': 'application/json; charset=utf-8' };
  const extra = q.get('echo_header');
  if (extra) for (const h of extra.split(',')) if (h.includes(':')) headers[h.slice(0, h.indexOf(':')).trim()] = h.slice(h.indexOf(':') + 1).trim();
  const status = Number(q.get('echo_code')) || 200;
  const envBody = q.get('echo_env_body');
  if (envBody) return { status, headers, body: JSON.stringify(ctx.env.get(envBody) ?? '') };
  const echoBody = q.get('echo_body');
  if (echoBody !== null) return { status, headers, body: JSON.stringify(echoBody) };
  let body: unknown = {};
  if (req.body) {
    try {
      body = JSON.parse(req.body);
    } catch {
      body = req.body;
    }
  }
  const query: Record<string, string> = {};
  for (const [k, v] of q) query[k] = v;
  const hostHeader = req.headers.host ?? '';
  const doc = {
    host: { hostname: hostHeader.split(':')[0], ip: req.remoteAddress, ips: [] },
    http: { method: req.method, baseUrl: '', originalUrl: req.path, protocol: 'http' },
    request: { params: { '0': path }, query, cookies: {}, body, headers: req.headers },
    environment: Object.fromEntries([...ctx.env].sort(([a], [b]) => a.localeCompare(b))),
  };
  return { status, headers, body: JSON.stringify(doc) };
}

async function ealen(ctx: ProcessContext): Promise<number> {
  const port = Number(ctx.env.get('PORT') || 80);
  ctx.host.allocate(38_000_000);
  ctx.stdout.write(`Listening on port ${port}.\n`);
  ctx.host.listen(port, 'TCP', { address: '::', pid: ctx.pid, http: (req) => ealenAnswer(req, { hostname: ctx.host.hostname, env: ctx.env }) });
  return ctx.host.forever();
}

export const ealenEchoServer: ImageFamily = {
  repository: 'docker.io/ealen/echo-server',
  config: { entrypoint: ['node', 'webserver'], cmd: [], workingDir: '/app', env: [DEFAULT_PATH, 'NODE_VERSION=20.11.1', 'YARN_VERSION=1.22.19', 'PORT=80', 'LOGS__IGNORE__PING=false', 'HOST=0.0.0.0'], exposedPorts: ['80/tcp'] },
  groups: [
    { tags: ['0.9.2', 'latest'], version: '0.9.2', sizeBytes: 59_218_442 },
    { tags: ['0.8.12'], version: '0.8.12', sizeBytes: 57_613_027 },
  ],
  files: () => ({ ...busyboxUserland(), '/usr/local/bin/node': exe('ealen-node'), '/app/webserver.js': "// ealen/echo-server (simulated by kubesim)\n" }),
  programs: { 'ealen-node': ealen },
};
