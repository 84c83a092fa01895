/**
 * A connected pair of in-memory TCP streams. What one side writes the other reads, with the
 * semantics programs expect from a kernel socket:
 * - back-pressure: a writer's callback waits while the reader's buffer is full;
 * - `end()` is a half-close: the peer reads EOF and may still write back;
 * - `destroy()` is a close: the peer reads EOF and its later writes fail with EPIPE;
 *   `destroy(err)` or `reset()` is a reset: the peer gets an `ECONNRESET` error;
 * - the net.Socket methods node's `http` server and client call (`setTimeout`, `setNoDelay`,
 *   `setKeepAlive`, `ref`, `unref`) exist, and `remoteAddress`/`remotePort`/`localAddress`/
 *   `localPort` describe the connection, so `http.Server#emit('connection', socket)` and
 *   `http.request({ createConnection })` work over it.
 */
import { Duplex } from 'node:stream';
import type { Endpoint } from './types';

export class VirtualSocket extends Duplex {
  peer?: VirtualSocket;
  /** The peer's pending write: called when this side's reader wants more. */
  private resumeWriter?: () => void;
  private timeoutMs = 0;
  /** Set by reset(): the close is an RST for the peer, without an error on this side. */
  private rst = false;
  private timer?: NodeJS.Timeout;
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteFamily: 'IPv4' | 'IPv6';
  bytesRead = 0;
  bytesWritten = 0;
  connecting = false;

  constructor(local: Endpoint, remote: Endpoint) {
    super({ allowHalfOpen: true });
    this.localAddress = local.address;
    this.localPort = local.port;
    this.remoteAddress = remote.address;
    this.remotePort = remote.port;
    this.remoteFamily = remote.address.includes(':') ? 'IPv6' : 'IPv4';
  }

  override _read(): void {
    const resume = this.resumeWriter;
    this.resumeWriter = undefined;
    resume?.();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    const peer = this.peer;
    if (!peer || peer.destroyed) {
      cb(pipeError());
      return;
    }
    this.touch();
    this.bytesWritten += chunk.length;
    peer.bytesRead += chunk.length;
    peer.touch();
    if (peer.push(chunk)) cb();
    else peer.resumeWriter = () => cb();
  }

  override _final(cb: (err?: Error | null) => void): void {
    const peer = this.peer;
    if (peer && !peer.destroyed) peer.push(null);
    cb();
  }

  override _destroy(err: Error | null, cb: (err: Error | null) => void): void {
    this.clearTimer();
    const peer = this.peer;
    this.peer = undefined;
    if (peer && !peer.destroyed) {
      peer.peer = undefined;
      const resume = peer.resumeWriter;
      peer.resumeWriter = undefined;
      resume?.();
      // close() is a FIN (the peer reads EOF; its later writes fail with EPIPE); destroy(err) or
      // a `reset()` is an RST (the peer gets ECONNRESET).
      if (err || this.rst) peer.destroy(resetError('read'));
      else if (!this.writableFinished) peer.push(null);
    }
    cb(err);
  }

  /**
   * Aborts the connection: the peer gets ECONNRESET (what the kernel does on RST); this side
   * closes without an error, like net.Socket#resetAndDestroy().
   */
  reset(): void {
    this.rst = true;
    this.destroy();
  }

  setTimeout(ms: number, cb?: () => void): this {
    this.timeoutMs = ms;
    if (cb) this.once('timeout', cb);
    this.touch();
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }

  address(): { address: string; port: number; family: string } {
    return { address: this.localAddress, port: this.localPort, family: this.localAddress.includes(':') ? 'IPv6' : 'IPv4' };
  }

  private touch(): void {
    this.clearTimer();
    if (this.timeoutMs > 0 && !this.destroyed) {
      this.timer = setTimeout(() => this.emit('timeout'), this.timeoutMs);
      this.timer.unref();
    }
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

function pipeError(): NodeJS.ErrnoException {
  const e: NodeJS.ErrnoException = new Error('write EPIPE');
  e.code = 'EPIPE';
  e.errno = -32;
  e.syscall = 'write';
  return e;
}

function resetError(syscall: string): NodeJS.ErrnoException {
  const e: NodeJS.ErrnoException = new Error(`${syscall} ECONNRESET`);
  e.code = 'ECONNRESET';
  e.errno = -104;
  e.syscall = syscall;
  return e;
}

/**
 * A connected pair: `client` is the connecting side (local = client endpoint), `server` the
 * accepting side (local = server endpoint).
 */
export function socketPair(client: Endpoint, server: Endpoint): { client: VirtualSocket; server: VirtualSocket } {
  const c = new VirtualSocket(client, server);
  const s = new VirtualSocket(server, client);
  c.peer = s;
  s.peer = c;
  return { client: c, server: s };
}
