/**
 * Strategic merge patch (`application/strategic-merge-patch+json`), applied as the Kubernetes API
 * server applies it (k8s.io/apimachinery strategicpatch, with parallel lists merged and unmatched
 * nulls ignored):
 *  - maps merge key by key; `null` deletes a key;
 *  - lists whose field has patch strategy `merge` merge by the field's merge key (lists of
 *    primitives merge as a set); other lists are replaced;
 *  - directives: `$patch: replace | delete` (in maps and list items; `$patch: merge` is refused
 *    in lists as upstream does), `$retainKeys`, `$deleteFromPrimitiveList/<field>`,
 *    `$setElementOrder/<field>` (the resulting order honours it, then the patch's order, then
 *    the live order).
 * Kinds without patch metadata (custom resources) are refused with 415 as upstream.
 *
 * Error mapping as upstream's patch handler: malformed directives → 400 BadRequest; lists of
 * lists → 422 Invalid (generic message); anything else (a list item missing its merge key, ...)
 * → 500 with the library's message and no reason.
 *
 * Pure: inputs are never modified.
 */
import { StatusError, badRequest } from '../../api/errors';
import { type PatchMeta, mergesList, replacesValue } from '../../api/patch-meta';
import { isObject } from '../../api/types';

type Obj = Record<string, unknown>;

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList';
const SET_ELEMENT_ORDER = '$setElementOrder';

/** The 415 upstream answers for a strategic merge patch to a kind without Go struct metadata. */
export function strategicMergePatchUnsupported(): StatusError {
  return new StatusError(
    415,
    'UnsupportedMediaType',
    'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
  );
}

/** Malformed directive errors (upstream's mergepatch sentinel errors answered with 400). */
const ERR_BAD_PRIMITIVE_LIST = 'invalid patch format of primitive list';
const ERR_BAD_RETAIN_KEYS = 'invalid patch format of retainKeys';
const ERR_BAD_SET_ELEMENT_ORDER = 'invalid patch format of setElementOrder list';
const ERR_NO_LIST_OF_LISTS = 'lists of lists are not supported';

/** Internal error carrying upstream's classification; converted to a StatusError at the top. */
class SmpError extends Error {
  constructor(
    message: string,
    readonly kind: 'badRequest' | 'invalid' | 'internal',
  ) {
    super(message);
  }
}

function toStatus(e: SmpError): StatusError {
  switch (e.kind) {
    case 'badRequest':
      return badRequest(e.message);
    case 'invalid': {
      const err = new StatusError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
      (err as Error & { cause?: unknown }).cause = e.message;
      return err;
    }
    default:
      return new StatusError(500, '', e.message);
  }
}

/**
 * Applies a strategic merge patch (already parsed JSON) to `original` using the kind's patch
 * metadata (`patchMetaFor(group, version, kind)`); `meta` undefined means the kind has none
 * (custom resources) and answers 415. Returns the patched copy.
 */
export function applyStrategicMergePatch<T = unknown>(original: T, patch: unknown, meta: PatchMeta | undefined): T {
  if (!meta) throw strategicMergePatchUnsupported();
  if (!isObject(patch)) {
    if (patch === null) return clone(original);
    throw badRequest(`json: cannot unmarshal ${goJsonKind(patch)} into Go value of type map[string]interface {}`);
  }
  try {
    const orig = isObject(original) ? (clone(original) as Obj) : {};
    return mergeMap(orig, clone(patch) as Obj, meta) as T;
  } catch (e) {
    if (e instanceof SmpError) throw toStatus(e);
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// maps

function mergeMap(original: Obj | null | undefined, patch: Obj, meta: PatchMeta): Obj {
  if (DIRECTIVE in patch) {
    const d = patch[DIRECTIVE];
    if (d === 'replace') {
      delete patch[DIRECTIVE];
      return patch;
    }
    if (d === 'delete') return {};
    throw new SmpError(`unknown patch type: ${goFmt(d)} in map: ${goFmt(patch)}`, 'internal');
  }
  const orig: Obj = original ?? {};

  applyRetainKeys(orig, patch);
  applySetElementOrders(orig, patch, meta);

  for (const rawKey of Object.keys(patch)) {
    const patchV = patch[rawKey];
    let k = rawKey;
    let isDeleteList = false;
    if (rawKey.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      k = extractKey(rawKey, DELETE_FROM_PRIMITIVE_LIST, ERR_BAD_PRIMITIVE_LIST);
      isDeleteList = true;
    }

    if (patchV === null) {
      delete orig[k];
      continue;
    }

    if (!Object.prototype.hasOwnProperty.call(orig, k)) {
      if (!isDeleteList) {
        discardNulls(patchV);
        const [v, keep] = removeDirectives(patchV);
        if (keep) orig[k] = v;
      }
      continue;
    }

    const origV = orig[k];
    if (kindOf(origV) !== kindOf(patchV)) {
      if (!isDeleteList) {
        discardNulls(patchV);
        const [v, keep] = removeDirectives(patchV);
        if (keep) orig[k] = v;
        else delete orig[k];
      }
      continue;
    }

    const fm = meta.field(k);
    const sub = meta.child(k);
    if (isObject(origV) && isObject(patchV)) {
      orig[k] = replacesValue(fm) ? patchV : mergeMap(origV, patchV, sub);
    } else if (Array.isArray(origV) && Array.isArray(patchV)) {
      if (mergesList(fm) || isDeleteList) {
        orig[k] = mergeSlice(origV, patchV, sub, fm?.mergeKey ?? '', isDeleteList, meta);
      } else {
        orig[k] = patchV;
      }
    } else {
      const [v, keep] = removeDirectives(patchV);
      if (keep) orig[k] = v;
      else delete orig[k];
    }
  }
  return orig;
}

function applyRetainKeys(original: Obj, patch: Obj): void {
  if (!(RETAIN_KEYS in patch)) return;
  const list = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(list)) throw new SmpError(ERR_BAD_RETAIN_KEYS, 'badRequest');
  const keep = new Set(list);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER)) continue;
    if (!keep.has(k)) throw new SmpError(ERR_BAD_RETAIN_KEYS, 'badRequest');
  }
  for (const k of Object.keys(original)) {
    if (!keep.has(k)) delete original[k];
  }
}

