/**
 * apps/v1 Deployment: SetDefaults_Deployment, ValidateDeployment(Update) plus the strategy's
 * selector immutability, the deployment strategy (status reset on create), scale, and the
 * printer's READY/UP-TO-DATE/AVAILABLE table.
 */
import type { ResourceDef } from '../resource';
import type { KubeObject } from '../types';
import { asObject, isObject } from '../types';
import { fe, type FieldError } from '../field-errors';
import { translateTimestampSince } from '../printers';
import { validateMetaFor } from '../core/validation/meta';
import { ageColumn, col, containerCells, int, nameColumn, nameOf, templateWideColumns } from './util/printing';
import { labelSelectorString } from './util/selector-format';
import { defaultPodTemplateSpec, validatePodTemplateSpec, validateSelectorAndTemplate } from './util/template';
import { intOrPercentValue, isNotMoreThan100Percent, nonNegative, validateImmutableField, validateImmutableSelector, validatePositiveIntOrPercent } from './util/validation';

type Obj = Record<string, unknown>;

export function defaultDeployment(obj: KubeObject): void {
  const spec = (isObject(obj.spec) ? obj.spec : (obj.spec = {})) as Obj;
  if (spec.replicas === undefined || spec.replicas === null) spec.replicas = 1;
  const strategy = (isObject(spec.strategy) ? spec.strategy : (spec.strategy = {})) as Obj;
  if (!strategy.type) strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = (isObject(strategy.rollingUpdate) ? strategy.rollingUpdate : (strategy.rollingUpdate = {})) as Obj;
    if (ru.maxUnavailable === undefined || ru.maxUnavailable === null) ru.maxUnavailable = '25%';
    if (ru.maxSurge === undefined || ru.maxSurge === null) ru.maxSurge = '25%';
  }
  if (spec.revisionHistoryLimit === undefined || spec.revisionHistoryLimit === null) spec.revisionHistoryLimit = 10;
  if (spec.progressDeadlineSeconds === undefined || spec.progressDeadlineSeconds === null) spec.progressDeadlineSeconds = 600;
  if (!isObject(spec.template)) spec.template = {};
  defaultPodTemplateSpec(spec.template);
}

/** ValidateRollingUpdateDeployment. */
function validateRollingUpdate(ru: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, `${path}.maxUnavailable`));
  errs.push(...validatePositiveIntOrPercent(ru.maxSurge, `${path}.maxSurge`));
  if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
    errs.push(fe.invalid(`${path}.maxUnavailable`, ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
  }
  errs.push(...isNotMoreThan100Percent(ru.maxUnavailable, `${path}.maxUnavailable`));
  return errs;
}

/** ValidateDeploymentStrategy. */
function validateStrategy(strategyIn: unknown, path: string): FieldError[] {
  const strategy = asObject(strategyIn);
  switch (strategy.type) {
    case 'Recreate':
      return strategy.rollingUpdate !== undefined && strategy.rollingUpdate !== null
        ? [fe.forbidden(`${path}.rollingUpdate`, "may not be specified when strategy `type` is 'Recreate'")]
        : [];
    case 'RollingUpdate':
      if (!isObject(strategy.rollingUpdate)) return [fe.required(`${path}.rollingUpdate`, 'this should be defaulted and never be nil')];
      return validateRollingUpdate(strategy.rollingUpdate, `${path}.rollingUpdate`);
    default:
      return [fe.notSupported(path, strategyIn, ['Recreate', 'RollingUpdate'])];
  }
}

