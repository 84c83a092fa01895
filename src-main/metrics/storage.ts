/**
 * metrics-server's storage: the last two samples of every node and container, and the rates
 * between them. Follows upstream's rules (pkg/storage): a point only moves to "previous" when a
 * newer one arrives and the container has not restarted in between; a container that started
 * less than one resolution (but at least 10 s) before its first sample gets a synthetic previous
 * point at its start time with zero CPU; a pod is served only when every container it reported
 * last has a previous point. CPU = Δ cumulative core-ns / Δ seconds; memory = the last working set.
 */
import type { ContainerMetricsReading, NodeMetricsReading, PodMetricsReading, ResourceMetricsSource, ResourceUsage } from '../apiserver/metrics/types';

/** Upstream's freshContainerMinMetricsResolution: a window shorter than this gives unreliable rates. */
export const FRESH_CONTAINER_MIN_MS = 10_000;

/** One sample of a node or container. */
export interface MetricsPoint {
  /** When the node or container started (cumulative CPU was 0 then), epoch ms. */
  startTime: number;
  /** When the sample was taken, epoch ms. */
  timestamp: number;
  /** Cumulative CPU since startTime, core-nanoseconds. */
  cumulativeCpu: number;
  /** Working set, bytes. */
  memoryBytes: number;
}

/** A container's sample; `prev` is set by the storage (the point a rate is computed against). */
export interface ContainerPoint extends MetricsPoint {
  name: string;
  prev?: MetricsPoint;
}

/** A pod's containers in one scrape, in the order the kubelet reported them (pods have few: an array beats a map). */
export type PodPoint = ContainerPoint[];

/**
 * One scrape of all nodes. Pods are keyed by UID (upstream keys namespace/name; a pod recreated under
 * the same name has new containers either way, so nothing it serves differs, and the UID strings
 * are the pods' own, hashed once, which halves the cost of a 10 000-pod scrape).
 */
export interface MetricsBatch {
  nodes: Map<string, MetricsPoint>;
  pods: Map<string, PodPoint>;
}

/** resourceUsage: the rate between two points, or undefined when they do not belong together. */
export function usageBetween(last: MetricsPoint, prev: MetricsPoint): { usage: ResourceUsage; timestamp: number; windowMs: number } | undefined {
  if (last.startTime < prev.startTime) return undefined; // unexpected decrease in startTime
  if (last.cumulativeCpu < prev.cumulativeCpu) return undefined; // unexpected decrease in cumulative CPU
  const windowMs = last.timestamp - prev.timestamp;
  if (windowMs <= 0) return undefined;
  const cpuNanoCores = Math.floor((last.cumulativeCpu - prev.cumulativeCpu) / (windowMs / 1000));
  return { usage: { cpuNanoCores, memoryBytes: last.memoryBytes }, timestamp: last.timestamp, windowMs };
}

/**
 * The stored samples. Pods keep their previous points as links on the last ones (`prev`, never
 * chained further), so storing a scrape allocates nothing per container beyond the batch itself.
 */
export class MetricsStorage implements ResourceMetricsSource {
  private lastNodes = new Map<string, MetricsPoint>();
  private prevNodes = new Map<string, MetricsPoint>();
  private lastPods = new Map<string, PodPoint>();

  constructor(private readonly resolutionMs: number) {}

  /** Replaces the stored samples with a new scrape (nodes and pods absent from it are forgotten). */
  store(batch: MetricsBatch): void {
    this.storeNodes(batch.nodes);
    this.storePods(batch.pods);
  }

  private storeNodes(nodes: Map<string, MetricsPoint>): void {
    const prevNodes = new Map<string, MetricsPoint>();
    for (const [name, point] of nodes) {
      const last = this.lastNodes.get(name);
      if (!last) continue;
      if (point.timestamp > last.timestamp) prevNodes.set(name, last);
      else {
        const prev = this.prevNodes.get(name);
        if (prev && prev.timestamp < point.timestamp) prevNodes.set(name, prev);
      }
    }
    this.lastNodes = nodes;
    this.prevNodes = prevNodes;
  }

  private storePods(pods: Map<string, PodPoint>): void {
    const resolution = this.resolutionMs;
    for (const [key, containers] of pods) {
      const lastPod = this.lastPods.get(key);
      for (const point of containers) {
        point.prev = undefined;
        const age = point.timestamp - point.startTime;
        if (age > 0 && age < resolution && age >= FRESH_CONTAINER_MIN_MS) {
          // a fresh container: its start is a sample with no CPU used yet
          point.prev = { startTime: point.startTime, timestamp: point.startTime, cumulativeCpu: 0, memoryBytes: point.memoryBytes };
          continue;
        }
        const last = lastPod && find(lastPod, point.name);
        // the same container (started before the stored sample was taken)
        if (!last || !(point.startTime < last.timestamp)) continue;
        if (point.timestamp > last.timestamp) {
          point.prev = last;
          last.prev = undefined; // a previous point needs no previous of its own
        } else if (last.prev && last.prev.timestamp < point.timestamp) {
          point.prev = last.prev;
        }
      }
    }
    this.lastPods = pods;
  }

  nodeMetrics(nodeName: string): NodeMetricsReading | undefined {
    const last = this.lastNodes.get(nodeName);
    const prev = this.prevNodes.get(nodeName);
    if (!last || !prev) return undefined;
    const u = usageBetween(last, prev);
    return u && { timestamp: u.timestamp, windowMs: u.windowMs, usage: u.usage };
  }

  podMetrics(_namespace: string, _name: string, uid: string): PodMetricsReading | undefined {
    const last = this.lastPods.get(uid);
    if (!last) return undefined;
    const containers: ContainerMetricsReading[] = [];
    let earliest: { timestamp: number; windowMs: number } | undefined;
    for (const point of last) {
      if (!point.prev) return undefined; // every container needs two samples
      const u = usageBetween(point, point.prev);
      if (!u) continue; // upstream logs and skips the container
      containers.push({ name: point.name, usage: u.usage });
      if (!earliest || u.timestamp < earliest.timestamp) earliest = { timestamp: u.timestamp, windowMs: u.windowMs };
    }
    return { timestamp: earliest?.timestamp ?? 0, windowMs: earliest?.windowMs ?? 0, containers };
  }

  /** Nodes and pods that can be served now (tests, logs). */
  get ready(): { nodes: number; pods: number } {
    let pods = 0;
    for (const p of this.lastPods.values()) if (p.every((c) => c.prev)) pods++;
    return { nodes: this.prevNodes.size, pods };
  }
}

function find(pod: PodPoint, name: string): ContainerPoint | undefined {
  for (const c of pod) if (c.name === name) return c;
  return undefined;
}
