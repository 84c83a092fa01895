/**
 * syncCronJob (upstream cronjob_controllerv2.go) for one CronJob key: reconcile status.active
 * with the Jobs it owns (SawCompletedJob, MissingJob, UnexpectedJob, lastSuccessfulTime), trim
 * finished Jobs to the history limits, and when a scheduled time has come (within
 * startingDeadlineSeconds) create `<cronjob>-<minutes since epoch>` honouring concurrencyPolicy.
 * Returns how long to wait for the next scheduled time.
 */
import type { KubeObject } from '../../api/types';
import { StatusError } from '../../api/errors';
import { R, type Clock, type EventRecorder, type KubeClient, type SharedInformer } from '../../client';
import { CronParseError, type Schedule } from './cron-schedule';
import { jobNameFor, mostRecentScheduleTime, nextScheduleTimeDuration, rfc1123zUTC, rfc3339In, scheduleFor } from './schedule-times';
import { SCHEDULED_TIMESTAMP_ANNOTATION, controllerRef, type CronJob, type Job } from './types';
import { isValidZone } from './zone-time';

const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function finishedType(j: Job): string | undefined {
  return j.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')?.type;
}

function inActive(cj: CronJob, uid: string | undefined): boolean {
  return (cj.status?.active ?? []).some((r) => r.uid === uid);
}

function removeFromActive(cj: CronJob, uid: string | undefined): void {
  cj.status ??= {};
  cj.status.active = (cj.status.active ?? []).filter((r) => r.uid !== uid);
}

function startTimeOf(j: Job): number | undefined {
  const t = j.status?.startTime ? Date.parse(j.status.startTime) : NaN;
  return Number.isNaN(t) ? undefined : t;
}

/** byJobStartTime: started before not started, then by start time, then by name. */
function byStartTime(a: Job, b: Job): number {
  const sa = startTimeOf(a);
  const sb = startTimeOf(b);
  if (sa === undefined && sb !== undefined) return 1;
  if (sa !== undefined && sb === undefined) return -1;
  if (sa === sb) return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
  return sa! - sb!;
}

export class CronJobSyncer {
  constructor(
    private readonly client: KubeClient,
    private readonly cronJobs: SharedInformer<CronJob>,
    private readonly jobs: SharedInformer<Job>,
    private readonly recorder: EventRecorder,
    private readonly clock: Clock,
  ) {}

  private async event(cj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    try {
      await this.recorder.record({ regarding: cj, type, reason, message });
    } catch {
      // Events are best effort.
    }
  }

  /** Returns the delay until the key should be synced again, if any. */
  async sync(key: string): Promise<number | undefined> {
    const shared = this.cronJobs.getByKey(key);
    if (!shared) return undefined;
    const ns = shared.metadata.namespace ?? '';
    const owned = this.jobs.list(ns).filter((j) => controllerRef(j)?.name === shared.metadata.name);
    const cj = structuredClone(shared) as CronJob;
    cj.status ??= {};
    const cleaned = await this.cleanupFinishedJobs(cj, owned);
    let requeue: number | undefined;
    let changed = false;
    let syncErr: unknown;
    try {
      const r = await this.syncCronJob(cj, owned);
      requeue = r.requeue;
      changed = r.changed;
      if (r.cronJob !== cj) return this.finish(r.cronJob, cleaned || changed, requeue);
    } catch (e) {
      if (e instanceof SyncError) {
        changed = e.changed;
        syncErr = e.inner;
      } else throw e;
    }
    await this.finish(cj, cleaned || changed, requeue);
    if (syncErr) throw syncErr;
    return requeue;
  }

  private async finish(cj: CronJob, update: boolean, requeue: number | undefined): Promise<number | undefined> {
    if (update) {
      // CronJobStatus field order; an empty active list is omitted.
      const st = cj.status ?? {};
      const status: NonNullable<CronJob['status']> = {};
      if (st.active?.length) status.active = st.active;
      if (st.lastScheduleTime) status.lastScheduleTime = st.lastScheduleTime;
      if (st.lastSuccessfulTime) status.lastSuccessfulTime = st.lastSuccessfulTime;
      await this.client.updateStatus(R.cronjobs, cj.metadata.namespace, { ...cj, status });
    }
    return requeue;
  }

