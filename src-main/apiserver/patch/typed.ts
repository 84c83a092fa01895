/**
 * Schema-aware walks over objects for server-side apply, with the semantics of
 * structured-merge-diff's typed package: the field set of a value, the comparison of two values
 * (added / removed / modified paths), the apply merge, and removal of a set of paths.
 *
 * Where a value sits is a `Pos`: the PatchMeta of its type (or of its items / map values) and the
 * FieldMeta of the field holding it. Lists are atomic unless the metadata says set or map;
 * structs are granular unless `+structType=atomic`; maps granular unless `+mapType=atomic`.
 */
import { StatusError } from '../../api/errors';
import { type FieldMeta, type ListSemantics, type PatchMeta, listSemantics as computeListSemantics } from '../../api/patch-meta';
import { isObject } from '../../api/types';
import { FieldSet, fieldPE, keyPE, pathString, valuePE } from './field-set';

type Obj = Record<string, unknown>;

export interface Pos {
  /** Type of the value (of its items for a list, of its values for a map). */
  meta: PatchMeta;
  /** The field declaration holding the value (none for list items and map values). */
  fm?: FieldMeta;
}

const ATOMIC_LIST: ListSemantics = { kind: 'atomic' };
const semanticsCache = new WeakMap<FieldMeta, ListSemantics>();

/** listSemantics, computed once per field declaration (the tables never change). */
function listSemantics(fm: FieldMeta | undefined): ListSemantics {
  if (!fm) return ATOMIC_LIST;
  let ls = semanticsCache.get(fm);
  if (!ls) {
    ls = computeListSemantics(fm);
    semanticsCache.set(fm, ls);
  }
  return ls;
}

export function rootPos(meta: PatchMeta): Pos {
  return { meta };
}

/** Whether the object at `pos` is a map (keys are entries, not named fields). */
function isMapPos(pos: Pos): boolean {
  return !!pos.fm?.map;
}

/** Position of the value under key `k` of the object at `pos`. */
export function entryPos(pos: Pos, k: string): Pos {
  if (isMapPos(pos)) return { meta: pos.meta };
  return { meta: pos.meta.child(k), fm: pos.meta.field(k) };
}

function itemPos(pos: Pos): Pos {
  return { meta: pos.meta };
}

function atomicObject(pos: Pos): boolean {
  if (isMapPos(pos)) return pos.fm?.mapType === 'atomic';
  return pos.meta.atomic || pos.fm?.mapType === 'atomic';
}

function atomicList(pos: Pos): boolean {
  return listSemantics(pos.fm).kind === 'atomic';
}

type Kind = 'object' | 'list' | 'scalar';
function kindOf(v: unknown): Kind {
  return Array.isArray(v) ? 'list' : isObject(v) ? 'object' : 'scalar';
}

/** Raised when an associative list has an item without its key, or duplicate keys. */
export class ListKeyError extends Error {}

/** The path element of a list item, per the list's semantics. */
function itemPE(pos: Pos, item: unknown, index: number, path: readonly string[]): string {
  const ls = listSemantics(pos.fm);
  if (ls.kind === 'set') return valuePE(item);
  if (ls.kind === 'map') {
    if (!isObject(item)) throw new ListKeyError(`${pathString(path)}: element ${index}: associative list with keys may not have non-map elements`);
    const key: Obj = {};
    for (const k of ls.keys) {
      if (k in item && item[k] !== null) key[k] = item[k];
      else if (k in ls.keyDefaults) key[k] = ls.keyDefaults[k];
      else throw new ListKeyError(`${pathString(path)}: element ${index}: associative list with keys has an element that omits key field ${JSON.stringify(k)} (and doesn't have default value)`);
    }
    return keyPE(key);
  }
  return `i:${index}`;
}

