/**
 * Chart geometry, pure: "nice" value ticks (1, 2, 2.5, 5 × 10ⁿ), time ticks on round clock
 * intervals, linear scales, SVG line/area paths that break across gaps, and the nearest sample
 * to a hovered time.
 */

export interface Ticks {
  min: number;
  max: number;
  step: number;
  ticks: number[];
}

function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  const nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
  return nice * p;
}

/** About `count` ticks from 0 (or below `min`) to at least `max`. */
export function niceTicks(min: number, max: number, count = 4): Ticks {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { min: 0, max: 1, step: 1, ticks: [0, 1] };
  if (max <= min) max = min + (min === 0 ? 1 : Math.abs(min) * 0.1);
  const step = niceStep((max - min) / Math.max(1, count));
  const lo = Math.floor(min / step) * step;
  const hi = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = lo; v <= hi + step / 2; v += step) ticks.push(Math.round(v / step) * step);
  return { min: lo, max: hi, step, ticks };
}

const TIME_STEPS = [5e3, 10e3, 15e3, 30e3, 60e3, 120e3, 300e3, 600e3, 900e3, 1800e3, 3600e3];

/** Ticks on round clock times (every 1 min, 2 min, 5 min, …) inside [t0, t1], about `count` of them. */
export function timeTicks(t0: number, t1: number, count = 5): { step: number; ticks: number[] } {
  const span = Math.max(1, t1 - t0);
  const step = TIME_STEPS.find((s) => span / s <= count) ?? TIME_STEPS[TIME_STEPS.length - 1];
  const ticks: number[] = [];
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) ticks.push(t);
  return { step, ticks };
}

export type Scale = (v: number) => number;

export function linear(d0: number, d1: number, r0: number, r1: number): Scale {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

const r = (v: number) => Math.round(v * 10) / 10;

/** `M x y L x y …`; a gap longer than `gapMs` between two points starts a new segment. */
export function linePath(points: readonly (readonly [number, number])[], x: Scale, y: Scale, gapMs = Infinity): string {
  let d = '';
  let prevT = NaN;
  for (const [t, v] of points) {
    if (!Number.isFinite(v)) {
      prevT = NaN;
      continue;
    }
    const move = Number.isNaN(prevT) || t - prevT > gapMs;
    d += `${d ? ' ' : ''}${move ? 'M' : 'L'}${r(x(t))} ${r(y(v))}`;
    prevT = t;
  }
  return d;
}

/** The area under the line down to `baseY`, one closed shape per segment. */
export function areaPath(points: readonly (readonly [number, number])[], x: Scale, y: Scale, baseY: number, gapMs = Infinity): string {
  const segments: (readonly [number, number])[][] = [];
  let cur: (readonly [number, number])[] = [];
  let prevT = NaN;
  for (const p of points) {
    if (!Number.isFinite(p[1])) {
      if (cur.length) segments.push(cur);
      cur = [];
      prevT = NaN;
      continue;
    }
    if (!Number.isNaN(prevT) && p[0] - prevT > gapMs && cur.length) {
      segments.push(cur);
      cur = [];
    }
    cur.push(p);
    prevT = p[0];
  }
  if (cur.length) segments.push(cur);
  return segments
    .map((s) => `M${r(x(s[0][0]))} ${r(baseY)} ${s.map(([t, v]) => `L${r(x(t))} ${r(y(v))}`).join(' ')} L${r(x(s[s.length - 1][0]))} ${r(baseY)} Z`)
    .join(' ');
}

/** The index of the point whose time is nearest `t` (points sorted by time); -1 when empty. */
export function nearestIndex(points: readonly (readonly [number, number])[], t: number): number {
  if (!points.length) return -1;
  let lo = 0;
  let hi = points.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid][0] < t) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs(points[lo - 1][0] - t) <= Math.abs(points[lo][0] - t)) return lo - 1;
  return lo;
}

/** The time domain shown: the last `windowMs` at most, at least `minSpanMs` ending at the newest sample. */
export function timeDomain(first: number, last: number, windowMs: number, minSpanMs: number, now: number): [number, number] {
  if (!Number.isFinite(last)) return [now - minSpanMs, now];
  const start = Math.max(last - windowMs, Math.min(first, last - minSpanMs));
  return [start, last];
}
