/** Create-if-missing through the in-process client: an existing object is left as it is. */
import type { KubeClient, ResourceRef } from '../client';
import type { KubeObject } from '../api/types';
import { StatusError } from '../api/errors';

/** Returns true when this call created the object. */
export async function ensure(client: KubeClient, ref: ResourceRef, namespace: string | undefined, obj: KubeObject): Promise<boolean> {
  // Look first: a create of an existing Service would trip over its own cluster IP (422) before
  // the name clash (409), as upstream's allocator runs before the store.
  if (await client.tryGet(ref, namespace, obj.metadata.name ?? '')) return false;
  try {
    await client.create(ref, namespace, obj);
    return true;
  } catch (e) {
    if (e instanceof StatusError && e.code === 409) return false;
    throw e;
  }
}
