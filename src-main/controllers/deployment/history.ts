/**
 * ReplicaSets of a Deployment's history (sync.go getAllReplicaSetsAndSyncRevision,
 * getNewReplicaSet, cleanupDeployment; deployment_util.go SetNewReplicaSetAnnotations): find the
 * new ReplicaSet (template equal ignoring the hash) or create `<deploy>-<hash>`, keep revision
 * numbers (a reused old ReplicaSet gets max+1 and remembers its old numbers in
 * `revision-history`), copy the Deployment's annotations, and delete the oldest unused
 * ReplicaSets beyond revisionHistoryLimit.
 */
import type { KubeObject } from '../../api/types';
import { StatusError } from '../../api/errors';
import { R } from '../../client';
import { getControllerOf, newControllerRef } from '../controller-ref';
import { isNamespaceTerminatingError } from '../pod-control';
import { REASON, getDeploymentCondition, newCondition, PROGRESSING, setCondition } from './conditions';
import { event, updateReplicaSet, writeDeploymentStatus, type DeploymentContext } from './context';
import { computeHash } from './hash';
import {
  DEPRECATED_ROLLBACK_TO,
  DESIRED_REPLICAS_ANNOTATION,
  LAST_APPLIED_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  MAX_REV_HISTORY_LENGTH,
  POD_TEMPLATE_HASH_LABEL,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  byCreation,
  byRevision,
  equalIgnoreHash,
  hasProgressDeadline,
  hasRevisionHistoryLimit,
  maxRevision,
  maxSurge,
  num,
  replicas,
  setReplicasAnnotations,
  spec,
  specReplicaCount,
  status,
  strategyType,
  template,
  type Obj,
} from './util';

export const DEPLOYMENT_KIND = { apiVersion: 'apps/v1', kind: 'Deployment' };

const SKIP_COPY = new Set([LAST_APPLIED_ANNOTATION, REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION, DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, DEPRECATED_ROLLBACK_TO]);

/** FindNewReplicaSet: the oldest ReplicaSet whose template equals the Deployment's. */
export function findNewReplicaSet(d: KubeObject, rsList: KubeObject[]): KubeObject | undefined {
  return [...rsList].sort(byCreation).find((rs) => equalIgnoreHash(template(rs), template(d)));
}

/** FindOldReplicaSets: every other ReplicaSet. */
export function findOldReplicaSets(d: KubeObject, rsList: KubeObject[]): KubeObject[] {
  const n = findNewReplicaSet(d, rsList);
  return rsList.filter((rs) => !n || rs.metadata.uid !== n.metadata.uid);
}

/** SetNewReplicaSetAnnotations (mutates `rs`): true when an annotation changed. */
export function setNewReplicaSetAnnotations(d: KubeObject, rs: KubeObject, newRevision: number, exists: boolean): boolean {
  const a = (rs.metadata.annotations ??= {});
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (SKIP_COPY.has(k) || a[k] === v) continue;
    a[k] = v;
    changed = true;
  }
  const oldText = a[REVISION_ANNOTATION];
  const had = oldText !== undefined;
  let oldRevision = 0;
  if (had) {
    if (!/^-?\d+$/.test(oldText)) return false;
    oldRevision = Number(oldText);
  }
  if (oldRevision < newRevision) {
    a[REVISION_ANNOTATION] = String(newRevision);
    changed = true;
  }
  if (had && oldRevision < newRevision) {
    const history = a[REVISION_HISTORY_ANNOTATION] ?? '';
    const old = history.split(',');
    if (old[0].length === 0) {
      a[REVISION_HISTORY_ANNOTATION] = oldText;
    } else {
      let total = history.length + oldText.length + 1;
      let start = 0;
      while (total > MAX_REV_HISTORY_LENGTH && start < old.length) {
        total -= old[start].length + 1;
        start++;
      }
      if (total <= MAX_REV_HISTORY_LENGTH) a[REVISION_HISTORY_ANNOTATION] = [...old.slice(start), oldText].join(',');
    }
  }
  if (!exists && setReplicasAnnotations(rs, replicas(d), replicas(d) + maxSurge(d))) changed = true;
  return changed;
}

