/**
 * A node's registration and heartbeat, as the kubelet does them: create the Node if missing, post
 * its status (Ready), and renew its Lease in kube-node-lease every 10 seconds.
 */
import type { ApiCall } from '../bootstrap/api-call';
import { ensure } from '../bootstrap/api-call';
import type { KubeObject } from '../api/types';
import { StatusError } from '../api/errors';
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

  constructor(private readonly call: ApiCall, readonly id: NodeIdentity) {}

  async register(): Promise<void> {
    await ensure(this.call, '/api/v1/nodes', nodeObject(this.id));
    const node = await this.call('GET', `/api/v1/nodes/${this.id.name}`);
    const status = (node.status ?? {}) as { conditions?: { type: string; lastTransitionTime?: string }[] };
    const ready = status.conditions?.find((c) => c.type === 'Ready');
    if (ready?.lastTransitionTime) this.since = ready.lastTransitionTime;
    await this.postStatus();
    await this.renewLease();
  }

  private async postStatus(): Promise<void> {
    const now = rfc3339(new Date());
    await this.call('PATCH', `/api/v1/nodes/${this.id.name}/status`, { status: nodeStatus(this.id, now, this.since) }, 'application/merge-patch+json');
  }

  async renewLease(): Promise<void> {
    const path = `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${this.id.name}`;
    const now = microTime(new Date());
    try {
      const lease = await this.call('GET', path);
      (lease.spec as Record<string, unknown>).renewTime = now;
      await this.call('PUT', path, lease as object);
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 404)) throw e;
      const node = await this.call<KubeObject>('GET', `/api/v1/nodes/${this.id.name}`);
      await ensure(this.call, '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: {
          name: this.id.name,
          ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: this.id.name, uid: node.metadata.uid }],
        },
        spec: { holderIdentity: this.id.name, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: now },
      });
    }
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
