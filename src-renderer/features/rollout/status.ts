/**
 * `kubectl rollout status` in its own words (polymorphichelpers/rollout_status.go, kubectl
 * ≤1.33: without the pod warnings newer versions append): one line and whether the rollout is
 * done, or the error kubectl exits with.
 */
import type { RolloutKind } from './kinds';
import type { Workload } from './types';

export interface RolloutStatus {
  text: string;
  done: boolean;
  /** kubectl prints this as `error: …` and exits 1. */
  error?: boolean;
}

function deploymentStatus(d: Workload): RolloutStatus {
  const name = d.metadata.name;
  const st = d.status ?? {};
  if ((d.metadata.generation ?? 0) > (st.observedGeneration ?? 0)) return { text: 'Waiting for deployment spec update to be observed...', done: false };
  const progressing = st.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') return { text: `deployment "${name}" exceeded its progress deadline`, done: false, error: true };
  const updated = st.updatedReplicas ?? 0;
  const replicas = st.replicas ?? 0;
  const available = st.availableReplicas ?? 0;
  const want = d.spec?.replicas;
  if (want !== undefined && updated < want) return { text: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${want} new replicas have been updated...`, done: false };
  if (replicas > updated) return { text: `Waiting for deployment "${name}" rollout to finish: ${replicas - updated} old replicas are pending termination...`, done: false };
  if (available < updated) return { text: `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...`, done: false };
  return { text: `deployment "${name}" successfully rolled out`, done: true };
}

function daemonSetStatus(ds: Workload): RolloutStatus {
  const name = ds.metadata.name;
  const st = ds.status ?? {};
  if ((ds.spec?.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return { text: 'rollout status is only available for RollingUpdate strategy type', done: true, error: true };
  if ((ds.metadata.generation ?? 0) > (st.observedGeneration ?? 0)) return { text: 'Waiting for daemon set spec update to be observed...', done: false };
  const desired = st.desiredNumberScheduled ?? 0;
  const updated = st.updatedNumberScheduled ?? 0;
  const available = st.numberAvailable ?? 0;
  if (updated < desired) return { text: `Waiting for daemon set "${name}" rollout to finish: ${updated} out of ${desired} new pods have been updated...`, done: false };
  if (available < desired) return { text: `Waiting for daemon set "${name}" rollout to finish: ${available} of ${desired} updated pods are available...`, done: false };
  return { text: `daemon set "${name}" successfully rolled out`, done: true };
}

function statefulSetStatus(sts: Workload): RolloutStatus {
  const st = sts.status ?? {};
  const strategy = sts.spec?.updateStrategy;
  if ((strategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return { text: 'rollout status is only available for RollingUpdate strategy type', done: true, error: true };
  const observed = st.observedGeneration ?? 0;
  if (observed === 0 || (sts.metadata.generation ?? 0) > observed) return { text: 'Waiting for statefulset spec update to be observed...', done: false };
  const want = sts.spec?.replicas;
  const ready = st.readyReplicas ?? 0;
  const updated = st.updatedReplicas ?? 0;
  if (want !== undefined && ready < want) return { text: `Waiting for ${want - ready} pods to be ready...`, done: false };
  if (strategy?.rollingUpdate) {
    const partition = strategy.rollingUpdate.partition;
    if (want !== undefined && partition !== undefined && updated < want - partition) {
      return { text: `Waiting for partitioned roll out to finish: ${updated} out of ${want - partition} new pods have been updated...`, done: false };
    }
    return { text: `partitioned roll out complete: ${updated} new pods have been updated...`, done: true };
  }
  if (st.updateRevision !== st.currentRevision) return { text: `waiting for statefulset rolling update to complete ${updated} pods at revision ${st.updateRevision ?? ''}...`, done: false };
  return { text: `statefulset rolling update complete ${st.currentReplicas ?? 0} pods at revision ${st.currentRevision ?? ''}...`, done: true };
}

export function rolloutStatus(kind: RolloutKind, obj: Workload): RolloutStatus {
  if (kind === 'deployments') return deploymentStatus(obj);
  if (kind === 'daemonsets') return daemonSetStatus(obj);
  return statefulSetStatus(obj);
}
