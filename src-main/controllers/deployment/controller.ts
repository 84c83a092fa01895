/**
 * The Deployment controller (pkg/controller/deployment/deployment_controller.go): informers on
 * Deployments, ReplicaSets and Pods, a rate-limited queue of Deployment keys, five workers. A
 * ReplicaSet event queues its controlling Deployment (or, for an orphan, every Deployment whose
 * selector matches it); a deleted pod queues a Recreate Deployment once its old pods are gone.
 */
import type { KubeObject } from '../../api/types';
import { labelSelectorFromObject } from '../../api/selectors/labels';
import { R, RateLimitingQueue, metaNamespaceKey, runWorkers, type SharedInformer } from '../../client';
import type { ControllerContext, ControllerDefinition, RunningController } from '../controller';
import { CONTROLLER_UID_INDEX, controllerUidIndexFunc, getControllerOf } from '../controller-ref';
import type { DeploymentContext } from './context';
import { syncDeployment } from './sync';
import { spec, strategyType } from './util';

const WORKERS = 5;

export class DeploymentController implements RunningController {
  readonly queue: RateLimitingQueue<string>;
  private readonly deployments: SharedInformer;
  private readonly dc: DeploymentContext;
  private workers?: Promise<void>;

  constructor(private readonly ctx: ControllerContext) {
    // coalesce: a burst of ReplicaSet/pod changes is one sync and one status write.
    this.queue = new RateLimitingQueue<string>({ name: 'deployment', clock: ctx.clock, coalesce: true });
    this.deployments = ctx.informers.informerFor(R.deployments);
    const replicaSets = ctx.informers.informerFor(R.replicasets, { indexers: { [CONTROLLER_UID_INDEX]: controllerUidIndexFunc } });
    const pods = ctx.informers.informerFor(R.pods, { indexers: { [CONTROLLER_UID_INDEX]: controllerUidIndexFunc } });
    this.dc = {
      client: ctx.client,
      clock: ctx.clock,
      recorder: ctx.events('deployment-controller'),
      replicaSets,
      pods,
      enqueueAfter: (d, ms) => this.queue.addAfter(metaNamespaceKey(d), ms),
      enqueueRateLimited: (d) => this.queue.addRateLimited(metaNamespaceKey(d)),
      log: ctx.log,
    };
    const enqueue = (d: KubeObject) => this.queue.add(metaNamespaceKey(d));
    this.deployments.addEventHandler({ onAdd: enqueue, onUpdate: (_o, d) => enqueue(d), onDelete: enqueue });
    replicaSets.addEventHandler({
      onAdd: (rs) => (rs.metadata.deletionTimestamp ? this.onReplicaSetDelete(rs) : this.onReplicaSet(rs)),
      onUpdate: (old, cur) => this.onReplicaSetUpdate(old, cur),
      onDelete: (rs) => this.onReplicaSetDelete(rs),
    });
    pods.addEventHandler({ onDelete: (p) => this.onPodDelete(p) });
  }

  run(): void {
    this.workers = runWorkers(this.queue, WORKERS, (key) => this.sync(key), {
      onError: (key, err) => this.ctx.log(`deployment controller: ${String(key)}: ${err instanceof Error ? err.message : String(err)}`),
    });
  }

  async stop(): Promise<void> {
    this.queue.shutDown();
    await this.workers;
  }

  async sync(key: string): Promise<void> {
    const d = this.deployments.getByKey(key);
    if (!d) return;
    await syncDeployment(this.dc, d);
  }

  private resolve(rs: KubeObject): KubeObject | undefined {
    const ref = getControllerOf(rs);
    if (!ref || ref.kind !== 'Deployment') return undefined;
    const d = this.deployments.get(rs.metadata.namespace, ref.name);
    return d && d.metadata.uid === ref.uid ? d : undefined;
  }

  /** getDeploymentsForReplicaSet: Deployments whose (non-empty) selector matches an orphan. */
  private selecting(rs: KubeObject): KubeObject[] {
    return this.deployments.list(rs.metadata.namespace).filter((d) => {
      try {
        const sel = labelSelectorFromObject(spec(d).selector);
        return !sel.empty() && sel.matches(rs.metadata.labels);
      } catch {
        return false;
      }
    });
  }

  private onReplicaSet(rs: KubeObject): void {
    if (getControllerOf(rs)) {
      const d = this.resolve(rs);
      if (d) this.queue.add(metaNamespaceKey(d));
      return;
    }
    for (const d of this.selecting(rs)) this.queue.add(metaNamespaceKey(d));
  }

  private onReplicaSetUpdate(old: KubeObject, cur: KubeObject): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const oldRef = getControllerOf(old);
    const curRef = getControllerOf(cur);
    const refChanged = oldRef?.uid !== curRef?.uid;
    if (refChanged && oldRef) {
      const d = this.resolve(old);
      if (d) this.queue.add(metaNamespaceKey(d));
    }
    if (curRef) {
      const d = this.resolve(cur);
      if (d) this.queue.add(metaNamespaceKey(d));
      return;
    }
    const labelChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {});
    if (labelChanged || refChanged) for (const d of this.selecting(cur)) this.queue.add(metaNamespaceKey(d));
  }

  private onReplicaSetDelete(rs: KubeObject): void {
    const d = this.resolve(rs);
    if (d) this.queue.add(metaNamespaceKey(d));
  }

  /** deletePod: a Recreate Deployment waits for its old pods to be gone. */
  private onPodDelete(pod: KubeObject): void {
    const ref = getControllerOf(pod);
    if (!ref || ref.kind !== 'ReplicaSet') return;
    const rs = this.dc.replicaSets.get(pod.metadata.namespace, ref.name);
    if (!rs || rs.metadata.uid !== ref.uid) return;
    const d = this.resolve(rs);
    if (!d || strategyType(d) !== 'Recreate') return;
    const ns = d.metadata.namespace ?? '';
    const rss = this.dc.replicaSets.byIndex(CONTROLLER_UID_INDEX, `${ns}/${d.metadata.uid}`);
    const remaining = rss.reduce((n, r) => n + this.dc.pods.byIndex(CONTROLLER_UID_INDEX, `${ns}/${r.metadata.uid}`).length, 0);
    if (remaining === 0) this.queue.add(metaNamespaceKey(d));
  }
}

export const deploymentController: ControllerDefinition = {
  name: 'deployment',
  start: (ctx) => new DeploymentController(ctx),
};
