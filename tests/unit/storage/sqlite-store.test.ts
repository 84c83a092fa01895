import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src-main/api/types';
import { SCHEMA_VERSION, SqliteStore } from '../../../src-main/storage/sqlite-store';
import { StoreError, type StoreEvent } from '../../../src-main/storage/types';
import { evSummary, pod, podKey, tempDir } from './helpers';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function mem(historyWindow?: number): SqliteStore {
  const s = SqliteStore.open({ path: ':memory:', historyWindow });
  cleanups.push(() => s.close());
  return s;
}

function dir(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

function storeErr(fn: () => unknown): StoreError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StoreError) return e;
    throw e;
  }
  throw new Error('expected a StoreError, nothing was thrown');
}

describe('SqliteStore: writes and resourceVersion', () => {
  it('sets metadata.resourceVersion to the revision and ignores the caller\'s', () => {
    const s = mem();
    expect(s.currentRevision()).toBe(0);
    const input = pod('default', 'a');
    input.metadata.resourceVersion = '999';
    const c = s.create(podKey('default', 'a'), input);
    expect(c.rv).toBe(1);
    expect(c.object.metadata.resourceVersion).toBe('1');
    expect(input.metadata.resourceVersion).toBe('999'); // the caller's object is not touched
    expect(s.get(podKey('default', 'a'))!.object.metadata.resourceVersion).toBe('1');
    const u = s.update(podKey('default', 'a'), { ...c.object, metadata: { ...c.object.metadata, resourceVersion: '12345' } });
    expect(u.rv).toBe(2);
    expect(u.object.metadata.resourceVersion).toBe('2');
    expect(s.get(podKey('default', 'a'))!.rv).toBe(2);
    expect(s.currentRevision()).toBe(2);
  });

  it('hands out frozen shared objects from get/list and owned copies from writes', () => {
    const s = mem();
    const c = s.create(podKey('default', 'a'), pod('default', 'a'));
    c.object.kind = 'Changed'; // the caller owns what create returns
    const g = s.get(podKey('default', 'a'))!;
    expect(g.object.kind).toBe('Pod');
    expect(() => {
      (g.object.metadata as { name: string }).name = 'x';
    }).toThrow(TypeError);
    expect(() => {
      ((g.object.spec as { containers: { image: string }[] }).containers[0]).image = 'x';
    }).toThrow(TypeError);
    const l = s.list('/registry/core/pods/');
    expect(Object.isFrozen(l.items[0].object)).toBe(true);
    const input = pod('default', 'b');
    const b = s.create(podKey('default', 'b'), input);
    (input.spec as { nodeName: string }).nodeName = 'changed-after';
    expect((s.get(podKey('default', 'b'))!.object.spec as { nodeName: string }).nodeName).toBe('worker-1');
    const d = s.delete(podKey('default', 'b'));
    d.object.kind = 'Mine';
    expect(d.object.metadata.resourceVersion).toBe(String(d.rv));
  });

  it('create on an existing key fails with AlreadyExists and writes nothing', () => {
    const s = mem();
    s.create(podKey('default', 'a'), pod('default', 'a'));
    const e = storeErr(() => s.create(podKey('default', 'a'), pod('default', 'a', { status: { phase: 'Failed' } })));
    expect(e.code).toBe('AlreadyExists');
    expect(s.currentRevision()).toBe(1);
    expect((s.get(podKey('default', 'a'))!.object.status as { phase: string }).phase).toBe('Running');
  });

  it('update and delete of a missing key fail with NotFound', () => {
    const s = mem();
    expect(storeErr(() => s.update(podKey('default', 'x'), pod('default', 'x'))).code).toBe('NotFound');
    expect(storeErr(() => s.delete(podKey('default', 'x'))).code).toBe('NotFound');
    s.create(podKey('default', 'x'), pod('default', 'x'));
    s.delete(podKey('default', 'x'));
    expect(storeErr(() => s.delete(podKey('default', 'x'))).code).toBe('NotFound');
    expect(storeErr(() => s.update(podKey('default', 'x'), pod('default', 'x'))).code).toBe('NotFound');
    expect(s.get(podKey('default', 'x'))).toBeUndefined();
    expect(s.currentRevision()).toBe(2);
  });

  it('a stale expected revision is a Conflict and changes nothing', () => {
    const s = mem();
    const a = s.create(podKey('default', 'a'), pod('default', 'a'));
    const b = s.update(podKey('default', 'a'), pod('default', 'a', { status: { phase: 'Succeeded' } }), a.rv);
    const e = storeErr(() => s.update(podKey('default', 'a'), pod('default', 'a', { status: { phase: 'Failed' } }), a.rv));
    expect(e.code).toBe('Conflict');
    expect(storeErr(() => s.delete(podKey('default', 'a'), a.rv)).code).toBe('Conflict');
    expect(s.currentRevision()).toBe(b.rv);
    expect((s.get(podKey('default', 'a'))!.object.status as { phase: string }).phase).toBe('Succeeded');
    const d = s.delete(podKey('default', 'a'), b.rv);
    expect(d.rv).toBe(b.rv + 1);
    expect((d.object.status as { phase: string }).phase).toBe('Succeeded');
  });

  it('the database itself refuses a compare-and-swap on a stale revision (rolled back, no log row)', () => {
    const path = join(dir(), 'db');
    const s = SqliteStore.open({ path });
    const a = s.create(podKey('default', 'a'), pod('default', 'a'));
    // Bypass the in-memory check: call the transaction with a wrong expected revision.
    const tx = (s as unknown as { txUpdate: (k: string, rv: number, prev: number, v: string) => void }).txUpdate;
    let err: unknown;
    try {
      tx(podKey('default', 'a'), a.rv + 1, a.rv + 100, JSON.stringify(pod('default', 'a')));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe('Conflict');
    s.close();
    const s2 = SqliteStore.open({ path });
    cleanups.push(() => s2.close());
    expect(s2.currentRevision()).toBe(a.rv);
    expect(s2.create(podKey('default', 'b'), pod('default', 'b')).rv).toBe(a.rv + 1);
  });

  it('never loses an update when read-modify-write cycles interleave', async () => {
    const s = mem();
    const key = '/registry/core/configmaps/default/counter';
    s.create(key, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'counter', namespace: 'default' }, data: { n: '0' } });
    let conflicts = 0;
    const worker = async (rounds: number): Promise<void> => {
      for (let done = 0; done < rounds; ) {
        const cur = s.get(key)!;
        await new Promise((r) => setImmediate(r)); // let the other workers read the same revision
        const n = Number((cur.object.data as { n: string }).n);
        try {
          s.update(key, { ...cur.object, data: { n: String(n + 1) } }, cur.rv);
          done++;
        } catch (e) {
          if (e instanceof StoreError && e.code === 'Conflict') conflicts++;
          else throw e;
        }
      }
    };
    await Promise.all([worker(20), worker(20), worker(20), worker(20)]);
    expect((s.get(key)!.object.data as { n: string }).n).toBe('80');
    expect(conflicts).toBeGreaterThan(0); // the interleaving really happened
    expect(s.currentRevision()).toBe(81);
  });

  it('close is idempotent and later calls fail with Closed', () => {
    const s = SqliteStore.open({ path: ':memory:' });
    s.create(podKey('default', 'a'), pod('default', 'a'));
    const w = s.watch('/', { fromRevision: 0 }, () => {});
    s.close();
    s.close();
    w.stop();
    for (const f of [
      () => s.get(podKey('default', 'a')),
      () => s.list('/'),
      () => s.count('/'),
      () => s.create(podKey('default', 'b'), pod('default', 'b')),
      () => s.update(podKey('default', 'a'), pod('default', 'a')),
      () => s.delete(podKey('default', 'a')),
      () => s.watch('/', { fromRevision: 0 }, () => {}),
      () => s.compact(),
      () => s.currentRevision(),
    ]) {
      expect(storeErr(f).code).toBe('Closed');
    }
  });
});

