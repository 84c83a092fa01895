/**
 * Reading a Job's pods: active / terminating / failed as upstream's job controller counts them,
 * readiness, completion index, finish time (backoff), and the order in which surplus active pods
 * are removed (controller.ActivePods).
 */
import { COMPLETION_INDEX_ANNOTATION, JOB_TRACKING_FINALIZER, onlyReplaceFailedPods, type Job, type Pod } from './types';

export const UNKNOWN_INDEX = -1;

export function isTerminal(p: Pod): boolean {
  return p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
}

/** controller.FilterActivePods: not terminal and not being deleted. */
export function isActive(p: Pod): boolean {
  return !isTerminal(p) && !p.metadata.deletionTimestamp;
}

/** controller.CountTerminatingPods: being deleted but not terminal yet. */
export function isTerminating(p: Pod): boolean {
  return !!p.metadata.deletionTimestamp && !isTerminal(p);
}

export function isReady(p: Pod): boolean {
  return p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export function hasTrackingFinalizer(p: Pod): boolean {
  return p.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER) ?? false;
}

/** isPodFailed: Failed, or (unless only failed pods are replaced) deleted before succeeding. */
export function isPodFailed(p: Pod, job: Job): boolean {
  if (p.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return !!p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded';
}

/** The completion index annotation as a number, or UNKNOWN_INDEX. */
export function completionIndex(p: Pod): number {
  const v = p.metadata.annotations?.[COMPLETION_INDEX_ANNOTATION];
  if (v === undefined || !/^\d+$/.test(v)) return UNKNOWN_INDEX;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : UNKNOWN_INDEX;
}

function parseTime(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

/** getFinishedTime: the latest container finish, else Ready=False's transition, else deletion, else creation. */
export function podFinishedTime(p: Pod): number {
  const cs = p.status?.containerStatuses ?? [];
  if (cs.length > 0) {
    let latest: number | undefined;
    let all = true;
    for (const c of cs) {
      const t = parseTime(c.state?.terminated?.finishedAt);
      if (t === undefined) {
        all = false;
        break;
      }
      latest = latest === undefined ? t : Math.max(latest, t);
    }
    if (all && latest !== undefined) return latest;
  }
  const ready = p.status?.conditions?.find((c) => c.type === 'Ready');
  const rt = ready?.status === 'False' ? parseTime(ready.lastTransitionTime) : undefined;
  if (rt !== undefined) return rt;
  const del = parseTime(p.metadata.deletionTimestamp);
  if (del !== undefined) return del - (p.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
  return parseTime(p.metadata.creationTimestamp) ?? 0;
}

function restarts(p: Pod): number {
  return (p.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0);
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** controller.ActivePods ordering: the pods to remove first come first. */
export function compareForRemoval(a: Pod, b: Pod): number {
  const sa = a.spec?.nodeName ? 1 : 0;
  const sb = b.spec?.nodeName ? 1 : 0;
  if (sa !== sb) return sa - sb;
  const pa = PHASE_RANK[a.status?.phase ?? 'Pending'] ?? 0;
  const pb = PHASE_RANK[b.status?.phase ?? 'Pending'] ?? 0;
  if (pa !== pb) return pa - pb;
  const ra = isReady(a) ? 1 : 0;
  const rb = isReady(b) ? 1 : 0;
  if (ra !== rb) return ra - rb;
  const xa = restarts(a);
  const xb = restarts(b);
  if (xa !== xb) return xb - xa;
  const ca = parseTime(a.metadata.creationTimestamp) ?? 0;
  const cb = parseTime(b.metadata.creationTimestamp) ?? 0;
  return cb - ca;
}

/** pastBackoffLimitOnFailure: restarts of running/pending pods reach backoffLimit (restartPolicy OnFailure). */
export function pastBackoffLimitOnFailure(job: Job, pods: readonly Pod[]): boolean {
  if (job.spec.template?.spec?.restartPolicy !== 'OnFailure') return false;
  let sum = 0;
  for (const p of pods) {
    const phase = p.status?.phase;
    if (phase !== 'Running' && phase !== 'Pending') continue;
    for (const c of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) sum += c.restartCount ?? 0;
  }
  const limit = job.spec.backoffLimit ?? 6;
  return limit === 0 ? sum > 0 : sum >= limit;
}
