/**
 * A CronJob due in more than ~24.8 days (e.g. `0 0 1 1 *`) is requeued that far ahead on the real
 * clock: the timer must not overflow Node's 32-bit limit and fire at once (a busy loop).
 */
import { describe, expect, it } from 'vitest';
import { RateLimitingQueue, realClock } from '../../../../src-main/client';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('requeues far in the future', () => {
  it('the real clock does not fire a 40-day timer early', async () => {
    let fired = false;
    const h = realClock.setTimeout(() => (fired = true), 40 * 24 * 3_600_000);
    await sleep(30);
    expect(fired).toBe(false);
    realClock.clearTimeout(h);
  });

  it('a work queue holds an item added 300 days ahead', async () => {
    const q = new RateLimitingQueue<string>({ clock: realClock });
    q.addAfter('default/yearly', 300 * 24 * 3_600_000);
    await sleep(30);
    expect(q.len()).toBe(0);
    expect(q.waitingLen()).toBe(1);
    q.shutDown();
  });
});
