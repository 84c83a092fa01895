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

export function trackManagedFields(def: ResourceDef, old: KubeObject | undefined, obj: KubeObject, opts: WriteOptions, now: string, subresource: string): void {
  if (opts.applied) return;
  const tracked = updateManagedFields(old, obj, {
    manager: opts.fieldManager,
    operation: 'Update',
    apiVersion: apiVersionOf(def),
    now,
    meta: patchMetaFor(def.group, def.version, def.kind),
    subresource: subresource === 'finalize' ? '' : subresource,
    zero: zeroObject(def.group, def.version, def.kind),
  });
  if (tracked.metadata.managedFields) obj.metadata.managedFields = tracked.metadata.managedFields;
  else delete obj.metadata.managedFields;
}
