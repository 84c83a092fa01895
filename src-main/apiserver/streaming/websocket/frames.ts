/**
 * WebSocket framing (RFC 6455 §5): the frame header, masking, and an incremental parser. Used by
 * the server connection (`connection.ts`) and by tests acting as the client.
 */
import { createHash } from 'node:crypto';

export const OP_CONTINUATION = 0x0;
export const OP_TEXT = 0x1;
export const OP_BINARY = 0x2;
export const OP_CLOSE = 0x8;
export const OP_PING = 0x9;
export const OP_PONG = 0xa;

const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** `Sec-WebSocket-Accept` for a client's `Sec-WebSocket-Key`. */
export function acceptKey(key: string): string {
  return createHash('sha1').update(key + HANDSHAKE_GUID).digest('base64');
}

export interface WsFrame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
  masked: boolean;
}

/** One frame; `mask` (4 bytes) masks the payload as a client must. */
export function encodeFrame(opcode: number, payload: Buffer, opts: { fin?: boolean; mask?: Buffer } = {}): Buffer {
  const len = payload.length;
  const maskLen = opts.mask ? 4 : 0;
  const extLen = len < 126 ? 0 : len < 0x10000 ? 2 : 8;
  const head = Buffer.alloc(2 + extLen + maskLen);
  head[0] = (opts.fin === false ? 0 : 0x80) | (opcode & 0x0f);
  head[1] = (opts.mask ? 0x80 : 0) | (extLen === 0 ? len : extLen === 2 ? 126 : 127);
  if (extLen === 2) head.writeUInt16BE(len, 2);
  else if (extLen === 8) head.writeBigUInt64BE(BigInt(len), 2);
  if (!opts.mask) return Buffer.concat([head, payload]);
  opts.mask.copy(head, 2 + extLen);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i] ^= opts.mask[i & 3];
  return Buffer.concat([head, body]);
}

export class WsProtocolError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** Splits a byte stream into frames; `push` returns the complete frames so far. */
export class WsFrameParser {
  private buf: Buffer = Buffer.alloc(0);

  constructor(private readonly maxPayload: number) {}

  push(chunk: Buffer): WsFrame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: WsFrame[] = [];
    for (;;) {
      const b = this.buf;
      if (b.length < 2) break;
      if (b[0] & 0x70) throw new WsProtocolError(1002, 'RSV bits set without an extension');
      const masked = (b[1] & 0x80) !== 0;
      let len = b[1] & 0x7f;
      let off = 2;
      if (len === 126) {
        if (b.length < 4) break;
        len = b.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (b.length < 10) break;
        const big = b.readBigUInt64BE(2);
        if (big > BigInt(this.maxPayload)) throw new WsProtocolError(1009, 'message too big');
        len = Number(big);
        off = 10;
      }
      if (len > this.maxPayload) throw new WsProtocolError(1009, 'message too big');
      const maskOff = off;
      if (masked) off += 4;
      if (b.length < off + len) break;
      const payload = Buffer.from(b.subarray(off, off + len));
      if (masked) for (let i = 0; i < payload.length; i++) payload[i] ^= b[maskOff + (i & 3)];
      out.push({ fin: (b[0] & 0x80) !== 0, opcode: b[0] & 0x0f, payload, masked });
      this.buf = b.subarray(off + len);
    }
    return out;
  }
}
