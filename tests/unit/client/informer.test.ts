import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src-main/api/types';
import { FakeClock, KubeClient, SharedInformer, SharedInformerFactory, WorkQueue, queueingHandler, type ResourceEventHandler } from '../../../src-main/client';
import { FakeCollection } from './fake-handler';

const PODS = { group: '', version: 'v1', resource: 'pods' };
const USER = { name: 'system:kube-controller-manager', groups: ['system:authenticated'] };

async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
}

type Ev = [string, ...string[]];

function recorder(): { events: Ev[]; handler: ResourceEventHandler } {
  const events: Ev[] = [];
  return {
    events,
    handler: {
      onAdd: (o, initial) => events.push(['add', o.metadata.name!, o.metadata.resourceVersion!, String(initial)]),
      onUpdate: (a, b) => events.push(['update', b.metadata.name!, a.metadata.resourceVersion!, b.metadata.resourceVersion!]),
      onDelete: (o, unknown) => events.push(['delete', o.metadata.name!, String(unknown)]),
    },
  };
}

function names(objs: KubeObject[]): string[] {
  return objs.map((o) => o.metadata.name!).sort();
}

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
});

function setup(opts: { pageSize?: number } = {}) {
  const fake = new FakeCollection();
  const clock = new FakeClock(0);
  const client = new KubeClient(fake.handler, USER);
  const inf = new SharedInformer(client, PODS, { clock, backoff: { random: () => 0 }, watchTimeoutSeconds: 300, pageSize: opts.pageSize });
  stops.push(() => inf.stop());
  return { fake, clock, client, inf };
}

