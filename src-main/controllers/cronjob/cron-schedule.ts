/**
 * Cron schedules as Kubernetes reads them (robfig/cron v3 `ParseStandard`): five fields
 * (minute hour day-of-month month day-of-week) with `*` / `?`, ranges `a-b`, steps `/n`, lists,
 * month and weekday names (JAN, mon), the descriptors @yearly @annually @monthly @weekly @daily
 * @midnight @hourly and `@every <duration>`, an optional `TZ=` / `CRON_TZ=` prefix; parse errors
 * carry robfig's text. `next(t)` is the first activation strictly after t, computed on the
 * zone's wall clock with Go's time semantics (DST gaps skipped, folds run twice as robfig does);
 * undefined when nothing matches within five years.
 */
import { CronError, DOM, DOW, HOURS, MINUTES, MONTHS, emptyCronField, parseCronField, type CronBounds, type CronField } from '../../api/batch/cron';
import { addDate, goDate, isValidZone, wallOf } from './zone-time';

/** The parse error (robfig's text); the field parser is the API validation's. */
export { CronError as CronParseError };

/** A field: which values match, and whether it was `*`/`?` (star bit). */
export type Field = CronField;

export interface Schedule {
  /** The zone the fields are read in ('UTC' for the controller's local zone). */
  zone: string;
  next(afterMs: number): number | undefined;
}

export interface SpecSchedule extends Schedule {
  minute: Field;
  hour: Field;
  dom: Field;
  month: Field;
  dow: Field;
}

function fullField(r: CronBounds, star = true): Field {
  const f = emptyCronField(r);
  for (let i = r.min; i <= r.max; i++) f.bits[i] = true;
  f.star = star;
  return f;
}

function onlyField(r: CronBounds, v: number): Field {
  const f = emptyCronField(r);
  f.bits[v] = true;
  return f;
}

/** Go's time.ParseDuration, in ms (whole seconds are all cron uses). */
export function parseGoDuration(s: string): number {
  const bad = () => new CronError(`time: invalid duration ${JSON.stringify(s)}`);
  let rest = s;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest[0] === '-') sign = -1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') throw bad();
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  const re = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;
  while (rest.length > 0) {
    const m = re.exec(rest);
    if (!m) throw bad();
    total += Number(m[1]) * units[m[2]];
    rest = rest.slice(m[0].length);
  }
  return sign * total;
}

function descriptor(spec: string, zone: string): Schedule {
  const all = (r: CronBounds) => fullField(r);
  const mk = (minute: Field, hour: Field, dom: Field, month: Field, dow: Field) => specSchedule(zone, minute, hour, dom, month, dow);
  switch (spec) {
    case '@yearly':
    case '@annually':
      return mk(onlyField(MINUTES, 0), onlyField(HOURS, 0), onlyField(DOM, 1), onlyField(MONTHS, 1), all(DOW));
    case '@monthly':
      return mk(onlyField(MINUTES, 0), onlyField(HOURS, 0), onlyField(DOM, 1), all(MONTHS), all(DOW));
    case '@weekly':
      return mk(onlyField(MINUTES, 0), onlyField(HOURS, 0), all(DOM), all(MONTHS), onlyField(DOW, 0));
    case '@daily':
    case '@midnight':
      return mk(onlyField(MINUTES, 0), onlyField(HOURS, 0), all(DOM), all(MONTHS), all(DOW));
    case '@hourly':
      return mk(onlyField(MINUTES, 0), all(HOURS), all(DOM), all(MONTHS), all(DOW));
  }
  if (spec.startsWith('@every ')) {
    let ms: number;
    try {
      ms = parseGoDuration(spec.slice('@every '.length));
    } catch (e) {
      throw new CronError(`failed to parse duration ${spec}: ${(e as Error).message}`);
    }
    return everySchedule(ms, zone);
  }
  throw new CronError(`unrecognized descriptor: ${spec}`);
}

/** robfig's ConstantDelaySchedule: at least 1 s, whole seconds. */
function everySchedule(ms: number, zone: string): Schedule {
  const delay = ms < 1000 ? 1000 : ms - (ms % 1000);
  return { zone, next: (t) => Math.floor(t / 1000) * 1000 + delay };
}

