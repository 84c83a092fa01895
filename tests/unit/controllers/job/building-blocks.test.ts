/**
 * The job controller's pure pieces: completedIndexes intervals as upstream writes them, the pod
 * failure back-off (10 s doubling, capped at 6 min, counted from the last failure since the last
 * success), pod naming for Indexed Jobs.
 */
import { describe, expect, it } from 'vitest';
import { firstPendingIndexes, formatIndexes, parseIndexes, totalIndexes, withIndexes } from '../../../../src-main/controllers/job/indexes';
import { BackoffStore, remainingBackoff } from '../../../../src-main/controllers/job/backoff';
import { podGenerateName } from '../../../../src-main/controllers/job/template';
import type { Pod } from '../../../../src-main/controllers/job/types';

describe('completion index intervals', () => {
  it('formats runs of 3+ as ranges and pairs as two numbers', () => {
    expect(formatIndexes(withIndexes([], [0, 1, 2, 4, 6, 7, 9]))).toBe('0-2,4,6,7,9');
    expect(formatIndexes(withIndexes(parseIndexes('0-2,9', 10), [3, 8]))).toBe('0-3,8,9');
  });
  it('parses what it formats, dropping indexes past completions and junk', () => {
    expect(parseIndexes('0-2,4,6,7,9', 8)).toEqual([{ first: 0, last: 2 }, { first: 4, last: 4 }, { first: 6, last: 7 }]);
    expect(parseIndexes('1,x,3-', 5)).toEqual([{ first: 1, last: 1 }]);
    expect(totalIndexes(parseIndexes('0-2,4,6,7', 10))).toBe(6);
  });
  it('picks the first indexes neither done nor running', () => {
    expect(firstPendingIndexes(parseIndexes('0,2-3', 10), 3, 10)).toEqual([1, 4, 5]);
    expect(firstPendingIndexes(parseIndexes('0-4', 5), 3, 5)).toEqual([]);
  });
});

describe('pod failure back-off', () => {
  const rec = (n: number, at: number) => ({ key: 'k', failuresAfterLastSuccess: n, lastFailureTime: at });
  it('doubles from 10 s and stops at 6 minutes', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 10].map((n) => remainingBackoff(rec(n, 0), 0))).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 360_000, 360_000]);
    expect(remainingBackoff(rec(2, 0), 15_000)).toBe(5_000);
    expect(remainingBackoff(rec(2, 0), 25_000)).toBe(0);
    expect(remainingBackoff(rec(0, 0), 0)).toBe(0);
  });

  const pod = (finishedAt: string): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, status: { phase: 'Failed', containerStatuses: [{ name: 'c', state: { terminated: { exitCode: 1, finishedAt } } }] } });
  it('counts failures since the last success, from their container finish times', () => {
    const s = new BackoffStore();
    let r = s.newRecord('k', [], [pod('2024-01-01T00:00:05Z'), pod('2024-01-01T00:00:01Z')]);
    expect(r).toEqual({ key: 'k', failuresAfterLastSuccess: 2, lastFailureTime: Date.parse('2024-01-01T00:00:05Z') });
    s.update(r);
    r = s.newRecord('k', [], [pod('2024-01-01T00:01:00Z')]);
    expect(r.failuresAfterLastSuccess).toBe(3);
    s.update(r);
    // A success resets the count; only failures after it count.
    r = s.newRecord('k', [pod('2024-01-01T00:02:00Z')], [pod('2024-01-01T00:01:30Z'), pod('2024-01-01T00:03:00Z')]);
    expect(r).toEqual({ key: 'k', failuresAfterLastSuccess: 1, lastFailureTime: Date.parse('2024-01-01T00:03:00Z') });
  });
});

describe('pod names', () => {
  it('<job>- and <job>-<index>-, cut to leave room for the 5 random characters', () => {
    expect(podGenerateName('pi', -1)).toBe('pi-');
    expect(podGenerateName('pi', 3)).toBe('pi-3-');
    const long = 'a'.repeat(60);
    expect(podGenerateName(long, 12)).toBe(`${'a'.repeat(54)}-12-`);
    expect(podGenerateName(long, 12).length).toBe(58);
  });
});
