import { describe, expect, it } from 'vitest';
import { UsageRing } from '../../../../src-renderer/features/metrics/ring';

const s = (t: number, cpu = t / 1000) => ({ t, cpu, memory: cpu * 2 });

describe('usage ring', () => {
  it('keeps one sample per metrics timestamp, oldest first', () => {
    const r = new UsageRing(10, 60_000);
    expect(r.push(s(1000))).toBe(true);
    expect(r.push(s(1000))).toBe(false); // the same scrape polled again
    expect(r.push(s(500))).toBe(false); // older
    expect(r.push(s(16_000))).toBe(true);
    expect(r.samples().map((x) => x.t)).toEqual([1000, 16_000]);
    expect(r.last()).toEqual(s(16_000));
  });
  it('is bounded by capacity, dropping the oldest', () => {
    const r = new UsageRing(3, 1e9);
    for (let i = 1; i <= 5; i++) r.push(s(i * 1000));
    expect(r.size).toBe(3);
    expect(r.samples().map((x) => x.t)).toEqual([3000, 4000, 5000]);
    r.push(s(6000));
    expect(r.samples().map((x) => x.t)).toEqual([4000, 5000, 6000]);
  });
  it('forgets samples older than the window', () => {
    const r = new UsageRing(100, 30_000);
    for (let t = 0; t <= 60_000; t += 15_000) r.push(s(t));
    expect(r.samples().map((x) => x.t)).toEqual([30_000, 45_000, 60_000]);
    r.trim(100_000);
    expect(r.size).toBe(0);
    expect(r.lastTime).toBeNaN();
  });
  it('wraps around many times without losing order', () => {
    const r = new UsageRing(7, 1e12);
    for (let i = 1; i <= 100; i++) r.push(s(i));
    expect(r.samples().map((x) => x.t)).toEqual([94, 95, 96, 97, 98, 99, 100]);
  });
});