/** ValidateDeploymentSpec. */
export function validateDeploymentSpec(specIn: unknown, path = 'spec'): FieldError[] {
  const spec = asObject(specIn);
  const errs: FieldError[] = [];
  errs.push(...nonNegative(spec.replicas, `${path}.replicas`));
  errs.push(...validateSelectorAndTemplate(spec, path, 'deployment', { invalidDetail: 'invalid label selector' }));
  errs.push(...validateReplicaSetTemplate(spec.template, `${path}.template`, 'ReplicaSet'));
  errs.push(...validateStrategy(spec.strategy, `${path}.strategy`));
  errs.push(...nonNegative(spec.minReadySeconds, `${path}.minReadySeconds`));
  errs.push(...nonNegative(spec.revisionHistoryLimit, `${path}.revisionHistoryLimit`));
  if (typeof spec.progressDeadlineSeconds === 'number') {
    errs.push(...nonNegative(spec.progressDeadlineSeconds, `${path}.progressDeadlineSeconds`));
    const minReady = typeof spec.minReadySeconds === 'number' ? spec.minReadySeconds : 0;
    if (spec.progressDeadlineSeconds <= minReady) {
      errs.push(fe.invalid(`${path}.progressDeadlineSeconds`, spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
  }
  return errs;
}

/**
 * The part of ValidatePodTemplateSpecForReplicaSet after the selector check: the pod template itself,
 * restartPolicy Always only, no activeDeadlineSeconds. `what` names the kind in the Forbidden message.
 */
export function validateReplicaSetTemplate(template: unknown, path: string, what: string): FieldError[] {
  if (template === undefined || template === null) return [fe.required(path, '')];
  const errs = validatePodTemplateSpec(template, path);
  const pspec = asObject(asObject(template).spec);
  if (pspec.restartPolicy !== 'Always') errs.push(fe.notSupported(`${path}.spec.restartPolicy`, pspec.restartPolicy ?? '', ['Always']));
  if (pspec.activeDeadlineSeconds !== undefined && pspec.activeDeadlineSeconds !== null) {
    errs.push(fe.forbidden(`${path}.spec.activeDeadlineSeconds`, `activeDeadlineSeconds in ${what} is not Supported`));
  }
  return errs;
}

export function validateDeployment(obj: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs = validateMetaFor(obj, old, { namespaced: true });
  errs.push(...validateDeploymentSpec(obj.spec));
  // The apps/v1 strategy forbids changing the selector (extensions/v1beta1 allowed it).
  if (old) errs.push(...validateImmutableSelector(asObject(obj.spec).selector, asObject(old.spec).selector, 'spec.selector'));
  return errs;
}

/** ValidateDeploymentStatus. */
export function validateDeploymentStatus(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateMetaFor(obj, old, { namespaced: true });
  const st = asObject(obj.status);
  for (const f of ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas', 'collisionCount']) {
    errs.push(...nonNegative(st[f], `status.${f}`));
  }
  const replicas = int(st.replicas);
  const msg = 'cannot be greater than status.replicas';
  if (int(st.updatedReplicas) > replicas) errs.push(fe.invalid('status.updatedReplicas', st.updatedReplicas, msg));
  if (int(st.readyReplicas) > replicas) errs.push(fe.invalid('status.readyReplicas', st.readyReplicas, msg));
  if (int(st.availableReplicas) > replicas) errs.push(fe.invalid('status.availableReplicas', st.availableReplicas, msg));
  if (int(st.availableReplicas) > int(st.readyReplicas)) errs.push(fe.invalid('status.availableReplicas', st.availableReplicas, 'cannot be greater than readyReplicas'));
  const oldCC = asObject(old.status).collisionCount;
  if (typeof oldCC === 'number' && (typeof st.collisionCount !== 'number' || st.collisionCount < oldCC)) {
    errs.push(fe.invalid('status.collisionCount', int(st.collisionCount), 'cannot be decremented'));
  }
  return errs;
}

export const deploymentsDef: ResourceDef = {
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  plural: 'deployments',
  singular: 'deployment',
  namespaced: true,
  shortNames: ['deploy'],
  categories: ['all'],
  subresources: ['status', 'scale'],
  scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' },
  generation: true,
  prepareForCreate(obj) {
    obj.status = {};
  },
  default: defaultDeployment,
  validate: validateDeployment,
  validateStatus: validateDeploymentStatus,
  table: {
    columns: [
      nameColumn(),
      col('Ready', 'string', 'Number of the pod with ready state'),
      col('Up-to-date', 'string', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
      col('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
      ageColumn(),
      ...templateWideColumns('Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.'),
    ],
    row(obj, now) {
      const spec = asObject(obj.spec);
      const st = asObject(obj.status);
      const [names, images] = containerCells(spec.template);
      const sel = labelSelectorString(spec.selector);
      return [
        nameOf(obj),
        `${int(st.readyReplicas)}/${int(spec.replicas)}`,
        int(st.updatedReplicas),
        int(st.availableReplicas),
        translateTimestampSince(obj.metadata.creationTimestamp, now),
        names,
        images,
        sel === null ? '<invalid>' : sel,
      ];
    },
  },
};
