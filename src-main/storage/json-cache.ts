/**
 * JSON texts of immutable objects, so an object is serialized once, not once per response, list or
 * watcher. The store records the text it wrote for each object it caches (deep-frozen, never
 * changed afterwards) and marks the objects it loads; the API server's response writer
 * (`jsonText`) then splices those texts into list, Table and watch bodies instead of running
 * JSON.stringify over the same object again.
 *
 * `jsonText(v)` is always exactly `JSON.stringify(v)`: a text is only reused for an object that
 * was recorded (the caller promises the object no longer changes) or marked immutable (its text
 * is computed once, on first use).
 *
 * May import nothing.
 */

/** Recorded texts, or how to make one (computed on first use). */
const texts = new WeakMap<object, string | (() => string)>();
/** Deep-frozen objects whose text may be computed once and kept. */
const immutable = new WeakSet<object>();
/** Immutable objects whose computed text is kept only while it is among the most recent ones. */
const recentOnly = new WeakSet<object>();

/**
 * Texts computed for objects marked `recentOnly` (whole pods) are kept for the most recent ones
 * only, up to this many characters in all: enough for a watch event's text to serve every watcher,
 * without holding the text of every pod ever watched (10 000 watched pods would keep ~55 MB).
 */
const COMPUTED_BUDGET_CHARS = 8 * 1024 * 1024;
/**
 * Objects whose computed text is kept, oldest first (from `computedHead`), and their texts'
 * lengths. Weak references: the queue must not keep superseded objects alive (a text of an object
 * that died goes with it; its length is still counted until it leaves the queue).
 */
const computed: (WeakRef<object> | undefined)[] = [];
const computedLengths: number[] = [];
let computedHead = 0;
let computedChars = 0;

function keepComputed(obj: object, text: string): void {
  texts.set(obj, text);
  computed.push(new WeakRef(obj));
  computedLengths.push(text.length);
  computedChars += text.length;
  while (computedChars > COMPUTED_BUDGET_CHARS && computedHead < computed.length - 1) {
    const old = computed[computedHead]!.deref();
    computed[computedHead] = undefined;
    computedChars -= computedLengths[computedHead]!;
    computedHead++;
    if (old !== undefined) texts.delete(old);
  }
  if (computedHead > 4096 && computedHead * 2 > computed.length) {
    computed.splice(0, computedHead);
    computedLengths.splice(0, computedHead);
    computedHead = 0;
  }
}

/** Records the JSON text of `obj` (exactly `JSON.stringify(obj)`); `obj` must not change afterwards. */
export function rememberJson(obj: object, text: string | (() => string)): void {
  texts.set(obj, text);
}

/**
 * Records the text of a deep-frozen object that is kept only while it is among the most recent
 * texts (as `markImmutable(obj, true)` would keep a computed one): the store's pods, whose text
 * was just written to SQLite, so the write's response and watchers need not serialize it again.
 */
export function rememberRecentJson(obj: object, text: string): void {
  immutable.add(obj);
  recentOnly.add(obj);
  keepComputed(obj, text);
}

/**
 * Marks a deep-frozen object: its text may be computed once and reused — kept as long as the
 * object lives, or with `recentOnly` only while it is among the most recently computed texts.
 */
export function markImmutable(obj: object, recent = false): void {
  immutable.add(obj);
  if (recent) recentOnly.add(obj);
}

/** The text recorded (or already computed) for `v`, if any; never computes one. */
export function recordedJson(v: object): string | undefined {
  const t = texts.get(v);
  return typeof t === 'string' ? t : undefined;
}

/** The recorded text of `v`, if any (computed now for immutable objects). */
export function knownJson(v: object): string | undefined {
  const t = texts.get(v);
  if (typeof t === 'string') return t;
  if (t !== undefined) {
    const s = t();
    texts.set(v, s);
    return s;
  }
  if (immutable.has(v)) {
    const s = JSON.stringify(v);
    if (recentOnly.has(v)) keepComputed(v, s);
    else texts.set(v, s);
    return s;
  }
  return undefined;
}

/** How deep `jsonText` looks for recorded texts inside a value (Table → rows → row → object → metadata). */
const SPLICE_DEPTH = 5;

/**
 * `JSON.stringify(v)`, reusing the recorded texts of objects within `v` (up to a few levels deep:
 * list items, Table rows' metadata, watch events' objects).
 */
export function jsonText(v: unknown): string {
  return splice(v, SPLICE_DEPTH) as string;
}

function splice(v: unknown, depth: number): string | undefined {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  const known = knownJson(v);
  if (known !== undefined) return known;
  if (depth === 0) return JSON.stringify(v);
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    // Arrays of plain values (Table cells) in one native call.
    if (v.every((x) => x === null || typeof x !== 'object')) return JSON.stringify(v);
    let out = '[';
    for (let i = 0; i < v.length; i++) {
      const s = splice(v[i], depth - 1);
      out += (i ? ',' : '') + (s === undefined ? 'null' : s);
    }
    return out + ']';
  }
  const proto = Object.getPrototypeOf(v) as unknown;
  if ((proto !== Object.prototype && proto !== null) || typeof (v as { toJSON?: unknown }).toJSON === 'function') return JSON.stringify(v);
  let out = '{';
  let first = true;
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    const x = o[k];
    // JSON.stringify leaves out undefined, functions and symbols.
    if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
    const s = splice(x, depth - 1);
    if (s === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(k)}:${s}`;
    first = false;
  }
  return out + '}';
}
