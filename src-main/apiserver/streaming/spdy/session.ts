/**
 * A SPDY/3.1 session over a byte transport (an upgraded TLS socket, or SPDY tunnelled through
 * WebSocket messages): streams opened by SYN_STREAM (the peer's, or ours in the client role used by
 * tests), SYN_REPLY, DATA with FIN half-closes, RST_STREAM, PING answers, SETTINGS, GOAWAY, and
 * flow control with WINDOW_UPDATE.
 *
 * Flow control: we grant the peer more window as we consume its data (per stream and for the
 * session). Our own sending honours the peer's windows once the peer shows it does flow control
 * (it sent WINDOW_UPDATE or an initial window in SETTINGS); Go's spdystream, which kubectl uses,
 * does neither, so for it data flows on and TCP back-pressure applies.
 */
import type { Duplex } from 'node:stream';
import {
  DEFAULT_WINDOW,
  RST_CANCEL,
  RST_FLOW_CONTROL_ERROR,
  RST_INVALID_STREAM,
  RST_PROTOCOL_ERROR,
  RST_STREAM_IN_USE,
  SETTINGS_INITIAL_WINDOW_SIZE,
  SpdyFrameParser,
  encodeData,
  encodeGoaway,
  encodePing,
  encodeRstStream,
  encodeSynReply,
  encodeSynStream,
  encodeWindowUpdate,
  type SpdyFrame,
} from './frames';
import { HeaderCompressor, HeaderDecompressor, decodeNameValueBlock, encodeNameValueBlock, type SpdyHeaders } from './header-block';

const MAX_DATA_FRAME = 32 * 1024;

export class SpdyStream {
  headers: SpdyHeaders = new Map();
  replied = false;
  /** The peer sent FIN (or RST): no more data comes. */
  remoteClosed = false;
  /** We sent FIN (or RST). */
  localClosed = false;
  private dataCbs: ((d: Buffer) => void)[] = [];
  private endCbs: (() => void)[] = [];
  private resetCbs: ((status: number) => void)[] = [];
  private replyWaiters: (() => void)[] = [];
  /** Bytes we may still send (peer's window for this stream). */
  sendWindow: number;
  /** Queued while the window is closed; `fin` once end() was called. */
  private pending: Buffer[] = [];
  private pendingFin = false;
  private unacked = 0;
  private early: Buffer[] = [];
  private endedEarly = false;

  constructor(
    readonly session: SpdySession,
    readonly id: number,
  ) {
    this.sendWindow = session.peerInitialWindow;
  }

  header(name: string): string | undefined {
    return this.headers.get(name.toLowerCase());
  }

  /** Accepts a peer's stream (SYN_REPLY). */
  reply(headers: Iterable<[string, string]> = []): void {
    if (this.replied || this.session.isClosed) return;
    this.replied = true;
    this.session.writeFrame(encodeSynReply(this.id, this.session.compressHeaders(headers)));
  }

  /** Client role: resolves when the peer replied. */
  waitReply(): Promise<void> {
    if (this.replied) return Promise.resolve();
    return new Promise((r) => this.replyWaiters.push(r));
  }

  onData(cb: (d: Buffer) => void): void {
    this.dataCbs.push(cb);
    if (this.early.length) {
      const e = this.early;
      this.early = [];
      for (const d of e) cb(d);
    }
  }

  /** The peer's FIN (its half-close). */
  onEnd(cb: () => void): void {
    if (this.endedEarly) queueMicrotask(cb);
    else this.endCbs.push(cb);
  }

  /** RST_STREAM from the peer, or the session went away. */
  onReset(cb: (status: number) => void): void {
    this.resetCbs.push(cb);
  }

  write(data: Buffer): void {
    if (this.localClosed || this.pendingFin || this.session.isClosed) return;
    for (let off = 0; off < data.length; off += MAX_DATA_FRAME) this.pending.push(data.subarray(off, off + MAX_DATA_FRAME));
    this.flush();
  }

