/**
 * Node health (upstream node lifecycle controller's monitorNodeHealth, lease based):
 *
 * - a node's "probe time" is the cluster time at which this controller last saw its kubelet
 *   alive: its Lease's renewTime changed, or its Ready condition's lastHeartbeatTime changed;
 * - 40 s after the last probe with no new one, Ready and the pressure conditions become
 *   `Unknown` (`NodeStatusUnknown`, `Kubelet stopped posting node status.`);
 * - when a node stops being Ready: the `NodeNotReady` event on the Node, and every pod on it gets
 *   its Ready condition set False with a `NodeNotReady` Warning (`Node is not ready`);
 * - the not-ready / unreachable / unschedulable taints follow the node (taints.ts).
 *
 * Each node is re-checked by a delayed work item due when its grace period would run out.
 */
import type { KubeObject } from '../../api/types';
import { StatusError } from '../../api/errors';
import { R, RateLimitingQueue, type Clock, type EventRecorder, type KubeClient, type SharedInformer } from '../../client';
import type { ControllerContext, ControllerDefinition, RunningController } from '../controller';
import { desiredTaints, nodeConditions, nodeTaints, readyCondition, type NodeCondition } from './taints';
import { runningController, queueWorkers, logSyncErrors, isConflict } from '../workers';

export const NODE_MONITOR_GRACE_PERIOD_MS = 40_000;
/**
 * A node's check that runs this much later than it was due means this process (and with it the
 * simulated kubelets) did not run meanwhile — the machine slept, or the event loop stalled: the
 * silence is ours, not the kubelet's, so the node gets a fresh grace period instead of being
 * declared dead.
 */
export const STALL_TOLERANCE_MS = 5_000;
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
export const POD_NODE_INDEX = 'spec.nodeName';
const UNKNOWN_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

export function podNodeIndexFunc(pod: KubeObject): string[] {
  const n = ((pod.spec ?? {}) as { nodeName?: string }).nodeName;
  return n ? [n] : [];
}

function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

interface Health {
  probeMs: number;
  renewTime?: string;
  heartbeat?: string;
  /** The Ready status last acted on (for the NotReady transition). */
  lastReady?: string;
  /** When the pending delayed check is due. */
  checkAt?: number;
}

export class NodeHealthController {
  private readonly health = new Map<string, Health>();

  constructor(
    private readonly client: KubeClient,
    private readonly clock: Clock,
    private readonly recorder: EventRecorder,
    private readonly nodes: SharedInformer,
    private readonly pods: SharedInformer,
    private readonly requeueAfter: (node: string, ms: number) => void,
    private readonly gracePeriodMs = NODE_MONITOR_GRACE_PERIOD_MS,
  ) {}

  private record(name: string): Health {
    let h = this.health.get(name);
    if (!h) this.health.set(name, (h = { probeMs: this.clock.now() }));
    return h;
  }

  /** A lease was seen: a new renewTime is a probe. */
  observeLease(lease: KubeObject): void {
    const name = lease.metadata.name ?? '';
    const renew = ((lease.spec ?? {}) as { renewTime?: string }).renewTime;
    const h = this.record(name);
    if (renew && renew !== h.renewTime) {
      h.renewTime = renew;
      h.probeMs = this.clock.now();
    }
  }

  /** A node was seen: a new Ready heartbeat is a probe. */
  observeNode(node: KubeObject): void {
    const h = this.record(node.metadata.name ?? '');
    const beat = readyCondition(node)?.lastHeartbeatTime;
    if (beat && beat !== h.heartbeat) {
      h.heartbeat = beat;
      h.probeMs = this.clock.now();
    }
  }

  forget(name: string): void {
    this.health.delete(name);
  }

  async sync(name: string): Promise<void> {
    let node = this.nodes.get(undefined, name);
    if (!node) {
      this.forget(name);
      return;
    }
    const h = this.record(name);
    const now = this.clock.now();
    if (h.checkAt !== undefined && now - h.checkAt > STALL_TOLERANCE_MS) h.probeMs = now;
    const elapsed = now - h.probeMs;
    if (elapsed > this.gracePeriodMs) {
      h.checkAt = undefined;
      if (readyCondition(node)?.status !== 'Unknown') node = await this.markUnknown(node, now);
    } else {
      const delay = this.gracePeriodMs - elapsed + 1;
      if (h.checkAt === undefined || h.checkAt <= now || now + delay < h.checkAt) h.checkAt = now + delay;
      this.requeueAfter(name, delay);
    }

    const ready = readyCondition(node)?.status;
    if (ready !== undefined && ready !== 'True' && h.lastReady !== ready && (h.lastReady === 'True' || h.lastReady === undefined)) {
      void this.recorder.record({ regarding: node, uid: name, type: 'Normal', reason: 'NodeNotReady', message: `Node ${name} status is now: NodeNotReady` }).catch(() => undefined);
      await this.markPodsNotReady(name);
    }
    if (ready !== undefined) h.lastReady = ready;

    const want = desiredTaints(node, rfc3339(now));
    if (JSON.stringify(want) !== JSON.stringify(nodeTaints(node))) {
      const next = structuredClone(node) as KubeObject;
      const spec = (next.spec ?? {}) as Record<string, unknown>;
      if (want.length) spec.taints = want;
      else delete spec.taints;
      next.spec = spec;
      await this.client.update(R.nodes, undefined, next);
    }
  }

