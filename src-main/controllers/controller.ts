/**
 * What every controller of the controller manager gets and gives. A controller file exports one
 * `ControllerDefinition`; `all.ts` lists them; `system.ts` starts them on one shared informer
 * factory: every `start` registers its informers and handlers, then the factory starts, caches
 * sync, and each controller's `run` starts its workers.
 */
import type { Clock, EventRecorder, KubeClient, SharedInformerFactory } from '../client';

export interface ControllerContext {
  /** Acts as system:kube-controller-manager. */
  client: KubeClient;
  informers: SharedInformerFactory;
  /** The cluster clock: use it for every timestamp and delay (tests pass a FakeClock). */
  clock: Clock;
  /** An event recorder with source component `component` (e.g. `deployment-controller`). */
  events(component: string): EventRecorder;
  log(line: string): void;
  /** The cluster's data folder (volume provisioning); undefined in unit tests that don't need it. */
  dataDir?: string;
}

export interface RunningController {
  /** Called once caches have synced: start the workers. */
  run(): void;
  /** Shut down queues and wait for workers to finish. */
  stop(): Promise<void>;
}

export interface ControllerDefinition {
  /** The upstream controller name, e.g. `deployment`, `replicaset`, `garbage-collector`. */
  name: string;
  start(ctx: ControllerContext): RunningController;
}