  /** Half-close: FIN after the queued data. */
  end(): void {
    if (this.localClosed || this.pendingFin) return;
    this.pendingFin = true;
    this.flush();
  }

  reset(status = RST_CANCEL): void {
    if (this.localClosed && this.remoteClosed) return;
    this.localClosed = true;
    this.remoteClosed = true;
    this.pending = [];
    if (!this.session.isClosed) this.session.writeFrame(encodeRstStream(this.id, status));
    this.session.forget(this);
  }

  /** Sends what the windows allow. */
  flush(): void {
    while (this.pending.length && !this.session.isClosed) {
      const limit = this.session.flowControlActive ? Math.min(this.sendWindow, this.session.sendWindow) : Infinity;
      if (limit <= 0) return;
      let chunk = this.pending[0];
      if (chunk.length > limit) {
        this.pending[0] = chunk.subarray(limit);
        chunk = chunk.subarray(0, limit);
      } else this.pending.shift();
      this.sendWindow -= chunk.length;
      this.session.sendWindow -= chunk.length;
      const fin = this.pendingFin && this.pending.length === 0;
      this.session.writeFrame(encodeData(this.id, chunk, fin));
      if (fin) return this.finishLocal();
    }
    if (this.pendingFin && !this.pending.length && !this.localClosed) {
      this.session.writeFrame(encodeData(this.id, Buffer.alloc(0), true));
      this.finishLocal();
    }
  }

  private finishLocal(): void {
    this.localClosed = true;
    if (this.remoteClosed) this.session.forget(this);
  }

  // ---- from the session

  /** @internal */
  gotReply(): void {
    this.replied = true;
    const w = this.replyWaiters;
    this.replyWaiters = [];
    for (const r of w) r();
  }

  /** @internal */
  gotData(d: Buffer, fin: boolean): void {
    if (this.remoteClosed) return;
    if (d.length) {
      this.unacked += d.length;
      if (this.dataCbs.length) for (const cb of this.dataCbs) cb(d);
      else this.early.push(d);
      // Consumed: give the window back once half of it is used.
      if (this.unacked >= DEFAULT_WINDOW / 2 && !fin) {
        this.session.writeFrame(encodeWindowUpdate(this.id, this.unacked));
        this.unacked = 0;
      }
    }
    if (fin) {
      this.remoteClosed = true;
      if (this.endCbs.length) for (const cb of this.endCbs.splice(0)) cb();
      else this.endedEarly = true;
      if (this.localClosed) this.session.forget(this);
    }
  }

  /** @internal */
  gotReset(status: number): void {
    const wasOpen = !(this.localClosed && this.remoteClosed);
    this.localClosed = true;
    this.remoteClosed = true;
    this.pending = [];
    if (wasOpen) for (const cb of this.resetCbs.splice(0)) cb(status);
    for (const r of this.replyWaiters.splice(0)) r();
  }
}

export interface SpdySessionOptions {
  /** server: the peer opens odd streams; client: we open odd streams (tests). */
  role: 'server' | 'client';
  /** A new stream from the peer, headers decoded. Call `reply()` to accept or `reset()` to refuse. */
  onStream?: (stream: SpdyStream) => void;
}

export class SpdySession {
  readonly streams = new Map<number, SpdyStream>();
  peerInitialWindow = DEFAULT_WINDOW;
  /** Session-level window for what we send (SPDY/3.1). */
  sendWindow = DEFAULT_WINDOW;
  flowControlActive = false;
  private readonly parser = new SpdyFrameParser();
  private readonly compressor = new HeaderCompressor();
  private readonly decompressor = new HeaderDecompressor();
  private inbox: SpdyFrame[] = [];
  private pumping = false;
  private closed = false;
  private goawaySent = false;
  private lastPeerStream = 0;
  private nextStreamId: number;
  private nextPingId: number;
  private pings = new Map<number, () => void>();
  private closeCbs: (() => void)[] = [];
  private sessionUnacked = 0;
  private ending = false;

