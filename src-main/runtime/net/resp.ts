/**
 * The RESP2 wire format (redis serialization protocol): encoding replies and commands, and an
 * incremental parser for both directions that copes with frames split across reads and several
 * frames in one read (pipelining). Inline commands (`PING\r\n`, what `nc`/telnet users type) are
 * split as redis does: whitespace-separated words, "double" and 'single' quotes.
 */
import type { RespValue } from '../program';

/** Redis's own limits on a request (server side; `proto-max-bulk-len` and the multibulk cap). */
const MAX_BULK = 512 * 1024 * 1024;
const MAX_MULTIBULK = 1024 * 1024;
const MAX_INLINE = 64 * 1024;

/** A reply in wire form. Bulk strings are measured in bytes (UTF-8). */
export function encodeReply(v: RespValue): string {
  if (v === null) return '$-1\r\n';
  if (typeof v === 'string') return `$${Buffer.byteLength(v)}\r\n${v}\r\n`;
  if (typeof v === 'number') return `:${Math.trunc(v)}\r\n`;
  if (Array.isArray(v)) {
    let out = `*${v.length}\r\n`;
    for (const x of v) out += encodeReply(x);
    return out;
  }
  if ('error' in v) return `-${oneLine(v.error)}\r\n`;
  return `+${oneLine(v.status)}\r\n`;
}

/** A command as clients send it: an array of bulk strings. */
export function encodeCommand(args: string[]): string {
  let out = `*${args.length}\r\n`;
  for (const a of args) out += `$${Buffer.byteLength(a)}\r\n${a}\r\n`;
  return out;
}

function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, ' ');
}

/** A protocol violation: the server answers `-ERR Protocol error: …` and closes the connection. */
export class RespProtocolError extends Error {}

/**
 * Accumulates bytes and yields complete frames. `mode: 'server'` parses requests (arrays of bulk
 * strings, or inline commands); `mode: 'client'` parses replies of any type.
 */
export class RespParser {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;

  constructor(private readonly mode: 'server' | 'client') {}