describe('SharedInformer', () => {
  it('lists, syncs, then applies watch events once each', async () => {
    const { fake, inf } = setup({ pageSize: 2 });
    fake.create('default', 'a');
    fake.create('default', 'b');
    fake.create('kube-system', 'c');
    const rec = recorder();
    inf.addEventHandler(rec.handler);
    inf.start();
    expect(await inf.waitForSync()).toBe(true);
    expect(inf.hasSynced()).toBe(true);
    expect(rec.events).toEqual([
      ['add', 'a', '101', 'true'],
      ['add', 'b', '102', 'true'],
      ['add', 'c', '103', 'true'],
    ]);
    // paged list (limit 2 → two pages), then a watch from the list's resourceVersion
    expect(fake.listRequests().map((r) => r.query.get('limit'))).toEqual(['2', '2']);
    await flush();
    const w = fake.watchRequests();
    expect(w).toHaveLength(1);
    expect(w[0].query.get('resourceVersion')).toBe('103');
    expect(w[0].query.get('allowWatchBookmarks')).toBe('true');
    expect(w[0].query.get('timeoutSeconds')).toBe('300');

    rec.events.length = 0;
    fake.create('default', 'd');
    fake.update('default', 'a', (o) => (o.metadata.labels = { x: 'y' }));
    fake.delete('default', 'b');
    await flush();
    expect(rec.events).toEqual([
      ['add', 'd', '104', 'false'],
      ['update', 'a', '101', '105'],
      ['delete', 'b', 'false'],
    ]);
    expect(names(inf.list())).toEqual(['a', 'c', 'd']);
    expect(inf.get('default', 'a')?.metadata.labels).toEqual({ x: 'y' });
    expect(inf.lastSyncResourceVersion()).toBe('106');
  });

  it('bookmarks move the resourceVersion without handler calls; a closed watch resumes from there', async () => {
    const { fake, inf } = setup();
    fake.create('default', 'a');
    const rec = recorder();
    inf.addEventHandler(rec.handler);
    inf.start();
    await inf.waitForSync();
    await flush();
    rec.events.length = 0;
    fake.rv = 150; // other resources moved the revision on
    fake.bookmark();
    await flush();
    expect(rec.events).toEqual([]);
    expect(inf.lastSyncResourceVersion()).toBe('150');
    fake.closeWatches();
    await flush();
    const w = fake.watchRequests();
    expect(w).toHaveLength(2);
    expect(w[1].query.get('resourceVersion')).toBe('150');
    expect(fake.listRequests()).toHaveLength(1); // no relist for a normal close
    fake.create('default', 'b');
    await flush();
    expect(rec.events).toEqual([['add', 'b', '151', 'false']]);
  });

  it('relists after 410 Expired (with back-off) and reconciles what happened meanwhile', async () => {
    const { fake, clock, inf } = setup();
    fake.create('default', 'a');
    fake.create('default', 'b');
    fake.create('default', 'c');
    const rec = recorder();
    inf.addEventHandler(rec.handler);
    inf.start();
    await inf.waitForSync();
    await flush();
    rec.events.length = 0;

    fake.expireWatches();
    await flush();
    // changes the informer cannot see: no watch is open
    fake.delete('default', 'b', true);
    fake.update('default', 'c', (o) => (o.metadata.labels = { v: '2' }), true);
    fake.create('default', 'd', {}, true);
    expect(fake.listRequests()).toHaveLength(1);
    clock.advance(799);
    await flush();
    expect(fake.listRequests()).toHaveLength(1);
    clock.advance(1); // 800 ms back-off (jitter 0 here)
    await flush();
    expect(fake.listRequests()).toHaveLength(2);
    expect(rec.events).toEqual([
      ['update', 'c', '103', '105'],
      ['add', 'd', '106', 'false'],
      ['delete', 'b', 'true'],
    ]);
    expect(names(inf.list())).toEqual(['a', 'c', 'd']);
    // and it watches again from the new list
    expect(fake.watchRequests().at(-1)!.query.get('resourceVersion')).toBe('106');
    rec.events.length = 0;
    fake.delete('default', 'a');
    await flush();
    expect(rec.events).toEqual([['delete', 'a', 'false']]);
  });

  it('relists when the rewatch itself is refused with 410 (compacted history)', async () => {
    const { fake, clock, inf } = setup();
    fake.create('default', 'a');
    const rec = recorder();
    inf.addEventHandler(rec.handler);
    inf.start();
    await inf.waitForSync();
    await flush();
    fake.delete('default', 'a', true);
    fake.create('default', 'z', {}, true);
    fake.compact();
    fake.closeWatches();
    await flush();
    // a watch that ends at once without any event is retried after a back-off, not in a loop
    expect(fake.watchRequests()).toHaveLength(1);
    clock.advance(800);
    await flush();
    expect(fake.watchRequests()).toHaveLength(2); // refused with 410
    expect(fake.listRequests()).toHaveLength(1);
    clock.advance(1600); // the back-off doubled
    await flush();
    expect(fake.listRequests()).toHaveLength(2);
    expect(rec.events.slice(1)).toEqual([
      ['add', 'z', '103', 'false'],
      ['delete', 'a', 'true'],
    ]);
  });

  it('backs off exponentially while lists fail, then syncs', async () => {
    const { fake, clock, inf } = setup();
    fake.create('default', 'a');
    fake.failLists = 3;
    inf.start();
    await flush();
    expect(inf.hasSynced()).toBe(false);
    clock.advance(800);
    await flush();
    clock.advance(1599);
    await flush();
    expect(fake.listRequests()).toHaveLength(2);
    clock.advance(1);
    await flush();
    expect(fake.listRequests()).toHaveLength(3);
    clock.advance(3200);
    await flush();
    expect(fake.listRequests()).toHaveLength(4);
    expect(inf.hasSynced()).toBe(true);
    expect(names(inf.list())).toEqual(['a']);
  });

  it('keeps the namespace index and custom indexes current', async () => {
    const { fake, inf } = setup();
    inf.addIndexers({ byNode: (o) => { const n = (o.spec as { nodeName?: string } | undefined)?.nodeName; return n ? [n] : []; } });
    fake.create('default', 'a', { spec: { nodeName: 'n1' } });
    fake.create('default', 'b', { spec: { nodeName: 'n2' } });
    fake.create('other', 'c', { spec: { nodeName: 'n1' }, metadata: { labels: { app: 'web' } } });
    inf.start();
    await inf.waitForSync();
    await flush();
    expect(names(inf.byIndex('byNode', 'n1'))).toEqual(['a', 'c']);
    expect(names(inf.byIndex('namespace', 'default'))).toEqual(['a', 'b']);
    expect(names(inf.list('other'))).toEqual(['c']);
    expect(names(inf.list(undefined, 'app=web'))).toEqual(['c']);
    fake.update('default', 'a', (o) => ((o.spec as { nodeName: string }).nodeName = 'n2'));
    fake.delete('other', 'c');
    await flush();
    expect(names(inf.byIndex('byNode', 'n1'))).toEqual([]);
    expect(names(inf.byIndex('byNode', 'n2'))).toEqual(['a', 'b']);
    expect(inf.indexer.listIndexFuncValues('byNode').sort()).toEqual(['n2']);
    expect(() => inf.byIndex('nope', 'x')).toThrow('Index with name nope does not exist');
  });

  it('replays the cache to late handlers, resyncs on the clock, survives a throwing handler', async () => {
    const { fake, clock, inf } = setup();
    fake.create('default', 'a');
    const logs: string[] = [];
    const inf2 = new SharedInformer(new KubeClient(fake.handler, USER), PODS, { clock, backoff: { random: () => 0 }, log: (l) => logs.push(l) });
    stops.push(() => inf2.stop());
    inf2.addEventHandler({ onAdd: () => { throw new Error('handler bug'); } });
    inf2.start();
    await inf2.waitForSync();
    await flush();
    expect(logs.some((l) => l.includes('handler bug'))).toBe(true);
    const late = recorder();
    const reg = inf2.addEventHandler(late.handler, { resyncPeriodMs: 1000 });
    expect(reg.hasSynced()).toBe(true);
    expect(late.events).toEqual([['add', 'a', '101', 'true']]);
    clock.advance(1000);
    expect(late.events.at(-1)).toEqual(['update', 'a', '101', '101']);
    reg.remove();
    fake.create('default', 'b');
    await flush();
    clock.advance(5000);
    expect(late.events).toHaveLength(2);
    expect(names(inf2.list())).toEqual(['a', 'b']);
    void inf; // the first informer of setup() stays unused here
  });

  it('stop ends the watch and resolves pending waitForSync with false', async () => {
    const { fake, inf } = setup();
    fake.failLists = 1;
    inf.start();
    const p = inf.waitForSync();
    await flush();
    await inf.stop();
    expect(await p).toBe(false);
    expect(fake.openStreams()).toHaveLength(0);
  });
});

