/**
 * The Recreate strategy (recreate.go): scale every old ReplicaSet to zero, wait until none of
 * their pods is left running, then create/scale the new ReplicaSet to full size.
 */
import type { KubeObject } from '../../api/types';
import type { DeploymentContext } from './context';
import { cleanupDeployment, getAllReplicaSetsAndSyncRevision } from './history';
import { syncRolloutStatus } from './progress';
import { scaleReplicaSetAndRecordEvent } from './scale';
import { deploymentComplete, filterActive, replicas, status, statusCount } from './util';
import { podPhase } from '../pod-util';

/** oldPodsRunning: old ReplicaSets still report pods, or a non-terminal pod of theirs exists. */
export function oldPodsRunning(newRS: KubeObject | undefined, oldRSs: KubeObject[], podMap: Map<string, KubeObject[]>): boolean {
  if (statusCount(oldRSs, 'replicas') > 0) return true;
  for (const [uid, pods] of podMap) {
    if (newRS && newRS.metadata.uid === uid) continue;
    for (const p of pods) {
      const phase = podPhase(p);
      if (phase === 'Failed' || phase === 'Succeeded') continue;
      return true;
    }
  }
  return false;
}

export async function rolloutRecreate(dc: DeploymentContext, d: KubeObject, rsList: KubeObject[], podMap: Map<string, KubeObject[]>): Promise<void> {
  let { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(dc, d, rsList, false);
  let allRSs = [...oldRSs, newRS].filter((x): x is KubeObject => !!x);
  let scaledDown = false;
  for (const rs of filterActive(oldRSs)) {
    if ((await scaleReplicaSetAndRecordEvent(dc, rs, 0, d)).scaled) scaledDown = true;
  }
  if (scaledDown) return syncRolloutStatus(dc, allRSs, newRS, d);
  if (oldPodsRunning(newRS, oldRSs, podMap)) return syncRolloutStatus(dc, allRSs, newRS, d);
  if (!newRS) {
    ({ newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(dc, d, rsList, true));
    allRSs = [...oldRSs, newRS].filter((x): x is KubeObject => !!x);
  }
  if (newRS) await scaleReplicaSetAndRecordEvent(dc, newRS, replicas(d), d);
  if (deploymentComplete(d, status(d))) await cleanupDeployment(dc, oldRSs, d);
  return syncRolloutStatus(dc, allRSs, newRS, d);
}
