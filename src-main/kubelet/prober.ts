/**
 * A container's probes (pkg/kubelet/prober): startup, liveness and readiness, each on its own
 * clock timer (initialDelaySeconds, then every periodSeconds) only for containers that declare
 * them. exec runs in the container; httpGet is a real HTTP GET and tcpSocket a real connect over
 * the cluster network from the node (http-probe.ts); grpc connects and passes (no image serves
 * the gRPC health protocol). Without a network (bare unit tests) httpGet/tcpSocket ask the
 * program's listeners directly. Results move `started` and `ready`; a liveness or startup failure
 * past failureThreshold asks the pod worker to kill the container.
 */
import type { Clock, TimerHandle } from '../client/clock';
import type { ClusterNetwork } from '../network/types';
import type { ContainerProcess } from '../runtime/types';
import { execStartError } from './exec-errors';
import { httpProbe, tcpProbe, type Dial } from './http-probe';
import { KUBELET_VERSION } from './node-status';

export interface ProbeSpec {
  exec?: { command?: string[] };
  httpGet?: { path?: string; port?: number | string; host?: string; scheme?: string; httpHeaders?: { name: string; value: string }[] };
  tcpSocket?: { port?: number | string; host?: string };
  grpc?: { port?: number };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
  terminationGracePeriodSeconds?: number;
}

export type ProbeKind = 'Startup' | 'Liveness' | 'Readiness';

export interface ProberHost {
  clock: Clock;
  containerName: string;
  podIP?: string;
  /** The node's address on the pod network (where probes come from). */
  sourceIP: string;
  /** The cluster network (probes connect from `sourceIP`); absent: the program's listeners are asked directly. */
  network?: ClusterNetwork;
  ports: { name?: string; containerPort?: number }[];
  process: ContainerProcess;
  /** Whether the restart policy restarts this container after a kill. */
  restarts: boolean;
  event(type: 'Normal' | 'Warning', reason: string, message: string): void;
  /** `started` or `ready` changed. */
  changed(): void;
  /** A liveness/startup failure: stop the container with this grace period. */
  kill(graceSeconds: number): void;
  /** The pod's terminationGracePeriodSeconds. */
  podGraceSeconds: number;
}

export interface ProbeResult {
  ok: boolean;
  output: string;
  /** A success with a warning (a redirect to another host): a ProbeWarning event. */
  warning?: boolean;
  /** The probe could not run (upstream's `probe errored`), which counts as a failure. */
  errored?: boolean;
}

interface Loop {
  kind: ProbeKind;
  spec: ProbeSpec;
  timer?: TimerHandle;
  successes: number;
  failures: number;
}

const USER_AGENT = `kube-probe/${KUBELET_VERSION.replace(/^v(\d+\.\d+).*$/, '$1')}`;

function resolvePort(port: number | string | undefined, ports: ProberHost['ports']): number | undefined {
  if (typeof port === 'number') return port;
  if (typeof port === 'string' && /^\d+$/.test(port)) return Number(port);
  return ports.find((p) => p.name === port)?.containerPort;
}

