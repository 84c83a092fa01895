/**
 * Streams between in-process programs: a container's stdout/stderr, pipes between shell
 * commands, files opened for reading. A chunk is text (a JS string: its bytes are its UTF-8
 * encoding) or bytes (a Uint8Array, kept exactly): programs that print text write strings,
 * `cat`, `tar`, `head -c`, `base64 -d` … move bytes. Readers choose: `read`/`readLine`/`readAll`
 * give text (bytes decoded as UTF-8; a character split between chunks is kept whole, invalid
 * bytes become U+FFFD), `readRaw`/`readBytes`/`readAllBytes` give the exact bytes.
 * No back-pressure beyond `drain` (programs are cooperative); a writer whose reader has gone away
 * gets `BrokenPipe` (SIGPIPE, exit 141 upstream).
 */

export class BrokenPipe extends Error {
  constructor() {
    super('broken pipe');
  }
}

/** What flows through a stream: text (UTF-8 on the wire) or exact bytes. */
export type Chunk = string | Uint8Array;

export interface Output {
  /** Text or bytes; both reach the reader in order, bytes unchanged. */
  write(chunk: Chunk): void;
  /**
   * Back-pressure: a promise while the reader is behind (a pipe holds 64 KiB like Linux),
   * undefined when writing may go on. Loops that write should await it.
   */
  drain?(): Promise<void> | undefined;
}

/** What a pipe buffers before its writer has to wait (Linux: 64 KiB). */
export const PIPE_BUFFER = 65_536;

/** A chunk's bytes (a string's UTF-8 encoding; a Uint8Array as a Buffer view, not copied). */
export function chunkBytes(c: Chunk): Buffer {
  if (typeof c === 'string') return Buffer.from(c, 'utf8');
  return Buffer.isBuffer(c) ? c : Buffer.from(c.buffer, c.byteOffset, c.byteLength);
}

/** A chunk as text (bytes decoded as UTF-8, invalid sequences as U+FFFD). */
export function chunkText(c: Chunk): string {
  return typeof c === 'string' ? c : chunkBytes(c).toString('utf8');
}

/** How many bytes a chunk carries. */
export function chunkSize(c: Chunk): number {
  return typeof c === 'string' ? Buffer.byteLength(c) : c.byteLength;
}

/**
 * How many bytes at the end of `b` start a UTF-8 character that the next bytes may complete
 * (0 when `b` ends on a character boundary or with bytes that cannot be completed).
 */
