/**
 * Patches and field ownership, as pure functions (no HTTP, no storage):
 *  - json-patch.ts       application/json-patch+json          applyJsonPatch(current, body)
 *  - merge-patch.ts      application/merge-patch+json         applyMergePatch(current, body)
 *  - strategic-merge.ts  application/strategic-merge-patch+json applyStrategicMergePatch(current, body, meta)
 *  - apply.ts            application/apply-patch+yaml         serverSideApply(live, body, opts)
 *                        every other write                    updateManagedFields(old, updated, opts)
 * Metadata of the kinds comes from api/patch-meta.ts (`patchMetaFor(group, version, kind)`).
 * Every error thrown is a StatusError with upstream's code, reason and message.
 *
 * May import api/ only.
 */
import type { PatchMeta } from '../../api/patch-meta';
import type { KubeObject } from '../../api/types';
import { applyJsonPatch } from './json-patch';
import { applyMergePatch } from './merge-patch';
import { applyStrategicMergePatch } from './strategic-merge';

export { applyJsonPatch, decodeJsonPatch, MAX_JSON_PATCH_OPERATIONS } from './json-patch';
export { applyMergePatch, createMergePatch } from './merge-patch';
export { applyStrategicMergePatch, strategicMergePatchUnsupported } from './strategic-merge';
export { defaultFieldManager, fieldSetOf, serverSideApply, updateManagedFields, LAST_APPLIED_ANNOTATION } from './apply';
export type { ApplyOptions, UpdateManagedFieldsOptions } from './apply';

/** The three patch types that transform the current object (apply has its own entry point). */
export type PatchFormat = 'json-patch' | 'merge-patch' | 'strategic-merge-patch';

/**
 * Applies a decoded PATCH body of the given format to the current object and returns the patched
 * copy (not yet defaulted or validated). `meta` is `patchMetaFor(group, version, kind)`; undefined
 * refuses strategic merge patches with 415, as for custom resources.
 */
export function applyPatchBody(format: PatchFormat, current: KubeObject, body: unknown, meta: PatchMeta | undefined): unknown {
  switch (format) {
    case 'json-patch':
      return applyJsonPatch(current, body);
    case 'merge-patch':
      return applyMergePatch(current, body);
    case 'strategic-merge-patch':
      return applyStrategicMergePatch(current, body, meta);
  }
}
