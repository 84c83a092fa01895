/**
 * Byte-less text streams between in-process programs: a container's stdout/stderr, pipes
 * between shell commands, files opened for reading. No back-pressure (programs are cooperative);
 * a writer whose reader has gone away gets `BrokenPipe` (SIGPIPE, exit 141 upstream).
 */

export class BrokenPipe extends Error {
  constructor() {
    super('broken pipe');
  }
}

export interface Output {
  write(chunk: string): void;
  /**
   * Back-pressure: a promise while the reader is behind (a pipe holds 64 KiB like Linux),
   * undefined when writing may go on. Loops that write should await it.
   */
  drain?(): Promise<void> | undefined;
}

/** What a pipe buffers before its writer has to wait (Linux: 64 KiB). */
export const PIPE_BUFFER = 65_536;

/** A readable stream with a buffer; `push`/`end` feed it, `read`/`readLine` consume it. */
export class Input {
  private buf = '';
  private ended = false;
  private closed = false;
  private waiter: (() => void) | undefined;
  private drainers: (() => void)[] = [];

  static of(text: string): Input {
    const i = new Input();
    if (text) i.push(text);
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

  push(chunk: string): void {
    if (this.closed) throw new BrokenPipe();
    this.buf += chunk;
    this.wake();
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  /** The reader is done: later writes fail with BrokenPipe. */
  close(): void {
    this.closed = true;
    this.buf = '';
    this.wakeDrainers();
  }

  /** Undefined while the buffer is small; otherwise resolves once the reader has caught up. */
  drained(): Promise<void> | undefined {
    if (this.buf.length <= PIPE_BUFFER || this.closed) return undefined;
    return new Promise((resolve) => this.drainers.push(resolve));
  }

  private wakeDrainers(): void {
    if (!this.drainers.length || (this.buf.length > PIPE_BUFFER && !this.closed)) return;
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
    return new Promise((resolve) => {
      const prev = this.waiter;
      this.waiter = () => {
        prev?.();
        resolve();
      };
    });
  }

  /** The next chunk, or null at end of stream. */
  async read(): Promise<string | null> {
    while (this.buf === '' && !this.ended) await this.wait();
    if (this.buf === '') return null;
    const out = this.buf;
    this.buf = '';
    this.wakeDrainers();
    return out;
  }

  /** The next line without its newline, or null at end of stream (a last unterminated line is returned). */
  async readLine(): Promise<string | null> {
    for (;;) {
      const nl = this.buf.indexOf('\n');
      if (nl >= 0) {
        const line = this.buf.slice(0, nl);
        this.buf = this.buf.slice(nl + 1);
        this.wakeDrainers();
        return line;
      }
      if (this.ended) {
        if (this.buf === '') return null;
        const line = this.buf;
        this.buf = '';
        return line;
      }
      await this.wait();
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

/** Collects output into a string (command substitution). */
export class Collector implements Output {
  text = '';
  write(chunk: string): void {
    if (this.text.length + chunk.length > COLLECT_LIMIT) throw new BrokenPipe();
    this.text += chunk;
  }
}

export const discard: Output = { write: () => {} };
