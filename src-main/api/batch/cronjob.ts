/**
 * batch/v1 CronJob: SetDefaults_CronJob, ValidateCronJobCreate/Update (schedule via the robfig/cron
 * wording, timeZone, concurrencyPolicy, the job template), status reset on create, and the
 * SCHEDULE/TIMEZONE/SUSPEND/ACTIVE/LAST SCHEDULE table.
 */
import type { ResourceDef } from '../resource';
import type { KubeObject } from '../types';
import { asArray, asObject, isObject } from '../types';
import { fe, type FieldError } from '../field-errors';
import { translateTimestampSince } from '../printers';
import { validateMetaFor } from '../core/validation/meta';
import { maxLenError } from '../core/validation/names';
import { ageColumn, col, containerCells, nameColumn, nameOf, templateWideColumns } from '../apps/util/printing';
import { formatLabelSelector } from '../apps/util/selector-format';
import { defaultPodTemplateSpec } from '../apps/util/template';
import { nonNegative } from '../apps/util/validation';
import { cronParseError, isKnownTimeZone } from './cron';
import { validateJobSpecFields } from './job';

type Obj = Record<string, unknown>;

export function defaultCronJob(obj: KubeObject): void {
  const spec = (isObject(obj.spec) ? obj.spec : (obj.spec = {})) as Obj;
  if (!spec.concurrencyPolicy) spec.concurrencyPolicy = 'Allow';
  if (spec.suspend === undefined || spec.suspend === null) spec.suspend = false;
  if (spec.successfulJobsHistoryLimit === undefined || spec.successfulJobsHistoryLimit === null) spec.successfulJobsHistoryLimit = 3;
  if (spec.failedJobsHistoryLimit === undefined || spec.failedJobsHistoryLimit === null) spec.failedJobsHistoryLimit = 1;
  const jt = (isObject(spec.jobTemplate) ? spec.jobTemplate : (spec.jobTemplate = {})) as Obj;
  const js = (isObject(jt.spec) ? jt.spec : (jt.spec = {})) as Obj;
  if (!isObject(js.template)) js.template = {};
  defaultPodTemplateSpec(js.template);
}

