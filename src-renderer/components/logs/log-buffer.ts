/**
 * The log viewer's pure parts: a capped line buffer (the oldest lines go first past the cap, so
 * a long follow stays smooth), search matches and highlight segments, pod colours, the text of a
 * download.
 */

export interface ViewLine {
  /** Increasing, unique within one buffer (list keys). */
  id: number;
  pod: string;
  container: string;
  time?: string;
  text: string;
}

export const MAX_LINES = 100_000;

export class LogBuffer {
  private nextId = 1;
  lines: ViewLine[] = [];
  /** How many lines were dropped from the front since the last clear. */
  dropped = 0;

  constructor(readonly cap = MAX_LINES) {}

  push(items: Omit<ViewLine, 'id'>[]): void {
    for (const l of items) this.lines.push({ ...l, id: this.nextId++ });
    if (this.lines.length > this.cap) {
      // Drop a tenth at once: one splice now and then instead of one per line.
      const n = this.lines.length - this.cap + Math.floor(this.cap / 10);
      this.lines.splice(0, n);
      this.dropped += n;
    }
  }

  clear(): void {
    this.lines = [];
    this.dropped = 0;
  }
}

/** Case-insensitive by default; an empty query matches nothing. */
export function lineMatches(text: string, query: string, caseSensitive = false): boolean {
  if (!query) return false;
  return caseSensitive ? text.includes(query) : text.toLowerCase().includes(query.toLowerCase());
}

export interface Segment {
  text: string;
  match: boolean;
}

/** The text cut into plain and matching parts (for `<mark>` without HTML strings). */
export function highlightSegments(text: string, query: string, caseSensitive = false): Segment[] {
  if (!query) return [{ text, match: false }];
  const hay = caseSensitive ? text : text.toLowerCase();
  const needle = caseSensitive ? query : query.toLowerCase();
  const out: Segment[] = [];
  let at = 0;
  for (;;) {
    const i = hay.indexOf(needle, at);
    if (i < 0) break;
    if (i > at) out.push({ text: text.slice(at, i), match: false });
    out.push({ text: text.slice(i, i + needle.length), match: true });
    at = i + needle.length;
  }
  if (at < text.length || out.length === 0) out.push({ text: text.slice(at), match: false });
  return out;
}

/** Distinct, readable on light and dark backgrounds; pods get them in order of appearance. */
export const POD_COLOURS = 8;

export function colourIndex(pods: readonly string[], pod: string): number {
  const i = pods.indexOf(pod);
  return (i < 0 ? 0 : i) % POD_COLOURS;
}

/** `2026-11-23T16:40:00.123456789Z` → `2026-11-23 16:40:00.123` (UTC, as the kubelet writes it). */
export function shortTime(t: string | undefined): string {
  if (!t) return '';
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(\.\d{1,3})?/.exec(t);
  return m ? `${m[1]} ${m[2]}${(m[3] ?? '.000').padEnd(4, '0')}` : t;
}

/** The download: one line each, `[pod/container] ` when several sources are merged, the timestamp when shown. */
export function downloadText(lines: readonly ViewLine[], opts: { timestamps: boolean; tagged: boolean }): string {
  let out = '';
  for (const l of lines) {
    if (opts.timestamps && l.time) out += `${l.time} `;
    if (opts.tagged) out += `[${l.pod}/${l.container}] `;
    out += `${l.text}\n`;
  }
  return out;
}

/** A file name from the source: `web-7d9f-abcde.log`, `deployment-web.log`. */
export function downloadName(parts: string[]): string {
  return `${parts.filter(Boolean).join('-').replace(/[^A-Za-z0-9._-]+/g, '_')}.log`;
}
