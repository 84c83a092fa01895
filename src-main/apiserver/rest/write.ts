/**
 * The write pipeline every mutating verb shares, in upstream's order:
 * decode → defaults → managed fields → admission (mutating) → strategy → validation → admission (validating) → store.
 * Create, update (PUT, PATCH, status, scale, binding) and delete all come through here.
 */
import type { ResourceDef } from '../../api/resource';
import type { KubeObject } from '../../api/types';
import {
  StatusError,
  alreadyExists,
  badRequest,
  conflict,
  generateNameConflict,
  invalid,
  notFound,
} from '../../api/errors';
import { StoreError, type StoredObject } from '../../storage/types';
import { knownJson, recordedJson, rememberJson } from '../../storage/json-cache';
import type { AdmissionAttributes, ServerContext } from '../context';
import { keyFor, toServed, toStored } from '../storage-keys';
import { carryUpdateMeta, checkObjectShape, clone, jsonEqual, prepareCreateMeta, rfc3339, specPart } from './meta';
import type { WriteOptions } from './options';
import { trackManagedFields } from './managed-fields';
import { isDecodedBody } from '../media';

/** Finalizers that hold an object being deleted: metadata.finalizers, and spec.finalizers of a Namespace. */
export function pendingFinalizers(def: ResourceDef, obj: KubeObject): string[] {
  const meta = obj.metadata.finalizers ?? [];
  if (def.group === '' && def.plural === 'namespaces') {
    const spec = (obj.spec ?? {}) as { finalizers?: string[] };
    return [...meta, ...(spec.finalizers ?? [])];
  }
  return meta;
}

export function hasStatus(def: ResourceDef): boolean {
  return def.subresources?.includes('status') ?? false;
}

function strategyCtx(ctx: ServerContext, namespace: string) {
  return { namespace, now: ctx.now() };
}

function runAdmission(ctx: ServerContext, a: AdmissionAttributes, phase: 'admit' | 'validate'): void {
  for (const p of ctx.admission) p[phase]?.(a, ctx);
}

function settleAdmission(ctx: ServerContext, a: AdmissionAttributes, ok: boolean): void {
  for (const p of ctx.admission) (ok ? p.committed : p.aborted)?.(a, ctx);
}

function checkUnknownFields(ctx: ServerContext, def: ResourceDef, body: unknown, opts: WriteOptions): void {
  if (opts.fieldValidation === 'Ignore' || !ctx.unknownFields) return;
  const unknown = ctx.unknownFields(def.group, def.version, def.kind, body);
  if (unknown.length === 0) return;
  const parts = unknown.map((f) => `unknown field "${f.replace(/^\./, '')}"`);
  if (opts.fieldValidation === 'Strict') {
    throw badRequest(`${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: strict decoding error: ${parts.join(', ')}`);
  }
  opts.warnings.push(...parts);
}

/** 409 for a taken name: generateName's own message when the name was generated. */
function nameTaken(def: ResourceDef, name: string, generated: boolean): StatusError {
  return generated ? generateNameConflict(def.group, def.plural, name) : alreadyExists(def.group, def.plural, name);
}

function storeError(e: unknown, def: ResourceDef, name: string, generated: boolean): never {
  if (e instanceof StoreError) {
    if (e.code === 'AlreadyExists') throw nameTaken(def, name, generated);
    if (e.code === 'Conflict') throw conflict(def.group, def.plural, name);
    if (e.code === 'NotFound') throw notFound(def.group, def.plural, name);
  }
  throw e;
}

function validateOrThrow(def: ResourceDef, obj: KubeObject, errs: ReturnType<NonNullable<ResourceDef['validate']>>): void {
  if (errs.length) throw invalid(def.group, def.kind, obj.metadata.name ?? '', errs);
}

/**
 * The served form of what a create/update just stored. Its JSON text is the one the store wrote
 * (when the served and stored forms are the same), so the response is not serialized again.
 */
