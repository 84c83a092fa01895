/**
 * The cron parser and next-activation computation against robfig/cron v3's own expectations
 * (TestNext/TestActivation, rewritten for the 5-field standard form) and its error texts.
 */
import { describe, expect, it } from 'vitest';
import { parseSchedule, scheduleError } from '../../../../src-main/controllers/cronjob/cron-schedule';
import { cronParseError } from '../../../../src-main/api/batch/cron';

/** RFC 3339 with an offset, as Go prints it ("2012-03-11T01:00:00-05:00"). */
function at(s: string): number {
  const t = Date.parse(s);
  if (Number.isNaN(t)) throw new Error(`bad time ${s}`);
  return t;
}

function nextOf(spec: string, from: string): string | undefined {
  const n = parseSchedule(spec).next(at(from));
  return n === undefined ? undefined : new Date(n).toISOString();
}

const utc = (s: string) => new Date(at(s)).toISOString();

describe('next activation (UTC)', () => {
  const table: [string, string, string][] = [
    // simple
    ['2012-07-09T14:45:00Z', '0/15 * * * *', '2012-07-09T15:00:00Z'],
    ['2012-07-09T14:59:00Z', '0/15 * * * *', '2012-07-09T15:00:00Z'],
    ['2012-07-09T14:59:59Z', '0/15 * * * *', '2012-07-09T15:00:00Z'],
    ['2012-07-09T15:00:00Z', '0/15 * * * *', '2012-07-09T15:15:00Z'],
    ['2012-07-09T15:00:00.5Z', '* * * * *', '2012-07-09T15:01:00Z'],
    // wrap around hours and days
    ['2012-07-09T15:45:00Z', '20-35/15 * * * *', '2012-07-09T16:20:00Z'],
    ['2012-07-09T23:46:00Z', '*/15 * * * *', '2012-07-10T00:00:00Z'],
    ['2012-07-09T23:45:00Z', '20-35/15 * * * *', '2012-07-10T00:20:00Z'],
    ['2012-07-09T23:35:51Z', '20-35/15 1/2 * * *', '2012-07-10T01:20:00Z'],
    ['2012-07-09T23:35:51Z', '20-35/15 10-12 * * *', '2012-07-10T10:20:00Z'],
    ['2012-07-09T23:35:51Z', '20-35/15 1/2 */2 * *', '2012-07-11T01:20:00Z'],
    ['2012-07-09T23:35:51Z', '20-35/15 * 9-20 * *', '2012-07-10T00:20:00Z'],
    ['2012-07-09T23:35:51Z', '20-35/15 * 9-20 Jul *', '2012-07-10T00:20:00Z'],
    // wrap around months
    ['2012-07-09T23:35:00Z', '0 0 9 Apr-Oct ?', '2012-08-09T00:00:00Z'],
    ['2012-07-09T23:35:00Z', '0 0 */5 Apr,Aug,Oct Mon', '2012-08-01T00:00:00Z'],
    ['2012-07-09T23:35:00Z', '0 0 */5 Oct Mon', '2012-10-01T00:00:00Z'],
    // wrap around years; `*` day-of-month makes day-of-week an AND
    ['2012-07-09T23:35:00Z', '0 0 * Feb Mon', '2013-02-04T00:00:00Z'],
    ['2012-07-09T23:35:00Z', '0 0 * Feb Mon/2', '2013-02-01T00:00:00Z'],
    ['2012-12-31T23:59:45Z', '* * * * *', '2013-01-01T00:00:00Z'],
    // leap year
    ['2012-07-09T23:35:00Z', '0 0 29 Feb ?', '2016-02-29T00:00:00Z'],
    // day-of-month and day-of-week both restricted: either matches
    ['2024-05-01T12:00:00Z', '0 9 13 * fri', '2024-05-03T09:00:00Z'],
    ['2024-09-01T00:00:00Z', '0 9 13 * fri', '2024-09-06T09:00:00Z'],
    // names in any case, lists and ranges
    ['2024-01-01T00:00:00Z', '30 6 * jan-MAR MON-fri', '2024-01-01T06:30:00Z'],
    ['2024-01-06T07:00:00Z', '30 6 * jan-MAR MON-fri', '2024-01-08T06:30:00Z'],
    ['2024-03-29T07:00:00Z', '30 6 * jan-MAR MON-fri', '2025-01-01T06:30:00Z'],
    ['2024-06-15T10:07:00Z', '5,10,55 * * * *', '2024-06-15T10:10:00Z'],
    ['2024-06-15T10:56:00Z', '5,10,55 * * * *', '2024-06-15T11:05:00Z'],
    ['2024-06-15T10:07:00Z', '30 6-16/4 * * 1-5', '2024-06-17T06:30:00Z'],
    ['2024-06-17T10:31:00Z', '30 6-16/4 * * 1-5', '2024-06-17T14:30:00Z'],
    // `?` is `*`
    ['2024-06-15T10:07:00Z', '? ? ? ? ?', '2024-06-15T10:08:00Z'],
    // descriptors
    ['2024-06-15T10:07:00Z', '@hourly', '2024-06-15T11:00:00Z'],
    ['2024-06-15T10:07:00Z', '@daily', '2024-06-16T00:00:00Z'],
    ['2024-06-15T10:07:00Z', '@midnight', '2024-06-16T00:00:00Z'],
    ['2024-06-15T10:07:00Z', '@weekly', '2024-06-16T00:00:00Z'],
    ['2024-06-15T10:07:00Z', '@monthly', '2024-07-01T00:00:00Z'],
    ['2024-06-15T10:07:00Z', '@yearly', '2025-01-01T00:00:00Z'],
    ['2024-06-15T10:07:00Z', '@annually', '2025-01-01T00:00:00Z'],
    ['2024-06-15T10:07:30.250Z', '@every 1h30m', '2024-06-15T11:37:30Z'],
    ['2024-06-15T10:07:30Z', '@every 100ms', '2024-06-15T10:07:31Z'],
  ];
  it.each(table)('from %s %s → %s', (from, spec, want) => {
    expect(nextOf(spec, from)).toBe(utc(want));
  });

  it('finds nothing for a date that never exists', () => {
    expect(nextOf('0 0 30 2 *', '2024-01-01T00:00:00Z')).toBeUndefined();
    expect(nextOf('59 23 31 2 *', '2024-01-01T00:00:00Z')).toBeUndefined();
  });
});