describe('SqliteStore: list, count and paging', () => {
  function fill(s: SqliteStore): void {
    for (const ns of ['default2', 'default', 'kube-system', 'def']) {
      for (let i = 9; i >= 0; i--) s.create(podKey(ns, `p${i}`), pod(ns, `p${i}`));
    }
    s.create('/registry/core/services/default/p0', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'p0', namespace: 'default' } });
  }

  it('lists by prefix, sorted by key, without leaking into sibling namespaces', () => {
    const s = mem();
    fill(s);
    const l = s.list('/registry/core/pods/default/');
    expect(l.items.map((i) => i.key)).toEqual(Array.from({ length: 10 }, (_, i) => podKey('default', `p${i}`)));
    expect(l.revision).toBe(s.currentRevision());
    expect(l.more).toBe(false);
    expect(s.count('/registry/core/pods/default/')).toBe(10);
    expect(s.count('/registry/core/pods/')).toBe(40);
    expect(s.count('/registry/core/')).toBe(41);
    expect(s.count('/registry/apps/')).toBe(0);
    const all = s.list('/registry/core/pods/').items.map((i) => i.key);
    expect(all).toEqual([...all].sort());
    expect(all).toHaveLength(40);
    for (const it of l.items) expect(it.object.metadata.resourceVersion).toBe(String(it.rv));
  });

  it('pages with startAfterKey and limit, reporting more and remaining', () => {
    const s = mem();
    fill(s);
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    for (;;) {
      const page = s.list('/registry/core/pods/', { limit: 7, startAfterKey: after });
      pages++;
      seen.push(...page.items.map((i) => i.key));
      if (!page.more) {
        expect(page.remaining ?? 0).toBe(0);
        break;
      }
      expect(page.items).toHaveLength(7);
      expect(page.remaining).toBe(40 - seen.length);
      after = page.items[page.items.length - 1].key;
    }
    expect(pages).toBe(6);
    expect(seen).toEqual(s.list('/registry/core/pods/').items.map((i) => i.key));
    expect(s.list('/registry/core/pods/default/', { startAfterKey: podKey('default', 'p9') }).items).toHaveLength(0);
  });

  it('applies the filter before the limit', () => {
    const s = mem();
    fill(s);
    const even = (o: KubeObject): boolean => Number(o.metadata.name!.slice(1)) % 2 === 0;
    const p1 = s.list('/registry/core/pods/', { filter: even, limit: 15 });
    expect(p1.items).toHaveLength(15);
    expect(p1.items.every((i) => even(i.object))).toBe(true);
    expect(p1.more).toBe(true);
    const p2 = s.list('/registry/core/pods/', { filter: even, limit: 15, startAfterKey: p1.items[14].key });
    expect(p2.items).toHaveLength(5);
    expect(p2.more).toBe(false);
  });

  it('reads the state as of an older revision from the log, consistent across pages while writes go on', () => {
    const s = mem();
    fill(s);
    const at = s.currentRevision();
    const before = s.list('/registry/core/pods/').items.map((i) => `${i.key}@${i.rv}`);
    // Change the prefix: delete some, update some, add some.
    s.delete(podKey('default', 'p3'));
    s.update(podKey('default', 'p4'), pod('default', 'p4', { status: { phase: 'Failed' } }));
    s.create(podKey('default', 'p10'), pod('default', 'p10'));
    const pages: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = s.list('/registry/core/pods/', { limit: 9, startAfterKey: after, atRevision: at });
      expect(page.revision).toBe(at);
      pages.push(...page.items.map((i) => `${i.key}@${i.rv}`));
      for (const it of page.items) expect(it.object.metadata.resourceVersion).toBe(String(it.rv));
      if (!page.more) break;
      expect(page.remaining).toBe(40 - pages.length);
      after = page.items[page.items.length - 1].key;
      s.create(podKey('default', `z${pages.length}`), pod('default', `z${pages.length}`)); // keeps changing
    }
    expect(pages).toEqual(before);
    const p4 = s.list('/registry/core/pods/default/', { atRevision: at }).items.find((i) => i.key === podKey('default', 'p4'))!;
    expect((p4.object.status as { phase: string }).phase).toBe('Running');
    // A prefix without writes since `at` is served from memory and still reports `at`.
    const svc = s.list('/registry/core/services/', { atRevision: at });
    expect(svc.revision).toBe(at);
    expect(svc.items.map((i) => i.key)).toEqual(['/registry/core/services/default/p0']);
  });
});