/** Items of a non-atomic list indexed by path element; throws ListKeyError on duplicates when not allowed. */
function indexItems(pos: Pos, list: unknown[], path: readonly string[], allowDuplicates: boolean): { pes: string[]; byPE: Map<string, unknown>; dup: Set<string> } {
  const pes: string[] = [];
  const byPE = new Map<string, unknown>();
  const dup = new Set<string>();
  list.forEach((item, i) => {
    const pe = itemPE(pos, item, i, path);
    if (byPE.has(pe)) {
      if (!allowDuplicates) throw new ListKeyError(`${pathString(path)}: duplicate entries for key ${pathString([pe])}`);
      dup.add(pe);
      return;
    }
    byPE.set(pe, item);
    pes.push(pe);
  });
  return { pes, byPE, dup };
}

// ---------------------------------------------------------------------------------------------
// field sets

/** The set of fields a value specifies (structured-merge-diff's ToFieldSet). */
export function toFieldSet(value: unknown, pos: Pos, opts: { allowDuplicates?: boolean } = {}): FieldSet {
  const set = new FieldSet();
  walkSet(value, pos, [], set, !!opts.allowDuplicates);
  return set;
}

function walkSet(v: unknown, pos: Pos, path: string[], set: FieldSet, allowDup: boolean): void {
  const kind = kindOf(v);
  if (kind === 'scalar') {
    set.insert(path);
    return;
  }
  if (kind === 'list') {
    const list = v as unknown[];
    if (atomicList(pos)) {
      set.insert(path);
      return;
    }
    const { pes, byPE, dup } = indexItems(pos, list, path, allowDup);
    for (const pe of dup) set.insert([...path, pe]);
    for (const pe of pes) {
      if (dup.has(pe)) continue;
      const p = [...path, pe];
      walkSet(byPE.get(pe), itemPos(pos), p, set, allowDup);
      set.insert(p);
    }
    return;
  }
  const obj = v as Obj;
  if (atomicObject(pos)) {
    set.insert(path);
    return;
  }
  const named = !isMapPos(pos);
  for (const [k, val] of Object.entries(obj)) {
    if (val === undefined) continue;
    const p = [...path, fieldPE(k)];
    walkSet(val, entryPos(pos, k), p, set, allowDup);
    if (val === null || (isObject(val) && Object.keys(val).length === 0) || !named) set.insert(p);
  }
}

/**
 * Makes struct fields that have members below them members themselves
 * (structured-merge-diff's EnsureNamedFieldsAreMembers).
 */
