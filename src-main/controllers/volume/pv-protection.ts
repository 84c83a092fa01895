/**
 * PV protection (`pv-protection-controller`, pkg/controller/volume/pvprotection): every volume
 * carries the `kubernetes.io/pv-protection` finalizer; a deleted volume keeps it while it is Bound
 * to a claim and loses it once it is not.
 */
import type { KubeObject } from '../../api/types';
import { R, RateLimitingQueue, runWorkers, type KubeClient, type SharedInformer } from '../../client';
import type { ControllerContext, ControllerDefinition } from '../controller';
import { PV_PROTECTION_FINALIZER } from './annotations';
import { phaseOf } from './claims';
import { logSyncErrors, isConflictOrGone, defineController } from '../workers';

class PvProtectionController {
  private readonly volumes: SharedInformer;
  private readonly queue: RateLimitingQueue<string>;
  private readonly client: KubeClient;

  constructor(private readonly ctx: ControllerContext) {
    this.client = ctx.client;
    this.volumes = ctx.informers.informerFor(R.persistentvolumes);
    this.queue = new RateLimitingQueue<string>({ name: 'pvprotection', clock: ctx.clock });
    const add = (v: KubeObject) => this.queue.add(v.metadata.name ?? '');
    this.volumes.addEventHandler({ onAdd: add, onUpdate: (_o, n) => add(n) });
  }

  run(): Promise<void> {
    return runWorkers(this.queue, 1, (k) => this.sync(k), { onError: logSyncErrors(this.ctx, 'pv-protection-controller', isConflictOrGone) });
  }

  stop(): void {
    this.queue.shutDown();
  }

  private async sync(name: string): Promise<void> {
    const pv = this.volumes.get(undefined, name);
    if (!pv) return;
    const finalizers = pv.metadata.finalizers ?? [];
    const has = finalizers.includes(PV_PROTECTION_FINALIZER);
    if (!pv.metadata.deletionTimestamp) {
      if (!has) await this.client.patch(R.persistentvolumes, undefined, name, 'merge', { metadata: { resourceVersion: pv.metadata.resourceVersion, finalizers: [...finalizers, PV_PROTECTION_FINALIZER] } });
      return;
    }
    if (!has || phaseOf(pv) === 'Bound') return;
    const rest = finalizers.filter((f) => f !== PV_PROTECTION_FINALIZER);
    await this.client.patch(R.persistentvolumes, undefined, name, 'merge', { metadata: { resourceVersion: pv.metadata.resourceVersion, finalizers: rest.length ? rest : null } });
  }
}

export const pvProtectionController: ControllerDefinition = defineController('pv-protection', (ctx) => new PvProtectionController(ctx));