describe('next activation in a time zone, across DST (America/New_York)', () => {
  const ny = 'TZ=America/New_York ';
  const table: [string, string, string][] = [
    // spring forward: 02:00 EST → 03:00 EDT
    ['2012-03-11T00:00:00-05:00', '30 2 11 Mar ?', '2013-03-11T02:30:00-04:00'],
    ['2012-03-11T00:00:00-05:00', '0 * * * ?', '2012-03-11T01:00:00-05:00'],
    ['2012-03-11T01:00:00-05:00', '0 * * * ?', '2012-03-11T03:00:00-04:00'],
    ['2012-03-11T03:00:00-04:00', '0 * * * ?', '2012-03-11T04:00:00-04:00'],
    ['2012-03-11T00:00:00-05:00', '0 1 * * ?', '2012-03-11T01:00:00-05:00'],
    ['2012-03-11T01:00:00-05:00', '0 1 * * ?', '2012-03-12T01:00:00-04:00'],
    ['2012-03-11T00:00:00-05:00', '0 2 * * ?', '2012-03-12T02:00:00-04:00'],
    // fall back: 02:00 EDT → 01:00 EST (01:xx happens twice)
    ['2012-11-04T00:00:00-04:00', '30 2 04 Nov ?', '2012-11-04T02:30:00-05:00'],
    ['2012-11-04T01:45:00-04:00', '30 1 04 Nov ?', '2012-11-04T01:30:00-05:00'],
    ['2012-11-04T00:00:00-04:00', '0 * * * ?', '2012-11-04T01:00:00-04:00'],
    ['2012-11-04T01:00:00-04:00', '0 * * * ?', '2012-11-04T01:00:00-05:00'],
    ['2012-11-04T01:00:00-05:00', '0 * * * ?', '2012-11-04T02:00:00-05:00'],
    ['2012-11-04T00:00:00-04:00', '0 1 * * ?', '2012-11-04T01:00:00-04:00'],
    ['2012-11-04T01:00:00-04:00', '0 1 * * ?', '2012-11-04T01:00:00-05:00'],
    ['2012-11-04T01:00:00-05:00', '0 1 * * ?', '2012-11-05T01:00:00-05:00'],
    ['2012-11-04T00:00:00-04:00', '0 2 * * ?', '2012-11-04T02:00:00-05:00'],
    ['2012-11-04T02:00:00-05:00', '0 2 * * ?', '2012-11-05T02:00:00-05:00'],
    ['2012-11-04T00:00:00-04:00', '0 3 * * ?', '2012-11-04T03:00:00-05:00'],
    ['2012-11-04T03:00:00-05:00', '0 3 * * ?', '2012-11-05T03:00:00-05:00'],
  ];
  it.each(table)('from %s %s → %s', (from, spec, want) => {
    expect(nextOf(ny + spec, from)).toBe(utc(want));
  });

  it('reads the fields in the zone given to the parser (spec.timeZone)', () => {
    const s = parseSchedule('0 9 * * *', 'Asia/Tokyo');
    expect(new Date(s.next(at('2024-06-15T00:00:00Z'))!).toISOString()).toBe('2024-06-16T00:00:00.000Z');
    const k = parseSchedule('30 0 * * *', 'Asia/Kolkata');
    expect(new Date(k.next(at('2024-06-15T00:00:00Z'))!).toISOString()).toBe('2024-06-15T19:00:00.000Z');
    // Europe/London spring forward on 2024-03-31 at 01:00 → 02:00: the 01:30 run is skipped that day.
    const l = parseSchedule('30 1 * * *', 'Europe/London');
    expect(new Date(l.next(at('2024-03-30T12:00:00Z'))!).toISOString()).toBe('2024-04-01T00:30:00.000Z');
  });
});