/** `$setElementOrder/<field>`: merges that list now and orders the result. */
function applySetElementOrders(original: Obj, patch: Obj, meta: PatchMeta): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order)) throw new SmpError(`expected a []interface {}, but received a ${goTypeName(order)}`, 'internal');
    const field = extractKey(key, SET_ELEMENT_ORDER, ERR_BAD_SET_ELEMENT_ORDER);

    const foundOriginal = Object.prototype.hasOwnProperty.call(original, field);
    const foundPatch = Object.prototype.hasOwnProperty.call(patch, field);
    const originalList = original[field];
    const patchList = patch[field];
    if (foundOriginal && !Array.isArray(originalList)) throw new SmpError(`expected a []interface {}, but received a ${goTypeName(originalList)}`, 'internal');
    if (foundPatch && !Array.isArray(patchList)) throw new SmpError(`expected a []interface {}, but received a ${goTypeName(patchList)}`, 'internal');
    const origArr = (foundOriginal ? originalList : []) as unknown[];
    const patchArr = (foundPatch ? patchList : []) as unknown[];

    const fm = meta.field(field);
    const mergeKey = fm?.mergeKey ?? '';
    validatePatchWithSetOrderList(patchArr, order, mergeKey);

    let merged: unknown[];
    if (foundOriginal && !foundPatch) merged = origArr;
    else if (!foundOriginal && foundPatch) merged = removeDirectives(patchArr)[0] as unknown[];
    else if (foundOriginal && foundPatch) {
      merged = mergesList(fm) ? mergeSlice(origArr, patchArr, meta.child(field), mergeKey, false, meta) : patchArr;
    } else continue;

    const isMap = sliceIsMaps(origArr, patchArr);
    const [patchItems, serverOnly] = mergeKey ? partitionMaps(merged, order, mergeKey) : partitionPrimitives(merged, order);
    original[field] = normalizeElementOrder(patchItems, serverOnly, order, origArr, mergeKey, isMap);
    delete patch[field];
  }
}

function validatePatchWithSetOrderList(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const nonDelete = mergeKey ? extractToDeleteItems(patchList)[0] : patchList;
  let p = 0;
  let s = 0;
  while (p < nonDelete.length && s < order.length) {
    if (isObject(nonDelete[p]) && DIRECTIVE in (nonDelete[p] as Obj)) {
      p++;
      continue;
    }
    if (mergeKeyValueEqual(nonDelete[p], order[s], mergeKey)) p++;
    s++;
  }
  if (p < nonDelete.length && s >= order.length) {
    throw new SmpError(`The order in patch list:\n${goFmt(patchList)}\n doesn't match ${SET_ELEMENT_ORDER} list:\n${goFmt(order)}\n`, 'internal');
  }
}

function mergeKeyValueEqual(left: unknown, right: unknown, mergeKey: string): boolean {
  if (!mergeKey) return left === right;
  if (!isObject(left)) throw new SmpError(`expected a map[string]interface {}, but received a ${goTypeName(left)}`, 'internal');
  if (!isObject(right)) throw new SmpError(`expected a map[string]interface {}, but received a ${goTypeName(right)}`, 'internal');
  if (!(mergeKey in left)) throw noMergeKey(left, mergeKey);
  if (!(mergeKey in right)) throw noMergeKey(right, mergeKey);
  return left[mergeKey] === right[mergeKey];
}

