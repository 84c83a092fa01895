/**
 * Taint eviction (upstream `taint-eviction-controller`, the NoExecute taint manager): a pod bound
 * to a node with NoExecute taints it does not tolerate is deleted at once; one that tolerates
 * them for `tolerationSeconds` is deleted when that time has passed since the taint was added
 * (the smallest of its tolerations counts; tolerations without seconds tolerate forever). The
 * deletion is announced with `TaintManagerEviction` `Marking for deletion Pod <ns>/<pod>` and the
 * pod gets the `DisruptionTarget` condition first; a taint removed in time cancels it
 * (`Cancelling deletion of Pod <ns>/<pod>`).
 */
import type { KubeObject } from '../../api/types';
import { StatusError } from '../../api/errors';
import { R, RateLimitingQueue, splitMetaNamespaceKey, type Clock, type EventRecorder, type KubeClient, type SharedInformer } from '../../client';
import type { ControllerContext, ControllerDefinition, RunningController } from '../controller';
import { POD_NODE_INDEX, podNodeIndexFunc } from './node-health';
import { minTolerationSeconds, nodeTaints, type Toleration } from './taints';
import { runningController, queueWorkers, logSyncErrors } from '../workers';

function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

interface Scheduled {
  deadline: number;
}

export class TaintEvictionController {
  /** Pods with a deletion scheduled (for the cancel event). */
  private readonly scheduled = new Map<string, Scheduled>();

  constructor(
    private readonly client: KubeClient,
    private readonly clock: Clock,
    private readonly recorder: EventRecorder,
    private readonly nodes: SharedInformer,
    private readonly pods: SharedInformer,
    private readonly requeueAfter: (key: string, ms: number) => void,
  ) {}

  private cancel(key: string, pod: KubeObject | undefined): void {
    if (!this.scheduled.delete(key) || !pod) return;
    void this.recorder.record({ regarding: pod, type: 'Normal', reason: 'TaintManagerEviction', message: `Cancelling deletion of Pod ${key}` }).catch(() => undefined);
  }

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const pod = this.pods.get(namespace, name);
    if (!pod || pod.metadata.deletionTimestamp) {
      this.scheduled.delete(key);
      return;
    }
    const nodeName = ((pod.spec ?? {}) as { nodeName?: string }).nodeName;
    const node = nodeName ? this.nodes.get(undefined, nodeName) : undefined;
    const taints = node ? nodeTaints(node).filter((t) => t.effect === 'NoExecute') : [];
    if (taints.length === 0) return this.cancel(key, pod);
    const tolerations = ((pod.spec ?? {}) as { tolerations?: Toleration[] }).tolerations ?? [];
    const seconds = minTolerationSeconds(tolerations, taints);
    if (seconds === Infinity) return this.cancel(key, pod);
    const now = this.clock.now();
    // Counted from when the first of the taints was added (or from now, for a taint without a time).
    const added = Math.min(...taints.map((t) => Date.parse(t.timeAdded ?? '') || now));
    const deadline = added + seconds * 1000;
    if (deadline > now) {
      this.scheduled.set(key, { deadline });
      this.requeueAfter(key, deadline - now);
      return;
    }
    this.scheduled.delete(key);
    await this.evict(pod, key);
  }

  private async evict(pod: KubeObject, key: string): Promise<void> {
    void this.recorder.record({ regarding: pod, type: 'Normal', reason: 'TaintManagerEviction', message: `Marking for deletion Pod ${key}` }).catch(() => undefined);
    const conds = (((pod.status ?? {}) as { conditions?: { type: string }[] }).conditions ?? []).filter((c) => c.type !== 'DisruptionTarget');
    conds.push({ type: 'DisruptionTarget', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(this.clock.now()), reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' } as { type: string });
    try {
      await this.client.patchStatus(R.pods, pod.metadata.namespace, pod.metadata.name!, { status: { conditions: conds } });
      await this.client.delete(R.pods, pod.metadata.namespace, pod.metadata.name!, { preconditions: { uid: pod.metadata.uid } });
    } catch (e) {
      if (e instanceof StatusError && (e.code === 404 || e.code === 409)) return;
      throw e;
    }
  }
}

function tolerationsOf(pod: KubeObject): string {
  return JSON.stringify(((pod.spec ?? {}) as { tolerations?: unknown }).tolerations ?? []);
}

export const taintEvictionController: ControllerDefinition = {
  name: 'taint-eviction-controller',
  start(ctx: ControllerContext): RunningController {
    const nodes = ctx.informers.informerFor(R.nodes);
    const pods = ctx.informers.informerFor(R.pods, { indexers: { [POD_NODE_INDEX]: podNodeIndexFunc } });
    const queue = new RateLimitingQueue<string>({ name: 'taint_eviction', clock: ctx.clock });
    const controller = new TaintEvictionController(ctx.client, ctx.clock, ctx.events('taint-eviction-controller'), nodes, pods, (k, ms) => queue.addAfter(k, ms));
    const key = (p: KubeObject) => `${p.metadata.namespace}/${p.metadata.name}`;
    const noExecute = (n: KubeObject) => JSON.stringify(nodeTaints(n).filter((t) => t.effect === 'NoExecute'));
    const podsOn = (n: KubeObject) => {
      for (const p of pods.byIndex(POD_NODE_INDEX, n.metadata.name!)) queue.add(key(p));
    };
    nodes.addEventHandler({
      onAdd: (n) => {
        if (noExecute(n) !== '[]') podsOn(n);
      },
      onUpdate: (old, n) => {
        if (noExecute(old) !== noExecute(n)) podsOn(n);
      },
    });
    pods.addEventHandler({
      onAdd: (p) => {
        if (podNodeIndexFunc(p).length) queue.add(key(p));
      },
      onUpdate: (old, p) => {
        if (podNodeIndexFunc(old)[0] !== podNodeIndexFunc(p)[0] || tolerationsOf(old) !== tolerationsOf(p)) queue.add(key(p));
      },
      onDelete: (p) => queue.add(key(p)),
    });
    return runningController(queueWorkers(queue, 2, (k) => controller.sync(k), logSyncErrors(ctx, 'taint-eviction-controller')));
  },
};
