/**
 * A controller under test against the real in-process API server (in-memory SQLite): the
 * controller gets a ControllerContext on its own informer factory and a FakeClock; the test
 * writes objects through an admin client and waits for the controller's writes.
 */
import { expect } from 'vitest';
import { SqliteStore } from '../../../../src-main/storage/sqlite-store';
import { createApiServer, type ApiServer } from '../../../../src-main/apiserver/server';
import { EventRecorder, FakeClock, KubeClient, R, SharedInformerFactory, type Clock } from '../../../../src-main/client';
import type { ControllerContext, ControllerDefinition, RunningController } from '../../../../src-main/controllers/controller';
import type { KubeObject } from '../../../../src-main/api/types';

export const START = Date.parse('2026-01-01T00:00:00Z');

export class Harness {
  readonly store = SqliteStore.open({ path: ':memory:', historyWindow: 0 });
  readonly clock = new FakeClock(START);
  readonly server: ApiServer;
  readonly admin: KubeClient;
  readonly controllerClient: KubeClient;
  readonly factory: SharedInformerFactory;
  readonly logs: string[] = [];
  private running: RunningController[] = [];
  /** The clock the controllers get (default: `clock`). */
  controllerClock?: Clock;

  constructor() {
    this.server = createApiServer(this.store, { now: () => new Date(this.clock.now()) });
    this.admin = new KubeClient(this.server.handler, { name: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] }, { fieldManager: 'kubectl' });
    this.controllerClient = new KubeClient(this.server.handler, { name: 'system:kube-controller-manager', groups: ['system:authenticated'] });
    this.factory = new SharedInformerFactory(this.controllerClient, { clock: this.clock });
  }

  get ctx(): ControllerContext {
    return {
      client: this.controllerClient,
      informers: this.factory,
      clock: this.controllerClock ?? this.clock,
      events: (component: string) => new EventRecorder(this.controllerClient, { component }, this.controllerClock ?? this.clock),
      log: (l: string) => this.logs.push(l),
    };
  }

  async start(...defs: ControllerDefinition[]): Promise<this> {
    for (const ns of ['default', 'kube-system', 'kube-node-lease']) {
      await this.admin.create(R.namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    }
    const ctx = this.ctx;
    this.running = defs.map((d) => d.start(ctx));
    this.factory.start();
    await this.factory.waitForCacheSync();
    for (const r of this.running) r.run();
    return this;
  }

  async stop(): Promise<void> {
    await Promise.all(this.running.map((r) => r.stop()));
    await this.factory.stop();
    this.server.close();
    this.store.close();
  }

  /** Lets the informers and workers run until `cond` holds (fails the test if it never does). */
  async until(cond: () => boolean | Promise<boolean>, what = 'condition'): Promise<void> {
    for (let i = 0; i < 2000; i++) {
      if (await cond()) return;
      await new Promise<void>((r) => setImmediate(r));
    }
    expect(await cond(), what).toBe(true);
  }

  /** Lets everything that is queued run for a while (for asserting that nothing happens). */
  async settle(rounds = 200): Promise<void> {
    for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
  }

  /** Advances the fake clock in steps, letting work run between steps. */
  async advance(ms: number, step = 1000): Promise<void> {
    for (let t = 0; t < ms; t += step) {
      this.clock.advance(Math.min(step, ms - t));
      await this.settle(20);
    }
  }

  async events(namespace = 'default'): Promise<KubeObject[]> {
    return (await this.admin.list(R.events, namespace)).items;
  }
}
