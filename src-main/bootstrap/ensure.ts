/** Create-if-missing through the in-process client: 409 AlreadyExists means it is there. */
import type { KubeClient, ResourceRef } from '../client';
import type { KubeObject } from '../api/types';
import { StatusError } from '../api/errors';

export async function ensure(client: KubeClient, ref: ResourceRef, namespace: string | undefined, obj: KubeObject): Promise<void> {
  try {
    await client.create(ref, namespace, obj);
  } catch (e) {
    if (e instanceof StatusError && e.code === 409) return;
    throw e;
  }
}
