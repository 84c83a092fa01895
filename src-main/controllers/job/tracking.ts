/**
 * trackJobStatusAndRemoveFinalizers (upstream job_controller.go): finished pods go into
 * `status.uncountedTerminatedPods`, then lose the `batch.kubernetes.io/job-tracking` finalizer,
 * then move into succeeded/failed (or completedIndexes/failedIndexes); the interim
 * SuccessCriteriaMet / FailureTarget condition is written first, Complete / Failed once nothing is
 * uncounted or terminating, with the Completed or failure event.
 */
import { R } from '../../client';
import { formatIndexes, hasIndex, totalIndexes, withIndexes } from './indexes';
import { matchPodFailurePolicy } from './pod-failure-policy';
import { UNKNOWN_INDEX, completionIndex, hasTrackingFinalizer, isPodFailed } from './pods';
import { cleanUncounted, ensureCondition, newCondition, serializeStatus, trueCondition } from './status';
import { MAX_UNCOUNTED_PODS, type JobSyncDeps, type SyncCtx } from './sync-context';
import { isIndexedJob, type Job, type Pod } from './types';

/**
 * trackJobStatusAndRemoveFinalizers: record finished pods in uncountedTerminatedPods, remove
 * their finalizers, move them into the counters, then set Complete/Failed when nothing is left
 * uncounted or terminating.
 */
