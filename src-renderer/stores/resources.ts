/**
 * Live caches of the cluster-scoped collections the first window shows (Nodes, Namespaces),
 * each fed by an informer (list + watch), and the connection state across them.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, triggerRef, type Ref } from 'vue';
import { informer, type ConnectionState, type Informer } from '../api/kube';
import type { KubeObject, Namespace, Node } from '../api/types';

export interface Collection<T extends KubeObject> {
  /** Sorted by name. */
  items: Ref<T[]>;
  /** Synced at least once. */
  loaded: Ref<boolean>;
  state: Ref<ConnectionState>;
  error: Ref<string | undefined>;
  /** Names that arrived through the watch (after the first list): the views highlight them. */
  arrivedLive: Ref<Set<string>>;
  start(): void;
  stop(): void;
}

function collection<T extends KubeObject>(path: string): Collection<T> {
  const byName = shallowRef(new Map<string, T>());
  const items = computed(() => [...byName.value.values()].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name)));
  const loaded = ref(false);
  const state = ref<ConnectionState>('connecting');
  const error = ref<string | undefined>();
  const arrivedLive = shallowRef(new Set<string>());
  let inf: Informer | undefined;
  return {
    items,
    loaded,
    state,
    error,
    arrivedLive,
    start() {
      inf ??= informer<T>(path, {
        onSync(list) {
          byName.value = new Map(list.map((o) => [o.metadata.name, o]));
          loaded.value = true;
        },
        onEvent(type, obj) {
          const name = obj.metadata.name;
          if (type === 'DELETED') byName.value.delete(name);
          else {
            if (type === 'ADDED' && !byName.value.has(name)) {
              arrivedLive.value.add(name);
              triggerRef(arrivedLive);
            }
            byName.value.set(name, obj);
          }
          triggerRef(byName);
        },
        onState(s, err) {
          state.value = s;
          error.value = err;
        },
      });
    },
    stop() {
      inf?.stop();
      inf = undefined;
    },
  };
}

const RANK: Record<ConnectionState, number> = { live: 0, connecting: 1, reconnecting: 2, unauthorized: 3 };

export const useResourcesStore = defineStore('resources', () => {
  const nodes = collection<Node>('/api/v1/nodes');
  const namespaces = collection<Namespace>('/api/v1/namespaces');
  const all = [nodes, namespaces];

  /** The worst state of any collection. */
  const connection = computed<ConnectionState>(() => all.map((c) => c.state.value).reduce((a, b) => (RANK[b] > RANK[a] ? b : a), 'live'));
  const connectionError = computed(() => all.map((c) => c.error.value).find((e) => e));

  function start(): void {
    for (const c of all) c.start();
  }
  function stop(): void {
    for (const c of all) c.stop();
  }

  return {
    nodes: nodes.items,
    nodesLoaded: nodes.loaded,
    nodesArrivedLive: nodes.arrivedLive,
    namespaces: namespaces.items,
    namespacesLoaded: namespaces.loaded,
    namespacesArrivedLive: namespaces.arrivedLive,
    connection,
    connectionError,
    start,
    stop,
  };
});
