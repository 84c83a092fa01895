/**
 * A controller under test against the real API handler (in-memory store) on a FakeClock: the
 * server stamps times from the same clock, informers and queues run on it, and `settle()` lets
 * the in-flight async work finish.
 */
import { SqliteStore } from '../../../../src-main/storage/sqlite-store';
import { createApiServer, type ApiServer } from '../../../../src-main/apiserver/server';
import type { KubeObject } from '../../../../src-main/api/types';
import { EventRecorder, FakeClock, KubeClient, R, SharedInformerFactory } from '../../../../src-main/client';
import type { ControllerDefinition, RunningController } from '../../../../src-main/controllers/controller';

export const T0 = Date.parse('2026-03-01T10:00:00Z');
const ADMIN = { name: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };

export class TestCluster {
  readonly clock: FakeClock;
  readonly store = SqliteStore.open({ path: ':memory:', historyWindow: 0 });
  readonly server: ApiServer;
  readonly client: KubeClient;
  readonly logs: string[] = [];
  private factory?: SharedInformerFactory;
  private running: RunningController[] = [];

  constructor(start = T0) {
    this.clock = new FakeClock(start);
    this.server = createApiServer(this.store, { now: () => new Date(this.clock.now()) });
    this.client = new KubeClient(this.server.handler, ADMIN, { fieldManager: 'kubectl' });
  }

  /** Creates the `default` namespace (start() does it too): objects can be made before controllers run. */
  async prepare(): Promise<this> {
    if (!(await this.client.tryGet(R.namespaces, undefined, 'default'))) {
      await this.client.create(R.namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    }
    return this;
  }

  async start(...defs: ControllerDefinition[]): Promise<this> {
    await this.prepare();
    const cm = this.client.as({ name: 'system:kube-controller-manager', groups: ['system:authenticated'] });
    this.factory = new SharedInformerFactory(cm, { clock: this.clock, log: (l) => this.logs.push(l) });
    const ctx = {
      client: cm,
      informers: this.factory,
      clock: this.clock,
      events: (component: string) => new EventRecorder(cm, { component }, this.clock),
      log: (l: string) => this.logs.push(l),
    };
    this.running = defs.map((d) => d.start(ctx));
    this.factory.start();
    await this.factory.waitForCacheSync();
    for (const r of this.running) r.run();
    await this.settle();
    return this;
  }

  /** Lets pending promises, watch deliveries and due work run (no clock movement). */
  async settle(rounds = 60): Promise<void> {
    for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
  }

  /** Moves the clock forward in steps, settling after each. */
  async advance(ms: number, step = 1000): Promise<void> {
    let left = ms;
    while (left > 0) {
      const d = Math.min(step, left);
      this.clock.advance(d);
      left -= d;
      await this.settle();
    }
  }

  async list(ref: typeof R.pods, ns = 'default'): Promise<KubeObject[]> {
    return (await this.client.list(ref, ns)).items;
  }

  /** Events as `Type Reason Message[ (xN)]` lines, oldest first, optionally for one object name. */
  async events(name?: string): Promise<string[]> {
    const evs = (await this.client.list(R.events, 'default')).items as (KubeObject & { involvedObject: { name: string }; type: string; reason: string; message: string; count?: number })[];
    return evs
      .filter((e) => name === undefined || e.involvedObject.name === name)
      .sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1))
      .map((e) => `${e.type} ${e.reason} ${e.message}${(e.count ?? 1) > 1 ? ` (x${e.count})` : ''}`);
  }

  async stop(): Promise<void> {
    for (const r of this.running) await r.stop();
    await this.factory?.stop();
    this.server.close();
    this.store.close();
  }
}
