/**
 * Where a kind's objects live in the store, and the conversion between the served version and the
 * stored one (for kinds that share storage, e.g. core and events.k8s.io Events).
 */
import type { ResourceDef } from '../api/resource';
import type { KubeObject } from '../api/types';
import { apiVersionOf } from '../api/resource';

function storageName(def: ResourceDef): { group: string; resource: string } {
  return def.storage ? { group: def.storage.group, resource: def.storage.resource } : { group: def.group, resource: def.plural };
}

export function prefixFor(def: ResourceDef, namespace: string): string {
  const s = storageName(def);
  const base = `/registry/${s.group || 'core'}/${s.resource}/`;
  return def.namespaced && namespace ? `${base}${namespace}/` : base;
}

export function keyFor(def: ResourceDef, namespace: string, name: string): string {
  const s = storageName(def);
  const base = `/registry/${s.group || 'core'}/${s.resource}/`;
  return def.namespaced ? `${base}${namespace}/${name}` : `${base}${name}`;
}

/** The stored object as this version serves it. */
export function toServed(def: ResourceDef, stored: KubeObject): KubeObject {
  const obj = def.storage ? def.storage.fromStorage(stored) : stored;
  obj.apiVersion = apiVersionOf(def);
  obj.kind = def.kind;
  return obj;
}

export function toStored(def: ResourceDef, obj: KubeObject): KubeObject {
  if (!def.storage) return obj;
  const s = def.storage.toStorage(obj);
  return s;
}

/**
 * A read-only view of a stored object as this version serves it, without copying when the stored
 * shape already is the served one (the store hands out frozen objects). Never mutate the result.
 */
export function viewServed(def: ResourceDef, stored: KubeObject): KubeObject {
  if (def.storage) return toServed(def, structuredClone(stored));
  const apiVersion = apiVersionOf(def);
  if (stored.apiVersion === apiVersion && stored.kind === def.kind) return stored;
  return { ...stored, apiVersion, kind: def.kind };
}
