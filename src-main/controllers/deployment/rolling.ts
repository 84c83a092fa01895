/**
 * The RollingUpdate strategy (rolling.go): scale the new ReplicaSet up within maxSurge, scale old
 * ones down while at least replicas − maxUnavailable pods stay available (unhealthy old replicas
 * first), clean up history once complete, and sync the rollout status after every step.
 */
import type { KubeObject } from '../../api/types';
import type { DeploymentContext } from './context';
import { cleanupDeployment, getAllReplicaSetsAndSyncRevision, newRSNewReplicas } from './history';
import { syncRolloutStatus } from './progress';
import { scaleReplicaSetAndRecordEvent } from './scale';
import { byCreation, deploymentComplete, filterActive, maxUnavailable, num, replicas, specReplicaCount, status, statusCount } from './util';

export async function rolloutRolling(dc: DeploymentContext, d: KubeObject, rsList: KubeObject[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(dc, d, rsList, true);
  const allRSs = [...oldRSs, newRS].filter((x): x is KubeObject => !!x);
  if (newRS && (await reconcileNewReplicaSet(dc, allRSs, newRS, d))) return syncRolloutStatus(dc, allRSs, newRS, d);
  if (newRS && (await reconcileOldReplicaSets(dc, allRSs, filterActive(oldRSs), newRS, d))) return syncRolloutStatus(dc, allRSs, newRS, d);
  if (deploymentComplete(d, status(d))) await cleanupDeployment(dc, oldRSs, d);
  return syncRolloutStatus(dc, allRSs, newRS, d);
}

async function reconcileNewReplicaSet(dc: DeploymentContext, allRSs: KubeObject[], newRS: KubeObject, d: KubeObject): Promise<boolean> {
  if (replicas(newRS) === replicas(d)) return false;
  if (replicas(newRS) > replicas(d)) return (await scaleReplicaSetAndRecordEvent(dc, newRS, replicas(d), d)).scaled;
  const count = newRSNewReplicas(d, allRSs, newRS);
  return (await scaleReplicaSetAndRecordEvent(dc, newRS, count, d)).scaled;
}

async function reconcileOldReplicaSets(dc: DeploymentContext, allRSs: KubeObject[], oldRSs: KubeObject[], newRS: KubeObject, d: KubeObject): Promise<boolean> {
  const oldPods = specReplicaCount(oldRSs);
  if (oldPods === 0) return false;
  const allPods = specReplicaCount(allRSs);
  const minAvailable = replicas(d) - maxUnavailable(d);
  const newUnavailable = replicas(newRS) - num(status(newRS).availableReplicas);
  const maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  const { rss, cleaned } = await cleanupUnhealthyReplicas(dc, oldRSs, d, maxScaledDown);
  const scaledDown = await scaleDownOldReplicaSetsForRollingUpdate(dc, [...rss, newRS], rss, d);
  return cleaned + scaledDown > 0;
}

/** cleanupUnhealthyReplicas: drop old replicas that are not available, oldest ReplicaSets first. */
async function cleanupUnhealthyReplicas(dc: DeploymentContext, oldRSs: KubeObject[], d: KubeObject, maxCleanup: number): Promise<{ rss: KubeObject[]; cleaned: number }> {
  const rss = [...oldRSs].sort(byCreation);
  let total = 0;
  for (let i = 0; i < rss.length; i++) {
    if (total >= maxCleanup) break;
    const rs = rss[i];
    const available = num(status(rs).availableReplicas);
    if (replicas(rs) === 0 || replicas(rs) === available) continue;
    const n = Math.min(maxCleanup - total, replicas(rs) - available);
    const r = await scaleReplicaSetAndRecordEvent(dc, rs, replicas(rs) - n, d);
    total += n;
    rss[i] = r.rs;
  }
  return { rss, cleaned: total };
}

async function scaleDownOldReplicaSetsForRollingUpdate(dc: DeploymentContext, allRSs: KubeObject[], oldRSs: KubeObject[], d: KubeObject): Promise<number> {
  const minAvailable = replicas(d) - maxUnavailable(d);
  const available = statusCount(allRSs, 'availableReplicas');
  if (available <= minAvailable) return 0;
  const rss = [...oldRSs].sort(byCreation);
  const want = available - minAvailable;
  let total = 0;
  for (const rs of rss) {
    if (total >= want) break;
    if (replicas(rs) === 0) continue;
    const n = Math.min(replicas(rs), want - total);
    await scaleReplicaSetAndRecordEvent(dc, rs, replicas(rs) - n, d);
    total += n;
  }
  return total;
}