export async function trackStatusAndRemoveFinalizers(d: JobSyncDeps, ctx: SyncCtx, needsFlushIn: boolean): Promise<void> {
  let needsFlush = needsFlushIn;
  const job = ctx.job;
  const st = job.status!;
  const indexed = isIndexedJob(job);
  const completions = job.spec.completions ?? 0;
  const pods = indexed ? [...ctx.pods].sort((a, b) => completionIndex(a) - completionIndex(b)) : ctx.pods;
  const uidsWithFinalizer = new Set<string>();
  for (const p of pods) if (hasTrackingFinalizer(p) && !ctx.expectedRm.has(p.metadata.uid ?? '')) uidsWithFinalizer.add(p.metadata.uid ?? '');
  if (cleanUncounted(st, uidsWithFinalizer)) needsFlush = true;
  const uncounted = st.uncountedTerminatedPods!;
  uncounted.succeeded ??= [];
  uncounted.failed ??= [];
  const toRemove: Pod[] = [];
  const newSucceededIndexes: number[] = [];
  let reachedMax = false;
  const finishedIsFailure = ctx.finished !== undefined && ctx.finished.type !== 'SuccessCriteriaMet';
  for (const p of pods) {
    const uid = p.metadata.uid ?? '';
    if (!hasTrackingFinalizer(p) || ctx.expectedRm.has(uid)) continue;
    const failed = isPodFailed(p, job);
    let canRemove = !!job.metadata.deletionTimestamp || ctx.finished !== undefined || p.status?.phase === 'Succeeded';
    // backoffLimitPerIndex: a failed pod stays (finalizer kept) until its index has a replacement.
    if (!canRemove && failed) canRemove = ctx.delayed.get(completionIndex(p))?.metadata.uid !== uid;
    if (!canRemove) continue;
    toRemove.push(p);
    if (p.status?.phase === 'Succeeded' && !ctx.uncountedFailed.has(uid)) {
      if (indexed) {
        const ix = completionIndex(p);
        if (ix !== UNKNOWN_INDEX && ix < completions && !hasIndex(ctx.prevSucceededIndexes, ix)) {
          newSucceededIndexes.push(ix);
          needsFlush = true;
        }
      } else if (!ctx.uncountedSucceeded.has(uid)) {
        uncounted.succeeded.push(uid);
        needsFlush = true;
      }
    } else if (failed || finishedIsFailure) {
      const ix = completionIndex(p);
      if (!ctx.uncountedFailed.has(uid) && (!indexed || (ix !== UNKNOWN_INDEX && ix < completions))) {
        if (!job.spec.podFailurePolicy || matchPodFailurePolicy(job, p).countFailed) {
          uncounted.failed.push(uid);
          needsFlush = true;
        }
      }
    }
    if (newSucceededIndexes.length + uncounted.succeeded.length + uncounted.failed.length >= MAX_UNCOUNTED_PODS) {
      reachedMax = true;
      break;
    }
  }
  if (indexed) {
    ctx.succeededIndexes = withIndexes(ctx.succeededIndexes, newSucceededIndexes.sort((a, b) => a - b));
    const s = formatIndexes(ctx.succeededIndexes);
    if (s !== (st.completedIndexes ?? '')) needsFlush = true;
    st.succeeded = totalIndexes(ctx.succeededIndexes);
    st.completedIndexes = s;
    if (ctx.failedIndexes) {
      const f = formatIndexes(ctx.failedIndexes);
      if (st.failedIndexes !== f) {
        st.failedIndexes = f;
        needsFlush = true;
      }
    }
  }
  const now = d.clock.now();
  if (ctx.finished?.type === 'FailureTarget') {
    st.conditions = [...(st.conditions ?? []), ctx.finished];
    needsFlush = true;
    ctx.finished = newCondition('Failed', 'True', ctx.finished.reason ?? '', ctx.finished.message ?? '', now);
  }
  if (ctx.finished?.type === 'SuccessCriteriaMet') {
    if (!trueCondition(job, 'SuccessCriteriaMet')) {
      st.conditions = [...(st.conditions ?? []), ctx.finished];
      needsFlush = true;
    }
    ctx.finished = newCondition('Complete', 'True', ctx.finished.reason ?? '', ctx.finished.message ?? '', now);
  }

  // flushUncountedAndRemoveFinalizers
  let current = job;
  if (needsFlush) {
    current = await updateJobStatus(d, current);
    d.backoff.update(ctx.newBackoff);
    needsFlush = false;
  }
  let rmErr: unknown;
  if (toRemove.length > 0) {
    const uids = toRemove.map((p) => p.metadata.uid ?? '');
    d.finalizerExpectations.expectRemoved(ctx.key, uids);
    await Promise.all(
      toRemove.map(async (p) => {
        try {
          await d.podControl.removeTrackingFinalizer(p);
          uidsWithFinalizer.delete(p.metadata.uid ?? '');
        } catch (e) {
          d.finalizerExpectations.observed(ctx.key, p.metadata.uid ?? '');
          rmErr ??= e;
        }
      }),
    );
  }
  const cst = current.status!;
  cst.uncountedTerminatedPods ??= {};
  if (cleanUncounted(cst, uidsWithFinalizer)) needsFlush = true;
  if (rmErr) {
    if (needsFlush) await updateJobStatus(d, current);
    throw rmErr;
  }
  // enactJobFinished
  let finishedNow = false;
  const left = (cst.uncountedTerminatedPods.succeeded?.length ?? 0) + (cst.uncountedTerminatedPods.failed?.length ?? 0);
  if (!reachedMax && ctx.finished && left === 0 && ctx.terminating === 0) {
    const f = ctx.finished;
    ensureCondition(cst, f.type, f.status, f.reason ?? '', f.message ?? '', now);
    if (f.type === 'Complete') cst.completionTime = cst.conditions!.find((c) => c.type === 'Complete')!.lastTransitionTime;
    finishedNow = true;
    needsFlush = true;
  }
  if (needsFlush) {
    const written = await updateJobStatus(d, current);
    if (finishedNow) {
      const f = ctx.finished!;
      if (f.type === 'Complete') {
        const c = written.spec.completions;
        if (c != null && (written.status?.succeeded ?? 0) > c) {
          await d.podControl.event(written, 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
        }
        await d.podControl.event(written, 'Normal', 'Completed', 'Job completed');
      } else {
        await d.podControl.event(written, 'Warning', f.reason ?? '', f.message ?? '');
      }
    }
  }
}

export async function updateJobStatus(d: JobSyncDeps, job: Job): Promise<Job> {
  const body: Job = { ...job, status: serializeStatus(job.status ?? {}) };
  const written = await d.client.updateStatus<Job>(R.jobs, job.metadata.namespace, body);
  written.status ??= {};
  written.status.uncountedTerminatedPods ??= {};
  return written;
}