/** Runs one probe once. */
export async function runProbe(spec: ProbeSpec, host: ProberHost): Promise<ProbeResult> {
  const ip = host.podIP ?? '';
  const timeoutMs = Math.max(1, spec.timeoutSeconds ?? 1) * 1000;
  if (spec.exec) {
    const exec = host.process.exec;
    if (!exec) return { ok: true, output: '' };
    let out = '';
    const io = { stdout: (c: string) => (out += c), stderr: (c: string) => (out += c) };
    const code = await withTimeout(exec.call(host.process, spec.exec.command ?? [], io), timeoutMs, host.clock);
    if (code === 'timeout') return { ok: false, output: `command ${JSON.stringify((spec.exec.command ?? []).join(' '))} timed out` };
    // The runtime could not start the command: the CRI call fails (an error, not an exit code).
    if (code === 127 && out.includes('OCI runtime exec failed')) return { ok: false, errored: true, output: `rpc error: code = Unknown desc = ${execStartError(out)}` };
    return { ok: code === 0, output: out };
  }
  if (host.network && (spec.httpGet || spec.tcpSocket || spec.grpc)) return networkProbe(spec, host, host.network, timeoutMs);
  if (spec.httpGet) {
    const g = spec.httpGet;
    const port = resolvePort(g.port, host.ports);
    const scheme = (g.scheme ?? 'HTTP').toLowerCase();
    const path = g.path ? (g.path.startsWith('/') ? g.path : `/${g.path}`) : '/';
    const url = `${scheme}://${g.host ?? ip}:${port ?? g.port}${path}`;
    const listener = port === undefined ? undefined : host.process.listeners?.().find((l) => l.port === port && l.protocol === 'TCP');
    if (!listener) return { ok: false, output: `Get "${url}": dial tcp ${g.host ?? ip}:${port ?? g.port}: connect: connection refused` };
    if (!listener.http) return { ok: false, output: `Get "${url}": net/http: HTTP/1.x transport connection broken: malformed HTTP response` };
    const headers: Record<string, string> = { host: `${g.host ?? ip}:${port}`, 'user-agent': USER_AGENT, accept: '*/*', connection: 'close' };
    for (const h of g.httpHeaders ?? []) headers[h.name.toLowerCase()] = h.value;
    try {
      const res = await withTimeout(Promise.resolve(listener.http({ method: 'GET', path, headers, remoteAddress: host.sourceIP, httpVersion: '1.1' })), timeoutMs, host.clock);
      if (res === 'timeout') return { ok: false, output: `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` };
      if (res.status >= 200 && res.status < 400) return { ok: true, output: '' };
      return { ok: false, output: `HTTP probe failed with statuscode: ${res.status}` };
    } catch {
      return { ok: false, output: `Get "${url}": EOF` };
    }
  }
  if (spec.tcpSocket) {
    const port = resolvePort(spec.tcpSocket.port, host.ports);
    const listening = port !== undefined && (host.process.listeners?.() ?? []).some((l) => l.port === port && l.protocol === 'TCP');
    return listening ? { ok: true, output: '' } : { ok: false, output: `dial tcp ${spec.tcpSocket.host ?? ip}:${port ?? spec.tcpSocket.port}: connect: connection refused` };
  }
  // gRPC health servers are not simulated: the probe passes.
  return { ok: true, output: '' };
}

/** httpGet, tcpSocket and grpc over the cluster network, from the node. */
async function networkProbe(spec: ProbeSpec, host: ProberHost, network: ClusterNetwork, timeoutMs: number): Promise<ProbeResult> {
  const ip = host.podIP ?? '';
  const dial: Dial = (h, p) => network.connectFromNode(host.sourceIP, h, p);
  if (spec.httpGet) {
    const g = spec.httpGet;
    const port = resolvePort(g.port, host.ports);
    const target = g.host || ip;
    if (port === undefined) return { ok: false, errored: true, output: `couldn't find port: ${String(g.port ?? '')} in ${host.containerName}` };
    const scheme = (g.scheme ?? 'HTTP').toUpperCase() === 'HTTPS' ? 'https' : 'http';
    const path = g.path ? (g.path.startsWith('/') ? g.path : `/${g.path}`) : '/';
    const r = await httpProbe({ scheme, host: target, port, path, headers: g.httpHeaders ?? [], timeoutMs, userAgent: USER_AGENT }, dial, host.clock);
    return { ok: r.result !== 'failure', warning: r.result === 'warning', output: r.output };
  }
  if (spec.tcpSocket) {
    const port = resolvePort(spec.tcpSocket.port, host.ports);
    if (port === undefined) return { ok: false, errored: true, output: `couldn't find port: ${String(spec.tcpSocket.port ?? '')} in ${host.containerName}` };
    const r = await tcpProbe(dial, spec.tcpSocket.host || ip, port, timeoutMs, host.clock);
    return { ok: r.result === 'success', output: r.output };
  }
  // gRPC: the health service itself is not simulated; a server that accepts the connection passes.
  const port = spec.grpc?.port ?? 0;
  const r = await tcpProbe(dial, ip, port, timeoutMs, host.clock);
  if (r.result === 'success') return { ok: true, output: '' };
  return { ok: false, output: `timeout: failed to connect service ${JSON.stringify(`${ip}:${port}`)} within ${timeoutMs / 1000}s: context deadline exceeded` };
}

function withTimeout<T>(p: Promise<T>, ms: number, clock: Clock): Promise<T | 'timeout'> {
  return new Promise((resolve, reject) => {
    const t = clock.setTimeout(() => resolve('timeout'), ms);
    p.then(
      (v) => {
        clock.clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clock.clearTimeout(t);
        reject(e);
      },
    );
  });
}

