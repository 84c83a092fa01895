/**
 * syncJob (upstream pkg/controller/job/job_controller.go), level-triggered on one Job key:
 * count its pods, create or delete pods toward min(parallelism, completions − succeeded) with
 * back-off after failures, fail it past backoffLimit or activeDeadlineSeconds, suspend/resume it,
 * and account finished pods through `status.uncountedTerminatedPods` and the
 * `batch.kubernetes.io/job-tracking` finalizer before they count in succeeded/failed. Success
 * and failure first add the interim SuccessCriteriaMet / FailureTarget condition, then
 * Complete / Failed once no pod is terminating.
 */
import type { Clock, KubeClient, SharedInformer } from '../../client';
import { R } from '../../client';
import { labelSelectorFromObject } from '../../api/selectors/labels';
import { BackoffStore, remainingBackoff, type BackoffRecord } from './backoff';
import { ControllerExpectations, FinalizerExpectations } from './expectations';
import { firstPendingIndexes, formatIndexes, hasIndex, parseIndexes, totalIndexes, withIndexes, type Interval } from './indexes';
import { JobPodControl, isNamespaceTerminating } from './pod-control';
import { matchPodFailurePolicy } from './pod-failure-policy';
import {
  UNKNOWN_INDEX,
  compareForRemoval,
  completionIndex,
  hasTrackingFinalizer,
  isActive,
  isPodFailed,
  isReady,
  isTerminating,
  pastBackoffLimitOnFailure,
  podFinishedTime,
} from './pods';
import {
  MESSAGE_BACKOFF_LIMIT,
  MESSAGE_COMPLETIONS_REACHED,
  MESSAGE_DEADLINE,
  MESSAGE_FAILED_INDEXES,
  MESSAGE_MAX_FAILED_INDEXES,
  REASON_BACKOFF_LIMIT,
  REASON_FAILED_INDEXES,
  REASON_MAX_FAILED_INDEXES,
  REASON_COMPLETIONS_REACHED,
  REASON_DEADLINE,
  REASON_POD_FAILURE_POLICY,
  cleanUncounted,
  ensureCondition,
  newCondition,
  serializeStatus,
  trueCondition,
} from './status';
import { REASON_SUCCESS_POLICY, matchSuccessPolicy } from './success-policy';
import { calculateFailedIndexes, hasBackoffLimitPerIndex, indexAbsoluteFailureCount, newIndexFailureCounts, podsWithDelayedDeletion } from './per-index';
import { preparePodTemplate, podGenerateName } from './template';
import { controllerRefOf, isIndexedJob, isJobFinished, jobSuspended, onlyReplaceFailedPods, rfc3339, type Job, type JobCondition, type Pod } from './types';

/** At most this many pod creations/deletions per sync (MaxPodCreateDeletePerSync). */
export const MAX_POD_CREATE_DELETE_PER_SYNC = 500;
/** At most this many UIDs in uncountedTerminatedPods (MaxUncountedPods). */
export const MAX_UNCOUNTED_PODS = 500;

export interface JobSyncDeps {
  client: KubeClient;
  jobs: SharedInformer<Job>;
  pods: SharedInformer<Pod>;
  podControl: JobPodControl;
  clock: Clock;
  expectations: ControllerExpectations;
  finalizerExpectations: FinalizerExpectations;
  backoff: BackoffStore;
  /** Sync the key again after `ms`. */
  requeueAfter(key: string, ms: number): void;
  /** Index name on the pod informer: controller owner UID. */
  podOwnerIndex: string;
}

