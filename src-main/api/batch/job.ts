/**
 * batch/v1 Job: SetDefaults_Job, the job strategy (status reset, generated selector and the
 * `batch.kubernetes.io/controller-uid` / `controller-uid` / `batch.kubernetes.io/job-name` /
 * `job-name` template labels unless manualSelector), ValidateJob(Update), the
 * `status.successful` field selector and the STATUS/COMPLETIONS/DURATION table.
 */
import type { ResourceDef, StrategyContext } from '../resource';
import type { KubeObject } from '../types';
import { asArray, asObject, isObject } from '../types';
import { fe, type FieldError } from '../field-errors';
import { humanDuration, translateTimestampSince } from '../printers';
import { validateMetaFor, validateLabelSelector, labelSelectorMatches, deepEqual } from '../core/validation/meta';
import { isDNS1123Label } from '../core/validation/names';
import { ageColumn, col, containerCells, int, nameColumn, nameOf, templateWideColumns } from '../apps/util/printing';
import { formatLabelSelector } from '../apps/util/selector-format';
import { defaultPodTemplateSpec, templateLabels, validatePodTemplateSpec } from '../apps/util/template';
import { nonNegative, validateImmutableField, validateImmutableSelector } from '../apps/util/validation';

type Obj = Record<string, unknown>;

export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
export const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';
export const LEGACY_JOB_NAME_LABEL = 'job-name';

const MAX_INT32 = 2147483647;

/** Jobs whose metadata.labels were defaulted from the template (Go shares the map, so generated labels show there too). */
const labelsFromTemplate = new WeakSet<KubeObject>();

/** SetDefaults_Job (applied to Job objects; a CronJob's jobTemplate only gets pod-template defaults). */
export function defaultJob(obj: KubeObject): void {
  const spec = (isObject(obj.spec) ? obj.spec : (obj.spec = {})) as Obj;
  defaultJobSpecFields(spec);
  const tl = templateLabels(spec.template);
  if (tl && Object.keys(obj.metadata.labels ?? {}).length === 0) {
    obj.metadata.labels = { ...tl };
    labelsFromTemplate.add(obj);
  }
}

function defaultJobSpecFields(spec: Obj): void {
  const unset = (v: unknown) => v === undefined || v === null;
  if (unset(spec.completions) && unset(spec.parallelism)) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  if (unset(spec.parallelism)) spec.parallelism = 1;
  if (unset(spec.backoffLimit)) spec.backoffLimit = unset(spec.backoffLimitPerIndex) ? 6 : MAX_INT32;
  if (unset(spec.completionMode)) spec.completionMode = 'NonIndexed';
  if (unset(spec.suspend)) spec.suspend = false;
  if (isObject(spec.podFailurePolicy)) {
    for (const rule of asArray(spec.podFailurePolicy.rules)) {
      for (const p of asArray(asObject(rule).onPodConditions)) if (isObject(p) && !p.status) p.status = 'True';
    }
  }
  if (unset(spec.podReplacementPolicy)) spec.podReplacementPolicy = isObject(spec.podFailurePolicy) ? 'Failed' : 'TerminatingOrFailed';
  if (!isObject(spec.template)) spec.template = {};
  defaultPodTemplateSpec(spec.template);
}

function sortedLabels(m: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(m).sort().map((k) => [k, m[k]]));
}

/** generateSelector from the job strategy: template labels and a selector on the job's uid. */
export function generateJobSelector(obj: KubeObject): void {
  const spec = (isObject(obj.spec) ? obj.spec : (obj.spec = {})) as Obj;
  const template = (isObject(spec.template) ? spec.template : (spec.template = {})) as Obj;
  const meta = (isObject(template.metadata) ? template.metadata : (template.metadata = {})) as Obj;
  const labels = { ...((isObject(meta.labels) ? meta.labels : {}) as Record<string, string>) };
  const name = obj.metadata.name ?? '';
  const uid = obj.metadata.uid ?? '';
  for (const k of [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL]) if (!(k in labels)) labels[k] = name;
  for (const k of [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL]) if (!(k in labels)) labels[k] = uid;
  meta.labels = sortedLabels(labels);
  const sel = (isObject(spec.selector) ? spec.selector : (spec.selector = {})) as Obj;
  const ml = { ...((isObject(sel.matchLabels) ? sel.matchLabels : {}) as Record<string, string>) };
  if (!(CONTROLLER_UID_LABEL in ml) && !(LEGACY_CONTROLLER_UID_LABEL in ml)) ml[CONTROLLER_UID_LABEL] = uid;
  sel.matchLabels = ml;
}

