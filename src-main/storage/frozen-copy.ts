/**
 * `frozenJsonCopy`: the deep-frozen copy of an object that the store caches and shares with every
 * reader (watchers, informers, lists). Because the copy is immutable, equal parts may be shared
 * between objects, which matters at 10 000 pods (a pod's plain copy is ~11 KB of heap):
 * - short strings (≤ 64 chars: timestamps, image and node names, namespaces, label values, field
 *   manager names, condition types and reasons) are interned, so 10 000 pods written in the same
 *   second share one "2026-11-23T15:40:10Z";
 * - empty objects and arrays are one shared frozen `{}` / `[]` (managedFields' fieldsV1 is mostly
 *   `{}` leaves);
 * - a managedFields entry's `fieldsV1` equal to a recent one is that one (all pods of a ReplicaSet
 *   carry the same kube-controller-manager fields); a frozen source (the field manager shares one
 *   per created content) maps straight to its copy, without comparing texts.
 * The intern tables are bounded (cleared / oldest dropped when full), so they cannot grow with the
 * number of objects; sharing is an optimisation only: the copy always equals
 * `JSON.parse(JSON.stringify(v))`.
 *
 * May import nothing.
 */

/** Strings up to this length are interned. */
const INTERN_MAX_LENGTH = 64;
/** Distinct strings kept before the table starts over (a pod brings ~10 unique ones). */
const INTERN_MAX_ENTRIES = 65_536;
/** Distinct fieldsV1 texts kept (oldest dropped first). */
const FIELDS_MAX_ENTRIES = 256;

const strings = new Map<string, string>();
const fieldSets = new Map<string, unknown>();
const EMPTY_OBJECT: Readonly<Record<string, never>> = Object.freeze({});
const EMPTY_ARRAY: readonly never[] = Object.freeze([]);

/** The interned instance of a short string (the same value). */
export function internString(s: string): string {
  if (s.length > INTERN_MAX_LENGTH) return s;
  const known = strings.get(s);
  if (known !== undefined) return known;
  if (strings.size >= INTERN_MAX_ENTRIES) strings.clear();
  strings.set(s, s);
  return s;
}

/** Freezes `v` and everything reachable from it (objects already frozen are taken as done). */
export function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    if (Array.isArray(v)) {
      for (const x of v) deepFreeze(x);
    } else {
      for (const k in v) deepFreeze((v as Record<string, unknown>)[k]);
    }
  }
  return v;
}

/**
 * A deep-frozen copy of `v` equal to `JSON.parse(JSON.stringify(v))`, several times faster than
 * that round trip for plain data, with equal parts shared (see above). Anything that is not plain
 * data (toJSON, class instances, Maps) goes through the JSON round trip itself, so the cache always
 * equals what a reload would read.
 */
export function frozenJsonCopy(v: unknown): unknown {
  return copy(v, false, '');
}

function copy(v: unknown, inArray: boolean, key: string): unknown {
  switch (typeof v) {
    case 'string':
      return v.length > INTERN_MAX_LENGTH ? v : internString(v);
    case 'boolean':
      return v;
    case 'number':
      return Number.isFinite(v) ? (v === 0 ? 0 : v) : null; // JSON has no -0, NaN or Infinity
    case 'object': {
      if (v === null) return null;
      if (Array.isArray(v)) {
        if (v.length === 0) return EMPTY_ARRAY;
        const out = new Array<unknown>(v.length);
        for (let i = 0; i < v.length; i++) out[i] = copy(v[i], true, '');
        return Object.freeze(out);
      }
      const proto = Object.getPrototypeOf(v) as unknown;
      if ((proto !== Object.prototype && proto !== null) || typeof (v as { toJSON?: unknown }).toJSON === 'function') {
        const text = JSON.stringify(v);
        return text === undefined ? (inArray ? null : undefined) : deepFreeze(JSON.parse(text) as unknown);
      }
      if (key === 'fieldsV1') return fieldSet(v as Record<string, unknown>);
      return plainObject(v as Record<string, unknown>);
    }
    case 'bigint':
      throw new TypeError('storage: a BigInt cannot be stored (JSON has no BigInt)');
    default:
      // undefined, functions, symbols: dropped from objects, null in arrays (as JSON.stringify does).
      return inArray ? null : undefined;
  }
}

function plainObject(v: Record<string, unknown>): unknown {
  const out: Record<string, unknown> = {};
  let n = 0;
  for (const k of Object.keys(v)) {
    const x = copy(v[k], false, k);
    if (x === undefined) continue;
    if (k === '__proto__') Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
    else out[k] = x;
    n++;
  }
  return n === 0 ? EMPTY_OBJECT : Object.freeze(out);
}

/** Copies of frozen fieldsV1 sources (the field manager shares one per created content). */
const fieldSetsBySource = new WeakMap<object, unknown>();

/** A managedFields entry's fieldsV1 (plain data by construction): shared with an equal recent one. */
function fieldSet(v: Record<string, unknown>): unknown {
  const frozen = Object.isFrozen(v);
  if (frozen) {
    const known = fieldSetsBySource.get(v);
    if (known !== undefined) return known;
  }
  const out = internedFieldSet(v);
  if (frozen) fieldSetsBySource.set(v, out);
  return out;
}

function internedFieldSet(v: Record<string, unknown>): unknown {
  const text = JSON.stringify(v);
  const known = fieldSets.get(text);
  if (known !== undefined) return known;
  const out = plainObject(v);
  if (fieldSets.size >= FIELDS_MAX_ENTRIES) fieldSets.delete(fieldSets.keys().next().value as string);
  fieldSets.set(text, out);
  return out;
}
