/**
 * Namespace controller: when a Namespace is being deleted, delete everything in it, then remove
 * the `kubernetes` finalizer through `/finalize` so the Namespace goes. Level-triggered: one
 * reconcile per namespace name, retried until the namespace is empty.
 */
import type { ApiCall } from '../bootstrap/api-call';
import type { Registry } from '../api/registry';
import type { KubeObject, KubeList } from '../api/types';
import { StatusError } from '../api/errors';
import { apiVersionOf, servedVerbs } from '../api/resource';

export class NamespaceController {
  constructor(private readonly call: ApiCall, private readonly registry: Registry) {}

  /** Returns true when the namespace is done (gone or not terminating); false to retry later. */
  async reconcile(name: string): Promise<boolean> {
    let ns: KubeObject;
    try {
      ns = await this.call('GET', `/api/v1/namespaces/${name}`);
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) return true;
      throw e;
    }
    if (!ns.metadata.deletionTimestamp) return true;
    let remaining = 0;
    const seenStorage = new Set<string>();
    for (const def of this.registry.kinds) {
      if (!def.namespaced) continue;
      // Kinds served in several versions share storage: delete through one of them.
      const storageId = def.storage ? `${def.storage.group}/${def.storage.resource}` : `${def.group}/${def.plural}`;
      if (seenStorage.has(storageId)) continue;
      seenStorage.add(storageId);
      if (!servedVerbs(def).includes('deletecollection')) continue;
      const base = `/${def.group ? 'apis' : 'api'}/${apiVersionOf(def)}/namespaces/${name}/${def.plural}`;
      const list = await this.call<KubeList>('GET', base);
      if (list.items.length === 0) continue;
      await this.call('DELETE', base);
      const after = await this.call<KubeList>('GET', base);
      remaining += after.items.length;
    }
    if (remaining > 0) return false;
    const spec = (ns.spec ?? {}) as { finalizers?: string[] };
    if ((spec.finalizers ?? []).includes('kubernetes')) {
      await this.call('PUT', `/api/v1/namespaces/${name}/finalize`, {
        ...ns,
        spec: { ...spec, finalizers: (spec.finalizers ?? []).filter((f) => f !== 'kubernetes') },
      });
    }
    return true;
  }
}
