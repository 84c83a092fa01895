/**
 * PodControl (pkg/controller/controller_utils.go RealPodControl): creates a pod from an owner's
 * pod template (labels, annotations, finalizers and spec copied; `generateName: <owner>-`, so the
 * API server appends 5 random characters; the owner's controller reference) and deletes pods,
 * recording `SuccessfulCreate` / `FailedCreate` / `SuccessfulDelete` / `FailedDelete` events on
 * the owner as upstream.
 */
import type { KubeObject, OwnerReference } from '../api/types';
import { StatusError } from '../api/errors';
import { R, type EventRecorder, type KubeClient } from '../client';

/** apierrors.HasStatusCause(err, NamespaceTerminatingCause). */
export function isNamespaceTerminatingError(e: unknown): boolean {
  return e instanceof StatusError && (e.status.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** getPodsPrefix: `<name>-`, or the bare name when that is not a valid name prefix. */
export function podNamePrefix(ownerName: string): string {
  const prefix = `${ownerName}-`;
  const trimmed = prefix.replace(/-+$/, '');
  return prefix.length <= 253 && (trimmed === '' || DNS1123_SUBDOMAIN.test(trimmed)) ? prefix : ownerName;
}

/** GetPodFromTemplate. */
export function podFromTemplate(template: Record<string, unknown>, owner: KubeObject, controllerRef?: OwnerReference): KubeObject {
  const meta = (template.metadata ?? {}) as { labels?: Record<string, string>; annotations?: Record<string, string>; finalizers?: string[] };
  const metadata: KubeObject['metadata'] = { generateName: podNamePrefix(owner.metadata.name ?? '') };
  if (meta.labels && Object.keys(meta.labels).length) metadata.labels = { ...meta.labels };
  if (meta.annotations && Object.keys(meta.annotations).length) metadata.annotations = { ...meta.annotations };
  if (meta.finalizers?.length) metadata.finalizers = [...meta.finalizers];
  if (controllerRef) metadata.ownerReferences = [{ ...controllerRef }];
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: structuredClone(template.spec ?? {}) };
}

export class PodControl {
  constructor(
    private readonly client: KubeClient,
    private readonly recorder: EventRecorder,
  ) {}

  /** Creates one pod from the template for `owner`; returns it as created. */
  async createPod(namespace: string, template: Record<string, unknown>, owner: KubeObject, controllerRef?: OwnerReference, opts: { nodeName?: string } = {}): Promise<KubeObject> {
    const pod = podFromTemplate(template, owner, controllerRef);
    if (opts.nodeName) (pod.spec as Record<string, unknown>).nodeName = opts.nodeName;
    if (!pod.metadata.labels) throw new Error('unable to create pods, no labels');
    let created: KubeObject;
    try {
      created = await this.client.create(R.pods, namespace, pod);
    } catch (e) {
      if (!isNamespaceTerminatingError(e)) this.event(owner, 'Warning', 'FailedCreate', `Error creating: ${errorText(e)}`);
      throw e;
    }
    this.event(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
    return created;
  }

  /** Deletes a pod of `owner`; a 404 is thrown as is (callers decide), without an event. */
  async deletePod(namespace: string, name: string, owner: KubeObject): Promise<void> {
    try {
      await this.client.delete(R.pods, namespace, name);
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) throw e;
      this.event(owner, 'Warning', 'FailedDelete', `Error deleting: ${errorText(e)}`);
      throw new Error(`unable to delete pods: ${errorText(e)}`);
    }
    this.event(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
  }

  private event(owner: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.recorder.record({ regarding: owner, type, reason, message }).catch(() => {});
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
