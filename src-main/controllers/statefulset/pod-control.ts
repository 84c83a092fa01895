/**
 * StatefulPodControl (stateful_pod_control.go): creates a pod's claims and then the pod, deletes
 * and updates pods, keeps claim owner references in line with the retention policy, and records
 * the upstream events on the StatefulSet:
 *   SuccessfulCreate `create Pod web-0 in StatefulSet web successful`,
 *   SuccessfulCreate `create Claim www-web-0 Pod web-0 in StatefulSet web success`,
 *   FailedCreate `create Pod web-0 in StatefulSet web failed error: …`, …
 */
import type { KubeObject } from '../../api/types';
import { StatusError } from '../../api/errors';
import { R, type EventRecorder, type KubeClient, type SharedInformer } from '../../client';
import { claimsFor, desiredClaimOwnerRefs, ordinalOf, updateIdentity, updateStorage } from './identity';

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function title(verb: string): string {
  return verb.charAt(0).toUpperCase() + verb.slice(1);
}

function sameRefs(a: KubeObject['metadata']['ownerReferences'], b: KubeObject['metadata']['ownerReferences']): boolean {
  const key = (x: typeof a) => JSON.stringify((x ?? []).map((r) => r.uid).sort());
  return key(a) === key(b);
}

export class StatefulPodControl {
  constructor(
    private readonly client: KubeClient,
    private readonly claims: SharedInformer,
    private readonly recorder: EventRecorder,
  ) {}

  private async podEvent(verb: string, set: KubeObject, pod: KubeObject, err?: unknown): Promise<void> {
    const base = `${verb} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name}`;
    await this.recorder
      .record(err === undefined ? { regarding: set, type: 'Normal', reason: `Successful${title(verb)}`, message: `${base} successful` } : { regarding: set, type: 'Warning', reason: `Failed${title(verb)}`, message: `${base} failed error: ${errText(err)}` })
      .catch(() => undefined);
  }

  private async claimEvent(verb: string, set: KubeObject, pod: KubeObject, claim: KubeObject, err?: unknown): Promise<void> {
    const msg =
      err === undefined
        ? `${verb} Claim ${claim.metadata.name} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} success`
        : `${verb} Claim ${claim.metadata.name} for Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${errText(err)}`;
    await this.recorder.record({ regarding: set, type: err === undefined ? 'Normal' : 'Warning', reason: `${err === undefined ? 'Successful' : 'Failed'}${title(verb)}`, message: msg }).catch(() => undefined);
  }

  /** createPersistentVolumeClaims: every missing claim of the pod; an existing claim being deleted is an error. */
  async createMissingClaims(set: KubeObject, pod: KubeObject): Promise<void> {
    const errors: string[] = [];
    for (const claim of claimsFor(set, ordinalOf(pod))) {
      const existing = this.claims.get(claim.metadata.namespace, claim.metadata.name ?? '');
      if (existing) {
        if (existing.metadata.deletionTimestamp) errors.push(`pvc ${claim.metadata.name} is being deleted`);
        continue;
      }
      const refs = desiredClaimOwnerRefs(set, undefined, claim);
      if (refs) claim.metadata.ownerReferences = refs;
      try {
        await this.client.create(R.persistentvolumeclaims, claim.metadata.namespace, claim);
        await this.claimEvent('create', set, pod, claim);
      } catch (e) {
        if (e instanceof StatusError && e.code === 409) continue;
        errors.push(`failed to create PVC ${claim.metadata.name}: ${errText(e)}`);
        await this.claimEvent('create', set, pod, claim, e);
      }
    }
    if (errors.length) throw new Error(errors.join('; '));
  }

  async createStatefulPod(set: KubeObject, pod: KubeObject): Promise<void> {
    try {
      await this.createMissingClaims(set, pod);
    } catch (e) {
      await this.podEvent('create', set, pod, e);
      throw e;
    }
    try {
      await this.client.create(R.pods, pod.metadata.namespace, pod);
    } catch (e) {
      // The cache has not seen the pod yet: not an error worth an event.
      if (e instanceof StatusError && e.code === 409) return;
      await this.podEvent('create', set, pod, e);
      throw e;
    }
    await this.podEvent('create', set, pod);
  }

  async deleteStatefulPod(set: KubeObject, pod: KubeObject): Promise<void> {
    try {
      await this.client.delete(R.pods, pod.metadata.namespace, pod.metadata.name ?? '', { preconditions: pod.metadata.uid ? { uid: pod.metadata.uid } : undefined });
    } catch (e) {
      if (e instanceof StatusError && (e.code === 404 || e.code === 409)) return;
      await this.podEvent('delete', set, pod, e);
      throw e;
    }
    await this.podEvent('delete', set, pod);
  }

  /** UpdateStatefulPod: restores the pod's identity and storage (creating missing claims) and writes it. */
  async updateStatefulPod(set: KubeObject, cached: KubeObject): Promise<void> {
    const pod = structuredClone(cached);
    updateIdentity(set, pod);
    updateStorage(set, pod);
    try {
      await this.createMissingClaims(set, pod);
      await this.client.update(R.pods, pod.metadata.namespace, pod);
    } catch (e) {
      await this.podEvent('update', set, pod, e);
      throw e;
    }
    await this.podEvent('update', set, pod);
  }

  /** Claim owner references per persistentVolumeClaimRetentionPolicy (set ref, or pod ref when scaled down). */
  async fixClaimOwnerRefs(set: KubeObject, pod: KubeObject): Promise<void> {
    for (const c of claimsFor(set, ordinalOf(pod))) {
      const claim = this.claims.get(c.metadata.namespace, c.metadata.name ?? '');
      if (!claim || claim.metadata.deletionTimestamp) continue;
      const want = desiredClaimOwnerRefs(set, pod, claim);
      if (sameRefs(want, claim.metadata.ownerReferences)) continue;
      await this.client
        .patch(R.persistentvolumeclaims, claim.metadata.namespace, claim.metadata.name ?? '', 'merge', { metadata: { ownerReferences: want ?? null, resourceVersion: claim.metadata.resourceVersion } })
        .catch((e: unknown) => {
          if (!(e instanceof StatusError && (e.code === 404 || e.code === 409))) throw e;
        });
    }
  }
}
