import { describe, expect, it } from 'vitest';
import type { KubeEvent } from '../../../../src-renderer/api/types';
import { NoticeCenter, noticeKey } from '../../../../src-renderer/features/notifications/notices';
import { objectRoute } from '../../../../src-renderer/features/notifications/link';

const OPENED = Date.parse('2026-01-01T10:00:00Z');
const at = (s: number) => new Date(OPENED + s * 1000).toISOString();

const ev = (name: string, pod: string, reason: string, count = 1, last = at(1), extra: Partial<KubeEvent> = {}): KubeEvent => ({
  metadata: { name, namespace: 'shop', uid: `uid-${name}` },
  type: 'Warning',
  reason,
  message: `${reason} for ${pod} (${count})`,
  count,
  lastTimestamp: last,
  involvedObject: { kind: 'Pod', name: pod, namespace: 'shop', apiVersion: 'v1' },
  ...extra,
});

describe('notification centre', () => {
  it('remembers what existed when the app opened and notifies only what came after', () => {
    const c = new NoticeCenter({ openedAt: OPENED });
    expect(c.baseline([ev('old', 'a', 'Failed', 4, at(-60))], OPENED + 500)).toEqual([]);
    expect(c.notices).toEqual([]);
    // The old event repeats: one more occurrence, not five.
    const n = c.observe(ev('old', 'a', 'Failed', 5, at(2)), OPENED + 2000);
    expect(n?.count).toBe(1);
    expect(c.unread).toBe(1);
    expect(c.toasts.map((t) => t.key)).toEqual([noticeKey(ev('old', 'a', 'Failed'))]);
  });

  it('de-duplicates by involved object and reason, bumping the count and the message', () => {
    const c = new NoticeCenter({ openedAt: OPENED });
    c.baseline([], OPENED);
    c.observe(ev('e1', 'web-1', 'BackOff'), OPENED + 1000);
    c.observe(ev('e2', 'web-2', 'BackOff'), OPENED + 1100);
    c.observe(ev('e1', 'web-1', 'BackOff', 3, at(9)), OPENED + 9000);
    // A second event object with the same object + reason (e.g. after the correlator's window).
    c.observe(ev('e3', 'web-1', 'BackOff', 1, at(10)), OPENED + 10_000);
    // Another reason for the same pod is its own notice.
    c.observe(ev('e4', 'web-1', 'Unhealthy'), OPENED + 11_000);
    expect(c.notices.map((n) => [n.object.name, n.reason, n.count])).toEqual([
      ['web-1', 'Unhealthy', 1],
      ['web-1', 'BackOff', 4],
      ['web-2', 'BackOff', 1],
    ]);
    expect(c.notice(noticeKey(ev('e1', 'web-1', 'BackOff')))?.message).toBe('BackOff for web-1 (1)');
    expect(c.unread).toBe(3);
    c.markAllRead();
    expect(c.unread).toBe(0);
  });

  it('ignores modifications that are not new occurrences, and Normal events', () => {
    const c = new NoticeCenter({ openedAt: OPENED });
    c.observe(ev('e1', 'a', 'Failed', 2), OPENED + 1000);
    expect(c.observe(ev('e1', 'a', 'Failed', 2), OPENED + 2000)).toBeUndefined();
    expect(c.observe(ev('n1', 'a', 'Pulled', 1, at(3), { type: 'Normal' }), OPENED + 3000)).toBeUndefined();
    expect(c.notices).toHaveLength(1);
    expect(c.notices[0].count).toBe(1);
  });

  it('keeps a few toasts, newest first; a repeat moves its toast up and restarts it; they expire', () => {
    const c = new NoticeCenter({ openedAt: OPENED, maxToasts: 2, toastMs: 5000 });
    c.observe(ev('e1', 'a', 'Failed'), OPENED + 1000);
    c.observe(ev('e2', 'b', 'Failed'), OPENED + 2000);
    c.observe(ev('e3', 'c', 'Failed'), OPENED + 3000);
    expect(c.toasts.map((t) => t.key.split('|')[0])).toEqual(['Pod/shop/c', 'Pod/shop/b']);
    c.observe(ev('e2', 'b', 'Failed', 2), OPENED + 4000);
    expect(c.toasts.map((t) => [t.key.split('|')[0], t.shownAt])).toEqual([
      ['Pod/shop/b', OPENED + 4000],
      ['Pod/shop/c', OPENED + 3000],
    ]);
    expect(c.expire(OPENED + 8500)).toBe(true);
    expect(c.toasts.map((t) => t.key.split('|')[0])).toEqual(['Pod/shop/b']);
    expect(c.expire(OPENED + 8600)).toBe(false);
    c.dismiss(c.toasts[0].key);
    expect(c.toasts).toEqual([]);
  });

  it('muted: no toasts, but the bell still counts', () => {
    const c = new NoticeCenter({ openedAt: OPENED });
    c.observe(ev('e1', 'a', 'Failed'), OPENED + 1000);
    c.setMuted(true);
    expect(c.toasts).toEqual([]);
    c.observe(ev('e2', 'b', 'Failed'), OPENED + 2000);
    expect(c.toasts).toEqual([]);
    expect(c.unread).toBe(2);
  });

  it('a relist notifies events it did not know that happened after opening, and grown counts', () => {
    const c = new NoticeCenter({ openedAt: OPENED });
    c.baseline([ev('old', 'a', 'Failed', 1, at(-5))], OPENED);
    const touched = c.baseline([ev('old', 'a', 'Failed', 3, at(20)), ev('new', 'b', 'Failed', 1, at(15)), ev('older', 'c', 'Failed', 1, at(-9))], OPENED + 30_000);
    expect(touched.map((n) => [n.object.name, n.count])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
  });

  it('keeps at most maxNotices, dropping the oldest', () => {
    const c = new NoticeCenter({ openedAt: OPENED, maxNotices: 3 });
    for (let i = 0; i < 5; i++) c.observe(ev(`e${i}`, `p${i}`, 'Failed'), OPENED + i);
    expect(c.notices.map((n) => n.object.name)).toEqual(['p4', 'p3', 'p2']);
  });

  it('links the object through discovery (kind → plural), cluster-scoped without a namespace', () => {
    const byKind = (group: string, kind: string) =>
      kind === 'Pod' && group === '' ? { group: '', version: 'v1', resource: 'pods', kind, namespaced: true, verbs: [] } : kind === 'Node' ? { group: '', version: 'v1', resource: 'nodes', kind, namespaced: false, verbs: [] } : undefined;
    expect(objectRoute({ kind: 'Pod', name: 'web-1', namespace: 'shop', apiVersion: 'v1' }, byKind)).toBe('/r/core/v1/pods/shop/web-1');
    expect(objectRoute({ kind: 'Node', name: 'w1', namespace: 'default' }, byKind)).toBe('/r/core/v1/nodes/w1');
    expect(objectRoute({ kind: 'Widget', name: 'x', apiVersion: 'example.com/v1' }, byKind)).toBeUndefined();
  });
});
