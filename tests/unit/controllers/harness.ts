/**
 * What every controller test harness shares: the real in-process API server (in-memory SQLite)
 * stamping times from a FakeClock, an admin client for the test's writes, the controller
 * manager's client and informer factory, a ControllerContext, and starting / stopping
 * ControllerDefinitions. The per-area harnesses extend it with their own waiting and reading helpers.
 */
import { SqliteStore } from '../../../src-main/storage/sqlite-store';
import { createApiServer, type ApiServer } from '../../../src-main/apiserver/server';
import { EventRecorder, FakeClock, KubeClient, R, SharedInformerFactory, type Clock } from '../../../src-main/client';
import type { ControllerContext, ControllerDefinition, RunningController } from '../../../src-main/controllers/controller';

const ADMIN = { name: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };
const KCM = { name: 'system:kube-controller-manager', groups: ['system:authenticated'] };

export interface TestbedOptions {
  /** The fake clock's start (ms since the epoch). */
  start: number;
  /** The store's watch history window (default 0). */
  historyWindow?: number;
  /** The controllers' field manager (default none). */
  controllerFieldManager?: string;
  /** Whether informer log lines go to `logs` too (default no). */
  informerLog?: boolean;
  /** The context's data folder (volume provisioning). */
  dataDir?: string;
}

export class ControllerTestbed {
  readonly clock: FakeClock;
  readonly store: SqliteStore;
  readonly server: ApiServer;
  /** The test's writes: kubernetes-admin with field manager `kubectl`. */
  readonly admin: KubeClient;
  /** Acts as system:kube-controller-manager. */
  readonly controllerClient: KubeClient;
  readonly factory: SharedInformerFactory;
  readonly logs: string[] = [];
  /** The clock the controllers get (default: `clock`). */
  controllerClock?: Clock;
  private readonly dataDir?: string;
  private running: RunningController[] = [];

  constructor(opts: TestbedOptions) {
    this.clock = new FakeClock(opts.start);
    this.store = SqliteStore.open({ path: ':memory:', historyWindow: opts.historyWindow ?? 0 });
    this.server = createApiServer(this.store, { now: () => new Date(this.clock.now()) });
    this.admin = new KubeClient(this.server.handler, ADMIN, { fieldManager: 'kubectl' });
    this.controllerClient = new KubeClient(this.server.handler, KCM, opts.controllerFieldManager ? { fieldManager: opts.controllerFieldManager } : {});
    this.factory = new SharedInformerFactory(this.controllerClient, opts.informerLog ? { clock: this.clock, log: (l) => this.logs.push(l) } : { clock: this.clock });
    this.dataDir = opts.dataDir;
  }

  get ctx(): ControllerContext {
    const clock = this.controllerClock ?? this.clock;
    return {
      client: this.controllerClient,
      informers: this.factory,
      clock,
      events: (component: string) => new EventRecorder(this.controllerClient, { component }, clock),
      log: (l: string) => this.logs.push(l),
      dataDir: this.dataDir,
    };
  }

  /** Creates the namespaces that do not exist yet. */
  async ensureNamespaces(...names: string[]): Promise<void> {
    for (const name of names) {
      if (!(await this.admin.tryGet(R.namespaces, undefined, name))) await this.admin.create(R.namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    }
  }

  /** Starts the controllers as the controller manager does: handlers, informers, cache sync, workers. */
  async startControllers(defs: ControllerDefinition[]): Promise<void> {
    const ctx = this.ctx;
    this.running = defs.map((d) => d.start(ctx));
    this.factory.start();
    await this.factory.waitForCacheSync();
    for (const r of this.running) r.run();
  }

  async stop(): Promise<void> {
    await Promise.all(this.running.map((r) => r.stop()));
    await this.factory.stop();
    this.server.close();
    this.store.close();
  }
}