function servedAfterWrite(ctx: ServerContext, def: ResourceDef, stored: StoredObject, overHttp = false): KubeObject {
  const obj = toServed(def, stored.object);
  if (def.storage) return obj;
  const cur = ctx.store.get(stored.key);
  if (cur && cur.rv === stored.rv && cur.object.apiVersion === obj.apiVersion && cur.object.kind === obj.kind) {
    // A text the store already has; for a pod, made now only for a create that came as bytes
    // (its response is JSON, and a GET often follows): an in-process writer never reads JSON.
    const text = overHttp ? knownJson(cur.object) : recordedJson(cur.object);
    if (text !== undefined) rememberJson(obj, text);
  }
  return obj;
}

/** Creates an object; `body` is the decoded request body. Returns the served object. */
export function createObject(ctx: ServerContext, def: ResourceDef, namespace: string, body: unknown, opts: WriteOptions): KubeObject {
  checkUnknownFields(ctx, def, body, opts);
  // A body parsed from request bytes is this request's own: no copy needed.
  const overHttp = isDecodedBody(body);
  const obj = checkObjectShape(def, overHttp ? body : clone(body));
  ctx.pruneUnknownFields?.(def.group, def.version, def.kind, obj);
  if (obj.metadata.resourceVersion) {
    throw badRequest('resourceVersion should not be set on objects to be created');
  }
  const generated = !obj.metadata.name && !!obj.metadata.generateName;
  const now = ctx.now();
  prepareCreateMeta(def, obj, namespace, now);
  def.default?.(obj);
  // As upstream's create handler: field ownership is recorded on the decoded, defaulted object,
  // before mutating admission (what admission adds — a token volume, tolerations — is nobody's).
  trackManagedFields(def, undefined, obj, opts, rfc3339(now), '');
  const a: AdmissionAttributes = { operation: 'CREATE', def, namespace, name: obj.metadata.name ?? '', subresource: '', object: obj, old: undefined, dryRun: opts.dryRun };
  runAdmission(ctx, a, 'admit');
  if (hasStatus(def)) delete obj.status;
  def.prepareForCreate?.(obj, strategyCtx(ctx, namespace));
  if (!obj.metadata.name) {
    throw invalid(def.group, def.kind, '', [{ type: 'FieldValueRequired', field: 'metadata.name', detail: 'name or generateName is required' }]);
  }
  validateOrThrow(def, obj, def.validate?.(obj, undefined) ?? []);
  let ok = false;
  try {
    runAdmission(ctx, a, 'validate');
    if (opts.dryRun) {
      // As the real create would: a name that is taken is 409 AlreadyExists.
      if (ctx.store.get(keyFor(def, namespace, obj.metadata.name))) throw nameTaken(def, obj.metadata.name, generated);
      return obj;
    }
    let stored;
    try {
      stored = ctx.store.create(keyFor(def, namespace, obj.metadata.name), toStored(def, obj));
    } catch (e) {
      storeError(e, def, obj.metadata.name, generated);
    }
    ok = true;
    return servedAfterWrite(ctx, def, stored, overHttp);
  } finally {
    settleAdmission(ctx, a, ok);
  }
}

export interface UpdateParams {
  /**
   * 'finalize' (namespaces) writes spec.finalizers past the main resource's strategy; 'binding'
   * (pods/binding) sets spec.nodeName, which a pod update may not change.
   */
  subresource: '' | 'status' | 'finalize' | 'binding';
  /** Turns the current object into the desired one (PUT: the body; PATCH: the patched copy). */
  mutate: (current: KubeObject) => KubeObject;
  /** `mutate` ignores its argument (PUT: the body replaces the object), so no copy is made for it. */
  replaces?: boolean;
  /** When the object is missing: create it from `mutate(undefined)` (server-side apply) or 404. */
  createIfMissing?: () => KubeObject;
  /** Skip unknown-field checks (already done on the patch body). */
  skipFieldCheck?: boolean;
}

export interface UpdateResult {
  object: KubeObject;
  created: boolean;
}

/** Reads the current object of a key as served, or undefined. */
export function readCurrent(ctx: ServerContext, def: ResourceDef, namespace: string, name: string): { rv: number; object: KubeObject } | undefined {
  const cur = ctx.store.get(keyFor(def, namespace, name));
  if (!cur) return undefined;
  return { rv: cur.rv, object: toServed(def, clone(cur.object)) };
}

