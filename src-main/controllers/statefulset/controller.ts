/**
 * The StatefulSet controller (`statefulset-controller`): watches StatefulSets, their pods (by
 * controller reference; orphans named `<set>-N` are adopted), claims and ControllerRevisions, and
 * per set: revisions → pods and claims (sync.ts) → status → history truncation.
 */
import type { KubeObject } from '../../api/types';
import { isObject } from '../../api/types';
import { labelSelectorFromObject } from '../../api/selectors/labels';
import { R, RateLimitingQueue, metaNamespaceKey, runWorkers, splitMetaNamespaceKey, type EventRecorder, type KubeClient, type SharedInformer } from '../../client';
import type { ControllerContext, ControllerDefinition } from '../controller';
import { CONTROLLER_UID_INDEX, claimObjects, controllerUidIndexFunc, ownedOrOrphan, recheckDeletionTimestamp } from '../controller-ref';
import { controllerRefOf, ownedRevisions } from '../history';
import { isMemberOf, specOf } from './identity';
import { msUntilAvailable } from './pod-conditions';
import { StatefulPodControl } from './pod-control';
import { statefulSetRevisions, truncateHistory } from './revisions';
import { syncReplicas } from './sync';
import { writeStatusRetrying } from '../status-write';
import { logSyncErrors, isConflict, defineController } from '../workers';

class StatefulSetController {
  private readonly sets: SharedInformer;
  private readonly pods: SharedInformer;
  private readonly revisions: SharedInformer;
  private readonly queue: RateLimitingQueue<string>;
  private readonly control: StatefulPodControl;
  private readonly client: KubeClient;
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext) {
    this.client = ctx.client;
    this.sets = ctx.informers.informerFor(R.statefulsets);
    this.pods = ctx.informers.informerFor(R.pods, { indexers: { [CONTROLLER_UID_INDEX]: controllerUidIndexFunc } });
    this.revisions = ctx.informers.informerFor(R.controllerrevisions, { indexers: { [CONTROLLER_UID_INDEX]: controllerUidIndexFunc } });
    const claims = ctx.informers.informerFor(R.persistentvolumeclaims);
    this.queue = new RateLimitingQueue<string>({ name: 'statefulset', clock: ctx.clock });
    this.recorder = ctx.events('statefulset-controller');
    this.control = new StatefulPodControl(this.client, claims, this.recorder);

    const enqueue = (o: KubeObject) => this.queue.add(metaNamespaceKey(o));
    this.sets.addEventHandler({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
    this.pods.addEventHandler({
      onAdd: (p) => this.enqueueForPod(p),
      onUpdate: (o, n) => {
        this.enqueueForPod(n);
        if (controllerRefOf(o)?.uid !== controllerRefOf(n)?.uid) this.enqueueForPod(o);
      },
      onDelete: (p) => this.enqueueForPod(p),
    });
    this.revisions.addEventHandler({ onDelete: (r) => this.enqueueOwner(r) });
  }

  private enqueueOwner(obj: KubeObject): boolean {
    const ref = controllerRefOf(obj);
    if (!ref) return false;
    if (ref.kind !== 'StatefulSet') return true;
    const set = this.sets.get(obj.metadata.namespace, ref.name);
    if (set && set.metadata.uid === ref.uid) this.queue.add(metaNamespaceKey(set));
    return true;
  }

  private enqueueForPod(pod: KubeObject): void {
    if (this.enqueueOwner(pod)) return;
    // An orphan: the sets that could adopt it.
    for (const set of this.sets.list(pod.metadata.namespace)) {
      if (isMemberOf(set, pod) && labelSelectorFromObject(specOf(set).selector).matches(pod.metadata.labels)) this.queue.add(metaNamespaceKey(set));
    }
  }

  run(): Promise<void> {
    return runWorkers(this.queue, 2, (key) => this.sync(key), { onError: logSyncErrors(this.ctx, 'statefulset-controller', isConflict) });
  }

  stop(): void {
    this.queue.shutDown();
  }

  /** getPodsForStatefulSet: owned pods, after adopting matching orphans named `<set>-N` and releasing non-matching ones. */
  private async claimPods(set: KubeObject): Promise<KubeObject[]> {
    const ns = set.metadata.namespace ?? '';
    const candidates = ownedOrOrphan(this.pods, ns, set.metadata.uid ?? '').filter((p) => controllerRefOf(p) || isMemberOf(set, p));
    return claimObjects(R.pods, candidates, {
      client: this.client,
      ownerKind: { apiVersion: 'apps/v1', kind: 'StatefulSet' },
      owner: set,
      selector: labelSelectorFromObject(specOf(set).selector),
      canAdopt: recheckDeletionTimestamp(this.client, R.statefulsets, set),
    });
  }

  private async sync(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const set = this.sets.get(namespace, name);
    if (!set) return;
    const pods = await this.claimPods(set);
    const owned = ownedRevisions(this.revisions.byIndex(CONTROLLER_UID_INDEX, `${set.metadata.namespace}/${set.metadata.uid}`), set);
    const revs = await statefulSetRevisions(this.client, set, owned);
    const now = this.ctx.clock.now();
    const counts = await syncReplicas(set, pods, revs, {
      control: this.control,
      now,
      recordWarning: (reason, message) => this.recorder.record({ regarding: set, type: 'Warning', reason, message }).then(() => undefined, () => undefined),
      recordNormal: (reason, message) => this.recorder.record({ regarding: set, type: 'Normal', reason, message }).then(() => undefined, () => undefined),
    });
    const status: Record<string, unknown> = {
      ...(isObject(set.status) ? { conditions: set.status.conditions } : {}),
      observedGeneration: set.metadata.generation,
      replicas: counts.replicas,
      readyReplicas: counts.readyReplicas || undefined,
      currentReplicas: counts.currentReplicas || undefined,
      updatedReplicas: counts.updatedReplicas || undefined,
      currentRevision: revs.current.metadata.name,
      updateRevision: revs.update.metadata.name,
      collisionCount: revs.collisionCount,
      availableReplicas: counts.availableReplicas,
    };
    // completeRollingUpdate
    if (specOf(set).updateStrategy?.type === 'RollingUpdate' && counts.updatedReplicas === counts.replicas && counts.readyReplicas === counts.replicas) {
      status.currentReplicas = counts.updatedReplicas || undefined;
      status.currentRevision = status.updateRevision;
    }
    for (const k of Object.keys(status)) if (status[k] === undefined) delete status[k];
    await this.writeStatus(set, status);
    await truncateHistory(this.client, set, pods, owned, revs);
    // Pods that are ready but not yet available for minReadySeconds: look again when they are.
    const minReady = specOf(set).minReadySeconds ?? 0;
    let wait: number | undefined;
    for (const p of pods) {
      const ms = msUntilAvailable(p, minReady, now);
      if (ms !== undefined) wait = Math.min(wait ?? ms, ms);
    }
    if (wait !== undefined) this.queue.addAfter(key, wait + 1);
  }

  private async writeStatus(set: KubeObject, status: Record<string, unknown>): Promise<void> {
    if (JSON.stringify(status) === JSON.stringify(set.status)) return;
    await writeStatusRetrying(this.client, R.statefulsets, set, status);
  }
}

export const statefulSetController: ControllerDefinition = defineController('statefulset', (ctx) => new StatefulSetController(ctx));
