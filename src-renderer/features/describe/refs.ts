/** The resources the describe feature reads or links to. */
import type { ResourceRef } from '../../util/paths';

export const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods' };
export const NODES: ResourceRef = { group: '', version: 'v1', resource: 'nodes' };
export const SERVICES: ResourceRef = { group: '', version: 'v1', resource: 'services' };
export const PVS: ResourceRef = { group: '', version: 'v1', resource: 'persistentvolumes' };
export const PVCS: ResourceRef = { group: '', version: 'v1', resource: 'persistentvolumeclaims' };
export const REPLICASETS: ResourceRef = { group: 'apps', version: 'v1', resource: 'replicasets' };
export const CONTROLLERREVISIONS: ResourceRef = { group: 'apps', version: 'v1', resource: 'controllerrevisions' };
export const JOBS: ResourceRef = { group: 'batch', version: 'v1', resource: 'jobs' };
export const ENDPOINTSLICES: ResourceRef = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' };

/** `apps/deployments`, `/pods`: a resource's key in the per-kind tables. */
export function resourceKey(r: { group: string; resource: string }): string {
  return `${r.group}/${r.resource}`;
}