/** NewRSNewReplicas: how big a new ReplicaSet may be right now. */
export function newRSNewReplicas(d: KubeObject, allRSs: KubeObject[], newRS: KubeObject): number {
  if (strategyType(d) === 'Recreate') return replicas(d);
  const surge = maxSurge(d);
  const current = specReplicaCount(allRSs);
  const maxTotal = replicas(d) + surge;
  if (current >= maxTotal) return replicas(newRS);
  const up = Math.min(maxTotal - current, replicas(d) - replicas(newRS));
  return replicas(newRS) + up;
}

export interface ReplicaSetsOfDeployment {
  newRS?: KubeObject;
  oldRSs: KubeObject[];
}

/** getAllReplicaSetsAndSyncRevision. */
export async function getAllReplicaSetsAndSyncRevision(dc: DeploymentContext, d: KubeObject, rsList: KubeObject[], create: boolean): Promise<ReplicaSetsOfDeployment> {
  const oldRSs = findOldReplicaSets(d, rsList);
  const newRS = await getNewReplicaSet(dc, d, rsList, oldRSs, create);
  return { newRS, oldRSs };
}

async function getNewReplicaSet(dc: DeploymentContext, d: KubeObject, rsList: KubeObject[], oldRSs: KubeObject[], create: boolean): Promise<KubeObject | undefined> {
  const existing = findNewReplicaSet(d, rsList);
  const newRevision = maxRevision(oldRSs) + 1;
  const minReady = num(spec(d).minReadySeconds);
  if (existing) {
    // A copy of what may change (annotations, minReadySeconds); the rest stays shared with the cache.
    const copy: KubeObject = { ...existing, metadata: { ...existing.metadata, annotations: { ...(existing.metadata.annotations ?? {}) } } };
    const annotationsUpdated = setNewReplicaSetAnnotations(d, copy, newRevision, true);
    if (annotationsUpdated || num(spec(copy).minReadySeconds) !== minReady) {
      const rsSpec: Obj = { ...spec(existing) };
      if (minReady) rsSpec.minReadySeconds = minReady;
      else delete rsSpec.minReadySeconds;
      copy.spec = rsSpec;
      const updated = await updateReplicaSet(dc, copy);
      // Later steps of this sync see the ReplicaSet as stored (upstream would conflict once).
      const i = rsList.indexOf(existing);
      if (i >= 0) rsList[i] = updated;
      return updated;
    }
    let needsUpdate = setDeploymentRevision(d, copy.metadata.annotations?.[REVISION_ANNOTATION] ?? '');
    if (hasProgressDeadline(d) && !getDeploymentCondition(d, PROGRESSING)) {
      setCondition(status(d), newCondition(PROGRESSING, 'True', REASON.FoundNewReplicaSet, `Found new replica set "${copy.metadata.name}"`, dc.clock.now()));
      needsUpdate = true;
    }
    if (needsUpdate) await writeDeploymentStatus(dc, d);
    return copy;
  }
  if (!create) return undefined;

  const st = status(d);
  const collisionCount = typeof st.collisionCount === 'number' ? st.collisionCount : undefined;
  const tmpl = structuredClone(template(d));
  const hash = computeHash(tmpl, collisionCount);
  const meta = (tmpl.metadata ??= {}) as Obj;
  meta.labels = { ...((meta.labels ?? {}) as Record<string, string>), [POD_TEMPLATE_HASH_LABEL]: hash };
  const selector = structuredClone((spec(d).selector ?? {}) as Obj);
  selector.matchLabels = { ...((selector.matchLabels ?? {}) as Record<string, string>), [POD_TEMPLATE_HASH_LABEL]: hash };
  const rsSpec: Obj = { replicas: 0 };
  if (minReady) rsSpec.minReadySeconds = minReady;
  rsSpec.selector = selector;
  rsSpec.template = tmpl;
  const newRS: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      labels: { ...(meta.labels as Record<string, string>) },
      ownerReferences: [newControllerRef(d, DEPLOYMENT_KIND)],
    },
    spec: rsSpec,
  };
  const count = newRSNewReplicas(d, [...oldRSs, newRS], newRS);
  rsSpec.replicas = count;
  setNewReplicaSetAnnotations(d, newRS, newRevision, false);
  // Go prints annotations before labels; keep that order in JSON.
  newRS.metadata = { name: newRS.metadata.name, namespace: newRS.metadata.namespace, labels: newRS.metadata.labels, annotations: newRS.metadata.annotations, ownerReferences: newRS.metadata.ownerReferences };

  let created: KubeObject;
  let alreadyExists = false;
  try {
    created = await dc.client.create(R.replicasets, d.metadata.namespace, newRS);
  } catch (e) {
    if (e instanceof StatusError && e.code === 409 && e.reason === 'AlreadyExists') {
      alreadyExists = true;
      const found = dc.replicaSets.get(d.metadata.namespace, newRS.metadata.name ?? '') ?? (await dc.client.get(R.replicasets, d.metadata.namespace, newRS.metadata.name ?? ''));
      const ref = getControllerOf(found);
      if (ref && ref.uid === d.metadata.uid && equalIgnoreHash(template(d), template(found))) {
        created = found;
      } else {
        // A hash collision: bump collisionCount so the next sync computes another name.
        st.collisionCount = (collisionCount ?? 0) + 1;
        await writeDeploymentStatus(dc, d).catch(() => undefined);
        throw e;
      }
    } else {
      if (isNamespaceTerminatingError(e)) throw e;
      const msg = `Failed to create new replica set "${newRS.metadata.name}": ${e instanceof Error ? e.message : String(e)}`;
      if (hasProgressDeadline(d)) {
        setCondition(st, newCondition(PROGRESSING, 'False', REASON.ReplicaSetCreateError, msg, dc.clock.now()));
        await writeDeploymentStatus(dc, d).catch(() => undefined);
      }
      event(dc, d, 'Warning', REASON.ReplicaSetCreateError, msg);
      throw e;
    }
  }
  if (!alreadyExists && count > 0) event(dc, d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} from 0 to ${count}`);
  let needsUpdate = setDeploymentRevision(d, String(newRevision));
  if (!alreadyExists && hasProgressDeadline(d)) {
    setCondition(st, newCondition(PROGRESSING, 'True', REASON.NewReplicaSetCreated, `Created new replica set "${created.metadata.name}"`, dc.clock.now()));
    needsUpdate = true;
  }
  if (needsUpdate) await writeDeploymentStatus(dc, d);
  return created;
}

/** SetDeploymentRevision (mutates d): true when the annotation changed. */
export function setDeploymentRevision(d: KubeObject, rev: string): boolean {
  const a = (d.metadata.annotations ??= {});
  if (a[REVISION_ANNOTATION] === rev) return false;
  a[REVISION_ANNOTATION] = rev;
  return true;
}

/** cleanupDeployment: delete the oldest idle ReplicaSets beyond revisionHistoryLimit. */
export async function cleanupDeployment(dc: DeploymentContext, oldRSs: KubeObject[], d: KubeObject): Promise<void> {
  if (!hasRevisionHistoryLimit(d)) return;
  const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
  const diff = cleanable.length - num(spec(d).revisionHistoryLimit);
  if (diff <= 0) return;
  cleanable.sort(byRevision);
  for (let i = 0; i < diff; i++) {
    const rs = cleanable[i];
    const st = status(rs);
    if (num(st.replicas) !== 0 || replicas(rs) !== 0 || num(rs.metadata.generation) > num(st.observedGeneration) || rs.metadata.deletionTimestamp) continue;
    await dc.client.deleteIfExists(R.replicasets, rs.metadata.namespace, rs.metadata.name ?? '');
  }
}
