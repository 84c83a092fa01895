/**
 * manageJob (upstream job_controller.go): create or delete pods toward
 * min(parallelism, completions − succeeded) — slow-start batches, the failure back-off (global
 * or per index), Indexed Jobs' pending indexes — and delete every active pod of a suspended Job;
 * plus the two ways of deleting a Job's pods (dropping the tracking finalizer first, or not).
 */
import { remainingBackoff } from './backoff';
import { firstPendingIndexes, withIndexes } from './indexes';
import { isNamespaceTerminating } from './pod-control';
import { hasBackoffLimitPerIndex, indexAbsoluteFailureCount, newIndexFailureCounts } from './per-index';
import { UNKNOWN_INDEX, compareForRemoval, completionIndex, isReady, isTerminating, podFinishedTime } from './pods';
import { MAX_POD_CREATE_DELETE_PER_SYNC, type JobSyncDeps, type SyncCtx } from './sync-context';
import { podGenerateName, preparePodTemplate } from './template';
import { isIndexedJob, jobSuspended, onlyReplaceFailedPods, type Job, type Pod } from './types';

/** Deletes active pods (expecting their deletions), counting them as terminating and no longer ready; returns how many went. */
async function removeActivePods(d: JobSyncDeps, ctx: SyncCtx, toDelete: readonly Pod[]): Promise<number> {
  d.expectations.expectDeletions(ctx.key, toDelete.length);
  const r = await deleteJobPods(d, ctx.job, ctx.key, toDelete);
  ctx.terminating += r.deleted;
  ctx.ready -= r.deletedReady;
  if (r.err) throw r.err;
  return r.deleted;
}

/** manageJob: create or delete pods toward the wanted number of active pods. Returns active. */
export async function manageJob(d: JobSyncDeps, ctx: SyncCtx): Promise<number> {
  const { job, key } = ctx;
  let active = ctx.activePods.length;
  const parallelism = job.spec.parallelism ?? 1;

  if (jobSuspended(job)) {
    return active - (await removeActivePods(d, ctx, [...ctx.activePods].sort(compareForRemoval)));
  }

  let wantActive: number;
  if (job.spec.completions == null) wantActive = ctx.succeeded > 0 ? active : parallelism;
  else wantActive = Math.max(0, Math.min(job.spec.completions - ctx.succeeded, parallelism));

  const rmAtLeast = Math.max(0, active - wantActive);
  let toDelete = activePodsForRemoval(job, ctx.activePods, rmAtLeast);
  if (toDelete.length > MAX_POD_CREATE_DELETE_PER_SYNC) toDelete = toDelete.slice(0, MAX_POD_CREATE_DELETE_PER_SYNC);
  if (toDelete.length > 0) return active - (await removeActivePods(d, ctx, toDelete));

  const terminating = onlyReplaceFailedPods(job) ? ctx.terminating : 0;
  let diff = wantActive - terminating - active;
  if (diff <= 0) return active;
  const perIndex = hasBackoffLimitPerIndex(job);
  if (!perIndex) {
    const remaining = remainingBackoff(ctx.newBackoff, d.clock.now());
    if (remaining > 0) {
      d.requeueAfter(key, Math.max(remaining, 1000));
      return active;
    }
  }
  diff = Math.min(diff, MAX_POD_CREATE_DELETE_PER_SYNC);
  let indexes: number[] = [];
  if (isIndexedJob(job)) {
    const busy = ctx.activePods.map(completionIndex);
    if (onlyReplaceFailedPods(job)) busy.push(...ctx.pods.filter(isTerminating).map(completionIndex));
    let nonPending = withIndexes(ctx.succeededIndexes, busy.filter((i) => i !== UNKNOWN_INDEX).sort((a, b) => a - b));
    if (ctx.failedIndexes) nonPending = withIndexes(nonPending, ctx.failedIndexes.flatMap((iv) => Array.from({ length: iv.last - iv.first + 1 }, (_, k) => iv.first + k)));
    indexes = firstPendingIndexes(nonPending, diff, job.spec.completions ?? 0);
    if (perIndex) {
      // getPodCreationInfoForIndependentIndexes: each index waits out its own back-off.
      const now = d.clock.now();
      const wait = (ix: number) => {
        const last = ctx.delayed.get(ix);
        return last ? remainingBackoff({ key, failuresAfterLastSuccess: indexAbsoluteFailureCount(last) + 1, lastFailureTime: podFinishedTime(last) }, now) : 0;
      };
      const ready = indexes.filter((ix) => wait(ix) === 0);
      if (ready.length === 0 && indexes.length > 0) {
        d.requeueAfter(key, Math.max(Math.min(...indexes.map(wait)), 1000));
        return active;
      }
      indexes = ready;
    }
    diff = indexes.length;
  }
  if (diff === 0) return active;
  d.expectations.expectCreations(key, diff);
  // Slow start: batches of 1, 2, 4, … stop at the first batch with a failure.
  let created = 0;
  let firstErr: unknown;
  let remainingToCreate = diff;
  for (let batch = Math.min(diff, 1); remainingToCreate > 0; batch = Math.min(2 * batch, remainingToCreate)) {
    const results = await Promise.allSettled(
      Array.from({ length: batch }, () => {
        const ix = indexes.length ? indexes.shift()! : UNKNOWN_INDEX;
        const template = preparePodTemplate(job, ix, perIndex && ix !== UNKNOWN_INDEX ? newIndexFailureCounts(job, ctx.delayed.get(ix)) : undefined);
        return d.podControl.createPod(job, template, podGenerateName(job.metadata.name ?? '', ix));
      }),
    );
    let failures = 0;
    for (const r of results) {
      if (r.status === 'fulfilled') created++;
      else {
        failures++;
        d.expectations.creationObserved(key);
        if (!isNamespaceTerminating(r.reason)) firstErr ??= r.reason;
      }
    }
    remainingToCreate -= batch;
    if (failures > 0) {
      for (let i = 0; i < remainingToCreate; i++) d.expectations.creationObserved(key);
      break;
    }
  }
  active += created;
  if (firstErr) throw firstErr;
  return active;
}

