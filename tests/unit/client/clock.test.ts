import { describe, expect, it } from 'vitest';
import { FakeClock, scaledClock, type Clock } from '../../../src-main/client/clock';

describe('FakeClock', () => {
  it('fires due timers in time order, ties in creation order, skipping cleared ones', () => {
    const c = new FakeClock(1000);
    const fired: string[] = [];
    c.setTimeout(() => fired.push('b@30'), 30);
    c.setTimeout(() => fired.push('a@10'), 10);
    const gone = c.setTimeout(() => fired.push('cleared'), 20);
    c.setTimeout(() => fired.push('c@30'), 30);
    c.setTimeout(() => fired.push('late'), 100);
    c.clearTimeout(gone);
    expect(c.pending()).toBe(4);
    expect(c.nextAt()).toBe(1010);
    c.advance(50);
    expect(fired).toEqual(['a@10', 'b@30', 'c@30']);
    expect(c.now()).toBe(1050);
    expect(c.pending()).toBe(1);
    expect(c.nextAt()).toBe(1100);
  });

  it('runs timers scheduled by timers when they fall due within the step, seeing their own time', () => {
    const c = new FakeClock(0);
    const seen: number[] = [];
    const again = () => {
      seen.push(c.now());
      if (seen.length < 5) c.setTimeout(again, 10);
    };
    c.setTimeout(again, 10);
    c.advance(35);
    expect(seen).toEqual([10, 20, 30]);
    c.advance(100);
    expect(seen).toEqual([10, 20, 30, 40, 50]);
    expect(c.pending()).toBe(0);
  });

  it('stays fast with many timers (heap, not a scan per timer)', () => {
    const c = new FakeClock(0);
    let n = 0;
    for (let i = 0; i < 50_000; i++) c.setTimeout(() => n++, (i * 7919) % 10_000);
    c.advance(10_000);
    expect(n).toBe(50_000);
  });
});

describe('scaledClock', () => {
  it('speeds time and timers up by the scale', () => {
    const base = new FakeClock(0);
    const fast: Clock = scaledClock(10, base);
    let fired = false;
    fast.setTimeout(() => (fired = true), 1000);
    base.advance(99);
    expect(fired).toBe(false);
    base.advance(1);
    expect(fired).toBe(true);
    expect(fast.now()).toBe(1000);
    expect(() => scaledClock(0)).toThrow(/must be > 0/);
  });
});
