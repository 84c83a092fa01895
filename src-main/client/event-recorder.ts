/**
 * Records core/v1 Events the way client-go's event recorder does: one Event per occurrence named
 * `<involvedObject.name>.<creation time in Unix nanoseconds, hex>` (so names sort by time), in the object's namespace (`default` for cluster-scoped
 * objects), with source component/host and the reporting controller/instance set alike.
 */
import type { KubeObject } from '../api/types';
import { R } from './resources';
import type { KubeClient } from './client';
import { realClock, type Clock } from './clock';

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
}

let lastNanos = 0n;

/** Unix time in nanoseconds, strictly increasing within this process. */
function uniqueNanos(d: Date): bigint {
  let n = BigInt(d.getTime()) * 1_000_000n;
  if (n <= lastNanos) n = lastNanos + 1n;
  lastNanos = n;
  return n;
}

function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class EventRecorder {
  constructor(
    private readonly client: KubeClient,
    private readonly source: EventSource,
    private readonly clock: Clock = realClock,
  ) {}

  async record(e: EventInput): Promise<KubeObject> {
    const now = new Date(this.clock.now());
    const m = e.regarding.metadata;
    const namespace = m.namespace || 'default';
    const involvedObject: Record<string, unknown> = { kind: e.regarding.kind, name: m.name, apiVersion: e.regarding.apiVersion };
    if (m.namespace) involvedObject.namespace = m.namespace;
    const uid = e.uid ?? m.uid;
    if (uid) involvedObject.uid = uid;
    if (m.resourceVersion) involvedObject.resourceVersion = m.resourceVersion;
    if (e.fieldPath) involvedObject.fieldPath = e.fieldPath;
    const event: KubeObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${m.name}.${uniqueNanos(now).toString(16)}`, namespace },
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
    return this.client.create(R.events, namespace, event);
  }
}