// ---------------------------------------------------------------------------------------------
// lists

function mergeSlice(original: unknown[], patch: unknown[], itemMeta: PatchMeta, mergeKey: string, isDeleteList: boolean, parent: PatchMeta): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const isMap = sliceIsMaps(original, patch);
  let merged: unknown[];
  if (!isMap) {
    if (isDeleteList) {
      const del = new Set(patch);
      return original.filter((v) => !del.has(v));
    }
    merged = dedupeScalars([...original, ...patch]);
  } else {
    if (!mergeKey) throw new SmpError(`cannot merge lists without merge key for ${parent.typeName ?? ''}`, 'internal');
    const special = mergeSliceWithSpecialElements(original, patch, mergeKey);
    original = special.original;
    patch = special.patch;
    merged = mergeSliceWithoutSpecialElements(original, patch, mergeKey, itemMeta);
  }
  const [patchItems, serverOnly] = mergeKey ? partitionMaps(merged, patch, mergeKey) : partitionPrimitives(merged, patch);
  return normalizeElementOrder(patchItems, serverOnly, patch, original, mergeKey, isMap);
}

/** Checks the lists hold one kind of element (maps, or one scalar type) and says whether maps. */
function sliceIsMaps(...lists: unknown[][]): boolean {
  let prev: string | undefined;
  for (const l of lists) {
    for (const v of l) {
      const t = goTypeName(v);
      if (prev === undefined) {
        prev = t;
        if (Array.isArray(v)) throw new SmpError(ERR_NO_LIST_OF_LISTS, 'invalid');
      } else if (prev !== t) {
        throw new SmpError(`list element types are not identical: ${goFmt(lists)}`, 'internal');
      }
    }
  }
  if (prev === undefined) throw new SmpError('no elements in any of the given slices', 'internal');
  return prev === 'map[string]interface {}';
}

function mergeSliceWithSpecialElements(original: unknown[], patch: unknown[], mergeKey: string): { original: unknown[]; patch: unknown[] } {
  const plain: unknown[] = [];
  let replace = false;
  for (const v of patch) {
    const m = v as Obj;
    if (!(DIRECTIVE in m)) {
      plain.push(v);
      continue;
    }
    const d = m[DIRECTIVE];
    if (d === 'delete') {
      if (!(mergeKey in m)) throw noMergeKey(m, mergeKey);
      const key = m[mergeKey];
      original = original.filter((o) => {
        if (!isObject(o)) throw new SmpError(`value for key ${goFmt(o)} is not a map`, 'internal');
        return !(mergeKey in o && o[mergeKey] === key);
      });
    } else if (d === 'replace') {
      replace = true;
    } else if (d === 'merge') {
      throw new SmpError('merging lists cannot yet be specified in the patch', 'internal');
    } else {
      throw new SmpError(`unknown patch type: ${goFmt(d)} in map: ${goFmt(m)}`, 'internal');
    }
  }
  if (replace) return { original: plain, patch: [] };
  return { original, patch: plain };
}

function mergeSliceWithoutSpecialElements(original: unknown[], patch: unknown[], mergeKey: string, itemMeta: PatchMeta): unknown[] {
  const out = [...original];
  for (const v of patch) {
    const m = v as Obj;
    if (!(mergeKey in m)) throw noMergeKey(m, mergeKey);
    const idx = findByKey(out, mergeKey, m[mergeKey]);
    if (idx >= 0) out[idx] = mergeMap(out[idx] as Obj, m, itemMeta);
    else out.push(v);
  }
  return out;
}

function findByKey(list: unknown[], mergeKey: string, value: unknown): number {
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (!isObject(item)) throw new SmpError(`value for key ${i} is not a map`, 'internal');
    if (mergeKey in item && item[mergeKey] === value) return i;
  }
  return -1;
}

function partitionPrimitives(list: unknown[], by: unknown[]): [unknown[], unknown[]] {
  const inPatch = new Set(by);
  const patch: unknown[] = [];
  const server: unknown[] = [];
  for (const v of list) (inPatch.has(v) ? patch : server).push(v);
  return [patch, server];
}

function partitionMaps(list: unknown[], by: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const patch: unknown[] = [];
  const server: unknown[] = [];
  for (const v of list) {
    if (!isObject(v)) throw new SmpError(`expected a map[string]interface {}, but received a ${goTypeName(v)}`, 'internal');
    if (!(mergeKey in v)) throw noMergeKey(v, mergeKey);
    const found = by.some((b) => isObject(b) && mergeKey in b && b[mergeKey] === v[mergeKey]);
    (found ? patch : server).push(v);
  }
  return [patch, server];
}

