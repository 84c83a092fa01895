/**
 * The back-off between deleting failed daemon pods on one node (upstream's failedPodsBackoff,
 * flowcontrol.Backoff 1 s doubling to 15 min): a pod that fails at once again is not deleted
 * and recreated in a hot loop.
 */
import type { Clock } from '../../client';

export const FAILED_POD_BACKOFF_INITIAL_MS = 1000;
export const FAILED_POD_BACKOFF_MAX_MS = 15 * 60 * 1000;

interface Entry {
  delay: number;
  last: number;
}

export class FailedPodsBackoff {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly clock: Clock) {}

  /** IsInBackOffSinceUpdate: the last deletion for this key was less than the current delay ago. */
  inBackoff(key: string): boolean {
    const e = this.entries.get(key);
    return !!e && this.clock.now() - e.last < e.delay;
  }

  /** Milliseconds until the key may act again (0 when it may now). */
  remaining(key: string): number {
    const e = this.entries.get(key);
    return e ? Math.max(0, e.last + e.delay - this.clock.now()) : 0;
  }

  /** Next: start at the initial delay (or after a long quiet time), else double up to the maximum. */
  next(key: string): void {
    const now = this.clock.now();
    const e = this.entries.get(key);
    if (!e || now - e.last > 2 * FAILED_POD_BACKOFF_MAX_MS) this.entries.set(key, { delay: FAILED_POD_BACKOFF_INITIAL_MS, last: now });
    else this.entries.set(key, { delay: Math.min(e.delay * 2, FAILED_POD_BACKOFF_MAX_MS), last: now });
  }

  /** Forgets entries idle for longer than twice the maximum (GC). */
  gc(): void {
    const now = this.clock.now();
    for (const [k, e] of this.entries) if (now - e.last > 2 * FAILED_POD_BACKOFF_MAX_MS) this.entries.delete(k);
  }
}