export function incompleteUtf8Tail(b: Uint8Array): number {
  const n = b.length;
  for (let k = 1; k <= 3 && k <= n; k++) {
    const x = b[n - k]!;
    if ((x & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const need = x >= 0xc2 && x <= 0xdf ? 2 : x >= 0xe0 && x <= 0xef ? 3 : x >= 0xf0 && x <= 0xf4 ? 4 : 1;
    return need > k ? k : 0;
  }
  return 0;
}

/** Decodes bytes as UTF-8 across chunks (a character split between two chunks comes out whole). */
export class Utf8Decoder {
  private tail: Buffer | undefined;
  write(c: Chunk): string {
    if (typeof c === 'string') return this.end() + c;
    let b = chunkBytes(c);
    if (this.tail) {
      b = Buffer.concat([this.tail, b]);
      this.tail = undefined;
    }
    const t = incompleteUtf8Tail(b);
    if (t) {
      this.tail = Buffer.from(b.subarray(b.length - t));
      b = b.subarray(0, b.length - t);
    }
    return b.toString('utf8');
  }
  /** What is left (an unfinished character becomes U+FFFD). */
  end(): string {
    const t = this.tail;
    this.tail = undefined;
    return t ? t.toString('utf8') : '';
  }
}

/**
 * A readable stream with a buffer; `push`/`end` feed it, `read*` consume it. Text chunks stay
 * strings (consecutive ones are joined), byte chunks stay bytes until a text reader decodes them.
 */
export class Input {
  private q: Chunk[] = [];
  /** What is buffered (string lengths and byte counts: the back-pressure measure). */
  private size = 0;
  private ended = false;
  private closed = false;
  private waiter: (() => void) | undefined;
  private drainers: (() => void)[] = [];
  /** Where an endless stream's next chunk comes from when the buffer is empty (a device). */
  private source: (() => Chunk | null) | undefined;

  /**
   * A stream whose chunks are made as they are read (`/dev/zero`, `/dev/urandom`): `next` gives
   * the next chunk, or null for end of stream. Readers of endless sources must yield themselves.
   */
  static pull(next: () => Chunk | null): Input {
    const i = new Input();
    i.source = next;
    return i;
  }

  static of(data: Chunk): Input {
    const i = new Input();
    if (data.length) i.push(data);
    i.end();
    return i;
  }

  static empty(): Input {
    return Input.of('');
  }

  /** True once the reader has closed this stream (writers then get BrokenPipe). */
  get readerClosed(): boolean {
    return this.closed;
  }

  push(chunk: Chunk): void {
    if (this.closed) throw new BrokenPipe();
    if (!chunk.length) return;
    const q = this.q;
    const last = q.length - 1;
    if (typeof chunk === 'string' && last >= 0 && typeof q[last] === 'string') q[last] += chunk;
    else q.push(chunk);
    this.size += chunk.length;
    this.wake();
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  /** The reader is done: later writes fail with BrokenPipe. */
  close(): void {
    this.closed = true;
    this.source = undefined;
    this.q = [];
    this.size = 0;
    this.wakeDrainers();
  }

  /** Undefined while the buffer is small; otherwise resolves once the reader has caught up. */
  drained(): Promise<void> | undefined {
    if (this.size <= PIPE_BUFFER || this.closed) return undefined;
    return new Promise((resolve) => this.drainers.push(resolve));
  }

  private wakeDrainers(): void {
    if (!this.drainers.length || (this.size > PIPE_BUFFER && !this.closed)) return;
    const d = this.drainers;
    this.drainers = [];
    for (const f of d) f();
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  private wait(): Promise<void> {
    if (this.source) {
      const c = this.source();
      if (c === null) this.end();
      else this.push(c);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const prev = this.waiter;
      this.waiter = () => {
        prev?.();
        resolve();
      };
    });
  }

  private setQueue(q: Chunk[]): void {
    this.q = q;
    let n = 0;
    for (const c of q) n += c.length;
    this.size = n;
    this.wakeDrainers();
  }

  /**
   * Turns the queue into one leading string (bytes decoded). Unless the stream has ended, the
   * bytes of a character not complete yet stay queued (as bytes) for the next chunk.
   */
  private toText(): void {
    const q = this.q;
    if (!q.length || (q.length === 1 && typeof q[0] === 'string')) return;
    // already text but for the start of a character still coming: nothing to do yet
    if (q.length === 2 && typeof q[0] === 'string' && typeof q[1] !== 'string' && !this.ended && incompleteUtf8Tail(q[1]!) === q[1]!.length) return;
    let text = '';
    let bytes: Buffer[] = [];
    const flush = (last: boolean): Buffer | undefined => {
      if (!bytes.length) return undefined;
      const b = bytes.length === 1 ? chunkBytes(bytes[0]!) : Buffer.concat(bytes);
      bytes = [];
      const t = last && !this.ended ? incompleteUtf8Tail(b) : 0;
      text += b.subarray(0, b.length - t).toString('utf8');
      return t ? b.subarray(b.length - t) : undefined;
    };
    for (const c of q) {
      if (typeof c === 'string') {
        flush(false);
        text += c;
      } else bytes.push(chunkBytes(c));
    }
    const tail = flush(true);
    const next: Chunk[] = [];
    if (text) next.push(text);
    if (tail) next.push(tail);
    this.setQueue(next);
  }

  /** The next text (all buffered, bytes decoded as UTF-8), or null at end of stream. */
  async read(): Promise<string | null> {
    for (;;) {
      this.toText();
      const head = this.q[0];
      if (typeof head === 'string') {
        this.setQueue(this.q.slice(1));
        return head;
      }
      if (this.ended) {
        if (!this.q.length) return null;
        continue; // a last unfinished character: decoded now that the stream has ended
      }
      await this.wait();
    }
  }

  /**
   * The next chunk exactly as written (all buffered: a string if only text was written, else
   * the bytes), or null at end of stream. For programs that pass data on (`cat`, `tee`).
   */
  async readRaw(): Promise<Chunk | null> {
    while (!this.q.length && !this.ended) await this.wait();
    const q = this.q;
    if (!q.length) return null;
    this.setQueue([]);
    if (q.length === 1) return q[0]!;
    return Buffer.concat(q.map(chunkBytes));
  }

  /** The next bytes (all buffered), or null at end of stream. */
  async readBytes(): Promise<Buffer | null> {
    const c = await this.readRaw();
    return c === null ? null : chunkBytes(c);
  }

  /** The next line without its newline, or null at end of stream (a last unterminated line is returned). */
  async readLine(): Promise<string | null> {
    for (;;) {
      this.toText();
      const head = this.q[0];
      if (typeof head === 'string') {
        const nl = head.indexOf('\n');
        if (nl >= 0) {
          const rest = head.slice(nl + 1);
          const q = this.q.slice(1);
          if (rest) q.unshift(rest);
          this.setQueue(q);
          return head.slice(0, nl);
        }
        if (this.ended && this.q.length === 1) {
          this.setQueue([]);
          return head;
        }
      } else if (this.ended && !this.q.length) return null;
      if (!this.ended) await this.wait();
    }
  }

  async readAll(): Promise<string> {
    let out = '';
    for (;;) {
      const c = await this.read();
      if (c === null) return out;
      out += c;
    }
  }

  /** Everything until end of stream, as exact bytes. */
  async readAllBytes(): Promise<Buffer> {
    const parts: Buffer[] = [];
    for (;;) {
      const c = await this.readBytes();
      if (c === null) return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
      parts.push(c);
    }
  }
}

/** A pipe: what is written to `output` is read from `input`. */
export class Pipe {
  readonly input = new Input();
  readonly output: Output = { write: (chunk) => this.input.push(chunk), drain: () => this.input.drained() };
  close(): void {
    this.input.end();
  }
}

/** Most a command substitution keeps (beyond it the writer gets BrokenPipe, not the app's heap). */
export const COLLECT_LIMIT = 64 * 1024 * 1024;

/** Collects output (command substitution): `text` decodes bytes written as UTF-8. */
export class Collector implements Output {
  private out = '';
  private readonly decoder = new Utf8Decoder();
  get text(): string {
    this.out += this.decoder.end();
    return this.out;
  }
  set text(v: string) {
    this.decoder.end();
    this.out = v;
  }
  write(chunk: Chunk): void {
    if (this.out.length + chunk.length > COLLECT_LIMIT) throw new BrokenPipe();
    this.out += this.decoder.write(chunk);
  }
}

export const discard: Output = { write: () => {} };
