/**
 * The garbage collector's view of ownership: every tracked object by uid (where it lives and who
 * owns it) and, per owner uid, its dependents. Kept up to date by informer events; owners that are
 * not (or not yet) in the graph are simply absent from `nodes`.
 */
import type { KubeObject, OwnerReference } from '../../api/types';
import type { TrackedResource } from './resources';

export interface GraphNode {
  uid: string;
  resource: TrackedResource;
  namespace: string;
  name: string;
  owners: readonly OwnerReference[];
}

export class OwnerGraph {
  readonly nodes = new Map<string, GraphNode>();
  private readonly dependents = new Map<string, Set<string>>();

  /** Adds or updates an object; returns its node and the owners it had before (undefined when new). */
  upsert(resource: TrackedResource, obj: KubeObject): { node: GraphNode; previousOwners?: readonly OwnerReference[] } {
    const uid = obj.metadata.uid ?? '';
    const prev = this.nodes.get(uid);
    const owners = obj.metadata.ownerReferences ?? [];
    const node: GraphNode = { uid, resource, namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '', owners };
    if (prev) this.unlinkOwners(uid, prev.owners);
    for (const o of owners) {
      let set = this.dependents.get(o.uid);
      if (!set) this.dependents.set(o.uid, (set = new Set()));
      set.add(uid);
    }
    this.nodes.set(uid, node);
    return { node, previousOwners: prev?.owners };
  }

  /** Removes an object; returns the node it had. */
  remove(uid: string): GraphNode | undefined {
    const prev = this.nodes.get(uid);
    if (!prev) return undefined;
    this.unlinkOwners(uid, prev.owners);
    this.nodes.delete(uid);
    return prev;
  }

  /** The uids of the objects that name `ownerUid` as an owner. */
  dependentsOf(ownerUid: string): string[] {
    return [...(this.dependents.get(ownerUid) ?? [])];
  }

  private unlinkOwners(uid: string, owners: readonly OwnerReference[]): void {
    for (const o of owners) {
      const set = this.dependents.get(o.uid);
      if (!set) continue;
      set.delete(uid);
      if (set.size === 0) this.dependents.delete(o.uid);
    }
  }
}

/** The owner uids of a list of references, in order, joined (cheap comparison of two lists). */
export function ownerUids(owners: readonly OwnerReference[] | undefined): string {
  return (owners ?? []).map((o) => o.uid).join(',');
}
