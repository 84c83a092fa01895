/**
 * Shared cell formatting for server-side Tables (k8s printers): durations, AGE, joined lists.
 */

/** duration.HumanDuration from apimachinery: `45s`, `2m5s`, `3h20m`, `2d3h`, `400d`, `2y15d`. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    const d = Math.trunc(hours / 24);
    return h === 0 ? `${d}d` : `${d}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    const y = Math.trunc(hours / 24 / 365);
    return dy === 0 ? `${y}y` : `${y}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** translateTimestampSince: `<unknown>` for a missing time, else HumanDuration(now - t). */
export function translateTimestampSince(ts: string | undefined, now: number): string {
  if (!ts) return '<unknown>';
  const t = Date.parse(ts);
  if (Number.isNaN(t)) return '<unknown>';
  return humanDuration(now - t);
}

/** Joins at most `max` items, then ` + N more...` as kubectl's printers do. */
export function joinWithMore(items: string[], max = 3, sep = ','): string {
  if (items.length <= max) return items.join(sep);
  return `${items.slice(0, max).join(sep)} + ${items.length - max} more...`;
}

/** `k=v,k2=v2` with keys sorted, or `<none>`. */
export function formatLabelMap(m: Record<string, string> | undefined, empty = '<none>'): string {
  if (!m) return empty;
  const keys = Object.keys(m).sort();
  if (keys.length === 0) return empty;
  return keys.map((k) => `${k}=${m[k]}`).join(',');
}