describe('SqliteStore: watch', () => {
  it('delivers history then live events, in order, with prev and delete revisions', () => {
    const s = mem();
    const k = podKey('default', 'a');
    s.create(k, pod('default', 'a')); // 1
    s.update(k, pod('default', 'a', { status: { phase: 'Failed' } })); // 2
    const got: StoreEvent[] = [];
    s.watch('/registry/core/pods/default/', { fromRevision: 1 }, (e) => got.push(e));
    s.delete(k); // 3
    s.create(k, pod('default', 'a')); // 4
    expect(got.map(evSummary)).toEqual([
      `MODIFIED ${k} 2 2 prev=1`,
      `DELETED ${k} 3 3 prev=2`,
      `ADDED ${k} 4 4`,
    ]);
    expect((got[1].object.status as { phase: string }).phase).toBe('Failed');
    // The same from history:
    const again: StoreEvent[] = [];
    s.watch('/registry/core/pods/', { fromRevision: 1 }, (e) => again.push(e));
    expect(again.map(evSummary)).toEqual(got.map(evSummary));
    expect((again[1].object.status as { phase: string }).phase).toBe('Failed');
  });

  it('fromRevision 0 means from now on', () => {
    const s = mem();
    s.create(podKey('default', 'a'), pod('default', 'a'));
    const got: StoreEvent[] = [];
    s.watch('/', { fromRevision: 0 }, (e) => got.push(e));
    expect(got).toHaveLength(0);
    s.create(podKey('default', 'b'), pod('default', 'b'));
    expect(got.map((e) => e.rv)).toEqual([2]);
  });

  it('keeps namespace prefixes apart', () => {
    const s = mem();
    const d: string[] = [];
    const d2: string[] = [];
    const named: string[] = [];
    s.watch('/registry/core/pods/default/', { fromRevision: 0 }, (e) => d.push(e.key));
    s.watch('/registry/core/pods/default2/', { fromRevision: 0 }, (e) => d2.push(e.key));
    s.watch(podKey('default', 'web'), { fromRevision: 0 }, (e) => named.push(e.key));
    s.create(podKey('default2', 'web'), pod('default2', 'web'));
    s.create(podKey('default', 'web'), pod('default', 'web'));
    s.create(podKey('default', 'webx'), pod('default', 'webx'));
    s.create('/registry/core/pods/defaultx', pod('', 'defaultx'));
    expect(d).toEqual([podKey('default', 'web'), podKey('default', 'webx')]);
    expect(d2).toEqual([podKey('default2', 'web')]);
    // A prefix that is not a directory matches as a plain string prefix.
    expect(named).toEqual([podKey('default', 'web'), podKey('default', 'webx')]);
    // History obeys the same rule.
    const h: string[] = [];
    s.watch('/registry/core/pods/default/', { fromRevision: 1 }, (e) => h.push(e.key));
    expect(h).toEqual([podKey('default', 'web'), podKey('default', 'webx')]);
  });

  it('gives 150 watchers, started at many revisions, every event exactly once and in order', () => {
    const s = mem();
    const all: StoreEvent[] = [];
    s.watch('/', { fromRevision: 0 }, (e) => all.push(e));
    const namespaces = ['a', 'b', 'c', 'a1', 'ab'];
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const step = (): void => {
      const ns = namespaces[rnd(namespaces.length)];
      const key = podKey(ns, `p${rnd(6)}`);
      const cur = s.get(key);
      if (!cur) s.create(key, pod(ns, key));
      else if (rnd(3) === 0) s.delete(key);
      else s.update(key, pod(ns, key, { status: { phase: `x${rnd(100)}` } }), cur.rv);
    };
    const watchers: { prefix: string; from: number; got: StoreEvent[] }[] = [];
    const prefixes = ['/registry/core/pods/', '/registry/core/', ...namespaces.map((n) => `/registry/core/pods/${n}/`), podKey('a', 'p1')];
    for (let i = 0; i < 150; i++) {
      for (let j = 0; j < 4; j++) step();
      const prefix = prefixes[i % prefixes.length];
      const from = i % 3 === 0 ? 0 : rnd(s.currentRevision() + 1);
      const w = { prefix, from: from === 0 ? s.currentRevision() : from, got: [] as StoreEvent[] };
      watchers.push(w);
      s.watch(prefix, { fromRevision: from }, (e) => w.got.push(e));
    }
    for (let j = 0; j < 200; j++) step();
    // `all` saw every revision since the start: it is the reference.
    expect(all.map((e) => e.rv)).toEqual(Array.from({ length: s.currentRevision() }, (_, i) => i + 1));
    for (const w of watchers) {
      const want = all.filter((e) => e.rv > w.from && e.key.startsWith(w.prefix)).map(evSummary);
      expect(w.got.map(evSummary)).toEqual(want);
    }
    expect(watchers.some((w) => w.got.length > 0 && w.got[0].rv <= 150)).toBe(true); // some replayed history
  });

  it('stays ordered when a watch callback writes or starts another watch', () => {
    const s = mem();
    const a: number[] = [];
    const b: number[] = [];
    const late: number[] = [];
    const late2: number[] = [];
    s.watch('/registry/core/pods/', { fromRevision: 0 }, (e) => {
      a.push(e.rv);
      // React to creations of "trigger" pods by writing a new pod: a nested commit.
      if (e.type === 'ADDED' && e.object.metadata.name!.startsWith('trigger')) {
        s.create(podKey('default', `echo-${e.rv}`), pod('default', `echo-${e.rv}`));
        if (e.rv === 1) {
          s.watch('/registry/core/pods/', { fromRevision: 0 }, (ev) => late.push(ev.rv));
          // Started while the echo (revision 2) is committed but not yet delivered to anyone.
          s.watch('/registry/core/pods/', { fromRevision: 1 }, (ev) => late2.push(ev.rv));
        }
      }
    });
    s.watch('/registry/core/pods/', { fromRevision: 0 }, (e) => b.push(e.rv));
    s.create(podKey('default', 'trigger1'), pod('default', 'trigger1')); // 1, echo 2
    s.create(podKey('default', 'trigger3'), pod('default', 'trigger3')); // 3, echo 4
    s.create(podKey('default', 'plain'), pod('default', 'plain')); // 5
    expect(a).toEqual([1, 2, 3, 4, 5]);
    expect(b).toEqual([1, 2, 3, 4, 5]);
    expect(late).toEqual([3, 4, 5]);
    expect(late2).toEqual([2, 3, 4, 5]);
  });

  it('history replay stays ordered when a callback writes during it', () => {
    const s = mem();
    for (let i = 0; i < 5; i++) s.create(podKey('default', `p${i}`), pod('default', `p${i}`));
    const other: number[] = [];
    s.watch('/registry/core/pods/', { fromRevision: 0 }, (e) => other.push(e.rv));
    const got: number[] = [];
    s.watch('/registry/core/pods/', { fromRevision: 2 }, (e) => {
      got.push(e.rv);
      if (e.rv === 3) s.create(podKey('default', 'during'), pod('default', 'during')); // rv 6
    });
    expect(got).toEqual([3, 4, 5, 6]);
    expect(other).toEqual([6]);
  });

  it('stop ends delivery, and a throwing watcher is stopped without hurting the others', () => {
    const errors: string[] = [];
    const s = SqliteStore.open({ path: ':memory:', onWatchError: (e, p) => errors.push(`${p}: ${(e as Error).message}`) });
    cleanups.push(() => s.close());
    const got: number[] = [];
    const bad: number[] = [];
    const other: number[] = [];
    const w = s.watch('/', { fromRevision: 0 }, (e) => got.push(e.rv));
    s.watch('/registry/', { fromRevision: 0 }, (e) => {
      bad.push(e.rv);
      throw new Error('boom');
    });
    s.watch('/registry/core/', { fromRevision: 0 }, (e) => other.push(e.rv));
    s.create(podKey('default', 'a'), pod('default', 'a'));
    w.stop();
    w.stop();
    s.create(podKey('default', 'b'), pod('default', 'b'));
    expect(got).toEqual([1]);
    expect(bad).toEqual([1]);
    expect(other).toEqual([1, 2]);
    expect(errors).toEqual(['/registry/: boom']);
  });
});