  constructor(
    readonly transport: Duplex,
    private readonly opts: SpdySessionOptions,
    head?: Buffer,
  ) {
    this.nextStreamId = opts.role === 'client' ? 1 : 2;
    this.nextPingId = opts.role === 'client' ? 1 : 2;
    transport.on('data', (c: Buffer) => this.receive(c));
    // The peer's end: frames already received (waiting on header decompression) are handled first.
    transport.on('end', () => this.drainThenShutdown());
    transport.on('close', () => this.drainThenShutdown());
    transport.on('error', () => this.shutdown());
    if (head && head.length) queueMicrotask(() => this.receive(head));
  }

  get isClosed(): boolean {
    return this.closed;
  }

  onClose(cb: () => void): void {
    if (this.closed) queueMicrotask(cb);
    else this.closeCbs.push(cb);
  }

  /** Client role: opens a stream and waits for the peer's SYN_REPLY. */
  async openStream(headers: Iterable<[string, string]>, opts: { fin?: boolean } = {}): Promise<SpdyStream> {
    const s = new SpdyStream(this, this.nextStreamId);
    this.nextStreamId += 2;
    this.streams.set(s.id, s);
    this.writeFrame(encodeSynStream(s.id, this.compressHeaders(headers), { fin: opts.fin }));
    if (opts.fin) s.localClosed = true;
    await s.waitReply();
    return s;
  }

  ping(): Promise<void> {
    const id = this.nextPingId;
    this.nextPingId += 2;
    return new Promise((r) => {
      this.pings.set(id, r);
      this.writeFrame(encodePing(id));
    });
  }

  /** GOAWAY, then the transport ends once written (streams are done or abandoned). */
  close(): void {
    if (this.closed) return;
    if (!this.goawaySent) {
      this.goawaySent = true;
      this.writeFrame(encodeGoaway(this.lastPeerStream, 0));
    }
    this.transport.end();
    this.shutdown();
  }

  /** Cuts the transport without a GOAWAY (errors). */
  destroy(): void {
    this.transport.destroy();
    this.shutdown();
  }

  /** @internal */
  writeFrame(frame: Buffer): void {
    if (this.closed || this.transport.destroyed || this.transport.writableEnded) return;
    this.transport.write(frame);
  }

  /** @internal */
  compressHeaders(headers: Iterable<[string, string]>): Buffer {
    return this.compressor.compress(encodeNameValueBlock(headers));
  }

  /** @internal */
  forget(s: SpdyStream): void {
    if (this.streams.get(s.id) === s) this.streams.delete(s.id);
  }