  push(chunk: Buffer): void {
    if (this.pos >= this.buf.length) {
      this.buf = chunk;
      this.pos = 0;
    } else {
      this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk]);
      this.pos = 0;
    }
  }

  /** Bytes received but not yet consumed. */
  get pending(): number {
    return this.buf.length - this.pos;
  }

  /** The next complete request (server mode); undefined when more bytes are needed. Throws RespProtocolError. */
  nextCommand(): string[] | undefined {
    for (;;) {
      if (this.pos >= this.buf.length) return undefined;
      if (this.buf[this.pos] !== 0x2a /* '*' */) {
        const line = this.line();
        if (line === undefined) {
          if (this.pending > MAX_INLINE) throw new RespProtocolError('too big inline request');
          return undefined;
        }
        const words = splitInline(line);
        if (words === undefined) throw new RespProtocolError('unbalanced quotes in request');
        if (!words.length) continue; // an empty line is skipped, as redis does
        return words;
      }
      const start = this.pos;
      const v = this.value(true);
      if (v === undefined) {
        this.pos = start;
        return undefined;
      }
      if (v === null) continue; // `*-1` / `*0`: nothing to run
      return v as string[];
    }
  }

  /** The next complete reply (client mode); `undefined` when more bytes are needed. */
  nextReply(): { value: RespValue } | undefined {
    if (this.pos >= this.buf.length) return undefined;
    const start = this.pos;
    const v = this.value(false);
    if (v === undefined) {
      this.pos = start;
      return undefined;
    }
    return { value: v };
  }

  /** One CRLF-terminated line from pos (without the CRLF), or undefined if incomplete. */
  private line(): string | undefined {
    const end = this.buf.indexOf(0x0a, this.pos);
    if (end < 0) return undefined;
    const stop = end > this.pos && this.buf[end - 1] === 0x0d ? end - 1 : end;
    const s = this.buf.toString('utf8', this.pos, stop);
    this.pos = end + 1;
    return s;
  }

  private int(s: string, what: string): number {
    if (!/^-?\d+$/.test(s)) throw new RespProtocolError(`invalid ${what} length`);
    return Number(s);
  }

  /** Parses one value; undefined = incomplete. In request mode only arrays of bulk strings are valid. */
  private value(request: boolean): RespValue | undefined {
    const type = this.buf[this.pos];
    if (type === undefined) return undefined;
    const line = this.line();
    if (line === undefined) {
      if (this.pending > MAX_INLINE) throw new RespProtocolError('too big inline request');
      return undefined;
    }
    const body = line.slice(1);
    const t = String.fromCharCode(type);
    if (request && this.mode === 'server') {
      const n = this.int(body, 'multibulk');
      if (n > MAX_MULTIBULK) throw new RespProtocolError('invalid multibulk length');
      if (n <= 0) return null;
      const args: string[] = [];
      for (let i = 0; i < n; i++) {
        if (this.pos >= this.buf.length) return undefined;
        const c = this.buf[this.pos]!;
        if (c !== 0x24 /* '$' */) throw new RespProtocolError(`expected '$', got '${String.fromCharCode(c)}'`);
        const hdr = this.line();
        if (hdr === undefined) return undefined;
        const len = this.int(hdr.slice(1), 'bulk');
        if (len < 0 || len > MAX_BULK) throw new RespProtocolError('invalid bulk length');
        if (this.buf.length - this.pos < len + 2) return undefined;
        args.push(this.buf.toString('utf8', this.pos, this.pos + len));
        this.pos += len + 2;
      }
      return args;
    }
    switch (t) {
      case '+':
        return { status: body };
      case '-':
        return { error: body };
      case ':':
        return Number(body);
      case '$': {
        const len = this.int(body, 'bulk');
        if (len < 0) return null;
        if (this.buf.length - this.pos < len + 2) return undefined;
        const s = this.buf.toString('utf8', this.pos, this.pos + len);
        this.pos += len + 2;
        return s;
      }
      case '*': {
        const n = this.int(body, 'multibulk');
        if (n < 0) return null;
        const out: RespValue[] = [];
        for (let i = 0; i < n; i++) {
          const v = this.value(false);
          if (v === undefined) return undefined;
          out.push(v);
        }
        return out;
      }
      default:
        throw new RespProtocolError(`unexpected reply type '${t}'`);
    }
  }
}

/** Splits an inline command like redis's sdssplitargs; undefined for unbalanced quotes. */
export function splitInline(line: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (i < n && /\s/.test(line[i]!)) i++;
    if (i >= n) break;
    let word = '';
    let quote: '"' | "'" | undefined;
    for (;;) {
      if (i >= n) {
        if (quote) return undefined;
        break;
      }
      const c = line[i]!;
      if (quote === '"') {
        if (c === '\\' && i + 1 < n) {
          const e = line[i + 1]!;
          const hex = /^x[0-9a-fA-F]{2}$/.test(line.slice(i + 1, i + 4));
          if (hex) {
            word += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
            i += 4;
            continue;
          }
          word += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === 'b' ? '\b' : e === 'a' ? '\x07' : e;
          i += 2;
          continue;
        }
        if (c === '"') {
          // the closing quote must be followed by a space or the end
          if (i + 1 < n && !/\s/.test(line[i + 1]!)) return undefined;
          quote = undefined;
          i++;
          break;
        }
        word += c;
        i++;
      } else if (quote === "'") {
        if (c === '\\' && line[i + 1] === "'") {
          word += "'";
          i += 2;
          continue;
        }
        if (c === "'") {
          if (i + 1 < n && !/\s/.test(line[i + 1]!)) return undefined;
          quote = undefined;
          i++;
          break;
        }
        word += c;
        i++;
      } else {
        if (/\s/.test(c)) break;
        if (c === '"' || c === "'") {
          quote = c;
          i++;
          continue;
        }
        word += c;
        i++;
      }
    }
    out.push(word);
  }
  return out;
}
