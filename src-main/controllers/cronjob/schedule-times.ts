/**
 * When a CronJob runs (upstream pkg/controller/cronjob/utils.go): the most recent unmet schedule
 * time since lastScheduleTime (or creation), bounded by startingDeadlineSeconds, with the rough
 * count of missed runs (more than 100: "too many"); how long to wait for the next one (plus
 * 100 ms for clock skew); the zone a CronJob's schedule is read in; Job names
 * `<cronjob>-<minutes since epoch>` and the RFC 3339 scheduled timestamp in that zone.
 */
import { parseSchedule, type Schedule } from './cron-schedule';
import { isValidZone, offsetAt, wallOf } from './zone-time';

/** nextScheduleDelta: requeue a little after the scheduled time. */
export const NEXT_SCHEDULE_DELTA_MS = 100;

export type Missed = 'none' | 'few' | 'many';

export interface CronJobTimes {
  creationTimestamp?: string;
  lastScheduleTime?: string;
  startingDeadlineSeconds?: number;
}

export interface MostRecent {
  earliest: number;
  mostRecent?: number;
  missed: Missed;
  error?: string;
}

function parseTime(s: string | undefined): number {
  const t = s ? Date.parse(s) : NaN;
  return Number.isNaN(t) ? 0 : t;
}

export function mostRecentScheduleTime(cj: CronJobTimes, now: number, sched: Schedule, includeStartingDeadline: boolean): MostRecent {
  let earliest = parseTime(cj.creationTimestamp);
  if (cj.lastScheduleTime) earliest = parseTime(cj.lastScheduleTime);
  if (includeStartingDeadline && cj.startingDeadlineSeconds != null) {
    const deadline = now - cj.startingDeadlineSeconds * 1000;
    if (deadline > earliest) earliest = deadline;
  }
  const t1 = sched.next(earliest);
  const t2 = t1 === undefined ? undefined : sched.next(t1);
  if (t1 !== undefined && now < t1) return { earliest, missed: 'none' };
  if (t1 !== undefined && t2 !== undefined && now < t2) return { earliest, mostRecent: t1, missed: 'none' };
  const between = t1 === undefined || t2 === undefined ? 0 : Math.round((t2 - t1) / 1000);
  if (between < 1) return { earliest, missed: 'none', error: 'time difference between two schedules is less than 1 second' };
  const elapsed = Math.trunc((now - t1!) / 1000);
  const missedCount = Math.trunc(elapsed / between) + 1;
  let mostRecent: number | undefined;
  const potentialEarliest = t1! + (missedCount - 2) * between * 1000;
  for (let t = sched.next(potentialEarliest); t !== undefined && t <= now; t = sched.next(t)) mostRecent = t;
  const missed: Missed = missedCount > 100 ? 'many' : missedCount > 0 ? 'few' : 'none';
  return { earliest, mostRecent, missed };
}

/** How long until the next run after the most recent one (undefined: the schedule never fires again). */
export function nextScheduleTimeDuration(cj: CronJobTimes, now: number, sched: Schedule): number | undefined {
  const r = mostRecentScheduleTime(cj, now, sched, false);
  let base: number;
  if (r.error) base = now;
  else if (r.mostRecent === undefined) base = r.missed === 'none' ? r.earliest : now;
  else base = r.mostRecent;
  const next = sched.next(base);
  return next === undefined ? undefined : next + NEXT_SCHEDULE_DELTA_MS - now;
}

/** The CronJob's schedule parsed in its zone: spec.timeZone when valid, else the controller's (UTC). */
export function scheduleFor(spec: { schedule?: string; timeZone?: string | null }): Schedule {
  const schedule = spec.schedule ?? '';
  if (schedule.includes('TZ')) return parseSchedule(schedule, 'UTC');
  const tz = spec.timeZone;
  return parseSchedule(schedule, tz != null && isValidZone(tz) ? tz : 'UTC');
}

/** `<cronjob>-<scheduled time in minutes since the epoch>`. */
export function jobNameFor(cronJobName: string, scheduledMs: number): string {
  return `${cronJobName}-${Math.trunc(Math.floor(scheduledMs / 1000) / 60)}`;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Go's Format(time.RFC3339) of an instant in a zone (`Z` for UTC, else ±hh:mm). */
export function rfc3339In(ms: number, zone: string): string {
  const w = wallOf(ms, zone);
  const off = Math.round(offsetAt(ms, zone) / 60_000);
  const suffix = off === 0 ? 'Z' : `${off < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${suffix}`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's UTC().Format(time.RFC1123Z): `Mon, 02 Jan 2006 15:04:05 +0000`. */
export function rfc1123zUTC(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}
