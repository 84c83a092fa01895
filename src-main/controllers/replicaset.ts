/**
 * The ReplicaSet controller (pkg/controller/replicaset), also the engine of the
 * ReplicationController controller (`replicationcontroller.ts` gives it the RC's kind and
 * selector). Per owner key: claim the active pods (adopt matching orphans, release owned pods
 * that stopped matching), create or delete pods toward spec.replicas (creates in slow-start
 * batches 1, 2, 4, …, at most 500 per sync; deletes in upstream's ActivePodsWithRanks
 * preference), guarded by expectations, then write status (replicas, fullyLabeledReplicas,
 * readyReplicas, availableReplicas, observedGeneration, the ReplicaFailure condition) and
 * requeue after minReadySeconds while ready pods are not available yet.
 */
import type { KubeObject } from '../api/types';
import { StatusError } from '../api/errors';
import { labelSelectorFromObject, labelSelectorFromSet, type LabelSelector } from '../api/selectors/labels';
import { RateLimitingQueue, R, metaNamespaceKey, runWorkers, type KubeClient, type ResourceRef, type SharedInformer } from '../client';
import type { ControllerContext, ControllerDefinition, RunningController } from './controller';
import { CONTROLLER_UID_INDEX, claimObjects, controllerUidIndexFunc, getControllerOf, ownedOrOrphan, recheckDeletionTimestamp, type GroupVersionKind } from './controller-ref';
import { ControllerExpectations } from './expectations';
import { PodControl, isNamespaceTerminatingError } from './pod-control';
import { filterActivePods, isPodAvailable, isPodReady, podsToDelete } from './pod-util';

/** BurstReplicas: the most pods one sync creates or deletes. */
export const BURST_REPLICAS = 500;
/** SlowStartInitialBatchSize. */
export const SLOW_START_INITIAL_BATCH = 1;
const WORKERS = 5;

export interface ReplicaKind {
  /** The controller's upstream name (`replicaset`, `replicationcontroller`). */
  name: string;
  ref: ResourceRef;
  gvk: GroupVersionKind;
  /** Event source component. */
  component: string;
  /** The owner's pod selector (throws on an invalid one). */
  selector(owner: KubeObject): LabelSelector;
}

export const REPLICASET_KIND: ReplicaKind = {
  name: 'replicaset',
  ref: R.replicasets,
  gvk: { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
  component: 'replicaset-controller',
  selector: (rs) => labelSelectorFromObject(spec(rs).selector),
};

export const REPLICATIONCONTROLLER_KIND: ReplicaKind = {
  name: 'replicationcontroller',
  ref: R.replicationcontrollers,
  gvk: { apiVersion: 'v1', kind: 'ReplicationController' },
  component: 'replication-controller',
  selector: (rc) => labelSelectorFromSet((spec(rc).selector ?? {}) as Record<string, string>),
};

type Obj = Record<string, unknown>;

function spec(o: KubeObject): Obj {
  return (o.spec ?? {}) as Obj;
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

export function specReplicas(o: KubeObject): number {
  const r = spec(o).replicas;
  return typeof r === 'number' ? r : 1;
}

function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** slowStartBatch: calls fn in batches of 1, 2, 4, … in parallel; stops at the first failing batch. */
export async function slowStartBatch(count: number, initial: number, fn: () => Promise<void>): Promise<{ successes: number; error?: unknown }> {
  let remaining = count;
  let successes = 0;
  for (let batch = Math.min(remaining, initial); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn()));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += batch - failed.length;
    if (failed.length) return { successes, error: failed[0].reason };
    remaining -= batch;
  }
  return { successes };
}

