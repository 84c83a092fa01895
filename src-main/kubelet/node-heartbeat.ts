/**
 * A node's registration and heartbeat, as the kubelet does them: create the Node if missing, post
 * its status (Ready), and renew its Lease in kube-node-lease every 10 seconds.
 */
import { R, type KubeClient } from '../client';
import { ensure } from '../bootstrap/ensure';
import { nodeObject, nodeStatus, type NodeIdentity } from './node-status';

export const LEASE_DURATION_SECONDS = 40;
export const RENEW_INTERVAL_MS = 10_000;

function microTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class NodeHeartbeat {
  private timer?: NodeJS.Timeout;
  private since = rfc3339(new Date());

  constructor(private readonly client: KubeClient, readonly id: NodeIdentity) {}

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

  private async postStatus(): Promise<void> {
    const now = rfc3339(new Date());
    await this.client.patchStatus(R.nodes, undefined, this.id.name, { status: nodeStatus(this.id, now, this.since) });
  }

  async renewLease(): Promise<void> {
    const now = microTime(new Date());
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
    this.timer = setInterval(() => {
      this.renewLease().catch(onError);
    }, RENEW_INTERVAL_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
