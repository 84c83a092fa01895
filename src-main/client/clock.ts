/**
 * Time for the client machinery (work queue delays, rate limiters, informer back-off and
 * resync), injectable so tests drive it with `FakeClock` instead of waiting.
 */

export type TimerHandle = unknown;

export interface Clock {
  /** Milliseconds since the epoch (or any fixed origin). */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Node's longest timer (2^31 − 1 ms, ~24.8 days); a longer one would fire after 1 ms. */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * The wall clock. Timers are unref'd so a pending retry never keeps the process alive. Delays past
 * MAX_TIMER_MS fire early, at MAX_TIMER_MS (work queues re-arm for what is not due yet).
 */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, Math.min(Math.max(0, ms), MAX_TIMER_MS));
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

interface FakeTimer {
  id: number;
  at: number;
  fn: () => void;
}

/**
 * A manual clock: `advance(ms)` moves time forward and runs the timers that fall due, in time
 * order (timers scheduled by those timers run too if they are due within the step).
 */
export class FakeClock implements Clock {
  private t: number;
  private seq = 0;
  /** Min-heap on (at, id); cancelled timers are dropped lazily when they reach the top. */
  private heap: FakeTimer[] = [];
  private live = new Set<number>();

  constructor(start = 0) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer: FakeTimer = { id: ++this.seq, at: this.t + Math.max(0, ms), fn };
    this.live.add(timer.id);
    this.push(timer);
    return timer.id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.live.delete(handle as number);
  }

  /** Number of timers not yet fired. */
  pending(): number {
    return this.live.size;
  }

  /** When the next timer fires, or undefined. */
  nextAt(): number | undefined {
    return this.peek()?.at;
  }

  /** Moves time forward by `ms`, firing due timers in order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = this.peek();
      if (!due || due.at > end) break;
      this.pop();
      this.live.delete(due.id);
      this.t = Math.max(this.t, due.at);
      due.fn();
    }
    this.t = end;
  }

  /** Sets the time (forward only), firing due timers. */
  set(time: number): void {
    if (time > this.t) this.advance(time - this.t);
  }

  private peek(): FakeTimer | undefined {
    while (this.heap.length && !this.live.has(this.heap[0].id)) this.pop();
    return this.heap[0];
  }

  private static before(a: FakeTimer, b: FakeTimer): boolean {
    return a.at < b.at || (a.at === b.at && a.id < b.id);
  }

  private push(timer: FakeTimer): void {
    const h = this.heap;
    h.push(timer);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!FakeClock.before(h[i], h[parent])) break;
      [h[i], h[parent]] = [h[parent], h[i]];
      i = parent;
    }
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop();
    if (!last || h.length === 0) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && FakeClock.before(h[l], h[m])) m = l;
      if (r < h.length && FakeClock.before(h[r], h[m])) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m], h[i]];
      i = m;
    }
  }
}

/**
 * The cluster clock: wall time sped up by `scale` (1 = real time) from the moment it is made.
 * Every component that waits (kubelet back-offs, pulls, sleeps in containers, controller delays)
 * takes its time from one of these, so a cluster can run faster than real time.
 */
export function scaledClock(scale = 1, base: Clock = realClock): Clock {
  if (!(scale > 0)) throw new Error(`clock scale must be > 0, got ${scale}`);
  if (scale === 1) return base;
  const origin = base.now();
  return {
    now: () => origin + (base.now() - origin) * scale,
    setTimeout: (fn, ms) => base.setTimeout(fn, ms / scale),
    clearTimeout: (h) => base.clearTimeout(h),
  };
}
