/**
 * The checks `cron.ParseStandard` (github.com/robfig/cron/v3) makes on a CronJob schedule, returning
 * its error text (empty when the spec parses); the field parser is shared with the CronJob
 * controller's schedules (controllers/cronjob/cron-schedule.ts). Kubernetes puts that text after
 * `spec.schedule: Invalid value: "<spec>": `.
 */

export interface CronBounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

export const MINUTES: CronBounds = { min: 0, max: 59 };
export const HOURS: CronBounds = { min: 0, max: 23 };
export const DOM: CronBounds = { min: 1, max: 31 };
export const MONTHS: CronBounds = { min: 1, max: 12, names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 } };
export const DOW: CronBounds = { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } };

const DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

/** A parse error with robfig's text. */
export class CronError extends Error {}

/** A field: which values match, and whether it was `*`/`?` (robfig's star bit). */
export interface CronField {
  bits: boolean[];
  star: boolean;
}

/** Go's strconv.Atoi, with its error text. */
function atoi(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw new CronError(`strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
  const n = Number(s);
  if (!Number.isSafeInteger(n) || Math.abs(n) > 2 ** 63 - 1) throw new CronError(`strconv.Atoi: parsing ${JSON.stringify(s)}: value out of range`);
  return n;
}

function mustParseInt(expr: string): number {
  let n: number;
  try {
    n = atoi(expr);
  } catch (e) {
    throw new CronError(`failed to parse int from ${expr}: ${(e as Error).message}`);
  }
  if (n < 0) throw new CronError(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

function parseIntOrName(expr: string, names?: Record<string, number>): number {
  const v = names?.[expr.toLowerCase()];
  return v !== undefined ? v : mustParseInt(expr);
}

/** A field matching nothing. */
export function emptyCronField(r: CronBounds): CronField {
  return { bits: new Array<boolean>(r.max + 1).fill(false), star: false };
}

/** robfig getRange: `*`, `?`, `n`, `a-b`, each optionally `/step`. */
function addRange(f: CronField, expr: string, r: CronBounds): void {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0].split('-');
  const single = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = r.min;
    end = r.max;
    star = true;
  } else {
    start = parseIntOrName(lowAndHigh[0], r.names);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1], r.names);
    else throw new CronError(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = mustParseInt(rangeAndStep[1]);
    if (single) end = r.max;
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) {
    throw new CronError(`too many slashes: ${expr}`);
  }
  if (start < r.min) throw new CronError(`beginning of range (${start}) below minimum (${r.min}): ${expr}`);
  if (end > r.max) throw new CronError(`end of range (${end}) above maximum (${r.max}): ${expr}`);
  if (start > end) throw new CronError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronError(`step of range should be a positive number: ${expr}`);
  for (let i = start; i <= end; i += step) f.bits[i] = true;
  if (star) f.star = true;
}

/** robfig getField: a comma-separated list of ranges; throws CronError. */
export function parseCronField(field: string, r: CronBounds): CronField {
  const f = emptyCronField(r);
  for (const expr of field.split(',')) if (expr !== '') addRange(f, expr, r);
  return f;
}

/** Go's time.ParseDuration, enough to tell valid from invalid. */
function isGoDuration(s: string): boolean {
  return s === '0' || /^[+-]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/.test(s);
}

/** Does Node know this IANA zone name? (time.LoadLocation) */
export function isKnownTimeZone(tz: string): boolean {
  if (tz === 'UTC' || tz === 'Local') return true;
  try {
    // ICU matches names case-insensitively; the zoneinfo files Go reads do not.
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
    return resolved === tz || resolved.toLowerCase() !== tz.toLowerCase();
  } catch {
    return false;
  }
}

/** The error robfig/cron's standard parser returns for a spec, or '' when it is valid. */
export function cronParseError(specIn: string): string {
  try {
    let spec = specIn;
    if (spec.length === 0) throw new CronError('empty spec string');
    if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
      const i = spec.indexOf(' ');
      if (i === -1) throw new CronError(`invalid timezone specification: ${spec}`);
      const eq = spec.indexOf('=');
      const zone = spec.slice(eq + 1, i);
      if (!isKnownTimeZone(zone)) throw new CronError(`provided bad location ${zone}: unknown time zone ${zone}`);
      spec = spec.slice(i).trim();
    }
    if (spec.startsWith('@')) {
      if (DESCRIPTORS.includes(spec)) return '';
      if (spec.startsWith('@every ')) {
        const d = spec.slice('@every '.length);
        if (!isGoDuration(d)) throw new CronError(`failed to parse duration ${spec}: time: invalid duration ${JSON.stringify(d)}`);
        return '';
      }
      throw new CronError(`unrecognized descriptor: ${spec}`);
    }
    const fields = spec.split(/\s+/).filter((f) => f !== '');
    if (fields.length !== 5) throw new CronError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
    parseCronField(fields[0], MINUTES);
    parseCronField(fields[1], HOURS);
    parseCronField(fields[2], DOM);
    parseCronField(fields[3], MONTHS);
    parseCronField(fields[4], DOW);
    return '';
  } catch (e) {
    if (e instanceof CronError) return e.message;
    throw e;
  }
}
