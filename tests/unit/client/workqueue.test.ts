import { describe, expect, it } from 'vitest';
import {
  BucketRateLimiter,
  DelayingQueue,
  FakeClock,
  ItemExponentialFailureRateLimiter,
  MaxOfRateLimiter,
  RateLimitingQueue,
  WorkQueue,
  defaultControllerRateLimiter,
  runWorker,
} from '../../../src-main/client';

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('WorkQueue', () => {
  it('dedups keys that are queued and keeps FIFO order', async () => {
    const q = new WorkQueue<string>();
    q.add('a');
    q.add('b');
    q.add('a');
    expect(q.len()).toBe(2);
    expect((await q.get()).item).toBe('a');
    expect((await q.get()).item).toBe('b');
    expect(q.len()).toBe(0);
  });

  it('never hands out a key being processed; re-adds it at done', async () => {
    const q = new WorkQueue<string>();
    q.add('a');
    const first = await q.get();
    expect(first.item).toBe('a');
    q.add('a'); // while processing
    q.add('a'); // still one
    expect(q.len()).toBe(0);
    expect(q.tryGet()).toBeUndefined();
    q.done('a');
    expect(q.len()).toBe(1);
    expect((await q.get()).item).toBe('a');
    q.done('a');
    expect(q.len()).toBe(0);
  });

  it('done without a re-add does not queue again', async () => {
    const q = new WorkQueue<string>();
    q.add('x');
    await q.get();
    q.done('x');
    expect(q.len()).toBe(0);
    expect(q.isProcessing('x')).toBe(false);
  });

  it('wakes a waiting get when an item arrives; concurrent getters get different items', async () => {
    const q = new WorkQueue<string>();
    const g1 = q.get();
    const g2 = q.get();
    q.add('a');
    q.add('b');
    q.add('a');
    const [r1, r2] = await Promise.all([g1, g2]);
    expect(new Set([r1.item, r2.item])).toEqual(new Set(['a', 'b']));
    expect(q.len()).toBe(0);
  });

  it('shuts down: ignores adds, drains queued items, then reports shutdown', async () => {
    const q = new WorkQueue<string>();
    q.add('a');
    q.shutDown();
    q.add('b');
    expect(q.shuttingDown()).toBe(true);
    expect(await q.get()).toEqual({ item: 'a', shutdown: false });
    expect(await q.get()).toEqual({ item: undefined, shutdown: true });
    const w = new WorkQueue<string>();
    const pending = w.get();
    w.shutDown();
    expect(await pending).toEqual({ item: undefined, shutdown: true });
  });

  it('shutDownWithDrain waits for items in flight', async () => {
    const q = new WorkQueue<string>();
    q.add('a');
    await q.get();
    let drained = false;
    const p = q.shutDownWithDrain().then(() => (drained = true));
    await tick();
    expect(drained).toBe(false);
    q.done('a');
    await p;
    expect(drained).toBe(true);
  });

  it('coalesce: adds made in one event-loop turn reach a waiting worker once, on the next turn', async () => {
    const synced: string[] = [];
    const q = new RateLimitingQueue<string>({ coalesce: true });
    const worker = runWorker(q, (k) => void synced.push(k));
    await tick();
    // A burst of changes to the same owner (pods turning Ready one write after another).
    for (let i = 0; i < 5; i++) {
      q.add('default/web');
      await Promise.resolve();
    }
    q.add('default/db');
    expect(synced).toEqual([]);
    await tick();
    await tick();
    expect(synced).toEqual(['default/web', 'default/db']);
    // Without coalescing the worker wakes inside the first add: the same burst is several syncs.
    const plainSynced: string[] = [];
    const plain = new RateLimitingQueue<string>();
    const plainWorker = runWorker(plain, (k) => void plainSynced.push(k));
    await tick();
    for (let i = 0; i < 5; i++) {
      plain.add('default/web');
      await Promise.resolve();
    }
    await tick();
    expect(plainSynced.length).toBeGreaterThan(1);
    q.shutDown();
    plain.shutDown();
    await Promise.all([worker, plainWorker]);
  });
});

describe('DelayingQueue', () => {
  it('adds after the delay, earliest pending time wins', () => {
    const clock = new FakeClock(1000);
    const q = new DelayingQueue<string>({ clock });
    q.addAfter('a', 100);
    q.addAfter('a', 50);
    q.addAfter('a', 500);
    q.addAfter('b', 200);
    q.addAfter('c', 0);
    expect(q.len()).toBe(1); // c now
    expect(q.waitingLen()).toBe(2);
    clock.advance(49);
    expect(q.len()).toBe(1);
    clock.advance(1);
    expect(q.len()).toBe(2); // a at 50
    clock.advance(149);
    expect(q.len()).toBe(2);
    clock.advance(1);
    expect(q.len()).toBe(3);
    expect([q.tryGet(), q.tryGet(), q.tryGet()]).toEqual(['c', 'a', 'b']);
    expect(clock.pending()).toBe(0);
  });

  it('a delayed add of an already queued key is deduplicated', () => {
    const clock = new FakeClock();
    const q = new DelayingQueue<string>({ clock });
    q.add('a');
    q.addAfter('a', 10);
    clock.advance(10);
    expect(q.len()).toBe(1);
  });

  it('drops pending delays at shutdown', () => {
    const clock = new FakeClock();
    const q = new DelayingQueue<string>({ clock });
    q.addAfter('a', 10);
    q.shutDown();
    clock.advance(100);
    expect(q.len()).toBe(0);
    expect(clock.pending()).toBe(0);
  });
});

