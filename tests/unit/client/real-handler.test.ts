/**
 * The client and an informer against the real API handler (in-memory SQLite store), the same
 * pipeline kubectl's requests take.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../../src-main/storage/sqlite-store';
import { createApiServer, type ApiServer } from '../../../src-main/apiserver/server';
import type { ServerContext } from '../../../src-main/apiserver/context';
import { StatusError } from '../../../src-main/api/errors';
import type { KubeObject } from '../../../src-main/api/types';
import { FakeClock, KubeClient, R, SharedInformer } from '../../../src-main/client';

const ADMIN = { name: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise<void>((r) => setImmediate(r));
  expect(cond()).toBe(true);
}

function cm(name: string, labels: Record<string, string> = {}, data: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data };
}

let store: SqliteStore;
let ctx: ServerContext;
let server: ApiServer;
let client: KubeClient;
const cleanups: (() => Promise<void> | void)[] = [];

beforeEach(async () => {
  store = SqliteStore.open({ path: ':memory:', historyWindow: 0 });
  server = createApiServer(store);
  ctx = server.ctx;
  client = new KubeClient(server.handler, ADMIN, { fieldManager: 'kubesim-test' });
  await client.create(R.namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
});

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  server.close();
  store.close();
});

describe('KubeClient against the real handler', () => {
  it('creates, reads, lists with selectors, updates, patches and deletes', async () => {
    const a = await client.create(R.configmaps, 'default', cm('a', { app: 'web' }, { k: '1' }));
    expect(a.metadata.uid).toBeTruthy();
    await client.create(R.configmaps, 'default', cm('b', { app: 'db' }));
    const got = await client.get(R.configmaps, 'default', 'a');
    expect(got.data).toEqual({ k: '1' });

    const web = await client.list(R.configmaps, 'default', { labelSelector: 'app in (web)' });
    expect(web.items.map((o) => o.metadata.name)).toEqual(['a']);
    const byName = await client.list(R.configmaps, undefined, { fieldSelector: 'metadata.name=b' });
    expect(byName.items.map((o) => o.metadata.name)).toEqual(['b']);
    const paged = await client.listAll(R.configmaps, 'default', { limit: 1 });
    expect(paged.items.map((o) => o.metadata.name)).toEqual(['a', 'b']);

    got.data = { k: '2' };
    const updated = await client.update(R.configmaps, 'default', got);
    expect(updated.data).toEqual({ k: '2' });
    const patched = await client.patch(R.configmaps, 'default', 'a', 'merge', { data: { extra: 'x' } });
    expect(patched.data).toEqual({ k: '2', extra: 'x' });
    const jp = await client.patch(R.configmaps, 'default', 'a', 'json', [{ op: 'remove', path: '/data/extra' }]);
    expect(jp.data).toEqual({ k: '2' });

    await client.delete(R.configmaps, 'default', 'a');
    expect(await client.tryGet(R.configmaps, 'default', 'a')).toBeUndefined();
  });

  it('hands out results the caller owns: changing what create, get or update returned changes nothing stored', async () => {
    const body = cm('own', { app: 'web' }, { k: '1' });
    const created = await client.create(R.configmaps, 'default', body);
    expect(Object.isFrozen(created)).toBe(false);
    (created.data as Record<string, string>).k = 'mutated';
    created.metadata.labels!.app = 'mutated';
    (body.data as Record<string, string>).k = 'body-mutated';
    const got = await client.get(R.configmaps, 'default', 'own');
    expect([got.data, got.metadata.labels]).toEqual([{ k: '1' }, { app: 'web' }]);
    (got.data as Record<string, string>).k = 'mutated-again';
    const updated = await client.update(R.configmaps, 'default', { ...cm('own', { app: 'web' }, { k: '2' }), metadata: { ...got.metadata } });
    (updated as unknown as { data: Record<string, string> }).data.k = 'x';
    expect((await client.get(R.configmaps, 'default', 'own')).data).toEqual({ k: '2' });
    expect((store.get('/registry/core/configmaps/default/own')!.object as unknown as { data: unknown }).data).toEqual({ k: '2' });
  });

  it('throws the server Status as a StatusError', async () => {
    await client.create(R.configmaps, 'default', cm('a'));
    const conflict = await client.create(R.configmaps, 'default', cm('a')).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(StatusError);
    expect((conflict as StatusError).code).toBe(409);
    expect((conflict as StatusError).reason).toBe('AlreadyExists');
    expect((conflict as StatusError).message).toBe('configmaps "a" already exists');

    const missing = (await client.get(R.configmaps, 'default', 'nope').catch((e: unknown) => e)) as StatusError;
    expect([missing.code, missing.reason, missing.message]).toEqual([404, 'NotFound', 'configmaps "nope" not found']);

    const bad = (await client.list(R.configmaps, 'default', { labelSelector: 'app in' }).catch((e: unknown) => e)) as StatusError;
    expect([bad.code, bad.reason, bad.message]).toEqual([400, 'BadRequest', "unable to parse requirement: found '' expected: '('"]);

    const field = (await client.list(R.configmaps, 'default', { fieldSelector: 'data.k=1' }).catch((e: unknown) => e)) as StatusError;
    expect([field.code, field.message]).toEqual([400, '"data.k" is not a known field selector: only "metadata.name", "metadata.namespace"']);
  });

  it('feeds an informer: sync, watch events, and a relist after 410 reconciles deletions', async () => {
    await client.create(R.configmaps, 'default', cm('a'));
    await client.create(R.configmaps, 'default', cm('b'));
    const clock = new FakeClock();
    const inf = new SharedInformer(client, R.configmaps, { namespace: 'default', clock, backoff: { random: () => 0 }, watchTimeoutSeconds: 300 });
    cleanups.push(() => inf.stop());
    const events: string[] = [];
    inf.addEventHandler({
      onAdd: (o) => events.push(`add ${o.metadata.name}`),
      onUpdate: (_o, n) => events.push(`update ${n.metadata.name}`),
      onDelete: (o, unknown) => events.push(`delete ${o.metadata.name}${unknown ? ' (unknown)' : ''}`),
    });
    inf.start();
    expect(await inf.waitForSync()).toBe(true);
    expect(events).toEqual(['add a', 'add b']);

    await client.create(R.configmaps, 'default', cm('c'));
    await client.patch(R.configmaps, 'default', 'a', 'merge', { data: { v: '1' } });
    await client.delete(R.configmaps, 'default', 'b');
    await until(() => events.length === 5);
    expect(events.slice(2)).toEqual(['add c', 'update a', 'delete b']);
    expect(inf.list().map((o) => o.metadata.name).sort()).toEqual(['a', 'c']);
    expect(inf.lastSyncResourceVersion()).toBe(String(store.currentRevision()));

    // The server ends the watch; while the informer backs off, objects change and history is compacted.
    events.length = 0;
    const before = inf.lastSyncResourceVersion();
    // (The first close is followed by an immediate rewatch; a watch that then ends without any
    // event makes the informer back off on its clock before watching again.)
    for (const w of [...ctx.watches]) w.close();
    await until(() => ctx.watches.size === 1);
    for (const w of [...ctx.watches]) w.close();
    for (let j = 0; j < 50; j++) await new Promise<void>((r) => setImmediate(r));
    expect(ctx.watches.size).toBe(0);
    await client.delete(R.configmaps, 'default', 'c');
    await client.create(R.configmaps, 'default', cm('d'));
    store.compact();
    expect(store.compactedRevision()).toBeGreaterThan(Number(before));
    // rewatch from the old revision: 410 → relist
    for (let i = 0; i < 5 && !events.includes('delete c (unknown)'); i++) {
      clock.advance(30_000);
      for (let j = 0; j < 50; j++) await new Promise<void>((r) => setImmediate(r));
    }
    expect(events).toEqual(['add d', 'delete c (unknown)']);
    expect(inf.list().map((o) => o.metadata.name).sort()).toEqual(['a', 'd']);
  });

  it('watch() streams events and ends on close', async () => {
    const w = await client.watch(R.configmaps, 'default', { allowWatchBookmarks: true });
    const seen: string[] = [];
    w.onEvent((e) => seen.push(`${e.type} ${e.object.metadata.name ?? ''}`));
    await client.create(R.configmaps, 'default', cm('x'));
    await until(() => seen.length === 1);
    expect(seen).toEqual(['ADDED x']);
    let closed = false;
    w.onClose(() => (closed = true));
    w.close();
    expect(closed).toBe(true);
    await until(() => ctx.watches.size === 0);
  });
});
