/**
 * Tiny runtime validators (no dependencies, no Node or DOM globals): each `Check<T>` returns its
 * input typed as T or throws an `IpcValidationError` naming where (`args[0].nodes`) and why.
 * Objects are exact: an unknown key is an error, so nothing unexpected crosses the IPC boundary.
 */
export class IpcValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IpcValidationError';
  }
}

export type Check<T> = (v: unknown, at: string) => T;
export type Checked<C> = C extends Check<infer T> ? T : never;

function fail(at: string, want: string, v: unknown): never {
  const got = v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
  throw new IpcValidationError(`${at}: expected ${want}, got ${got}`);
}

export const str =
  (maxLength = 4096): Check<string> =>
  (v, at) => {
    if (typeof v !== 'string') fail(at, 'a string', v);
    if (v.length > maxLength) throw new IpcValidationError(`${at}: longer than ${maxLength} characters`);
    return v;
  };

export const bool: Check<boolean> = (v, at) => (typeof v === 'boolean' ? v : fail(at, 'a boolean', v));

export const int =
  (min: number, max: number): Check<number> =>
  (v, at) => {
    if (typeof v !== 'number' || !Number.isInteger(v)) fail(at, 'a whole number', v);
    if (v < min || v > max) throw new IpcValidationError(`${at}: expected a whole number from ${min} to ${max}, got ${v}`);
    return v;
  };

/** A finite number (fractions allowed) within [min, max]. */
export const num =
  (min: number, max: number): Check<number> =>
  (v, at) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(at, 'a number', v);
    if (v < min || v > max) throw new IpcValidationError(`${at}: expected a number from ${min} to ${max}, got ${v}`);
    return v;
  };

export const oneOf =
  <const L extends readonly string[]>(...values: L): Check<L[number]> =>
  (v, at) => {
    if (typeof v !== 'string' || !values.includes(v)) throw new IpcValidationError(`${at}: expected one of ${values.join(', ')}`);
    return v as L[number];
  };

export const nullable =
  <T>(c: Check<T>): Check<T | null> =>
  (v, at) =>
    v === null ? null : c(v, at);

export const array =
  <T>(c: Check<T>, maxItems = 1000): Check<T[]> =>
  (v, at) => {
    if (!Array.isArray(v)) fail(at, 'an array', v);
    if (v.length > maxItems) throw new IpcValidationError(`${at}: more than ${maxItems} items`);
    return v.map((x, i) => c(x, `${at}[${i}]`));
  };

type Shape = Record<string, Check<unknown>>;
export type ObjectOf<S extends Shape> = { [K in keyof S]: Checked<S[K]> };

export const object =
  <S extends Shape>(shape: S): Check<ObjectOf<S>> =>
  (v, at) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(at, 'an object', v);
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto !== Object.prototype && proto !== null) throw new IpcValidationError(`${at}: expected a plain object`);
    const rec = v as Record<string, unknown>;
    for (const k of Object.keys(rec)) if (!Object.hasOwn(shape, k)) throw new IpcValidationError(`${at}: unexpected field '${k}'`);
    const out: Record<string, unknown> = {};
    for (const [k, c] of Object.entries(shape)) out[k] = c(rec[k], `${at}.${k}`);
    return out as ObjectOf<S>;
  };

/** A discriminated union on a boolean `ok` (what save-like calls return). */
export const either =
  <A, B>(ifOk: Check<A>, ifNotOk: Check<B>): Check<A | B> =>
  (v, at) => {
    const ok = typeof v === 'object' && v !== null ? (v as { ok?: unknown }).ok : undefined;
    return ok === true ? ifOk(v, at) : ifNotOk(v, at);
  };

export const literal =
  <const L extends string | number | boolean>(value: L): Check<L> =>
  (v, at) => {
    if (v !== value) throw new IpcValidationError(`${at}: expected ${JSON.stringify(value)}`);
    return value;
  };

type Checks = readonly Check<unknown>[];
export type TupleOf<C extends Checks> = { -readonly [K in keyof C]: Checked<C[K]> };

/** Argument lists: exactly these arguments, in order. */
export const tuple =
  <const C extends Checks>(...checks: C): Check<TupleOf<C>> =>
  (v, at) => {
    if (!Array.isArray(v)) fail(at, 'an argument list', v);
    if (v.length !== checks.length) throw new IpcValidationError(`${at}: expected ${checks.length} argument(s), got ${v.length}`);
    return checks.map((c, i) => c(v[i], `${at}[${i}]`)) as TupleOf<C>;
  };

export const voidResult: Check<null> = (v, at) => (v === null || v === undefined ? null : fail(at, 'nothing', v));
