/**
 * The Deployment's status from its ReplicaSets (sync.go calculateStatus, syncDeploymentStatus):
 * counts summed over the ReplicaSets (updatedReplicas from the new one), the Available condition
 * (`MinimumReplicasAvailable` once availableReplicas ≥ replicas − maxUnavailable).
 */
import type { KubeObject } from '../../api/types';
import { AVAILABLE, REASON, newCondition, setCondition } from './conditions';
import { writeDeploymentStatus, type DeploymentContext } from './context';
import { maxUnavailable, replicas, specReplicaCount, status, statusCount, type Obj } from './util';

/** Go's DeploymentStatus field order; zero counts omitted (omitempty). */
export function orderDeploymentStatus(st: Obj): Obj {
  const out: Obj = {};
  for (const f of ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas', 'conditions', 'collisionCount']) {
    const v = st[f];
    if (v === undefined || v === null || (v === 0 && f !== 'collisionCount')) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[f] = v;
  }
  return out;
}

export function calculateStatus(dc: DeploymentContext, allRSs: (KubeObject | undefined)[], newRS: KubeObject | undefined, d: KubeObject): Obj {
  const available = statusCount(allRSs, 'availableReplicas');
  const total = specReplicaCount(allRSs);
  const old = status(d);
  const st: Obj = {
    observedGeneration: d.metadata.generation,
    replicas: statusCount(allRSs, 'replicas'),
    updatedReplicas: statusCount([newRS], 'replicas'),
    readyReplicas: statusCount(allRSs, 'readyReplicas'),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, total - available),
    collisionCount: old.collisionCount,
  };
  if (Array.isArray(old.conditions)) st.conditions = (old.conditions as Obj[]).map((c) => ({ ...c }));
  if (available >= replicas(d) - maxUnavailable(d)) {
    setCondition(st, newCondition(AVAILABLE, 'True', REASON.MinimumReplicasAvailable, 'Deployment has minimum availability.', dc.clock.now()));
  } else {
    setCondition(st, newCondition(AVAILABLE, 'False', REASON.MinimumReplicasUnavailable, 'Deployment does not have minimum availability.', dc.clock.now()));
  }
  return orderDeploymentStatus(st);
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v as Obj)
      .filter((k) => (v as Obj)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Obj)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** reflect.DeepEqual of two statuses (as Go would see them: zero counts equal to absent). */
export function sameStatus(a: Obj, b: Obj): boolean {
  return stableJson(orderDeploymentStatus(a)) === stableJson(orderDeploymentStatus(b));
}

/** syncDeploymentStatus: write the calculated status when it differs. */
export async function syncDeploymentStatus(dc: DeploymentContext, allRSs: (KubeObject | undefined)[], newRS: KubeObject | undefined, d: KubeObject): Promise<void> {
  const st = calculateStatus(dc, allRSs, newRS, d);
  if (sameStatus(status(d), st)) return;
  d.status = st;
  await writeDeploymentStatus(dc, d);
}
