/**
 * One Deployment sync (deployment_controller.go syncDeployment, sync.go sync /
 * checkPausedConditions / isScalingEvent): claim ReplicaSets, then either only scale (paused, or
 * spec.replicas changed: the desired-replicas annotation of an active ReplicaSet differs) or roll
 * out with the strategy.
 */
import type { KubeObject } from '../../api/types';
import { labelSelectorFromObject, type LabelSelector } from '../../api/selectors/labels';
import { R } from '../../client';
import { CONTROLLER_UID_INDEX, claimObjects, ownedOrOrphan, recheckDeletionTimestamp } from '../controller-ref';
import { PROGRESSING, REASON, getDeploymentCondition, newCondition, setCondition } from './conditions';
import { event, workingCopy, writeDeploymentStatus, type DeploymentContext } from './context';
import { DEPLOYMENT_KIND, cleanupDeployment, getAllReplicaSetsAndSyncRevision } from './history';
import { rolloutRecreate } from './recreate';
import { rolloutRolling } from './rolling';
import { scale } from './scale';
import { syncDeploymentStatus } from './status';
import { desiredReplicasAnnotation, filterActive, hasProgressDeadline, num, replicas, spec, status, strategyType } from './util';

/** getReplicaSetsForDeployment: the Deployment's ReplicaSets after adoption and release. */
async function replicaSetsFor(dc: DeploymentContext, d: KubeObject, selector: LabelSelector): Promise<KubeObject[]> {
  const candidates = ownedOrOrphan(dc.replicaSets, d.metadata.namespace ?? '', d.metadata.uid ?? '');
  return claimObjects(R.replicasets, candidates, {
    client: dc.client,
    ownerKind: DEPLOYMENT_KIND,
    owner: d,
    selector,
    canAdopt: recheckDeletionTimestamp(dc.client, R.deployments, d),
  });
}

/** getPodMapForDeployment: the pods of each ReplicaSet (by uid), for Recreate. */
function podMapFor(dc: DeploymentContext, d: KubeObject, rsList: KubeObject[], selector: LabelSelector): Map<string, KubeObject[]> {
  const map = new Map<string, KubeObject[]>();
  const ns = d.metadata.namespace ?? '';
  for (const rs of rsList) {
    const uid = rs.metadata.uid ?? '';
    map.set(
      uid,
      dc.pods.byIndex(CONTROLLER_UID_INDEX, `${ns}/${uid}`).filter((p) => selector.matches(p.metadata.labels)),
    );
  }
  return map;
}

/** checkPausedConditions: Progressing Unknown DeploymentPaused / DeploymentResumed. */
async function checkPausedConditions(dc: DeploymentContext, d: KubeObject): Promise<void> {
  if (!hasProgressDeadline(d)) return;
  const cond = getDeploymentCondition(d, PROGRESSING);
  if (cond?.reason === REASON.ProgressDeadlineExceeded) return;
  const pausedCondExists = cond?.reason === REASON.DeploymentPaused;
  const paused = spec(d).paused === true;
  if (paused && !pausedCondExists) {
    setCondition(status(d), newCondition(PROGRESSING, 'Unknown', REASON.DeploymentPaused, 'Deployment is paused', dc.clock.now()));
  } else if (!paused && pausedCondExists) {
    setCondition(status(d), newCondition(PROGRESSING, 'Unknown', REASON.DeploymentResumed, 'Deployment is resumed', dc.clock.now()));
  } else {
    return;
  }
  await writeDeploymentStatus(dc, d);
}

/** sync: reconcile sizes only (scaling event or paused), then write status. */
async function scaleOnly(dc: DeploymentContext, d: KubeObject, rsList: KubeObject[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(dc, d, rsList, false);
  await scale(dc, d, newRS, oldRSs);
  if (spec(d).paused === true) await cleanupDeployment(dc, oldRSs, d);
  // Upstream computes the status from the ReplicaSets as they were before scaling.
  await syncDeploymentStatus(dc, [...oldRSs, newRS], newRS, d);
}

/** isScalingEvent: an active ReplicaSet was sized for another spec.replicas. */
async function isScalingEvent(dc: DeploymentContext, d: KubeObject, rsList: KubeObject[]): Promise<boolean> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(dc, d, rsList, false);
  for (const rs of filterActive([...oldRSs, newRS])) {
    const desired = desiredReplicasAnnotation(rs);
    if (desired === undefined) continue;
    if (desired !== replicas(d)) return true;
  }
  return false;
}

export async function syncDeployment(dc: DeploymentContext, cached: KubeObject): Promise<void> {
  const d = workingCopy(cached);
  const sel = spec(d).selector as { matchLabels?: object; matchExpressions?: unknown[] } | undefined;
  if (sel && Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0) {
    event(dc, d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
    if (num(status(d).observedGeneration) < num(d.metadata.generation)) {
      d.status = { ...status(d), observedGeneration: d.metadata.generation };
      await writeDeploymentStatus(dc, d);
    }
    return;
  }
  let selector: LabelSelector;
  try {
    selector = labelSelectorFromObject(sel);
  } catch (e) {
    dc.log(`deployment ${d.metadata.namespace}/${d.metadata.name}: invalid selector: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  if (!d.status) d.status = {};
  // Cached (frozen) ReplicaSets: every step that changes one writes a copy and uses what the server returns.
  const rsList = await replicaSetsFor(dc, d, selector);
  const podMap = strategyType(d) === 'Recreate' ? podMapFor(dc, d, rsList, selector) : new Map<string, KubeObject[]>();

  if (d.metadata.deletionTimestamp) {
    const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(dc, d, rsList, false);
    await syncDeploymentStatus(dc, [...oldRSs, newRS], newRS, d);
    return;
  }
  await checkPausedConditions(dc, d);
  if (spec(d).paused === true) return scaleOnly(dc, d, rsList);
  if (await isScalingEvent(dc, d, rsList)) return scaleOnly(dc, d, rsList);
  switch (strategyType(d)) {
    case 'Recreate':
      return rolloutRecreate(dc, d, rsList, podMap);
    case 'RollingUpdate':
      return rolloutRolling(dc, d, rsList);
    default:
      throw new Error(`unexpected deployment strategy type: ${strategyType(d)}`);
  }
}