interface Ctx {
  job: Job;
  key: string;
  pods: Pod[];
  activePods: Pod[];
  ready: number;
  terminating: number;
  succeeded: number;
  failed: number;
  uncountedSucceeded: Set<string>;
  uncountedFailed: Set<string>;
  expectedRm: ReadonlySet<string>;
  newBackoff: BackoffRecord;
  finished?: JobCondition;
  prevSucceededIndexes: Interval[];
  succeededIndexes: Interval[];
  /** backoffLimitPerIndex only. */
  failedIndexes?: Interval[];
  /** backoffLimitPerIndex: per index, the failed pod whose finalizer waits for its replacement. */
  delayed: Map<number, Pod>;
}

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
    const ctx: Ctx = {
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
      } else if (job.spec.activeDeadlineSeconds != null && !jobSuspended(job) && job.status.startTime) {
        d.requeueAfter(key, job.spec.activeDeadlineSeconds * 1000 - (now - Date.parse(job.status.startTime)));
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
      const { deleted, deletedReady, err } = await this.deleteActivePods(job, activePods);
      if (deleted !== active || !satisfied) ctx.finished = undefined;
      active -= deleted;
      ctx.terminating += deleted;
      ctx.ready -= deletedReady;
      manageErr = err;
    } else {
      let manageCalled = false;
      if (satisfied && !job.metadata.deletionTimestamp) {
        try {
          active = await this.manageJob(ctx);
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
    await this.trackStatusAndRemoveFinalizers(ctx, needsStatusUpdate || st.startTime !== shared.status?.startTime);
    if (manageErr) throw manageErr;
  }

  /** Pods with the tracking finalizer, not yet counted, that pass `filter` (getValidPodsWithFilter). */
  private newFinished(ctx: Ctx, uncounted: ReadonlySet<string>, filter: (p: Pod) => boolean): Pod[] {
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
    const owned = this.d.pods.byIndex(this.d.podOwnerIndex, uid).filter((p) => p.metadata.namespace === ns);
    const out: Pod[] = [];
    for (const p of owned) {
      if (sel.matches(p.metadata.labels ?? {})) out.push(p);
      else if (!job.metadata.deletionTimestamp) await this.d.podControl.releasePod(job, p);
    }
    if (job.metadata.deletionTimestamp) return out;
    for (const p of this.d.pods.list(ns)) {
      if (controllerRefOf(p) || p.metadata.deletionTimestamp || isTerminalPhase(p)) continue;
      if (!sel.matches(p.metadata.labels ?? {})) continue;
      // RecheckDeletionTimestamp: adopt only for a live Job with the same uid.
      const fresh = await this.d.client.tryGet<Job>(R.jobs, ns, job.metadata.name ?? '');
      if (!fresh || fresh.metadata.uid !== uid || fresh.metadata.deletionTimestamp) return out;
      try {
        out.push(await this.d.podControl.adoptPod(job, p));
      } catch {
        // Someone else adopted or deleted it meanwhile.
      }
    }
    return out;
  }

  /** manageJob: create or delete pods toward the wanted number of active pods. Returns active. */
  private async manageJob(ctx: Ctx): Promise<number> {
    const { job, key } = ctx;
    const d = this.d;
    let active = ctx.activePods.length;
    const parallelism = job.spec.parallelism ?? 1;

    if (jobSuspended(job)) {
      const toDelete = [...ctx.activePods].sort(compareForRemoval);
      d.expectations.expectDeletions(key, toDelete.length);
      const r = await this.deleteJobPods(job, key, toDelete);
      active -= r.deleted;
      ctx.terminating += r.deleted;
      ctx.ready -= r.deletedReady;
      if (r.err) throw r.err;
      return active;
    }

    let wantActive: number;
    if (job.spec.completions == null) wantActive = ctx.succeeded > 0 ? active : parallelism;
    else wantActive = Math.max(0, Math.min(job.spec.completions - ctx.succeeded, parallelism));

    const rmAtLeast = Math.max(0, active - wantActive);
    let toDelete = this.activePodsForRemoval(job, ctx.activePods, rmAtLeast);
    if (toDelete.length > MAX_POD_CREATE_DELETE_PER_SYNC) toDelete = toDelete.slice(0, MAX_POD_CREATE_DELETE_PER_SYNC);
    if (toDelete.length > 0) {
      d.expectations.expectDeletions(key, toDelete.length);
      const r = await this.deleteJobPods(job, key, toDelete);
      active -= r.deleted;
      ctx.terminating += r.deleted;
      ctx.ready -= r.deletedReady;
      if (r.err) throw r.err;
      return active;
    }

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
  private activePodsForRemoval(job: Job, pods: readonly Pod[], rmAtLeast: number): Pod[] {
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

  /** deleteJobPods: drop the finalizer (the pod is not counted), then delete. */
  private async deleteJobPods(job: Job, key: string, pods: readonly Pod[]): Promise<{ deleted: number; deletedReady: number; err?: unknown }> {
    let deleted = 0;
    let deletedReady = 0;
    let err: unknown;
    await Promise.all(
      pods.map(async (p) => {
        try {
          await this.d.podControl.removeTrackingFinalizer(p);
          await this.d.podControl.deletePod(job, p);
          deleted++;
          if (isReady(p)) deletedReady++;
        } catch (e) {
          this.d.expectations.deletionObserved(key);
          err ??= e;
        }
      }),
    );
    return { deleted, deletedReady, err };
  }

  /** deleteActivePods: delete keeping finalizers (the pods count as failed once gone). */
  private async deleteActivePods(job: Job, pods: readonly Pod[]): Promise<{ deleted: number; deletedReady: number; err?: unknown }> {
    let deleted = 0;
    let deletedReady = 0;
    let err: unknown;
    await Promise.all(
      pods.map(async (p) => {
        try {
          await this.d.podControl.deletePod(job, p);
          deleted++;
          if (isReady(p)) deletedReady++;
        } catch (e) {
          err ??= e;
        }
      }),
    );
    return { deleted, deletedReady, err };
  }

  /**
   * trackJobStatusAndRemoveFinalizers: record finished pods in uncountedTerminatedPods, remove
   * their finalizers, move them into the counters, then set Complete/Failed when nothing is left
   * uncounted or terminating.
   */
  private async trackStatusAndRemoveFinalizers(ctx: Ctx, needsFlushIn: boolean): Promise<void> {
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
    const now = this.d.clock.now();
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
      current = await this.updateStatus(current);
      this.d.backoff.update(ctx.newBackoff);
      needsFlush = false;
    }
    let rmErr: unknown;
    if (toRemove.length > 0) {
      const uids = toRemove.map((p) => p.metadata.uid ?? '');
      this.d.finalizerExpectations.expectRemoved(ctx.key, uids);
      await Promise.all(
        toRemove.map(async (p) => {
          try {
            await this.d.podControl.removeTrackingFinalizer(p);
            uidsWithFinalizer.delete(p.metadata.uid ?? '');
          } catch (e) {
            this.d.finalizerExpectations.observed(ctx.key, p.metadata.uid ?? '');
            rmErr ??= e;
          }
        }),
      );
    }
    const cst = current.status!;
    cst.uncountedTerminatedPods ??= {};
    if (cleanUncounted(cst, uidsWithFinalizer)) needsFlush = true;
    if (rmErr) {
      if (needsFlush) await this.updateStatus(current);
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
      const written = await this.updateStatus(current);
      if (finishedNow) {
        const f = ctx.finished!;
        if (f.type === 'Complete') {
          const c = written.spec.completions;
          if (c != null && (written.status?.succeeded ?? 0) > c) {
            await this.d.podControl.event(written, 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
          }
          await this.d.podControl.event(written, 'Normal', 'Completed', 'Job completed');
        } else {
          await this.d.podControl.event(written, 'Warning', f.reason ?? '', f.message ?? '');
        }
      }
    }
  }

  private async updateStatus(job: Job): Promise<Job> {
    const body: Job = { ...job, status: serializeStatus(job.status ?? {}) };
    const written = await this.d.client.updateStatus<Job>(R.jobs, job.metadata.namespace, body);
    written.status ??= {};
    written.status.uncountedTerminatedPods ??= {};
    return written;
  }
}

function isTerminalPhase(p: Pod): boolean {
  return p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
}
