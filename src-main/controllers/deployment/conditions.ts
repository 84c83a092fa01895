/**
 * Deployment conditions (deployment_util.go): reasons and messages, and SetDeploymentCondition's
 * rules (same status and reason: no change; same status: keep lastTransitionTime; the new
 * condition goes last).
 */
import type { KubeObject } from '../../api/types';
import { rfc3339, status, type Obj } from './util';

export interface DeploymentCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastUpdateTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export const AVAILABLE = 'Available';
export const PROGRESSING = 'Progressing';
export const REPLICA_FAILURE = 'ReplicaFailure';

export const REASON = {
  MinimumReplicasAvailable: 'MinimumReplicasAvailable',
  MinimumReplicasUnavailable: 'MinimumReplicasUnavailable',
  NewReplicaSetCreated: 'NewReplicaSetCreated',
  FoundNewReplicaSet: 'FoundNewReplicaSet',
  ReplicaSetUpdated: 'ReplicaSetUpdated',
  NewReplicaSetAvailable: 'NewReplicaSetAvailable',
  ProgressDeadlineExceeded: 'ProgressDeadlineExceeded',
  ReplicaSetCreateError: 'ReplicaSetCreateError',
  DeploymentPaused: 'DeploymentPaused',
  DeploymentResumed: 'DeploymentResumed',
} as const;

export function newCondition(type: string, st: DeploymentCondition['status'], reason: string, message: string, now: number): DeploymentCondition {
  const t = rfc3339(now);
  return { type, status: st, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

export function conditionsOf(st: Obj): DeploymentCondition[] {
  return Array.isArray(st.conditions) ? (st.conditions as DeploymentCondition[]) : [];
}

export function getCondition(st: Obj, type: string): DeploymentCondition | undefined {
  return conditionsOf(st).find((c) => c.type === type);
}

export function getDeploymentCondition(d: KubeObject, type: string): DeploymentCondition | undefined {
  return getCondition(status(d), type);
}

/** SetDeploymentCondition on a mutable status. */
export function setCondition(st: Obj, cond: DeploymentCondition): void {
  const cur = getCondition(st, cond.type);
  if (cur && cur.status === cond.status && cur.reason === cond.reason) return;
  const c = { ...cond };
  if (cur && cur.status === c.status) c.lastTransitionTime = cur.lastTransitionTime;
  st.conditions = [...conditionsOf(st).filter((x) => x.type !== c.type), c];
}

export function removeCondition(st: Obj, type: string): void {
  const rest = conditionsOf(st).filter((c) => c.type !== type);
  if (rest.length) st.conditions = rest;
  else delete st.conditions;
}
