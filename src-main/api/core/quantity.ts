/**
 * resource.Quantity: parsing (`100m`, `1Gi`, `1e3`, `0.5`), comparison and the canonical
 * form the API server writes back (`0.5` → `500m`, `1024Mi` → `1Gi`, `1000` → `1k`).
 * Values are kept exactly as BigInt nano-units (upstream keeps at least nano precision,
 * rounding smaller fractions up).
 */

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** The value times 10^9, rounded up. */
  nano: bigint;
  format: QuantityFormat;
}

export const QUANTITY_REGEX_ERR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

const BIN: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DEC: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const NANO = 1_000_000_000n;

function pow10(e: number): bigint {
  return 10n ** BigInt(e);
}

function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a > 0n === b > 0n ? q + 1n : q;
}

/** Successful parses by input (the same few quantities recur in every pod); bounded. */
const parsed = new Map<string | number, Quantity>();
const PARSED_MAX = 4096;

/** Parses a quantity string; throws an Error with upstream's message when it is not one. */
export function parseQuantity(input: string | number): Quantity {
  const hit = parsed.get(input);
  // A fresh object each time: callers may change it (canonicalizeResourceList rounds it).
  if (hit) return { nano: hit.nano, format: hit.format };
  const q = parseQuantityText(input);
  if (parsed.size >= PARSED_MAX) parsed.clear();
  parsed.set(input, q);
  return { nano: q.nano, format: q.format };
}

function parseQuantityText(input: string | number): Quantity {
  const s = typeof input === 'number' ? String(input) : input.trim();
  const m = /^([+-]?)([0-9]*\.?[0-9]*)([eEinumkKMGTP]*[-+]?[0-9]*)$/.exec(s);
  if (!m || m[2] === '' || m[2] === '.') throw new Error(QUANTITY_REGEX_ERR);
  const [, sign, num, suffix] = m;
  const [intPart, fracPart = ''] = num.split('.');
  const digits = BigInt((intPart || '0') + fracPart);
  const scale = fracPart.length; // value = digits * 10^-scale
  let numer: bigint;
  let denom = pow10(scale);
  let format: QuantityFormat;
  if (suffix in BIN) {
    numer = digits * 1024n ** BigInt(BIN[suffix]);
    format = 'BinarySI';
  } else if (suffix in DEC) {
    const e = DEC[suffix];
    numer = e >= 0 ? digits * pow10(e) : digits;
    if (e < 0) denom *= pow10(-e);
    format = 'DecimalSI';
  } else if (/^[eE][-+]?[0-9]+$/.test(suffix)) {
    const e = Number(suffix.slice(1));
    if (Math.abs(e) > 100) throw new Error(QUANTITY_REGEX_ERR);
    numer = e >= 0 ? digits * pow10(e) : digits;
    if (e < 0) denom *= pow10(-e);
    format = 'DecimalExponent';
  } else {
    throw new Error(QUANTITY_REGEX_ERR);
  }
  let nano = ceilDiv(numer * NANO, denom);
  if (sign === '-') nano = -nano;
  return { nano, format };
}

export function isQuantity(s: unknown): boolean {
  if (typeof s !== 'string' && typeof s !== 'number') return false;
  try {
    parseQuantity(s);
    return true;
  } catch {
    return false;
  }
}

/** The value in base units as a JS number (cpu cores, bytes). */
export function quantityValue(s: string | number): number {
  return Number(parseQuantity(s).nano) / 1e9;
}

/** The value in milli-units, rounded up (cpu millicores). */
export function quantityMilliValue(s: string | number): number {
  return Number(ceilDiv(parseQuantity(s).nano, 1_000_000n));
}

/** -1, 0, 1 as a < b, a == b, a > b. */
export function compareQuantities(a: string | number, b: string | number): number {
  const x = parseQuantity(a).nano;
  const y = parseQuantity(b).nano;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Canonical text of a quantity, as Quantity.String() prints it. */
export function formatQuantity(q: Quantity): string {
  const neg = q.nano < 0n;
  const abs = neg ? -q.nano : q.nano;
  const sign = neg ? '-' : '';
  if (abs === 0n) return '0';
  let format = q.format;
  if (format === 'BinarySI') {
    if (abs < 1024n * NANO || abs % NANO !== 0n) format = 'DecimalSI';
  }
  if (format === 'BinarySI') {
    let v = abs / NANO;
    let k = 0;
    while (k < 6 && v % 1024n === 0n) {
      v /= 1024n;
      k++;
    }
    const suf = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'][k];
    return `${sign}${v}${suf}`;
  }
  // Decimal: the largest exponent (multiple of 3) that leaves an integer mantissa.
  let e = -9;
  let v = abs;
  while (e < 18 && v % 1000n === 0n) {
    v /= 1000n;
    e += 3;
  }
  if (format === 'DecimalExponent') return `${sign}${v}${e === 0 ? '' : `e${e}`}`;
  const suf: Record<number, string> = { [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };
  return `${sign}${v}${suf[e]}`;
}

/** Parses and re-prints; returns the input unchanged if it is not a quantity. */
export function canonicalQuantity(s: string | number): string {
  try {
    return formatQuantity(parseQuantity(s));
  } catch {
    return String(s);
  }
}

/**
 * Canonicalizes every value of a ResourceList in place, as SetDefaults_ResourceList plus
 * serialization do: values are rounded up to milli-units (`{cpu: '0.0001'}` → `{cpu: '1m'}`)
 * and printed canonically (`{cpu: '0.5'}` → `{cpu: '500m'}`). Values that are not quantities stay.
 */
export function canonicalizeResourceList(list: unknown): void {
  if (typeof list !== 'object' || list === null || Array.isArray(list)) return;
  const l = list as Record<string, unknown>;
  for (const k of Object.keys(l)) {
    const v = l[k];
    if (typeof v !== 'string' && typeof v !== 'number') continue;
    const known = canonical.get(v);
    if (known !== undefined) {
      l[k] = known;
      continue;
    }
    try {
      const q = parseQuantity(v);
      q.nano = ceilDiv(q.nano, 1_000_000n) * 1_000_000n;
      const text = formatQuantity(q);
      if (canonical.size >= PARSED_MAX) canonical.clear();
      canonical.set(v, text);
      l[k] = text;
    } catch {
      // left for validation to report
    }
  }
}

/** Canonical (milli-rounded) texts of ResourceList values by input; bounded. */
const canonical = new Map<string | number, string>();
