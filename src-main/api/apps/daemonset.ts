/**
 * apps/v1 DaemonSet: SetDefaults_DaemonSet, ValidateDaemonSet(Update), the strategy's template
 * generation (kept in the `deprecated.daemonset.template.generation` annotation in apps/v1),
 * status reset on create, and the DESIRED/CURRENT/READY/UP-TO-DATE/AVAILABLE/NODE SELECTOR table.
 */
import type { ResourceDef } from '../resource';
import type { KubeObject } from '../types';
import { asObject, isObject } from '../types';
import { fe, type FieldError } from '../field-errors';
import { formatLabelMap, translateTimestampSince } from '../printers';
import { validateMetaFor, deepEqual } from '../core/validation/meta';
import { ageColumn, col, containerCells, int, nameColumn, nameOf, templateWideColumns } from './util/printing';
import { formatLabelSelector } from './util/selector-format';
import { defaultPodTemplateSpec, validatePodTemplateSpec, validateSelectorAndTemplate } from './util/template';
import { intOrPercentValue, isNotMoreThan100Percent, nonNegative, validateImmutableSelector, validatePositiveIntOrPercent } from './util/validation';

type Obj = Record<string, unknown>;

export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

export function defaultDaemonSet(obj: KubeObject): void {
  const spec = (isObject(obj.spec) ? obj.spec : (obj.spec = {})) as Obj;
  const us = (isObject(spec.updateStrategy) ? spec.updateStrategy : (spec.updateStrategy = {})) as Obj;
  if (!us.type) us.type = 'RollingUpdate';
  if (us.type === 'RollingUpdate') {
    const ru = (isObject(us.rollingUpdate) ? us.rollingUpdate : (us.rollingUpdate = {})) as Obj;
    if (ru.maxUnavailable === undefined || ru.maxUnavailable === null) ru.maxUnavailable = 1;
    if (ru.maxSurge === undefined || ru.maxSurge === null) ru.maxSurge = 0;
  }
  if (spec.revisionHistoryLimit === undefined || spec.revisionHistoryLimit === null) spec.revisionHistoryLimit = 10;
  if (!isObject(spec.template)) spec.template = {};
  defaultPodTemplateSpec(spec.template);
}

