/**
 * Work queues with client-go's semantics (k8s.io/client-go/util/workqueue):
 *
 * - an item queued twice before it is picked up is handed out once (the dirty set);
 * - an item being processed is never handed out again until `done(item)`; if it was added while
 *   processing it is queued again at `done` (the processing set);
 * - `addAfter` delays an add (the earliest of several pending delays wins);
 * - `addRateLimited` delays by the rate limiter's verdict; `forget` clears an item's failures.
 *
 * Items are compared by identity (use string keys such as `namespace/name`). Time comes from an
 * injectable `Clock`, so tests drive delays with `FakeClock`.
 */
import { realClock, type Clock, type TimerHandle } from './clock';

// ---------------------------------------------------------------------------------------------
// Rate limiters

export interface RateLimiter<T> {
  /** How long to wait before the item may be processed again (records a failure). */
  when(item: T): number;
  /** Stops tracking the item (its failures start from zero again). */
  forget(item: T): void;
  /** How many times the item has been rate limited since the last forget. */
  numRequeues(item: T): number;
}

/** Per-item exponential back-off: base·2^failures, capped at max (client-go: 5 ms → 1000 s). */
export class ItemExponentialFailureRateLimiter<T> implements RateLimiter<T> {
  private readonly failures = new Map<T, number>();
  constructor(
    private readonly baseDelayMs = 5,
    private readonly maxDelayMs = 1000_000,
  ) {}
  when(item: T): number {
    const exp = this.failures.get(item) ?? 0;
    this.failures.set(item, exp + 1);
    const backoff = this.baseDelayMs * Math.pow(2, exp);
    return !Number.isFinite(backoff) || backoff > this.maxDelayMs ? this.maxDelayMs : backoff;
  }
  forget(item: T): void {
    this.failures.delete(item);
  }
  numRequeues(item: T): number {
    return this.failures.get(item) ?? 0;
  }
}

/** Fast delay for the first `maxFastAttempts` failures, then the slow one. */
export class ItemFastSlowRateLimiter<T> implements RateLimiter<T> {
  private readonly failures = new Map<T, number>();
  constructor(
    private readonly fastDelayMs: number,
    private readonly slowDelayMs: number,
    private readonly maxFastAttempts: number,
  ) {}
  when(item: T): number {
    const n = (this.failures.get(item) ?? 0) + 1;
    this.failures.set(item, n);
    return n <= this.maxFastAttempts ? this.fastDelayMs : this.slowDelayMs;
  }
  forget(item: T): void {
    this.failures.delete(item);
  }
  numRequeues(item: T): number {
    return this.failures.get(item) ?? 0;
  }
}

/**
 * An overall token bucket (golang.org/x/time/rate reservations): `burst` tokens, refilled at
 * `qps` per second; each `when` takes a token, and waits for the time until it would exist.
 */
export class BucketRateLimiter<T> implements RateLimiter<T> {
  private tokens: number;
  private last: number;
  constructor(
    private readonly qps: number,
    private readonly burst: number,
    private readonly clock: Clock = realClock,
  ) {
    this.tokens = burst;
    this.last = clock.now();
  }
  when(_item: T): number {
    const now = this.clock.now();
    if (now > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
      this.last = now;
    }
    this.tokens -= 1;
    if (this.tokens >= 0) return 0;
    return (-this.tokens / this.qps) * 1000;
  }
  forget(_item: T): void {}
  numRequeues(_item: T): number {
    return 0;
  }
}

/** The largest delay of several limiters (and the largest requeue count). */
export class MaxOfRateLimiter<T> implements RateLimiter<T> {
  private readonly limiters: RateLimiter<T>[];
  constructor(...limiters: RateLimiter<T>[]) {
    this.limiters = limiters;
  }
  when(item: T): number {
    let max = 0;
    for (const l of this.limiters) max = Math.max(max, l.when(item));
    return max;
  }
  forget(item: T): void {
    for (const l of this.limiters) l.forget(item);
  }
  numRequeues(item: T): number {
    let max = 0;
    for (const l of this.limiters) max = Math.max(max, l.numRequeues(item));
    return max;
  }
}

/** client-go's DefaultControllerRateLimiter: per-item 5 ms→1000 s, overall 10 qps with burst 100. */
export function defaultControllerRateLimiter<T>(clock: Clock = realClock): RateLimiter<T> {
  return new MaxOfRateLimiter<T>(new ItemExponentialFailureRateLimiter<T>(5, 1000_000), new BucketRateLimiter<T>(10, 100, clock));
}

