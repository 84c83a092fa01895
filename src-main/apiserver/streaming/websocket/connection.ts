/**
 * A server-side WebSocket connection over an upgraded socket (after the 101 was written): messages
 * in and out, fragmentation, ping → pong, and the close handshake. Client frames must be masked.
 */
import type { Duplex } from 'node:stream';
import { OP_BINARY, OP_CLOSE, OP_CONTINUATION, OP_PING, OP_PONG, OP_TEXT, WsFrameParser, WsProtocolError, encodeFrame } from './frames';

const MAX_MESSAGE = 16 << 20;
const CLOSE_WAIT_MS = 2000;

export class WsConnection {
  private readonly parser = new WsFrameParser(MAX_MESSAGE);
  private fragments: Buffer[] = [];
  private fragmentOp = 0;
  private fragmentSize = 0;
  private messageCbs: ((data: Buffer, binary: boolean) => void)[] = [];
  private closeCbs: ((code: number) => void)[] = [];
  private pongCbs: (() => void)[] = [];
  private closeSent = false;
  private closed = false;
  private closeTimer?: NodeJS.Timeout;

  constructor(
    readonly socket: Duplex,
    head: Buffer | undefined,
    /** Clients (tests) mask their frames and accept unmasked ones. */
    private readonly role: 'server' | 'client' = 'server',
  ) {
    socket.on('data', (c: Buffer) => this.receive(c));
    socket.on('end', () => this.finish(1006));
    socket.on('close', () => this.finish(1006));
    socket.on('error', () => this.finish(1006));
    if (head && head.length) queueMicrotask(() => this.receive(head));
  }

  onMessage(cb: (data: Buffer, binary: boolean) => void): void {
    this.messageCbs.push(cb);
  }

  /** Called for each pong the peer sends (the answer to `ping()`, or an unsolicited heartbeat). */
  onPong(cb: () => void): void {
    this.pongCbs.push(cb);
  }

  /** Called once when the connection is gone (close handshake done, or the socket dropped). */
  onClose(cb: (code: number) => void): void {
    if (this.closed) queueMicrotask(() => cb(1006));
    else this.closeCbs.push(cb);
  }

  get isOpen(): boolean {
    return !this.closed && !this.closeSent;
  }

  /** Bytes queued in the socket: callers may wait for `drain` on `socket`. */
  get writableNeedDrain(): boolean {
    return this.socket.writableNeedDrain;
  }

  send(data: Buffer | string, binary = true): boolean {
    if (!this.isOpen) return false;
    const payload = typeof data === 'string' ? Buffer.from(data) : data;
    return this.socket.write(this.frame(binary ? OP_BINARY : OP_TEXT, payload));
  }

  ping(payload = Buffer.alloc(0)): void {
    if (this.isOpen) this.socket.write(this.frame(OP_PING, payload));
  }

  /** Starts the close handshake; the socket ends when the peer answers (or after a short wait). */
  close(code = 1000, reason = ''): void {
    if (this.closed || this.closeSent) return;
    this.closeSent = true;
    const body = Buffer.alloc(2 + Buffer.byteLength(reason));
    body.writeUInt16BE(code, 0);
    body.write(reason, 2);
    this.socket.write(this.frame(OP_CLOSE, body));
    this.closeTimer = setTimeout(() => this.socket.destroy(), CLOSE_WAIT_MS);
    this.closeTimer.unref();
  }

  destroy(): void {
    this.socket.destroy();
    this.finish(1006);
  }

  private frame(op: number, payload: Buffer): Buffer {
    return encodeFrame(op, payload, this.role === 'client' ? { mask: Buffer.from([Math.random() * 256, Math.random() * 256, Math.random() * 256, Math.random() * 256]) } : {});
  }

  private receive(chunk: Buffer): void {
    if (this.closed) return;
    let frames;
    try {
      frames = this.parser.push(chunk);
    } catch (e) {
      this.fail(e instanceof WsProtocolError ? e.code : 1002, e instanceof Error ? e.message : 'protocol error');
      return;
    }
    for (const f of frames) {
      if (this.closed) return;
      if (this.role === 'server' && !f.masked) return this.fail(1002, 'client frames must be masked');
      if (f.opcode >= 0x8) {
        if (!f.fin || f.payload.length > 125) return this.fail(1002, 'invalid control frame');
        if (f.opcode === OP_PING) {
          if (this.isOpen) this.socket.write(this.frame(OP_PONG, f.payload));
        } else if (f.opcode === OP_CLOSE) {
          const code = f.payload.length >= 2 ? f.payload.readUInt16BE(0) : 1005;
          if (!this.closeSent) {
            this.closeSent = true;
            this.socket.write(this.frame(OP_CLOSE, f.payload.subarray(0, 2)));
          }
          this.socket.end();
          this.finish(code);
          return;
        } else if (f.opcode === OP_PONG) {
          for (const cb of this.pongCbs) cb();
        } else return this.fail(1002, 'unknown control opcode');
        continue;
      }
      if (f.opcode === OP_CONTINUATION) {
        if (!this.fragmentOp) return this.fail(1002, 'continuation without a message');
      } else if (f.opcode === OP_TEXT || f.opcode === OP_BINARY) {
        if (this.fragmentOp) return this.fail(1002, 'new message inside a fragmented one');
        this.fragmentOp = f.opcode;
      } else return this.fail(1002, 'unknown opcode');
      this.fragments.push(f.payload);
      this.fragmentSize += f.payload.length;
      if (this.fragmentSize > MAX_MESSAGE) return this.fail(1009, 'message too big');
      if (!f.fin) continue;
      const data = this.fragments.length === 1 ? this.fragments[0] : Buffer.concat(this.fragments);
      const binary = this.fragmentOp === OP_BINARY;
      this.fragments = [];
      this.fragmentOp = 0;
      this.fragmentSize = 0;
      for (const cb of this.messageCbs) cb(data, binary);
    }
  }

  private fail(code: number, reason: string): void {
    this.close(code, reason);
    this.socket.end();
    this.finish(code);
  }

  private finish(code: number): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.closeTimer);
    const socket = this.socket;
    if (!socket.destroyed) {
      // Our side of the TCP close; a peer that never closes its side is cut off after a short wait.
      socket.end();
      const t = setTimeout(() => socket.destroy(), CLOSE_WAIT_MS);
      t.unref();
      socket.once('close', () => clearTimeout(t));
    }
    const cbs = this.closeCbs;
    this.closeCbs = [];
    this.pongCbs = [];
    for (const cb of cbs) cb(code);
  }
}
