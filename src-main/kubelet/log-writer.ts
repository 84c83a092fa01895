/**
 * One container's log file in the CRI format containerd writes
 * (`<dataDir>/pods/<ns>_<pod>_<uid>/<container>/<restartCount>.log`):
 * `<RFC3339Nano> <stdout|stderr> <F|P> <text>` per line, `P` for the pieces of a line longer than
 * 16 KiB. Lines are appended in batches: one append per writer per event-loop turn (a busy nginx
 * logs a line per request; an append per line cost more than serving the request). `flush()`
 * writes what is pending at once: readers call it before reading the file and subscribing, so
 * they see every line exactly once; followers hear new lines through `subscribe`. No file stays
 * open between writes: ten thousand quiet containers hold no descriptors.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Clock } from '../client/clock';
import { rfc3339Nano } from './format';

export type LogStreamName = 'stdout' | 'stderr';

export interface LogLine {
  /** Epoch milliseconds of the line. */
  ms: number;
  stream: LogStreamName;
  /** A `P` piece: the line goes on in the next entry. */
  partial: boolean;
  text: string;
}

export interface LogListener {
  line(l: LogLine): void;
  end(): void;
}

/** containerd's maximum line piece before it splits with `P`. */
export const MAX_LOG_LINE = 16 * 1024;

/** Pending log text past which a writer appends at once instead of at the end of the turn. */
const FLUSH_BYTES = 64 * 1024;

export function podLogDir(dataDir: string, namespace: string, pod: string, uid: string): string {
  return join(dataDir, 'pods', `${namespace}_${pod}_${uid}`);
}

export function containerLogPath(dataDir: string, namespace: string, pod: string, uid: string, container: string, restartCount: number): string {
  return join(podLogDir(dataDir, namespace, pod, uid), container, `${restartCount}.log`);
}

export function formatCriLine(l: LogLine): string {
  return `${rfc3339Nano(l.ms)} ${l.stream} ${l.partial ? 'P' : 'F'} ${l.text}\n`;
}

export class ContainerLogWriter {
  private readonly rest: Record<LogStreamName, string> = { stdout: '', stderr: '' };
  private readonly listeners = new Set<LogListener>();
  private closed = false;
  /** Formatted lines not yet on disk. */
  private pending = '';
  private scheduled = false;

  constructor(
    readonly path: string,
    private readonly clock: Clock,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    appendFileSync(path, '');
  }

  get ended(): boolean {
    return this.closed;
  }

  write(stream: LogStreamName, chunk: string): void {
    if (this.closed || chunk === '') return;
    let buf = this.rest[stream] + chunk;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      this.emitLine(stream, buf.slice(0, nl));
      buf = buf.slice(nl + 1);
    }
    while (buf.length > MAX_LOG_LINE) {
      this.emit({ ms: this.clock.now(), stream, partial: true, text: buf.slice(0, MAX_LOG_LINE) });
      buf = buf.slice(MAX_LOG_LINE);
    }
    this.rest[stream] = buf;
  }

  private emitLine(stream: LogStreamName, text: string): void {
    while (text.length > MAX_LOG_LINE) {
      this.emit({ ms: this.clock.now(), stream, partial: true, text: text.slice(0, MAX_LOG_LINE) });
      text = text.slice(MAX_LOG_LINE);
    }
    this.emit({ ms: this.clock.now(), stream, partial: false, text });
  }

  private emit(l: LogLine): void {
    this.pending += formatCriLine(l);
    if (this.pending.length >= FLUSH_BYTES) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    for (const s of this.listeners) s.line(l);
  }

  /** Writes the pending lines to the file now. */
  flush(): void {
    this.scheduled = false;
    if (this.pending === '') return;
    const text = this.pending;
    this.pending = '';
    try {
      appendFileSync(this.path, text);
    } catch {
      // A full or vanished disk (or a pod directory removed meanwhile) loses log lines, as on a
      // real node; the container runs on.
    }
  }

  /** Live lines from now on; returns the unsubscribe function. An ended log calls `end` at once. */
  subscribe(l: LogListener): () => void {
    if (this.closed) {
      l.end();
      return () => {};
    }
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** The container ended: what is left without a newline is written as a full line (as containerd does at EOF). */
  close(): void {
    if (this.closed) return;
    for (const s of ['stdout', 'stderr'] as const) {
      if (this.rest[s] !== '') this.emitLine(s, this.rest[s]);
      this.rest[s] = '';
    }
    this.closed = true;
    this.flush();
    const ls = [...this.listeners];
    this.listeners.clear();
    for (const s of ls) s.end();
  }
}
