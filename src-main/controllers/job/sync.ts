/**
 * syncJob (upstream pkg/controller/job/job_controller.go), level-triggered on one Job key:
 * count its pods, create or delete pods toward min(parallelism, completions − succeeded) with
 * back-off after failures, fail it past backoffLimit or activeDeadlineSeconds, suspend/resume it,
 * and account finished pods through `status.uncountedTerminatedPods` and the
 * `batch.kubernetes.io/job-tracking` finalizer before they count in succeeded/failed. Success
 * and failure first add the interim SuccessCriteriaMet / FailureTarget condition, then
 * Complete / Failed once no pod is terminating.
 */
import { R } from '../../client';
import { labelSelectorFromObject } from '../../api/selectors/labels';
import { ownedOrOrphan } from '../controller-ref';
import { parseIndexes, totalIndexes, withIndexes } from './indexes';
import { manageJob, deleteActivePods } from './manage';
import { matchPodFailurePolicy } from './pod-failure-policy';
import { calculateFailedIndexes, hasBackoffLimitPerIndex, podsWithDelayedDeletion } from './per-index';
import { UNKNOWN_INDEX, completionIndex, hasTrackingFinalizer, isActive, isPodFailed, isReady, isTerminating, pastBackoffLimitOnFailure } from './pods';
import {
  MESSAGE_BACKOFF_LIMIT,
  MESSAGE_COMPLETIONS_REACHED,
  MESSAGE_DEADLINE,
  MESSAGE_FAILED_INDEXES,
  MESSAGE_MAX_FAILED_INDEXES,
  REASON_BACKOFF_LIMIT,
  REASON_COMPLETIONS_REACHED,
  REASON_DEADLINE,
  REASON_FAILED_INDEXES,
  REASON_MAX_FAILED_INDEXES,
  REASON_POD_FAILURE_POLICY,
  ensureCondition,
  newCondition,
  trueCondition,
} from './status';
import { REASON_SUCCESS_POLICY, matchSuccessPolicy } from './success-policy';
import type { JobSyncDeps, SyncCtx } from './sync-context';
import { trackStatusAndRemoveFinalizers } from './tracking';
import { controllerRefOf, isIndexedJob, isJobFinished, jobSuspended, rfc3339, type Job, type Pod } from './types';

export { MAX_POD_CREATE_DELETE_PER_SYNC, MAX_UNCOUNTED_PODS, type JobSyncDeps } from './sync-context';

export class JobSyncer {
  constructor(private readonly d: JobSyncDeps) {}

