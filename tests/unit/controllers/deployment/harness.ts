/**
 * Controllers against the in-process API server (in-memory SQLite) on a FakeClock: start some
 * ControllerDefinitions, write objects as a user would, let everything settle, read objects and
 * events back. Pods have no kubelet here: tests mark them Running/Ready through pods/status.
 */
import type { KubeObject } from '../../../../src-main/api/types';
import { R, type KubeClient, type ResourceRef } from '../../../../src-main/client';
import type { ControllerDefinition } from '../../../../src-main/controllers/controller';
import { ControllerTestbed } from '../harness';

export const T0 = Date.parse('2026-03-01T10:00:00Z');

export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class Cluster extends ControllerTestbed {
  constructor() {
    super({ start: T0, historyWindow: 200, controllerFieldManager: 'kube-controller-manager', informerLog: true });
  }

  /** The controller manager's client. */
  get kcm(): KubeClient {
    return this.controllerClient;
  }

  async start(defs: ControllerDefinition[]): Promise<this> {
    await this.ensureNamespaces('default');
    await this.startControllers(defs);
    return this;
  }

  /** Waits until no write happened for a while (controllers are idle). */
  async settle(): Promise<void> {
    let last = -1;
    let quiet = 0;
    for (let i = 0; i < 20000 && quiet < 30; i++) {
      await new Promise<void>((r) => setImmediate(r));
      const rev = this.store.currentRevision();
      quiet = rev === last ? quiet + 1 : 0;
      last = rev;
    }
  }

  /** Moves the fake clock (firing queue delays) and settles. */
  async advance(ms: number): Promise<void> {
    this.clock.advance(ms);
    await this.settle();
  }

  async list(ref: ResourceRef, selector?: string): Promise<KubeObject[]> {
    const l = await this.admin.list(ref, 'default', { labelSelector: selector });
    return l.items.sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  }

  async get(ref: ResourceRef, name: string): Promise<KubeObject> {
    return this.admin.get(ref, 'default', name);
  }

  /** Events in `default` as `Kind/name Reason: message`, in creation order. */
  async events(kind?: string): Promise<string[]> {
    const l = await this.admin.list(R.events, 'default');
    return l.items
      .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '', 'en'))
      .map((e) => e as unknown as { involvedObject: { kind: string; name: string }; reason: string; message: string })
      .filter((e) => !kind || e.involvedObject.kind === kind)
      .map((e) => `${e.involvedObject.kind}/${e.involvedObject.name} ${e.reason}: ${e.message}`);
  }

  /** What a kubelet would write: the pod bound to `node`, Running, Ready since now. */
  async markReady(pod: KubeObject, node = 'worker'): Promise<void> {
    const name = pod.metadata.name ?? '';
    const now = rfc3339(this.clock.now());
    if (!(pod.spec as { nodeName?: string }).nodeName) {
      await this.admin.createSubresource(R.pods, 'default', name, 'binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { apiVersion: 'v1', kind: 'Node', name: node } });
    }
    await this.admin.patchStatus(R.pods, 'default', name, {
      status: {
        phase: 'Running',
        conditions: [
          { type: 'Ready', status: 'True', lastTransitionTime: now },
          { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
        ],
      },
    });
  }

  /** Marks every not-yet-ready pod matching the selector ready; returns how many. */
  async readyAll(selector?: string): Promise<number> {
    let n = 0;
    for (const p of await this.list(R.pods, selector)) {
      if (p.metadata.deletionTimestamp) continue;
      const ready = ((p.status as { conditions?: { type: string; status: string }[] })?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
      if (ready) continue;
      await this.markReady(p);
      n++;
    }
    await this.settle();
    return n;
  }

  /** Deletes pods that are terminating (no kubelet here to finish the graceful deletion). */
  async reapTerminating(): Promise<void> {
    for (const p of await this.list(R.pods)) {
      if (p.metadata.deletionTimestamp) await this.admin.deleteIfExists(R.pods, 'default', p.metadata.name ?? '', { gracePeriodSeconds: 0 });
    }
    await this.settle();
  }
}

/** Short views for golden comparisons. */
export function names(objs: KubeObject[]): string[] {
  return objs.map((o) => o.metadata.name ?? '');
}

export function statusOf(o: KubeObject): Record<string, unknown> {
  return (o.status ?? {}) as Record<string, unknown>;
}
