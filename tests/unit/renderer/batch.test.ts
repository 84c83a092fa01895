import { describe, expect, it, vi } from 'vitest';
import { createBatcher, frameSchedule, type Schedule } from '../../../src-renderer/util/batch';

/** A schedule the test fires by hand (one "frame"). */
function manual(): { schedule: Schedule; frame(): void; scheduled: number } {
  let pending: (() => void) | undefined;
  const m = {
    scheduled: 0,
    schedule: ((run) => {
      m.scheduled++;
      pending = run;
      return () => (pending = undefined);
    }) as Schedule,
    frame() {
      const p = pending;
      pending = undefined;
      p?.();
    },
  };
  return m;
}

describe('createBatcher', () => {
  it('delivers 100 events as one batch per frame, in order', () => {
    const m = manual();
    const batches: number[][] = [];
    const b = createBatcher<number>((x) => batches.push(x), m.schedule);
    for (let i = 0; i < 100; i++) b.push(i);
    expect(batches).toEqual([]);
    expect(m.scheduled).toBe(1);
    m.frame();
    expect(batches).toHaveLength(1);
    expect(batches[0]).toEqual(Array.from({ length: 100 }, (_, i) => i));
    b.push(100);
    expect(m.scheduled).toBe(2);
    m.frame();
    expect(batches).toEqual([batches[0], [100]]);
  });
  it('flushes at once on demand and cancels queued events', () => {
    const m = manual();
    const batches: string[][] = [];
    const b = createBatcher<string>((x) => batches.push(x), m.schedule);
    b.push('a');
    b.flush();
    expect(batches).toEqual([['a']]);
    m.frame();
    expect(batches).toEqual([['a']]);
    b.push('b');
    expect(b.pending).toBe(1);
    b.cancel();
    m.frame();
    expect(batches).toEqual([['a']]);
    expect(b.pending).toBe(0);
  });
  it('falls back to a timer when no animation frame comes', () => {
    vi.useFakeTimers();
    try {
      const got: number[][] = [];
      const b = createBatcher<number>((x) => got.push(x), frameSchedule(100));
      b.push(1);
      b.push(2);
      vi.advanceTimersByTime(99);
      expect(got).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(got).toEqual([[1, 2]]);
    } finally {
      vi.useRealTimers();
    }
  });
});
