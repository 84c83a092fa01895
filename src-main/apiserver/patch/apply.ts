/**
 * Server-side apply and managed-fields tracking (`metadata.managedFields`), following the
 * apiserver's field manager (k8s.io/apimachinery managedfields) over structured-merge-diff:
 *
 *  - `serverSideApply`: merges an applied configuration (`application/apply-patch+yaml`) into the
 *    live object (or creates it), removes fields this manager applied before and no longer applies
 *    (unless another manager owns them), detects conflicts with other managers (409 with upstream's
 *    message and one FieldManagerConflict cause per field) or, with force, takes them over.
 *  - `updateManagedFields`: records who changed what on ordinary writes (create, update, patch,
 *    status): the writer's entry (operation Update, per manager/apiVersion/subresource) gains the
 *    fields it added or changed, every other manager loses them and the fields that were removed.
 *
 * Conventions kept from upstream: entries sorted by operation, time, manager, apiVersion,
 * subresource; a manager's time changes only when it changed something; apiVersion, kind and
 * metadata name/namespace/uid/resourceVersion/generation/creationTimestamp/selfLink/managedFields
 * are never owned; at most 10 Update managers (older ones fold into `ancient-changes`); objects
 * that have no managedFields (and are not being created) are not tracked by updates; on the first
 * apply to such an object, what is there is first attributed to `before-first-apply`.
 */
import { StatusError, badRequest } from '../../api/errors';
import { type PatchMeta, UNTYPED_META } from '../../api/patch-meta';
import type { KubeObject, ManagedFieldsEntry, StatusCause } from '../../api/types';
import { isObject } from '../../api/types';
import { FieldSet, pathString } from './field-set';
import { ListKeyError, clone, compare, ensureNamedFieldsAreMembers, jsonEqual, listKeyStatus, mergeApplied, removeItems, rootPos, toFieldSet } from './typed';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
export const MAX_UPDATE_MANAGERS = 10;

export interface ApplyOptions {
  /** The field manager (`?fieldManager=`; required for apply). */
  manager: string;
  /** `?force=true`: take over conflicting fields. */
  force: boolean;
  /** The group/version served (`apps/v1`): the applied object must carry it. */
  apiVersion: string;
  /** RFC 3339 time stamp for the entry (`2024-01-01T00:00:00Z`). */
  now: string;
  /** `patchMetaFor(group, version, kind)`; UNTYPED_META for kinds without metadata. */
  meta: PatchMeta | undefined;
  /** '' / undefined for the main resource, 'status' or 'scale' for subresources. */
  subresource?: string;
  /**
   * The typed zero object of the kind (`zeroObject(group, version, kind)`), used in place of a
   * missing live object; defaults to `{apiVersion, kind, metadata: {}}`.
   */
  zero?: Record<string, unknown>;
}

export interface UpdateManagedFieldsOptions {
  manager: string;
  operation: 'Update';
  apiVersion: string;
  now: string;
  meta: PatchMeta | undefined;
  subresource?: string;
  /** As for ApplyOptions: what a created object is compared against. */
  zero?: Record<string, unknown>;
}

/**
 * The field manager of a request without `?fieldManager=`: the user agent up to its first `/`
 * (`kubectl-client-side-apply/v1.29.0 (linux/amd64) kubernetes/abc` → `kubectl-client-side-apply`),
 * `unknown` when there is none; at most 128 characters.
 */
export function defaultFieldManager(userAgent: string | undefined): string {
  const first = (userAgent ?? '').split('/')[0].trim();
  return (first || 'unknown').slice(0, 128);
}

/** The FieldsV1 rendering of the fields an object specifies (as an Apply entry records them). */
export function fieldSetOf(obj: unknown, meta: PatchMeta | undefined): Record<string, unknown> {
  return toFieldSet(obj, rootPos(meta ?? UNTYPED_META), { allowDuplicates: true }).toFieldsV1();
}

// ---------------------------------------------------------------------------------------------
// managers