function prepareJobForCreate(obj: KubeObject, _ctx: StrategyContext): void {
  obj.status = {};
  const spec = asObject(obj.spec);
  if (spec.manualSelector !== true) generateJobSelector(obj);
  // What a read shows: defaulting copies the (now generated) template labels to empty job labels.
  if (labelsFromTemplate.has(obj) || Object.keys(obj.metadata.labels ?? {}).length === 0) {
    const tl = templateLabels(spec.template);
    if (tl) obj.metadata.labels = { ...tl };
  }
}

/** validateJobSpec: everything but the selector (shared with CronJob jobTemplates). */
export function validateJobSpecFields(specIn: unknown, path: string): FieldError[] {
  const spec = asObject(specIn);
  const errs: FieldError[] = [];
  for (const f of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex']) {
    errs.push(...nonNegative(spec[f], `${path}.${f}`));
  }
  const has = (v: unknown) => v !== undefined && v !== null;
  if (has(spec.maxFailedIndexes)) {
    errs.push(...nonNegative(spec.maxFailedIndexes, `${path}.maxFailedIndexes`));
    if (!has(spec.backoffLimitPerIndex)) errs.push(fe.required(`${path}.backoffLimitPerIndex`, 'when maxFailedIndexes is specified'));
  }
  const mode = spec.completionMode;
  if (has(mode)) {
    if (mode !== 'NonIndexed' && mode !== 'Indexed') errs.push(fe.notSupported(`${path}.completionMode`, mode, ['NonIndexed', 'Indexed']));
    if (mode === 'Indexed') {
      if (!has(spec.completions)) errs.push(fe.required(`${path}.completions`, 'when completion mode is Indexed'));
      if (typeof spec.parallelism === 'number' && spec.parallelism > 100000) {
        errs.push(fe.invalid(`${path}.parallelism`, spec.parallelism, 'must be less than or equal to 100000 when completion mode is Indexed'));
      }
    }
  }
  if (!has(mode) || mode === 'NonIndexed') {
    if (has(spec.backoffLimitPerIndex)) errs.push(fe.invalid(`${path}.backoffLimitPerIndex`, spec.backoffLimitPerIndex, 'requires indexed completion mode'));
    if (has(spec.maxFailedIndexes)) errs.push(fe.invalid(`${path}.maxFailedIndexes`, spec.maxFailedIndexes, 'requires indexed completion mode'));
  }
  if (has(spec.podReplacementPolicy)) {
    if (isObject(spec.podFailurePolicy)) {
      if (spec.podReplacementPolicy !== 'Failed') errs.push(fe.notSupported(`${path}.podReplacementPolicy`, spec.podReplacementPolicy, ['Failed']));
    } else if (spec.podReplacementPolicy !== 'Failed' && spec.podReplacementPolicy !== 'TerminatingOrFailed') {
      errs.push(fe.notSupported(`${path}.podReplacementPolicy`, spec.podReplacementPolicy, ['Failed', 'TerminatingOrFailed']));
    }
  }
  errs.push(...validatePodTemplateSpec(spec.template, `${path}.template`));
  const rp = asObject(asObject(spec.template).spec).restartPolicy;
  const rpPath = `${path}.template.spec.restartPolicy`;
  if (rp === 'Always' || rp === undefined || rp === '') {
    errs.push(fe.required(rpPath, 'valid values: "OnFailure", "Never"'));
  } else if (rp !== 'OnFailure' && rp !== 'Never') {
    // core's template validation already reported other unknown values.
    if (!errs.some((e) => e.field === rpPath)) errs.push(fe.notSupported(rpPath, rp, ['OnFailure', 'Never']));
  } else if (isObject(spec.podFailurePolicy) && rp !== 'Never') {
    errs.push(fe.invalid(rpPath, rp, 'only "Never" is supported when podFailurePolicy is specified'));
  }
  return errs;
}

