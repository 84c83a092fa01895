/**
 * Pod status facts the StatefulSet and DaemonSet controllers read, on top of the shared
 * `../pod-util` (readiness, availability): Running-and-Ready, termination, and when a ready pod
 * becomes available.
 */
import type { KubeObject } from '../../api/types';
import { isPodAvailable, isPodReady, podPhase, podReadyTime } from '../pod-util';

export { isPodActive, isPodAvailable, isPodReady, podPhase } from '../pod-util';

/** Milliseconds until a ready pod counts as available (minReadySeconds), or undefined when not waiting. */
export function msUntilAvailable(pod: KubeObject, minReadySeconds: number, now: number): number | undefined {
  if (!minReadySeconds || !isPodReady(pod) || isPodAvailable(pod, minReadySeconds, now)) return undefined;
  const t = podReadyTime(pod);
  return t === undefined ? undefined : Math.max(1, t + minReadySeconds * 1000 - now + 1);
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
