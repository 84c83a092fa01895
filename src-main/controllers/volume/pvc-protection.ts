/**
 * PVC protection (`pvc-protection-controller`, pkg/controller/volume/pvcprotection): every claim
 * carries the `kubernetes.io/pvc-protection` finalizer; a deleted claim keeps it (and stays
 * Terminating) while a scheduled pod that is not finished uses it, and loses it once none does
 * (an unscheduled pod never starts with a claim being deleted, so it does not count).
 */
import type { KubeObject } from '../../api/types';
import { R, RateLimitingQueue, metaNamespaceKey, runWorkers, splitMetaNamespaceKey, type KubeClient, type SharedInformer } from '../../client';
import type { ControllerContext, ControllerDefinition } from '../controller';
import { POD_CLAIM_INDEX, PVC_PROTECTION_FINALIZER } from './annotations';
import { podClaimIndexers, podClaimKeys } from './claims';
import { logSyncErrors, isConflictOrGone, defineController } from '../workers';

/** A scheduled pod that has not finished. */
function podBlocks(pod: KubeObject): boolean {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return !!(pod.spec as { nodeName?: string } | undefined)?.nodeName && phase !== 'Succeeded' && phase !== 'Failed';
}

class PvcProtectionController {
  private readonly claims: SharedInformer;
  private readonly pods: SharedInformer;
  private readonly queue: RateLimitingQueue<string>;
  private readonly client: KubeClient;

  constructor(private readonly ctx: ControllerContext) {
    this.client = ctx.client;
    this.claims = ctx.informers.informerFor(R.persistentvolumeclaims);
    this.pods = ctx.informers.informerFor(R.pods, { indexers: podClaimIndexers });
    this.queue = new RateLimitingQueue<string>({ name: 'pvcprotection', clock: ctx.clock });
    const add = (c: KubeObject) => this.queue.add(metaNamespaceKey(c));
    this.claims.addEventHandler({ onAdd: add, onUpdate: (_o, n) => add(n) });
    // A pod that stops using claims (deleted or finished) may free claims being deleted.
    const podChanged = (p: KubeObject) => {
      for (const key of podClaimKeys(p)) if (this.claims.getByKey(key)?.metadata.deletionTimestamp) this.queue.add(key);
    };
    this.pods.addEventHandler({ onUpdate: (_o, n) => podChanged(n), onDelete: podChanged });
  }

  run(): Promise<void> {
    return runWorkers(this.queue, 1, (k) => this.sync(k), { onError: logSyncErrors(this.ctx, 'pvc-protection-controller', isConflictOrGone) });
  }

  stop(): void {
    this.queue.shutDown();
  }

  private inUse(key: string): boolean {
    return this.pods.byIndex(POD_CLAIM_INDEX, key).some(podBlocks);
  }

  private async sync(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const claim = this.claims.get(namespace, name);
    if (!claim) return;
    const finalizers = claim.metadata.finalizers ?? [];
    const has = finalizers.includes(PVC_PROTECTION_FINALIZER);
    if (!claim.metadata.deletionTimestamp) {
      if (has) return;
      await this.client.patch(R.persistentvolumeclaims, namespace, name, 'merge', { metadata: { resourceVersion: claim.metadata.resourceVersion, finalizers: [...finalizers, PVC_PROTECTION_FINALIZER] } });
      return;
    }
    if (!has || this.inUse(key)) return;
    // The cache may lag behind a pod that was just created: confirm with a live list.
    const live = await this.client.list(R.pods, namespace);
    if (live.items.some((p) => podBlocks(p) && podClaimKeys(p).includes(key))) return;
    const rest = finalizers.filter((f) => f !== PVC_PROTECTION_FINALIZER);
    await this.client.patch(R.persistentvolumeclaims, namespace, name, 'merge', { metadata: { resourceVersion: claim.metadata.resourceVersion, finalizers: rest.length ? rest : null } });
  }
}

export const pvcProtectionController: ControllerDefinition = defineController('pvc-protection', (ctx) => new PvcProtectionController(ctx));
