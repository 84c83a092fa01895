/**
 * Which resources each rollout action applies to, as kubectl decides it: rollout
 * history/undo/restart/status for Deployments, StatefulSets and DaemonSets; pause/resume for
 * Deployments only; scale for kinds with a /scale subresource; set image for kinds with a pod
 * template kubectl knows how to patch (a Job's template is immutable, so not Jobs).
 */
import type { ResourceRef } from '../../util/paths';

export type RolloutKind = 'deployments' | 'statefulsets' | 'daemonsets';

const key = (r: ResourceRef): string => `${r.group}/${r.resource}`;

const ROLLOUT = new Set(['apps/deployments', 'apps/statefulsets', 'apps/daemonsets']);
const SCALE = new Set(['apps/deployments', 'apps/statefulsets', 'apps/replicasets', '/replicationcontrollers']);
const SET_IMAGE = new Set(['apps/deployments', 'apps/statefulsets', 'apps/daemonsets', 'apps/replicasets', '/replicationcontrollers', 'batch/cronjobs', '/pods']);

export function hasRollout(r: ResourceRef): boolean {
  return ROLLOUT.has(key(r));
}

export function rolloutKind(r: ResourceRef): RolloutKind | undefined {
  return hasRollout(r) ? (r.resource as RolloutKind) : undefined;
}

export function canPause(r: ResourceRef): boolean {
  return key(r) === 'apps/deployments';
}

export function canScale(r: ResourceRef): boolean {
  return SCALE.has(key(r));
}

export function canSetImage(r: ResourceRef): boolean {
  return SET_IMAGE.has(key(r));
}

/** kubectl's `<resource>.<group>/<name>` (`deployment.apps/web`, `replicationcontroller/rc`). */
export function kubectlName(r: ResourceRef, name: string): string {
  const singular = r.resource.replace(/s$/, '');
  return r.group ? `${singular}.${r.group}/${name}` : `${singular}/${name}`;
}

/** The short form kubectl commands take: `deployment/web`. */
export function kubectlTarget(r: ResourceRef, name: string): string {
  return kubectlName({ ...r, group: '' }, name);
}

/** The object a details route shows (`resource-details`: group, version, resource, namespace?, name). */
export function targetFromRoute(name: unknown, params: Record<string, unknown>): { resource: ResourceRef; namespace?: string; name: string } | undefined {
  if (name !== 'resource-details') return undefined;
  const str = (v: unknown) => (Array.isArray(v) ? String(v[0] ?? '') : v === undefined ? '' : String(v));
  const group = str(params.group);
  const resource = { group: group === 'core' ? '' : group, version: str(params.version), resource: str(params.resource) };
  const objName = str(params.name);
  if (!resource.version || !resource.resource || !objName) return undefined;
  return { resource, namespace: str(params.namespace) || undefined, name: objName };
}