  async sync(key: string): Promise<void> {
    const d = this.d;
    const shared = d.jobs.getByKey(key);
    if (!shared) {
      d.expectations.delete(key);
      d.finalizerExpectations.delete(key);
      d.backoff.remove(key);
      return;
    }
    if (shared.spec?.managedBy && shared.spec.managedBy !== 'kubernetes.io/job-controller') return;
    if (isJobFinished(shared)) {
      d.backoff.remove(key);
      return;
    }
    const job = structuredClone(shared) as Job;
    job.status ??= {};
    const mode = job.spec.completionMode;
    if (mode !== undefined && mode !== 'NonIndexed' && mode !== 'Indexed') {
      await d.podControl.event(job, 'Warning', 'UnknownCompletionMode', 'Skipped Job sync because completion mode is unknown');
      return;
    }
    job.status.uncountedTerminatedPods ??= {};

    const satisfied = d.expectations.satisfied(key);
    const pods = await this.podsForJob(job);
    const activePods = pods.filter(isActive);
    const u = job.status.uncountedTerminatedPods;
    const ctx: SyncCtx = {
      job,
      key,
      pods,
      activePods,
      ready: activePods.filter(isReady).length,
      terminating: pods.filter(isTerminating).length,
      succeeded: 0,
      failed: 0,
      uncountedSucceeded: new Set(u.succeeded ?? []),
      uncountedFailed: new Set(u.failed ?? []),
      expectedRm: d.finalizerExpectations.expected(key),
      newBackoff: { key, failuresAfterLastSuccess: 0 },
      prevSucceededIndexes: [],
      succeededIndexes: [],
      delayed: new Map(),
    };
    let active = activePods.length;
    const newSucceeded = this.newFinished(ctx, ctx.uncountedSucceeded, (p) => p.status?.phase === 'Succeeded');
    const newFailed = this.newFinished(ctx, ctx.uncountedFailed, (p) => isPodFailed(p, job));
    const countedNewFailed = job.spec.podFailurePolicy ? newFailed.filter((p) => matchPodFailurePolicy(job, p).countFailed).length : newFailed.length;
    ctx.succeeded = (job.status.succeeded ?? 0) + newSucceeded.length + ctx.uncountedSucceeded.size;
    ctx.failed = (job.status.failed ?? 0) + countedNewFailed + ctx.uncountedFailed.size;

    const now = d.clock.now();
    if (!job.status.startTime && !jobSuspended(job)) job.status.startTime = rfc3339(now);
    ctx.newBackoff = d.backoff.newRecord(key, newSucceeded, newFailed);

    ctx.finished = trueCondition(job, 'SuccessCriteriaMet');
    if (!ctx.finished) {
      const target = trueCondition(job, 'FailureTarget');
      if (target) ctx.finished = newCondition('Failed', 'True', target.reason ?? '', target.message ?? '', now);
      else {
        const msg = this.failJobMessage(job, pods);
        if (msg) ctx.finished = newCondition('FailureTarget', 'True', REASON_POD_FAILURE_POLICY, msg, now);
      }
    }
    if (!ctx.finished) {
      const backoffLimit = job.spec.backoffLimit ?? 6;
      if (ctx.failed > backoffLimit || pastBackoffLimitOnFailure(job, pods)) {
        ctx.finished = newCondition('FailureTarget', 'True', REASON_BACKOFF_LIMIT, MESSAGE_BACKOFF_LIMIT, now);
      } else if (this.pastActiveDeadline(job, now)) {
        ctx.finished = newCondition('FailureTarget', 'True', REASON_DEADLINE, MESSAGE_DEADLINE, now);
      } else if (job.spec.activeDeadlineSeconds != null && !jobSuspended(job) && !Number.isNaN(Date.parse(job.status.startTime ?? ''))) {
        d.requeueAfter(key, job.spec.activeDeadlineSeconds * 1000 - (now - Date.parse(job.status.startTime!)));
      }
    }

    if (isIndexedJob(job)) {
      const completions = job.spec.completions ?? 0;
      ctx.prevSucceededIndexes = parseIndexes(job.status.completedIndexes, completions);
      const fresh = new Set<number>();
      for (const p of pods) {
        const ix = completionIndex(p);
        if (p.status?.phase === 'Succeeded' && ix !== UNKNOWN_INDEX && ix < completions && hasTrackingFinalizer(p)) fresh.add(ix);
      }
      ctx.succeededIndexes = withIndexes(ctx.prevSucceededIndexes, [...fresh].sort((a, b) => a - b));
      ctx.succeeded = totalIndexes(ctx.succeededIndexes);
      if (hasBackoffLimitPerIndex(job)) {
        const failedIx = calculateFailedIndexes(job, pods);
        ctx.failedIndexes = failedIx;
        if (!ctx.finished) {
          const nFailed = totalIndexes(failedIx);
          if (job.spec.maxFailedIndexes != null && nFailed > job.spec.maxFailedIndexes) {
            ctx.finished = newCondition('FailureTarget', 'True', REASON_MAX_FAILED_INDEXES, MESSAGE_MAX_FAILED_INDEXES, now);
          } else if (nFailed > 0 && nFailed + totalIndexes(ctx.succeededIndexes) >= completions) {
            ctx.finished = newCondition('FailureTarget', 'True', REASON_FAILED_INDEXES, MESSAGE_FAILED_INDEXES, now);
          }
        }
        ctx.delayed = podsWithDelayedDeletion(job, pods, activePods, ctx.succeededIndexes, failedIx, ctx.expectedRm);
      }
      if (!ctx.finished) {
        const msg = matchSuccessPolicy(job.spec.successPolicy, completions, ctx.succeededIndexes);
        if (msg) ctx.finished = newCondition('SuccessCriteriaMet', 'True', REASON_SUCCESS_POLICY, msg, now);
      }
    }

    let suspendCondChanged = false;
    let manageErr: unknown;
    if (ctx.finished) {
      const { deleted, deletedReady, err } = await deleteActivePods(this.d, job, activePods);
      if (deleted !== active || !satisfied) ctx.finished = undefined;
      active -= deleted;
      ctx.terminating += deleted;
      ctx.ready -= deletedReady;
      manageErr = err;
    } else {
      let manageCalled = false;
      if (satisfied && !job.metadata.deletionTimestamp) {
        try {
          active = await manageJob(this.d, ctx);
        } catch (e) {
          manageErr = e;
          active = ctx.activePods.length;
        }
        manageCalled = true;
      }
      const completions = job.spec.completions;
      const complete = completions == null ? ctx.succeeded > 0 && active === 0 : ctx.succeeded >= completions && active === 0;
      if (complete) {
        ctx.finished = newCondition('SuccessCriteriaMet', 'True', REASON_COMPLETIONS_REACHED, MESSAGE_COMPLETIONS_REACHED, now);
      } else if (manageCalled) {
        if (jobSuspended(job)) {
          if (ensureCondition(job.status, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now)) {
            suspendCondChanged = true;
            await d.podControl.event(job, 'Normal', 'Suspended', 'Job suspended');
          }
        } else if (ensureCondition(job.status, 'Suspended', 'False', 'JobResumed', 'Job resumed', now)) {
          suspendCondChanged = true;
          await d.podControl.event(job, 'Normal', 'Resumed', 'Job resumed');
          // activeDeadlineSeconds counts time continuously active: it starts again on resume.
          job.status.startTime = rfc3339(now);
        }
      }
    }

    const st = job.status;
    const needsStatusUpdate = suspendCondChanged || active !== (st.active ?? 0) || ctx.ready !== st.ready || ctx.terminating !== st.terminating;
    st.active = active;
    st.ready = ctx.ready;
    st.terminating = ctx.terminating;
    await trackStatusAndRemoveFinalizers(this.d, ctx, needsStatusUpdate || st.startTime !== shared.status?.startTime);
    if (manageErr) throw manageErr;
  }