  private async syncCronJob(cjIn: CronJob, jobs: readonly Job[]): Promise<{ requeue?: number; changed: boolean; cronJob: CronJob }> {
    let cj = cjIn;
    const now = this.clock.now();
    let changed = false;
    const fail = (cause: unknown): never => {
      throw new SyncError(cause, changed);
    };
    const children = new Set<string>();
    for (const j of jobs) {
      children.add(j.metadata.uid ?? '');
      const found = inActive(cj, j.metadata.uid);
      const finished = finishedType(j);
      if (!found && !finished) {
        let fresh: CronJob;
        try {
          fresh = await this.client.get<CronJob>(R.cronjobs, cj.metadata.namespace, cj.metadata.name ?? '');
        } catch (e) {
          return fail(e);
        }
        if (inActive(fresh, j.metadata.uid)) {
          cj = fresh;
          cj.status ??= {};
          continue;
        }
        await this.event(cj, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${j.metadata.name}`);
      } else if (found && finished) {
        removeFromActive(cj, j.metadata.uid);
        await this.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata.name}, status: ${finished}`);
        changed = true;
      } else if (finished === 'Complete') {
        const ct = j.status?.completionTime;
        const last = cj.status!.lastSuccessfulTime;
        if (!last && ct) {
          cj.status!.lastSuccessfulTime = ct;
          changed = true;
        } else if (ct && last && Date.parse(ct) > Date.parse(last)) {
          cj.status!.lastSuccessfulTime = ct;
          changed = true;
        }
      }
    }
    for (const ref of [...(cj.status!.active ?? [])]) {
      if (children.has(ref.uid ?? '')) continue;
      try {
        const got = await this.client.tryGet(R.jobs, ref.namespace ?? cj.metadata.namespace, ref.name ?? '');
        if (!got) {
          await this.event(cj, 'Normal', 'MissingJob', `Active job went missing: ${ref.name}`);
          removeFromActive(cj, ref.uid);
          changed = true;
        }
      } catch (e) {
        return fail(e);
      }
    }
    if (cj.metadata.deletionTimestamp) return { changed, cronJob: cj };

    const spec = cj.spec;
    if (spec.timeZone != null && !isValidZone(spec.timeZone)) {
      await this.event(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: ${JSON.stringify(spec.timeZone)}: unknown time zone ${spec.timeZone}`);
      return { changed, cronJob: cj };
    }
    if (spec.suspend) return { changed, cronJob: cj };

    if ((spec.schedule ?? '').includes('TZ')) {
      await this.event(cj, 'Warning', 'UnsupportedSchedule', `CRON_TZ or TZ used in schedule ${JSON.stringify(spec.schedule)} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`);
    }
    let sched: Schedule;
    try {
      sched = scheduleFor(spec);
    } catch (e) {
      if (!(e instanceof CronParseError)) throw e;
      await this.event(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: ${JSON.stringify(spec.schedule)} : ${e.message}`);
      return { changed, cronJob: cj };
    }
    const times = { creationTimestamp: cj.metadata.creationTimestamp, lastScheduleTime: cj.status!.lastScheduleTime, startingDeadlineSeconds: spec.startingDeadlineSeconds ?? undefined };
    const mr = mostRecentScheduleTime(times, now, sched, true);
    if (mr.error) {
      await this.event(cj, 'Warning', 'InvalidSchedule', `invalid schedule: ${spec.schedule} : ${mr.error}`);
      return { changed, cronJob: cj };
    }
    const requeue = () => nextScheduleTimeDuration(times, now, sched);
    const scheduled = mr.mostRecent;
    if (scheduled === undefined || scheduled > now) return { requeue: requeue(), changed, cronJob: cj };
    if (mr.missed === 'many') {
      await this.event(cj, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');
    }
    if (spec.startingDeadlineSeconds != null && scheduled + spec.startingDeadlineSeconds * 1000 < now) {
      await this.event(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${rfc1123zUTC(scheduled)}`);
      return { requeue: requeue(), changed, cronJob: cj };
    }
    const name = jobNameFor(cj.metadata.name ?? '', scheduled);
    const lastScheduled = cj.status!.lastScheduleTime ? Date.parse(cj.status!.lastScheduleTime) : undefined;
    if ((cj.status!.active ?? []).some((r) => r.name === name) || lastScheduled === Math.floor(scheduled / 1000) * 1000) {
      return { requeue: requeue(), changed, cronJob: cj };
    }
    if (spec.concurrencyPolicy === 'Forbid' && (cj.status!.active ?? []).length > 0) {
      await this.event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return { requeue: requeue(), changed, cronJob: cj };
    }
    if (spec.concurrencyPolicy === 'Replace') {
      for (const ref of [...(cj.status!.active ?? [])]) {
        let job: Job;
        try {
          job = await this.client.get<Job>(R.jobs, ref.namespace ?? cj.metadata.namespace, ref.name ?? '');
        } catch (e) {
          await this.event(cj, 'Warning', 'FailedGet', `Get job: ${e instanceof Error ? e.message : String(e)}`);
          return fail(e);
        }
        if (!(await this.deleteJob(cj, job))) return fail(new Error(`could not replace job ${job.metadata.namespace}/${job.metadata.name}`));
        changed = true;
      }
    }

    const zone = spec.timeZone ?? 'UTC';
    const req: KubeObject = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name,
        namespace: cj.metadata.namespace,
        labels: { ...(spec.jobTemplate?.metadata?.labels ?? {}) },
        annotations: { ...(spec.jobTemplate?.metadata?.annotations ?? {}), [SCHEDULED_TIMESTAMP_ANNOTATION]: rfc3339In(scheduled, zone) },
        ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cj.metadata.name ?? '', uid: cj.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
      },
      spec: structuredClone(spec.jobTemplate?.spec ?? {}),
    };
    let created: Job;
    let existed = false;
    try {
      created = await this.client.create<Job>(R.jobs, cj.metadata.namespace, req);
    } catch (e) {
      if (e instanceof StatusError && e.code === 403 && /being terminated/.test(e.message)) return fail(e);
      if (!(e instanceof StatusError && e.code === 409 && e.reason === 'AlreadyExists')) {
        await this.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${e instanceof Error ? e.message : String(e)}`);
        return fail(e);
      }
      existed = true;
      try {
        created = await this.client.get<Job>(R.jobs, cj.metadata.namespace, name);
      } catch (e2) {
        return fail(e2);
      }
      if (controllerRef(created)?.uid !== cj.metadata.uid) return { changed, cronJob: cj };
      if (inActive(cj, created.metadata.uid)) return { changed, cronJob: cj };
    }
    if (!existed) await this.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${created.metadata.name}`);
    cj.status!.active = [
      ...(cj.status!.active ?? []),
      { kind: 'Job', namespace: created.metadata.namespace, name: created.metadata.name, uid: created.metadata.uid, apiVersion: 'batch/v1', resourceVersion: created.metadata.resourceVersion },
    ];
    cj.status!.lastScheduleTime = rfc3339(scheduled);
    changed = true;
    return { requeue: requeue(), changed, cronJob: cj };
  }

  /** cleanupFinishedJobs: keep the newest successfulJobsHistoryLimit / failedJobsHistoryLimit finished Jobs. */
  private async cleanupFinishedJobs(cj: CronJob, jobs: readonly Job[]): Promise<boolean> {
    const okLimit = cj.spec.successfulJobsHistoryLimit;
    const failLimit = cj.spec.failedJobsHistoryLimit;
    if (okLimit == null && failLimit == null) return false;
    let changed = false;
    const remove = async (list: Job[], max: number) => {
      const n = list.length - max;
      if (n <= 0) return;
      list.sort(byStartTime);
      for (let i = 0; i < n; i++) if (await this.deleteJob(cj, list[i])) changed = true;
    };
    if (okLimit != null) await remove(jobs.filter((j) => finishedType(j) === 'Complete'), okLimit);
    if (failLimit != null) await remove(jobs.filter((j) => finishedType(j) === 'Failed'), failLimit);
    return changed;
  }

  /** Deletes a Job (background propagation) and its active reference. */
  private async deleteJob(cj: CronJob, job: Job): Promise<boolean> {
    try {
      await this.client.delete(R.jobs, job.metadata.namespace, job.metadata.name ?? '', { propagationPolicy: 'Background' });
    } catch (e) {
      await this.event(cj, 'Warning', 'FailedDelete', `Deleted job: ${e instanceof Error ? e.message : String(e)}`);
      return false;
    }
    removeFromActive(cj, job.metadata.uid);
    await this.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata.name}`);
    return true;
  }
}

/** A sync that failed part-way: the status changes made so far are still written. */
class SyncError extends Error {
  constructor(
    readonly inner: unknown,
    readonly changed: boolean,
  ) {
    super(inner instanceof Error ? inner.message : String(inner));
  }
}