// ---------------------------------------------------------------------------------------------
// Queues

export interface GetResult<T> {
  item: T | undefined;
  /** True when the queue is shut down and empty: the worker should exit. */
  shutdown: boolean;
}

export interface QueueOptions<T> {
  /** A name for logs and errors. */
  name?: string;
  clock?: Clock;
  /** Defaults to `defaultControllerRateLimiter(clock)`. */
  rateLimiter?: RateLimiter<T>;
  /**
   * Wake waiting workers on the next turn of the event loop instead of inside `add`, so every add
   * made in one turn (a burst of watch events, several pods' status writes) is handed out once: one
   * sync for many changes, as a busy client-go worker sees it. For controllers that fan in many
   * objects' changes to one key (ReplicaSet, Deployment). Default false.
   */
  coalesce?: boolean;
}

/** The basic FIFO with the dirty/processing sets. */
export class WorkQueue<T = string> {
  readonly name: string;
  private queue: T[] = [];
  private readonly dirty = new Set<T>();
  private readonly processing = new Set<T>();
  private waiters: ((r: GetResult<T>) => void)[] = [];
  private drainWaiters: (() => void)[] = [];
  private shutting = false;
  private draining = false;
  private handOutScheduled = false;
  private readonly coalesce: boolean;

  constructor(opts: { name?: string; coalesce?: boolean } = {}) {
    this.name = opts.name ?? '';
    this.coalesce = opts.coalesce ?? false;
  }

  /** Queues the item unless it is already queued; if it is being processed, it is queued at `done`. */
  add(item: T): void {
    if (this.shutting) return;
    if (this.dirty.has(item)) return;
    this.dirty.add(item);
    if (this.processing.has(item)) return;
    this.queue.push(item);
    this.scheduleHandOut();
  }

  /** Items waiting (not counting the ones being processed). */
  len(): number {
    return this.queue.length;
  }

  /**
   * The next item, waiting until there is one. After `shutDown` the queued items are still handed
   * out; once empty, resolves `{ shutdown: true }`.
   */
  get(): Promise<GetResult<T>> {
    if (this.queue.length > 0) return Promise.resolve({ item: this.take(), shutdown: false });
    if (this.shutting) return Promise.resolve({ item: undefined, shutdown: true });
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The next item if one is queued now, without waiting. */
  tryGet(): T | undefined {
    return this.queue.length > 0 ? this.take() : undefined;
  }

  /** Marks the item processed; if it was added meanwhile, it is queued again. */
  done(item: T): void {
    this.processing.delete(item);
    if (this.dirty.has(item)) {
      this.queue.push(item);
      this.scheduleHandOut();
    }
    if (this.processing.size === 0 && this.draining) {
      const ws = this.drainWaiters.splice(0);
      for (const w of ws) w();
    }
  }

  /** Stops accepting items; waiting getters resolve `{ shutdown: true }` once the queue is empty. */
  shutDown(): void {
    this.shutting = true;
    this.onShutDown();
    if (this.queue.length === 0) {
      const ws = this.waiters.splice(0);
      for (const w of ws) w({ item: undefined, shutdown: true });
    }
  }

  /** `shutDown`, then waits until every item handed out has been marked `done`. */
  async shutDownWithDrain(): Promise<void> {
    this.draining = true;
    this.shutDown();
    if (this.processing.size === 0) return;
    await new Promise<void>((r) => this.drainWaiters.push(r));
  }

  shuttingDown(): boolean {
    return this.shutting;
  }

  /** Whether the item is queued or being processed (for tests and metrics). */
  isProcessing(item: T): boolean {
    return this.processing.has(item);
  }

  protected onShutDown(): void {}

  private take(): T {
    const item = this.queue.shift()!;
    this.processing.add(item);
    this.dirty.delete(item);
    return item;
  }

  /** Wakes waiting workers now, or on the next turn of the event loop when coalescing. */
  private scheduleHandOut(): void {
    if (!this.coalesce) {
      this.handOut();
      return;
    }
    if (this.handOutScheduled || this.waiters.length === 0) return;
    this.handOutScheduled = true;
    setImmediate(() => {
      this.handOutScheduled = false;
      this.handOut();
    });
  }

  private handOut(): void {
    while (this.waiters.length > 0 && this.queue.length > 0) {
      const w = this.waiters.shift()!;
      w({ item: this.take(), shutdown: false });
    }
    if (this.shutting && this.queue.length === 0) {
      const ws = this.waiters.splice(0);
      for (const w of ws) w({ item: undefined, shutdown: true });
    }
  }
}

/** A WorkQueue with `addAfter`: delayed adds fire from the clock. */
export class DelayingQueue<T = string> extends WorkQueue<T> {
  protected readonly clock: Clock;
  private readonly waiting = new Map<T, number>();
  private timer: TimerHandle | undefined;
  private timerAt = Infinity;

