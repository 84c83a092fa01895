/**
 * The notification centre's logic (pure, unit-tested): Warning events become notices,
 * de-duplicated by involved object + reason (a repeat bumps the count), kept newest first with an
 * unread flag (the bell), and the few newest shown as toasts for a while. Events that existed
 * when the app opened are remembered, not notified.
 */
import type { KubeEvent } from '../../api/types';

export interface InvolvedObject {
  kind: string;
  name: string;
  namespace?: string;
  apiVersion?: string;
}

export interface Notice {
  /** `kind/namespace/name|reason`: what de-duplicates. */
  key: string;
  object: InvolvedObject;
  reason: string;
  /** The newest occurrence's message. */
  message: string;
  /** Occurrences seen since the app opened. */
  count: number;
  first: number;
  last: number;
  unread: boolean;
}

export interface Toast {
  key: string;
  /** When it was shown or last bumped (it stays `toastMs` from then). */
  shownAt: number;
}

export interface NoticeOptions {
  /** When the app opened: older events are history, not news. */
  openedAt: number;
  maxNotices?: number;
  maxToasts?: number;
  toastMs?: number;
}

export function noticeKey(e: KubeEvent): string {
  const o = e.involvedObject ?? {};
  return `${o.kind ?? ''}/${o.namespace ?? e.metadata.namespace ?? ''}/${o.name ?? ''}|${e.reason ?? ''}`;
}

/** How many times an event object says it happened. */
export function eventCount(e: KubeEvent): number {
  return Math.max(1, e.count ?? e.series?.count ?? 1);
}

/** When an event last happened (ms; 0 when it says nothing). */
export function lastSeen(e: KubeEvent): number {
  const t = e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp;
  const n = t ? Date.parse(t) : NaN;
  return Number.isNaN(n) ? 0 : n;
}

function eventId(e: KubeEvent): string {
  return e.metadata.uid ?? `${e.metadata.namespace ?? ''}/${e.metadata.name}`;
}

export class NoticeCenter {
  /** Newest first. */
  notices: Notice[] = [];
  /** Newest first. */
  toasts: Toast[] = [];
  muted = false;
  private readonly counts = new Map<string, number>();
  private readonly openedAt: number;
  private readonly maxNotices: number;
  private readonly maxToasts: number;
  readonly toastMs: number;

  constructor(o: NoticeOptions) {
    this.openedAt = o.openedAt;
    this.maxNotices = o.maxNotices ?? 100;
    this.maxToasts = o.maxToasts ?? 3;
    this.toastMs = o.toastMs ?? 8000;
  }

  /**
   * A list (the first one, or a relist after the watch lost its history): events seen before
   * keep their count; unknown ones that happened after the app opened, and counts that grew,
   * are notified. Returns the notices touched.
   */
  baseline(events: readonly KubeEvent[], now: number): Notice[] {
    const touched: Notice[] = [];
    for (const e of events) {
      const id = eventId(e);
      const known = this.counts.get(id);
      if (known === undefined && lastSeen(e) < this.openedAt) {
        this.counts.set(id, eventCount(e));
        continue;
      }
      const n = this.observe(e, now);
      if (n) touched.push(n);
    }
    return touched;
  }

  /** An event added or modified after the app opened; returns the notice it bumped, if any. */
  observe(e: KubeEvent, now: number): Notice | undefined {
    if (e.type && e.type !== 'Warning') return undefined;
    const id = eventId(e);
    const count = eventCount(e);
    const known = this.counts.get(id);
    this.counts.set(id, Math.max(count, known ?? 0));
    // A repeat of an event we know counts only when its count grew (not a metadata update).
    const delta = known === undefined ? 1 : count - known;
    if (delta <= 0) return undefined;
    const key = noticeKey(e);
    const i = this.notices.findIndex((n) => n.key === key);
    let n: Notice;
    if (i >= 0) {
      n = this.notices[i];
      this.notices.splice(i, 1);
      n.count += delta;
      n.message = e.message ?? n.message;
      n.last = now;
      n.unread = true;
    } else {
      const o = e.involvedObject ?? {};
      n = {
        key,
        object: { kind: o.kind ?? 'Object', name: o.name ?? '', namespace: o.namespace ?? e.metadata.namespace, apiVersion: o.apiVersion },
        reason: e.reason ?? 'Warning',
        message: e.message ?? '',
        count: delta,
        first: now,
        last: now,
        unread: true,
      };
    }
    this.notices.unshift(n);
    if (this.notices.length > this.maxNotices) this.notices.length = this.maxNotices;
    if (!this.muted) this.toast(key, now);
    return n;
  }

  private toast(key: string, now: number): void {
    this.toasts = [{ key, shownAt: now }, ...this.toasts.filter((t) => t.key !== key)].slice(0, this.maxToasts);
  }

  /** Drops toasts shown longer than `toastMs` ago; true when any went. */
  expire(now: number): boolean {
    const keep = this.toasts.filter((t) => now - t.shownAt < this.toastMs);
    const changed = keep.length !== this.toasts.length;
    this.toasts = keep;
    return changed;
  }

  dismiss(key: string): void {
    this.toasts = this.toasts.filter((t) => t.key !== key);
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    if (muted) this.toasts = [];
  }

  markAllRead(): void {
    for (const n of this.notices) n.unread = false;
  }

  clear(): void {
    this.notices = [];
    this.toasts = [];
  }

  get unread(): number {
    return this.notices.reduce((a, n) => a + (n.unread ? 1 : 0), 0);
  }

  notice(key: string): Notice | undefined {
    return this.notices.find((n) => n.key === key);
  }
}
