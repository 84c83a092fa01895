/**
 * One pod's network namespace: the TCP and UDP port tables its containers share, the connections
 * into and out of it (reset when it closes) and its byte counters. Routing between namespaces is
 * the fabric's job (fabric.ts); this file only knows its own ports.
 */
import type { Duplex } from 'node:stream';
import {
  NetworkError,
  type Binding,
  type Connection,
  type ConnectionHandler,
  type DatagramHandler,
  type PodIdentity,
  type PodNetwork,
} from './types';
import { EPHEMERAL_FIRST, EPHEMERAL_LAST, isLoopback, isWildcard, normalizeHost } from './addresses';

/** What the fabric needs from itself to carry a namespace's outgoing traffic. */
export interface NamespaceCarrier {
  connectFrom(ns: PodNamespace, host: string, port: number): Promise<Connection>;
  requestFrom(ns: PodNamespace, host: string, port: number, data: Buffer, timeoutMs?: number): Promise<Buffer | undefined>;
  released(ns: PodNamespace): void;
}

export interface TcpListener {
  readonly binding: Binding;
  readonly handler: ConnectionHandler;
  closed: boolean;
}

export interface UdpSocket {
  readonly binding: Binding;
  readonly handler: DatagramHandler;
  closed: boolean;
}

type BindOpts = { address?: string; pid?: number; program?: string; ipv6Only?: boolean };

interface Bound {
  readonly binding: Binding;
  closed: boolean;
}

export class PodNamespace implements PodNetwork {
  private readonly tcp = new Map<number, TcpListener[]>();
  /** UDP sockets and open connections: made on first use (most pods have neither while idle). */
  private udp: Map<number, UdpSocket[]> | undefined;
  private sockets: Set<Duplex> | undefined;
  private rxDone = 0;
  private txDone = 0;
  private connectionCount = 0;
  private isClosed = false;

  constructor(
    readonly ip: string,
    readonly pod: PodIdentity,
    private readonly carrier: NamespaceCarrier,
  ) {}

  get closed(): boolean {
    return this.isClosed;
  }

  listen(port: number, onConnection: ConnectionHandler, opts: BindOpts = {}): Binding {
    const listener = this.bind(this.tcp, 'TCP', port, opts, (binding) => ({ binding, handler: onConnection, closed: false }));
    return listener.binding;
  }

  bindUdp(port: number, onDatagram: DatagramHandler, opts: BindOpts = {}): Binding {
    const socket = this.bind((this.udp ??= new Map()), 'UDP', port, opts, (binding) => ({ binding, handler: onDatagram, closed: false }));
    return socket.binding;
  }

  connect(host: string, port: number): Promise<Connection> {
    if (this.isClosed) return Promise.reject(new NetworkError('ENETUNREACH', 'network is unreachable'));
    return this.carrier.connectFrom(this, host, port);
  }

  request(host: string, port: number, data: Buffer, timeoutMs?: number): Promise<Buffer | undefined> {
    if (this.isClosed) return Promise.reject(new NetworkError('ENETUNREACH', 'network is unreachable'));
    return this.carrier.requestFrom(this, host, port, data, timeoutMs);
  }

  bindings(): Binding[] {
    const all: Binding[] = [];
    for (const list of this.tcp.values()) for (const l of list) all.push(l.binding);
    for (const list of this.udp?.values() ?? []) for (const u of list) all.push(u.binding);
    return all;
  }

  counters(): { rxBytes: number; txBytes: number; connections: number } {
    let rx = this.rxDone;
    let tx = this.txDone;
    for (const s of this.sockets ?? []) {
      rx += byteCount(s, 'bytesRead');
      tx += byteCount(s, 'bytesWritten');
    }
    return { rxBytes: rx, txBytes: tx, connections: this.connectionCount };
  }

  /** Connection ends in this namespace that are still open (leak checks, `ss` counts). */
  openConnections(): number {
    return this.sockets?.size ?? 0;
  }

