/**
 * Wall-clock arithmetic in an IANA time zone with Go's `time` semantics, which the cron schedule
 * (robfig/cron) is defined in: `goDate` normalizes out-of-range fields and resolves wall times
 * that fall into a DST gap or fold as Go's time.Date does; `addDate` is time.AddDate. Zone offsets
 * come from Intl (Node's ICU time zone data); times are epoch milliseconds.
 */

export interface Wall {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, number>();
const OFFSET_CACHE_MAX = 50_000;

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', era: 'short' });
    formatters.set(zone, f);
  }
  return f;
}

/**
 * Whether time.LoadLocation would find the zone: Node knows it, and it is not a canonical name in
 * the wrong case (ICU matches names case-insensitively, the zoneinfo files do not).
 */
export function isValidZone(zone: string): boolean {
  if (zone === 'UTC' || zone === '') return true;
  try {
    const resolved = formatter(zone).resolvedOptions().timeZone;
    return resolved === zone || resolved.toLowerCase() !== zone.toLowerCase();
  } catch {
    return false;
  }
}

/** The zone's UTC offset in ms at an instant (local = utc + offset). */
export function offsetAt(ms: number, zone: string): number {
  if (zone === 'UTC' || zone === '') return 0;
  const sec = Math.floor(ms / 1000) * 1000;
  const key = `${zone}|${sec}`;
  const hit = offsetCache.get(key);
  if (hit !== undefined) return hit;
  const parts = formatter(zone).formatToParts(new Date(sec));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  let year = get('year');
  if (parts.find((p) => p.type === 'era')?.value === 'BC') year = 1 - year;
  const local = Date.UTC(year, get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  const off = local - sec;
  if (offsetCache.size >= OFFSET_CACHE_MAX) offsetCache.clear();
  offsetCache.set(key, off);
  return off;
}

/** The wall clock of an instant in a zone. */
export function wallOf(ms: number, zone: string): Wall {
  const d = new Date(ms + offsetAt(ms, zone));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: d.getUTCDay(),
  };
}

/**
 * Go's time.Date: fields may be out of range (normalized); a wall time in a gap or fold gets the
 * offset Go picks (the zone in effect at wall-as-UTC, re-checked once).
 */
export function goDate(year: number, month: number, day: number, hour: number, minute: number, second: number, zone: string): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  const unix = d.getTime();
  let off = offsetAt(unix, zone);
  if (off !== 0) {
    const utc = unix - off;
    const off2 = offsetAt(utc, zone);
    if (off2 !== off) off = off2;
  }
  return unix - off;
}

/** Go's t.AddDate(years, months, days) in the zone. */
export function addDate(ms: number, zone: string, years: number, months: number, days: number): number {
  const w = wallOf(ms, zone);
  return goDate(w.year + years, w.month + months, w.day + days, w.hour, w.minute, w.second, zone) + (ms - Math.floor(ms / 1000) * 1000);
}
