/**
 * When a CronJob is due (mostRecentScheduleTime / nextScheduleTimeDuration as upstream's
 * utils.go), job names and the scheduled-timestamp / MissSchedule time formats.
 */
import { describe, expect, it } from 'vitest';
import { parseSchedule } from '../../../../src-main/controllers/cronjob/cron-schedule';
import { jobNameFor, mostRecentScheduleTime, nextScheduleTimeDuration, rfc1123zUTC, rfc3339In, scheduleFor } from '../../../../src-main/controllers/cronjob/schedule-times';

const t = (s: string) => Date.parse(s);

describe('mostRecentScheduleTime', () => {
  const every = parseSchedule('* * * * *');
  it('nothing due before the first time after creation', () => {
    expect(mostRecentScheduleTime({ creationTimestamp: '2024-01-01T10:00:30Z' }, t('2024-01-01T10:00:59Z'), every, true)).toEqual({ earliest: t('2024-01-01T10:00:30Z'), missed: 'none' });
  });
  it('the one time due', () => {
    expect(mostRecentScheduleTime({ creationTimestamp: '2024-01-01T10:00:30Z' }, t('2024-01-01T10:01:10Z'), every, true)).toEqual({ earliest: t('2024-01-01T10:00:30Z'), mostRecent: t('2024-01-01T10:01:00Z'), missed: 'none' });
  });
  it('the latest of several missed times, counted from lastScheduleTime', () => {
    const r = mostRecentScheduleTime({ creationTimestamp: '2024-01-01T00:00:00Z', lastScheduleTime: '2024-01-01T10:00:00Z' }, t('2024-01-01T10:05:10Z'), every, true);
    expect(r).toEqual({ earliest: t('2024-01-01T10:00:00Z'), mostRecent: t('2024-01-01T10:05:00Z'), missed: 'few' });
  });
  it('more than 100 missed is "many"', () => {
    const r = mostRecentScheduleTime({ creationTimestamp: '2024-01-01T00:00:00Z' }, t('2024-01-01T02:00:30Z'), every, true);
    expect(r).toMatchObject({ mostRecent: t('2024-01-01T02:00:00Z'), missed: 'many' });
  });
  it('startingDeadlineSeconds moves the earliest time forward (only when asked to)', () => {
    const cj = { creationTimestamp: '2024-01-01T00:00:00Z', startingDeadlineSeconds: 200 };
    expect(mostRecentScheduleTime(cj, t('2024-01-01T02:00:30Z'), every, true)).toEqual({ earliest: t('2024-01-01T01:57:10Z'), mostRecent: t('2024-01-01T02:00:00Z'), missed: 'few' });
    expect(mostRecentScheduleTime(cj, t('2024-01-01T02:00:30Z'), every, false).missed).toBe('many');
  });
  it('irregular schedules: the latest time at or before now', () => {
    const s = parseSchedule('30 6-16/4 * * 1-5');
    const r = mostRecentScheduleTime({ creationTimestamp: '2024-06-14T00:00:00Z' }, t('2024-06-17T15:00:00Z'), s, true);
    expect(r.mostRecent).toBe(t('2024-06-17T14:30:00Z'));
  });
  it('a schedule that never fires is an error', () => {
    expect(mostRecentScheduleTime({ creationTimestamp: '2024-01-01T00:00:00Z' }, t('2024-03-01T00:00:00Z'), parseSchedule('0 0 30 2 *'), true).error).toBe(
      'time difference between two schedules is less than 1 second',
    );
  });
});

describe('nextScheduleTimeDuration', () => {
  it('waits for the next time plus 100 ms', () => {
    expect(nextScheduleTimeDuration({ creationTimestamp: '2024-01-01T10:00:30Z' }, t('2024-01-01T10:00:40Z'), parseSchedule('*/5 * * * *'))).toBe(4 * 60_000 + 20_000 + 100);
    expect(nextScheduleTimeDuration({ creationTimestamp: '2024-01-01T09:00:00Z', lastScheduleTime: '2024-01-01T10:00:00Z' }, t('2024-01-01T10:00:00.1Z'), parseSchedule('@hourly'))).toBe(3_600_000);
  });
  it('never, for a schedule that never fires', () => {
    expect(nextScheduleTimeDuration({ creationTimestamp: '2024-01-01T00:00:00Z' }, t('2024-01-01T00:00:00Z'), parseSchedule('0 0 31 4 *'))).toBeUndefined();
  });
});

describe('names and stamps', () => {
  it('job names are <cronjob>-<minutes since epoch>', () => {
    expect(jobNameFor('hello', t('2024-01-01T10:01:00Z'))).toBe('hello-28401721');
    expect(jobNameFor('hello', t('2024-01-01T10:01:00.100Z'))).toBe('hello-28401721');
  });
  it('RFC 3339 in the schedule zone, and RFC 1123Z in UTC', () => {
    expect(rfc3339In(t('2024-01-15T14:00:00Z'), 'America/New_York')).toBe('2024-01-15T09:00:00-05:00');
    expect(rfc3339In(t('2024-01-15T14:00:00Z'), 'Asia/Kolkata')).toBe('2024-01-15T19:30:00+05:30');
    expect(rfc3339In(t('2024-01-15T14:00:00Z'), 'UTC')).toBe('2024-01-15T14:00:00Z');
    expect(rfc1123zUTC(t('2024-01-05T04:03:02Z'))).toBe('Fri, 05 Jan 2024 04:03:02 +0000');
  });
  it('spec.timeZone picks the zone; TZ= in the schedule wins; the controller zone is UTC', () => {
    const at = t('2024-06-15T00:00:00Z');
    expect(scheduleFor({ schedule: '0 9 * * *', timeZone: 'Asia/Tokyo' }).next(at)).toBe(t('2024-06-16T00:00:00Z'));
    expect(scheduleFor({ schedule: 'CRON_TZ=Asia/Tokyo 0 9 * * *' }).next(at)).toBe(t('2024-06-16T00:00:00Z'));
    expect(scheduleFor({ schedule: '0 9 * * *' }).next(at)).toBe(t('2024-06-15T09:00:00Z'));
  });
});
