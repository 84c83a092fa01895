/**
 * Discovery of `metrics.k8s.io/v1beta1` as a cluster with metrics-server shows it: the group in
 * `/apis` (plain and aggregated), `/apis/metrics.k8s.io` and the resource list (nodes → NodeMetrics,
 * pods → PodMetrics, verbs get/list, no singular names: metrics-server's storages return "").
 */
import { METRICS_GROUP, METRICS_GROUP_VERSION, METRICS_VERSION } from './objects';

const RESOURCES = [
  { name: 'nodes', kind: 'NodeMetrics', namespaced: false },
  { name: 'pods', kind: 'PodMetrics', namespaced: true },
] as const;

const VERBS = ['get', 'list'];

/** The APIGroup (also an entry of `/apis`' APIGroupList). */
export function metricsApiGroup(): Record<string, unknown> {
  const v = { groupVersion: METRICS_GROUP_VERSION, version: METRICS_VERSION };
  return { kind: 'APIGroup', apiVersion: 'v1', name: METRICS_GROUP, versions: [v], preferredVersion: v };
}

export function metricsApiResourceList(): Record<string, unknown> {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: METRICS_GROUP_VERSION,
    resources: RESOURCES.map((r) => ({ name: r.name, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: VERBS })),
  };
}

/** The group's item in an aggregated `/apis` document (apidiscovery.k8s.io v2 and v2beta1 share it). */
export function metricsAggregatedGroup(): Record<string, unknown> {
  return {
    metadata: { name: METRICS_GROUP, creationTimestamp: null },
    versions: [
      {
        version: METRICS_VERSION,
        resources: RESOURCES.map((r) => ({
          resource: r.name,
          responseKind: { group: METRICS_GROUP, version: METRICS_VERSION, kind: r.kind },
          scope: r.namespaced ? 'Namespaced' : 'Cluster',
          singularResource: '',
          verbs: VERBS,
        })),
        freshness: 'Current',
      },
    ],
  };
}
