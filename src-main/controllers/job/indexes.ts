/**
 * Completion indexes of Indexed Jobs as ordered, non-overlapping intervals, written as
 * `status.completedIndexes` is (`1,3-5,7`), and the first indexes still to run.
 */

export interface Interval {
  first: number;
  last: number;
}

/** parseIndexesFromString: invalid parts are skipped, indexes ≥ completions dropped. */
export function parseIndexes(s: string | undefined, completions: number): Interval[] {
  const out: Interval[] = [];
  if (!s) return out;
  for (const part of s.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) continue;
    const first = Number(m[1]);
    let last = m[2] === undefined ? first : Number(m[2]);
    if (first >= completions || last < first) continue;
    last = Math.min(last, completions - 1);
    const prev = out[out.length - 1];
    if (prev && first <= prev.last + 1) prev.last = Math.max(prev.last, last);
    else out.push({ first, last });
  }
  return out;
}

/** The intervals with more (sorted) indexes merged in. */
export function withIndexes(intervals: readonly Interval[], sortedIndexes: readonly number[]): Interval[] {
  const all = new Set<number>(sortedIndexes);
  for (const iv of intervals) for (let i = iv.first; i <= iv.last; i++) all.add(i);
  const sorted = [...all].sort((a, b) => a - b);
  const out: Interval[] = [];
  for (const i of sorted) {
    const prev = out[out.length - 1];
    if (prev && i === prev.last + 1) prev.last = i;
    else out.push({ first: i, last: i });
  }
  return out;
}

export function formatIndexes(intervals: readonly Interval[]): string {
  return intervals.map((iv) => (iv.first === iv.last ? String(iv.first) : iv.first + 1 === iv.last ? `${iv.first},${iv.last}` : `${iv.first}-${iv.last}`)).join(',');
}

export function totalIndexes(intervals: readonly Interval[]): number {
  return intervals.reduce((n, iv) => n + iv.last - iv.first + 1, 0);
}

export function hasIndex(intervals: readonly Interval[], i: number): boolean {
  return intervals.some((iv) => iv.first <= i && i <= iv.last);
}

/** The first `count` indexes below `completions` that are neither done nor running. */
export function firstPendingIndexes(nonPending: readonly Interval[], count: number, completions: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < completions && out.length < count; i++) if (!hasIndex(nonPending, i)) out.push(i);
  return out;
}
