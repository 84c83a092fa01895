/**
 * One pass of the StatefulSet control loop (stateful_set_control.go updateStatefulSet): sorts the
 * set's pods into replicas (ordinals in range) and condemned ones, then
 *   1. recreates failed/succeeded replicas and creates missing ones (OrderedReady: one at a time,
 *      each only after its predecessors are Running and Ready; Parallel: all at once);
 *   2. repairs identity and storage of existing replicas;
 *   3. deletes condemned pods from the highest ordinal down (OrderedReady: one at a time, healthy
 *      predecessors first);
 *   4. RollingUpdate: deletes the highest-ordinal replica ≥ partition not at the update revision,
 *      waiting for each to come back healthy; OnDelete: nothing.
 * Returns the replica counts of the status.
 */
import type { KubeObject } from '../../api/types';
import { applyRevision } from '../history';
import { isPodAvailable, isPodFailed, isPodSucceeded, isRunningAndReady, isTerminating, podPhase } from './pod-conditions';
import { newStatefulSetPod, ordinalOf, podRevision, replicasOf, setPodRevision, specOf, startOrdinal, identityMatches, storageMatches } from './identity';
import type { StatefulPodControl } from './pod-control';
import type { SetRevisions } from './revisions';

export interface ReplicaCounts {
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
  currentReplicas: number;
  updatedReplicas: number;
}

export interface SyncEnv {
  control: StatefulPodControl;
  now: number;
  recordWarning(reason: string, message: string): Promise<void>;
  recordNormal(reason: string, message: string): Promise<void>;
}

/** A placeholder for a pod not created yet has no status (isCreated is false). */
function isCreated(pod: KubeObject): boolean {
  return podPhase(pod) !== '';
}

function countReplicas(pods: readonly KubeObject[], minReadySeconds: number, now: number, revs: SetRevisions): ReplicaCounts {
  const c: ReplicaCounts = { replicas: 0, readyReplicas: 0, availableReplicas: 0, currentReplicas: 0, updatedReplicas: 0 };
  for (const pod of pods) {
    if (isCreated(pod)) c.replicas++;
    if (isRunningAndReady(pod)) {
      c.readyReplicas++;
      if (isPodAvailable(pod, minReadySeconds, now)) c.availableReplicas++;
    }
    if (isCreated(pod) && !isTerminating(pod)) {
      const r = podRevision(pod);
      if (r === revs.current.metadata.name) c.currentReplicas++;
      if (r === revs.update.metadata.name) c.updatedReplicas++;
    }
  }
  return c;
}

/** newVersionedStatefulSetPod: ordinals below the partition keep the current revision. */
function newVersionedPod(set: KubeObject, revs: SetRevisions, currentReplicas: number, ordinal: number): KubeObject {
  const strategy = specOf(set).updateStrategy ?? {};
  const start = startOrdinal(set);
  const ru = strategy.rollingUpdate;
  const useCurrent = strategy.type === 'RollingUpdate' && (ru ? ordinal < start + (ru.partition ?? 0) : ordinal < start + currentReplicas);
  const source = useCurrent ? applyRevision(set, revs.current) : applyRevision(set, revs.update);
  const pod = newStatefulSetPod(source, ordinal);
  setPodRevision(pod, (useCurrent ? revs.current : revs.update).metadata.name ?? '');
  return pod;
}

function isHealthy(pod: KubeObject, minReadySeconds: number, now: number): boolean {
  return isRunningAndReady(pod) && !isTerminating(pod) && isPodAvailable(pod, minReadySeconds, now);
}