function validateUpdateStrategy(strategyIn: unknown, path: string): FieldError[] {
  const strategy = asObject(strategyIn);
  switch (strategy.type) {
    case 'OnDelete':
      return [];
    case 'RollingUpdate': {
      if (!isObject(strategy.rollingUpdate)) return [fe.required(`${path}.rollingUpdate`, '')];
      const ru = strategy.rollingUpdate;
      const rp = `${path}.rollingUpdate`;
      const errs: FieldError[] = [];
      errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, `${rp}.maxUnavailable`));
      errs.push(...validatePositiveIntOrPercent(ru.maxSurge, `${rp}.maxSurge`));
      errs.push(...isNotMoreThan100Percent(ru.maxUnavailable, `${rp}.maxUnavailable`));
      errs.push(...isNotMoreThan100Percent(ru.maxSurge, `${rp}.maxSurge`));
      const hasUnavailable = intOrPercentValue(ru.maxUnavailable) !== 0;
      const hasSurge = intOrPercentValue(ru.maxSurge) !== 0;
      if (hasUnavailable && hasSurge) errs.push(fe.invalid(`${rp}.maxSurge`, ru.maxSurge, 'may not be set when maxUnavailable is non-zero'));
      else if (!hasUnavailable && !hasSurge) errs.push(fe.required(`${rp}.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
      return errs;
    }
    default:
      return [fe.notSupported(path, strategyIn, ['RollingUpdate', 'OnDelete'])];
  }
}

export function validateDaemonSetSpec(specIn: unknown, path = 'spec'): FieldError[] {
  const spec = asObject(specIn);
  const errs: FieldError[] = [];
  errs.push(...validateSelectorAndTemplate(spec, path, 'daemonset', { required: false }));
  errs.push(...validatePodTemplateSpec(spec.template, `${path}.template`));
  const pspec = asObject(asObject(spec.template).spec);
  if (pspec.restartPolicy !== 'Always') errs.push(fe.notSupported(`${path}.template.spec.restartPolicy`, pspec.restartPolicy ?? '', ['Always']));
  if (pspec.activeDeadlineSeconds !== undefined && pspec.activeDeadlineSeconds !== null) {
    errs.push(fe.forbidden(`${path}.template.spec.activeDeadlineSeconds`, 'activeDeadlineSeconds in DaemonSet is not Supported'));
  }
  errs.push(...nonNegative(spec.minReadySeconds, `${path}.minReadySeconds`));
  errs.push(...validateUpdateStrategy(spec.updateStrategy, `${path}.updateStrategy`));
  errs.push(...nonNegative(spec.revisionHistoryLimit, `${path}.revisionHistoryLimit`));
  return errs;
}

export function validateDaemonSet(obj: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs = validateMetaFor(obj, old, { namespaced: true });
  errs.push(...validateDaemonSetSpec(obj.spec));
  // apps/v1 strategy: the selector may not change.
  if (old) errs.push(...validateImmutableSelector(asObject(obj.spec).selector, asObject(old.spec).selector, 'spec.selector'));
  return errs;
}

export function validateDaemonSetStatus(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateMetaFor(obj, old, { namespaced: true });
  const st = asObject(obj.status);
  for (const f of ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady', 'observedGeneration', 'updatedNumberScheduled', 'numberAvailable', 'numberUnavailable', 'collisionCount']) {
    errs.push(...nonNegative(st[f], `status.${f}`));
  }
  return errs;
}

function templateGeneration(obj: KubeObject): number {
  const v = Number(obj.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION]);
  return Number.isFinite(v) && v > 0 ? v : 1;
}

function setTemplateGeneration(obj: KubeObject, gen: number): void {
  obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [TEMPLATE_GENERATION_ANNOTATION]: String(gen) };
}

export const daemonSetsDef: ResourceDef = {
  group: 'apps',
  version: 'v1',
  kind: 'DaemonSet',
  plural: 'daemonsets',
  singular: 'daemonset',
  namespaced: true,
  shortNames: ['ds'],
  categories: ['all'],
  subresources: ['status'],
  generation: true,
  prepareForCreate(obj) {
    obj.status = { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 };
    setTemplateGeneration(obj, Math.max(1, templateGeneration(obj)));
  },
  prepareForUpdate(obj, old) {
    const oldGen = templateGeneration(old);
    const changed = !deepEqual(asObject(obj.spec).template, asObject(old.spec).template);
    setTemplateGeneration(obj, changed ? oldGen + 1 : oldGen);
  },
  default: defaultDaemonSet,
  validate: validateDaemonSet,
  validateStatus: validateDaemonSetStatus,
  table: {
    columns: [
      nameColumn(),
      col('Desired', 'integer', 'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/'),
      col('Current', 'integer', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/'),
      col('Ready', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.'),
      col('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod'),
      col('Available', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)'),
      col('Node Selector', 'string', "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/"),
      ageColumn(),
      ...templateWideColumns("A label query over pods that are managed by the daemon set. Must match in order to be controlled. It must match the pod template's labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors"),
    ],
    row(obj, now) {
      const spec = asObject(obj.spec);
      const st = asObject(obj.status);
      const [names, images] = containerCells(spec.template);
      const nodeSelector = asObject(asObject(asObject(spec.template).spec).nodeSelector) as Record<string, string>;
      return [
        nameOf(obj),
        int(st.desiredNumberScheduled),
        int(st.currentNumberScheduled),
        int(st.numberReady),
        int(st.updatedNumberScheduled),
        int(st.numberAvailable),
        formatLabelMap(nodeSelector, '<none>'),
        translateTimestampSince(obj.metadata.creationTimestamp, now),
        names,
        images,
        formatLabelSelector(spec.selector),
      ];
    },
  },
};
