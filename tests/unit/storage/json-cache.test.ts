import { describe, expect, it } from 'vitest';
import { jsonText, knownJson, markImmutable, recordedJson, rememberJson } from '../../../src-main/storage/json-cache';
import { SqliteStore } from '../../../src-main/storage/sqlite-store';

describe('json-cache', () => {
  it('jsonText is JSON.stringify for awkward values', () => {
    const values: unknown[] = [
      null,
      1,
      'x',
      [],
      {},
      [undefined, () => 1, Symbol('s'), NaN, -0, Infinity],
      { a: undefined, b: () => 1, c: Symbol('s'), d: [1, 'x', null], e: { f: { g: { h: { i: { j: [{ k: 1 }] } } } } } },
      { d: new Date(0), m: new Map([[1, 2]]), n: { toJSON: () => 'custom' } },
      JSON.parse('{"__proto__":{"x":1},"1":2,"b":3}'),
      { rows: [{ cells: ['a', 1, null], object: { metadata: { name: 'x' } } }] },
    ];
    for (const v of values) expect(jsonText(v)).toBe(JSON.stringify(v));
  });

  it('reuses recorded texts and texts of immutable objects', () => {
    const a = Object.freeze({ x: 1 });
    rememberJson(a, '{"x":1}');
    const b = Object.freeze({ y: 2 });
    markImmutable(b);
    expect(knownJson(b)).toBe('{"y":2}');
    expect(knownJson({ z: 3 })).toBeUndefined();
    expect(jsonText({ items: [a, b], n: 1 })).toBe('{"items":[{"x":1},{"y":2}],"n":1}');
    expect(jsonText({ type: 'ADDED', object: a })).toBe('{"type":"ADDED","object":{"x":1}}');
  });

  it('the store records exactly the text of the objects it hands out', () => {
    const store = SqliteStore.open({ path: ':memory:' });
    try {
      const obj = { kind: 'X', spec: { a: [1, { b: undefined }], c: -0 }, metadata: { name: 'n', labels: { l: 'v' } }, z: undefined };
      store.create('/registry/x/n', obj as never);
      const got = store.get('/registry/x/n')!.object;
      expect(knownJson(got)).toBe(JSON.stringify(got));
      expect(knownJson(got.metadata)).toBe(JSON.stringify(got.metadata));
      store.update('/registry/x/n', { ...got, spec: { d: 1 } } as never);
      const got2 = store.get('/registry/x/n')!.object;
      expect(knownJson(got2)).toBe(JSON.stringify(got2));
      const events: unknown[] = [];
      store.watch('/registry/x/', { fromRevision: 0 }, (ev) => events.push(knownJson(ev.object)));
      store.delete('/registry/x/n');
      expect(events[0]).toBe(JSON.stringify({ ...got2, metadata: { ...got2.metadata, resourceVersion: '3' } }));
    } finally {
      store.close();
    }
  });

  it('keeps no text for Events (written once, rarely read); jsonText still gives their exact JSON', () => {
    const store = SqliteStore.open({ path: ':memory:' });
    try {
      store.create('/registry/core/events/default/web.1', { apiVersion: 'v1', kind: 'Event', metadata: { name: 'web.1', namespace: 'default' }, reason: 'Pulled', count: 1 });
      store.create('/registry/core/pods/default/web', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' } });
      const ev = store.get('/registry/core/events/default/web.1')!.object;
      expect(knownJson(ev)).toBeUndefined();
      expect(jsonText(ev)).toBe(JSON.stringify(ev));
      const pod = store.get('/registry/core/pods/default/web')!.object;
      expect(knownJson(pod)).toBe(JSON.stringify(pod));
      expect(knownJson(pod.metadata)).toBe(JSON.stringify(pod.metadata));
    } finally {
      store.close();
    }
  });

  it('keeps computed texts of objects marked recentOnly for the most recent ~8 M characters only; others as long as they live', () => {
    let reads = 0;
    const big = 'x'.repeat(1 << 20);
    const a = Object.freeze({
      get text() {
        reads++;
        return big;
      },
    });
    markImmutable(a, true);
    let keptReads = 0;
    const kept = Object.freeze({
      get text() {
        keptReads++;
        return 'k';
      },
    });
    markImmutable(kept);
    expect(recordedJson(a)).toBeUndefined(); // never computed by recordedJson
    expect(knownJson(kept)).toBe('{"text":"k"}');
    expect(knownJson(a)).toBe(JSON.stringify({ text: big }));
    expect(recordedJson(a)).toBe(JSON.stringify({ text: big }));
    reads = 0;
    expect(knownJson(a)).toBe(JSON.stringify({ text: big }));
    expect(reads).toBe(0); // kept
    const others = Array.from({ length: 9 }, (_, i) => Object.freeze({ i, big }));
    for (const o of others) {
      markImmutable(o, true);
      knownJson(o);
    }
    expect(knownJson(a)).toBe(JSON.stringify({ text: big }));
    expect(reads).toBe(1); // forgotten, computed again (and exact)
    expect(knownJson(kept)).toBe('{"text":"k"}');
    expect(keptReads).toBe(1); // not recentOnly: kept
    expect(knownJson(others[8]!)).toBe(JSON.stringify(others[8]));
  });
});
