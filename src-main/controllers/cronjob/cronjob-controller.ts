/**
 * The CronJob controller (`cronjob`, events from `cronjob-controller`; upstream
 * cronjob_controllerv2.go): CronJobs and Jobs from shared informers, one queue of CronJob keys;
 * after each sync the key waits for the next scheduled time on the cluster clock (no polling), a
 * schedule change requeues it for the new time, Job changes wake the owning CronJob.
 */
import type { KubeObject } from '../../api/types';
import { R, RateLimitingQueue } from '../../client';
import type { ControllerContext, ControllerDefinition, RunningController } from '../controller';
import { CronParseError, type Schedule } from './cron-schedule';
import { nextScheduleTimeDuration, scheduleFor } from './schedule-times';
import { CronJobSyncer } from './sync';
import { controllerRef, type CronJob, type Job } from './types';
import { runningController, queueWorkers, logSyncErrors } from '../workers';

export { SCHEDULED_TIMESTAMP_ANNOTATION } from './types';

const keyOf = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;

export function startCronJobController(ctx: ControllerContext): RunningController {
  const cronJobs = ctx.informers.informerFor<CronJob>(R.cronjobs);
  const jobs = ctx.informers.informerFor<Job>(R.jobs);
  const queue = new RateLimitingQueue<string>({ name: 'cronjob', clock: ctx.clock });
  const recorder = ctx.events('cronjob-controller');
  const syncer = new CronJobSyncer(ctx.client, cronJobs, jobs, recorder, ctx.clock);

  const enqueueOwner = (j: Job) => {
    const ref = controllerRef(j);
    if (!ref || ref.kind !== 'CronJob') return;
    const cj = cronJobs.get(j.metadata.namespace, ref.name);
    if (cj && cj.metadata.uid === ref.uid) queue.add(keyOf(cj));
  };
  jobs.addEventHandler({
    onAdd: enqueueOwner,
    onUpdate: (old, cur) => {
      if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
      const o = controllerRef(old);
      if (o && o.uid !== controllerRef(cur)?.uid) enqueueOwner(old);
      enqueueOwner(cur);
    },
    onDelete: enqueueOwner,
  });
  cronJobs.addEventHandler({
    onAdd: (cj) => queue.add(keyOf(cj)),
    onUpdate: (old, cur) => {
      if (old.spec?.schedule !== cur.spec?.schedule || (old.spec?.timeZone ?? null) !== (cur.spec?.timeZone ?? null)) {
        let sched: Schedule;
        try {
          sched = scheduleFor(cur.spec ?? {});
        } catch (e) {
          if (!(e instanceof CronParseError)) throw e;
          void recorder.record({ regarding: cur, type: 'Warning', reason: 'UnParseableCronJobSchedule', message: `unparseable schedule for cronjob: ${cur.spec?.schedule}` }).catch(() => undefined);
          return;
        }
        const d = nextScheduleTimeDuration({ creationTimestamp: cur.metadata.creationTimestamp, lastScheduleTime: cur.status?.lastScheduleTime }, ctx.clock.now(), sched);
        if (d !== undefined) queue.addAfter(keyOf(cur), d);
        return;
      }
      queue.add(keyOf(cur));
    },
    onDelete: (cj) => queue.add(keyOf(cj)),
  });

  /** processNextWorkItem: an error backs off; a requeue time forgets the failures and waits. */
  const process = async (key: string) => {
    const after = await syncer.sync(key);
    if (after !== undefined) {
      queue.forget(key);
      queue.addAfter(key, after);
    }
  };
  return runningController(queueWorkers(queue, 5, process, logSyncErrors(ctx, 'cronjob-controller: syncing')));
}

export const cronJobController: ControllerDefinition = { name: 'cronjob', start: startCronJobController };
