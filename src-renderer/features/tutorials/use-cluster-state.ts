/**
 * The objects a tutorial's checks read: one shared informer per watched kind in the tutorial's
 * namespace (only the kinds its checks need), and whether all of them have listed.
 */
import { computed, type ComputedRef } from 'vue';
import { useResourceStore } from '../../stores/informers';
import type { ClusterState, Obj, WatchedKind } from './types';

const REFS: Record<WatchedKind, { group: string; version: string; resource: string }> = {
  deployments: { group: 'apps', version: 'v1', resource: 'deployments' },
  replicasets: { group: 'apps', version: 'v1', resource: 'replicasets' },
  statefulsets: { group: 'apps', version: 'v1', resource: 'statefulsets' },
  pods: { group: '', version: 'v1', resource: 'pods' },
  services: { group: '', version: 'v1', resource: 'services' },
  persistentvolumeclaims: { group: '', version: 'v1', resource: 'persistentvolumeclaims' },
};
const KINDS = Object.keys(REFS) as WatchedKind[];

export function useClusterState(namespace: () => string, kinds: () => readonly WatchedKind[]): { state: ComputedRef<ClusterState>; loaded: ComputedRef<boolean> } {
  const stores = KINDS.map((k) => [k, useResourceStore(() => (kinds().includes(k) ? { ...REFS[k], namespace: namespace() } : undefined))] as const);
  const state = computed(() => {
    const s = {} as Record<WatchedKind, Obj[]>;
    for (const [k, store] of stores) s[k] = store.value ? [...store.value.items.value.values()].map((i) => i.object as unknown as Obj) : [];
    return s;
  });
  const loaded = computed(() => stores.every(([k, store]) => !kinds().includes(k) || !!store.value?.loaded.value));
  return { state, loaded };
}