/** activePodsForRemoval: duplicated or out-of-range indexes first, then the least advanced pods. */
export function activePodsForRemoval(job: Job, pods: readonly Pod[], rmAtLeast: number): Pod[] {
  const rm: Pod[] = [];
  let left: Pod[] = [...pods];
  if (isIndexedJob(job)) {
    const completions = job.spec.completions ?? 0;
    const byIndex = new Map<number, Pod[]>();
    left = [];
    for (const p of pods) {
      const ix = completionIndex(p);
      if (ix === UNKNOWN_INDEX || ix >= completions) rm.push(p);
      else byIndex.set(ix, [...(byIndex.get(ix) ?? []), p]);
    }
    for (const group of byIndex.values()) {
      const sorted = group.sort(compareForRemoval);
      rm.push(...sorted.slice(0, -1));
      left.push(sorted[sorted.length - 1]);
    }
  }
  if (rm.length < rmAtLeast) {
    left.sort(compareForRemoval);
    rm.push(...left.slice(0, rmAtLeast - rm.length));
  }
  return rm;
}

interface DeletedPods {
  deleted: number;
  deletedReady: number;
  /** The first failure (the others are retried with the next sync). */
  err?: unknown;
}

/** Deletes the pods in parallel with `del`, counting the deleted and the ready ones; `failed` runs per failure. */
async function deleteEach(pods: readonly Pod[], del: (p: Pod) => Promise<void>, failed: () => void = () => {}): Promise<DeletedPods> {
  let deleted = 0;
  let deletedReady = 0;
  let err: unknown;
  await Promise.all(
    pods.map(async (p) => {
      try {
        await del(p);
        deleted++;
        if (isReady(p)) deletedReady++;
      } catch (e) {
        failed();
        err ??= e;
      }
    }),
  );
  return { deleted, deletedReady, err };
}

/** deleteJobPods: drop the finalizer (the pod is not counted), then delete; a failure lowers the expected deletions. */
export function deleteJobPods(d: JobSyncDeps, job: Job, key: string, pods: readonly Pod[]): Promise<DeletedPods> {
  return deleteEach(
    pods,
    async (p) => {
      await d.podControl.removeTrackingFinalizer(p);
      await d.podControl.deletePod(job, p);
    },
    () => d.expectations.deletionObserved(key),
  );
}

/** deleteActivePods: delete keeping finalizers (the pods count as failed once gone). */
export function deleteActivePods(d: JobSyncDeps, job: Job, pods: readonly Pod[]): Promise<DeletedPods> {
  return deleteEach(pods, (p) => d.podControl.deletePod(job, p));
}
