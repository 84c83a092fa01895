/**
 * A kubelet against the in-process API server (in-memory SQLite) on a FakeClock, with the test
 * runtime: create pods bound to the node, let things settle, move time, read pods, events, log
 * files and the pods/log subresource back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../../src-main/storage/sqlite-store';
import { createApiServer, type ApiServer } from '../../../src-main/apiserver/server';
import { NodeConnectionRegistry } from '../../../src-main/apiserver/node-connections';
import type { KubeObject } from '../../../src-main/api/types';
import { FakeClock, KubeClient, R } from '../../../src-main/client';
import { Kubelet } from '../../../src-main/kubelet/kubelet';
import { TestRuntime } from './test-runtime';
import type { ContainerRuntime } from '../../../src-main/runtime/types';
import { HostFs, createEmptyDir } from '../../../src-main/runtime';
import { createClusterNetwork } from '../../../src-main/network';

const ADMIN = { name: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };
const NODE = { name: 'system:node:kubesim-worker', groups: ['system:nodes', 'system:authenticated'] };
export const T0 = Date.parse('2026-03-01T10:00:00Z');
export const NODE_NAME = 'kubesim-worker';

export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface ContainerInput {
  name: string;
  image?: string;
  command?: string[];
  [k: string]: unknown;
}

export class Node {
  readonly clock = new FakeClock(T0);
  readonly store = SqliteStore.open({ path: ':memory:', historyWindow: 200 });
  readonly server: ApiServer = createApiServer(this.store, { now: () => new Date(this.clock.now()) });
  readonly admin = new KubeClient(this.server.handler, ADMIN, { fieldManager: 'kubectl' });
  readonly nodeClient = new KubeClient(this.server.handler, NODE, { userAgent: 'kubelet/v1.32.0 (linux/amd64) kubernetes/kubesim' });
  readonly runtime = new TestRuntime();
  readonly dataDir = mkdtempSync(join(tmpdir(), 'kubelet-test-'));
  readonly logs: string[] = [];
  readonly connections = new NodeConnectionRegistry();
  /** A real cluster network: pods get namespaces, probes connect over sockets. */
  readonly network = createClusterNetwork();
  kubelet!: Kubelet;

  /** `runtime`: another runtime for the kubelet (e.g. the real one) instead of the TestRuntime. */
  constructor(
    private readonly fast = true,
    private readonly opts: { runtime?: ContainerRuntime } = {},
  ) {}

  async start(): Promise<this> {
    for (const name of ['default', 'kube-node-lease']) await this.admin.create(R.namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    // What the root CA publisher puts in every namespace (the service account volume projects it).
    await this.admin.create(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt' }, data: { 'ca.crt': '-----BEGIN CERTIFICATE-----\n' } });
    this.kubelet = new Kubelet({ client: this.nodeClient, node: { name: NODE_NAME, index: 1, controlPlane: false }, runtime: this.opts.runtime ?? this.runtime, clock: this.clock, dataDir: this.dataDir, fast: this.fast, log: (l) => this.logs.push(l), volumeFactory: { emptyDir: () => createEmptyDir(() => this.clock.now()), nodeRoot: (n) => new HostFs(join(this.dataDir, 'nodes', n, 'hostpath'), () => this.clock.now()) }, network: this.network });
    this.connections.register(NODE_NAME, this.kubelet);
    this.server.ctx.nodes = this.connections;
    await this.kubelet.start();
    await this.settle();
    return this;
  }

  async stop(): Promise<void> {
    await this.kubelet.stop();
    this.server.close();
    this.store.close();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** Waits until nothing was written for a while and no status flush is pending. */
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

  /** Moves the fake clock in steps (timers set by timers fire in order) and settles after each. */
  async advance(ms: number, step = 1000): Promise<void> {
    let left = ms;
    while (left > 0) {
      const d = Math.min(step, left);
      this.clock.advance(d);
      left -= d;
      await this.settle();
    }
  }

  async createPod(name: string, containers: ContainerInput[], spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): Promise<KubeObject> {
    const pod = await this.admin.create(R.pods, 'default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, ...meta },
      spec: { nodeName: NODE_NAME, containers: containers.map((c) => ({ image: 'busybox:1.36', ...c })), ...spec },
    });
    await this.settle();
    return pod;
  }

  async pod(name: string): Promise<KubeObject> {
    return this.admin.get(R.pods, 'default', name);
  }

  async status(name: string): Promise<Record<string, any>> {
    return (await this.pod(name)).status as Record<string, any>;
  }

  async tryPod(name: string): Promise<KubeObject | undefined> {
    return this.admin.tryGet(R.pods, 'default', name);
  }

  /** Events about a pod as `Reason: message`, in creation order (repeats counted as `(xN)`). */
  async events(pod?: string): Promise<string[]> {
    await this.settle();
    const l = await this.admin.list(R.events, 'default');
    return l.items
      .filter((e: any) => !pod || e.involvedObject?.name === pod)
      .sort((a, b) => ((a as any).firstTimestamp ?? '').localeCompare((b as any).firstTimestamp ?? '') || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))
      .map((e: any) => `${e.reason}: ${e.message}${e.count > 1 ? ` (x${e.count})` : ''}`);
  }

  /** GET pods/<name>/log with the query; resolves the whole body (or the Status on failure). */
  async podLog(name: string, query: Record<string, string> = {}): Promise<{ status: number; text: string; body?: any }> {
    const res = await this.admin.raw({ method: 'GET', path: `/api/v1/namespaces/default/pods/${name}/log`, query: new URLSearchParams(query) });
    if (res.type === 'stream') {
      const text = await new Promise<string>((resolve) => {
        let t = '';
        res.stream.onData((c) => (t += c));
        res.stream.onEnd(() => resolve(t));
      });
      return { status: 200, text };
    }
    if (res.type === 'raw') return { status: res.status, text: String(res.body) };
    if (res.type === 'object') return { status: res.status, text: '', body: res.body };
    throw new Error('unexpected watch');
  }
}
