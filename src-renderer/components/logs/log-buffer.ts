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

  /**
   * Merged sources: keeps the buffer in time order. Lines without a time go last; a batch older
   * than the newest line (a pod's backlog arriving after another pod's) is merged into place.
   */
  pushOrdered(items: Omit<ViewLine, 'id'>[]): void {
    if (!items.length) return;
    const batch = items.map((l) => ({ l, k: timeKey(l.time) }));
    batch.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
    const first = batch[0].k;
    let at = this.lines.length;
    while (at > 0 && timeKey(this.lines[at - 1].time) > first) at--;
    if (at === this.lines.length) {
      this.push(batch.map((b) => b.l));
      return;
    }
    const tail = this.lines.splice(at).map((l) => ({ l, k: timeKey(l.time) }));
    const merged: ViewLine[] = [];
    let i = 0;
    let j = 0;
    while (i < tail.length || j < batch.length) {
      if (j >= batch.length || (i < tail.length && tail[i].k <= batch[j].k)) merged.push(tail[i++].l);
      else merged.push({ ...batch[j++].l, id: this.nextId++ });
    }
    this.lines.push(...merged);
    this.push([]);
  }

  clear(): void {
    this.lines = [];
    this.dropped = 0;
  }
}

/**
 * A sortable key of an RFC 3339 time (`…:05.3Z` and `…:05.301Z` compare right: the fraction is
 * padded to nanoseconds); no time sorts last.
 */
export function timeKey(t: string | undefined): string {
  if (!t) return '~';
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?/.exec(t);
  return m ? `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}` : t;
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