describe('SqliteStore: compaction', () => {
  it('keeps exactly the window, answers Gone below it, and agrees with a model at every retained revision', () => {
    const s = mem(40);
    const model = new Map<string, string>(); // key -> rv
    const snapshots: Map<string, string>[] = [new Map()];
    const live: StoreEvent[] = [];
    s.watch('/registry/', { fromRevision: 0 }, (e) => live.push(e));
    let seed = 3;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const never = podKey('static', 'untouched');
    s.create(never, pod('static', 'untouched'));
    model.set(never, '1');
    snapshots.push(new Map(model));
    for (let i = 0; i < 400; i++) {
      const key = podKey(`ns${rnd(3)}`, `p${rnd(8)}`);
      const cur = s.get(key);
      let rv: number;
      if (!cur) rv = s.create(key, pod('x', key)).rv;
      else if (rnd(3) === 0) {
        rv = s.delete(key).rv;
        model.delete(key);
      } else rv = s.update(key, pod('x', key, { status: { n: i } })).rv;
      if (s.get(key)) model.set(key, String(rv));
      snapshots.push(new Map(model));
      if (i % 37 === 0) s.compact();
    }
    const c = s.compact();
    expect(c).toBe(s.currentRevision() - 40);
    expect(s.compactedRevision()).toBe(c);
    const asText = (m: Map<string, string>): string[] => [...m].map(([k, v]) => `${k}@${v}`).sort();
    for (let r = c; r <= s.currentRevision(); r++) {
      const got = s.list('/registry/', { atRevision: r }).items.map((i) => `${i.key}@${i.object.metadata.resourceVersion}`);
      expect(got).toEqual(asText(snapshots[r]));
    }
    const gone = storeErr(() => s.list('/registry/', { atRevision: c - 1 }));
    expect(gone.code).toBe('Gone');
    const wg = storeErr(() => s.watch('/registry/', { fromRevision: c - 1 }, () => {}));
    expect(wg.code).toBe('Gone');
    expect(wg.currentRevision).toBe(s.currentRevision());
    expect(wg.message).toContain(`too old resource version: ${c - 1} (${s.currentRevision()})`);
    // A watch from the compacted revision replays everything after it, prev included.
    const replay: StoreEvent[] = [];
    s.watch('/registry/', { fromRevision: c }, (e) => replay.push(e));
    expect(replay.map(evSummary)).toEqual(live.filter((e) => e.rv > c).map(evSummary));
    // The live watcher was not disturbed by compaction.
    expect(live.map((e) => e.rv)).toEqual(Array.from({ length: s.currentRevision() }, (_, i) => i + 1));
    // The key written once at revision 1 survives every compaction.
    expect(s.get(never)!.rv).toBe(1);
    expect(s.list('/registry/core/pods/static/', { atRevision: c }).items).toHaveLength(1);
  });

  it('survives a restart: the compacted revision, live keys and increasing revisions persist', () => {
    const path = join(dir(), 'kubesim.db');
    let s = SqliteStore.open({ path, historyWindow: 0 });
    s.create(podKey('default', 'keep'), pod('default', 'keep'));
    for (let i = 0; i < 10; i++) {
      s.create(podKey('default', `t${i}`), pod('default', `t${i}`));
      s.delete(podKey('default', `t${i}`));
    }
    const rev = s.currentRevision();
    expect(s.compact()).toBe(rev);
    s.close();
    s = SqliteStore.open({ path, historyWindow: 0 });
    cleanups.push(() => s.close());
    expect(s.currentRevision()).toBe(rev);
    expect(s.compactedRevision()).toBe(rev);
    expect(s.list('/').items.map((i) => i.key)).toEqual([podKey('default', 'keep')]);
    expect(storeErr(() => s.watch('/', { fromRevision: rev - 1 }, () => {})).code).toBe('Gone');
    // The deleted rows with the highest ids are gone, yet new revisions continue above them.
    expect(s.create(podKey('default', 'new'), pod('default', 'new')).rv).toBe(rev + 1);
  });
});

