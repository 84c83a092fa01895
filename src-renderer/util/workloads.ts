/**
 * Overview figures from whole objects: what pods request on each node (the scheduler's view of
 * "allocated"), pods by phase, deployments available, and the newest warning events.
 */
import type { Container, Deployment, KubeEvent, Pod } from '../api/types';
import { parseQuantity } from './quantity';

export interface Requested {
  cpu: number;
  memory: number;
  pods: number;
}

/** A pod's effective requests: the sum over containers, or the largest init container if bigger. */
export function podRequests(p: Pod): { cpu: number; memory: number } {
  const sum = (cs: Container[] | undefined, key: 'cpu' | 'memory') =>
    (cs ?? []).reduce((a, c) => a + (parseQuantity(c.resources?.requests?.[key]) || 0), 0);
  const max = (key: 'cpu' | 'memory') => Math.max(0, ...(p.spec?.initContainers ?? []).map((c) => parseQuantity(c.resources?.requests?.[key]) || 0));
  return { cpu: Math.max(sum(p.spec?.containers, 'cpu'), max('cpu')), memory: Math.max(sum(p.spec?.containers, 'memory'), max('memory')) };
}

/** Terminal pods hold no resources. */
function holdsResources(p: Pod): boolean {
  const phase = p.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed';
}

export function requestedByNode(pods: readonly Pod[]): Map<string, Requested> {
  const out = new Map<string, Requested>();
  for (const p of pods) {
    const node = p.spec?.nodeName;
    if (!node || !holdsResources(p)) continue;
    const r = podRequests(p);
    const acc = out.get(node) ?? { cpu: 0, memory: 0, pods: 0 };
    acc.cpu += r.cpu;
    acc.memory += r.memory;
    acc.pods += 1;
    out.set(node, acc);
  }
  return out;
}

export function podsByPhase(pods: readonly Pod[]): Record<string, number> {
  const out: Record<string, number> = { Running: 0, Pending: 0, Succeeded: 0, Failed: 0, Unknown: 0 };
  for (const p of pods) {
    const ph = p.status?.phase ?? 'Pending';
    out[ph] = (out[ph] ?? 0) + 1;
  }
  return out;
}

export function deploymentHealth(ds: readonly Deployment[]): { available: number; total: number; unhealthy: Deployment[] } {
  let available = 0;
  const unhealthy: Deployment[] = [];
  for (const d of ds) {
    const want = d.spec?.replicas ?? 1;
    if ((d.status?.availableReplicas ?? 0) >= want) available++;
    else unhealthy.push(d);
  }
  return { available, total: ds.length, unhealthy };
}

/** When an event last happened (series, lastTimestamp, eventTime, creation). */
export function eventTime(e: KubeEvent): number {
  const t = e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp;
  const n = t ? Date.parse(t) : NaN;
  return Number.isNaN(n) ? 0 : n;
}

export function newestEvents(events: readonly KubeEvent[], n: number): KubeEvent[] {
  return [...events].sort((a, b) => eventTime(b) - eventTime(a)).slice(0, n);
}
