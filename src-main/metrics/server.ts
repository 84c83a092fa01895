/**
 * The in-process metrics-server: every metric resolution (15 s of cluster time, upstream's
 * default `--metric-resolution`) it scrapes every registered kubelet's usage (the kubelet's
 * `/metrics/resource`), turns it into a batch of points and stores it; the API server reads the
 * storage for `metrics.k8s.io`. One timer for the whole cluster; a scrape does a constant amount
 * of work per container and nothing else.
 */
import type { Clock, TimerHandle } from '../client/clock';
import type { NodeConnections, NodeUsage } from '../apiserver/node-connections';
import type { NodeMetricsReading, PodMetricsReading, ResourceMetricsSource } from '../apiserver/metrics/types';
import { MetricsStorage, type MetricsBatch, type PodPoint } from './storage';

export const DEFAULT_METRIC_RESOLUTION_MS = 15_000;

export interface MetricsServerOptions {
  /** The API server's kubelets (ctx.nodes). */
  nodes: NodeConnections;
  /** The cluster clock. */
  clock: Clock;
  /** Time between scrapes (default 15 s). */
  resolutionMs?: number;
  log?: (line: string) => void;
}

/** Adds one node's scrape to the batch, dropping incomplete points as upstream's decoder does. */
export function addNodeUsage(batch: MetricsBatch, nodeName: string, u: NodeUsage): void {
  // upstream: a node point without CPU or memory is incomplete and dropped
  if (u.cpuCoreNanoseconds > 0 && u.memoryBytes > 0) {
    batch.nodes.set(nodeName, { startTime: u.startTime ?? 0, timestamp: u.timestamp, cumulativeCpu: u.cpuCoreNanoseconds, memoryBytes: u.memoryBytes });
  }
  for (const pod of u.pods) {
    if (pod.containers.length === 0) continue;
    const containers: PodPoint = [];
    let complete = true;
    for (const c of pod.containers) {
      // upstream: any container without CPU or memory makes the whole pod's point incomplete
      if (!(c.cpuCoreNanoseconds > 0) || !(c.memoryBytes > 0)) {
        complete = false;
        break;
      }
      containers.push({ name: c.name, startTime: c.startedAt ?? 0, timestamp: u.timestamp, cumulativeCpu: c.cpuCoreNanoseconds, memoryBytes: c.memoryBytes, prev: undefined });
    }
    if (complete && !batch.pods.has(pod.uid)) batch.pods.set(pod.uid, containers);
  }
}

export class MetricsServer implements ResourceMetricsSource {
  readonly storage: MetricsStorage;
  readonly resolutionMs: number;
  /** How long the last scrape took (real ms), for benchmarks and tests. */
  lastScrapeMs = 0;
  private timer?: TimerHandle;
  private stopped = true;
  private readonly failing = new Set<string>();
  private readonly log: (line: string) => void;

  constructor(private readonly o: MetricsServerOptions) {
    this.resolutionMs = o.resolutionMs ?? DEFAULT_METRIC_RESOLUTION_MS;
    this.storage = new MetricsStorage(this.resolutionMs);
    this.log = o.log ?? (() => {});
  }

  /** Scrapes at once, then every resolution (upstream's runScrape ticks immediately too). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.o.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    if (this.stopped) return;
    this.scrape();
    this.timer = this.o.clock.setTimeout(() => this.tick(), this.resolutionMs);
  }

  /** One scrape of every node, stored as one batch. */
  scrape(): void {
    const started = performance.now();
    const batch: MetricsBatch = { nodes: new Map(), pods: new Map() };
    for (const { nodeName, connection } of this.o.nodes.all()) {
      if (!connection.usage) continue;
      try {
        addNodeUsage(batch, nodeName, connection.usage());
        if (this.failing.delete(nodeName)) this.log(`metrics-server: scraping node ${nodeName} works again`);
      } catch (e) {
        // upstream logs "Failed to scrape node" and serves what the other nodes gave
        if (!this.failing.has(nodeName)) this.log(`metrics-server: Failed to scrape node ${nodeName}: ${e instanceof Error ? e.message : String(e)}`);
        this.failing.add(nodeName);
      }
    }
    this.storage.store(batch);
    this.lastScrapeMs = performance.now() - started;
  }

  nodeMetrics(nodeName: string): NodeMetricsReading | undefined {
    return this.storage.nodeMetrics(nodeName);
  }

  podMetrics(namespace: string, name: string, uid: string): PodMetricsReading | undefined {
    return this.storage.podMetrics(namespace, name, uid);
  }
}
