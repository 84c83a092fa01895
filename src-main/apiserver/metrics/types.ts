/**
 * What the API server serves as `metrics.k8s.io/v1beta1` comes from a metrics source (upstream:
 * the metrics-server behind an APIService; here `src-main/metrics/`, set on the ServerContext by
 * cluster-start). Readings are already rates over a window, as metrics-server stores them.
 */

/** Usage over a window: CPU as a rate in nanocores, memory as the working set at the end. */
export interface ResourceUsage {
  cpuNanoCores: number;
  memoryBytes: number;
}

/** When the reading ends (epoch ms, cluster clock) and how long the window was. */
export interface MetricsWindow {
  timestamp: number;
  windowMs: number;
}

export interface NodeMetricsReading extends MetricsWindow {
  usage: ResourceUsage;
}

export interface ContainerMetricsReading {
  name: string;
  usage: ResourceUsage;
}

export interface PodMetricsReading extends MetricsWindow {
  containers: ContainerMetricsReading[];
}

/** metrics-server's storage as the API sees it: a reading or nothing (not scraped twice yet). */
export interface ResourceMetricsSource {
  nodeMetrics(nodeName: string): NodeMetricsReading | undefined;
  /** A pod's reading; `uid` tells this pod from an earlier one of the same name. */
  podMetrics(namespace: string, name: string, uid: string): PodMetricsReading | undefined;
}
