/**
 * ObjectMeta handling shared by create and update: names from generateName, uid, timestamps,
 * generation, and the fields a client may not change.
 */
import { randomUUID, randomInt } from 'node:crypto';
import type { KubeObject, ObjectMeta } from '../../api/types';
import { isObject } from '../../api/types';
import { badRequest } from '../../api/errors';
import type { ResourceDef } from '../../api/resource';
import { apiVersionOf } from '../../api/resource';

/** RFC 3339 with second precision, as metav1.Time marshals: `2024-01-02T03:04:05Z`. */
export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** RFC 3339 with microseconds, as metav1.MicroTime marshals. */
export function rfc3339Micro(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

/** The 5-character suffix upstream's SimpleNameGenerator appends to generateName. */
export function randomSuffix(n = 5): string {
  let s = '';
  for (let i = 0; i < n; i++) s += NAME_CHARS[randomInt(NAME_CHARS.length)];
  return s;
}

/** Checks the body is a JSON object of this kind and version, and gives it metadata. */
export function checkObjectShape(def: ResourceDef, body: unknown, what = 'object'): KubeObject {
  if (!isObject(body)) throw badRequest(`the ${what} in the request body is not a JSON object`);
  const obj = body as KubeObject;
  const want = apiVersionOf(def);
  if (obj.apiVersion !== undefined && obj.apiVersion !== want) {
    throw badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${want})`);
  }
  if (obj.kind !== undefined && obj.kind !== def.kind) {
    throw badRequest(`Object '${String(obj.kind)}' is not of the expected kind '${def.kind}' (${def.group ? `${def.group}/` : ''}${def.version}, Kind=${def.kind})`);
  }
  if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
  if (!isObject(obj.metadata)) throw badRequest('metadata must be an object');
  // ObjectMeta's maps and lists are `omitempty`: upstream never serves `labels: {}` (e.g. after
  // `kubectl label x app-` removed the last label) or `finalizers: []`.
  const m = obj.metadata as Record<string, unknown>;
  for (const k of ['labels', 'annotations'] as const) if (isObject(m[k]) && Object.keys(m[k] as object).length === 0) delete m[k];
  for (const k of ['finalizers', 'ownerReferences'] as const) if (Array.isArray(m[k]) && (m[k] as unknown[]).length === 0) delete m[k];
  obj.apiVersion = want;
  obj.kind = def.kind;
  return obj;
}

/** Fills server-owned metadata on create. */
export function prepareCreateMeta(def: ResourceDef, obj: KubeObject, namespace: string, now: Date): void {
  const m = obj.metadata;
  if (def.namespaced) {
    if (m.namespace && namespace && m.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    m.namespace = namespace || m.namespace;
  } else {
    delete m.namespace;
  }
  if (!m.name && m.generateName) m.name = `${m.generateName}${randomSuffix()}`;
  m.uid = randomUUID();
  m.creationTimestamp = rfc3339(now);
  delete m.resourceVersion;
  delete m.deletionTimestamp;
  delete m.deletionGracePeriodSeconds;
  delete m.selfLink;
  if (def.generation) m.generation = 1;
  else delete m.generation;
}

/** Carries server-owned metadata from the stored object into an update. */
export function carryUpdateMeta(def: ResourceDef, obj: KubeObject, old: KubeObject): void {
  const m: ObjectMeta = obj.metadata;
  const o = old.metadata;
  m.uid = o.uid;
  m.creationTimestamp = o.creationTimestamp;
  m.namespace = o.namespace;
  if (o.deletionTimestamp) m.deletionTimestamp = o.deletionTimestamp;
  else delete m.deletionTimestamp;
  if (o.deletionGracePeriodSeconds !== undefined) m.deletionGracePeriodSeconds = o.deletionGracePeriodSeconds;
  else delete m.deletionGracePeriodSeconds;
  if (!def.namespaced) delete m.namespace;
  if (o.generateName !== undefined && m.generateName === undefined) m.generateName = o.generateName;
  delete m.selfLink;
  if (def.generation) m.generation = o.generation ?? 1;
  else delete m.generation;
}

/** Everything but metadata and status: what `generation` tracks. */
export function specPart(obj: KubeObject): string {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  return JSON.stringify(rest);
}

/** Deep equality for JSON values (key order insensitive). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => jsonEqual(x, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  if (ak.length !== bk.length) return false;
  return ak.every((k) => jsonEqual(ao[k], bo[k]));
}

export function clone<T>(v: T): T {
  return structuredClone(v);
}
