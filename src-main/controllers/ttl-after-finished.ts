/**
 * The TTL-after-finished controller (`ttl-after-finished`, upstream
 * pkg/controller/ttlafterfinished): a finished Job (Complete or Failed condition True) with
 * `spec.ttlSecondsAfterFinished` is deleted that many seconds after the condition's
 * lastTransitionTime, cascading in the foreground as upstream does; until then its key waits in
 * the queue for exactly the time left on the cluster clock. The TTL is re-read from the API before
 * deleting, and the delete carries the uid as a precondition.
 */
import type { KubeObject } from '../api/types';
import { R, RateLimitingQueue, type Clock, type KubeClient, type SharedInformer } from '../client';
import type { ControllerContext, ControllerDefinition, RunningController } from './controller';
import { runningController, queueWorkers, logSyncErrors } from './workers';

interface Job extends KubeObject {
  spec?: { ttlSecondsAfterFinished?: number | null };
  status?: { conditions?: { type: string; status: string; lastTransitionTime?: string }[] };
}

const keyOf = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;

/** When the Job finished (its Complete/Failed condition's transition), if it has. */
export function jobFinishTime(job: Job): number | undefined {
  const c = job.status?.conditions?.find((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
  if (!c) return undefined;
  const t = c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN;
  return Number.isNaN(t) ? undefined : t;
}

export function needsCleanup(job: Job): boolean {
  return job.spec?.ttlSecondsAfterFinished != null && jobFinishTime(job) !== undefined;
}

/** ms until the Job expires (≤ 0: expired), or undefined when it is not due for cleanup. */
export function timeLeft(job: Job, now: number): number | undefined {
  if (job.metadata.deletionTimestamp || !needsCleanup(job)) return undefined;
  return jobFinishTime(job)! + job.spec!.ttlSecondsAfterFinished! * 1000 - now;
}

export class TTLAfterFinished {
  constructor(
    private readonly client: KubeClient,
    private readonly jobs: SharedInformer<Job>,
    private readonly clock: Clock,
    private readonly requeueAfter: (key: string, ms: number) => void,
    private readonly log: (line: string) => void = () => {},
  ) {}

  async process(key: string): Promise<void> {
    const cached = this.jobs.getByKey(key);
    if (!cached) return;
    const left = this.left(cached);
    if (left === undefined) return;
    if (left > 0) {
      this.requeueAfter(key, left);
      return;
    }
    // The cache may be stale: check the TTL on the latest Job before deleting it.
    const fresh = await this.client.tryGet<Job>(R.jobs, cached.metadata.namespace, cached.metadata.name ?? '');
    if (!fresh) return;
    const freshLeft = this.left(fresh);
    if (freshLeft === undefined) return;
    if (freshLeft > 0) {
      this.requeueAfter(key, freshLeft);
      return;
    }
    await this.client.deleteIfExists(R.jobs, fresh.metadata.namespace, fresh.metadata.name ?? '', {
      propagationPolicy: 'Foreground',
      preconditions: { uid: fresh.metadata.uid },
    });
  }

  private left(job: Job): number | undefined {
    const now = this.clock.now();
    const finished = jobFinishTime(job);
    if (finished !== undefined && finished > now) {
      this.log(`ttl-after-finished: Job ${keyOf(job)} finished in the future (clock skew?); cleanup deferred`);
    }
    return timeLeft(job, now);
  }
}

export function startTTLAfterFinishedController(ctx: ControllerContext): RunningController {
  const jobs = ctx.informers.informerFor<Job>(R.jobs);
  const queue = new RateLimitingQueue<string>({ name: 'ttl_jobs_to_delete', clock: ctx.clock });
  const ttl = new TTLAfterFinished(ctx.client, jobs, ctx.clock, (k, ms) => queue.addAfter(k, ms), ctx.log);
  const consider = (j: Job) => {
    if (!j.metadata.deletionTimestamp && needsCleanup(j)) queue.add(keyOf(j));
  };
  jobs.addEventHandler({ onAdd: consider, onUpdate: (_old, cur) => consider(cur) });
  return runningController(queueWorkers(queue, 5, (k) => ttl.process(k), logSyncErrors(ctx, 'ttl-after-finished')));
}

export const ttlAfterFinishedController: ControllerDefinition = { name: 'ttl-after-finished', start: startTTLAfterFinishedController };
