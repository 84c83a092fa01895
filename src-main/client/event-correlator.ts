/**
 * client-go's EventCorrelator (tools/record/events_cache.go), in memory and LRU-bounded:
 *
 * - **aggregation**: events that differ only by message (same source, involvedObject, type and
 *   reason) are counted per 10-minute window; from the 11th distinct message on, they are written
 *   as one event whose message starts with `(combined from similar events): `;
 * - **observation**: an event identical to one already written (same key, message included)
 *   patches that Event's `count`, `lastTimestamp` and `message` instead of creating a new one, so
 *   `kubectl describe` shows `(x3 over 2m)`;
 * - **spam filter**: a token bucket per source + involved object (burst 25, one token per
 *   5 minutes); events over the budget are dropped.
 */
import { createHash } from 'node:crypto';
import type { Clock } from './clock';

export const MAX_LRU_CACHE_ENTRIES = 4096;
export const AGGREGATE_MAX_EVENTS = 10;
export const AGGREGATE_INTERVAL_MS = 600_000;
export const SPAM_BURST = 25;
/** One token per 5 minutes. */
export const SPAM_REFILL_MS = 300_000;
export const COMBINED_PREFIX = '(combined from similar events): ';

/** The fields of a core/v1 Event the correlator reads. */
export interface CorrelatedEvent {
  involvedObject: { kind?: string; namespace?: string; name?: string; uid?: string; apiVersion?: string; fieldPath?: string };
  source: { component: string; host?: string };
  type: string;
  reason: string;
  message: string;
  reportingComponent?: string;
  reportingInstance?: string;
}

/** What the correlator decided for one event. */
export interface Correlation {
  /** Drop it: the spam filter's budget for this object is spent. */
  skip: boolean;
  /** The message to write (possibly the combined form). */
  message: string;
  /** The observation key: the same key means the same Event object. */
  key: string;
}

export interface ObservedEvent {
  name: string;
  namespace: string;
  count: number;
  firstTimestamp: string;
}

/** Keys longer than this are stored as their digest. */
const DIGEST_ABOVE = 32;

/**
 * The Map key for `key`: long keys (source, involved object and message: ~200 characters, and
 * every kubelet keeps thousands of them) as 132 bits of their SHA-256, 22 characters.
 */
function slot(key: string): string {
  return key.length <= DIGEST_ABOVE ? key : createHash('sha256').update(key).digest('base64url').slice(0, 22);
}

/** A Map used as an LRU: reads move the entry to the back, inserts evict from the front. */
export class LruCache<V> {
  private readonly map = new Map<string, V>();
  constructor(readonly maxEntries: number) {}
  get(k: string): V | undefined {
    const key = slot(k);
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(k: string, v: V): void {
    const key = slot(k);
    this.map.delete(key);
    this.map.set(key, v);
    while (this.map.size > this.maxEntries) this.map.delete(this.map.keys().next().value as string);
  }
  delete(k: string): void {
    this.map.delete(slot(k));
  }
  get size(): number {
    return this.map.size;
  }
}

interface AggregateRecord {
  messages: Set<string>;
  lastMs: number;
}

interface Bucket {
  tokens: number;
  lastMs: number;
}

function objectKey(e: CorrelatedEvent): string[] {
  const o = e.involvedObject;
  return [e.source.component, e.source.host ?? '', o.kind ?? '', o.namespace ?? '', o.name ?? '', o.uid ?? '', o.apiVersion ?? ''];
}

/** Everything but the message (EventAggregatorByReasonFunc). */
export function aggregateKeyOf(e: CorrelatedEvent): string {
  return [...objectKey(e), e.type, e.reason, e.reportingComponent ?? '', e.reportingInstance ?? ''].join('\u0000');
}

/** The identity of an event (getEventKey): source, object (with fieldPath), type, reason, message. */
export function eventKeyOf(e: CorrelatedEvent): string {
  return [...objectKey(e), e.involvedObject.fieldPath ?? '', e.type, e.reason, e.message].join('\u0000');
}

/** The spam filter's key: source and involved object. */
export function spamKeyOf(e: CorrelatedEvent): string {
  return objectKey(e).join('\u0000');
}

export class EventCorrelator {
  private readonly aggregates: LruCache<AggregateRecord>;
  private readonly seen: LruCache<ObservedEvent>;
  private readonly buckets: LruCache<Bucket>;

  constructor(
    private readonly clock: Clock,
    maxEntries = MAX_LRU_CACHE_ENTRIES,
  ) {
    this.aggregates = new LruCache(maxEntries);
    this.seen = new LruCache(maxEntries);
    this.buckets = new LruCache(maxEntries);
  }

  /** Decides how to write `e`; call `observe` with the written Event afterwards. */
  correlate(e: CorrelatedEvent): Correlation {
    const now = this.clock.now();
    let message = e.message;
    let key = eventKeyOf(e);

    const aggKey = aggregateKeyOf(e);
    let rec = this.aggregates.get(aggKey);
    if (!rec || now - rec.lastMs > AGGREGATE_INTERVAL_MS) rec = { messages: new Set(), lastMs: now };
    rec.messages.add(e.message);
    rec.lastMs = now;
    if (rec.messages.size >= AGGREGATE_MAX_EVENTS) {
      // Keep the set bounded: forget one message, as upstream's PopAny.
      const first = rec.messages.values().next().value as string;
      rec.messages.delete(first);
      message = COMBINED_PREFIX + e.message;
      key = aggKey;
    }
    this.aggregates.set(aggKey, rec);

    return { skip: !this.allow(spamKeyOf(e), now), message, key };
  }

  /** The Event last written for `key`, if any: a repeat patches it. */
  observed(key: string): ObservedEvent | undefined {
    return this.seen.get(key);
  }

  /** Remembers the Event written (or patched) for `key`. */
  observe(key: string, ev: ObservedEvent): void {
    this.seen.set(key, ev);
  }

  /** Forgets `key` (its Event is gone). */
  forget(key: string): void {
    this.seen.delete(key);
  }

  private allow(key: string, now: number): boolean {
    let b = this.buckets.get(key);
    if (!b) b = { tokens: SPAM_BURST, lastMs: now };
    const refill = Math.floor((now - b.lastMs) / SPAM_REFILL_MS);
    if (refill > 0) {
      b.tokens = Math.min(SPAM_BURST, b.tokens + refill);
      b.lastMs += refill * SPAM_REFILL_MS;
    }
    if (b.tokens >= SPAM_BURST) b.lastMs = now;
    this.buckets.set(key, b);
    if (b.tokens <= 0) return false;
    b.tokens--;
    return true;
  }
}