export function updateObject(ctx: ServerContext, def: ResourceDef, namespace: string, name: string, p: UpdateParams, opts: WriteOptions): UpdateResult {
  const cur = readCurrent(ctx, def, namespace, name);
  if (!cur) {
    if (p.createIfMissing) {
      const body = p.createIfMissing();
      return { object: createObject(ctx, def, namespace, body, { ...opts, fieldValidation: p.skipFieldCheck ? 'Ignore' : opts.fieldValidation }), created: true };
    }
    throw notFound(def.group, def.plural, name);
  }
  const old = cur.object;
  const desired = p.mutate(p.replaces ? old : clone(old));
  if (!p.skipFieldCheck) checkUnknownFields(ctx, def, desired, opts);
  let obj = checkObjectShape(def, desired);
  ctx.pruneUnknownFields?.(def.group, def.version, def.kind, obj);
  if (obj.metadata.name !== undefined && obj.metadata.name !== name) {
    throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
  }
  if (def.namespaced && obj.metadata.namespace && obj.metadata.namespace !== namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  obj.metadata.name = name;
  const rvText = obj.metadata.resourceVersion;
  if (rvText !== undefined && rvText !== '') {
    if (!/^\d+$/.test(rvText)) throw badRequest(`metadata.resourceVersion: Invalid value: "${rvText}": must be a decimal resource version`);
    if (Number(rvText) !== cur.rv) throw conflict(def.group, def.plural, name);
  }

  if (p.subresource === 'status') {
    const next = clone(old);
    next.status = obj.status;
    obj = next;
  } else if (hasStatus(def)) {
    if (old.status === undefined) delete obj.status;
    else obj.status = clone(old.status);
  }
  carryUpdateMeta(def, obj, old);
  if (p.subresource === '') def.default?.(obj);
  // Field ownership before mutating admission, as upstream's update handler (its first transformer).
  trackManagedFields(def, old, obj, opts, rfc3339(ctx.now()), p.subresource);

  const a: AdmissionAttributes = { operation: 'UPDATE', def, namespace, name, subresource: p.subresource, object: obj, old, dryRun: opts.dryRun };
  runAdmission(ctx, a, 'admit');
  if (p.subresource === '') def.prepareForUpdate?.(obj, old, strategyCtx(ctx, namespace));
  if (def.generation && p.subresource === '' && specPart(obj) !== specPart(old)) {
    obj.metadata.generation = (old.metadata.generation ?? 1) + 1;
  }
  // Once deletion started, finalizers may only be removed.
  if (old.metadata.deletionTimestamp) {
    const added = (obj.metadata.finalizers ?? []).filter((f) => !(old.metadata.finalizers ?? []).includes(f));
    if (added.length) {
      throw invalid(def.group, def.kind, name, [{ type: 'FieldValueForbidden', field: 'metadata.finalizers', detail: `no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}` }]);
    }
  }
  const errs = p.subresource === 'status' ? def.validateStatus?.(obj, old) ?? [] : p.subresource === 'binding' ? [] : def.validate?.(obj, old) ?? [];
  validateOrThrow(def, obj, errs);

  let ok = false;
  try {
    runAdmission(ctx, a, 'validate');
    const unchanged = jsonEqual({ ...obj, metadata: { ...obj.metadata, resourceVersion: undefined, managedFields: undefined } }, { ...old, metadata: { ...old.metadata, resourceVersion: undefined, managedFields: undefined } });
    if (unchanged) {
      ok = true;
      return { object: old, created: false };
    }
    if (opts.dryRun) {
      obj.metadata.resourceVersion = String(cur.rv);
      return { object: obj, created: false };
    }
    const key = keyFor(def, namespace, name);
    // The last finalizer removed from an object being deleted: it goes.
    if (obj.metadata.deletionTimestamp && pendingFinalizers(def, obj).length === 0 && (obj.metadata.deletionGracePeriodSeconds ?? 0) === 0) {
      let gone;
      try {
        ctx.store.update(key, toStored(def, obj), cur.rv);
        gone = ctx.store.delete(key);
      } catch (e) {
        storeError(e, def, name, false);
      }
      ok = true;
      return { object: toServed(def, gone.object), created: false };
    }
    let stored;
    try {
      stored = ctx.store.update(key, toStored(def, obj), cur.rv);
    } catch (e) {
      storeError(e, def, name, false);
    }
    ok = true;
    return { object: servedAfterWrite(ctx, def, stored), created: false };
  } finally {
    settleAdmission(ctx, a, ok);
  }
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface DeleteResult {
  object: KubeObject;
  /** False when the object stays (finalizers, graceful pod termination). */
  deleted: boolean;
}

/** Seconds of graceful termination a delete gets: pods use their spec, others delete at once. */
function gracePeriod(def: ResourceDef, obj: KubeObject, requested: number | undefined): number {
  if (def.group !== '' || def.plural !== 'pods') return 0;
  const spec = (obj.spec ?? {}) as Record<string, unknown>;
  const status = (obj.status ?? {}) as Record<string, unknown>;
  // Pods never scheduled, or already finished, have nothing to stop.
  if (!spec.nodeName) return 0;
  if (status.phase === 'Succeeded' || status.phase === 'Failed') return 0;
  let g = requested ?? (typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : 30);
  if (g < 0) g = 0;
  return g;
}

export function deleteObject(ctx: ServerContext, def: ResourceDef, namespace: string, name: string, dopts: DeleteOptions, opts: WriteOptions): DeleteResult {
  const cur = readCurrent(ctx, def, namespace, name);
  if (!cur) throw notFound(def.group, def.plural, name);
  const old = cur.object;
  const pre = dopts.preconditions;
  if (pre?.uid && pre.uid !== old.metadata.uid) {
    throw new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${def.group ? `${def.plural}.${def.group}` : def.plural} "${name}": Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`, { name, group: def.group || undefined, kind: def.plural });
  }
  if (pre?.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion) {
    throw new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${def.group ? `${def.plural}.${def.group}` : def.plural} "${name}": Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in meta: ${old.metadata.resourceVersion}`, { name, group: def.group || undefined, kind: def.plural });
  }
  const a: AdmissionAttributes = { operation: 'DELETE', def, namespace, name, subresource: '', object: undefined, old, dryRun: opts.dryRun };
  runAdmission(ctx, a, 'validate');

  const obj = clone(old);
  const now = ctx.now();
  const finalizers = [...(obj.metadata.finalizers ?? [])];
  const policy = dopts.propagationPolicy ?? def.defaultPropagationPolicy;
  if (policy === 'Foreground' && !finalizers.includes('foregroundDeletion')) finalizers.push('foregroundDeletion');
  if (policy === 'Orphan' && !finalizers.includes('orphan')) finalizers.push('orphan');
  const grace = gracePeriod(def, obj, dopts.gracePeriodSeconds);
  const isNamespace = def.group === '' && def.plural === 'namespaces';
  const held = pendingFinalizers(def, { ...obj, metadata: { ...obj.metadata, finalizers } });

  if (held.length === 0 && grace === 0) {
    if (opts.dryRun) return { object: old, deleted: true };
    let gone;
    try {
      gone = ctx.store.delete(keyFor(def, namespace, name), cur.rv);
    } catch (e) {
      storeError(e, def, name, false);
    }
    settleAdmission(ctx, a, true);
    return { object: toServed(def, gone.object), deleted: true };
  }

  // Graceful: mark for deletion; finalizers' owners (or the kubelet) finish it.
  const m = obj.metadata;
  const deadline = new Date(now.getTime() + grace * 1000);
  if (!m.deletionTimestamp) {
    m.deletionTimestamp = rfc3339(deadline);
    m.deletionGracePeriodSeconds = grace;
  } else if (grace < (m.deletionGracePeriodSeconds ?? 0)) {
    m.deletionTimestamp = rfc3339(deadline);
    m.deletionGracePeriodSeconds = grace;
  }
  m.finalizers = finalizers.length ? finalizers : undefined;
  if (isNamespace) obj.status = { ...((obj.status ?? {}) as object), phase: 'Terminating' };
  if (jsonEqual(obj, old)) return { object: old, deleted: false };
  if (opts.dryRun) return { object: obj, deleted: false };
  let stored;
  try {
    stored = ctx.store.update(keyFor(def, namespace, name), toStored(def, obj), cur.rv);
  } catch (e) {
    storeError(e, def, name, false);
  }
  return { object: toServed(def, stored.object), deleted: false };
}