describe('rate limiters', () => {
  it('per-item exponential: 5ms doubling, capped at 1000s, forget resets', () => {
    const rl = new ItemExponentialFailureRateLimiter<string>(5, 1000_000);
    expect([rl.when('a'), rl.when('a'), rl.when('a'), rl.when('a')]).toEqual([5, 10, 20, 40]);
    expect(rl.when('b')).toBe(5);
    expect(rl.numRequeues('a')).toBe(4);
    for (let i = 0; i < 30; i++) rl.when('a');
    expect(rl.when('a')).toBe(1000_000);
    rl.forget('a');
    expect(rl.numRequeues('a')).toBe(0);
    expect(rl.when('a')).toBe(5);
  });

  it('token bucket: burst free, then 1/qps apart, refilling with time', () => {
    const clock = new FakeClock();
    const rl = new BucketRateLimiter<string>(10, 100, clock);
    for (let i = 0; i < 100; i++) expect(rl.when(`k${i}`)).toBe(0);
    expect(rl.when('x')).toBeCloseTo(100);
    expect(rl.when('y')).toBeCloseTo(200);
    clock.advance(1000); // 10 tokens back, 2 of them were already promised
    expect(rl.when('z')).toBe(0);
    for (let i = 0; i < 7; i++) rl.when(`w${i}`);
    expect(rl.when('v')).toBeCloseTo(100);
  });

  it('max-of takes the larger delay', () => {
    const clock = new FakeClock();
    const rl = new MaxOfRateLimiter<string>(new ItemExponentialFailureRateLimiter<string>(5, 1000), new BucketRateLimiter<string>(1, 1, clock));
    expect(rl.when('a')).toBe(5); // bucket had its token
    expect(rl.when('a')).toBeCloseTo(1000); // bucket: next token in 1s > 10ms
    expect(rl.numRequeues('a')).toBe(2);
  });

  it('the default controller rate limiter combines 5ms→1000s with 10 qps / burst 100', () => {
    const clock = new FakeClock();
    const rl = defaultControllerRateLimiter<string>(clock);
    expect(rl.when('a')).toBe(5);
    expect(rl.when('a')).toBe(10);
    for (let i = 0; i < 98; i++) rl.when(`other${i}`);
    // bucket exhausted: the next item waits 100 ms although its own back-off is 5 ms
    expect(rl.when('fresh')).toBeCloseTo(100);
  });
});

describe('RateLimitingQueue', () => {
  it('addRateLimited delays by the back-off; forget and numRequeues track failures', async () => {
    const clock = new FakeClock();
    const q = new RateLimitingQueue<string>({ clock });
    q.addRateLimited('a');
    expect(q.len()).toBe(0);
    clock.advance(5);
    expect(q.len()).toBe(1);
    expect((await q.get()).item).toBe('a');
    q.addRateLimited('a');
    q.done('a');
    clock.advance(9);
    expect(q.len()).toBe(0);
    clock.advance(1);
    expect(q.len()).toBe(1);
    expect(q.numRequeues('a')).toBe(2);
    q.forget('a');
    expect(q.numRequeues('a')).toBe(0);
  });

  it('runWorker reconciles, retries failures with back-off, and exits at shutdown', async () => {
    const clock = new FakeClock();
    const q = new RateLimitingQueue<string>({ clock });
    const seen: string[] = [];
    let failures = 2;
    const errors: number[] = [];
    const worker = runWorker(
      q,
      (key) => {
        seen.push(key);
        if (key === 'bad' && failures-- > 0) throw new Error('boom');
      },
      { onError: (_k, _e, n) => errors.push(n) },
    );
    q.add('good');
    q.add('bad');
    await tick();
    expect(seen).toEqual(['good', 'bad']);
    expect(q.numRequeues('good')).toBe(0);
    clock.advance(5);
    await tick();
    expect(seen).toEqual(['good', 'bad', 'bad']);
    clock.advance(9);
    await tick();
    expect(seen.length).toBe(3);
    clock.advance(1);
    await tick();
    expect(seen).toEqual(['good', 'bad', 'bad', 'bad']);
    expect(errors).toEqual([0, 1]);
    expect(q.numRequeues('bad')).toBe(0);
    q.shutDown();
    await worker;
  });
});
