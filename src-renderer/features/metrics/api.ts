/**
 * metrics.k8s.io/v1beta1 as metrics-server serves it (NodeMetrics, PodMetrics: current usage over
 * a window, no history): the URLs and the answers turned into samples (CPU millicores, bytes).
 */
import { bytes, milliCores } from './format';
import type { Sample } from './ring';

export const METRICS_GROUP = 'metrics.k8s.io';

export interface UsageJson {
  cpu?: string;
  memory?: string;
}
export interface NodeMetricsJson {
  metadata: { name: string };
  timestamp: string;
  window?: string;
  usage: UsageJson;
}
export interface PodMetricsJson {
  metadata: { name: string; namespace: string };
  timestamp: string;
  window?: string;
  containers: { name: string; usage: UsageJson }[];
}

export function nodeMetricsPath(version: string): string {
  return `/apis/${METRICS_GROUP}/${version}/nodes`;
}

/** All pods (namespace '') or one namespace's, or one pod's. */
export function podMetricsPath(version: string, namespace: string, name?: string): string {
  const base = namespace ? `/apis/${METRICS_GROUP}/${version}/namespaces/${encodeURIComponent(namespace)}/pods` : `/apis/${METRICS_GROUP}/${version}/pods`;
  return name ? `${base}/${encodeURIComponent(name)}` : base;
}

export function sampleOf(timestamp: string, usage: UsageJson): Sample {
  return { t: Date.parse(timestamp), cpu: milliCores(usage.cpu), memory: bytes(usage.memory) };
}

/** A pod's sample: the sum of its containers (as kubectl top pod prints it), and each container's. */
export function podSamples(m: PodMetricsJson): { pod: Sample; containers: Map<string, Sample> } {
  const t = Date.parse(m.timestamp);
  const containers = new Map<string, Sample>();
  let cpu = 0;
  let memory = 0;
  for (const c of m.containers ?? []) {
    const s = sampleOf(m.timestamp, c.usage ?? {});
    containers.set(c.name, s);
    cpu += Number.isFinite(s.cpu) ? s.cpu : 0;
    memory += Number.isFinite(s.memory) ? s.memory : 0;
  }
  return { pod: { t, cpu, memory }, containers };
}

/** Series keys in the store. */
export const nodeKey = (name: string) => `node/${name}`;
export const podKey = (namespace: string, name: string) => `pod/${namespace}/${name}`;
export const containerKey = (namespace: string, pod: string, container: string) => `container/${namespace}/${pod}/${container}`;