  constructor(opts: { name?: string; clock?: Clock; coalesce?: boolean } = {}) {
    super(opts);
    this.clock = opts.clock ?? realClock;
  }

  /** Adds the item after `delayMs` (now if ≤ 0). An earlier pending time for the same item wins. */
  addAfter(item: T, delayMs: number): void {
    if (this.shuttingDown()) return;
    if (!(delayMs > 0)) {
      this.add(item);
      return;
    }
    const readyAt = this.clock.now() + delayMs;
    const cur = this.waiting.get(item);
    if (cur !== undefined && cur <= readyAt) return;
    this.waiting.set(item, readyAt);
    this.schedule();
  }

  /** Items waiting for their delay. */
  waitingLen(): number {
    return this.waiting.size;
  }

  protected override onShutDown(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    this.waiting.clear();
  }

  private schedule(): void {
    let next = Infinity;
    for (const at of this.waiting.values()) next = Math.min(next, at);
    if (next === this.timerAt) return;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = next;
    if (next === Infinity) return;
    this.timer = this.clock.setTimeout(() => this.fire(), Math.max(0, next - this.clock.now()));
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.clock.now();
    const due = [...this.waiting.entries()].filter(([, at]) => at <= now).sort((a, b) => a[1] - b[1]);
    for (const [item] of due) {
      this.waiting.delete(item);
      this.add(item);
    }
    this.schedule();
  }
}

/** A DelayingQueue with a rate limiter: what controllers use. */
export class RateLimitingQueue<T = string> extends DelayingQueue<T> {
  readonly rateLimiter: RateLimiter<T>;

  constructor(opts: QueueOptions<T> = {}) {
    super(opts);
    this.rateLimiter = opts.rateLimiter ?? defaultControllerRateLimiter<T>(this.clock);
  }

  /** Adds the item after the rate limiter's delay (counting a failure for it). */
  addRateLimited(item: T): void {
    this.addAfter(item, this.rateLimiter.when(item));
  }

  /** Clears the item's failure history (call after a successful reconcile). */
  forget(item: T): void {
    this.rateLimiter.forget(item);
  }

  numRequeues(item: T): number {
    return this.rateLimiter.numRequeues(item);
  }
}

export interface WorkerOptions {
  /** Requeue limit: after this many failures the item is dropped (forgotten). Default: unlimited. */
  maxRetries?: number;
  /** Failure reporting (defaults to nothing). */
  onError?: (item: unknown, err: unknown, requeues: number) => void;
}

/**
 * The standard controller loop: take a key, reconcile it, `forget` on success, `addRateLimited`
 * on failure, `done` always. Resolves when the queue is shut down and drained.
 */
export async function runWorker<T>(queue: RateLimitingQueue<T>, reconcile: (item: T) => Promise<void> | void, opts: WorkerOptions = {}): Promise<void> {
  for (;;) {
    const { item, shutdown } = await queue.get();
    if (shutdown) return;
    const it = item as T;
    try {
      await reconcile(it);
      queue.forget(it);
    } catch (e) {
      const n = queue.numRequeues(it);
      opts.onError?.(it, e, n);
      if (opts.maxRetries === undefined || n < opts.maxRetries) queue.addRateLimited(it);
      else queue.forget(it);
    } finally {
      queue.done(it);
    }
  }
}

/** Starts `n` workers on the queue; resolves when they have all exited. */
export function runWorkers<T>(queue: RateLimitingQueue<T>, n: number, reconcile: (item: T) => Promise<void> | void, opts: WorkerOptions = {}): Promise<void> {
  return Promise.all(Array.from({ length: n }, () => runWorker(queue, reconcile, opts))).then(() => undefined);
}
