/**
 * The "queue → workers → stop" wiring every controller repeats: a `RunningController` whose `run`
 * starts the workers once caches have synced and whose `stop` shuts the queues down and waits for
 * the workers to finish, plus the workers' standard error log line.
 */
import { StatusError } from '../api/errors';
import { runWorkers, type RateLimitingQueue } from '../client';
import type { ControllerContext, ControllerDefinition, RunningController } from './controller';

/** A controller's worker side: `run` starts workers (resolving when they exit), `stop` shuts its queues. */
export interface Workers {
  run(): Promise<void>;
  stop(): void;
}

/** The `RunningController` for `w`: stop shuts the queues down, then waits for the workers. */
export function runningController(w: Workers): RunningController {
  let workers: Promise<void> | undefined;
  return {
    run: () => {
      workers = w.run();
    },
    stop: async () => {
      w.stop();
      await workers;
    },
  };
}

/** A `ControllerDefinition` whose `start` builds the controller (registering its informer handlers) and returns its workers. */
export function defineController(name: string, create: (ctx: ControllerContext) => Workers): ControllerDefinition {
  return { name, start: (ctx) => runningController(create(ctx)) };
}

/** `n` workers reconciling the keys of `queue`; several queues' workers run and stop together. */
export function queueWorkers<T>(queue: RateLimitingQueue<T>, n: number, reconcile: (item: T) => Promise<void> | void, onError?: (item: unknown, err: unknown) => void): Workers {
  return { run: () => runWorkers(queue, n, reconcile, { onError }), stop: () => queue.shutDown() };
}

/** Workers of several queues as one. */
export function allWorkers(...ws: Workers[]): Workers {
  return {
    run: () => Promise.all(ws.map((w) => w.run())).then(() => undefined),
    stop: () => {
      for (const w of ws) w.stop();
    },
  };
}

/** A write that lost a race (409): the retry reads the newer object, nothing worth logging. */
export function isConflict(err: unknown): boolean {
  return err instanceof StatusError && err.code === 409;
}

/** Also a 404: the object went away meanwhile; its delete event settles it. */
export function isConflictOrGone(err: unknown): boolean {
  return err instanceof StatusError && (err.code === 409 || err.code === 404);
}

/** The workers' error handler: logs `<prefix>: <key>: <message>` unless `quiet(err)`. */
export function logSyncErrors(ctx: Pick<ControllerContext, 'log'>, prefix: string, quiet: (err: unknown) => boolean = () => false): (item: unknown, err: unknown) => void {
  return (item, err) => {
    if (!quiet(err)) ctx.log(`${prefix}: ${String(item)}: ${err instanceof Error ? err.message : String(err)}`);
  };
}