function extractToDeleteItems(list: unknown[]): [unknown[], unknown[]] {
  const keep: unknown[] = [];
  const del: unknown[] = [];
  for (const v of list) {
    if (!isObject(v)) throw new SmpError(`expected a map[string]interface {}, but received a ${goTypeName(v)}`, 'internal');
    if (v[DIRECTIVE] === 'delete') del.push(v);
    else keep.push(v);
  }
  return [keep, del];
}

function indexIn(list: unknown[], item: unknown, mergeKey: string, isMap: boolean): number {
  const val = (x: unknown): unknown => (isMap ? (isObject(x) ? x[mergeKey] : undefined) : x);
  const want = val(item);
  for (let i = 0; i < list.length; i++) if (val(list[i]) === want) return i;
  return -1;
}

function normalizeSliceOrder(toSort: unknown[], order: unknown[], mergeKey: string, isMap: boolean): unknown[] {
  let del: unknown[] = [];
  if (isMap) {
    for (const l of [toSort, order]) {
      for (const item of l) {
        if (!isObject(item)) throw new SmpError(`expected a map[string]interface {}, but received a ${goTypeName(item)}`, 'internal');
        if (!(mergeKey in item)) throw noMergeKey(item, mergeKey);
      }
    }
    [toSort, del] = extractToDeleteItems(toSort);
  }
  const keyed = toSort.map((v, i) => ({ v, i, at: indexIn(order, v, mergeKey, isMap) }));
  keyed.sort((a, b) => {
    if (a.at >= 0 && b.at >= 0 && a.at !== b.at) return a.at - b.at;
    return a.i - b.i;
  });
  return [...keyed.map((k) => k.v), ...del];
}

/**
 * Orders patch items by the patch (or $setElementOrder) order and server-only items by the live
 * order, then interleaves them: a server-only item goes before the first patch item that comes
 * after it in the live list.
 */
function normalizeElementOrder(patchItems: unknown[], serverOnly: unknown[], patchOrder: unknown[], serverOrder: unknown[], mergeKey: string, isMap: boolean): unknown[] {
  const right = normalizeSliceOrder(patchItems, patchOrder, mergeKey, isMap);
  const left = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, isMap);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey, isMap);
      const ri = indexIn(serverOrder, right[j], mergeKey, isMap);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

function dedupeScalars(list: unknown[]): unknown[] {
  const seen = new Set<unknown>();
  const out: unknown[] = [];
  for (const v of list) {
    if (seen.has(v)) continue;
    seen.add(v);
    out.push(v);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// helpers

function extractKey(s: string, prefix: string, err: string): string {
  const i = s.indexOf('/');
  if (i < 0 || s.slice(0, i) !== prefix) throw new SmpError(err, 'badRequest');
  return s.slice(i + 1);
}

/** Removes values carrying `$patch` (returns keep=false for such a value itself). */
function removeDirectives(v: unknown): [unknown, boolean] {
  if (isObject(v)) {
    if (DIRECTIVE in v) return [undefined, false];
    for (const k of Object.keys(v)) {
      const [nv, keep] = removeDirectives(v[k]);
      if (keep) v[k] = nv;
      else delete v[k];
    }
    return [v, true];
  }
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const item of v) {
      const [nv, keep] = removeDirectives(item);
      if (keep) out.push(nv);
    }
    return [out, true];
  }
  return [v, true];
}

function discardNulls(v: unknown): void {
  if (isObject(v)) {
    for (const k of Object.keys(v)) {
      if (v[k] === null) delete v[k];
      else discardNulls(v[k]);
    }
  } else if (Array.isArray(v)) {
    for (const item of v) discardNulls(item);
  }
}

function kindOf(v: unknown): string {
  return goTypeName(v);
}

function noMergeKey(m: Obj, key: string): SmpError {
  return new SmpError(`map: ${goFmt(m)} does not contain declared merge key: ${key}`, 'internal');
}

/** The Go type name a decoded JSON value has (`map[string]interface {}`, `[]interface {}`, `string`, `int64`, ...). */
function goTypeName(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return '[]interface {}';
  if (typeof v === 'object') return 'map[string]interface {}';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  return typeof v;
}

function goJsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  return 'object';
}

/** Formats a value as Go's `%v` prints decoded JSON (`map[name:nginx]`, `[a b]`). */
export function goFmt(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goFmt).join(' ')}]`;
  if (isObject(v)) {
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${goFmt(v[k])}`)
      .join(' ')}]`;
  }
  return String(v);
}

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

