/**
 * A node's registration and heartbeat, as the kubelet does them: create the Node if missing, post
 * its status (Ready), and renew its Lease in kube-node-lease every 10 seconds.
 */
import { R, realClock, type Clock, type KubeClient, type TimerHandle } from '../client';
import { ensure } from '../bootstrap/ensure';
import { nodeObject, nodeStatus, type NodeIdentity } from './node-status';

export const LEASE_DURATION_SECONDS = 40;
export const RENEW_INTERVAL_MS = 10_000;
/** A full status report at least this often even when nothing changed (upstream: 5 min). */
export const NODE_STATUS_REPORT_MS = 5 * 60_000;

function microTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class NodeHeartbeat {
  private timer?: TimerHandle;
  private stopped = false;
  private since: string;

  /** `extraStatus`: what the kubelet adds to the node status it posts (the images list). */
  constructor(
    private readonly client: KubeClient,
    readonly id: NodeIdentity,
    private readonly clock: Clock = realClock,
    private readonly extraStatus: () => Record<string, unknown> = () => ({}),
  ) {
    this.since = rfc3339(new Date(clock.now()));
  }

  /** True when this start registered the Node for the first time. */
  registeredNow = false;

  async register(): Promise<void> {
    this.registeredNow = await ensure(this.client, R.nodes, undefined, nodeObject(this.id));
    const node = await this.client.get(R.nodes, undefined, this.id.name);
    const status = (node.status ?? {}) as { conditions?: { type: string; lastTransitionTime?: string }[] };
    const ready = status.conditions?.find((c) => c.type === 'Ready');
    if (ready?.lastTransitionTime) this.since = ready.lastTransitionTime;
    await this.postStatus();
    await this.renewLease();
  }

  async postStatus(): Promise<void> {
    const now = rfc3339(new Date(this.clock.now()));
    await this.client.patchStatus(R.nodes, undefined, this.id.name, { status: { ...nodeStatus(this.id, now, this.since), ...this.extraStatus() } });
  }

  /**
   * What the kubelet's status loop does between full reports: post the status again when the
   * stored Ready condition is not what this node reports (the node lifecycle controller set it
   * Unknown while the node was silent), or when the last report is older than
   * NODE_STATUS_REPORT_MS (upstream's nodeStatusReportFrequency).
   */
  async syncStatus(): Promise<void> {
    const node = await this.client.tryGet(R.nodes, undefined, this.id.name);
    if (!node) return;
    const conditions = ((node.status ?? {}) as { conditions?: { type: string; status?: string; lastHeartbeatTime?: string }[] }).conditions ?? [];
    const ready = conditions.find((c) => c.type === 'Ready');
    const now = this.clock.now();
    if (ready?.status !== 'True') {
      this.since = rfc3339(new Date(now));
      await this.postStatus();
      return;
    }
    const last = ready.lastHeartbeatTime ? Date.parse(ready.lastHeartbeatTime) : NaN;
    if (!(now - last < NODE_STATUS_REPORT_MS)) await this.postStatus();
  }

  async renewLease(): Promise<void> {
    const now = microTime(new Date(this.clock.now()));
    const lease = await this.client.tryGet(R.leases, 'kube-node-lease', this.id.name);
    if (lease) {
      (lease.spec as Record<string, unknown>).renewTime = now;
      await this.client.update(R.leases, 'kube-node-lease', lease);
      return;
    }
    const node = await this.client.get(R.nodes, undefined, this.id.name);
    await ensure(this.client, R.leases, 'kube-node-lease', {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: this.id.name,
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: this.id.name, uid: node.metadata.uid ?? '' }],
      },
      spec: { holderIdentity: this.id.name, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: now },
    });
  }

  start(onError: (e: unknown) => void): void {
    this.stopped = false;
    const tick = () => {
      this.timer = this.clock.setTimeout(() => {
        if (this.stopped) return;
        this.renewLease()
          .then(() => this.syncStatus())
          .catch(onError)
          .finally(() => {
            if (!this.stopped) tick();
          });
      }, RENEW_INTERVAL_MS);
    };
    tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
