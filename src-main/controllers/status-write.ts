/**
 * A controller's status write through the status subresource: `status` replaces the object's,
 * a conflict re-reads the object and tries again (at most twice more), and an object that went
 * away or was replaced by a new one (other uid) is left alone.
 */
import type { KubeObject } from '../api/types';
import type { KubeClient, ResourceRef } from '../client';
import { isConflict } from './workers';

export async function writeStatusRetrying(client: KubeClient, ref: ResourceRef, obj: KubeObject, status: Record<string, unknown>): Promise<void> {
  let cur = obj;
  for (let attempt = 0; ; attempt++) {
    try {
      await client.updateStatus(ref, cur.metadata.namespace, { ...structuredClone(cur), status });
      return;
    } catch (e) {
      if (!isConflict(e) || attempt >= 2) throw e;
      const fresh = await client.tryGet(ref, cur.metadata.namespace, cur.metadata.name ?? '');
      if (!fresh || fresh.metadata.uid !== obj.metadata.uid) return;
      cur = fresh;
    }
  }
}