interface ManagerEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  subresource: string;
  time: string | undefined;
  set: FieldSet;
}

type Managed = Map<string, ManagerEntry>;

/** The identity of an entry: manager, operation, subresource, and apiVersion for Update. */
function managerKey(e: { manager: string; operation: 'Apply' | 'Update'; apiVersion: string; subresource: string }): string {
  return JSON.stringify([e.manager, e.operation, e.operation === 'Apply' ? '' : e.apiVersion, e.subresource]);
}

function decodeManaged(entries: ManagedFieldsEntry[] | undefined): Managed {
  const m: Managed = new Map();
  for (const e of entries ?? []) {
    const op = e.operation === 'Apply' ? 'Apply' : 'Update';
    let set: FieldSet;
    try {
      set = FieldSet.fromFieldsV1(e.fieldsV1 ?? {});
    } catch {
      return new Map();
    }
    const entry: ManagerEntry = { manager: e.manager || 'unknown', operation: op, apiVersion: e.apiVersion ?? '', subresource: e.subresource ?? '', time: e.time, set };
    const key = managerKey(entry);
    const prev = m.get(key);
    if (prev) prev.set = prev.set.union(set);
    else m.set(key, entry);
  }
  return m;
}

function seconds(t: string | undefined): number {
  if (!t) return 0;
  const ms = Date.parse(t);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : 0;
}

function encodeManaged(m: Managed): ManagedFieldsEntry[] | undefined {
  const entries = [...m.values()].filter((e) => !e.set.isEmpty());
  if (!entries.length) return undefined;
  entries.sort((p, q) => {
    if (p.operation !== q.operation) return p.operation < q.operation ? -1 : 1;
    const ps = seconds(p.time);
    const qs = seconds(q.time);
    if (ps !== qs) return ps - qs;
    if (p.manager !== q.manager) return p.manager < q.manager ? -1 : 1;
    if (p.apiVersion !== q.apiVersion) return p.apiVersion < q.apiVersion ? -1 : 1;
    return p.subresource < q.subresource ? -1 : p.subresource > q.subresource ? 1 : 0;
  });
  return entries.map((e) => {
    const out: ManagedFieldsEntry = { manager: e.manager, operation: e.operation, apiVersion: e.apiVersion };
    if (e.time) out.time = e.time;
    out.fieldsType = 'FieldsV1';
    out.fieldsV1 = e.set.toFieldsV1();
    if (e.subresource) out.subresource = e.subresource;
    return out;
  });
}

/** How a manager is named in conflict messages (`"kubectl-client-side-apply" using apps/v1`). */
function printManager(e: ManagerEntry): string {
  let s = JSON.stringify(e.manager);
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') s += ` using ${e.apiVersion}`;
  return s;
}

const STRIPPED: readonly string[][] = [
  ['f:apiVersion'],
  ['f:kind'],
  ['f:metadata'],
  ...['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'].map((f) => ['f:metadata', `f:${f}`]),
];

const STRIPPED_SET = FieldSet.fromPaths(STRIPPED);

/** Removes the never-owned metadata paths from a set (membership only: labels and the like stay). */
function stripMeta(set: FieldSet): FieldSet {
  return set.difference(STRIPPED_SET);
}

/** Fields a write through this (sub)resource does not own: status on the main resource, spec on status. */
function resetFilter(subresource: string): (s: FieldSet) => FieldSet {
  if (subresource === 'status') return (s) => s.withoutTop(['f:spec']);
  if (subresource === '') return (s) => s.withoutTop(['f:status']);
  return (s) => s;
}

function filterComparison(c: { added: FieldSet; removed: FieldSet; modified: FieldSet }, f: (s: FieldSet) => FieldSet): void {
  c.added = f(c.added);
  c.removed = f(c.removed);
  c.modified = f(c.modified);
}

interface Conflict {
  entry: ManagerEntry;
  path: string[];
}

