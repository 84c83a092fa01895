/**
 * The UI's port-forwards: what `kubectl port-forward pod/x 8080:80` (or `svc/x`) does, run by the
 * cluster process. Each forward is a real TCP listener on 127.0.0.1 (the chosen port, or a free
 * one) and one `pods/portforward` SPDY session opened in-process through the API server's
 * streaming upgrade handler (port-forwards-tunnel.ts); every accepted connection becomes an
 * error+data stream pair on it, exactly as kubectl's. The pod and pod port are resolved as
 * kubectl does (port-forwards-resolve.ts). A session that ended is reopened on the next
 * connection; for a service, a failed connection (its pod gone) also makes the next one choose
 * the pod again (kubectl would exit instead). Everything stops with the gateway.
 */
import net, { type Server, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { ApiHandler } from '../apiserver/types';
import type { StreamingUpgradeHandler } from '../apiserver/streaming/upgrade';
import type { SpdySession } from '../apiserver/streaming/spdy/session';
import type { UserInfo } from '../api/types';
import { StatusError, invalid } from '../api/errors';
import type { FieldError } from '../api/field-errors';
import { resolveForwardTarget, type ForwardResource, type ForwardTarget } from './port-forwards-resolve';
import { openForwardStreams, openPortForwardSession } from './port-forwards-tunnel';

export const FORWARD_ADDRESS = '127.0.0.1';

export interface PortForwardSpec {
  namespace: string;
  resource: ForwardResource;
  name: string;
  /** The remote port: a pod's container port (number or name), or a service port (number or name). */
  port: number | string;
  /** 0 or absent: a free port. */
  localPort?: number;
}

/** One active forward as the UI API lists it. */
export interface PortForwardInfo {
  id: string;
  namespace: string;
  resource: ForwardResource;
  name: string;
  port: number | string;
  /** The pod the connections reach, and the port inside it. */
  pod: string;
  podPort: number;
  address: string;
  localPort: number;
  /** `http://127.0.0.1:<localPort>` */
  url: string;
  startedAt: string;
  activeConnections: number;
  totalConnections: number;
  /** The last forwarding error (kubectl prints these as `an error occurred forwarding …`). */
  lastError?: { message: string; time: string };
}

export interface PortForwardsOptions {
  handler: ApiHandler;
  user: UserInfo;
  /** The API server's streaming upgrades: without them no forward can start. */
  upgrade?: StreamingUpgradeHandler;
  log?: (line: string) => void;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** The body of POST /ui/port-forwards → a spec, or 422 Invalid with one cause per bad field. */
export function parsePortForwardSpec(body: unknown): PortForwardSpec {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const errs: FieldError[] = [];
  const namespace = str(b.namespace);
  if (!namespace) errs.push({ type: 'FieldValueRequired', field: 'namespace' });
  const resource = b.resource;
  if (resource !== 'pods' && resource !== 'services') errs.push({ type: 'FieldValueNotSupported', field: 'resource', badValue: resource ?? '', supported: ['pods', 'services'] });
  const name = str(b.name);
  if (!name) errs.push({ type: 'FieldValueRequired', field: 'name' });
  let port: number | string | undefined;
  if (typeof b.port === 'number') port = b.port;
  else if (typeof b.port === 'string' && b.port.trim() !== '') port = /^\d+$/.test(b.port.trim()) ? Number(b.port.trim()) : b.port.trim();
  if (port === undefined) errs.push({ type: 'FieldValueRequired', field: 'port' });
  else if (typeof port === 'number' && !(Number.isInteger(port) && port >= 1 && port <= 65535)) errs.push({ type: 'FieldValueInvalid', field: 'port', badValue: port, detail: 'must be between 1 and 65535, inclusive' });
  let localPort: number | undefined;
  if (b.localPort !== undefined && b.localPort !== null && b.localPort !== '') {
    localPort = typeof b.localPort === 'string' && /^\d+$/.test(b.localPort.trim()) ? Number(b.localPort.trim()) : (b.localPort as number);
    if (!(typeof localPort === 'number' && Number.isInteger(localPort) && localPort >= 0 && localPort <= 65535)) {
      errs.push({ type: 'FieldValueInvalid', field: 'localPort', badValue: b.localPort, detail: 'must be between 0 and 65535, inclusive (0 or empty picks a free port)' });
    }
  }
  const label = `${resource === 'services' ? 'svc' : 'pod'}/${name ?? ''}`;
  if (errs.length) throw invalid('', 'PortForward', label, errs);
  return { namespace: namespace!, resource: resource as ForwardResource, name: name!, port: port!, localPort };
}

function listenError(e: NodeJS.ErrnoException, port: number): StatusError {
  if (e.code === 'EADDRINUSE') {
    return new StatusError(409, 'Conflict', `unable to listen on port ${port}: ${FORWARD_ADDRESS}:${port} is already in use (by another program or port-forward); choose another local port, or leave it empty to pick a free one`);
  }
  if (e.code === 'EACCES') return new StatusError(403, 'Forbidden', `unable to listen on port ${port}: permission denied (ports below 1024 need privileges); choose a port from 1024 up`);
  return new StatusError(500, 'InternalError', `unable to listen on port ${port}: ${e.message}`);
}

class Forward {
  readonly id = randomBytes(6).toString('hex');
  readonly startedAt = new Date().toISOString();
  readonly sockets = new Set<Socket>();
  server?: Server;
  localPort = 0;
  total = 0;
  lastError?: { message: string; time: string };
  private session?: SpdySession;
  private opening?: Promise<SpdySession>;
  private requestId = 0;
  private stopped = false;

  constructor(
    readonly spec: PortForwardSpec,
    public target: ForwardTarget,
    private readonly opts: PortForwardsOptions & { upgrade: StreamingUpgradeHandler },
  ) {}

  info(): PortForwardInfo {
    return {
      id: this.id,
      namespace: this.spec.namespace,
      resource: this.spec.resource,
      name: this.spec.name,
      port: this.spec.port,
      pod: this.target.pod,
      podPort: this.target.podPort,
      address: FORWARD_ADDRESS,
      localPort: this.localPort,
      url: `http://${FORWARD_ADDRESS}:${this.localPort}`,
      startedAt: this.startedAt,
      activeConnections: this.sockets.size,
      totalConnections: this.total,
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  async listen(port: number): Promise<void> {
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, (s) => void this.accept(s));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, host: FORWARD_ADDRESS, exclusive: true }, () => {
        server.off('error', reject);
        resolve();
      });
    }).catch((e: NodeJS.ErrnoException) => {
      throw listenError(e, port);
    });
    server.on('error', (e) => this.fail(`listener: ${e.message}`));
    this.server = server;
    this.localPort = (server.address() as net.AddressInfo).port;
  }

  /** The SPDY session, (re)opened when needed; a service's pod is chosen again when its pod went away. */
  connect(): Promise<SpdySession> {
    if (this.session && !this.session.isClosed) return Promise.resolve(this.session);
    this.opening ??= (async () => {
      try {
        if (this.session && this.spec.resource === 'services') {
          this.target = await resolveForwardTarget(this.opts.handler, this.opts.user, 'services', this.spec.namespace, this.spec.name, this.spec.port);
        }
        const s = await openPortForwardSession(this.opts.upgrade, this.opts.user, this.target.namespace, this.target.pod);
        if (this.stopped) {
          s.close();
          throw new StatusError(410, 'Gone', 'the port-forward was stopped');
        }
        this.session = s;
        return s;
      } finally {
        this.opening = undefined;
      }
    })();
    return this.opening;
  }

  private fail(message: string): void {
    this.lastError = { message, time: new Date().toISOString() };
    this.opts.log?.(`ui port-forward ${FORWARD_ADDRESS}:${this.localPort}: ${message}`);
    // A service's pod may have gone (rolled, deleted): the next connection chooses one again.
    if (this.spec.resource === 'services') this.session?.close();
  }

  private async accept(sock: Socket): Promise<void> {
    if (this.stopped) return void sock.destroy();
    this.sockets.add(sock);
    this.total++;
    sock.setNoDelay(true);
    sock.on('error', () => sock.destroy());
    sock.on('close', () => this.sockets.delete(sock));
    const local = this.localPort;
    let session: SpdySession;
    let streams;
    try {
      session = await this.connect();
      streams = await openForwardStreams(session, this.target.podPort, ++this.requestId);
    } catch (e) {
      this.fail(`an error occurred forwarding ${local} -> ${this.target.podPort}: ${e instanceof Error ? e.message : String(e)}`);
      sock.destroy();
      return;
    }
    const { error, data } = streams;
    if (sock.destroyed || (data.remoteClosed && data.localClosed)) {
      data.reset();
      if (!sock.destroyed) sock.destroy();
      return;
    }
    let errText = '';
    error.onData((d) => (errText += d.toString()));
    error.onEnd(() => {
      if (!errText) return;
      this.fail(`an error occurred forwarding ${local} -> ${this.target.podPort}: ${errText.trim()}`);
      sock.destroy();
    });
    const transport = session.transport;
    // Pod → client; a client that reads slowly holds the session back (as the server side does).
    data.onData((d) => {
      if (!sock.write(d) && !transport.isPaused()) {
        transport.pause();
        sock.once('drain', () => transport.resume());
        sock.once('close', () => transport.resume());
      }
    });
    data.onEnd(() => sock.end());
    data.onReset(() => sock.destroy());
    // Client → pod.
    sock.on('data', (d: Buffer) => {
      data.write(d);
      if (transport.writableNeedDrain) {
        sock.pause();
        transport.once('drain', () => sock.resume());
      }
    });
    sock.on('end', () => data.end());
    sock.on('close', () => {
      if (!(data.localClosed && data.remoteClosed)) data.reset();
    });
    sock.resume();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    this.session?.close();
    const server = this.server;
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }
}

