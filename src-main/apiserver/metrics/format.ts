/**
 * How metrics-server's values read in JSON: resource.Quantity's canonical strings (CPU built with
 * scale -9 as DecimalSI, memory in bytes as BinarySI), metav1.Duration (Go's Duration.String())
 * and metav1.Time (RFC 3339, whole seconds, UTC).
 */

const DECIMAL_SUFFIX: Record<number, string> = { [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };
const BINARY_SUFFIX = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

/**
 * A DecimalSI quantity of `value × 10^scale` in canonical form: trailing zeros removed, the
 * exponent brought down to a multiple of 3 (`1500000` at -9 → `1500u`, `5000000` → `5m`).
 */
export function decimalQuantity(value: bigint, scale: number): string {
  if (value === 0n) return '0';
  let v = value;
  let exp = scale;
  while (v % 10n === 0n) {
    v /= 10n;
    exp++;
  }
  const r = ((exp % 3) + 3) % 3;
  if (r === 1) {
    v *= 10n;
    exp--;
  } else if (r === 2) {
    v *= 100n;
    exp -= 2;
  }
  const suffix = DECIMAL_SUFFIX[exp];
  if (suffix === undefined) return `${v}e${exp}`;
  return `${v}${suffix}`;
}

/** metrics-server's CPU: whole nanocores (`uint64Quantity(n, DecimalSI, -9)`). */
export function cpuQuantity(nanoCores: number): string {
  return decimalQuantity(BigInt(Math.max(0, Math.floor(nanoCores))), -9);
}

/** A BinarySI quantity of whole bytes: `12345344` → `12056Ki`; not a multiple of 1024 or below 1024 → plain digits. */
export function memoryQuantity(bytes: number): string {
  let v = BigInt(Math.max(0, Math.floor(bytes)));
  if (v < 1024n) return v.toString();
  let i = 0;
  while (v % 1024n === 0n && i < BINARY_SUFFIX.length - 1) {
    v /= 1024n;
    i++;
  }
  return `${v}${BINARY_SUFFIX[i]}`;
}

function trim(n: number, digits: number): string {
  return n.toFixed(digits).replace(/\.?0+$/, '');
}

/** Go's Duration.String() for whole milliseconds: `0s`, `500ms`, `15s`, `15.012s`, `1m0s`, `1h2m3s`. */
export function goDuration(ms: number): string {
  ms = Math.max(0, Math.round(ms));
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = `${trim((ms % 60_000) / 1000, 3)}s`;
  if (h > 0) return `${h}h${m}m${s}`;
  if (m > 0) return `${m}m${s}`;
  return s;
}

/** metav1.Time: `2024-05-01T10:00:00Z`. */
export function metaTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
