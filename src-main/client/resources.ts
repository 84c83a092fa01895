/** The addresses of the built-in resources the in-process components use most. */
import type { ResourceRef } from './client';

const core = (resource: string): ResourceRef => ({ group: '', version: 'v1', resource });
const gvr = (group: string, version: string, resource: string): ResourceRef => ({ group, version, resource });

export const R = {
  pods: core('pods'),
  nodes: core('nodes'),
  namespaces: core('namespaces'),
  services: core('services'),
  endpoints: core('endpoints'),
  events: core('events'),
  configmaps: core('configmaps'),
  secrets: core('secrets'),
  serviceaccounts: core('serviceaccounts'),
  persistentvolumes: core('persistentvolumes'),
  persistentvolumeclaims: core('persistentvolumeclaims'),
  replicationcontrollers: core('replicationcontrollers'),
  resourcequotas: core('resourcequotas'),
  limitranges: core('limitranges'),
  deployments: gvr('apps', 'v1', 'deployments'),
  replicasets: gvr('apps', 'v1', 'replicasets'),
  statefulsets: gvr('apps', 'v1', 'statefulsets'),
  daemonsets: gvr('apps', 'v1', 'daemonsets'),
  controllerrevisions: gvr('apps', 'v1', 'controllerrevisions'),
  jobs: gvr('batch', 'v1', 'jobs'),
  cronjobs: gvr('batch', 'v1', 'cronjobs'),
  endpointslices: gvr('discovery.k8s.io', 'v1', 'endpointslices'),
  leases: gvr('coordination.k8s.io', 'v1', 'leases'),
  ingresses: gvr('networking.k8s.io', 'v1', 'ingresses'),
  networkpolicies: gvr('networking.k8s.io', 'v1', 'networkpolicies'),
  poddisruptionbudgets: gvr('policy', 'v1', 'poddisruptionbudgets'),
  horizontalpodautoscalers: gvr('autoscaling', 'v2', 'horizontalpodautoscalers'),
  storageclasses: gvr('storage.k8s.io', 'v1', 'storageclasses'),
  priorityclasses: gvr('scheduling.k8s.io', 'v1', 'priorityclasses'),
  eventsV1: gvr('events.k8s.io', 'v1', 'events'),
} as const satisfies Record<string, ResourceRef>;
