/**
 * backoffLimitPerIndex for Indexed Jobs (upstream indexed_job_utils.go): each index retries up to
 * `backoffLimitPerIndex` times, counted on its pods in the `batch.kubernetes.io/job-index-failure-count`
 * annotation (and `…-ignored-failure-count` for failures a podFailurePolicy Ignore rule matched);
 * an index past its limit (or hit by a FailIndex rule) joins `status.failedIndexes`. The last failed
 * pod of an index keeps its tracking finalizer until its replacement exists, so the replacement
 * can carry the count on.
 */
import { parseIndexes, hasIndex, withIndexes, type Interval } from './indexes';
import { matchPodFailurePolicy } from './pod-failure-policy';
import { UNKNOWN_INDEX, completionIndex, hasTrackingFinalizer, isPodFailed, podFinishedTime } from './pods';
import type { Job, Pod } from './types';

export const INDEX_FAILURE_COUNT_ANNOTATION = 'batch.kubernetes.io/job-index-failure-count';
export const INDEX_IGNORED_FAILURE_COUNT_ANNOTATION = 'batch.kubernetes.io/job-index-ignored-failure-count';

export function hasBackoffLimitPerIndex(job: Job): boolean {
  return job.spec.backoffLimitPerIndex != null;
}

function int32Annotation(pod: Pod, key: string): number {
  const v = pod.metadata.annotations?.[key];
  if (v === undefined || !/^\d+$/.test(v)) return 0;
  const n = Number(v);
  return n > 2147483647 ? 0 : n;
}

export function indexFailureCount(pod: Pod): number {
  return int32Annotation(pod, INDEX_FAILURE_COUNT_ANNOTATION);
}

export function indexAbsoluteFailureCount(pod: Pod): number {
  return int32Annotation(pod, INDEX_FAILURE_COUNT_ANNOTATION) + int32Annotation(pod, INDEX_IGNORED_FAILURE_COUNT_ANNOTATION);
}

/** isIndexFailed: the pod's failure counts and its index used up its retries (or a FailIndex rule matched). */
export function isIndexFailed(job: Job, pod: Pod): boolean {
  if (!isPodFailed(pod, job)) return false;
  let counted = true;
  if (job.spec.podFailurePolicy) {
    const v = matchPodFailurePolicy(job, pod);
    if (v.action === 'FailIndex') return true;
    counted = v.countFailed;
  }
  return counted && indexFailureCount(pod) >= (job.spec.backoffLimitPerIndex ?? 0);
}

/** calculateFailedIndexes: status.failedIndexes plus indexes newly failed. */
export function calculateFailedIndexes(job: Job, pods: readonly Pod[]): Interval[] {
  const completions = job.spec.completions ?? 0;
  const prev = job.status?.failedIndexes != null ? parseIndexes(job.status.failedIndexes, completions) : [];
  const fresh = new Set<number>();
  for (const p of pods) {
    const ix = completionIndex(p);
    if (ix !== UNKNOWN_INDEX && ix < completions && hasTrackingFinalizer(p) && isIndexFailed(job, p)) fresh.add(ix);
  }
  return withIndexes(prev, [...fresh].sort((a, b) => a - b));
}

/**
 * getPodsWithDelayedDeletionPerIndex: per index neither done, failed nor running, the latest
 * failed pod (still holding its finalizer): its count goes to the replacement.
 */
export function podsWithDelayedDeletion(job: Job, pods: readonly Pod[], activePods: readonly Pod[], succeeded: readonly Interval[], failed: readonly Interval[], skip: ReadonlySet<string>): Map<number, Pod> {
  const completions = job.spec.completions ?? 0;
  const active = new Set(activePods.map(completionIndex));
  const out = new Map<number, Pod>();
  for (const p of pods) {
    if (!hasTrackingFinalizer(p) || skip.has(p.metadata.uid ?? '') || !isPodFailed(p, job)) continue;
    const ix = completionIndex(p);
    if (ix === UNKNOWN_INDEX || ix >= completions) continue;
    if (hasIndex(succeeded, ix) || hasIndex(failed, ix) || active.has(ix)) continue;
    const last = out.get(ix);
    if (!last || (indexAbsoluteFailureCount(last) <= indexAbsoluteFailureCount(p) && !(podFinishedTime(p) < podFinishedTime(last)))) out.set(ix, p);
  }
  return out;
}

/** The failure-count annotations for the pod replacing `replaced` (0 for a first pod). */
export function newIndexFailureCounts(job: Job, replaced: Pod | undefined): { failures: number; ignored: number } {
  if (!replaced) return { failures: 0, ignored: 0 };
  let failures = int32Annotation(replaced, INDEX_FAILURE_COUNT_ANNOTATION);
  let ignored = int32Annotation(replaced, INDEX_IGNORED_FAILURE_COUNT_ANNOTATION);
  if (job.spec.podFailurePolicy && !matchPodFailurePolicy(job, replaced).countFailed) ignored++;
  else failures++;
  return { failures, ignored };
}