  private receive(chunk: Buffer): void {
    if (this.closed) return;
    try {
      this.inbox.push(...this.parser.push(chunk));
    } catch {
      this.protocolError();
      return;
    }
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.inbox.length && !this.closed) {
        const f = this.inbox.shift()!;
        const r = this.handle(f);
        if (r) await r;
      }
    } catch {
      this.protocolError();
    } finally {
      this.pumping = false;
      if (this.ending) this.shutdown();
    }
  }

  private drainThenShutdown(): void {
    this.ending = true;
    if (!this.pumping) this.shutdown();
  }

  private protocolError(): void {
    if (this.closed) return;
    if (!this.goawaySent) {
      this.goawaySent = true;
      this.writeFrame(encodeGoaway(this.lastPeerStream, 1));
    }
    this.transport.end();
    this.shutdown();
  }

  private handle(f: SpdyFrame): Promise<void> | void {
    switch (f.type) {
      case 'syn_stream':
        return this.decompressor.decompress(f.headerBlock).then((block) => this.synStream(f.streamId, decodeNameValueBlock(block), f.fin));
      case 'syn_reply':
        return this.decompressor.decompress(f.headerBlock).then((block) => {
          const s = this.streams.get(f.streamId);
          if (!s) return;
          for (const [k, v] of decodeNameValueBlock(block)) s.headers.set(k, v);
          s.gotReply();
          if (f.fin) s.gotData(Buffer.alloc(0), true);
        });
      case 'headers':
        return this.decompressor.decompress(f.headerBlock).then((block) => {
          const s = this.streams.get(f.streamId);
          if (!s) return;
          for (const [k, v] of decodeNameValueBlock(block)) s.headers.set(k, v);
          if (f.fin) s.gotData(Buffer.alloc(0), true);
        });
      case 'data': {
        const s = this.streams.get(f.streamId);
        if (f.data.length) {
          this.sessionUnacked += f.data.length;
          if (this.sessionUnacked >= DEFAULT_WINDOW / 2) {
            this.writeFrame(encodeWindowUpdate(0, this.sessionUnacked));
            this.sessionUnacked = 0;
          }
        }
        if (!s) {
          if (f.streamId > this.lastPeerStream && f.streamId % 2 === this.peerParity()) this.writeFrame(encodeRstStream(f.streamId, RST_INVALID_STREAM));
          return;
        }
        s.gotData(f.data, f.fin);
        return;
      }
      case 'rst_stream': {
        const s = this.streams.get(f.streamId);
        if (s) {
          this.forget(s);
          s.gotReset(f.status);
        }
        return;
      }
      case 'settings':
        for (const e of f.entries) {
          if (e.id === SETTINGS_INITIAL_WINDOW_SIZE) {
            const diff = e.value - this.peerInitialWindow;
            this.peerInitialWindow = e.value;
            this.flowControlActive = true;
            for (const s of this.streams.values()) s.sendWindow += diff;
          }
        }
        this.flushAll();
        return;
      case 'ping': {
        if ((f.id & 1) === this.peerParity()) this.writeFrame(encodePing(f.id));
        else {
          const r = this.pings.get(f.id);
          this.pings.delete(f.id);
          r?.();
        }
        return;
      }
      case 'goaway':
        // The peer opens no more streams; those open finish, then it closes the transport.
        this.goawaySent = true;
        return;
      case 'window_update': {
        this.flowControlActive = true;
        if (f.streamId === 0) this.sendWindow += f.delta;
        else {
          const s = this.streams.get(f.streamId);
          if (!s) return;
          s.sendWindow += f.delta;
          if (s.sendWindow > 0x7fffffff) s.reset(RST_FLOW_CONTROL_ERROR);
        }
        this.flushAll();
        return;
      }
      case 'unknown':
        return;
    }
  }

  private peerParity(): number {
    return this.opts.role === 'server' ? 1 : 0;
  }

  private flushAll(): void {
    for (const s of [...this.streams.values()]) s.flush();
  }

  private synStream(id: number, headers: SpdyHeaders, fin: boolean): void {
    if (this.closed) return;
    if (id % 2 !== this.peerParity() || id === 0) {
      this.writeFrame(encodeRstStream(id, RST_PROTOCOL_ERROR));
      return;
    }
    if (this.streams.has(id) || id <= this.lastPeerStream) {
      this.writeFrame(encodeRstStream(id, RST_STREAM_IN_USE));
      return;
    }
    this.lastPeerStream = id;
    const s = new SpdyStream(this, id);
    s.headers = headers;
    this.streams.set(id, s);
    if (fin) s.gotData(Buffer.alloc(0), true);
    if (this.opts.onStream) this.opts.onStream(s);
    else s.reset(RST_CANCEL);
  }

  private shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    this.inbox = [];
    this.decompressor.close();
    if (!this.transport.destroyed) {
      const t = setTimeout(() => this.transport.destroy(), 2000);
      t.unref();
      this.transport.once('close', () => clearTimeout(t));
      if (!this.transport.writableEnded) this.transport.end();
    }
    const streams = [...this.streams.values()];
    this.streams.clear();
    for (const s of streams) s.gotReset(RST_CANCEL);
    for (const r of this.pings.values()) r();
    this.pings.clear();
    for (const cb of this.closeCbs.splice(0)) cb();
  }
}