export class PortForwards {
  private readonly forwards = new Map<string, Forward>();
  private closed = false;

  constructor(private readonly opts: PortForwardsOptions) {}

  list(): PortForwardInfo[] {
    return [...this.forwards.values()].map((f) => f.info()).sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.localPort - b.localPort);
  }

  get(id: string): PortForwardInfo {
    const f = this.forwards.get(id);
    if (!f) throw notFound(id);
    return f.info();
  }

  /** Resolves the pod and port, listens on 127.0.0.1, opens the session; any failure leaves nothing behind. */
  async start(spec: PortForwardSpec): Promise<PortForwardInfo> {
    const upgrade = this.opts.upgrade;
    if (!upgrade || this.closed) throw new StatusError(503, 'ServiceUnavailable', 'port-forwarding is not available: the gateway has no streaming upgrade handler');
    const target = await resolveForwardTarget(this.opts.handler, this.opts.user, spec.resource, spec.namespace, spec.name, spec.port);
    const f = new Forward(spec, target, { ...this.opts, upgrade });
    try {
      await f.listen(spec.localPort ?? 0);
      await f.connect();
    } catch (e) {
      await f.stop();
      throw e;
    }
    if (this.closed) {
      await f.stop();
      throw new StatusError(503, 'ServiceUnavailable', 'the gateway is shutting down');
    }
    this.forwards.set(f.id, f);
    const kind = spec.resource === 'services' ? 'svc' : 'pod';
    this.opts.log?.(`ui port-forward: ${FORWARD_ADDRESS}:${f.localPort} -> ${kind}/${spec.name}:${spec.port} (pod ${target.namespace}/${target.pod} port ${target.podPort})`);
    return f.info();
  }

  async stop(id: string): Promise<PortForwardInfo> {
    const f = this.forwards.get(id);
    if (!f) throw notFound(id);
    this.forwards.delete(id);
    const info = f.info();
    await f.stop();
    this.opts.log?.(`ui port-forward: stopped ${FORWARD_ADDRESS}:${info.localPort}`);
    return { ...info, activeConnections: 0 };
  }

  /** Stops every forward (the gateway is closing). */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.forwards.values()];
    this.forwards.clear();
    await Promise.all(all.map((f) => f.stop()));
  }
}

function notFound(id: string): StatusError {
  return new StatusError(404, 'NotFound', `port-forward "${id}" not found (it was stopped, or the cluster restarted)`, { name: id, kind: 'portforwards' });
}