  private async markUnknown(node: KubeObject, now: number): Promise<KubeObject> {
    const at = rfc3339(now);
    const conds: NodeCondition[] = nodeConditions(node).map((c) => ({ ...c }));
    for (const type of UNKNOWN_CONDITIONS) {
      const c = conds.find((x) => x.type === type);
      if (!c) {
        conds.push({ type, status: 'Unknown', lastHeartbeatTime: at, lastTransitionTime: at, reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.' });
      } else if (c.status !== 'Unknown') {
        c.status = 'Unknown';
        c.reason = 'NodeStatusUnknown';
        c.message = 'Kubelet stopped posting node status.';
        c.lastTransitionTime = at;
      }
    }
    const next = structuredClone(node) as KubeObject;
    next.status = { ...((next.status ?? {}) as object), conditions: conds };
    return this.client.updateStatus(R.nodes, undefined, next);
  }

  /** MarkPodsNotReady: the Ready condition of every pod on the node goes False. */
  private async markPodsNotReady(nodeName: string): Promise<void> {
    const at = rfc3339(this.clock.now());
    for (const pod of this.pods.byIndex(POD_NODE_INDEX, nodeName)) {
      const conds = ((pod.status ?? {}) as { conditions?: { type: string; status: string }[] }).conditions ?? [];
      const ready = conds.find((c) => c.type === 'Ready');
      if (!ready || ready.status === 'False') continue;
      const next = conds.map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: at } : c));
      try {
        await this.client.patchStatus(R.pods, pod.metadata.namespace, pod.metadata.name!, { metadata: { resourceVersion: pod.metadata.resourceVersion }, status: { conditions: next } });
      } catch (e) {
        if (e instanceof StatusError && e.code === 404) continue;
        throw e;
      }
      void this.recorder.record({ regarding: pod, type: 'Warning', reason: 'NodeNotReady', message: 'Node is not ready' }).catch(() => undefined);
    }
  }
}

export const nodeLifecycleController: ControllerDefinition = {
  name: 'node-lifecycle',
  start(ctx: ControllerContext): RunningController {
    const nodes = ctx.informers.informerFor(R.nodes);
    const leases = ctx.informers.informerFor(R.leases);
    const pods = ctx.informers.informerFor(R.pods, { indexers: { [POD_NODE_INDEX]: podNodeIndexFunc } });
    const queue = new RateLimitingQueue<string>({ name: 'node_lifecycle_controller', clock: ctx.clock });
    const recorder = ctx.events('node-controller');
    const controller = new NodeHealthController(ctx.client, ctx.clock, recorder, nodes, pods, (n, ms) => queue.addAfter(n, ms));
    nodes.addEventHandler({
      onAdd: (n) => {
        controller.observeNode(n);
        queue.add(n.metadata.name!);
      },
      onUpdate: (_o, n) => {
        controller.observeNode(n);
        queue.add(n.metadata.name!);
      },
      onDelete: (n) => {
        controller.forget(n.metadata.name!);
        void recorder.record({ regarding: n, type: 'Normal', reason: 'RemovingNode', message: `Node ${n.metadata.name} event: Removing Node ${n.metadata.name} from Controller` }).catch(() => undefined);
      },
    });
    // A renewal only moves the probe time: the node's pending check (due when its grace period
    // would run out) then finds it fresh and schedules the next one.
    const onLease = (l: KubeObject) => {
      if (l.metadata.namespace === NODE_LEASE_NAMESPACE) controller.observeLease(l);
    };
    leases.addEventHandler({ onAdd: onLease, onUpdate: (_o, l) => onLease(l) });
    return runningController(queueWorkers(queue, 2, (n) => controller.sync(n), logSyncErrors(ctx, 'node-lifecycle-controller', isConflict)));
  },
};
