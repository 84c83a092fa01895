/**
 * A terminal for tty containers and `exec -it`: its input queue (TtyInput: one-shot end-of-file
 * as Ctrl-D gives, pending reads of killed readers end), its size (resize → `stty size`,
 * `$COLUMNS`/`$LINES`), its foreground process group (what Ctrl-C / Ctrl-\ signal: the exec'd
 * process, or the job an interactive shell runs, or the shell waiting at its prompt) and the line
 * discipline (canonical mode: echo, backspace, whole lines; `\n` out becomes `\r\n`).
 */
import { BrokenPipe, Input } from './streams';
import type { Signal } from './program';

const EOF = Symbol('eof');

/**
 * The terminal's input queue. Unlike a pipe, end-of-file from the keyboard (Ctrl-D) is one read
 * that returns nothing; the stream goes on (a nested shell exits, its parent keeps reading).
 * `hangup()` ends it for good (the client closed stdin); `abortReads()` ends the reads pending now
 * (their reader was killed by a signal: its read must not swallow the next line typed).
 */
export class TtyInput extends Input {
  private queue: (string | typeof EOF)[] = [];
  private hungUp = false;
  private readers = new Set<() => void>();
  private aborted = 0;

  override get readerClosed(): boolean {
    return false;
  }

  override push(chunk: string): void {
    if (!chunk) return;
    const last = this.queue.length - 1;
    if (last >= 0 && typeof this.queue[last] === 'string') this.queue[last] += chunk;
    else this.queue.push(chunk);
    this.wakeAll();
  }

  /** Ctrl-D on an empty line: the next read returns end-of-file, later reads go on. */
  eof(): void {
    this.queue.push(EOF);
    this.wakeAll();
  }

  override end(): void {
    this.hungUp = true;
    this.wakeAll();
  }

  override close(): void {
    this.queue = [];
  }

  override drained(): undefined {
    return undefined;
  }

  /** Discards what was typed but not read (a signal key flushes the queue, as without `noflsh`). */
  flush(): void {
    this.queue = this.queue.filter((x) => x === EOF);
  }

  /** The reads waiting now return end-of-file (their reader died). */
  abortReads(): void {
    this.aborted++;
    this.wakeAll();
  }

  private wakeAll(): void {
    const w = [...this.readers];
    this.readers.clear();
    for (const f of w) f();
  }

  /** Waits for input; false when the wait was aborted. */
  private async waitInput(): Promise<boolean> {
    const gen = this.aborted;
    await new Promise<void>((resolve) => this.readers.add(resolve));
    return this.aborted === gen;
  }

  override async read(): Promise<string | null> {
    for (;;) {
      const head = this.queue[0];
      if (head === EOF) {
        this.queue.shift();
        return null;
      }
      if (head !== undefined) {
        this.queue.shift();
        return head;
      }
      if (this.hungUp) return null;
      if (!(await this.waitInput())) return null;
    }
  }

  override async readLine(): Promise<string | null> {
    for (;;) {
      const head = this.queue[0];
      if (head === EOF) {
        this.queue.shift();
        return null;
      }
      if (head !== undefined) {
        const nl = head.indexOf('\n');
        if (nl >= 0) {
          const rest = head.slice(nl + 1);
          if (rest) this.queue[0] = rest;
          else this.queue.shift();
          return head.slice(0, nl);
        }
        // an unterminated line before end-of-file is a line
        if (this.queue[1] === EOF || this.hungUp) {
          this.queue.shift();
          return head;
        }
      } else if (this.hungUp) return null;
      if (!(await this.waitInput())) return null;
    }
  }

  /** Typed input is text: byte readers (`cat`, `head -c`, `tr`) get it as typed. */
  override readRaw(): Promise<string | null> {
    return this.read();
  }

  override async readAll(): Promise<string> {
    let out = '';
    for (;;) {
      const c = await this.read();
      if (c === null) return out;
      out += c;
    }
  }
}

/** Who gets the signals the keyboard generates (the terminal's foreground process group). */
export interface ForegroundGroup {
  signal(sig: Signal): void;
}

/** A terminal: input, size, and the foreground process group stack (innermost last). */
export class Tty {
  cols = 0;
  rows = 0;
  private foreground: ForegroundGroup[] = [];

  constructor(readonly input: TtyInput = new TtyInput()) {}

  /** Makes `g` the foreground group (a job started, a nested shell prompting); returns the undo. */
  setForeground(g: ForegroundGroup): () => void {
    this.foreground.push(g);
    return () => {
      const i = this.foreground.lastIndexOf(g);
      if (i >= 0) this.foreground.splice(i, 1);
    };
  }

  /** A keyboard signal: the queue is flushed and the foreground group signalled. */
  interrupt(sig: Signal): void {
    this.input.flush();
    const g = this.foreground[this.foreground.length - 1];
    if (g) g.signal(sig);
  }

  /** Every group on the terminal gets `sig` (a hang-up or kill of the whole session). */
  signalAll(sig: Signal): void {
    for (const g of [...this.foreground].reverse()) g.signal(sig);
  }
}

export class LineDiscipline {
  private line = '';
  private readonly tty: Tty | undefined;
  private readonly input: Input;

  /** `target` is the terminal (signals reach its foreground group) or a plain input (Ctrl-C drops the line). */
  constructor(
    target: Tty | Input,
    private readonly echo: (chunk: string) => void,
  ) {
    this.tty = target instanceof Tty ? target : undefined;
    this.input = target instanceof Tty ? target.input : target;
  }

  write(chunk: string): void {
    let echo = '';
    const flush = () => {
      if (echo) this.echo(echo);
      echo = '';
    };
    for (const ch of chunk) {
      if (ch === '\r' || ch === '\n') {
        echo += '\r\n';
        flush();
        this.pushInput(this.line + '\n');
        this.line = '';
      } else if (ch === '\x7f' || ch === '\b') {
        if (this.line) {
          this.line = this.line.slice(0, -1);
          echo += '\b \b';
        }
      } else if (ch === '\x03' || ch === '\x1c') {
        this.line = '';
        if (this.tty) {
          echo += ch === '\x03' ? '^C' : '^\\';
          flush();
          this.tty.interrupt(ch === '\x03' ? 'SIGINT' : 'SIGQUIT');
        } else if (ch === '\x03') {
          echo += '^C\r\n';
          flush();
          this.pushInput('\n');
        }
      } else if (ch === '\x04') {
        if (this.line) continue;
        flush();
        if (this.tty) this.tty.input.eof();
        else this.input.end();
      } else if (ch >= ' ' || ch === '\t') {
        this.line += ch;
        echo += ch;
      }
    }
    flush();
  }

  private pushInput(text: string): void {
    try {
      this.input.push(text);
    } catch (e) {
      if (!(e instanceof BrokenPipe)) throw e;
    }
  }
}

/** Output through a tty: `\n` becomes `\r\n`. */
export function ttyText(chunk: string): string {
  return chunk.replace(/\r?\n/g, '\r\n');
}
