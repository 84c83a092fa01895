/**
 * What the deployment sync functions share: the client, clock, event recorder, the ReplicaSet
 * and Pod caches and the queue hooks; plus the two writes every step uses (a ReplicaSet update
 * and the Deployment status write).
 */
import type { KubeObject } from '../../api/types';
import { R, type Clock, type EventRecorder, type KubeClient, type SharedInformer } from '../../client';

export interface DeploymentContext {
  client: KubeClient;
  clock: Clock;
  recorder: EventRecorder;
  replicaSets: SharedInformer;
  pods: SharedInformer;
  enqueueAfter(d: KubeObject, ms: number): void;
  enqueueRateLimited(d: KubeObject): void;
  log(line: string): void;
}

export function event(dc: DeploymentContext, d: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void {
  dc.recorder.record({ regarding: d, type, reason, message }).catch(() => {});
}

/** The annotations of a working copy as last written (so a status write knows what changed). */
const savedAnnotations = new WeakMap<KubeObject, string>();

/**
 * A working copy of a cached Deployment: metadata, annotations and status are the sync's own
 * (status fields and conditions are only ever replaced, never edited in place); spec stays
 * shared with the cache and is never written.
 */
export function workingCopy(d: KubeObject): KubeObject {
  const st = (d.status ?? {}) as Record<string, unknown>;
  const c: KubeObject = { ...d, metadata: { ...d.metadata, annotations: { ...(d.metadata.annotations ?? {}) } }, status: { ...st } };
  if (!d.metadata.annotations) delete c.metadata.annotations;
  savedAnnotations.set(c, JSON.stringify(c.metadata.annotations ?? {}));
  return c;
}

/**
 * Deployments UpdateStatus. Upstream's status endpoint for Deployments also stores metadata
 * (the controller sets the revision annotation that way); this server's status endpoint keeps
 * only status, so changed annotations are written first with a merge patch. The working copy
 * takes the new resourceVersion, so later writes of the same sync do not conflict.
 */
export async function writeDeploymentStatus(dc: DeploymentContext, d: KubeObject): Promise<void> {
  const ns = d.metadata.namespace;
  const name = d.metadata.name ?? '';
  const now = d.metadata.annotations ?? {};
  const before = JSON.parse(savedAnnotations.get(d) ?? '{}') as Record<string, string>;
  const diff: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(now)) if (before[k] !== v) diff[k] = v;
  for (const k of Object.keys(before)) if (!(k in now)) diff[k] = null;
  if (Object.keys(diff).length) {
    const patched = await dc.client.patch(R.deployments, ns, name, 'merge', { metadata: { annotations: diff, resourceVersion: d.metadata.resourceVersion } });
    d.metadata.resourceVersion = patched.metadata.resourceVersion;
    savedAnnotations.set(d, JSON.stringify(now));
  }
  const updated = await dc.client.updateStatus(R.deployments, ns, d);
  d.metadata.resourceVersion = updated.metadata.resourceVersion;
}

export async function updateReplicaSet(dc: DeploymentContext, rs: KubeObject): Promise<KubeObject> {
  return dc.client.update(R.replicasets, rs.metadata.namespace, rs);
}
