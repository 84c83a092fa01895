/**
 * The job controller (`job`, events from `job-controller`): Jobs and Pods from shared informers,
 * one work queue of Job keys (pod changes batched by 1 s as upstream's syncJobBatchPeriod, spec
 * changes at once, deadlines and back-offs requeued on the cluster clock), and a second queue that
 * strips the tracking finalizer from pods whose Job is gone or finished.
 */
import type { KubeObject } from '../../api/types';
import { R, RateLimitingQueue, splitMetaNamespaceKey, type SharedInformer } from '../../client';
import { labelSelectorFromObject } from '../../api/selectors/labels';
import type { ControllerContext, ControllerDefinition, RunningController } from '../controller';
import { CONTROLLER_UID_INDEX, controllerUidIndexFunc } from '../controller-ref';
import { BackoffStore } from './backoff';
import { ControllerExpectations } from '../expectations';
import { FinalizerExpectations } from './finalizer-expectations';
import { JobPodControl } from './pod-control';
import { hasTrackingFinalizer, isTerminal } from './pods';
import { JobSyncer } from './sync';
import { controllerRefOf, isJobFinished, type Job, type Pod } from './types';
import { runningController, queueWorkers, logSyncErrors, allWorkers } from '../workers';

export const SYNC_JOB_BATCH_PERIOD_MS = 1000;

const keyOf = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;

export function startJobController(ctx: ControllerContext): RunningController {
  const jobs = ctx.informers.informerFor<Job>(R.jobs);
  const pods = ctx.informers.informerFor<Pod>(R.pods, {
    indexers: { [CONTROLLER_UID_INDEX]: controllerUidIndexFunc },
  }) as SharedInformer<Pod>;
  const queue = new RateLimitingQueue<string>({ name: 'job', clock: ctx.clock });
  const orphanQueue = new RateLimitingQueue<string>({ name: 'job_orphan_pod', clock: ctx.clock });
  const expectations = new ControllerExpectations(ctx.clock);
  const finalizerExpectations = new FinalizerExpectations();
  const podControl = new JobPodControl(ctx.client, ctx.events('job-controller'));
  const syncer = new JobSyncer({
    client: ctx.client,
    jobs,
    pods,
    podControl,
    clock: ctx.clock,
    expectations,
    finalizerExpectations,
    backoff: new BackoffStore(),
    requeueAfter: (key, ms) => queue.addAfter(key, ms),
  });

  /** The Job controlling a pod, if it is a Job this informer knows with the same uid. */
  const jobOf = (p: Pod): Job | undefined => {
    const ref = controllerRefOf(p);
    if (!ref || ref.kind !== 'Job' || ref.apiVersion !== 'batch/v1') return undefined;
    const j = jobs.get(p.metadata.namespace, ref.name);
    return j && j.metadata.uid === ref.uid ? j : undefined;
  };
  const batched = (j: Job) => queue.addAfter(keyOf(j), SYNC_JOB_BATCH_PERIOD_MS);
  /** Pods whose tracking finalizer nobody will remove. */
  const maybeOrphan = (p: Pod) => {
    if (!hasTrackingFinalizer(p)) return;
    const ref = controllerRefOf(p);
    const j = jobOf(p);
    if (!ref || (ref.kind === 'Job' && (!j || isJobFinished(j)))) orphanQueue.add(keyOf(p));
  };
  /** Jobs whose selector matches an orphan pod (they may adopt it). */
  const matchingJobs = (p: Pod) =>
    jobs.list(p.metadata.namespace).filter((j) => j.spec?.selector && labelSelectorFromObject(j.spec.selector).matches(p.metadata.labels ?? {}));

  const podDeleted = (p: Pod, final: boolean) => {
    const j = jobOf(p);
    if (final) maybeOrphan(p);
    if (!j) return;
    const key = keyOf(j);
    expectations.deletionObserved(key);
    if (final) finalizerExpectations.observed(key, p.metadata.uid ?? '');
    batched(j);
  };

  pods.addEventHandler({
    onAdd: (p) => {
      if (p.metadata.deletionTimestamp) return podDeleted(p, false);
      const j = jobOf(p);
      if (j) {
        expectations.creationObserved(keyOf(j));
        batched(j);
      } else if (!controllerRefOf(p) && !isTerminal(p)) {
        for (const m of matchingJobs(p)) batched(m);
      }
      maybeOrphan(p);
    },
    onUpdate: (old, cur) => {
      if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
      const j = jobOf(cur);
      if (j && hasTrackingFinalizer(old) && !hasTrackingFinalizer(cur)) finalizerExpectations.observed(keyOf(j), cur.metadata.uid ?? '');
      const oldRef = controllerRefOf(old);
      const curRef = controllerRefOf(cur);
      if (oldRef && oldRef.uid !== curRef?.uid) {
        const oj = jobOf(old);
        if (oj) batched(oj);
      }
      if (cur.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) podDeleted(cur, false);
      else if (j) batched(j);
      else if (!curRef && !isTerminal(cur)) for (const m of matchingJobs(cur)) batched(m);
      maybeOrphan(cur);
    },
    onDelete: (p) => podDeleted(p, true),
  });

  jobs.addEventHandler({
    onAdd: (j) => queue.add(keyOf(j)),
    onUpdate: (old, cur) => {
      if (old.metadata.generation === cur.metadata.generation) batched(cur);
      else queue.add(keyOf(cur));
      const ads = cur.spec?.activeDeadlineSeconds;
      const start = cur.status?.startTime;
      if (ads != null && ads !== old.spec?.activeDeadlineSeconds && start && !Number.isNaN(Date.parse(start))) {
        queue.addAfter(keyOf(cur), ads * 1000 - (ctx.clock.now() - Date.parse(start)));
      }
      if (isJobFinished(cur) && !isJobFinished(old)) for (const p of pods.byIndex(CONTROLLER_UID_INDEX, `${cur.metadata.namespace}/${cur.metadata.uid}`)) maybeOrphan(p);
    },
    onDelete: (j) => {
      queue.add(keyOf(j));
      for (const p of pods.byIndex(CONTROLLER_UID_INDEX, `${j.metadata.namespace}/${j.metadata.uid}`)) if (hasTrackingFinalizer(p)) orphanQueue.add(keyOf(p));
    },
  });

  /** syncOrphanPod: drop the finalizer unless the pod's Job is alive and unfinished. */
  const syncOrphanPod = async (key: string) => {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const p = pods.get(namespace, name);
    if (!p || !hasTrackingFinalizer(p)) return;
    const ref = controllerRefOf(p);
    if (ref) {
      if (ref.kind !== 'Job' || ref.apiVersion !== 'batch/v1') return;
      const j = jobOf(p);
      if (j && !isJobFinished(j)) return;
    }
    await podControl.removeTrackingFinalizer(p);
  };

  const onError = logSyncErrors(ctx, 'job-controller: syncing');
  return runningController(allWorkers(queueWorkers(queue, 5, (k) => syncer.sync(k), onError), queueWorkers(orphanQueue, 1, syncOrphanPod, onError)));
}

export const jobController: ControllerDefinition = { name: 'job', start: startJobController };