describe('SqliteStore: files', () => {
  it('caches exactly what a reload reads back (JSON semantics for odd values)', () => {
    const path = join(dir(), 'kubesim.db');
    const s = SqliteStore.open({ path });
    class Thing {
      constructor(readonly a: number) {}
    }
    const odd = pod('default', 'odd', {
      spec: {
        when: new Date('2024-01-02T03:04:05Z'),
        nothing: undefined,
        list: [1, undefined, () => 1, NaN, Infinity, null, 'x', { y: undefined, z: [] }],
        fn: () => 1,
        thing: new Thing(4),
        map: new Map([['a', 1]]),
        custom: { toJSON: () => 'custom!' },
        ['__proto__']: { polluted: true },
        nested: { deep: { deeper: [{ a: -0, b: 1e21, c: '\u2028' }] } },
      },
    });
    Object.defineProperty(odd.spec as object, '__proto__', { value: { polluted: true }, enumerable: true });
    s.create(podKey('default', 'odd'), odd);
    s.update(podKey('default', 'odd'), { ...odd, status: { phase: 'Running', at: new Date(0) } });
    const live = s.list('/').items.map((i) => JSON.stringify(i));
    const liveObj = s.get(podKey('default', 'odd'))!.object;
    expect(JSON.parse(JSON.stringify(liveObj))).toEqual(liveObj);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    s.close();
    const r = SqliteStore.open({ path });
    cleanups.push(() => r.close());
    expect(r.list('/').items.map((i) => JSON.stringify(i))).toEqual(live);
    expect(r.get(podKey('default', 'odd'))!.object).toEqual(liveObj);
  });
  it('brings everything back after a restart, and revisions keep increasing', () => {
    const path = join(dir(), 'kubesim.db');
    let s = SqliteStore.open({ path });
    for (let i = 0; i < 50; i++) s.create(podKey('default', `p${i}`), pod('default', `p${i}`));
    s.update(podKey('default', 'p1'), pod('default', 'p1', { status: { phase: 'Failed' } }));
    s.delete(podKey('default', 'p2'));
    const before = s.list('/').items.map((i) => JSON.stringify(i));
    const rev = s.currentRevision();
    s.close();
    s = SqliteStore.open({ path });
    cleanups.push(() => s.close());
    expect(s.currentRevision()).toBe(rev);
    expect(s.list('/').items.map((i) => JSON.stringify(i))).toEqual(before);
    const hist: StoreEvent[] = [];
    s.watch('/', { fromRevision: rev - 2 }, (e) => hist.push(e));
    expect(hist.map((e) => `${e.type} ${e.rv}`)).toEqual([`MODIFIED ${rev - 1}`, `DELETED ${rev}`]);
    expect(s.create(podKey('default', 'next'), pod('default', 'next')).rv).toBe(rev + 1);
  });

  it('refuses a database of another schema version with an actionable message', () => {
    const path = join(dir(), 'kubesim.db');
    SqliteStore.open({ path }).close();
    const db = new Database(path);
    db.prepare(`UPDATE meta SET value = '999' WHERE name = 'schema_version'`).run();
    db.close();
    const e = storeErr(() => SqliteStore.open({ path }));
    expect(e.code).toBe('Incompatible');
    expect(e.message).toContain('version 999');
    expect(e.message).toContain(`expects version ${SCHEMA_VERSION}`);
    expect(e.message).toContain('--data-dir');
    expect(e.message).toContain('another kubesim version');
  });

  it('refuses a file that is not a SQLite database, and a SQLite database that is not kubesim\'s', () => {
    const d = dir();
    const junk = join(d, 'junk.db');
    writeFileSync(junk, 'this is not a database, just some text that is long enough to have a header'.repeat(20));
    const e = storeErr(() => SqliteStore.open({ path: junk }));
    expect(e.code).toBe('Incompatible');
    expect(e.message).toContain('not a SQLite database');
    expect(e.message).toContain('--data-dir');
    const other = join(d, 'other.db');
    const db = new Database(other);
    db.exec('CREATE TABLE t (x)');
    db.close();
    const e2 = storeErr(() => SqliteStore.open({ path: other }));
    expect(e2.code).toBe('Incompatible');
    expect(e2.message).toContain('not a kubesim one');
  });

  it('a second store on the same file is refused with Locked until the first closes', () => {
    const path = join(dir(), 'kubesim.db');
    const a = SqliteStore.open({ path, busyTimeoutMs: 50 });
    a.create(podKey('default', 'a'), pod('default', 'a'));
    const e = storeErr(() => SqliteStore.open({ path, busyTimeoutMs: 50 }));
    expect(e.code).toBe('Locked');
    expect(e.message).toContain('--data-dir');
    a.close();
    const b = SqliteStore.open({ path });
    cleanups.push(() => b.close());
    expect(b.get(podKey('default', 'a'))!.rv).toBe(1);
  });
});
