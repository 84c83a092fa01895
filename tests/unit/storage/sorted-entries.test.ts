import { describe, expect, it } from 'vitest';
import { SortedEntries } from '../../../src-main/storage/sorted-entries';
import type { StoredObject } from '../../../src-main/storage/types';

const entry = (key: string, rv = 1): StoredObject => ({ key, rv, object: { apiVersion: 'v1', kind: 'Event', metadata: { name: key } } });

/** A deterministic shuffle (no Math.random in tests). */
function shuffled(keys: string[]): string[] {
  const out = [...keys];
  let seed = 7;
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('SortedEntries', () => {
  it('keeps 3000 randomly inserted, replaced and removed keys in order across many blocks, as one sorted array would', () => {
    const keys = Array.from({ length: 3000 }, (_, i) => `/registry/core/events/ns/pod-${String(i).padStart(4, '0')}.${(i * 7919).toString(16)}`);
    const s = new SortedEntries();
    const model = new Map<string, number>();
    for (const k of shuffled(keys)) {
      s.upsert(entry(k));
      model.set(k, 1);
    }
    // Replacements keep the position and count; removals close the gap.
    for (const k of keys.filter((_, i) => i % 3 === 0)) {
      s.upsert(entry(k, 2));
      model.set(k, 2);
    }
    for (const k of keys.filter((_, i) => i % 5 === 0)) {
      expect(s.remove(k)).toBe(true);
      model.delete(k);
    }
    expect(s.remove('/registry/core/events/ns/none')).toBe(false);
    const want = [...model.keys()].sort();
    expect(s.length).toBe(want.length);
    const all = s.slice(0, s.length);
    expect(all.map((e) => e.key)).toEqual(want);
    expect(all.map((e) => e.rv)).toEqual(want.map((k) => model.get(k)));
    // Positions are global: lowerBound, at, slice and scan agree with the flat sorted array.
    for (const probe of ['', '/registry/core/events/ns/pod-1', '/registry/core/events/ns/pod-2500', want[1234], '\u{10FFFF}']) {
      const i = want.findIndex((k) => k >= probe);
      const pos = i < 0 ? want.length : i;
      expect(s.lowerBound(probe)).toBe(pos);
      expect(s.at(pos)?.key).toBe(want[pos]);
    }
    expect(s.slice(1000, 1010).map((e) => e.key)).toEqual(want.slice(1000, 1010));
    const seen: string[] = [];
    s.scan(600, 2000, (e) => {
      seen.push(e.key);
      return seen.length < 700;
    });
    expect(seen).toEqual(want.slice(600, 1300));
  });

  it('reset sorts what a database load hands over; an empty list answers position 0', () => {
    const s = new SortedEntries();
    expect([s.length, s.lowerBound('x'), s.at(0), s.slice(0, 5)]).toEqual([0, 0, undefined, []]);
    s.reset([entry('/b'), entry('/c'), entry('/a')]);
    expect(s.slice(0, 3).map((e) => e.key)).toEqual(['/a', '/b', '/c']);
    expect(s.remove('/b')).toBe(true);
    expect(s.remove('/a')).toBe(true);
    expect(s.remove('/c')).toBe(true);
    expect(s.length).toBe(0);
    s.upsert(entry('/d'));
    expect(s.slice(0, 1).map((e) => e.key)).toEqual(['/d']);
  });
});
