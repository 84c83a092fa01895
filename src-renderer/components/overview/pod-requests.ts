/**
 * What each pod requests (CPU, memory), for the nodes' "requested of allocatable" bars, without
 * keeping pod specs: the overview watches pods as Table rows (metadata only), so requests are read
 * once per pod (they do not change) and kept as two numbers by uid. The first time, and when many
 * pods are unknown at once, the pods are listed whole in chunks and only the numbers kept; a few
 * new pods are read one by one (a list by name). Trade-off: ~30 bytes per pod instead of the whole object (25 MB at
 * 10 000 pods), for one transient full list when the overview opens.
 */
import { onScopeDispose, shallowRef, triggerRef, watch, type Ref, type ShallowRef } from 'vue';
import { list } from '../../api/kube';
import type { Pod } from '../../api/types';
import { podRequests } from '../../util/workloads';
import type { PodInfo } from './map-model';

export interface Req {
  cpu: number;
  memory: number;
}

/** More unknown pods than this: one chunked list instead of GETs. */
const SCAN_OVER = 25;
const CHUNK = 500;
/** At most one full list in this long (pods churning by the hundred). */
const SCAN_EVERY_MS = 10_000;

/** The pods whose requests count toward a node: bound and not finished. */
export function holdsNode(p: PodInfo): boolean {
  return !!p.node && p.phase !== 'Succeeded' && p.phase !== 'Failed';
}

/** Sums known requests per node (pods without known requests count as a pod, with 0). */
export function requestedByNodeFrom(pods: readonly PodInfo[], req: ReadonlyMap<string, Req>): Map<string, Req & { pods: number }> {
  const out = new Map<string, Req & { pods: number }>();
  for (const p of pods) {
    if (!holdsNode(p)) continue;
    const r = req.get(p.uid);
    const acc = out.get(p.node) ?? { cpu: 0, memory: 0, pods: 0 };
    acc.cpu += r?.cpu ?? 0;
    acc.memory += r?.memory ?? 0;
    acc.pods += 1;
    out.set(p.node, acc);
  }
  return out;
}

export function usePodRequests(pods: Ref<readonly PodInfo[]>, ready: Ref<boolean>): { requests: ShallowRef<Map<string, Req>>; known: Ref<boolean> } {
  const requests = shallowRef(new Map<string, Req>());
  const known = shallowRef(false);
  const ac = new AbortController();
  let running = false;
  let lastScan = -Infinity;
  let again: ReturnType<typeof setTimeout> | undefined;

  const missing = (): PodInfo[] => pods.value.filter((p) => holdsNode(p) && !requests.value.has(p.uid));

  async function scan(): Promise<void> {
    lastScan = Date.now();
    let cont: string | undefined;
    do {
      const l = await list('/api/v1/pods', {}, ac.signal, { limit: CHUNK, continue: cont });
      for (const it of l.items) {
        const p = it.object as Pod;
        if (p.metadata.uid) requests.value.set(p.metadata.uid, podRequests(p));
      }
      triggerRef(requests);
      cont = l.continue;
    } while (cont && !ac.signal.aborted);
  }

  /** One pod, listed by name (a pod deleted meanwhile is an empty list, not a 404 in the console). */
  async function fetchOne(p: PodInfo): Promise<void> {
    try {
      const l = await list(`/api/v1/namespaces/${encodeURIComponent(p.namespace)}/pods`, { fieldSelector: `metadata.name=${p.name}` }, ac.signal);
      const o = l.items[0]?.object as Pod | undefined;
      if (o?.metadata.uid) requests.value.set(o.metadata.uid, podRequests(o));
      if (o?.metadata.uid !== p.uid) requests.value.set(p.uid, { cpu: 0, memory: 0 });
    } catch {
      // unreachable: counted as requesting nothing rather than asked again
      if (!ac.signal.aborted) requests.value.set(p.uid, { cpu: 0, memory: 0 });
    }
  }

  async function fill(): Promise<void> {
    if (running || ac.signal.aborted || !ready.value) return;
    running = true;
    try {
      for (let round = 0; round < 3 && !ac.signal.aborted; round++) {
        const todo = missing();
        if (!todo.length) break;
        if (todo.length > SCAN_OVER) {
          const wait = lastScan + SCAN_EVERY_MS - Date.now();
          if (wait > 0) {
            clearTimeout(again);
            again = setTimeout(() => void fill(), wait);
            break;
          }
          await scan();
        } else {
          for (let i = 0; i < todo.length; i += 4) await Promise.all(todo.slice(i, i + 4).map(fetchOne));
          triggerRef(requests);
        }
      }
      // Forget pods that are gone.
      if (requests.value.size > pods.value.length) {
        const live = new Set(pods.value.map((p) => p.uid));
        for (const uid of requests.value.keys()) if (!live.has(uid)) requests.value.delete(uid);
        triggerRef(requests);
      }
      known.value = !missing().length;
    } catch {
      // the list failed (connection): the next change of the pods tries again
    } finally {
      running = false;
    }
  }

  watch([pods, ready], () => void fill(), { immediate: true });
  onScopeDispose(() => {
    ac.abort();
    clearTimeout(again);
  });
  return { requests, known };
}
