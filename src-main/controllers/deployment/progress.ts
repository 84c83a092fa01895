/**
 * Rollout progress (progress.go syncRolloutStatus, requeueStuckDeployment): the Progressing
 * condition (`NewReplicaSetAvailable` when complete, `ReplicaSetUpdated` refreshed while
 * replicas move, `ProgressDeadlineExceeded` once nothing moved for progressDeadlineSeconds),
 * ReplicaSets' ReplicaFailure copied up, and a requeue at the deadline while a rollout is stuck.
 */
import type { KubeObject } from '../../api/types';
import { PROGRESSING, REASON, REPLICA_FAILURE, getCondition, getDeploymentCondition, newCondition, removeCondition, setCondition, type DeploymentCondition } from './conditions';
import { writeDeploymentStatus, type DeploymentContext } from './context';
import { calculateStatus, orderDeploymentStatus, sameStatus } from './status';
import { deploymentComplete, deploymentProgressing, hasProgressDeadline, num, spec, status, type Obj } from './util';

/** DeploymentTimedOut. */
export function deploymentTimedOut(d: KubeObject, st: Obj, now: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(st, PROGRESSING);
  if (!c) return false;
  if (c.reason === REASON.NewReplicaSetAvailable) return false;
  if (c.reason === REASON.ProgressDeadlineExceeded) return true;
  const from = c.lastUpdateTime ? Date.parse(c.lastUpdateTime) : NaN;
  if (Number.isNaN(from)) return false;
  return from + num(spec(d).progressDeadlineSeconds) * 1000 < now;
}

/** getReplicaFailures: the new ReplicaSet's ReplicaFailure conditions, else any old one's. */
function replicaFailures(allRSs: (KubeObject | undefined)[], newRS: KubeObject | undefined): DeploymentCondition[] {
  const of = (rs: KubeObject | undefined): DeploymentCondition[] =>
    ((status(rs).conditions ?? []) as DeploymentCondition[])
      .filter((c) => c.type === REPLICA_FAILURE)
      .map((c) => ({ type: c.type, status: c.status, lastUpdateTime: c.lastTransitionTime, lastTransitionTime: c.lastTransitionTime, reason: c.reason, message: c.message }));
  const fromNew = of(newRS);
  return fromNew.length ? fromNew : allRSs.flatMap(of);
}

export async function syncRolloutStatus(dc: DeploymentContext, allRSs: (KubeObject | undefined)[], newRS: KubeObject | undefined, d: KubeObject): Promise<void> {
  const now = dc.clock.now();
  const st = calculateStatus(dc, allRSs, newRS, d);
  if (!hasProgressDeadline(d)) removeCondition(st, PROGRESSING);
  const cur = getDeploymentCondition(d, PROGRESSING);
  const isComplete = num(st.replicas) === num(st.updatedReplicas) && cur?.reason === REASON.NewReplicaSetAvailable;
  if (hasProgressDeadline(d) && !isComplete) {
    if (deploymentComplete(d, st)) {
      const msg = newRS ? `ReplicaSet "${newRS.metadata.name}" has successfully progressed.` : `Deployment "${d.metadata.name}" has successfully progressed.`;
      setCondition(st, newCondition(PROGRESSING, 'True', REASON.NewReplicaSetAvailable, msg, now));
    } else if (deploymentProgressing(d, st)) {
      const msg = newRS ? `ReplicaSet "${newRS.metadata.name}" is progressing.` : `Deployment "${d.metadata.name}" is progressing.`;
      const c = newCondition(PROGRESSING, 'True', REASON.ReplicaSetUpdated, msg, now);
      if (cur) {
        if (cur.status === 'True') c.lastTransitionTime = cur.lastTransitionTime;
        removeCondition(st, PROGRESSING);
      }
      setCondition(st, c);
    } else if (deploymentTimedOut(d, st, now)) {
      const msg = newRS ? `ReplicaSet "${newRS.metadata.name}" has timed out progressing.` : `Deployment "${d.metadata.name}" has timed out progressing.`;
      setCondition(st, newCondition(PROGRESSING, 'False', REASON.ProgressDeadlineExceeded, msg, now));
    }
  }
  const failures = replicaFailures(allRSs, newRS);
  if (failures.length) setCondition(st, failures[0]);
  else removeCondition(st, REPLICA_FAILURE);

  const next = orderDeploymentStatus(st);
  if (sameStatus(status(d), next)) {
    requeueStuckDeployment(dc, d, next);
    return;
  }
  d.status = next;
  await writeDeploymentStatus(dc, d);
}

/** requeueStuckDeployment: check again when the progress deadline would pass. */
export function requeueStuckDeployment(dc: DeploymentContext, d: KubeObject, st: Obj): number {
  const cur = getDeploymentCondition(d, PROGRESSING);
  if (!hasProgressDeadline(d) || !cur) return -1;
  if (deploymentComplete(d, st) || cur.reason === REASON.ProgressDeadlineExceeded) return -1;
  const last = cur.lastUpdateTime ? Date.parse(cur.lastUpdateTime) : NaN;
  if (Number.isNaN(last)) return -1;
  const after = last + num(spec(d).progressDeadlineSeconds) * 1000 - dc.clock.now();
  if (after < 1000) {
    dc.enqueueRateLimited(d);
    return 0;
  }
  dc.enqueueAfter(d, after + 1000);
  return after;
}
