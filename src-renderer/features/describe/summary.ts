/** Which summary a details page shows, by resource (group/plural); undefined for other kinds. */
import type { KubeObject } from '../../api/types';
import { resourceKey } from './refs';
import { configMapSummary, namespaceSummary, nodeSummary, pvcSummary, pvSummary, secretSummary } from './summary-cluster';
import { ingressSummary, serviceSummary, type EndpointSlice } from './summary-network';
import { podSummary } from './summary-pod';
import { cronJobSummary, daemonSetSummary, deploymentSummary, jobSummary, replicaSetSummary, statefulSetSummary } from './summary-workloads';
import type { Summary } from './types';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const SUMMARIES: Record<string, (o: any, slices: readonly EndpointSlice[]) => Summary> = {
  '/pods': podSummary,
  'apps/deployments': deploymentSummary,
  'apps/replicasets': replicaSetSummary,
  'apps/statefulsets': statefulSetSummary,
  'apps/daemonsets': daemonSetSummary,
  'batch/jobs': jobSummary,
  'batch/cronjobs': cronJobSummary,
  '/services': serviceSummary,
  'networking.k8s.io/ingresses': ingressSummary,
  '/nodes': nodeSummary,
  '/namespaces': namespaceSummary,
  '/configmaps': configMapSummary,
  '/secrets': secretSummary,
  '/persistentvolumeclaims': pvcSummary,
  '/persistentvolumes': pvSummary,
};

export function hasSummary(r: { group: string; resource: string }): boolean {
  return resourceKey(r) in SUMMARIES;
}

/** The object's summary; `slices` are a Service's EndpointSlices (ignored for other kinds). */
export function summaryOf(r: { group: string; resource: string }, obj: KubeObject, slices: readonly EndpointSlice[] = []): Summary | undefined {
  const f = SUMMARIES[resourceKey(r)];
  return f ? f(obj, slices) : undefined;
}
