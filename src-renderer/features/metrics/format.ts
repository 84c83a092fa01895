/**
 * Figures as `kubectl top` prints them: CPU in millicores rounded up (`121m`, Quantity.MilliValue),
 * memory in whole MiB rounded down (`515Mi`), percentages truncated (`3%`); and axis labels.
 */
import { parseQuantity } from '../../util/quantity';

/** A CPU quantity (`120899624n`, `250m`, `2`) in millicores; NaN when it does not parse. */
export function milliCores(q: string | undefined): number {
  if (q === undefined) return NaN;
  const m = /^(\d+)n$/.exec(q.trim());
  if (m) return Number(m[1]) / 1e6; // exact for nanocores (the metrics API's usual form)
  return parseQuantity(q) * 1000;
}

/** A memory quantity in bytes. */
export function bytes(q: string | undefined): number {
  return parseQuantity(q);
}

/** kubectl top's CPU(cores): `121m`. */
export function topCpu(milli: number): string {
  if (!Number.isFinite(milli)) return '<unknown>';
  // MilliValue rounds up; the epsilon keeps 100.00000000000001 (float noise) at 100.
  return `${Math.ceil(milli - 1e-9)}m`;
}

/** kubectl top's MEMORY(bytes): `515Mi`. */
export function topMemory(b: number): string {
  if (!Number.isFinite(b)) return '<unknown>';
  return `${Math.floor(b / 2 ** 20)}Mi`;
}

/** kubectl top's CPU(%) / MEMORY(%): used ÷ allocatable, truncated. */
export function topPercent(used: number, available: number): string {
  if (!Number.isFinite(used) || !Number.isFinite(available)) return '<unknown>';
  if (available <= 0) return '0%';
  return `${Math.trunc((used / available) * 100)}%`;
}

export type Unit = 'cpu' | 'memory';

/** An axis or readout value: millicores (`250m`, `1500m`) or MiB (`512Mi`, with decimals below 10). */
export function formatValue(unit: Unit, v: number): string {
  if (!Number.isFinite(v)) return '–';
  if (unit === 'cpu') return `${v >= 10 || v === 0 ? Math.round(v) : Math.round(v * 10) / 10}m`;
  const mi = v / 2 ** 20;
  return `${mi >= 10 || mi === 0 ? Math.round(mi) : Math.round(mi * 10) / 10}Mi`;
}

/** A clock time for the time axis and readouts: `19:42` or `19:42:30`. */
export function clock(t: number, seconds: boolean): string {
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}${seconds ? `:${p(d.getSeconds())}` : ''}`;
}