/** Parses a schedule; `defaultZone` applies unless the spec starts with TZ= / CRON_TZ=. */
export function parseSchedule(specIn: string, defaultZone = 'UTC'): Schedule {
  let spec = specIn;
  if (spec.length === 0) throw new CronError('empty spec string');
  let zone = defaultZone;
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    const i = spec.indexOf(' ');
    const eq = spec.indexOf('=');
    if (i < 0) throw new CronError(`invalid timezone specification: ${spec}`);
    zone = spec.slice(eq + 1, i);
    if (!isValidZone(zone)) throw new CronError(`provided bad location ${zone}: unknown time zone ${zone}`);
    spec = spec.slice(i).trim();
  }
  if (spec.startsWith('@')) return descriptor(spec, zone);
  const fields = spec.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) throw new CronError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  return specSchedule(zone, parseCronField(fields[0], MINUTES), parseCronField(fields[1], HOURS), parseCronField(fields[2], DOM), parseCronField(fields[3], MONTHS), parseCronField(fields[4], DOW));
}

/** The parse error text, or '' when the spec is valid. */
export function scheduleError(spec: string): string {
  try {
    parseSchedule(spec);
    return '';
  } catch (e) {
    if (e instanceof CronError) return e.message;
    throw e;
  }
}

function specSchedule(zone: string, minute: Field, hour: Field, dom: Field, month: Field, dow: Field): SpecSchedule {
  const s: SpecSchedule = { zone, minute, hour, dom, month, dow, next: (t) => nextActivation(s, t) };
  return s;
}

function dayMatches(s: SpecSchedule, ms: number): boolean {
  const w = wallOf(ms, s.zone);
  const domMatch = s.dom.bits[w.day] === true;
  const dowMatch = s.dow.bits[w.weekday] === true;
  return s.dom.star || s.dow.star ? domMatch && dowMatch : domMatch || dowMatch;
}

const HOUR = 3_600_000;
const MINUTE = 60_000;
const SECOND = 1000;

/** robfig SpecSchedule.Next with seconds fixed at 0. */
function nextActivation(s: SpecSchedule, after: number): number | undefined {
  const z = s.zone;
  let t = Math.floor(after / SECOND) * SECOND + SECOND;
  let added = false;
  const yearLimit = wallOf(t, z).year + 5;
  wrap: for (;;) {
    if (wallOf(t, z).year > yearLimit) return undefined;
    while (!s.month.bits[wallOf(t, z).month]) {
      if (!added) {
        added = true;
        const w = wallOf(t, z);
        t = goDate(w.year, w.month, 1, 0, 0, 0, z);
      }
      t = addDate(t, z, 0, 1, 0);
      if (wallOf(t, z).month === 1) continue wrap;
    }
    while (!dayMatches(s, t)) {
      if (!added) {
        added = true;
        const w = wallOf(t, z);
        t = goDate(w.year, w.month, w.day, 0, 0, 0, z);
      }
      t = addDate(t, z, 0, 0, 1);
      // Midnight may have moved by DST: back to 00:00 on the new day.
      const h = wallOf(t, z).hour;
      if (h !== 0) t += h > 12 ? (24 - h) * HOUR : -h * HOUR;
      if (wallOf(t, z).day === 1) continue wrap;
    }
    while (!s.hour.bits[wallOf(t, z).hour]) {
      if (!added) {
        added = true;
        const w = wallOf(t, z);
        t = goDate(w.year, w.month, w.day, w.hour, 0, 0, z);
      }
      t += HOUR;
      if (wallOf(t, z).hour === 0) continue wrap;
    }
    while (!s.minute.bits[wallOf(t, z).minute]) {
      if (!added) {
        added = true;
        t = Math.floor(t / MINUTE) * MINUTE;
      }
      t += MINUTE;
      if (wallOf(t, z).minute === 0) continue wrap;
    }
    const sec = wallOf(t, z).second;
    if (sec !== 0) {
      // Seconds only match 0: step to the next whole minute and check everything again.
      added = true;
      t = Math.floor(t / SECOND) * SECOND + (60 - sec) * SECOND;
      continue wrap;
    }
    return t;
  }
}
