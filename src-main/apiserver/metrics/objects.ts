/**
 * NodeMetrics and PodMetrics objects exactly as metrics-server returns them (k8s.io/metrics
 * v1beta1 field order), and its Table conversion for `kubectl get nodemetrics|podmetrics`.
 */
import type { KubeObject } from '../../api/types';
import type { ContainerMetricsReading, NodeMetricsReading, PodMetricsReading, ResourceUsage } from './types';
import { cpuQuantity, decimalQuantity, goDuration, memoryQuantity, metaTime } from './format';

export const METRICS_GROUP = 'metrics.k8s.io';
export const METRICS_VERSION = 'v1beta1';
export const METRICS_GROUP_VERSION = `${METRICS_GROUP}/${METRICS_VERSION}`;

function usageOf(u: ResourceUsage): { cpu: string; memory: string } {
  return { cpu: cpuQuantity(u.cpuNanoCores), memory: memoryQuantity(u.memoryBytes) };
}

/** ObjectMeta as metrics-server fills it: name, namespace, creationTimestamp = now, the object's labels. */
function metadataOf(source: KubeObject, now: number, namespaced: boolean): Record<string, unknown> {
  const m: Record<string, unknown> = { name: source.metadata.name ?? '' };
  if (namespaced) m.namespace = source.metadata.namespace ?? '';
  m.creationTimestamp = metaTime(now);
  const labels = source.metadata.labels;
  if (labels && Object.keys(labels).length) m.labels = labels;
  return m;
}

/** One NodeMetrics (list items carry no kind/apiVersion, as Go lists encode them). */
export function nodeMetricsObject(node: KubeObject, r: NodeMetricsReading, now: number, withType: boolean): Record<string, unknown> {
  const o: Record<string, unknown> = withType ? { kind: 'NodeMetrics', apiVersion: METRICS_GROUP_VERSION } : {};
  o.metadata = metadataOf(node, now, false);
  o.timestamp = metaTime(r.timestamp);
  o.window = goDuration(r.windowMs);
  o.usage = usageOf(r.usage);
  return o;
}

export function podMetricsObject(pod: KubeObject, r: PodMetricsReading, now: number, withType: boolean): Record<string, unknown> {
  const o: Record<string, unknown> = withType ? { kind: 'PodMetrics', apiVersion: METRICS_GROUP_VERSION } : {};
  o.metadata = metadataOf(pod, now, true);
  o.timestamp = metaTime(r.timestamp);
  o.window = goDuration(r.windowMs);
  o.containers = r.containers.map((c: ContainerMetricsReading) => ({ name: c.name, usage: usageOf(c.usage) }));
  return o;
}

export function metricsList(kind: 'NodeMetricsList' | 'PodMetricsList', items: Record<string, unknown>[]): Record<string, unknown> {
  return { kind, apiVersion: METRICS_GROUP_VERSION, metadata: {}, items };
}

// --- Table (metrics-server's ConvertToTable: Name, cpu, memory, Window) ---------------------------

type IncludeObject = 'None' | 'Metadata' | 'Object';

const COLUMNS = [
  { name: 'Name', type: 'string', format: 'name', description: 'Name of the resource', priority: 0 },
  { name: 'cpu', type: 'string', format: 'quantity', description: '', priority: 0 },
  { name: 'memory', type: 'string', format: 'quantity', description: '', priority: 0 },
  { name: 'Window', type: 'string', format: 'duration', description: '', priority: 0 },
];

function rowObject(o: Record<string, unknown>, kind: string, include: IncludeObject): Record<string, unknown> | undefined {
  if (include === 'None') return undefined;
  if (include === 'Metadata') return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
  return { kind, apiVersion: METRICS_GROUP_VERSION, ...o };
}

/** Rows for NodeMetrics (`cells`: name, cpu, memory, window). */
export function nodeMetricsTable(items: { object: Record<string, unknown>; reading: NodeMetricsReading }[], include: IncludeObject): Record<string, unknown> {
  const rows = items.map(({ object, reading }) => {
    const u = usageOf(reading.usage);
    const row: Record<string, unknown> = { cells: [(object.metadata as { name: string }).name, u.cpu, u.memory, goDuration(reading.windowMs)] };
    const ro = rowObject(object, 'NodeMetrics', include);
    if (ro) row.object = ro;
    return row;
  });
  return { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: {}, columnDefinitions: rows.length ? COLUMNS : null, rows: rows.length ? rows : null };
}

/** Rows for PodMetrics: the containers' usage summed per pod. */
export function podMetricsTable(items: { object: Record<string, unknown>; reading: PodMetricsReading }[], include: IncludeObject): Record<string, unknown> {
  const rows = items.map(({ object, reading }) => {
    let cpu = 0n;
    let mem = 0;
    for (const c of reading.containers) {
      cpu += BigInt(Math.max(0, Math.floor(c.usage.cpuNanoCores)));
      mem += Math.max(0, Math.floor(c.usage.memoryBytes));
    }
    const row: Record<string, unknown> = { cells: [(object.metadata as { name: string }).name, decimalQuantity(cpu, -9), memoryQuantity(mem), goDuration(reading.windowMs)] };
    const ro = rowObject(object, 'PodMetrics', include);
    if (ro) row.object = ro;
    return row;
  });
  return { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: {}, columnDefinitions: rows.length ? COLUMNS : null, rows: rows.length ? rows : null };
}
