/**
 * The "Related" panel's logic: which child kinds an object owns (ownerReferences by uid), a
 * Service's endpoint pods (EndpointSlice targetRef) and one status word per child.
 */
import type { KubeObject } from '../../api/types';
import type { ResourceRef } from '../../util/paths';
import { statusTone, type Tone } from '../../util/status';
import { CONTROLLERREVISIONS, JOBS, PODS, REPLICASETS, resourceKey } from './refs';
import { podStatusText, type PodObject } from './summary-pod';
import type { EndpointSlice } from './summary-network';

export interface ChildKind {
  ref: ResourceRef;
  kind: string;
}

const RS: ChildKind = { ref: REPLICASETS, kind: 'ReplicaSet' };
const POD: ChildKind = { ref: PODS, kind: 'Pod' };
const JOB: ChildKind = { ref: JOBS, kind: 'Job' };
const REV: ChildKind = { ref: CONTROLLERREVISIONS, kind: 'ControllerRevision' };

/** Deployment pods are left to the wizards' live Pods panel: a Deployment links its ReplicaSets. */
const CHILDREN: Record<string, ChildKind[]> = {
  'apps/deployments': [RS],
  'apps/replicasets': [POD],
  'apps/statefulsets': [POD, REV],
  'apps/daemonsets': [POD, REV],
  'batch/jobs': [POD],
  'batch/cronjobs': [JOB],
};

export function childKinds(r: { group: string; resource: string }): ChildKind[] {
  return CHILDREN[resourceKey(r)] ?? [];
}

/** Whether the Related panel applies: owners of children, Services (endpoint pods), Nodes (their pods). */
export function hasRelated(r: { group: string; resource: string }): boolean {
  const k = resourceKey(r);
  return k in CHILDREN || k === '/services' || k === '/nodes';
}

export function ownedBy<T extends KubeObject>(objs: readonly T[], uid: string | undefined): T[] {
  if (!uid) return [];
  return objs.filter((o) => o.metadata.ownerReferences?.some((r) => r.uid === uid)).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
}

/** The pods an EndpointSlice list points at (targetRef kind Pod), with readiness; by name. */
export function endpointPods(slices: readonly EndpointSlice[]): { name: string; namespace?: string; ready: boolean }[] {
  const byName = new Map<string, { name: string; namespace?: string; ready: boolean }>();
  for (const s of slices)
    for (const e of s.endpoints ?? []) {
      const t = e.targetRef;
      if (t?.kind !== 'Pod' || !t.name) continue;
      const prev = byName.get(t.name);
      byName.set(t.name, { name: t.name, namespace: t.namespace ?? s.metadata.namespace, ready: (prev?.ready ?? false) || e.conditions?.ready !== false });
    }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

type Obj = KubeObject & { spec?: Record<string, any>; status?: Record<string, any>; revision?: number };

/** A child's status pill: a pod's STATUS, a ReplicaSet's ready/desired, a Job's state, a revision number. */
export function childStatus(kind: string, o: Obj): { text: string; tone: Tone } {
  if (kind === 'Pod') {
    const s = podStatusText(o as PodObject);
    return { text: s, tone: statusTone(s) };
  }
  if (kind === 'ReplicaSet') {
    const desired = o.spec?.replicas ?? 1;
    const ready = o.status?.readyReplicas ?? 0;
    return { text: `${ready}/${desired} ready`, tone: desired === 0 ? 'muted' : ready >= desired ? 'ok' : 'warn' };
  }
  if (kind === 'Job') {
    const c = (o.status?.conditions ?? []).find((x: { type: string; status: string }) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
    const text = c ? c.type : o.spec?.suspend ? 'Suspended' : 'Running';
    return { text, tone: c?.type === 'Complete' ? 'ok' : c ? 'bad' : 'warn' };
  }
  if (kind === 'ControllerRevision') return { text: `revision ${o.revision ?? '?'}`, tone: 'neutral' };
  return { text: '', tone: 'neutral' };
}
