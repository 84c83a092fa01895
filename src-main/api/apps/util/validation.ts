/**
 * Small validation helpers the workload kinds share, in upstream's words
 * (apps/validation ValidatePositiveIntOrPercent, IsNotMoreThan100Percent, validate.GEZ, …).
 */
import { fe, type FieldError } from '../../field-errors';
import { regexError } from '../../core/validation/names';
import { deepEqual, FIELD_IMMUTABLE } from '../../core/validation/meta';
import { goLabelSelector } from './selector-format';

export const GEZ_MSG = 'must be greater than or equal to 0';

/** validate.GEZ / ValidateNonnegativeField: only numbers are checked (absent is fine). */
export function nonNegative(v: unknown, path: string): FieldError[] {
  if (typeof v === 'number' && v < 0) return [fe.invalid(path, v, GEZ_MSG)];
  return [];
}

/** ValidatePositiveField: `must be greater than 0`. */
export function positive(v: unknown, path: string): FieldError[] {
  if (typeof v === 'number' && v <= 0) return [fe.invalid(path, v, 'must be greater than 0')];
  return [];
}

const PERCENT_FMT = '[0-9]+%';
const PERCENT_ERR = "a valid percent string must be a numeric string followed by an ending '%'";

export function isValidPercent(s: string): string[] {
  return /^[0-9]+%$/.test(s) ? [] : [regexError(PERCENT_ERR, PERCENT_FMT, '1%', '93%')];
}

/** The percentage of an IntOrString, when it is a valid percent string. */
export function percentValue(v: unknown): number | undefined {
  if (typeof v !== 'string' || isValidPercent(v).length) return undefined;
  return Number(v.slice(0, -1));
}

/** getIntOrPercentValue: the percentage, the int, or 0 (for an invalid string). */
export function intOrPercentValue(v: unknown): number {
  const p = percentValue(v);
  if (p !== undefined) return p;
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  return 0;
}

export function validatePositiveIntOrPercent(v: unknown, path: string): FieldError[] {
  if (typeof v === 'string') return isValidPercent(v).map((m) => fe.invalid(path, v, m));
  if (typeof v === 'number') return nonNegative(v, path);
  return [fe.invalid(path, v, "must be an integer or percentage (e.g '5%')")];
}

export function isNotMoreThan100Percent(v: unknown, path: string): FieldError[] {
  const p = percentValue(v);
  if (p === undefined || p <= 100) return [];
  return [fe.invalid(path, v, 'must not be greater than 100%')];
}

export { FIELD_IMMUTABLE, validateImmutableField, deepEqual } from '../../core/validation/meta';

/** `spec.selector: Invalid value: v1.LabelSelector{…}: field is immutable` when the selector changed. */
export function validateImmutableSelector(value: unknown, old: unknown, path: string): FieldError[] {
  return deepEqual(value, old) ? [] : [{ ...fe.invalid(path, value, FIELD_IMMUTABLE), badValueText: goLabelSelector(value) }];
}
