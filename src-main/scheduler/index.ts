/**
 * Starts the kube-scheduler of the cluster: its own client (user system:kube-scheduler) and
 * shared informers (pods, nodes, PVCs, PVs, StorageClasses, namespaces), then the scheduling
 * loop once the caches have synced.
 */
import type { UserInfo } from '../api/types';
import type { ApiHandler } from '../apiserver/types';
import { KubeClient, SharedInformerFactory, realClock, type Clock } from '../client';
import { Scheduler, type SchedulerOptions } from './scheduler';

export const SCHEDULER_USER: UserInfo = { name: 'system:kube-scheduler', groups: ['system:authenticated'] };
export const SCHEDULER_COMPONENT = 'default-scheduler';

export interface StartSchedulerOptions {
  handler: ApiHandler;
  clock?: Clock;
  log?: (line: string) => void;
  /** Test and benchmark knobs. */
  queue?: SchedulerOptions['queue'];
  volumeBindTimeoutMs?: number;
}

export interface RunningScheduler {
  scheduler: Scheduler;
  stop(): Promise<void>;
}

export async function startScheduler(opts: StartSchedulerOptions): Promise<RunningScheduler> {
  const clock = opts.clock ?? realClock;
  const log = opts.log ?? (() => {});
  const client = new KubeClient(opts.handler, SCHEDULER_USER, { userAgent: 'kube-scheduler/v1.32.0 (linux/amd64) kubernetes/kubesim', fieldManager: 'kube-scheduler' });
  const informers = new SharedInformerFactory(client, { log, clock });
  const scheduler = new Scheduler({
    client,
    informers,
    clock,
    component: SCHEDULER_COMPONENT,
    log,
    queue: opts.queue,
    volumeBindTimeoutMs: opts.volumeBindTimeoutMs,
  });
  informers.start();
  await informers.waitForCacheSync();
  scheduler.run();
  return {
    scheduler,
    async stop() {
      await scheduler.stop();
      await informers.stop();
    },
  };
}

export { Scheduler } from './scheduler';
export { DECISION_ANNOTATION } from './decision';