describe('invalid schedules: robfig/cron error texts', () => {
  const table: [string, string][] = [
    ['', 'empty spec string'],
    ['* * * *', 'expected exactly 5 fields, found 4: [* * * *]'],
    ['0 * * * * *', 'expected exactly 5 fields, found 6: [0 * * * * *]'],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['* 24 * * *', 'end of range (24) above maximum (23): 24'],
    ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['* * 32 * *', 'end of range (32) above maximum (31): 32'],
    ['* * * 13 *', 'end of range (13) above maximum (12): 13'],
    ['* * * * 7', 'end of range (7) above maximum (6): 7'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['a * * * *', 'failed to parse int from a: strconv.Atoi: parsing "a": invalid syntax'],
    ['* * * FOO *', 'failed to parse int from FOO: strconv.Atoi: parsing "FOO": invalid syntax'],
    ['-1 * * * *', 'failed to parse int from : strconv.Atoi: parsing "": invalid syntax'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['*/2/3 * * * *', 'too many slashes: */2/3'],
    ['@foo', 'unrecognized descriptor: @foo'],
    ['@every 1x', 'failed to parse duration @every 1x: time: invalid duration "1x"'],
    ['TZ=Mars/Olympus 0 * * * *', 'provided bad location Mars/Olympus: unknown time zone Mars/Olympus'],
  ];
  it.each(table)('%j → %s', (spec, msg) => {
    expect(() => parseSchedule(spec)).toThrow(msg);
    expect(scheduleError(spec)).toBe(msg);
    // The API server's validation reports the same text.
    expect(cronParseError(spec)).toBe(msg);
  });

  it('accepts what the API accepts', () => {
    for (const spec of ['*/1 * * * *', 'TZ=UTC 0 * * * *', 'CRON_TZ=Europe/Paris 0 9 * * mon', '@every 2h', '0 0 1,15 * *', '0 22 * * 1-5']) {
      expect(scheduleError(spec)).toBe('');
      expect(cronParseError(spec)).toBe('');
    }
  });
});