/** ValidateJobSpec: the fields, then the selector and that it matches the template. */
function validateJobSpec(specIn: unknown, path: string): FieldError[] {
  const spec = asObject(specIn);
  const errs = validateJobSpecFields(spec, path);
  if (spec.selector === undefined || spec.selector === null) errs.push(fe.required(`${path}.selector`, ''));
  else errs.push(...validateLabelSelector(spec.selector, `${path}.selector`));
  if (isObject(spec.selector)) {
    const labels = templateLabels(spec.template);
    if (!labelSelectorMatches(spec.selector, labels)) {
      errs.push(fe.invalid(`${path}.template.metadata.labels`, labels ?? {}, '`selector` does not match template `labels`'));
    }
  }
  return errs;
}

function hasLabel(labels: Record<string, string> | undefined, key: string, want: string): FieldError[] {
  const path = `spec.template.metadata.labels[${key}]`;
  if (!labels || !(key in labels)) return [fe.required(path, `must be '${want}'`)];
  if (labels[key] !== want) return [fe.invalid(path, labels, `must be '${want}'`)];
  return [];
}

/** validateGeneratedSelector. */
function validateGeneratedSelector(obj: KubeObject, batchLabels: boolean): FieldError[] {
  const spec = asObject(obj.spec);
  if (spec.manualSelector === true || !isObject(spec.selector)) return [];
  const errs: FieldError[] = [];
  const uid = obj.metadata.uid ?? '';
  const name = obj.metadata.name ?? '';
  if (!uid) errs.push(fe.required('metadata.uid', ''));
  const labels = templateLabels(spec.template);
  errs.push(...hasLabel(labels, LEGACY_CONTROLLER_UID_LABEL, uid));
  errs.push(...hasLabel(labels, LEGACY_JOB_NAME_LABEL, name));
  const expected: Record<string, string> = {};
  if (batchLabels) {
    errs.push(...hasLabel(labels, CONTROLLER_UID_LABEL, uid));
    errs.push(...hasLabel(labels, JOB_NAME_LABEL, name));
    expected[CONTROLLER_UID_LABEL] = uid;
    expected[JOB_NAME_LABEL] = name;
  }
  expected[LEGACY_CONTROLLER_UID_LABEL] = uid;
  expected[LEGACY_JOB_NAME_LABEL] = name;
  if (!labelSelectorMatches(spec.selector, expected)) errs.push(fe.invalid('spec.selector', spec.selector, '`selector` not auto-generated'));
  return errs;
}

export function validateJob(obj: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs = validateMetaFor(obj, old, { namespaced: true });
  const batchLabels = old ? CONTROLLER_UID_LABEL in (templateLabels(asObject(old.spec).template) ?? {}) : true;
  errs.push(...validateGeneratedSelector(obj, batchLabels));
  errs.push(...validateJobSpec(obj.spec, 'spec'));
  const spec = asObject(obj.spec);
  if (spec.completionMode === 'Indexed' && typeof spec.completions === 'number' && spec.completions > 0) {
    const host = `${obj.metadata.name ?? ''}-${spec.completions - 1}`;
    if (isDNS1123Label(host).length) errs.push(fe.invalid('metadata.name', obj.metadata.name, `will not able to create pod with invalid DNS label: ${host}`));
  }
  if (old) errs.push(...validateJobSpecUpdate(spec, asObject(old.spec), old));
  return errs;
}

