/**
 * The browser's shared informers (stores/informers.ts) over a scripted same-origin API (fetch
 * replaced by a router of responses, watches as streams the test writes to): sharing and
 * ref-counting, chunked lists, batched watch events, relist on 410, refused requests, and the
 * watch budget.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { acquire, MAX_WATCHES, release, runningStores, stopAllStores } from '../../../src-renderer/stores/informers';

interface Watch {
  url: URL;
  send(ev: unknown): void;
  end(): void;
  aborted: boolean;
}

let requests: URL[];
let watches: Watch[];
let pods: { name: string; rv: number }[];
let listStatus: { code: number; message: string } | undefined;

const pod = (p: { name: string; rv: number }) => ({ metadata: { name: p.name, namespace: 'ns', resourceVersion: String(p.rv) } });

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function fakeFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const url = new URL(String(input), 'http://ui.test');
  requests.push(url);
  if (url.searchParams.get('watch')) {
    let ctrl!: ReadableStreamDefaultController<Uint8Array>;
    const stream = new ReadableStream<Uint8Array>({ start: (c) => void (ctrl = c) });
    const w: Watch = {
      url,
      aborted: false,
      send: (ev) => ctrl.enqueue(new TextEncoder().encode(JSON.stringify(ev) + '\n')),
      end: () => ctrl.close(),
    };
    init?.signal?.addEventListener('abort', () => {
      w.aborted = true;
      try {
        ctrl.error(new DOMException('aborted', 'AbortError'));
      } catch {
        // already closed
      }
    });
    watches.push(w);
    return Promise.resolve(new Response(stream, { status: 200 }));
  }
  if (listStatus) return Promise.resolve(json({ kind: 'Status', code: listStatus.code, message: listStatus.message, reason: 'BadRequest' }, listStatus.code));
  const limit = Number(url.searchParams.get('limit') ?? '0') || pods.length;
  const start = Number(url.searchParams.get('continue') ?? '0');
  const page = pods.slice(start, start + limit);
  const more = start + limit < pods.length;
  return Promise.resolve(json({ kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '100', ...(more ? { continue: String(start + limit) } : {}) }, items: page.map(pod) }));
}

const until = async (what: string, check: () => boolean) => {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
};

const key = (namespace = 'ns') => ({ group: '', version: 'v1', resource: 'pods', namespace });

beforeEach(() => {
  requests = [];
  watches = [];
  pods = [];
  listStatus = undefined;
  vi.stubGlobal('fetch', fakeFetch);
  // Object watches prefer a WebSocket in the browser; here everything goes through fetch.
  vi.stubGlobal('WebSocket', undefined);
});
afterEach(() => {
  stopAllStores();
  expect(runningStores()).toHaveLength(0);
  expect(watches.every((w) => w.aborted)).toBe(true);
  vi.unstubAllGlobals();
});

describe('shared informers', () => {
  it('shares one store (one list, one watch) between users and stops after the last leaves', async () => {
    pods = [{ name: 'a', rv: 1 }];
    const s1 = acquire(key());
    const s2 = acquire(key());
    expect(s2).toBe(s1);
    await until('watching', () => watches.length === 1);
    expect(requests.filter((u) => !u.searchParams.get('watch'))).toHaveLength(1);
    expect([...s1.items.value.keys()]).toEqual(['ns/a']);
    expect(s1.state.value).toBe('live');
    release(s1, 0);
    await new Promise((r) => setTimeout(r, 20));
    expect(watches[0].aborted).toBe(false);
    release(s2, 0);
    await until('stopped', () => watches[0].aborted);
    expect(runningStores()).toHaveLength(0);
  });

  it('keeps a released store through its grace period for the next user', async () => {
    const s = acquire(key());
    await until('watching', () => watches.length === 1);
    release(s, 10_000);
    const again = acquire(key());
    expect(again).toBe(s);
    expect(watches[0].aborted).toBe(false);
    expect(requests.filter((u) => !u.searchParams.get('watch'))).toHaveLength(1);
  });

  it('lists in chunks: rows after the first chunk, complete after the last, watch from the list', async () => {
    pods = Array.from({ length: 1200 }, (_, i) => ({ name: `p-${i}`, rv: i + 1 }));
    const s = acquire(key());
    await until('watching', () => watches.length === 1);
    const lists = requests.filter((u) => !u.searchParams.get('watch'));
    expect(lists.map((u) => u.searchParams.get('limit'))).toEqual(['500', '2500']);
    expect(lists[1].searchParams.get('continue')).toBe('500');
    expect(s.items.value.size).toBe(1200);
    expect(s.complete.value).toBe(true);
    expect(watches[0].url.searchParams.get('resourceVersion')).toBe('100');
  });

  it('applies watch events in one batch and relists on 410 Gone', async () => {
    pods = [{ name: 'a', rv: 1 }];
    const s = acquire(key());
    await until('watching', () => watches.length === 1);
    let triggers = 0;
    const { watch } = await import('vue');
    const stop = watch(s.items, () => triggers++);
    for (let i = 0; i < 50; i++) watches[0].send({ type: 'ADDED', object: pod({ name: `n-${i}`, rv: 200 + i }) });
    watches[0].send({ type: 'DELETED', object: pod({ name: 'a', rv: 300 }) });
    await until('batch applied', () => s.items.value.size === 50);
    await new Promise((r) => setTimeout(r, 300));
    expect(triggers).toBe(1);
    expect(s.items.value.has('ns/a')).toBe(false);
    expect(s.arrived.value.has('ns/n-0')).toBe(true);
    stop();
    // History compacted: the server ends the watch with 410; the informer lists again.
    pods = [{ name: 'fresh', rv: 400 }];
    watches[0].send({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' } });
    await until('relisted', () => watches.length === 2);
    expect([...s.items.value.keys()]).toEqual(['ns/fresh']);
    expect(watches[1].url.searchParams.get('resourceVersion')).toBe('100');
  });

  it('shows a refused list as failed with the server message, without retrying', async () => {
    listStatus = { code: 400, message: 'unable to parse requirement: found \'(\', expected: identifier' };
    const s = acquire({ ...key(), labelSelector: 'app in (' });
    await until('failed', () => s.state.value === 'failed');
    expect(s.error.value).toBe(listStatus.message);
    expect(requests[0].searchParams.get('labelSelector')).toBe('app in (');
    await new Promise((r) => setTimeout(r, 50));
    expect(requests).toHaveLength(1);
  });

  it(`runs at most ${MAX_WATCHES} Table watches by stopping idle Table stores first`, async () => {
    const objects = acquire(key('objects'));
    const idle = Array.from({ length: MAX_WATCHES }, (_, i) => acquire({ ...key(`ns-${i}`), table: true }));
    await until('all watching', () => watches.length === MAX_WATCHES + 1);
    expect(idle.every((s) => s.key.table)).toBe(true);
    release(objects, 60_000);
    for (const s of idle) release(s, 60_000);
    const fresh = acquire({ ...key('another'), table: true });
    // The oldest idle Table store made room; the idle object store (not an HTTP watch here) stays.
    expect(runningStores().filter((s) => s.key.table)).toHaveLength(MAX_WATCHES);
    expect(runningStores()).toContain(objects);
    expect(runningStores()).toContain(fresh);
    const first = watches.find((w) => w.url.pathname.includes('/ns-0/'))!;
    expect(first.aborted).toBe(true);
    expect(watches.filter((w) => w !== first).every((w) => !w.aborted)).toBe(true);
  });
});
