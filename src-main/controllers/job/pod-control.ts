/**
 * The job controller's pod writes (upstream PodControl as the job controller uses it): create a
 * pod from the Job's template with the Job as controller owner, delete one, drop the tracking
 * finalizer; `SuccessfulCreate` / `FailedCreate` / `SuccessfulDelete` / `FailedDelete` events
 * on the Job. Kept apart from the shared ../pod-control.ts on purpose: the job names its pods
 * itself (`<job>-<index>-` for Indexed jobs), awaits its events, treats a 404 delete as done and
 * also owns the tracking-finalizer, adopt and release writes.
 */
import type { KubeObject, OwnerReference } from '../../api/types';
import { StatusError } from '../../api/errors';
import { R, type EventRecorder, type KubeClient } from '../../client';
import { isNamespaceTerminatingError } from '../pod-control';
import { JOB_TRACKING_FINALIZER, type Job, type Pod } from './types';

export function controllerRefFor(job: Job): OwnerReference {
  return { apiVersion: 'batch/v1', kind: 'Job', name: job.metadata.name ?? '', uid: job.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

export class JobPodControl {
  constructor(
    private readonly client: KubeClient,
    private readonly recorder: EventRecorder,
  ) {}

  async event(job: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    try {
      await this.recorder.record({ regarding: job, type, reason, message });
    } catch {
      // Events are best effort.
    }
  }

  /** Creates a pod from `template` (already prepared) named `<generateName><random>`. */
  async createPod(job: Job, template: NonNullable<Job['spec']['template']>, generateName: string): Promise<Pod> {
    const meta = template.metadata ?? {};
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        generateName,
        namespace: job.metadata.namespace,
        labels: meta.labels ? { ...meta.labels } : undefined,
        annotations: meta.annotations ? { ...meta.annotations } : undefined,
        finalizers: meta.finalizers ? [...meta.finalizers] : undefined,
        ownerReferences: [controllerRefFor(job)],
      },
      spec: structuredClone(template.spec ?? {}),
    };
    try {
      const created = await this.client.create<Pod>(R.pods, job.metadata.namespace, pod);
      await this.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
      return created;
    } catch (e) {
      if (!isNamespaceTerminating(e)) await this.event(job, 'Warning', 'FailedCreate', `Error creating: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
  }

  /** Deletes a pod (404 counts as done). */
  async deletePod(job: Job, pod: Pod): Promise<void> {
    try {
      await this.client.delete(R.pods, pod.metadata.namespace, pod.metadata.name ?? '');
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) return;
      await this.event(job, 'Warning', 'FailedDelete', `Error deleting: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
    await this.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
  }

  /** Removes the job-tracking finalizer (a JSON patch that fails if the list changed meanwhile). 404 is fine. */
  async removeTrackingFinalizer(pod: Pod): Promise<void> {
    const i = pod.metadata.finalizers?.indexOf(JOB_TRACKING_FINALIZER) ?? -1;
    if (i < 0) return;
    const path = `/metadata/finalizers/${i}`;
    try {
      await this.client.patch(R.pods, pod.metadata.namespace, pod.metadata.name ?? '', 'json', [
        { op: 'test', path: '/metadata/uid', value: pod.metadata.uid },
        { op: 'test', path, value: JOB_TRACKING_FINALIZER },
        { op: 'remove', path },
      ]);
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) return;
      if (e instanceof StatusError && (e.code === 422 || e.code === 409)) {
        // The list moved: remove by value from a fresh copy.
        const fresh = await this.client.tryGet<Pod>(R.pods, pod.metadata.namespace, pod.metadata.name ?? '');
        if (!fresh || fresh.metadata.uid !== pod.metadata.uid) return;
        return this.removeTrackingFinalizer(fresh);
      }
      throw e;
    }
  }

  /** Adopts an orphan pod: adds the controller reference and the tracking finalizer. */
  async adoptPod(job: Job, pod: Pod): Promise<Pod> {
    const finalizers = [...(pod.metadata.finalizers ?? [])];
    if (!finalizers.includes(JOB_TRACKING_FINALIZER)) finalizers.push(JOB_TRACKING_FINALIZER);
    return this.client.patch<Pod>(R.pods, pod.metadata.namespace, pod.metadata.name ?? '', 'merge', {
      metadata: { ownerReferences: [...(pod.metadata.ownerReferences ?? []), controllerRefFor(job)], finalizers, uid: pod.metadata.uid },
    });
  }

  /** Releases a pod that no longer matches: drops our owner reference. */
  async releasePod(job: Job, pod: Pod): Promise<void> {
    const refs = (pod.metadata.ownerReferences ?? []).filter((r) => r.uid !== job.metadata.uid);
    try {
      await this.client.patch(R.pods, pod.metadata.namespace, pod.metadata.name ?? '', 'merge', { metadata: { ownerReferences: refs.length ? refs : null, uid: pod.metadata.uid } });
    } catch (e) {
      if (e instanceof StatusError && (e.code === 404 || e.code === 409 || e.code === 422)) return;
      throw e;
    }
  }
}

/** Creating in a terminating namespace fails for every pod: no event, no retry storm. */
export function isNamespaceTerminating(e: unknown): boolean {
  return isNamespaceTerminatingError(e) || (e instanceof StatusError && e.code === 403 && /because it is being terminated/.test(e.message));
}