interface Condition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** The ReplicaSet/RC status upstream computes (zero counts omitted, as Go's omitempty). */
export function calculateReplicaStatus(owner: KubeObject, pods: KubeObject[], manageErr: unknown, now: number): Obj {
  const old = (owner.status ?? {}) as Obj;
  const tmpl = (spec(owner).template ?? {}) as { metadata?: { labels?: Record<string, string> } };
  const tmplSel = labelSelectorFromSet(tmpl.metadata?.labels ?? {});
  const minReady = num(spec(owner).minReadySeconds);
  let fully = 0;
  let ready = 0;
  let available = 0;
  for (const p of pods) {
    if (tmplSel.matches(p.metadata.labels)) fully++;
    if (isPodReady(p)) {
      ready++;
      if (isPodAvailable(p, minReady, now)) available++;
    }
  }
  let conditions = Array.isArray(old.conditions) ? (old.conditions as Condition[]).map((c) => ({ ...c })) : [];
  const failure = conditions.find((c) => c.type === 'ReplicaFailure');
  if (manageErr !== undefined && !failure) {
    const diff = pods.length - specReplicas(owner);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    const c: Condition = { type: 'ReplicaFailure', status: 'True', lastTransitionTime: rfc3339(now), reason, message: manageErr instanceof Error ? manageErr.message : String(manageErr) };
    if (!reason) delete c.reason;
    conditions = [...conditions.filter((x) => x.type !== 'ReplicaFailure'), c];
  } else if (manageErr === undefined && failure) {
    conditions = conditions.filter((c) => c.type !== 'ReplicaFailure');
  }
  const st: Obj = { replicas: pods.length };
  if (fully) st.fullyLabeledReplicas = fully;
  if (ready) st.readyReplicas = ready;
  if (available) st.availableReplicas = available;
  if (old.observedGeneration !== undefined) st.observedGeneration = old.observedGeneration;
  if (conditions.length) st.conditions = conditions;
  return st;
}

export class ReplicaController implements RunningController {
  readonly queue: RateLimitingQueue<string>;
  readonly expectations: ControllerExpectations;
  private readonly client: KubeClient;
  private readonly owners: SharedInformer;
  private readonly pods: SharedInformer;
  private readonly podControl: PodControl;
  private workers?: Promise<void>;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly kind: ReplicaKind,
  ) {
    this.client = ctx.client;
    // coalesce: a burst of pod changes (100 pods turning Ready) is one sync and one status write.
    this.queue = new RateLimitingQueue<string>({ name: kind.name, clock: ctx.clock, coalesce: true });
    this.expectations = new ControllerExpectations(ctx.clock);
    this.owners = ctx.informers.informerFor(kind.ref, { indexers: { [CONTROLLER_UID_INDEX]: controllerUidIndexFunc } });
    this.pods = ctx.informers.informerFor(R.pods, { indexers: { [CONTROLLER_UID_INDEX]: controllerUidIndexFunc } });
    this.podControl = new PodControl(ctx.client, ctx.events(kind.component));
    this.owners.addEventHandler({
      onAdd: (o) => this.queue.add(metaNamespaceKey(o)),
      onUpdate: (old, cur) => {
        if (old.metadata.uid !== cur.metadata.uid) this.onOwnerDelete(old);
        this.queue.add(metaNamespaceKey(cur));
      },
      onDelete: (o) => this.onOwnerDelete(o),
    });
    this.pods.addEventHandler({
      onAdd: (p) => this.onPodAdd(p),
      onUpdate: (old, cur) => this.onPodUpdate(old, cur),
      onDelete: (p) => this.onPodDelete(p),
    });
  }

  run(): void {
    this.workers = runWorkers(this.queue, WORKERS, (key) => this.sync(key), {
      onError: (key, err) => this.ctx.log(`${this.kind.name} controller: ${String(key)}: ${err instanceof Error ? err.message : String(err)}`),
    });
  }

  async stop(): Promise<void> {
    this.queue.shutDown();
    await this.workers;
  }

  // --- event handlers ----------------------------------------------------------------------

  private onOwnerDelete(o: KubeObject): void {
    const key = metaNamespaceKey(o);
    this.expectations.delete(key);
    this.queue.add(key);
  }

  private resolveControllerRef(pod: KubeObject): KubeObject | undefined {
    const ref = getControllerOf(pod);
    if (!ref || ref.kind !== this.kind.gvk.kind) return undefined;
    const owner = this.owners.get(pod.metadata.namespace, ref.name);
    return owner && owner.metadata.uid === ref.uid ? owner : undefined;
  }

  /** Owners in the pod's namespace whose selector matches it (for orphans). */
  private ownersSelecting(pod: KubeObject): KubeObject[] {
    return this.owners.list(pod.metadata.namespace).filter((o) => {
      try {
        const sel = this.kind.selector(o);
        return !sel.empty() && sel.matches(pod.metadata.labels);
      } catch {
        return false;
      }
    });
  }

  private onPodAdd(pod: KubeObject): void {
    if (pod.metadata.deletionTimestamp) {
      this.onPodDelete(pod);
      return;
    }
    if (getControllerOf(pod)) {
      const owner = this.resolveControllerRef(pod);
      if (!owner) return;
      const key = metaNamespaceKey(owner);
      this.expectations.creationObserved(key);
      this.queue.add(key);
      return;
    }
    for (const o of this.ownersSelecting(pod)) this.queue.add(metaNamespaceKey(o));
  }

  private onPodUpdate(old: KubeObject, cur: KubeObject): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const labelChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {});
    if (cur.metadata.deletionTimestamp) {
      this.onPodDelete(cur);
      if (labelChanged) this.onPodDelete(old);
      return;
    }
    const oldRef = getControllerOf(old);
    const curRef = getControllerOf(cur);
    const refChanged = oldRef?.uid !== curRef?.uid;
    if (refChanged && oldRef) {
      const o = this.resolveControllerRef(old);
      if (o) this.queue.add(metaNamespaceKey(o));
    }
    if (curRef) {
      const owner = this.resolveControllerRef(cur);
      if (!owner) return;
      const key = metaNamespaceKey(owner);
      this.queue.add(key);
      const minReady = num(spec(owner).minReadySeconds);
      if (!isPodReady(old) && isPodReady(cur) && minReady > 0) this.queue.addAfter(key, minReady * 1000);
      return;
    }
    if (labelChanged || refChanged) for (const o of this.ownersSelecting(cur)) this.queue.add(metaNamespaceKey(o));
  }

  private onPodDelete(pod: KubeObject): void {
    if (!getControllerOf(pod)) return;
    const owner = this.resolveControllerRef(pod);
    if (!owner) return;
    const key = metaNamespaceKey(owner);
    this.expectations.deletionObserved(key, metaNamespaceKey(pod));
    this.queue.add(key);
  }

  // --- sync --------------------------------------------------------------------------------

  async sync(key: string): Promise<void> {
    const owner = this.owners.getByKey(key);
    if (!owner) {
      this.expectations.delete(key);
      return;
    }
    const needsSync = this.expectations.satisfied(key);
    let selector: LabelSelector;
    try {
      selector = this.kind.selector(owner);
    } catch (e) {
      this.ctx.log(`${this.kind.name} controller: ${key}: invalid selector: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    const ns = owner.metadata.namespace ?? '';
    const active = filterActivePods(ownedOrOrphan(this.pods, ns, owner.metadata.uid ?? ''));
    const pods = await claimObjects(R.pods, active, {
      client: this.client,
      ownerKind: this.kind.gvk,
      owner,
      selector,
      canAdopt: recheckDeletionTimestamp(this.client, this.kind.ref, owner),
    });
    let manageErr: unknown;
    if (needsSync && !owner.metadata.deletionTimestamp) {
      try {
        await this.manageReplicas(key, pods, owner);
      } catch (e) {
        manageErr = e;
      }
    }
    const status = calculateReplicaStatus(owner, pods, manageErr, this.ctx.clock.now());
    const updated = await this.updateStatus(owner, status);
    const st = (updated.status ?? {}) as Obj;
    const minReady = num(spec(updated).minReadySeconds);
    const replicas = specReplicas(updated);
    if (manageErr === undefined && minReady > 0 && num(st.readyReplicas) === replicas && num(st.availableReplicas) !== replicas) {
      this.queue.addAfter(key, minReady * 1000);
    }
    if (manageErr !== undefined) throw manageErr;
  }

  private async manageReplicas(key: string, pods: KubeObject[], owner: KubeObject): Promise<void> {
    const ns = owner.metadata.namespace ?? '';
    let diff = pods.length - specReplicas(owner);
    if (diff < 0) {
      diff = Math.min(-diff, BURST_REPLICAS);
      this.expectations.expectCreations(key, diff);
      const template = (spec(owner).template ?? {}) as Obj;
      const controllerRef = { apiVersion: this.kind.gvk.apiVersion, kind: this.kind.gvk.kind, name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
      const { successes, error } = await slowStartBatch(diff, SLOW_START_INITIAL_BATCH, async () => {
        try {
          await this.podControl.createPod(ns, template, owner, controllerRef);
        } catch (e) {
          if (isNamespaceTerminatingError(e)) return;
          throw e;
        }
      });
      for (let i = successes; i < diff; i++) this.expectations.creationObserved(key);
      if (error !== undefined) throw error;
      return;
    }
    if (diff > 0) {
      diff = Math.min(diff, BURST_REPLICAS);
      const victims = podsToDelete(pods, this.relatedPods(owner), diff, this.ctx.clock.now());
      const podKeys = victims.map((p) => metaNamespaceKey(p));
      this.expectations.expectDeletions(key, podKeys);
      const errors: unknown[] = [];
      await Promise.all(
        victims.map(async (p) => {
          try {
            await this.podControl.deletePod(ns, p.metadata.name ?? '', owner);
          } catch (e) {
            this.expectations.deletionObserved(key, metaNamespaceKey(p));
            if (!(e instanceof StatusError && e.code === 404)) errors.push(e);
          }
        }),
      );
      if (errors.length) throw errors[0];
    }
  }

  /** getIndirectlyRelatedPods: the pods of every owner sharing this owner's controller (or its own). */
  private relatedPods(owner: KubeObject): KubeObject[] {
    const ns = owner.metadata.namespace ?? '';
    const parent = getControllerOf(owner);
    const siblings = parent ? this.owners.byIndex(CONTROLLER_UID_INDEX, `${ns}/${parent.uid}`) : [owner];
    return siblings.flatMap((o) => this.pods.byIndex(CONTROLLER_UID_INDEX, `${ns}/${o.metadata.uid}`));
  }

  /** updateReplicaSetStatus: skip when nothing changed; one retry after a conflict. */
  private async updateStatus(owner: KubeObject, status: Obj): Promise<KubeObject> {
    const old = (owner.status ?? {}) as Obj;
    const same = (f: string) => num(old[f]) === num(status[f]);
    if (
      same('replicas') &&
      same('fullyLabeledReplicas') &&
      same('readyReplicas') &&
      same('availableReplicas') &&
      num(owner.metadata.generation) === num(old.observedGeneration) &&
      JSON.stringify(old.conditions ?? []) === JSON.stringify(status.conditions ?? [])
    ) {
      return owner;
    }
    const next: Obj = { ...status, observedGeneration: owner.metadata.generation };
    if (!next.observedGeneration) delete next.observedGeneration;
    let target: KubeObject = owner;
    for (let i = 0; ; i++) {
      try {
        return await this.client.updateStatus(this.kind.ref, target.metadata.namespace, { ...target, status: orderStatus(next) });
      } catch (e) {
        if (i >= 1) throw e;
        target = await this.client.get(this.kind.ref, owner.metadata.namespace, owner.metadata.name ?? '');
      }
    }
  }
}

/** Go's field order of ReplicaSetStatus. */
function orderStatus(st: Obj): Obj {
  const out: Obj = {};
  for (const f of ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration', 'conditions']) {
    if (st[f] !== undefined) out[f] = st[f];
  }
  return out;
}

export const replicaSetController: ControllerDefinition = {
  name: 'replicaset',
  start: (ctx) => new ReplicaController(ctx, REPLICASET_KIND),
};
