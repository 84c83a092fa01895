/**
 * Field errors in the words of k8s.io/apimachinery/pkg/util/validation/field:
 * `spec.containers[0].image: Required value`, `metadata.name: Invalid value: "A": ...`.
 */

export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueForbidden'
  | 'FieldValueNotFound'
  | 'FieldValueTooMany'
  | 'FieldValueTooLong'
  | 'FieldValueTypeInvalid'
  | 'InternalError';

export interface FieldError {
  type: FieldErrorType;
  /** Dotted path with indices and keys: `spec.containers[0].ports[1].containerPort`, `metadata.labels[app]`. */
  field: string;
  badValue?: unknown;
  /** The bad value exactly as upstream prints it (Go `%#v` of a typed struct), when the default rendering can't know the type. */
  badValueText?: string;
  /** Extra words after the standard phrase. For NotSupported: the list of allowed values. */
  detail?: string;
  supported?: string[];
}

/**
 * Renders a bad value the way field.Error prints it with Go's %#v: strings quoted, numbers bare,
 * string maps as `map[string]string{"a":"b"}` (keys sorted), string slices as `[]string{"a", "b"}`.
 */
export function formatBadValue(v: unknown): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'string')) return `[]string{${v.map((x) => JSON.stringify(x)).join(', ')}}`;
    return `[]interface {}{${v.map(formatBadValue).join(', ')}}`;
  }
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length > 0 && entries.every(([, x]) => typeof x === 'string')) {
    const body = entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, x]) => `${JSON.stringify(k)}:${JSON.stringify(x)}`)
      .join(', ');
    return `map[string]string{${body}}`;
  }
  return JSON.stringify(v);
}

function badValueOf(e: FieldError): string {
  return e.badValueText ?? formatBadValue(e.badValue);
}

/** The body of one field error, without the field path: `Required value`, `Invalid value: "x": detail`. */
export function fieldErrorBody(e: FieldError): string {
  switch (e.type) {
    case 'FieldValueRequired':
      return e.detail ? `Required value: ${e.detail}` : 'Required value';
    case 'FieldValueInvalid':
      return `Invalid value: ${badValueOf(e)}${e.detail ? `: ${e.detail}` : ''}`;
    case 'FieldValueNotSupported': {
      const sup = (e.supported ?? []).map((s) => JSON.stringify(s)).join(', ');
      return `Unsupported value: ${badValueOf(e)}${sup ? `: supported values: ${sup}` : ''}`;
    }
    case 'FieldValueDuplicate':
      return `Duplicate value: ${badValueOf(e)}`;
    case 'FieldValueForbidden':
      return e.detail ? `Forbidden: ${e.detail}` : 'Forbidden';
    case 'FieldValueNotFound':
      return `Not found: ${badValueOf(e)}`;
    case 'FieldValueTooMany':
      return `Too many: ${formatBadValue(e.badValue)}${e.detail ? `: ${e.detail}` : ''}`;
    case 'FieldValueTooLong':
      return `Too long: ${e.detail ?? 'value is too long'}`;
    case 'FieldValueTypeInvalid':
      return `Invalid value: ${badValueOf(e)}${e.detail ? `: ${e.detail}` : ''}`;
    case 'InternalError':
      return `Internal error: ${e.detail ?? ''}`;
  }
}

export function fieldErrorMessage(e: FieldError): string {
  return `${e.field}: ${fieldErrorBody(e)}`;
}

/** Small constructors so kind files read like upstream validation code. */
export const fe = {
  required: (field: string, detail?: string): FieldError => ({ type: 'FieldValueRequired', field, detail }),
  invalid: (field: string, badValue: unknown, detail?: string): FieldError => ({ type: 'FieldValueInvalid', field, badValue, detail }),
  notSupported: (field: string, badValue: unknown, supported: string[]): FieldError => ({ type: 'FieldValueNotSupported', field, badValue, supported }),
  duplicate: (field: string, badValue: unknown): FieldError => ({ type: 'FieldValueDuplicate', field, badValue }),
  forbidden: (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, detail }),
  notFound: (field: string, badValue: unknown): FieldError => ({ type: 'FieldValueNotFound', field, badValue }),
  tooMany: (field: string, actual: number, max: number): FieldError => ({ type: 'FieldValueTooMany', field, badValue: actual, detail: `must have at most ${max} items` }),
  tooLong: (field: string, max: number): FieldError => ({ type: 'FieldValueTooLong', field, detail: `may not be more than ${max} bytes` }),
};