export async function syncReplicas(set: KubeObject, pods: readonly KubeObject[], revs: SetRevisions, env: SyncEnv): Promise<ReplicaCounts> {
  const spec = specOf(set);
  const minReady = spec.minReadySeconds ?? 0;
  const start = startOrdinal(set);
  const count = replicasOf(set);
  const currentReplicasBefore = typeof (set.status as { currentReplicas?: number } | undefined)?.currentReplicas === 'number' ? (set.status as { currentReplicas: number }).currentReplicas : 0;

  const replicas: KubeObject[] = new Array(count);
  const condemned: KubeObject[] = [];
  for (const pod of pods) {
    const ord = ordinalOf(pod);
    if (ord >= start && ord < start + count) replicas[ord - start] = pod;
    else if (ord >= 0) condemned.push(pod);
  }
  for (let i = 0; i < count; i++) if (!replicas[i]) replicas[i] = newVersionedPod(set, revs, currentReplicasBefore, i + start);
  condemned.sort((a, b) => ordinalOf(a) - ordinalOf(b));

  let firstUnhealthy: KubeObject | undefined;
  for (const p of replicas) {
    if (!isHealthy(p, minReady, env.now)) {
      firstUnhealthy = p;
      break;
    }
  }
  if (!firstUnhealthy) {
    for (let i = condemned.length - 1; i >= 0; i--) {
      if (!isHealthy(condemned[i], minReady, env.now)) {
        firstUnhealthy = condemned[i];
        break;
      }
    }
  }
  const status = () => {
    const a = countReplicas(replicas, minReady, env.now, revs);
    const b = countReplicas(condemned, minReady, env.now, revs);
    return {
      replicas: a.replicas + b.replicas,
      readyReplicas: a.readyReplicas + b.readyReplicas,
      availableReplicas: a.availableReplicas + b.availableReplicas,
      currentReplicas: a.currentReplicas + b.currentReplicas,
      updatedReplicas: a.updatedReplicas + b.updatedReplicas,
    };
  };

  if (set.metadata.deletionTimestamp) return status();
  const monotonic = spec.podManagementPolicy !== 'Parallel';
  const errors: unknown[] = [];

  // 1–2: living replicas.
  for (let i = 0; i < replicas.length; i++) {
    let stop = false;
    try {
      stop = await processReplica(set, revs, currentReplicasBefore, replicas, i, monotonic, minReady, env);
    } catch (e) {
      errors.push(e);
      stop = true;
    }
    if (stop && monotonic) break;
  }
  if (errors.length || (monotonic && replicas.some((p) => !isHealthy(p, minReady, env.now)))) {
    if (errors.length) throw errors[0];
    return status();
  }

  // 3: condemned pods, highest ordinal first.
  for (let i = condemned.length - 1; i >= 0; i--) {
    const pod = condemned[i];
    if (isTerminating(pod)) {
      if (monotonic) return status();
      continue;
    }
    if (monotonic && pod !== firstUnhealthy && !isHealthy(pod, minReady, env.now)) return status();
    await env.control.fixClaimOwnerRefs(set, pod);
    await env.control.deleteStatefulPod(set, pod);
    if (monotonic) return status();
  }

  const result = status();
  if (spec.updateStrategy?.type === 'OnDelete') return result;

  // 4: rolling update from the highest ordinal down to the partition.
  const partition = spec.updateStrategy?.rollingUpdate?.partition ?? 0;
  for (let target = replicas.length - 1; target >= partition; target--) {
    const pod = replicas[target];
    if (podRevision(pod) !== revs.update.metadata.name && !isTerminating(pod)) {
      await env.control.deleteStatefulPod(set, pod);
      result.currentReplicas = Math.max(0, result.currentReplicas - 1);
      return result;
    }
    if (!isHealthy(pod, minReady, env.now)) return result;
  }
  return result;
}

/** processReplica; returns true when a monotonic pass must stop here. */
async function processReplica(set: KubeObject, revs: SetRevisions, currentReplicasBefore: number, replicas: KubeObject[], i: number, monotonic: boolean, minReady: number, env: SyncEnv): Promise<boolean> {
  let pod = replicas[i];
  const ns = set.metadata.namespace;
  if (isCreated(pod) && (isPodFailed(pod) || isPodSucceeded(pod))) {
    if (isPodFailed(pod)) await env.recordWarning('RecreatingFailedPod', `StatefulSet ${ns}/${set.metadata.name} is recreating failed Pod ${pod.metadata.name}`);
    else await env.recordNormal('RecreatingTerminatedPod', `StatefulSet ${ns}/${set.metadata.name} is recreating terminated Pod ${pod.metadata.name}`);
    await env.control.deleteStatefulPod(set, pod);
    pod = replicas[i] = newVersionedPod(set, revs, currentReplicasBefore, i + startOrdinal(set));
  }
  if (!isCreated(pod)) {
    await env.control.createStatefulPod(set, pod);
    return monotonic;
  }
  if (podPhase(pod) === 'Pending') await env.control.createMissingClaims(set, pod);
  if (isTerminating(pod) && monotonic) return true;
  if (!isRunningAndReady(pod) && monotonic) return true;
  if (!isPodAvailable(pod, minReady, env.now) && monotonic) return true;
  await env.control.fixClaimOwnerRefs(set, pod);
  if (identityMatches(set, pod) && storageMatches(set, pod)) return false;
  await env.control.updateStatefulPod(set, pod);
  return false;
}
