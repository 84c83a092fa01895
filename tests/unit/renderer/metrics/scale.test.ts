import { describe, expect, it } from 'vitest';
import { areaPath, linear, linePath, nearestIndex, niceTicks, timeDomain, timeTicks } from '../../../../src-renderer/features/metrics/scale';

describe('value ticks', () => {
  const golden: [number, number, number, number[]][] = [
    [0, 4000, 4, [0, 1000, 2000, 3000, 4000]],
    [0, 121, 4, [0, 50, 100, 150]],
    [0, 3.7, 4, [0, 1, 2, 3, 4]],
    [0, 9, 4, [0, 2.5, 5, 7.5, 10]],
    [0, 0, 4, [0, 0.25, 0.5, 0.75, 1]],
  ];
  it.each(golden)('%d..%d', (min, max, n, want) => expect(niceTicks(min, max, n).ticks).toEqual(want));
  it('covers the maximum', () => {
    const t = niceTicks(0, 540 * 2 ** 20, 4);
    expect(t.max).toBeGreaterThanOrEqual(540 * 2 ** 20);
    expect(t.ticks[0]).toBe(0);
  });
});

describe('time ticks', () => {
  it('falls on round clock times', () => {
    const t0 = Date.UTC(2026, 10, 23, 19, 31, 10);
    const t = timeTicks(t0, t0 + 15 * 60_000, 5);
    expect(t.step).toBe(300_000);
    expect(t.ticks.map((v) => new Date(v).toISOString().slice(11, 19))).toEqual(['19:35:00', '19:40:00', '19:45:00']);
    expect(timeTicks(t0, t0 + 60_000, 4).step).toBe(15_000);
  });
  it('shows at least a few minutes, at most the window', () => {
    expect(timeDomain(1_000_000, 1_015_000, 900_000, 300_000, 0)).toEqual([715_000, 1_015_000]);
    expect(timeDomain(0, 2_000_000, 900_000, 300_000, 0)).toEqual([1_100_000, 2_000_000]);
    expect(timeDomain(Infinity, -Infinity, 900_000, 300_000, 5_000_000)).toEqual([4_700_000, 5_000_000]);
  });
});

describe('paths', () => {
  const x = linear(0, 100, 0, 200);
  const y = linear(0, 10, 50, 0);
  it('draws a line and breaks it across gaps', () => {
    expect(linePath([[0, 0], [50, 5], [100, 10]], x, y)).toBe('M0 50 L100 25 L200 0');
    expect(linePath([[0, 0], [10, 5], [90, 10]], x, y, 30)).toBe('M0 50 L20 25 M180 0');
    expect(linePath([[0, 0], [10, NaN], [20, 5]], x, y)).toBe('M0 50 M40 25');
  });
  it('closes areas down to the base', () => {
    expect(areaPath([[0, 0], [100, 10]], x, y, 50)).toBe('M0 50 L0 50 L200 0 L200 50 Z');
    expect(areaPath([[0, 2], [10, 2], [90, 4]], x, y, 50, 30).split('Z').length).toBe(3);
  });
  it('finds the nearest sample', () => {
    const p: [number, number][] = [[0, 1], [15, 2], [30, 3]];
    expect(nearestIndex(p, -5)).toBe(0);
    expect(nearestIndex(p, 7)).toBe(0);
    expect(nearestIndex(p, 8)).toBe(1);
    expect(nearestIndex(p, 29)).toBe(2);
    expect(nearestIndex(p, 99)).toBe(2);
    expect(nearestIndex([], 1)).toBe(-1);
  });
});
