/**
 * The DaemonSet controller (`daemonset-controller`): watches DaemonSets, their pods (adopting
 * matching orphans), nodes (labels, taints, unschedulable) and ControllerRevisions; per
 * DaemonSet: history → manage (pods per node) → rolling update → status → history cleanup.
 * Pods are created through the shared PodControl (`Created pod: <name>` events) with the
 * `metadata.name In [node]` node affinity; the scheduler binds them. Expectations keep a burst
 * of watch events from creating or deleting twice.
 */
import type { KubeObject } from '../../api/types';
import { isObject } from '../../api/types';
import { StatusError } from '../../api/errors';
import { labelSelectorFromObject } from '../../api/selectors/labels';
import { R, RateLimitingQueue, metaNamespaceKey, runWorkers, splitMetaNamespaceKey, type EventRecorder, type KubeClient, type SharedInformer } from '../../client';
import type { ControllerContext, ControllerDefinition } from '../controller';
import { ControllerExpectations } from '../expectations';
import { CONTROLLER_UID_INDEX, claimObjects, controllerUidIndexFunc, ownedOrOrphan, recheckDeletionTimestamp } from '../controller-ref';
import { controllerRefOf, newControllerRef, ownedRevisions } from '../history';
import { PodControl } from '../pod-control';
import { msUntilAvailable } from '../statefulset/pod-conditions';
import { FailedPodsBackoff } from './failed-backoff';
import { daemonPodTemplate, targetNodeOf } from './placement';
import { cleanupHistory, constructHistory } from './revisions';
import { countStatus, manage, rollingUpdate, type NodePlan } from './sync';
import { writeStatusRetrying } from '../status-write';
import { logSyncErrors, isConflict, defineController } from '../workers';

type Obj = Record<string, unknown>;

function nodePlacementChanged(a: KubeObject, b: KubeObject): boolean {
  const spec = (n: KubeObject) => (isObject(n.spec) ? n.spec : {}) as Obj;
  return JSON.stringify(a.metadata.labels ?? {}) !== JSON.stringify(b.metadata.labels ?? {}) || JSON.stringify(spec(a).taints ?? []) !== JSON.stringify(spec(b).taints ?? []) || !!spec(a).unschedulable !== !!spec(b).unschedulable;
}

