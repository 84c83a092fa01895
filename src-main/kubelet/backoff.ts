/**
 * The kubelet's per-key back-off (client-go's flowcontrol.Backoff as the kubelet uses it for
 * crash loops and image pulls): 10 s doubling to 5 min; an entry not touched for twice the maximum
 * (10 min, e.g. a container that ran that long) starts from 10 s again.
 */
import type { Clock } from '../client/clock';

export const INITIAL_BACKOFF_MS = 10_000;
export const MAX_BACKOFF_MS = 300_000;

interface Entry {
  backoffMs: number;
  lastUpdate: number;
}

export class KeyedBackoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    readonly initialMs = INITIAL_BACKOFF_MS,
    readonly maxMs = MAX_BACKOFF_MS,
  ) {}

  private expired(e: Entry, at: number): boolean {
    return at - e.lastUpdate > 2 * this.maxMs;
  }

  /** Records an attempt at `at` (default now): the next back-off doubles (or starts at the initial one). */
  next(key: string, at = this.clock.now()): number {
    const e = this.entries.get(key);
    if (!e || this.expired(e, at)) {
      this.entries.set(key, { backoffMs: this.initialMs, lastUpdate: at });
      return this.initialMs;
    }
    e.backoffMs = Math.min(e.backoffMs * 2, this.maxMs);
    e.lastUpdate = at;
    return e.backoffMs;
  }

  /** The current back-off of the key (0 when none). */
  get(key: string): number {
    return this.entries.get(key)?.backoffMs ?? 0;
  }

  /**
   * Whether `eventTime` (e.g. when the container last finished) is still inside the key's back-off
   * window now; an entry older than twice the maximum no longer counts.
   */
  isInBackOffSince(key: string, eventTime: number): boolean {
    const e = this.entries.get(key);
    if (!e) return false;
    if (this.expired(e, eventTime)) return false;
    return this.clock.now() - eventTime < e.backoffMs;
  }

  /** When the window that began at `eventTime` ends. */
  windowEnd(key: string, eventTime: number): number {
    return eventTime + this.get(key);
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  /** Forgets every key starting with `prefix` (a deleted pod's entries). */
  forgetPrefix(prefix: string): void {
    for (const k of [...this.entries.keys()]) if (k.startsWith(prefix)) this.entries.delete(k);
  }
}