function validateJobSpecUpdate(spec: Obj, oldSpec: Obj, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (spec.completionMode === 'Indexed') {
    if (!deepEqual(spec.completions, oldSpec.completions) && spec.completions !== undefined && spec.completions !== spec.parallelism) {
      errs.push(fe.invalid('spec.completions', spec.completions, 'can only be modified in tandem with spec.parallelism'));
    }
  } else {
    errs.push(...validateImmutableField(spec.completions, oldSpec.completions, 'spec.completions'));
  }
  errs.push(...validateImmutableSelector(spec.selector, oldSpec.selector, 'spec.selector'));
  // Suspended jobs that never started may change scheduling directives, labels and annotations of the template.
  let oldTemplate = oldSpec.template;
  const suspendedNeverStarted = oldSpec.suspend === true && !asObject(old.status).startTime;
  if (suspendedNeverStarted && isObject(oldSpec.template)) {
    const nt = asObject(spec.template);
    const ot = structuredClone(oldSpec.template) as Obj;
    const om = asObject(ot.metadata);
    const nm = asObject(nt.metadata);
    om.labels = nm.labels;
    om.annotations = nm.annotations;
    ot.metadata = om;
    const ops = asObject(ot.spec);
    const nps = asObject(nt.spec);
    for (const f of ['nodeSelector', 'tolerations', 'schedulingGates']) ops[f] = nps[f];
    if (isObject(nps.affinity) || isObject(ops.affinity)) {
      const oa = { ...asObject(ops.affinity), nodeAffinity: asObject(nps.affinity).nodeAffinity };
      ops.affinity = Object.values(oa).some((v) => v !== undefined) ? oa : undefined;
    }
    ot.spec = ops;
    oldTemplate = ot;
  }
  errs.push(...validateImmutableField(spec.template, oldTemplate, 'spec.template'));
  for (const f of ['completionMode', 'podFailurePolicy', 'backoffLimitPerIndex', 'managedBy', 'successPolicy']) {
    errs.push(...validateImmutableField(spec[f], oldSpec[f], `spec.${f}`));
  }
  return errs;
}

export function validateJobStatus(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateMetaFor(obj, old, { namespaced: true });
  const st = asObject(obj.status);
  for (const f of ['active', 'succeeded', 'failed', 'ready', 'terminating']) errs.push(...nonNegative(st[f], `status.${f}`));
  return errs;
}

function conditionTrue(obj: KubeObject, type: string): boolean {
  const c = asArray(asObject(obj.status).conditions).map(asObject).find((x) => x.type === type);
  return c?.status === 'True';
}

/** The Job printer's STATUS cell. */
export function jobStatusText(obj: KubeObject): string {
  if (conditionTrue(obj, 'Complete')) return 'Complete';
  if (conditionTrue(obj, 'Failed')) return 'Failed';
  if (obj.metadata.deletionTimestamp) return 'Terminating';
  if (conditionTrue(obj, 'Suspended')) return 'Suspended';
  if (conditionTrue(obj, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

export function jobCompletionsText(obj: KubeObject): string {
  const spec = asObject(obj.spec);
  const succeeded = int(asObject(obj.status).succeeded);
  if (typeof spec.completions === 'number') return `${succeeded}/${spec.completions}`;
  const parallelism = int(spec.parallelism);
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

export function jobDurationText(obj: KubeObject, now: number): string {
  const st = asObject(obj.status);
  const start = typeof st.startTime === 'string' ? Date.parse(st.startTime) : NaN;
  if (Number.isNaN(start)) return '';
  const end = typeof st.completionTime === 'string' ? Date.parse(st.completionTime) : NaN;
  return humanDuration((Number.isNaN(end) ? now : end) - start);
}

export const jobsDef: ResourceDef = {
  group: 'batch',
  version: 'v1',
  kind: 'Job',
  plural: 'jobs',
  singular: 'job',
  namespaced: true,
  categories: ['all'],
  subresources: ['status'],
  generation: true,
  prepareForCreate: prepareJobForCreate,
  default: defaultJob,
  validate: validateJob,
  validateStatus: validateJobStatus,
  fieldSelectors: {
    'status.successful': (obj) => String(int(asObject(obj.status).succeeded)),
  },
  table: {
    columns: [
      nameColumn(),
      col('Status', 'string', 'Status of the job.'),
      col('Completions', 'string', 'The number of pods which reached phase Succeeded. The value increases monotonically for a given spec. However, it may decrease in reaction to scale down of elastic indexed jobs.'),
      col('Duration', 'string', 'Time required to complete the job.'),
      ageColumn(),
      ...templateWideColumns('A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors'),
    ],
    row(obj, now) {
      const spec = asObject(obj.spec);
      const [names, images] = containerCells(spec.template);
      return [
        nameOf(obj),
        jobStatusText(obj),
        jobCompletionsText(obj),
        jobDurationText(obj, now),
        translateTimestampSince(obj.metadata.creationTimestamp, now),
        names,
        images,
        formatLabelSelector(spec.selector),
      ];
    },
  },
};
