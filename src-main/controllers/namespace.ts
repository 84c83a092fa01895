/**
 * Namespace controller: when a Namespace is being deleted, delete everything in it, then remove
 * the `kubernetes` finalizer through `/finalize` so the Namespace goes. Level-triggered: one
 * reconcile per namespace name, requeued until the namespace is empty.
 */
import { R, type KubeClient } from '../client';
import type { Registry } from '../api/registry';
import { servedVerbs } from '../api/resource';

export class NamespaceContentRemaining extends Error {
  constructor(readonly namespace: string, readonly remaining: number) {
    super(`namespace ${namespace} still has ${remaining} object(s) waiting for deletion`);
  }
}

export class NamespaceController {
  constructor(private readonly client: KubeClient, private readonly registry: Registry) {}

  /** Throws NamespaceContentRemaining while objects remain, so the work queue retries with back-off. */
  async reconcile(name: string): Promise<void> {
    const ns = await this.client.tryGet(R.namespaces, undefined, name);
    if (!ns || !ns.metadata.deletionTimestamp) return;
    let remaining = 0;
    const seenStorage = new Set<string>();
    for (const def of this.registry.kinds) {
      if (!def.namespaced || !servedVerbs(def).includes('deletecollection')) continue;
      // Kinds served in several versions or groups share storage: delete through one of them.
      const storageId = def.storage ? `${def.storage.group}/${def.storage.resource}` : `${def.group}/${def.plural}`;
      if (seenStorage.has(storageId)) continue;
      seenStorage.add(storageId);
      const ref = { group: def.group, version: def.version, resource: def.plural };
      const list = await this.client.list(ref, name);
      if (list.items.length === 0) continue;
      // As upstream's namespaced resources deleter: dependents go in the background, whatever the kind's default.
      await this.client.deleteCollection(ref, name, { propagationPolicy: 'Background' });
      remaining += (await this.client.list(ref, name)).items.length;
    }
    if (remaining > 0) throw new NamespaceContentRemaining(name, remaining);
    const spec = (ns.spec ?? {}) as { finalizers?: string[] };
    if ((spec.finalizers ?? []).includes('kubernetes')) {
      await this.client.request('PUT', `/api/v1/namespaces/${encodeURIComponent(name)}/finalize`, new URLSearchParams(), {
        ...ns,
        spec: { ...spec, finalizers: (spec.finalizers ?? []).filter((f) => f !== 'kubernetes') },
      });
    }
  }
}
