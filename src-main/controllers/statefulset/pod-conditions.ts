/**
 * What controllers read from a pod's status (podutil): phase, the Ready condition, availability
 * after minReadySeconds, termination. Used by the StatefulSet and DaemonSet controllers.
 */
import type { KubeObject } from '../../api/types';
import { isObject } from '../../api/types';

interface Condition {
  type?: string;
  status?: string;
  lastTransitionTime?: string;
}

export function podPhase(pod: KubeObject): string {
  return isObject(pod.status) && typeof pod.status.phase === 'string' ? pod.status.phase : '';
}

function readyCondition(pod: KubeObject): Condition | undefined {
  const conds = isObject(pod.status) && Array.isArray(pod.status.conditions) ? (pod.status.conditions as Condition[]) : [];
  return conds.find((c) => c.type === 'Ready');
}

/** podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(pod: KubeObject): boolean {
  return readyCondition(pod)?.status === 'True';
}

/** podutil.IsPodAvailable: ready for at least minReadySeconds (ready is enough when 0). */
export function isPodAvailable(pod: KubeObject, minReadySeconds: number, now: number): boolean {
  const c = readyCondition(pod);
  if (c?.status !== 'True') return false;
  if (!minReadySeconds) return true;
  const since = c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN;
  return Number.isFinite(since) && since + minReadySeconds * 1000 <= now;
}

/** Milliseconds until a ready pod becomes available, or undefined when it already is / is not ready. */
export function msUntilAvailable(pod: KubeObject, minReadySeconds: number, now: number): number | undefined {
  const c = readyCondition(pod);
  if (c?.status !== 'True' || !minReadySeconds) return undefined;
  const since = c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN;
  if (!Number.isFinite(since)) return undefined;
  const left = since + minReadySeconds * 1000 - now;
  return left > 0 ? left : undefined;
}

export function isRunningAndReady(pod: KubeObject): boolean {
  return podPhase(pod) === 'Running' && isPodReady(pod);
}

export function isTerminating(pod: KubeObject): boolean {
  return !!pod.metadata.deletionTimestamp;
}

export function isPodFailed(pod: KubeObject): boolean {
  return podPhase(pod) === 'Failed';
}

export function isPodSucceeded(pod: KubeObject): boolean {
  return podPhase(pod) === 'Succeeded';
}

/** controller.IsPodActive: not finished and not being deleted. */
export function isPodActive(pod: KubeObject): boolean {
  const p = podPhase(pod);
  return p !== 'Succeeded' && p !== 'Failed' && !pod.metadata.deletionTimestamp;
}
