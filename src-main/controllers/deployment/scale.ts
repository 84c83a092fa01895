/**
 * Scaling ReplicaSets (sync.go scale, scaleReplicaSet, scaleReplicaSetAndRecordEvent;
 * deployment_util.go GetReplicaSetProportion): one active ReplicaSet takes the whole new size;
 * a saturated new ReplicaSet lets the old ones drop to zero; otherwise a RollingUpdate deployment
 * resized mid-rollout spreads the difference over its ReplicaSets in proportion to their size.
 * Every size change records `ScalingReplicaSet` `Scaled up|down replica set <rs> from <a> to <b>`.
 */
import type { KubeObject } from '../../api/types';
import { event, updateReplicaSet, type DeploymentContext } from './context';
import { bySizeNewer, bySizeOlder, byCreation, filterActive, isRollingUpdate, isSaturated, maxReplicasAnnotation, maxSurge, replicas, replicasAnnotationsNeedUpdate, roundHalfAway, setReplicasAnnotations, specReplicaCount, status, num, type Obj } from './util';

/** scaleReplicaSet: writes size and replica annotations; returns the ReplicaSet as stored. */
export async function scaleReplicaSet(dc: DeploymentContext, rs: KubeObject, newScale: number, d: KubeObject): Promise<{ scaled: boolean; rs: KubeObject }> {
  const sizeNeedsUpdate = replicas(rs) !== newScale;
  const max = replicas(d) + maxSurge(d);
  if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, replicas(d), max)) return { scaled: false, rs };
  const oldScale = replicas(rs);
  const copy = structuredClone(rs);
  (copy.spec as Obj).replicas = newScale;
  setReplicasAnnotations(copy, replicas(d), max);
  const updated = await updateReplicaSet(dc, copy);
  if (sizeNeedsUpdate) {
    const dir = oldScale < newScale ? 'up' : 'down';
    event(dc, d, 'Normal', 'ScalingReplicaSet', `Scaled ${dir} replica set ${updated.metadata.name} from ${oldScale} to ${newScale}`);
  }
  return { scaled: sizeNeedsUpdate, rs: updated };
}

export async function scaleReplicaSetAndRecordEvent(dc: DeploymentContext, rs: KubeObject, newScale: number, d: KubeObject): Promise<{ scaled: boolean; rs: KubeObject }> {
  if (replicas(rs) === newScale) return { scaled: false, rs };
  return scaleReplicaSet(dc, rs, newScale, d);
}

/** FindActiveOrLatest. */
export function findActiveOrLatest(newRS: KubeObject | undefined, oldRSs: KubeObject[]): KubeObject | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const olds = [...oldRSs].sort((a, b) => byCreation(b, a));
  const active = filterActive([...olds, newRS]);
  if (active.length === 0) return newRS ?? olds[0];
  if (active.length === 1) return active[0];
  return undefined;
}

/** getReplicaSetFraction. */
function fraction(rs: KubeObject, d: KubeObject): number {
  if (replicas(d) === 0) return -replicas(rs);
  const deploymentReplicas = replicas(d) + maxSurge(d);
  const annotated = maxReplicasAnnotation(rs) ?? num(status(d).replicas);
  const size = (replicas(rs) * deploymentReplicas) / annotated;
  return roundHalfAway(size) - replicas(rs);
}

/** GetReplicaSetProportion. */
export function proportion(rs: KubeObject, d: KubeObject, toAdd: number, added: number): number {
  if (replicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const f = fraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(f, allowed) : Math.max(f, allowed);
}

/** sync.go scale. */
export async function scale(dc: DeploymentContext, d: KubeObject, newRS: KubeObject | undefined, oldRSs: KubeObject[]): Promise<void> {
  const target = findActiveOrLatest(newRS, oldRSs);
  if (target) {
    if (replicas(target) === replicas(d)) return;
    await scaleReplicaSetAndRecordEvent(dc, target, replicas(d), d);
    return;
  }
  if (isSaturated(d, newRS)) {
    for (const old of filterActive(oldRSs)) await scaleReplicaSetAndRecordEvent(dc, old, 0, d);
    return;
  }
  if (!isRollingUpdate(d)) return;
  const all = filterActive([...oldRSs, newRS]);
  const allReplicas = specReplicaCount(all);
  const allowed = replicas(d) > 0 ? replicas(d) + maxSurge(d) : 0;
  const toAdd = allowed - allReplicas;
  // Scaling up favours newer ReplicaSets among equals, scaling down older ones.
  if (toAdd > 0) all.sort(bySizeNewer);
  else if (toAdd < 0) all.sort(bySizeOlder);
  let added = 0;
  const sizes = new Map<string, number>();
  for (const rs of all) {
    if (toAdd !== 0) {
      const p = proportion(rs, d, toAdd, added);
      sizes.set(rs.metadata.name ?? '', replicas(rs) + p);
      added += p;
    } else {
      sizes.set(rs.metadata.name ?? '', replicas(rs));
    }
  }
  for (let i = 0; i < all.length; i++) {
    const rs = all[i];
    const name = rs.metadata.name ?? '';
    if (i === 0 && toAdd !== 0) sizes.set(name, Math.max(0, (sizes.get(name) ?? 0) + toAdd - added));
    await scaleReplicaSet(dc, rs, sizes.get(name) ?? 0, d);
  }
}