function validateSchedule(schedule: string, allowTZ: boolean, timeZone: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const perr = cronParseError(schedule);
  if (perr) errs.push(fe.invalid(path, schedule, perr));
  if (allowTZ && schedule.includes('TZ') && timeZone !== undefined && timeZone !== null) {
    errs.push(fe.invalid(path, schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
  } else if (!allowTZ && schedule.includes('TZ')) {
    errs.push(fe.invalid(path, schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  }
  return errs;
}

const TZ_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

function validateTimeZone(tz: unknown, path: string): FieldError[] {
  if (tz === undefined || tz === null) return [];
  const s = String(tz);
  if (s.length === 0) return [fe.invalid(path, s, 'timeZone must be nil or non-empty string')];
  for (const part of s.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !TZ_PART.test(part)) return [fe.invalid(path, s, `unknown time zone ${s}`)];
  }
  const errs: FieldError[] = [];
  if (s.toLowerCase() === 'local') errs.push(fe.invalid(path, s, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'));
  else if (!isKnownTimeZone(s)) errs.push(fe.invalid(path, s, `unknown time zone ${s}`));
  return errs;
}

const CONCURRENCY = ['Allow', 'Forbid', 'Replace'];

function validateCronJobSpec(specIn: unknown, oldSpecIn: unknown, path: string): FieldError[] {
  const spec = asObject(specIn);
  const oldSpec = oldSpecIn === undefined ? undefined : asObject(oldSpecIn);
  const errs: FieldError[] = [];
  const schedule = typeof spec.schedule === 'string' ? spec.schedule : '';
  if (schedule.length === 0) errs.push(fe.required(`${path}.schedule`, ''));
  else errs.push(...validateSchedule(schedule, oldSpec ? String(oldSpec.schedule ?? '').includes('TZ') : false, spec.timeZone, `${path}.schedule`));
  errs.push(...nonNegative(spec.startingDeadlineSeconds, `${path}.startingDeadlineSeconds`));
  if (!oldSpec || oldSpec.timeZone !== spec.timeZone) errs.push(...validateTimeZone(spec.timeZone, `${path}.timeZone`));
  const cp = spec.concurrencyPolicy;
  if (cp === undefined || cp === '') errs.push(fe.required(`${path}.concurrencyPolicy`, ''));
  else if (!CONCURRENCY.includes(String(cp))) errs.push(fe.notSupported(`${path}.concurrencyPolicy`, cp, CONCURRENCY));
  // ValidateJobTemplateSpec
  const jt = asObject(spec.jobTemplate);
  const js = asObject(jt.spec);
  errs.push(...validateJobSpecFields(js, `${path}.jobTemplate.spec`));
  if (js.selector !== undefined && js.selector !== null) errs.push(fe.invalid(`${path}.jobTemplate.spec.selector`, js.selector, '`selector` will be auto-generated'));
  if (js.manualSelector === true) errs.push(fe.notSupported(`${path}.jobTemplate.spec.manualSelector`, true, ['nil', 'false']));
  errs.push(...nonNegative(spec.successfulJobsHistoryLimit, `${path}.successfulJobsHistoryLimit`));
  errs.push(...nonNegative(spec.failedJobsHistoryLimit, `${path}.failedJobsHistoryLimit`));
  return errs;
}

export function validateCronJob(obj: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs = validateMetaFor(obj, old, { namespaced: true });
  errs.push(...validateCronJobSpec(obj.spec, old ? old.spec : undefined, 'spec'));
  // The controller appends an 11-character suffix to job names (63 - 11 = 52); checked on create only.
  const name = obj.metadata.name ?? '';
  if (!old && name.length > 52) errs.push(fe.invalid('metadata.name', name, maxLenError(52)));
  return errs;
}

export function validateCronJobStatus(obj: KubeObject, old: KubeObject): FieldError[] {
  return validateMetaFor(obj, old, { namespaced: true });
}

function boolPtr(v: unknown): string {
  if (v === true) return 'True';
  if (v === false) return 'False';
  return '<unset>';
}

export const cronJobsDef: ResourceDef = {
  group: 'batch',
  version: 'v1',
  kind: 'CronJob',
  plural: 'cronjobs',
  singular: 'cronjob',
  namespaced: true,
  shortNames: ['cj'],
  categories: ['all'],
  subresources: ['status'],
  generation: true,
  prepareForCreate(obj) {
    obj.status = {};
  },
  default: defaultCronJob,
  validate: validateCronJob,
  validateStatus: validateCronJobStatus,
  table: {
    columns: [
      nameColumn(),
      col('Schedule', 'string', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
      col('Timezone', 'string', 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process. The set of valid time zone names and the time zone offset is loaded from the system-wide time zone database by the API server during CronJob validation and the controller manager during execution. If no system-wide time zone database can be found a bundled version of the database is used instead. If the time zone name becomes invalid during the lifetime of a CronJob or due to a change in host configuration, the controller will stop creating new new Jobs and will create a system event with the reason UnknownTimeZone. More information can be found in https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones'),
      col('Suspend', 'boolean', 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false.'),
      col('Active', 'integer', 'A list of pointers to currently running jobs.'),
      col('Last Schedule', 'string', 'Information when was the last time the job was successfully scheduled.'),
      ageColumn(),
      ...templateWideColumns('A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors'),
    ],
    row(obj, now) {
      const spec = asObject(obj.spec);
      const st = asObject(obj.status);
      const js = asObject(asObject(spec.jobTemplate).spec);
      const [names, images] = containerCells(js.template);
      const last = typeof st.lastScheduleTime === 'string' && st.lastScheduleTime ? translateTimestampSince(st.lastScheduleTime, now) : '<none>';
      return [
        nameOf(obj),
        typeof spec.schedule === 'string' ? spec.schedule : '',
        typeof spec.timeZone === 'string' ? spec.timeZone : '<none>',
        boolPtr(spec.suspend),
        asArray(st.active).length,
        last,
        translateTimestampSince(obj.metadata.creationTimestamp, now),
        names,
        images,
        formatLabelSelector(js.selector),
      ];
    },
  },
};
