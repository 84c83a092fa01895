/**
 * SPDY/3.1 frames (draft-mbelshe-httpbis-spdy-00 with the 3.1 session flow control): encoding and
 * an incremental parser. Header blocks stay compressed here; `header-block.ts` (de)compresses them.
 *
 * Control frame: C=1 | version(15) | type(16) | flags(8) | length(24) | data.
 * Data frame:    C=0 | stream id(31) | flags(8) | length(24) | data.
 */

export const SPDY_VERSION = 3;

export const TYPE_SYN_STREAM = 1;
export const TYPE_SYN_REPLY = 2;
export const TYPE_RST_STREAM = 3;
export const TYPE_SETTINGS = 4;
export const TYPE_PING = 6;
export const TYPE_GOAWAY = 7;
export const TYPE_HEADERS = 8;
export const TYPE_WINDOW_UPDATE = 9;

export const FLAG_FIN = 0x01;
export const FLAG_UNIDIRECTIONAL = 0x02;

/** RST_STREAM status codes. */
export const RST_PROTOCOL_ERROR = 1;
export const RST_INVALID_STREAM = 2;
export const RST_REFUSED_STREAM = 3;
export const RST_CANCEL = 5;
export const RST_FLOW_CONTROL_ERROR = 7;
export const RST_STREAM_IN_USE = 8;
export const RST_STREAM_ALREADY_CLOSED = 9;

/** SETTINGS ids. */
export const SETTINGS_INITIAL_WINDOW_SIZE = 7;

export const DEFAULT_WINDOW = 64 * 1024;
export const MAX_FRAME_PAYLOAD = 0xffffff;

export type SpdyFrame =
  | { type: 'data'; streamId: number; fin: boolean; data: Buffer }
  | { type: 'syn_stream'; streamId: number; associatedId: number; priority: number; fin: boolean; unidirectional: boolean; headerBlock: Buffer }
  | { type: 'syn_reply'; streamId: number; fin: boolean; headerBlock: Buffer }
  | { type: 'rst_stream'; streamId: number; status: number }
  | { type: 'settings'; clearPersisted: boolean; entries: { flags: number; id: number; value: number }[] }
  | { type: 'ping'; id: number }
  | { type: 'goaway'; lastGoodStreamId: number; status: number }
  | { type: 'headers'; streamId: number; fin: boolean; headerBlock: Buffer }
  | { type: 'window_update'; streamId: number; delta: number }
  | { type: 'unknown'; frameType: number };

export class SpdyProtocolError extends Error {}

function control(type: number, flags: number, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt32BE(((flags & 0xff) << 24) | body.length, 4);
  return Buffer.concat([head, body]);
}

export function encodeData(streamId: number, data: Buffer, fin = false): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(streamId & 0x7fffffff, 0);
  head.writeUInt32BE((((fin ? FLAG_FIN : 0) & 0xff) << 24) | data.length, 4);
  return Buffer.concat([head, data]);
}

export function encodeSynStream(streamId: number, headerBlock: Buffer, opts: { associatedId?: number; priority?: number; fin?: boolean; unidirectional?: boolean } = {}): Buffer {
  const body = Buffer.alloc(10);
  body.writeUInt32BE(streamId & 0x7fffffff, 0);
  body.writeUInt32BE((opts.associatedId ?? 0) & 0x7fffffff, 4);
  body[8] = ((opts.priority ?? 0) & 0x7) << 5;
  body[9] = 0; // slot
  const flags = (opts.fin ? FLAG_FIN : 0) | (opts.unidirectional ? FLAG_UNIDIRECTIONAL : 0);
  return control(TYPE_SYN_STREAM, flags, Buffer.concat([body, headerBlock]));
}

export function encodeSynReply(streamId: number, headerBlock: Buffer, fin = false): Buffer {
  const id = Buffer.alloc(4);
  id.writeUInt32BE(streamId & 0x7fffffff, 0);
  return control(TYPE_SYN_REPLY, fin ? FLAG_FIN : 0, Buffer.concat([id, headerBlock]));
}

export function encodeHeaders(streamId: number, headerBlock: Buffer, fin = false): Buffer {
  const id = Buffer.alloc(4);
  id.writeUInt32BE(streamId & 0x7fffffff, 0);
  return control(TYPE_HEADERS, fin ? FLAG_FIN : 0, Buffer.concat([id, headerBlock]));
}

export function encodeRstStream(streamId: number, status: number): Buffer {
  const body = Buffer.alloc(8);
  body.writeUInt32BE(streamId & 0x7fffffff, 0);
  body.writeUInt32BE(status, 4);
  return control(TYPE_RST_STREAM, 0, body);
}

