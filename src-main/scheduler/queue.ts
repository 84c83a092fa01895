/**
 * The scheduling queue (pkg/scheduler/backend/queue): activeQ ordered by PrioritySort (higher
 * spec.priority first, then the time the pod entered the queue), backoffQ (pods waiting out
 * 1 s doubling to 10 s after each failed attempt), and unschedulablePods, which wait for a
 * cluster event that may help them (or 5 minutes) before trying again. A pod that failed while an
 * event arrived during its attempt goes to backoffQ instead of waiting.
 */
import type { KubeObject } from '../api/types';
import { asObject } from '../api/types';
import type { Clock, TimerHandle } from '../client';
import { Heap } from './heap';
import { podKey } from './pod-info';

export interface QueuedPod {
  key: string;
  pod: KubeObject;
  priority: number;
  /** When it (re-)entered the queue. */
  timestamp: number;
  seq: number;
  attempts: number;
  /** Plugins that rejected it last time (empty: it failed for another reason). */
  unschedulablePlugins: Set<string>;
  /** The scheduling cycle in which it was popped last. */
  cycle: number;
}

export interface QueueOptions {
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** podMaxInUnschedulablePodsDuration. */
  maxUnschedulableMs?: number;
  /** How often unschedulable and backoff pods are checked (upstream: 30 s and 1 s). */
  flushUnschedulableEveryMs?: number;
}

function priorityOf(pod: KubeObject): number {
  const p = asObject(pod.spec).priority;
  return typeof p === 'number' ? p : 0;
}

export class SchedulingQueue {
  private readonly active = new Heap<QueuedPod>(
    (q) => q.key,
    (a, b) => a.priority > b.priority || (a.priority === b.priority && (a.timestamp < b.timestamp || (a.timestamp === b.timestamp && a.seq < b.seq))),
  );
  private readonly backoff = new Heap<QueuedPod>(
    (q) => q.key,
    (a, b) => this.backoffExpiry(a) < this.backoffExpiry(b),
  );
  private readonly unschedulable = new Map<string, QueuedPod>();
  /** Popped and not yet done: the latest object seen meanwhile. */
  private readonly inFlight = new Map<string, QueuedPod>();
  private seq = 0;
  private schedulingCycle = 0;
  private moveRequestCycle = -1;
  private waiters: ((q: QueuedPod | undefined) => void)[] = [];
  private closed = false;
  private backoffTimer?: TimerHandle;
  private backoffTimerAt = Infinity;
  private flushTimer?: TimerHandle;
  private readonly o: Required<QueueOptions>;

  constructor(
    private readonly clock: Clock,
    opts: QueueOptions = {},
  ) {
    this.o = {
      initialBackoffMs: opts.initialBackoffMs ?? 1000,
      maxBackoffMs: opts.maxBackoffMs ?? 10_000,
      maxUnschedulableMs: opts.maxUnschedulableMs ?? 5 * 60_000,
      flushUnschedulableEveryMs: opts.flushUnschedulableEveryMs ?? 30_000,
    };
    this.scheduleFlush();
  }

  /** Sizes, for tests and logs. */
  lengths(): { active: number; backoff: number; unschedulable: number; inFlight: number } {
    return { active: this.active.size, backoff: this.backoff.size, unschedulable: this.unschedulable.size, inFlight: this.inFlight.size };
  }

  /** True when a pod is ready to be popped. */
  hasActive(): boolean {
    return this.active.size > 0;
  }

  /** Where the pod is: 'active' | 'backoff' | 'unschedulable' | 'inFlight' | undefined. */
  where(key: string): string | undefined {
    if (this.active.has(key)) return 'active';
    if (this.backoff.has(key)) return 'backoff';
    if (this.unschedulable.has(key)) return 'unschedulable';
    if (this.inFlight.has(key)) return 'inFlight';
    return undefined;
  }

  /** A new pending pod. */
  add(pod: KubeObject): void {
    const key = podKey(pod);
    if (this.where(key)) {
      this.update(pod, false);
      return;
    }
    this.pushActive({ key, pod, priority: priorityOf(pod), timestamp: this.clock.now(), seq: ++this.seq, attempts: 0, unschedulablePlugins: new Set(), cycle: -1 });
  }

  /**
   * A pending pod changed. `relevant`: the change may make it schedulable (spec, labels), so a
   * waiting pod is retried (after its back-off).
   */
  update(pod: KubeObject, relevant: boolean): void {
    const key = podKey(pod);
    const q = this.active.get(key) ?? this.backoff.get(key) ?? this.unschedulable.get(key) ?? this.inFlight.get(key);
    if (!q) {
      this.add(pod);
      return;
    }
    q.pod = pod;
    if (this.unschedulable.has(key) && relevant) {
      this.unschedulable.delete(key);
      this.requeue(q);
    }
  }

