/**
 * SPDY/3 header blocks: the name/value block (32-bit count, then 32-bit-length-prefixed lower-case
 * names and values, multiple values NUL-separated) carried in one zlib stream per direction with
 * the SPDY dictionary, each block ending at a sync flush.
 *
 * Sending: the zlib stream is written with stored (uncompressed) deflate blocks, each header block
 * ended by the sync-flush marker as zlib's Z_SYNC_FLUSH ends it; any inflater reads them and they
 * need no compression state: header blocks here are tiny (replies carry none).
 * Receiving: a real inflater with the dictionary (Go's client compresses at best compression).
 */
import zlib from 'node:zlib';
import { SPDY3_DICTIONARY } from './dictionary';
import { SpdyProtocolError } from './frames';

export type SpdyHeaders = Map<string, string>;

export function encodeNameValueBlock(headers: Iterable<[string, string]>): Buffer {
  const pairs = [...headers];
  const parts: Buffer[] = [];
  const count = Buffer.alloc(4);
  count.writeUInt32BE(pairs.length, 0);
  parts.push(count);
  for (const [name, value] of pairs) {
    for (const s of [name.toLowerCase(), value]) {
      const b = Buffer.from(s, 'utf8');
      const len = Buffer.alloc(4);
      len.writeUInt32BE(b.length, 0);
      parts.push(len, b);
    }
  }
  return Buffer.concat(parts);
}

export function decodeNameValueBlock(block: Buffer): SpdyHeaders {
  const out: SpdyHeaders = new Map();
  if (block.length < 4) throw new SpdyProtocolError('header block too short');
  const n = block.readUInt32BE(0);
  let off = 4;
  const str = (): string => {
    if (off + 4 > block.length) throw new SpdyProtocolError('truncated header block');
    const len = block.readUInt32BE(off);
    off += 4;
    if (off + len > block.length) throw new SpdyProtocolError('truncated header block');
    const s = block.toString('utf8', off, off + len);
    off += len;
    return s;
  };
  for (let i = 0; i < n; i++) {
    const name = str().toLowerCase();
    const value = str();
    const prev = out.get(name);
    out.set(name, prev === undefined ? value : `${prev}\0${value}`);
  }
  return out;
}

function adler32(buf: Buffer): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < buf.length; i++) {
    a = (a + buf[i]) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** The zlib stream of one direction, written with stored blocks (each block byte-aligned = flushed). */
export class HeaderCompressor {
  private started = false;

  compress(block: Buffer): Buffer {
    const parts: Buffer[] = [];
    if (!this.started) {
      this.started = true;
      // CMF: deflate, 32K window. FLG: FDICT set, check bits so that (CMF<<8|FLG) % 31 == 0.
      const cmf = 0x78;
      let flg = 0x20;
      flg += 31 - (((cmf << 8) | flg) % 31);
      const head = Buffer.alloc(6);
      head[0] = cmf;
      head[1] = flg;
      head.writeUInt32BE(adler32(SPDY3_DICTIONARY), 2);
      parts.push(head);
    }
    let off = 0;
    do {
      const n = Math.min(0xffff, block.length - off);
      const h = Buffer.alloc(5);
      h[0] = 0x00; // BFINAL=0, BTYPE=00 (stored), padding to the byte boundary
      h.writeUInt16LE(n, 1);
      h.writeUInt16LE(~n & 0xffff, 3);
      parts.push(h, block.subarray(off, off + n));
      off += n;
    } while (off < block.length);
    // The sync-flush marker (an empty stored block): inflaters such as Go's hand out a stored
    // block's bytes only when the next block begins, and a header block must end on its own.
    parts.push(Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]));
    return Buffer.concat(parts);
  }
}

/** The peer's zlib stream: blocks inflated in order, one at a time. */
export class HeaderDecompressor {
  private readonly inflate = zlib.createInflate({ dictionary: SPDY3_DICTIONARY });
  private chunks: Buffer[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private failed?: Error;
  /** The block being inflated: a zlib error fails it (the flush then never completes). */
  private current?: (e: Error) => void;

  constructor() {
    this.inflate.on('data', (c: Buffer) => this.chunks.push(c));
    this.inflate.on('error', (e: Error) => {
      this.failed = e;
      this.current?.(e);
    });
  }

  decompress(compressed: Buffer): Promise<Buffer> {
    const run = this.queue.then(
      () =>
        new Promise<Buffer>((resolve, reject) => {
          const fail = (e: Error) => {
            this.current = undefined;
            reject(new SpdyProtocolError(`header decompression failed: ${e.message}`));
          };
          if (this.failed) return fail(this.failed);
          this.current = fail;
          this.inflate.write(compressed);
          this.inflate.flush(zlib.constants.Z_SYNC_FLUSH, () => {
            if (this.current !== fail) return;
            this.current = undefined;
            if (this.failed) return fail(this.failed);
            const out = Buffer.concat(this.chunks);
            this.chunks = [];
            resolve(out);
          });
        }),
    );
    this.queue = run.catch(() => undefined);
    return run;
  }

  close(): void {
    this.inflate.close();
  }
}
