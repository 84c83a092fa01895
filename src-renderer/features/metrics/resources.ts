/**
 * Requests and limits in chart units (CPU millicores, memory bytes): of one container, and summed
 * over the pods on a node (pods that finished hold nothing), as the scheduler counts requests.
 */
import { parseQuantity } from '../../util/quantity';

interface ContainerLike {
  name: string;
  resources?: { requests?: Record<string, string | undefined>; limits?: Record<string, string | undefined> };
  restartPolicy?: string;
}
export interface PodLike {
  spec?: { containers?: ContainerLike[]; initContainers?: ContainerLike[] };
  status?: { phase?: string };
}

export interface Resources {
  cpuRequest: number;
  cpuLimit: number;
  memoryRequest: number;
  memoryLimit: number;
}

const val = (q: string | undefined, k: number) => {
  const v = parseQuantity(q);
  return Number.isFinite(v) ? v * k : 0;
};

/** One container's requests and limits (0 when unset). */
export function containerResources(c: ContainerLike): Resources {
  const r = c.resources ?? {};
  return { cpuRequest: val(r.requests?.cpu, 1000), cpuLimit: val(r.limits?.cpu, 1000), memoryRequest: val(r.requests?.memory, 1), memoryLimit: val(r.limits?.memory, 1) };
}

/** A pod's effective requests and limits: containers (and sidecars) summed, at least the largest init container. */
export function podResources(p: PodLike): Resources {
  const sum: Resources = { cpuRequest: 0, cpuLimit: 0, memoryRequest: 0, memoryLimit: 0 };
  const initMax: Resources = { ...sum };
  const keys = Object.keys(sum) as (keyof Resources)[];
  for (const c of p.spec?.containers ?? []) {
    const r = containerResources(c);
    for (const k of keys) sum[k] += r[k];
  }
  for (const c of p.spec?.initContainers ?? []) {
    const r = containerResources(c);
    for (const k of keys) {
      if (c.restartPolicy === 'Always') sum[k] += r[k];
      else initMax[k] = Math.max(initMax[k], r[k]);
    }
  }
  for (const k of keys) sum[k] = Math.max(sum[k], initMax[k]);
  return sum;
}

/** The totals over the pods bound to a node (Succeeded/Failed pods excluded). */
export function nodeTotals(pods: readonly PodLike[]): Resources & { pods: number } {
  const out = { cpuRequest: 0, cpuLimit: 0, memoryRequest: 0, memoryLimit: 0, pods: 0 };
  for (const p of pods) {
    if (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') continue;
    const r = podResources(p);
    out.cpuRequest += r.cpuRequest;
    out.cpuLimit += r.cpuLimit;
    out.memoryRequest += r.memoryRequest;
    out.memoryLimit += r.memoryLimit;
    out.pods++;
  }
  return out;
}
