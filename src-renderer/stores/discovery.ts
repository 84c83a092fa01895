/** The served resources (discovery), loaded once at start and again on demand. */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { discover } from '../api/discovery';
import type { ApiResource } from '../api/types';
import { buildCatalog } from '../util/catalog';

export const useDiscoveryStore = defineStore('discovery', () => {
  const resources = shallowRef<ApiResource[]>([]);
  const loaded = ref(false);
  const error = ref<string>();
  let inflight: Promise<void> | undefined;

  function load(): Promise<void> {
    inflight ??= discover()
      .then((r) => {
        resources.value = r;
        loaded.value = true;
        error.value = undefined;
      })
      .catch((e: unknown) => {
        error.value = e instanceof Error ? e.message : String(e);
      })
      .finally(() => (inflight = undefined));
    return inflight;
  }

  const catalog = computed(() => buildCatalog(resources.value));

  function find(group: string, resource: string): ApiResource | undefined {
    return resources.value.find((r) => r.group === group && r.resource === resource);
  }

  /** The plural of a kind in a group (owner references and events name kinds, URLs need plurals). */
  function byKind(group: string, kind: string): ApiResource | undefined {
    return resources.value.find((r) => r.group === group && r.kind === kind);
  }

  return { resources, loaded, error, catalog, load, find, byKind };
});