  /** Pods with the tracking finalizer, not yet counted, that pass `filter` (getValidPodsWithFilter). */
  private newFinished(ctx: SyncCtx, uncounted: ReadonlySet<string>, filter: (p: Pod) => boolean): Pod[] {
    const completions = ctx.job.spec.completions ?? 0;
    return ctx.pods.filter((p) => {
      const uid = p.metadata.uid ?? '';
      if (!hasTrackingFinalizer(p) || uncounted.has(uid) || ctx.expectedRm.has(uid)) return false;
      if (isIndexedJob(ctx.job)) {
        const ix = completionIndex(p);
        if (ix === UNKNOWN_INDEX || ix >= completions) return false;
      }
      return filter(p);
    });
  }

  private failJobMessage(job: Job, pods: readonly Pod[]): string | undefined {
    if (!job.spec.podFailurePolicy) return undefined;
    for (const p of pods) {
      if (!isPodFailed(p, job)) continue;
      const v = matchPodFailurePolicy(job, p);
      if (v.failJobMessage) return v.failJobMessage;
    }
    return undefined;
  }

  private pastActiveDeadline(job: Job, now: number): boolean {
    const ads = job.spec.activeDeadlineSeconds;
    if (ads == null || !job.status?.startTime || jobSuspended(job)) return false;
    return now - Date.parse(job.status.startTime) >= ads * 1000;
  }

  /**
   * The pods this Job owns; orphans matching its selector are adopted (owner reference and
   * tracking finalizer added), owned pods that stopped matching are released.
   */
  private async podsForJob(job: Job): Promise<Pod[]> {
    const uid = job.metadata.uid ?? '';
    const ns = job.metadata.namespace ?? '';
    const sel = labelSelectorFromObject(job.spec.selector);
    const out: Pod[] = [];
    let canAdopt: boolean | undefined;
    for (const p of ownedOrOrphan(this.d.pods, ns, uid)) {
      if (controllerRefOf(p)) {
        if (sel.matches(p.metadata.labels ?? {})) out.push(p);
        else if (!job.metadata.deletionTimestamp) await this.d.podControl.releasePod(job, p);
        continue;
      }
      if (job.metadata.deletionTimestamp || p.metadata.deletionTimestamp || isTerminalPhase(p) || !sel.matches(p.metadata.labels ?? {})) continue;
      // RecheckDeletionTimestamp: adopt only for a live Job with the same uid (asked once per sync).
      if (canAdopt === undefined) {
        const fresh = await this.d.client.tryGet<Job>(R.jobs, ns, job.metadata.name ?? '');
        canAdopt = !!fresh && fresh.metadata.uid === uid && !fresh.metadata.deletionTimestamp;
      }
      if (!canAdopt) continue;
      try {
        out.push(await this.d.podControl.adoptPod(job, p));
      } catch {
        // Someone else adopted or deleted it meanwhile.
      }
    }
    return out;
  }
}

function isTerminalPhase(p: Pod): boolean {
  return p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
}