  /** Tears the namespace down: every connection into or out of it is reset, every port freed. */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const list of [...this.tcp.values(), ...(this.udp?.values() ?? [])]) for (const b of list) b.closed = true;
    this.tcp.clear();
    this.udp = undefined;
    const sockets = this.sockets;
    this.sockets = undefined;
    for (const s of sockets ?? []) resetSocket(s);
    this.carrier.released(this);
  }

  /** The listener a connection to `dst:port` reaches (`dst`: loopback or this namespace's IP). */
  tcpListener(dst: string, port: number): TcpListener | undefined {
    return pick(this.tcp.get(port), dst);
  }

  udpSocket(dst: string, port: number): UdpSocket | undefined {
    return pick(this.udp?.get(port), dst);
  }

  /** Counts datagram bytes received and sent by this namespace. */
  countDatagram(rxBytes: number, txBytes: number): void {
    this.rxDone += rxBytes;
    this.txDone += txBytes;
  }

  /** Counts a connection end that lives in this namespace; it is reset if the namespace closes. */
  track(socket: Duplex): void {
    this.connectionCount++;
    if (this.isClosed) {
      resetSocket(socket);
      return;
    }
    const sockets = (this.sockets ??= new Set());
    sockets.add(socket);
    socket.once('close', () => {
      if (!sockets.delete(socket) || this.isClosed) return;
      this.rxDone += byteCount(socket, 'bytesRead');
      this.txDone += byteCount(socket, 'bytesWritten');
    });
  }

  private bind<T extends Bound>(
    table: Map<number, T[]>,
    protocol: 'TCP' | 'UDP',
    port: number,
    opts: BindOpts,
    make: (binding: Binding) => T,
  ): T {
    if (this.isClosed) throw new NetworkError('ENETUNREACH', 'network is unreachable');
    const address = normalizeHost(opts.address || '0.0.0.0');
    if (!isWildcard(address) && !isLoopback(address) && address !== this.ip) {
      throw new NetworkError('EADDRNOTAVAIL', 'cannot assign requested address');
    }
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`invalid port ${port}`);
    const p = port === 0 ? this.freePort(table) : port;
    const list = table.get(p) ?? [];
    if (list.some((b) => conflicts(b.binding.address, address))) throw new NetworkError('EADDRINUSE', 'address already in use');
    const entry: T = make({
      protocol,
      address,
      port: p,
      pid: opts.pid,
      program: opts.program,
      ...(opts.ipv6Only && address.includes(':') ? { ipv6Only: true } : {}),
      close: () => {
        if (entry.closed) return;
        entry.closed = true;
        const now = table.get(p);
        if (!now) return;
        const rest = now.filter((b) => b !== entry);
        if (rest.length) table.set(p, rest);
        else table.delete(p);
      },
    });
    list.push(entry);
    table.set(p, list);
    return entry;
  }

  private freePort(table: Map<number, unknown>): number {
    for (let i = 0; i < 1000; i++) {
      const p = EPHEMERAL_FIRST + Math.floor(Math.random() * (EPHEMERAL_LAST - EPHEMERAL_FIRST));
      if (!table.has(p)) return p;
    }
    throw new NetworkError('EADDRINUSE', 'address already in use');
  }
}

/**
 * Whether two binds of one port collide. `::` is taken as an IPV6_V6ONLY socket when it sits
 * next to `0.0.0.0` (nginx's `listen 80; listen [::]:80;`), so those two coexist; a lone `::`
 * still receives IPv4 connections (node's `server.listen(port)`) unless bound `ipv6Only`.
 */
function conflicts(a: string, b: string): boolean {
  if (a === b) return true;
  const v6 = (x: string): boolean => x.includes(':');
  if (v6(a) !== v6(b)) return false;
  return isWildcard(a) || isWildcard(b);
}

function pick<T extends Bound>(list: T[] | undefined, dst: string): T | undefined {
  if (!list) return undefined;
  // An exact bind wins over the wildcards, as in the kernel's socket lookup; a dual-stack `::`
  // takes IPv4 connections too, an IPV6_V6ONLY one (nginx's `listen [::]:80`) does not.
  const v6 = dst.includes(':');
  return (
    list.find((b) => b.binding.address === dst) ??
    (v6 ? undefined : list.find((b) => b.binding.address === '0.0.0.0')) ??
    list.find((b) => b.binding.address === '::' && (v6 || !b.binding.ipv6Only))
  );
}

function byteCount(s: Duplex, key: 'bytesRead' | 'bytesWritten'): number {
  const v = (s as unknown as Record<string, unknown>)[key];
  return typeof v === 'number' ? v : 0;
}

/** An RST: virtual sockets' peers get ECONNRESET; real sockets are reset by the kernel. */
export function resetSocket(s: Duplex): void {
  if (s.destroyed) return;
  const real = s as Duplex & { resetAndDestroy?: () => void; reset?: () => void };
  if (typeof real.reset === 'function') real.reset();
  else if (typeof real.resetAndDestroy === 'function') real.resetAndDestroy();
  else s.destroy();
}