describe('queueingHandler', () => {
  it('turns informer events into deduplicated namespace/name keys', async () => {
    const { fake, inf } = setup();
    fake.create('default', 'a');
    fake.create('kube-system', 'b');
    const q = new WorkQueue<string>();
    inf.addEventHandler(queueingHandler(q));
    inf.start();
    await inf.waitForSync();
    await flush();
    fake.update('default', 'a', (o) => (o.metadata.labels = { x: '1' }));
    fake.delete('kube-system', 'b');
    await flush();
    expect([q.tryGet(), q.tryGet(), q.tryGet()]).toEqual(['default/a', 'kube-system/b', undefined]);
  });
});

describe('SharedInformerFactory', () => {
  it('shares one list+watch per resource between callers', async () => {
    const fake = new FakeCollection();
    fake.create('default', 'a');
    const clock = new FakeClock();
    const factory = new SharedInformerFactory(new KubeClient(fake.handler, USER), { clock, backoff: { random: () => 0 } });
    stops.push(() => factory.stop());
    const i1 = factory.informerFor(PODS);
    const i2 = factory.informerFor(PODS, { indexers: { byName: (o) => [o.metadata.name!] } });
    const other = factory.informerFor(PODS, { namespace: 'kube-system' });
    expect(i1).toBe(i2);
    expect(other).not.toBe(i1);
    const r1 = recorder();
    const r2 = recorder();
    i1.addEventHandler(r1.handler);
    i2.addEventHandler(r2.handler);
    factory.start();
    expect(await factory.waitForCacheSync()).toBe(true);
    await flush();
    expect(fake.listRequests().filter((r) => r.path === '/api/v1/pods')).toHaveLength(1);
    expect(fake.watchRequests().filter((r) => r.path === '/api/v1/pods')).toHaveLength(1);
    expect(fake.listRequests().filter((r) => r.path === '/api/v1/namespaces/kube-system/pods')).toHaveLength(1);
    fake.create('default', 'b');
    await flush();
    expect(r1.events.map((e) => e[1])).toEqual(['a', 'b']);
    expect(r2.events.map((e) => e[1])).toEqual(['a', 'b']);
    expect(names(i1.byIndex('byName', 'b'))).toEqual(['b']);
    expect(other.list()).toEqual([]);
  });
});
