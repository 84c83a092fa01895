/**
 * Reading a container's CRI log file the way the kubelet serves `/containerLogs`: since a time,
 * the last N lines, a byte limit, optional timestamps, and follow (new lines until the container
 * ends or the reader goes away). Lines come out as `kubectl logs` prints them: `F` entries end
 * with a newline, `P` pieces do not.
 */
import { readFileSync } from 'node:fs';
import type { PodLogOptions } from '../apiserver/node-connections';
import { parseRfc3339, rfc3339NanoFixed } from './format';
import type { ContainerLogWriter, LogLine } from './log-writer';

export function parseCriLine(raw: string): LogLine | undefined {
  const a = raw.indexOf(' ');
  const b = raw.indexOf(' ', a + 1);
  const c = raw.indexOf(' ', b + 1);
  if (a < 0 || b < 0) return undefined;
  const ms = parseRfc3339(raw.slice(0, a));
  const stream = raw.slice(a + 1, b);
  const tag = c < 0 ? raw.slice(b + 1) : raw.slice(b + 1, c);
  if (Number.isNaN(ms) || (stream !== 'stdout' && stream !== 'stderr') || (tag !== 'F' && tag !== 'P')) return undefined;
  return { ms, stream, partial: tag === 'P', text: c < 0 ? '' : raw.slice(c + 1) };
}

/** Every entry of a log file (a missing file has none). */
export function readLogFile(path: string): LogLine[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  const out: LogLine[] = [];
  for (const raw of text.split('\n')) {
    if (raw === '') continue;
    const l = parseCriLine(raw);
    if (l) out.push(l);
  }
  return out;
}

export function renderLogLine(l: LogLine, timestamps: boolean): string {
  return `${timestamps ? `${rfc3339NanoFixed(l.ms)} ` : ''}${l.text}${l.partial ? '' : '\n'}`;
}

/** The entries `tailLines` keeps: the last N full lines (with the pieces that make them up). */
function tail(lines: LogLine[], n: number): LogLine[] {
  if (n <= 0) return [];
  let full = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (!lines[i].partial) {
      full++;
      if (full > n) return lines.slice(i + 1);
    }
  }
  return lines;
}

/** A log stream as the API server's NodeConnections hands it on (structurally a ByteStream). */
export class LogByteStream {
  private buffered: string[] = [];
  private dataCb?: (chunk: string) => void;
  private endCbs: (() => void)[] = [];
  private ended = false;
  private onClose?: () => void;

  push(chunk: string): void {
    if (this.ended || chunk === '') return;
    if (this.dataCb) this.dataCb(chunk);
    else this.buffered.push(chunk);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.onClose?.();
    this.onClose = undefined;
    if (!this.dataCb) return;
    const cbs = this.endCbs.splice(0);
    for (const cb of cbs) cb();
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** What to undo when the stream ends (unsubscribe from the writer). */
  setCleanup(fn: () => void): void {
    if (this.ended) fn();
    else this.onClose = fn;
  }

  onData(cb: (chunk: string) => void): void {
    this.dataCb = cb;
    const b = this.buffered.splice(0);
    for (const c of b) cb(c);
    if (this.ended) {
      const cbs = this.endCbs.splice(0);
      for (const e of cbs) e();
    }
  }

  onEnd(cb: () => void): void {
    if (this.ended && this.dataCb) cb();
    else this.endCbs.push(cb);
  }

  close(): void {
    this.end();
  }
}

/**
 * Serves one container's log: the file's entries filtered by the options, then, with follow and
 * a live writer, the lines written from now on until the container ends.
 */
export function serveLog(path: string, writer: ContainerLogWriter | undefined, o: PodLogOptions): LogByteStream {
  const out = new LogByteStream();
  let budget = o.limitBytes ?? Infinity;
  const since = o.sinceMs;
  const emit = (l: LogLine): boolean => {
    if (since !== undefined && l.ms < since) return true;
    let text = renderLogLine(l, o.timestamps);
    if (Buffer.byteLength(text) > budget) {
      text = Buffer.from(text).subarray(0, budget).toString('utf8');
      out.push(text);
      budget = 0;
      return false;
    }
    budget -= Buffer.byteLength(text);
    out.push(text);
    return budget > 0;
  };
  // Flushing the writer's batch, reading the file and subscribing happen in one synchronous step:
  // no line is missed or heard twice.
  writer?.flush();
  let entries = readLogFile(path);
  if (o.tailLines !== undefined) entries = tail(entries, o.tailLines);
  let more = true;
  for (const l of entries) {
    if (!(more = emit(l))) break;
  }
  if (!more || !o.follow || !writer || writer.ended) {
    out.end();
    return out;
  }
  const unsubscribe = writer.subscribe({
    line: (l) => {
      if (!emit(l)) out.end();
    },
    end: () => out.end(),
  });
  out.setCleanup(unsubscribe);
  return out;
}
