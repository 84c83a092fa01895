/**
 * Records field ownership (metadata.managedFields) for ordinary writes. The field-set logic lives
 * in apiserver/patch (server-side apply); this is the seam the write pipeline calls.
 */
import type { ResourceDef } from '../../api/resource';
import type { KubeObject } from '../../api/types';
import type { WriteOptions } from './options';

export function trackManagedFields(
  _def: ResourceDef,
  _old: KubeObject | undefined,
  _obj: KubeObject,
  _opts: WriteOptions,
  _now: string,
  _subresource: string,
): void {
  // Wired to the server-side apply field manager once apiserver/patch lands.
}
