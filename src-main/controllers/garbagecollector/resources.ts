/**
 * The resources the garbage collector watches: those whose objects carry ownerReferences or are
 * named as owners in practice from the start; once running, every other resource the server
 * lists, watches and deletes (found through discovery). Owners of kinds not (yet) watched are
 * still checked by a live read through the REST mapper. Events are never tracked (upstream
 * ignores them too).
 */
import { R, type ResourceRef } from '../../client';

export interface TrackedResource {
  ref: ResourceRef;
  namespaced: boolean;
}

const ns = (ref: ResourceRef): TrackedResource => ({ ref, namespaced: true });
const cluster = (ref: ResourceRef): TrackedResource => ({ ref, namespaced: false });

export const TRACKED_RESOURCES: TrackedResource[] = [
  ns(R.pods),
  ns(R.replicasets),
  ns(R.replicationcontrollers),
  ns(R.deployments),
  ns(R.statefulsets),
  ns(R.daemonsets),
  ns(R.controllerrevisions),
  ns(R.jobs),
  ns(R.cronjobs),
  ns(R.persistentvolumeclaims),
  ns(R.services),
  ns(R.endpoints),
  ns(R.endpointslices),
  ns(R.configmaps),
  ns(R.secrets),
  ns(R.serviceaccounts),
  ns(R.leases),
  ns(R.poddisruptionbudgets),
  cluster(R.persistentvolumes),
  cluster(R.nodes),
];

/** Resources never tracked: Events (as upstream's ignoredResources) are many and never owners. */
export const IGNORED_RESOURCES = new Set(['/events', 'events.k8s.io/events']);

/** `group/resource`, the version left out (one version of each resource is watched). */
export function groupResource(ref: ResourceRef): string {
  return `${ref.group}/${ref.resource}`;
}

/** `group/version/resource`: the name a tracked resource goes by in the graph. */
export function resourceId(ref: ResourceRef): string {
  return `${ref.group}/${ref.version}/${ref.resource}`;
}
