/**
 * The kubelet's text formats: RFC 3339 timestamps (seconds for API fields, nanoseconds for log
 * lines), Go `time.Duration` strings (`1.234s`, `1m20s`) and `format.Pod` (`name_namespace(uid)`).
 */

/**
 * `2026-11-23T10:56:44Z`: what metav1.Time serializes to. The text of the last second is reused:
 * pods starting together keep one string for their condition times, not one each (10 000 pods).
 */
export function rfc3339(ms: number): string {
  const sec = Math.floor(ms / 1000);
  if (sec === lastSec) return lastSecText;
  lastSec = sec;
  lastSecText = new Date(sec * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return lastSecText;
}

let lastSec = NaN;
let lastSecText = '';

/** Go's time.RFC3339Nano (trailing zeros of the fraction dropped): what CRI log lines carry. */
export function rfc3339Nano(ms: number): string {
  // memoized for the last millisecond: a busy container logs many lines in the same one
  if (ms === lastNanoMs) return lastNano;
  const iso = new Date(ms).toISOString();
  const frac = iso.slice(20, 23).replace(/0+$/, '');
  lastNanoMs = ms;
  lastNano = `${iso.slice(0, 19)}${frac ? `.${frac}` : ''}Z`;
  return lastNano;
}

let lastNanoMs = NaN;
let lastNano = '';

/** The kubelet's RFC3339NanoFixed (always nine digits): what `kubectl logs --timestamps` prints. */
export function rfc3339NanoFixed(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 19)}.${iso.slice(20, 23)}000000Z`;
}

/** Parses RFC 3339 (any fraction) to epoch milliseconds; NaN when malformed. */
export function parseRfc3339(s: string): number {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s)) return NaN;
  return Date.parse(s.replace(/\.(\d{3})\d*/, '.$1'));
}

function trimFloat(n: number, digits: number): string {
  return n.toFixed(digits).replace(/\.?0+$/, '');
}

/** Go's Duration.String() for a duration truncated to milliseconds: `0s`, `523ms`, `1.2s`, `1m20s`, `1h0m0s`. */
export function goDuration(ms: number): string {
  ms = Math.max(0, Math.floor(ms));
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  const sec = `${trimFloat(s, 3)}s`;
  if (h > 0) return `${h}h${m}m${sec}`;
  if (m > 0) return `${m}m${sec}`;
  return sec;
}

/** `format.Pod`: `name_namespace(uid)`. */
export function formatPod(pod: { metadata: { name?: string; namespace?: string; uid?: string } }): string {
  return `${pod.metadata.name ?? ''}_${pod.metadata.namespace ?? ''}(${pod.metadata.uid ?? ''})`;
}
