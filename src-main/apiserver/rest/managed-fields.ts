/**
 * Records field ownership (metadata.managedFields) for ordinary writes through the field manager
 * in apiserver/patch; server-side apply records its own (opts.applied).
 */
import type { ResourceDef } from '../../api/resource';
import { apiVersionOf } from '../../api/resource';
import type { KubeObject } from '../../api/types';
import { patchMetaFor, zeroObject } from '../../api/patch-meta';
import { updateManagedFields } from '../patch/apply';
import type { WriteOptions } from './options';

const kindInfo = new WeakMap<ResourceDef, { apiVersion: string; meta: ReturnType<typeof patchMetaFor>; zero: Record<string, unknown> }>();

/** The kind's apiVersion, patch metadata and typed zero object, computed once per kind (only read). */
function infoOf(def: ResourceDef) {
  let i = kindInfo.get(def);
  if (!i) {
    i = { apiVersion: apiVersionOf(def), meta: patchMetaFor(def.group, def.version, def.kind), zero: zeroObject(def.group, def.version, def.kind) };
    kindInfo.set(def, i);
  }
  return i;
}

export function trackManagedFields(def: ResourceDef, old: KubeObject | undefined, obj: KubeObject, opts: WriteOptions, now: string, subresource: string): void {
  if (opts.applied) return;
  const info = infoOf(def);
  const tracked = updateManagedFields(old, obj, {
    manager: opts.fieldManager,
    operation: 'Update',
    apiVersion: info.apiVersion,
    now,
    meta: info.meta,
    subresource: subresource === 'finalize' ? '' : subresource,
    zero: info.zero,
  });
  if (tracked.metadata.managedFields) obj.metadata.managedFields = tracked.metadata.managedFields;
  else delete obj.metadata.managedFields;
}