function isTerminal(pod: KubeObject): boolean {
  const phase = (pod.status as Obj | undefined)?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

class DaemonSetController {
  private readonly sets: SharedInformer;
  private readonly pods: SharedInformer;
  private readonly nodes: SharedInformer;
  private readonly revisions: SharedInformer;
  private readonly queue: RateLimitingQueue<string>;
  private readonly client: KubeClient;
  private readonly recorder: EventRecorder;
  private readonly podControl: PodControl;
  private readonly expectations: ControllerExpectations;
  private readonly failedBackoff: FailedPodsBackoff;

  constructor(private readonly ctx: ControllerContext) {
    this.client = ctx.client;
    this.sets = ctx.informers.informerFor(R.daemonsets);
    this.pods = ctx.informers.informerFor(R.pods, { indexers: { [CONTROLLER_UID_INDEX]: controllerUidIndexFunc } });
    this.nodes = ctx.informers.informerFor(R.nodes);
    this.revisions = ctx.informers.informerFor(R.controllerrevisions, { indexers: { [CONTROLLER_UID_INDEX]: controllerUidIndexFunc } });
    this.queue = new RateLimitingQueue<string>({ name: 'daemonset', clock: ctx.clock });
    this.recorder = ctx.events('daemonset-controller');
    this.podControl = new PodControl(this.client, this.recorder);
    this.expectations = new ControllerExpectations(ctx.clock);
    this.failedBackoff = new FailedPodsBackoff(ctx.clock);

    const enqueue = (o: KubeObject) => this.queue.add(metaNamespaceKey(o));
    this.sets.addEventHandler({
      onAdd: enqueue,
      onUpdate: (_o, n) => enqueue(n),
      onDelete: (o) => {
        this.expectations.delete(metaNamespaceKey(o));
      },
    });
    this.pods.addEventHandler({
      onAdd: (p) => {
        const key = this.ownerKey(p);
        if (key) {
          this.expectations.creationObserved(key);
          this.queue.add(key);
        } else if (!controllerRefOf(p)) this.enqueueAdopters(p);
      },
      onUpdate: (o, n) => {
        const key = this.ownerKey(n);
        const oldKey = this.ownerKey(o);
        if (oldKey && oldKey !== key) this.queue.add(oldKey);
        if (key) {
          if (n.metadata.deletionTimestamp) this.expectations.deletionObserved(key, metaNamespaceKey(n));
          this.queue.add(key);
        } else if (!controllerRefOf(n)) this.enqueueAdopters(n);
      },
      onDelete: (p) => {
        const key = this.ownerKey(p);
        if (!key) return;
        this.expectations.deletionObserved(key, metaNamespaceKey(p));
        this.queue.add(key);
      },
    });
    const all = () => {
      for (const ds of this.sets.list()) enqueue(ds);
    };
    this.nodes.addEventHandler({ onAdd: all, onUpdate: (o, n) => nodePlacementChanged(o, n) && all(), onDelete: all });
    this.revisions.addEventHandler({
      onDelete: (r) => {
        const key = this.ownerKey(r);
        if (key) this.queue.add(key);
      },
    });
  }

  private ownerKey(obj: KubeObject): string | undefined {
    const ref = controllerRefOf(obj);
    if (!ref || ref.kind !== 'DaemonSet') return undefined;
    const ds = this.sets.get(obj.metadata.namespace, ref.name);
    return ds && ds.metadata.uid === ref.uid ? metaNamespaceKey(ds) : undefined;
  }

  private enqueueAdopters(pod: KubeObject): void {
    for (const ds of this.sets.list(pod.metadata.namespace)) {
      if (labelSelectorFromObject((ds.spec as Obj).selector).matches(pod.metadata.labels)) this.queue.add(metaNamespaceKey(ds));
    }
  }

  run(): Promise<void> {
    return runWorkers(this.queue, 2, (key) => this.sync(key), { onError: logSyncErrors(this.ctx, 'daemonset-controller', isConflict) });
  }

  stop(): void {
    this.queue.shutDown();
  }

  /** getDaemonPods: owned pods, after adopting matching orphans and releasing owned ones that no longer match. */
  private async claimPods(ds: KubeObject): Promise<KubeObject[]> {
    return claimObjects(R.pods, ownedOrOrphan(this.pods, ds.metadata.namespace ?? '', ds.metadata.uid ?? ''), {
      client: this.client,
      ownerKind: { apiVersion: 'apps/v1', kind: 'DaemonSet' },
      owner: ds,
      selector: labelSelectorFromObject((ds.spec as Obj).selector),
      canAdopt: recheckDeletionTimestamp(this.client, R.daemonsets, ds),
    });
  }

  private byNode(pods: readonly KubeObject[]): Map<string, KubeObject[]> {
    const m = new Map<string, KubeObject[]>();
    for (const pod of pods) {
      if (pod.metadata.deletionTimestamp && isTerminal(pod)) continue;
      const node = targetNodeOf(pod);
      if (!node) continue;
      const list = m.get(node);
      if (list) list.push(pod);
      else m.set(node, [pod]);
    }
    return m;
  }

  private async sync(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const ds = this.sets.get(namespace, name);
    if (!ds) {
      this.expectations.delete(key);
      return;
    }
    if (ds.metadata.deletionTimestamp) return;
    const selector = (ds.spec as Obj).selector;
    if (!isObject(selector) || Object.keys(selector).length === 0) {
      await this.recorder.record({ regarding: ds, type: 'Warning', reason: 'SelectingAll', message: 'This daemon set is selecting all pods. A non-empty selector is required.' }).catch(() => undefined);
      return;
    }
    const nodes = this.nodes.list();
    const owned = ownedRevisions(this.revisions.byIndex(CONTROLLER_UID_INDEX, `${ds.metadata.namespace}/${ds.metadata.uid}`), ds);
    const history = await constructHistory(this.client, ds, owned);
    const now = this.ctx.clock.now();
    let pods = await this.claimPods(ds);

    if (this.expectations.satisfied(key)) {
      const uid = ds.metadata.uid ?? '';
      this.failedBackoff.gc();
      const gate = {
        allow: (node: string) => {
          if (this.failedBackoff.inBackoff(`${uid}/${node}`)) return false;
          this.failedBackoff.next(`${uid}/${node}`);
          return true;
        },
        remaining: (node: string) => this.failedBackoff.remaining(`${uid}/${node}`),
      };
      let plan = manage(ds, nodes, this.byNode(pods), history.hash, now, gate);
      if (plan.requeueAfterMs !== undefined) this.queue.addAfter(key, plan.requeueAfterMs + 1);
      const acted = await this.apply(ds, key, plan, history.hash);
      if (!acted && this.expectations.satisfied(key)) {
        const us = (ds.spec as Obj).updateStrategy;
        if (isObject(us) && us.type === 'RollingUpdate') {
          plan = rollingUpdate(ds, nodes, this.byNode(pods), history.hash, now);
          await this.apply(ds, key, plan, history.hash);
        }
      }
      await cleanupHistory(this.client, ds, history.old, pods);
      await this.writeStatus(ds, nodes, pods, history.hash, history.collisionCount, true, now);
    } else {
      await this.writeStatus(ds, nodes, pods, history.hash, history.collisionCount, false, now);
    }
    pods = this.pods.byIndex(CONTROLLER_UID_INDEX, `${ds.metadata.namespace}/${ds.metadata.uid}`);
    const minReady = typeof (ds.spec as Obj).minReadySeconds === 'number' ? ((ds.spec as Obj).minReadySeconds as number) : 0;
    let wait: number | undefined;
    for (const p of pods) {
      const ms = msUntilAvailable(p, minReady, now);
      if (ms !== undefined) wait = Math.min(wait ?? ms, ms);
    }
    if (wait !== undefined) this.queue.addAfter(key, wait);
  }

  /** syncNodes: deletions first (one round), then creations; returns whether anything was asked for. */
  private async apply(ds: KubeObject, key: string, plan: NodePlan, hash: string): Promise<boolean> {
    for (const [reason, message] of plan.warnings) await this.recorder.record({ regarding: ds, type: 'Warning', reason, message }).catch(() => undefined);
    const ns = ds.metadata.namespace ?? '';
    if (plan.deletes.length) {
      this.expectations.expectDeletions(
        key,
        plan.deletes.map((p) => metaNamespaceKey(p)),
      );
      const errors: unknown[] = [];
      for (const pod of plan.deletes) {
        try {
          await this.podControl.deletePod(ns, pod.metadata.name ?? '', ds);
        } catch (e) {
          this.expectations.deletionObserved(key, metaNamespaceKey(pod));
          if (!(e instanceof StatusError && e.code === 404)) errors.push(e);
        }
      }
      if (errors.length) throw errors[0];
      return true;
    }
    if (plan.creates.length) {
      this.expectations.expectCreations(key, plan.creates.length);
      const ref = newControllerRef(ds, 'apps/v1', 'DaemonSet');
      const errors: unknown[] = [];
      for (const node of plan.creates) {
        try {
          await this.podControl.createPod(ns, daemonPodTemplate(ds, hash, node), ds, ref);
        } catch (e) {
          this.expectations.creationObserved(key);
          errors.push(e);
        }
      }
      if (errors.length) throw errors[0];
      return true;
    }
    return false;
  }

  private async writeStatus(ds: KubeObject, nodes: readonly KubeObject[], pods: readonly KubeObject[], hash: string, collisionCount: number, observed: boolean, now: number): Promise<void> {
    const c = countStatus(ds, nodes, this.byNode(pods), hash, now);
    const old = (isObject(ds.status) ? ds.status : {}) as Obj;
    const status: Obj = {
      currentNumberScheduled: c.currentNumberScheduled,
      numberMisscheduled: c.numberMisscheduled,
      desiredNumberScheduled: c.desiredNumberScheduled,
      numberReady: c.numberReady,
      observedGeneration: observed ? ds.metadata.generation : old.observedGeneration,
      updatedNumberScheduled: c.updatedNumberScheduled || undefined,
      numberAvailable: c.numberAvailable || undefined,
      numberUnavailable: c.numberUnavailable || undefined,
      collisionCount: collisionCount || typeof old.collisionCount === 'number' ? collisionCount : undefined,
      conditions: old.conditions,
    };
    for (const k of Object.keys(status)) if (status[k] === undefined) delete status[k];
    if (JSON.stringify(status) === JSON.stringify(ds.status)) return;
    await writeStatusRetrying(this.client, R.daemonsets, ds, status);
  }
}

export const daemonSetController: ControllerDefinition = defineController('daemonset', (ctx) => new DaemonSetController(ctx));