/**
 * structured-merge-diff's Updater.update: every manager but `self` loses the fields removed
 * between `oldObj` and `newObj`, and (unless it is a conflict and force is off) those changed.
 */
function updateOthers(oldObj: unknown, newObj: unknown, meta: PatchMeta, managed: Managed, selfKey: string, force: boolean, filter: (s: FieldSet) => FieldSet): { added: FieldSet; removed: FieldSet; modified: FieldSet; changed: FieldSet } {
  const cmp = compare(oldObj, newObj, rootPos(meta));
  filterComparison(cmp, filter);
  const changed = cmp.modified.union(cmp.added);
  const conflicts: Conflict[] = [];
  for (const [key, e] of managed) {
    if (key === selfKey) continue;
    const c = e.set.intersection(changed);
    if (!c.isEmpty()) for (const p of c.paths()) conflicts.push({ entry: e, path: p });
  }
  if (!force && conflicts.length) throw conflictError(conflicts);
  for (const [key, e] of managed) {
    if (key === selfKey) continue;
    e.set = e.set.difference(changed).difference(cmp.removed);
    if (e.set.isEmpty()) managed.delete(key);
  }
  return { ...cmp, changed };
}

/** 409 Conflict with upstream's message and causes. */
function conflictError(conflicts: Conflict[]): StatusError {
  const byManager = new Map<string, { entry: ManagerEntry; paths: string[][] }>();
  for (const c of conflicts) {
    const k = printManager(c.entry);
    const g = byManager.get(k) ?? { entry: c.entry, paths: [] };
    g.paths.push(c.path);
    byManager.set(k, g);
  }
  const groups = [...byManager.values()].sort((a, b) => (a.entry.manager < b.entry.manager ? -1 : a.entry.manager > b.entry.manager ? 1 : 0));
  const causes: StatusCause[] = [];
  for (const g of groups) for (const p of g.paths) causes.push({ reason: 'FieldManagerConflict', message: `conflict with ${printManager(g.entry)}`, field: pathString(p) });
  let message: string;
  if (conflicts.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${printManager(conflicts[0].entry)}: ${pathString(conflicts[0].path)}`;
  } else {
    const lines: string[] = [];
    for (const g of groups) {
      lines.push(`conflicts with ${printManager(g.entry)}:`);
      for (const p of g.paths) lines.push(`- ${pathString(p)}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new StatusError(409, 'Conflict', message, { causes });
}

/** Folds the oldest Update managers into `ancient-changes` beyond MAX_UPDATE_MANAGERS. */
function capUpdateManagers(managed: Managed): void {
  const updaters = [...managed.entries()].filter(([, e]) => e.operation === 'Update');
  if (updaters.length <= MAX_UPDATE_MANAGERS) return;
  updaters.sort(([ka, a], [kb, b]) => seconds(a.time) - seconds(b.time) || (ka < kb ? -1 : ka > kb ? 1 : 0));
  const firstByVersion = new Map<string, string>();
  let length = updaters.length;
  for (const [key, e] of updaters) {
    if (length <= MAX_UPDATE_MANAGERS) break;
    const bucket: ManagerEntry = { manager: 'ancient-changes', operation: 'Update', apiVersion: e.apiVersion, subresource: '', time: e.time, set: new FieldSet() };
    const bucketKey = managerKey(bucket);
    const first = firstByVersion.get(e.apiVersion);
    if (first === undefined) {
      firstByVersion.set(e.apiVersion, key);
      continue;
    }
    if (!managed.has(bucketKey)) {
      const f = managed.get(first) as ManagerEntry;
      managed.delete(first);
      managed.set(bucketKey, { ...bucket, set: f.set });
    }
    const b = managed.get(bucketKey) as ManagerEntry;
    b.set = e.set.union(b.set);
    b.time = e.time;
    managed.delete(key);
    length--;
  }
}

/** One Update by `manager` from `oldObj` to `newObj` (managedFieldsUpdater + structured update). */
function recordUpdate(managed: Managed, oldObj: unknown, newObj: unknown, meta: PatchMeta, id: Omit<ManagerEntry, 'set' | 'time'>, now: string, zero: unknown): void {
  const filter = resetFilter(id.subresource);
  const key = managerKey(id);
  const selfKey = '\u0000current-operation';
  const cmp = updateOthers(withZero(oldObj, zero), withZero(newObj, zero), meta, managed, selfKey, true, filter);
  // cmp is filtered already: its `changed` (modified ∪ added) is what filter(modified ∪ added) was.
  const set = stripMeta(cmp.changed);
  if (set.isEmpty()) return;
  const prev = managed.get(key);
  managed.set(key, { ...id, time: now, set: prev ? set.union(prev.set) : set });
}

function emptyLike(obj: KubeObject | undefined, apiVersion: string): KubeObject {
  return { apiVersion: obj?.apiVersion ?? apiVersion, kind: obj?.kind ?? '', metadata: {} };
}

/**
 * The object as its typed form would serialize: non-pointer structs of the zero object present
 * (as `{}`) where missing. Comparisons run on this, so that creating `spec.strategy.type` does not
 * count as creating `spec.strategy` itself, as upstream.
 */
function withZero(obj: unknown, zero: unknown): unknown {
  if (!isObject(zero) || (obj !== undefined && !isObject(obj))) return obj;
  const out: Record<string, unknown> = { ...((obj as Record<string, unknown> | undefined) ?? {}) };
  for (const [k, z] of Object.entries(zero)) {
    if (!isObject(z)) continue;
    // Only compared, never changed: the zero's parts need no copy.
    if (out[k] === undefined || out[k] === null) out[k] = z;
    else out[k] = withZero(out[k], z);
  }
  return out;
}

function withoutManagedFields(obj: KubeObject): KubeObject {
  const o = clone(obj);
  delete o.metadata.managedFields;
  return o;
}

/** `obj` without metadata.managedFields: a new top level and metadata, the rest shared with `obj`. */
function shallowWithoutManagedFields(obj: KubeObject): KubeObject {
  const { managedFields: _, ...metadata } = obj.metadata ?? {};
  return { ...obj, metadata };
}

function setManagedFields(obj: KubeObject, managed: Managed): KubeObject {
  const entries = encodeManaged(managed);
  if (entries) obj.metadata.managedFields = entries;
  else delete obj.metadata.managedFields;
  return obj;
}

// ---------------------------------------------------------------------------------------------
// creates

/**
 * The Update entry of a plain create (no managedFields in the request, main resource) is a pure
 * function of the manager, the apiVersion, the kind's schema and zero object, and the created
 * object minus what is never owned (metadata name/namespace/uid/…, and status, which the main
 * resource does not own). Objects created from one template (a ReplicaSet's pods, a benchmark's
 * loop) differ only there, so the entry is computed once per distinct content (a bounded memo
 * keyed by that content's JSON) and its fieldsV1 shared (deep-frozen) by all of them.
 */
const CREATED_MEMO_MAX = 256;
const createdMemo = new Map<string, Record<string, unknown> | null>();
const identities = new WeakMap<object, number>();
let nextIdentity = 1;

function identity(o: object | undefined): number {
  if (!o) return 0;
  let id = identities.get(o);
  if (id === undefined) identities.set(o, (id = nextIdentity++));
  return id;
}

function createdKey(out: KubeObject, id: { manager: string; apiVersion: string }, opts: UpdateManagedFieldsOptions, meta: PatchMeta): string {
  const { name: _n, namespace: _ns, uid: _u, creationTimestamp: _c, resourceVersion: _r, generation: _g, selfLink: _s, managedFields: _m, ...owned } = out.metadata ?? {};
  const { status: _st, metadata: _md, ...rest } = out as KubeObject & { status?: unknown };
  return JSON.stringify([id.manager, id.apiVersion, identity(meta), identity(opts.zero), owned, rest]);
}

function createdFields(out: KubeObject, id: Omit<ManagerEntry, 'set' | 'time'>, opts: UpdateManagedFieldsOptions, meta: PatchMeta): KubeObject {
  const key = createdKey(out, id, opts, meta);
  let fieldsV1 = createdMemo.get(key);
  if (fieldsV1 === undefined) {
    const managed: Managed = new Map();
    try {
      recordUpdate(managed, emptyLike(out, opts.apiVersion), out, meta, id, opts.now, opts.zero);
      fieldsV1 = deepFreezeJson(managed.get(managerKey(id))?.set.toFieldsV1() ?? null);
    } catch (e) {
      if (!(e instanceof ListKeyError)) throw e;
      fieldsV1 = null;
    }
    if (createdMemo.size >= CREATED_MEMO_MAX) createdMemo.delete(createdMemo.keys().next().value as string);
    createdMemo.set(key, fieldsV1);
  }
  if (!fieldsV1) return setManagedFields(out, new Map());
  const entry: ManagedFieldsEntry = { manager: id.manager, operation: 'Update', apiVersion: id.apiVersion, time: opts.now, fieldsType: 'FieldsV1', fieldsV1 };
  out.metadata.managedFields = [entry];
  return out;
}

function deepFreezeJson<T>(v: T): T {
  if (v !== null && typeof v === 'object') {
    for (const x of Object.values(v)) deepFreezeJson(x);
    Object.freeze(v);
  }
  return v;
}

// ---------------------------------------------------------------------------------------------
// public entry points

/**
 * Records field ownership for an ordinary write and returns `updated` (a copy of its top level
 * and metadata; nested values are shared with `updated`) with its `metadata.managedFields` set. `old` is the stored object (undefined on create). Call it on the
 * object as it will be stored (after defaulting), as upstream does.
 *
 * Managed fields sent in the request body replace the stored ones (an empty list clears them);
 * when the request carries none, the stored ones are kept. Subresource writes always keep the
 * stored ones.
 */
export function updateManagedFields(old: KubeObject | undefined, updated: KubeObject, opts: UpdateManagedFieldsOptions): KubeObject {
  const meta = opts.meta ?? UNTYPED_META;
  const subresource = opts.subresource ?? '';
  const requested = updated.metadata?.managedFields;
  let managed: Managed;
  if (subresource || requested === undefined || requested === null) {
    managed = decodeManaged(old?.metadata.managedFields);
  } else if (requested.length === 0 || (requested.length === 1 && Object.keys(requested[0]).length === 0)) {
    managed = new Map();
  } else {
    managed = decodeManaged(requested);
    if (managed.size === 0) managed = decodeManaged(old?.metadata.managedFields);
  }
  // Both are only read (compared); the result's own part is its top level and metadata.
  const out = shallowWithoutManagedFields(updated);
  // Objects that exist without managed fields stay untracked by updates (skipNonApplied).
  if (managed.size === 0 && old && old.metadata.uid) return out;

  const live = old ? shallowWithoutManagedFields(old) : emptyLike(updated, opts.apiVersion);
  const id = { manager: opts.manager || 'unknown', operation: 'Update' as const, apiVersion: opts.apiVersion, subresource };
  // A create by one manager: the entry depends only on the object's content (see createdFields).
  if (!old && managed.size === 0 && !subresource) return createdFields(out, id, opts, meta);
  try {
    recordUpdate(managed, live, out, meta, id, opts.now, opts.zero);
  } catch (e) {
    if (e instanceof ListKeyError) return setManagedFields(out, decodeManaged(old?.metadata.managedFields));
    throw e;
  }
  capUpdateManagers(managed);
  return setManagedFields(out, managed);
}

/**
 * Server-side apply of `applied` (the decoded apply-patch body) onto `live` (undefined: the object
 * does not exist and is created). Returns the new object with managedFields set; it equals `live`
 * (times included) when the apply changes nothing. Throws 400 for a wrong apiVersion or a body
 * carrying managedFields, 409 Conflict on conflicts without force.
 */
export function serverSideApply(live: KubeObject | undefined, applied: KubeObject, opts: ApplyOptions): KubeObject {
  const meta = opts.meta ?? UNTYPED_META;
  const subresource = opts.subresource ?? '';
  if (!isObject(applied)) throw badRequest('error decoding YAML: the applied configuration must be an object');
  if (applied.apiVersion !== opts.apiVersion) {
    throw badRequest(`Incorrect version specified in apply patch. Specified patch version: ${applied.apiVersion ?? ''}, expected: ${opts.apiVersion}`);
  }
  if (isObject(applied.metadata) && applied.metadata.managedFields !== undefined && applied.metadata.managedFields !== null) {
    throw badRequest('metadata.managedFields must be nil');
  }

  const managed = decodeManaged(live?.metadata.managedFields);
  const liveObj = live ? withoutManagedFields(live) : emptyLike(applied, opts.apiVersion);
  const filter = resetFilter(subresource);
  const id = { manager: opts.manager || 'unknown', operation: 'Apply' as const, apiVersion: opts.apiVersion, subresource };
  const key = managerKey(id);

  try {
    // The first apply to an object nobody tracked: what is there belongs to before-first-apply.
    if (managed.size === 0 && live) {
      const empty = emptyLike(live, opts.apiVersion);
      recordUpdate(managed, empty, liveObj, meta, { manager: 'before-first-apply', operation: 'Update', apiVersion: opts.apiVersion, subresource }, opts.now, opts.zero);
    }

    // Fields of another (sub)resource are not applied here.
    const config = clone(applied) as KubeObject;
    if (!isObject(config.metadata)) config.metadata = {};
    if (subresource === '') delete config.status;
    if (subresource === 'status') delete config.spec;

    const pos = rootPos(meta);
    let merged = mergeApplied(liveObj, config, pos) as KubeObject;
    const lastSet = managed.get(key)?.set;
    const appliedSet = filter(toFieldSet(config, pos));
    managed.set(key, { ...id, time: managed.get(key)?.time, set: appliedSet });

    // Fields this manager applied before and no longer applies go, unless someone else owns them.
    if (lastSet && !lastSet.isEmpty()) {
      let owned = new FieldSet();
      for (const e of managed.values()) owned = owned.union(e.set);
      const drop = ensureNamedFieldsAreMembers(lastSet, pos).difference(ensureNamedFieldsAreMembers(owned, pos));
      merged = (removeItems(merged, drop, pos) as KubeObject | undefined) ?? ({ ...merged, metadata: {} } as KubeObject);
      if (!isObject(merged.metadata)) merged.metadata = {};
    }

    updateOthers(withZero(liveObj, opts.zero), withZero(merged, opts.zero), meta, managed, key, opts.force, filter);

    const self = managed.get(key) as ManagerEntry;
    self.set = stripMeta(self.set);
    if (self.set.isEmpty()) managed.delete(key);

    const noop = live !== undefined && jsonEqual(liveObj, merged);
    const result = noop ? liveObj : merged;
    if (!noop) {
      const s = managed.get(key);
      if (s) s.time = opts.now;
    }
    if (opts.manager === 'kubectl' && hasLastApplied(result)) setLastApplied(result, applied);
    return setManagedFields(result, managed);
  } catch (e) {
    if (e instanceof ListKeyError) throw listKeyStatus(e);
    throw e;
  }
}

function hasLastApplied(obj: KubeObject): boolean {
  const a = obj.metadata.annotations?.[LAST_APPLIED_ANNOTATION];
  return typeof a === 'string' && a.length > 0;
}

function setLastApplied(obj: KubeObject, applied: KubeObject): void {
  const copy = clone(applied);
  if (copy.metadata?.annotations) {
    delete copy.metadata.annotations[LAST_APPLIED_ANNOTATION];
  }
  obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [LAST_APPLIED_ANNOTATION]: JSON.stringify(copy) + '\n' };
}