export function encodeSettings(entries: { flags?: number; id: number; value: number }[]): Buffer {
  const body = Buffer.alloc(4 + entries.length * 8);
  body.writeUInt32BE(entries.length, 0);
  entries.forEach((e, i) => {
    body.writeUInt32BE((((e.flags ?? 0) & 0xff) << 24) | (e.id & 0xffffff), 4 + i * 8);
    body.writeUInt32BE(e.value >>> 0, 8 + i * 8);
  });
  return control(TYPE_SETTINGS, 0, body);
}

export function encodePing(id: number): Buffer {
  const body = Buffer.alloc(4);
  body.writeUInt32BE(id >>> 0, 0);
  return control(TYPE_PING, 0, body);
}

export function encodeGoaway(lastGoodStreamId: number, status = 0): Buffer {
  const body = Buffer.alloc(8);
  body.writeUInt32BE(lastGoodStreamId & 0x7fffffff, 0);
  body.writeUInt32BE(status, 4);
  return control(TYPE_GOAWAY, 0, body);
}

export function encodeWindowUpdate(streamId: number, delta: number): Buffer {
  const body = Buffer.alloc(8);
  body.writeUInt32BE(streamId & 0x7fffffff, 0);
  body.writeUInt32BE(delta & 0x7fffffff, 4);
  return control(TYPE_WINDOW_UPDATE, 0, body);
}

function need(body: Buffer, n: number, what: string): void {
  if (body.length < n) throw new SpdyProtocolError(`${what} frame too short (${body.length} bytes)`);
}

function decodeControl(type: number, flags: number, body: Buffer): SpdyFrame {
  const fin = (flags & FLAG_FIN) !== 0;
  switch (type) {
    case TYPE_SYN_STREAM:
      need(body, 10, 'SYN_STREAM');
      return {
        type: 'syn_stream',
        streamId: body.readUInt32BE(0) & 0x7fffffff,
        associatedId: body.readUInt32BE(4) & 0x7fffffff,
        priority: body[8] >> 5,
        fin,
        unidirectional: (flags & FLAG_UNIDIRECTIONAL) !== 0,
        headerBlock: body.subarray(10),
      };
    case TYPE_SYN_REPLY:
      need(body, 4, 'SYN_REPLY');
      return { type: 'syn_reply', streamId: body.readUInt32BE(0) & 0x7fffffff, fin, headerBlock: body.subarray(4) };
    case TYPE_RST_STREAM:
      need(body, 8, 'RST_STREAM');
      return { type: 'rst_stream', streamId: body.readUInt32BE(0) & 0x7fffffff, status: body.readUInt32BE(4) };
    case TYPE_SETTINGS: {
      need(body, 4, 'SETTINGS');
      const n = body.readUInt32BE(0);
      need(body, 4 + n * 8, 'SETTINGS');
      const entries = [];
      for (let i = 0; i < n; i++) {
        const fi = body.readUInt32BE(4 + i * 8);
        entries.push({ flags: fi >>> 24, id: fi & 0xffffff, value: body.readUInt32BE(8 + i * 8) });
      }
      return { type: 'settings', clearPersisted: (flags & 0x01) !== 0, entries };
    }
    case TYPE_PING:
      need(body, 4, 'PING');
      return { type: 'ping', id: body.readUInt32BE(0) };
    case TYPE_GOAWAY:
      need(body, 4, 'GOAWAY');
      return { type: 'goaway', lastGoodStreamId: body.readUInt32BE(0) & 0x7fffffff, status: body.length >= 8 ? body.readUInt32BE(4) : 0 };
    case TYPE_HEADERS:
      need(body, 4, 'HEADERS');
      return { type: 'headers', streamId: body.readUInt32BE(0) & 0x7fffffff, fin, headerBlock: body.subarray(4) };
    case TYPE_WINDOW_UPDATE:
      need(body, 8, 'WINDOW_UPDATE');
      return { type: 'window_update', streamId: body.readUInt32BE(0) & 0x7fffffff, delta: body.readUInt32BE(4) & 0x7fffffff };
    default:
      return { type: 'unknown', frameType: type };
  }
}

/** Splits a byte stream into frames. */
export class SpdyFrameParser {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): SpdyFrame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: SpdyFrame[] = [];
    while (this.buf.length >= 8) {
      const b = this.buf;
      const word = b.readUInt32BE(4);
      const flags = word >>> 24;
      const len = word & 0xffffff;
      if (b.length < 8 + len) break;
      const body = Buffer.from(b.subarray(8, 8 + len));
      this.buf = b.subarray(8 + len);
      if (b[0] & 0x80) {
        const version = b.readUInt16BE(0) & 0x7fff;
        if (version !== SPDY_VERSION) throw new SpdyProtocolError(`unsupported SPDY version ${version}`);
        out.push(decodeControl(b.readUInt16BE(2), flags, body));
      } else {
        out.push({ type: 'data', streamId: b.readUInt32BE(0) & 0x7fffffff, fin: (flags & FLAG_FIN) !== 0, data: body });
      }
    }
    return out;
  }
}
