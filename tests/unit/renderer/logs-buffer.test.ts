/** The log viewer's pure parts: the capped buffer, time-ordered merging, search highlight, download text. */
import { describe, expect, it } from 'vitest';
import { LogBuffer, colourIndex, downloadName, downloadText, highlightSegments, lineMatches, shortTime, timeKey } from '../../../src-renderer/components/logs/log-buffer';

const line = (pod: string, time: string | undefined, text: string) => ({ pod, container: 'c', time, text });

describe('LogBuffer', () => {
  it('drops the oldest lines past its cap, a tenth at a time, and counts them', () => {
    const b = new LogBuffer(100);
    b.push(Array.from({ length: 100 }, (_, i) => line('p', undefined, `l${i}`)));
    expect(b.lines.length).toBe(100);
    b.push([line('p', undefined, 'l100')]);
    expect(b.lines.length).toBe(90);
    expect(b.dropped).toBe(11);
    expect(b.lines[0].text).toBe('l11');
    expect(b.lines.at(-1)!.text).toBe('l100');
    expect(new Set(b.lines.map((l) => l.id)).size).toBe(90);
  });

  it('merges a pod backlog that arrives late into time order', () => {
    const b = new LogBuffer();
    b.pushOrdered([line('a', '2026-01-01T00:00:01Z', 'a1'), line('a', '2026-01-01T00:00:03Z', 'a3'), line('a', '2026-01-01T00:00:05Z', 'a5')]);
    b.pushOrdered([line('b', '2026-01-01T00:00:02.5Z', 'b2'), line('b', '2026-01-01T00:00:04Z', 'b4')]);
    b.pushOrdered([line('b', '2026-01-01T00:00:06Z', 'b6')]);
    expect(b.lines.map((l) => l.text)).toEqual(['a1', 'b2', 'a3', 'b4', 'a5', 'b6']);
    expect(new Set(b.lines.map((l) => l.id)).size).toBe(6);
  });

  it('orders RFC 3339 fractions of different lengths right', () => {
    expect(timeKey('2026-01-01T00:00:05.3Z') > timeKey('2026-01-01T00:00:05.29Z')).toBe(true);
    expect(timeKey('2026-01-01T00:00:05Z') < timeKey('2026-01-01T00:00:05.000000001Z')).toBe(true);
    expect(timeKey(undefined) > timeKey('2099-01-01T00:00:00Z')).toBe(true);
  });
});

describe('search and display', () => {
  it('highlights every match, case-insensitively, keeping the original text', () => {
    expect(highlightSegments('Error: an error', 'error')).toEqual([
      { text: 'Error', match: true },
      { text: ': an ', match: false },
      { text: 'error', match: true },
    ]);
    expect(highlightSegments('abc', '')).toEqual([{ text: 'abc', match: false }]);
    expect(highlightSegments('abc', 'x')).toEqual([{ text: 'abc', match: false }]);
    expect(lineMatches('GET /healthz', 'HEALTH')).toBe(true);
    expect(lineMatches('GET /healthz', 'HEALTH', true)).toBe(false);
  });

  it('colours by order of appearance, short UTC times, download text and names', () => {
    expect(colourIndex(['a', 'b', 'c'], 'b')).toBe(1);
    expect(colourIndex(Array.from({ length: 10 }, (_, i) => `p${i}`), 'p9')).toBe(1);
    expect(shortTime('2026-11-23T16:40:00.123456789Z')).toBe('2026-11-23 16:40:00.123');
    expect(shortTime('2026-11-23T16:40:00.5Z')).toBe('2026-11-23 16:40:00.500');
    expect(shortTime('2026-11-23T16:40:00Z')).toBe('2026-11-23 16:40:00.000');
    const ls = [{ id: 1, ...line('web-1', '2026-01-01T00:00:01Z', 'hello') }];
    expect(downloadText(ls, { timestamps: true, tagged: true })).toBe('2026-01-01T00:00:01Z [web-1/c] hello\n');
    expect(downloadText(ls, { timestamps: false, tagged: false })).toBe('hello\n');
    expect(downloadName(['deployment', 'web'])).toBe('deployment-web.log');
    expect(downloadName(['pod x', ''])).toBe('pod_x.log');
  });
});
