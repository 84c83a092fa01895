/**
 * Records core/v1 Events the way client-go's event recorder does: one Event per occurrence named
 * `<involvedObject.name>.<creation time in Unix nanoseconds, hex>` (so names sort by time), in the
 * object's namespace (`default` for cluster-scoped objects), with source component/host and the
 * reporting controller/instance set alike.
 *
 * Events go through an `EventCorrelator` (event-correlator.ts) shared by every recorder on the
 * same client: a repeat of an event patches the existing Event's count, lastTimestamp and message
 * (describe's `(x3 over 2m)`), more than 10 similar events in 10 minutes are combined, and each
 * object gets a spam budget of 25 events refilled by one every 5 minutes.
 */
import type { KubeObject } from '../api/types';
import { StatusError } from '../api/errors';
import { R } from './resources';
import type { KubeClient } from './client';
import { realClock, type Clock } from './clock';
import { EventCorrelator, type CorrelatedEvent } from './event-correlator';

export interface EventSource {
  component: string;
  host?: string;
}

export interface EventInput {
  /** The object the event is about (kind, name, namespace, uid, apiVersion are read). */
  regarding: Pick<KubeObject, 'apiVersion' | 'kind'> & { metadata: { name?: string; namespace?: string; uid?: string; resourceVersion?: string } };
  /** Overrides the uid written in involvedObject (the kubelet uses the node name for Node events). */
  uid?: string;
  fieldPath?: string;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /**
   * When it happened (ms since the epoch; default: the recorder's clock now). A component that
   * writes an event later than it happened (the scheduler's Scheduled, written after the binding)
   * passes it so the Event's name and timestamps sort before what others recorded meanwhile.
   */
  time?: number;
}

let lastNanos = 0n;
/** Names given to events stamped with an explicit time, recent ones (to keep them unique). */
const stampedNames = new Set<string>();
const STAMPED_NAMES_KEPT = 10_000;

/**
 * Unix time in nanoseconds for an event of `object`, unique per object within this process.
 * Events stamped now get strictly increasing values past the start of their millisecond; events
 * stamped with an earlier time get that millisecond's first free value, so they sort before
 * anything recorded later than they happened.
 */
function uniqueNanos(object: string, ms: number, explicit: boolean): bigint {
  const base = BigInt(ms) * 1_000_000n;
  if (!explicit) {
    let n = base + 1n;
    if (n <= lastNanos) n = lastNanos + 1n;
    lastNanos = n;
    return n;
  }
  let n = base;
  while (stampedNames.has(`${object}.${n}`)) n++;
  stampedNames.add(`${object}.${n}`);
  if (stampedNames.size > STAMPED_NAMES_KEPT) stampedNames.delete(stampedNames.values().next().value!);
  return n;
}

function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** One correlator per client (so per component process), created on first use. */
const correlators = new WeakMap<KubeClient, EventCorrelator>();
/** Writes per observation key run one after the other, so a repeat patches what the first created. */
const chains = new WeakMap<EventCorrelator, Map<string, Promise<unknown>>>();

export interface EventRecorderOptions {
  /** Default: the one shared by every recorder on the same client. */
  correlator?: EventCorrelator;
}

export class EventRecorder {
  private readonly correlator: EventCorrelator;

  constructor(
    private readonly client: KubeClient,
    private readonly source: EventSource,
    private readonly clock: Clock = realClock,
    opts: EventRecorderOptions = {},
  ) {
    let c = opts.correlator ?? correlators.get(client);
    if (!c) {
      c = new EventCorrelator(clock);
      correlators.set(client, c);
    }
    this.correlator = c;
  }

  /**
   * Records an event: creates an Event, or patches the count of the same event written before.
   * Resolves to the Event as stored; an event dropped by the spam filter resolves to the Event
   * that would have been written (not stored).
   */
  async record(e: EventInput): Promise<KubeObject> {
    const event = this.build(e);
    const c = this.correlator.correlate(event as unknown as CorrelatedEvent);
    event.message = c.message;
    if (c.skip) {
      // As upstream, a dropped repeat still counts: the next one written shows it.
      const seen = this.correlator.observed(c.key);
      if (seen) this.correlator.observe(c.key, { ...seen, count: seen.count + 1 });
      return event;
    }
    let pending = chains.get(this.correlator);
    if (!pending) chains.set(this.correlator, (pending = new Map()));
    const before = pending.get(c.key) ?? Promise.resolve();
    const write = before.catch(() => undefined).then(() => this.write(event, c.key));
    pending.set(c.key, write);
    try {
      return await write;
    } finally {
      if (pending.get(c.key) === write) pending.delete(c.key);
    }
  }

  private build(e: EventInput): KubeObject & { message: string } {
    const now = new Date(e.time ?? this.clock.now());
    const m = e.regarding.metadata;
    const namespace = m.namespace || 'default';
    const involvedObject: Record<string, unknown> = { kind: e.regarding.kind, name: m.name, apiVersion: e.regarding.apiVersion };
    if (m.namespace) involvedObject.namespace = m.namespace;
    const uid = e.uid ?? m.uid;
    if (uid) involvedObject.uid = uid;
    if (m.resourceVersion) involvedObject.resourceVersion = m.resourceVersion;
    if (e.fieldPath) involvedObject.fieldPath = e.fieldPath;
    return {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${m.name}.${uniqueNanos(m.name ?? '', now.getTime(), e.time !== undefined).toString(16)}`, namespace },
      involvedObject,
      reason: e.reason,
      message: e.message,
      source: this.source.host ? { component: this.source.component, host: this.source.host } : { component: this.source.component },
      firstTimestamp: rfc3339(now),
      lastTimestamp: rfc3339(now),
      count: 1,
      type: e.type,
      eventTime: null,
      reportingComponent: this.source.component,
      reportingInstance: this.source.host ?? '',
    };
  }

  /** Creates the Event, or patches the one this key was written as (the correlator is asked again: earlier writes may have landed meanwhile). */
  private async write(event: KubeObject & { message: string }, key: string): Promise<KubeObject> {
    const namespace = event.metadata.namespace!;
    const previous = this.correlator.observed(key);
    if (previous) {
      const count = previous.count + 1;
      try {
        const patched = await this.client.patch(R.events, previous.namespace, previous.name, 'strategic', { count, lastTimestamp: event.lastTimestamp, message: event.message });
        this.correlator.observe(key, { name: previous.name, namespace: previous.namespace, count, firstTimestamp: previous.firstTimestamp });
        return patched;
      } catch (err) {
        // The Event expired or was deleted: write a new one.
        if (!(err instanceof StatusError && err.code === 404)) throw err;
        this.correlator.forget(key);
      }
    }
    const created = await this.client.create(R.events, namespace, event);
    this.correlator.observe(key, { name: created.metadata.name!, namespace, count: 1, firstTimestamp: String(created.firstTimestamp) });
    return created;
  }
}
