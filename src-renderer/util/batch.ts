/**
 * Coalesces bursts (watch events) into one flush per animation frame: 100 events a second become
 * at most one re-render a frame. When frames do not come (a hidden window), a timer flushes.
 */

export type Schedule = (run: () => void) => () => void;

/** Animation frames where there are any (browsers; not Node, where the unit tests run). */
const frames = globalThis as unknown as { requestAnimationFrame?: (cb: () => void) => number; cancelAnimationFrame?: (id: number) => void };

/** requestAnimationFrame, or a timer after `fallbackMs` if no frame comes first. */
export const frameSchedule =
  (fallbackMs = 250): Schedule =>
  (run) => {
    let done = false;
    const once = (): void => {
      if (done) return;
      done = true;
      if (raf !== undefined) frames.cancelAnimationFrame?.(raf);
      clearTimeout(timer);
      run();
    };
    const raf = frames.requestAnimationFrame?.(once);
    const timer = setTimeout(once, fallbackMs);
    return () => {
      done = true;
      if (raf !== undefined) frames.cancelAnimationFrame?.(raf);
      clearTimeout(timer);
    };
  };

export interface Batcher<T> {
  push(item: T): void;
  /** Delivers what is queued now (e.g. before a relist replaces everything). */
  flush(): void;
  /** Drops what is queued and any scheduled flush. */
  cancel(): void;
  readonly pending: number;
}

export function createBatcher<T>(deliver: (batch: T[]) => void, schedule: Schedule = frameSchedule()): Batcher<T> {
  let queue: T[] = [];
  let cancelScheduled: (() => void) | undefined;
  const flush = (): void => {
    cancelScheduled?.();
    cancelScheduled = undefined;
    if (!queue.length) return;
    const batch = queue;
    queue = [];
    deliver(batch);
  };
  return {
    push(item) {
      queue.push(item);
      cancelScheduled ??= schedule(flush);
    },
    flush,
    cancel() {
      cancelScheduled?.();
      cancelScheduled = undefined;
      queue = [];
    },
    get pending() {
      return queue.length;
    },
  };
}
