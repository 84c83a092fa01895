/** Shared fixtures for the scheduler tests: pods, nodes and an in-process cluster with the scheduler. */
import type { KubeObject } from '../../../src-main/api/types';
import { SqliteStore } from '../../../src-main/storage/sqlite-store';
import { createApiServer, type ApiServer } from '../../../src-main/apiserver/server';
import { FakeClock, KubeClient, R } from '../../../src-main/client';
import { nodeObject, nodeStatus } from '../../../src-main/kubelet/node-status';
import { startScheduler, type RunningScheduler } from '../../../src-main/scheduler';
import { newNodeInfo, addPodToNode, type NodeInfo } from '../../../src-main/scheduler/node-info';
import { newPodInfo } from '../../../src-main/scheduler/pod-info';

export const ADMIN = { name: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };

export function pod(name: string, spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, creationTimestamp: '2026-01-01T00:00:00Z', ...meta },
    spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec },
  };
}

export function withRequests(cpu?: string, memory?: string): Record<string, unknown> {
  const requests: Record<string, string> = {};
  if (cpu) requests.cpu = cpu;
  if (memory) requests.memory = memory;
  return { containers: [{ name: 'c', image: 'nginx', resources: { requests } }] };
}

/** A kind-like node object with status (index 0 is the tainted control plane). */
export function node(name: string, index: number, opts: { labels?: Record<string, string>; taints?: unknown[]; unschedulable?: boolean; allocatable?: Record<string, string> } = {}): KubeObject {
  const n = nodeObject({ name, index, controlPlane: index === 0 });
  n.metadata.labels = { ...n.metadata.labels, ...(opts.labels ?? {}) };
  const spec = n.spec as Record<string, unknown>;
  if (opts.taints) spec.taints = opts.taints;
  if (opts.unschedulable) spec.unschedulable = true;
  n.status = nodeStatus({ name, index, controlPlane: index === 0 }, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
  if (opts.allocatable) (n.status as Record<string, unknown>).allocatable = { ...((n.status as Record<string, unknown>).allocatable as object), ...opts.allocatable };
  return n;
}

export function nodeInfo(n: KubeObject, pods: KubeObject[] = []): NodeInfo {
  const ni = newNodeInfo(n.metadata.name ?? '', n);
  for (const p of pods) addPodToNode(ni, { ...newPodInfo(p), nodeName: ni.name });
  return ni;
}

/** An API server over in-memory SQLite, nodes created through the API, and the scheduler running. */
export class SchedulerCluster {
  store = SqliteStore.open({ path: ':memory:', historyWindow: 0 });
  server: ApiServer = createApiServer(this.store);
  client = new KubeClient(this.server.handler, ADMIN, { fieldManager: 'test' });
  clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
  running?: RunningScheduler;

  async start(nodes: KubeObject[]): Promise<this> {
    await this.client.create(R.namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    for (const n of nodes) await this.addNode(n);
    this.running = await startScheduler({ handler: this.server.handler, clock: this.clock, volumeBindTimeoutMs: 5000 });
    return this;
  }

  async addNode(n: KubeObject): Promise<void> {
    const created = await this.client.create(R.nodes, undefined, { ...n, status: undefined });
    await this.client.updateStatus(R.nodes, undefined, { ...created, status: n.status });
  }

  async createPod(p: KubeObject): Promise<KubeObject> {
    const body = structuredClone(p);
    delete body.metadata.uid;
    delete body.metadata.creationTimestamp;
    return this.client.create(R.pods, 'default', body);
  }

  async getPod(name: string): Promise<KubeObject> {
    return this.client.get(R.pods, 'default', name);
  }

  async events(name: string): Promise<KubeObject[]> {
    const list = await this.client.list(R.events, 'default', { fieldSelector: `involvedObject.name=${name}` });
    return list.items;
  }

  /** Waits (real event-loop turns, no clock time) until cond holds. */
  async until(cond: () => Promise<boolean> | boolean, turns = 2000): Promise<void> {
    for (let i = 0; i < turns; i++) {
      if (await cond()) return;
      await new Promise<void>((r) => setImmediate(r));
    }
    throw new Error('condition not reached');
  }

  async stop(): Promise<void> {
    await this.running?.stop();
    this.server.close();
    this.store.close();
  }
}

export const CP = 'kubesim-control-plane';
export const W1 = 'kubesim-worker';
export const W2 = 'kubesim-worker2';
export function kindNodes(): KubeObject[] {
  return [node(CP, 0), node(W1, 1), node(W2, 2)];
}