export class ContainerProber {
  /** startupProbe passed (true without one). */
  started: boolean;
  /** readinessProbe passed (true without one, once started). */
  private readyProbe: boolean;
  private readonly loops: Loop[] = [];
  private stopped = false;

  constructor(
    specs: { startupProbe?: ProbeSpec; livenessProbe?: ProbeSpec; readinessProbe?: ProbeSpec },
    private readonly host: ProberHost,
  ) {
    this.started = !specs.startupProbe;
    this.readyProbe = !specs.readinessProbe;
    if (specs.startupProbe) this.loops.push({ kind: 'Startup', spec: specs.startupProbe, successes: 0, failures: 0 });
    if (specs.livenessProbe) this.loops.push({ kind: 'Liveness', spec: specs.livenessProbe, successes: 0, failures: 0 });
    if (specs.readinessProbe) this.loops.push({ kind: 'Readiness', spec: specs.readinessProbe, successes: 0, failures: 0 });
  }

  get ready(): boolean {
    return this.started && this.readyProbe;
  }

  static needed(specs: { startupProbe?: unknown; livenessProbe?: unknown; readinessProbe?: unknown }): boolean {
    return !!(specs.startupProbe || specs.livenessProbe || specs.readinessProbe);
  }

  start(): void {
    for (const l of this.loops) this.schedule(l, (l.spec.initialDelaySeconds ?? 0) * 1000);
  }

  stop(): void {
    this.stopped = true;
    for (const l of this.loops) if (l.timer !== undefined) this.host.clock.clearTimeout(l.timer);
  }

  private schedule(l: Loop, ms: number): void {
    if (this.stopped) return;
    l.timer = this.host.clock.setTimeout(() => {
      l.timer = undefined;
      void this.tick(l);
    }, ms);
  }

  private async tick(l: Loop): Promise<void> {
    if (this.stopped) return;
    const period = Math.max(1, l.spec.periodSeconds ?? 10) * 1000;
    // Liveness and readiness wait for the startup probe; startup stops once it passed.
    if (l.kind === 'Startup' && this.started) return;
    if (l.kind !== 'Startup' && !this.started) {
      this.schedule(l, period);
      return;
    }
    let r: ProbeResult;
    try {
      r = await runProbe(l.spec, this.host);
    } catch (e) {
      r = { ok: false, output: e instanceof Error ? e.message : String(e) };
    }
    if (this.stopped) return;
    if (r.ok) {
      if (r.warning) this.host.event('Warning', 'ProbeWarning', `${l.kind} probe warning: ${r.output}`);
      l.failures = 0;
      l.successes++;
      if (l.successes >= (l.kind === 'Readiness' ? l.spec.successThreshold ?? 1 : 1)) this.passed(l);
    } else {
      l.successes = 0;
      l.failures++;
      this.host.event('Warning', 'Unhealthy', `${l.kind} probe ${r.errored ? 'errored' : 'failed'}: ${r.output}`);
      if (l.failures >= (l.spec.failureThreshold ?? 3)) {
        if (this.failed(l)) return;
      }
    }
    if (l.kind === 'Startup' && this.started) return;
    this.schedule(l, period);
  }

  private passed(l: Loop): void {
    if (l.kind === 'Startup' && !this.started) {
      this.started = true;
      this.host.changed();
      // Liveness/readiness start now rather than a period later.
      for (const o of this.loops) {
        if (o === l || o.timer === undefined) continue;
        this.host.clock.clearTimeout(o.timer);
        this.schedule(o, 0);
      }
    } else if (l.kind === 'Readiness' && !this.readyProbe) {
      this.readyProbe = true;
      this.host.changed();
    }
  }

  /** True when the container is being killed (the prober stops). */
  private failed(l: Loop): boolean {
    if (l.kind === 'Readiness') {
      if (this.readyProbe) {
        this.readyProbe = false;
        this.host.changed();
      }
      return false;
    }
    const what = l.kind === 'Startup' ? 'startup' : 'liveness';
    this.host.event('Normal', 'Killing', `Container ${this.host.containerName} failed ${what} probe${this.host.restarts ? ', will be restarted' : ''}`);
    this.stop();
    this.host.kill(l.spec.terminationGracePeriodSeconds ?? this.host.podGraceSeconds);
    return true;
  }
}