  delete(key: string): void {
    this.active.delete(key);
    this.backoff.delete(key);
    this.unschedulable.delete(key);
    this.inFlight.delete(key);
  }

  /** The next pod to schedule (highest priority first); waits when none is ready. */
  pop(): Promise<QueuedPod | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    const q = this.active.pop();
    if (q) return Promise.resolve(this.take(q));
    return new Promise((r) => this.waiters.push(r));
  }

  /** Synchronous pop: undefined when activeQ is empty. */
  tryPop(): QueuedPod | undefined {
    const q = this.closed ? undefined : this.active.pop();
    return q ? this.take(q) : undefined;
  }

  private take(q: QueuedPod): QueuedPod {
    q.attempts++;
    q.cycle = ++this.schedulingCycle;
    this.inFlight.set(q.key, q);
    return q;
  }

  /** Done with a popped pod (bound, or deleted meanwhile). */
  done(key: string): void {
    this.inFlight.delete(key);
  }

  /** The attempt failed because no node fits: wait for a helpful event (or back off if one came meanwhile). */
  addUnschedulable(q: QueuedPod, plugins: Iterable<string>): void {
    if (!this.inFlight.has(q.key)) return; // deleted meanwhile
    this.inFlight.delete(q.key);
    q.unschedulablePlugins = new Set(plugins);
    q.timestamp = this.clock.now();
    if (this.moveRequestCycle >= q.cycle) this.pushBackoff(q);
    else this.unschedulable.set(q.key, q);
  }

  /** The attempt failed for another reason (binding error): retry after the back-off. */
  addBackoff(q: QueuedPod): void {
    if (!this.inFlight.has(q.key)) return;
    this.inFlight.delete(q.key);
    q.unschedulablePlugins = new Set();
    q.timestamp = this.clock.now();
    this.pushBackoff(q);
  }

  /**
   * A cluster event: pods waiting on a plugin `interested` says may now pass go back to the
   * queue (pods whose last failure named no plugin always do).
   */
  moveAllToActiveOrBackoff(interested: (plugin: string) => boolean = () => true): void {
    for (const [key, q] of this.unschedulable) {
      if (q.unschedulablePlugins.size && ![...q.unschedulablePlugins].some(interested)) continue;
      this.unschedulable.delete(key);
      this.requeue(q);
    }
    this.moveRequestCycle = this.schedulingCycle;
  }

  close(): void {
    this.closed = true;
    if (this.backoffTimer !== undefined) this.clock.clearTimeout(this.backoffTimer);
    if (this.flushTimer !== undefined) this.clock.clearTimeout(this.flushTimer);
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  backoffExpiry(q: QueuedPod): number {
    const d = Math.min(this.o.initialBackoffMs * 2 ** Math.max(0, q.attempts - 1), this.o.maxBackoffMs);
    return q.timestamp + d;
  }

  private requeue(q: QueuedPod): void {
    if (this.backoffExpiry(q) > this.clock.now()) this.pushBackoff(q);
    else this.pushActive(q);
  }

  private pushActive(q: QueuedPod): void {
    if (this.closed) return;
    const w = this.waiters.shift();
    if (w) w(this.take(q));
    else this.active.push(q);
  }

  private pushBackoff(q: QueuedPod): void {
    this.backoff.push(q);
    this.armBackoffTimer();
  }

  private armBackoffTimer(): void {
    const next = this.backoff.peek();
    if (!next || this.closed) return;
    const at = this.backoffExpiry(next);
    if (this.backoffTimer !== undefined && this.backoffTimerAt <= at) return;
    if (this.backoffTimer !== undefined) this.clock.clearTimeout(this.backoffTimer);
    this.backoffTimerAt = at;
    this.backoffTimer = this.clock.setTimeout(() => {
      this.backoffTimer = undefined;
      this.backoffTimerAt = Infinity;
      this.flushBackoff();
    }, at - this.clock.now());
  }

  private flushBackoff(): void {
    const now = this.clock.now();
    for (let q = this.backoff.peek(); q && this.backoffExpiry(q) <= now; q = this.backoff.peek()) {
      this.backoff.pop();
      this.pushActive(q);
    }
    this.armBackoffTimer();
  }

  private scheduleFlush(): void {
    if (this.closed) return;
    this.flushTimer = this.clock.setTimeout(() => {
      const now = this.clock.now();
      for (const [key, q] of this.unschedulable) {
        if (now - q.timestamp < this.o.maxUnschedulableMs) continue;
        this.unschedulable.delete(key);
        this.requeue(q);
      }
      this.scheduleFlush();
    }, this.o.flushUnschedulableEveryMs);
  }
}