export function ensureNamedFieldsAreMembers(set: FieldSet, pos: Pos): FieldSet {
  const out = new FieldSet();
  for (const m of set.members) out.members.add(m);
  const named = !isMapPos(pos);
  for (const [pe, c] of set.children) {
    let childPos: Pos;
    if (pe.startsWith('f:')) {
      childPos = entryPos(pos, pe.slice(2));
      if (named) out.members.add(pe);
    } else {
      childPos = itemPos(pos);
    }
    const sub = ensureNamedFieldsAreMembers(c, childPos);
    if (!sub.isEmpty()) out.children.set(pe, sub);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// comparison

export interface Comparison {
  added: FieldSet;
  removed: FieldSet;
  modified: FieldSet;
}

/** Which paths `rhs` adds, removes and modifies relative to `lhs` (duplicates allowed, as for live objects). */
export function compare(lhs: unknown, rhs: unknown, pos: Pos): Comparison {
  const c: Comparison = { added: new FieldSet(), removed: new FieldSet(), modified: new FieldSet() };
  cmp(lhs, rhs, pos, [], c);
  return c;
}

// `path` is one array pushed and popped along the walk (FieldSet.insert copies nothing of it).

/** A leaf: added, removed, or modified when the values differ. */
function cmpLeaf(l: unknown, r: unknown, path: string[], c: Comparison): void {
  if (l === undefined) c.added.insert(path);
  else if (r === undefined) c.removed.insert(path);
  else if (!jsonEqual(l, r)) c.modified.insert(path);
}

function cmp(l: unknown, r: unknown, pos: Pos, path: string[], c: Comparison): void {
  const lk = l === undefined ? undefined : kindOf(l);
  const rk = r === undefined ? undefined : kindOf(r);
  if (lk && rk && lk !== rk) return cmpLeaf(l, r, path, c);
  const kind = (lk ?? rk) as Kind;
  if (kind === 'scalar') return cmpLeaf(l, r, path, c);
  if (kind === 'list') {
    const ll = (l as unknown[] | undefined) ?? [];
    const rl = (r as unknown[] | undefined) ?? [];
    if (atomicList(pos) || (ll.length === 0 && rl.length === 0)) return cmpLeaf(l, r, path, c);
    let li: ReturnType<typeof indexItems>;
    let ri: ReturnType<typeof indexItems>;
    try {
      li = indexItems(pos, ll, path, true);
      ri = indexItems(pos, rl, path, true);
    } catch (e) {
      if (!(e instanceof ListKeyError)) throw e;
      return cmpLeaf(l, r, path, c);
    }
    const all = [...li.pes, ...ri.pes.filter((pe) => !li.byPE.has(pe))];
    for (const pe of all) {
      if (li.dup.has(pe) || ri.dup.has(pe)) {
        const lAll = ll.filter((x, i) => itemPE(pos, x, i, path) === pe);
        const rAll = rl.filter((x, i) => itemPE(pos, x, i, path) === pe);
        if (!jsonEqual(lAll, rAll)) (lAll.length === 0 ? c.added : rAll.length === 0 ? c.removed : c.modified).insert([...path, pe]);
        continue;
      }
      path.push(pe);
      cmp(li.byPE.get(pe), ri.byPE.get(pe), itemPos(pos), path, c);
      path.pop();
    }
  } else {
    const lo = (l as Obj | undefined) ?? EMPTY_OBJ;
    const ro = (r as Obj | undefined) ?? EMPTY_OBJ;
    const lkeys = Object.keys(lo);
    const rkeys = Object.keys(ro);
    if (atomicObject(pos) || (lkeys.length === 0 && rkeys.length === 0)) return cmpLeaf(l, r, path, c);
    for (const k of lkeys) {
      path.push(fieldPE(k));
      cmp(lo[k], ro[k], entryPos(pos, k), path, c);
      path.pop();
    }
    for (const k of rkeys) {
      if (k in lo) continue;
      path.push(fieldPE(k));
      cmp(undefined, ro[k], entryPos(pos, k), path, c);
      path.pop();
    }
  }
  // A granular value that appeared or disappeared is itself added or removed.
  if (l === undefined) c.added.insert(path);
  else if (r === undefined) c.removed.insert(path);
}

const EMPTY_OBJ: Obj = Object.freeze({}) as Obj;

// ---------------------------------------------------------------------------------------------
// merge (apply)

/**
 * Merges an applied configuration into a live value: fields of `rhs` win, structs and maps merge
 * field by field, associative lists merge item by item (the applied order wins for the items it
 * names; live-only items keep their place), atomic values are replaced. `null` in `rhs` removes
 * the field from the result.
 */
export function mergeApplied(lhs: unknown, rhs: unknown, pos: Pos): unknown {
  return mergeValue(lhs, rhs, pos, []);
}

function mergeValue(l: unknown, r: unknown, pos: Pos, path: string[]): unknown {
  if (r === undefined) return l;
  if (l === undefined || l === null || r === null) return clone(r);
  const lk = kindOf(l);
  const rk = kindOf(r);
  if (lk !== rk || rk === 'scalar') return clone(r);
  if (rk === 'list') {
    const ll = l as unknown[];
    const rl = r as unknown[];
    if (atomicList(pos) || (ll.length === 0 && rl.length === 0)) return clone(r);
    return mergeList(ll, rl, pos, path);
  }
  const lo = l as Obj;
  const ro = r as Obj;
  if (atomicObject(pos) || (Object.keys(lo).length === 0 && Object.keys(ro).length === 0)) return clone(r);
  const out: Obj = {};
  for (const k of [...Object.keys(lo), ...Object.keys(ro).filter((k) => !(k in lo))]) {
    const v = mergeValue(lo[k], ro[k], entryPos(pos, k), [...path, fieldPE(k)]);
    if (v !== undefined && v !== null) out[k] = v;
  }
  return out;
}

function mergeList(l: unknown[], r: unknown[], pos: Pos, path: string[]): unknown[] {
  const ri = indexItems(pos, r, path, false);
  const li = indexItems(pos, l, path, true);
  const ip = itemPos(pos);
  const out: unknown[] = [];
  const shared = ri.pes.filter((pe) => li.byPE.has(pe));
  let nextShared = shared.shift();
  const mergedR = new Set<string>();
  let a = 0;
  let b = 0;
  const push = (pe: string, lv: unknown, rv: unknown): void => {
    const v = mergeValue(lv, rv, ip, [...path, pe]);
    if (v !== undefined && v !== null) out.push(v);
  };
  while (a < li.pes.length || b < ri.pes.length) {
    if (a < li.pes.length && b < ri.pes.length) {
      const pe = li.pes[a];
      if (pe === ri.pes[b]) {
        mergedR.add(pe);
        push(pe, li.byPE.get(pe), ri.byPE.get(pe));
        a++;
        b++;
        nextShared = shared.shift();
        continue;
      }
      if (ri.byPE.has(pe) && nextShared !== undefined && nextShared !== pe) {
        a++;
        continue;
      }
    }
    if (a < li.pes.length) {
      const pe = li.pes[a];
      if (!ri.byPE.has(pe)) {
        push(pe, li.byPE.get(pe), undefined);
        a++;
        continue;
      } else if (mergedR.has(pe)) {
        a++;
      }
    }
    if (b < ri.pes.length) {
      const pe = ri.pes[b];
      mergedR.add(pe);
      push(pe, li.byPE.get(pe), ri.byPE.get(pe));
      b++;
      if (nextShared === pe) nextShared = shared.shift();
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// removal

/** Removes the members of `toRemove` (whole values) from `value`; returns the pruned copy. */
export function removeItems(value: unknown, toRemove: FieldSet, pos: Pos): unknown {
  if (Array.isArray(value)) {
    if (value.length === 0 || atomicList(pos)) return value;
    const out: unknown[] = [];
    value.forEach((item, i) => {
      let pe: string;
      try {
        pe = itemPE(pos, item, i, []);
      } catch {
        out.push(item);
        return;
      }
      if (toRemove.members.has(pe)) return;
      const sub = toRemove.withPrefix(pe);
      out.push(sub.isEmpty() ? item : removeItems(item, sub, itemPos(pos)));
    });
    return out.length ? out : undefined;
  }
  if (isObject(value)) {
    if (Object.keys(value).length === 0 || atomicObject(pos)) return value;
    const out: Obj = {};
    for (const [k, v] of Object.entries(value)) {
      const pe = fieldPE(k);
      if (toRemove.members.has(pe)) continue;
      const sub = toRemove.withPrefix(pe);
      if (sub.isEmpty()) out[k] = v;
      else {
        const nv = removeItems(v, sub, entryPos(pos, k));
        if (nv !== undefined) out[k] = nv;
      }
    }
    return Object.keys(out).length ? out : undefined;
  }
  return value;
}

// ---------------------------------------------------------------------------------------------

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return false;
}

export function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/** A list-key problem in an applied configuration, as the apiserver reports it. */
export function listKeyStatus(e: ListKeyError): StatusError {
  return new StatusError(500, 'InternalError', `Internal error occurred: failed to create typed patch object: ${e.message}`, { causes: [{ message: e.message }] });
}
