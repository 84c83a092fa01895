/**
 * apps/v1 StatefulSet: SetDefaults_StatefulSet, ValidateStatefulSet(Update) (DNS-1123 label names,
 * only replicas/ordinals/template/updateStrategy/persistentVolumeClaimRetentionPolicy/minReadySeconds
 * may change), status reset on create, scale, and the READY table.
 */
import type { ResourceDef } from '../resource';
import type { KubeObject } from '../types';
import { asArray, asObject, isObject } from '../types';
import { fe, type FieldError } from '../field-errors';
import { translateTimestampSince } from '../printers';
import { validateAnnotations, validateLabels, validateMetaFor, deepEqual } from '../core/validation/meta';
import { nameIsDNSLabel } from '../core/validation/names';
import { ageColumn, col, containerCells, int, nameColumn, nameOf, templateWideColumns } from './util/printing';
import { defaultPodTemplateSpec, validateSelectorAndTemplate } from './util/template';
import { intOrPercentValue, isNotMoreThan100Percent, nonNegative, validatePositiveIntOrPercent } from './util/validation';

type Obj = Record<string, unknown>;

const RETENTION = ['Retain', 'Delete'];

export function defaultStatefulSet(obj: KubeObject): void {
  const spec = (isObject(obj.spec) ? obj.spec : (obj.spec = {})) as Obj;
  if (!spec.podManagementPolicy) spec.podManagementPolicy = 'OrderedReady';
  const us = (isObject(spec.updateStrategy) ? spec.updateStrategy : (spec.updateStrategy = {})) as Obj;
  if (!us.type) {
    us.type = 'RollingUpdate';
    if (!isObject(us.rollingUpdate)) us.rollingUpdate = {};
  }
  if (us.type === 'RollingUpdate' && isObject(us.rollingUpdate)) {
    const ru = us.rollingUpdate;
    if (ru.partition === undefined || ru.partition === null) ru.partition = 0;
  }
  const pvcr = (isObject(spec.persistentVolumeClaimRetentionPolicy) ? spec.persistentVolumeClaimRetentionPolicy : (spec.persistentVolumeClaimRetentionPolicy = {})) as Obj;
  if (!pvcr.whenDeleted) pvcr.whenDeleted = 'Retain';
  if (!pvcr.whenScaled) pvcr.whenScaled = 'Retain';
  if (spec.replicas === undefined || spec.replicas === null) spec.replicas = 1;
  if (spec.revisionHistoryLimit === undefined || spec.revisionHistoryLimit === null) spec.revisionHistoryLimit = 10;
  if (!isObject(spec.template)) spec.template = {};
  defaultPodTemplateSpec(spec.template);
  // volumeClaimTemplates are PersistentVolumeClaims: PVC defaulting, and the v1 conversion writes their TypeMeta.
  for (const t of asArray(spec.volumeClaimTemplates)) {
    if (!isObject(t)) continue;
    t.apiVersion = 'v1';
    t.kind = 'PersistentVolumeClaim';
    const ps = (isObject(t.spec) ? t.spec : (t.spec = {})) as Obj;
    if (!ps.volumeMode) ps.volumeMode = 'Filesystem';
    const st = (isObject(t.status) ? t.status : (t.status = {})) as Obj;
    if (!st.phase) st.phase = 'Pending';
  }
}

function validateRetention(v: unknown, path: string): FieldError[] {
  return RETENTION.includes(String(v)) ? [] : [fe.notSupported(path, v ?? '', RETENTION)];
}

export function validateStatefulSetSpec(specIn: unknown, path = 'spec'): FieldError[] {
  const spec = asObject(specIn);
  const errs: FieldError[] = [];
  switch (spec.podManagementPolicy) {
    case undefined:
    case '':
      errs.push(fe.required(`${path}.podManagementPolicy`, ''));
      break;
    case 'OrderedReady':
    case 'Parallel':
      break;
    default:
      errs.push(fe.invalid(`${path}.podManagementPolicy`, spec.podManagementPolicy, "must be 'OrderedReady' or 'Parallel'"));
  }
  const us = asObject(spec.updateStrategy);
  switch (us.type) {
    case undefined:
    case '':
      errs.push(fe.required(`${path}.updateStrategy`, ''));
      break;
    case 'OnDelete':
      if (us.rollingUpdate !== undefined && us.rollingUpdate !== null) {
        errs.push(fe.invalid(`${path}.updateStrategy.rollingUpdate`, us.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'"));
      }
      break;
    case 'RollingUpdate':
      if (isObject(us.rollingUpdate)) {
        const ru = us.rollingUpdate;
        const rp = `${path}.updateStrategy.rollingUpdate`;
        errs.push(...nonNegative(ru.partition, `${rp}.partition`));
        if (ru.maxUnavailable !== undefined && ru.maxUnavailable !== null) {
          errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, `${rp}.maxUnavailable`));
          if (intOrPercentValue(ru.maxUnavailable) === 0) errs.push(fe.invalid(`${rp}.maxUnavailable`, ru.maxUnavailable, 'cannot be 0'));
          errs.push(...isNotMoreThan100Percent(ru.maxUnavailable, `${rp}.maxUnavailable`));
        }
      }
      break;
    default:
      errs.push(fe.invalid(`${path}.updateStrategy`, spec.updateStrategy, "must be 'RollingUpdate' or 'OnDelete'"));
  }
  if (isObject(spec.persistentVolumeClaimRetentionPolicy)) {
    const p = spec.persistentVolumeClaimRetentionPolicy;
    errs.push(...validateRetention(p.whenDeleted, `${path}.persistentVolumeClaimRetentionPolicy.whenDeleted`));
    errs.push(...validateRetention(p.whenScaled, `${path}.persistentVolumeClaimRetentionPolicy.whenScaled`));
  }
  errs.push(...nonNegative(spec.replicas, `${path}.replicas`));
  errs.push(...nonNegative(spec.minReadySeconds, `${path}.minReadySeconds`));
  if (isObject(spec.ordinals)) errs.push(...nonNegative(spec.ordinals.start, `${path}.ordinals.start`));
  errs.push(...validateSelectorAndTemplate(spec, path, 'statefulset', { invalidDetail: '' }));
  // Upstream validates only the template's labels and annotations here (not the pod spec).
  const tmeta = asObject(asObject(spec.template).metadata);
  errs.push(...validateLabels(tmeta.labels, `${path}.template.labels`));
  errs.push(...validateAnnotations(tmeta.annotations, `${path}.template.annotations`));
  const pspec = asObject(asObject(spec.template).spec);
  if (pspec.restartPolicy !== 'Always') errs.push(fe.notSupported(`${path}.template.spec.restartPolicy`, pspec.restartPolicy ?? '', ['Always']));
  if (pspec.activeDeadlineSeconds !== undefined && pspec.activeDeadlineSeconds !== null) {
    errs.push(fe.forbidden(`${path}.template.spec.activeDeadlineSeconds`, 'activeDeadlineSeconds in StatefulSet is not Supported'));
  }
  return errs;
}

const UPDATABLE = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

export function validateStatefulSet(obj: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs = validateMetaFor(obj, old, { namespaced: true, nameFn: nameIsDNSLabel });
  errs.push(...validateStatefulSetSpec(obj.spec));
  if (old) {
    const strip = (s: unknown) => Object.fromEntries(Object.entries(asObject(s)).filter(([k]) => !UPDATABLE.includes(k)));
    if (!deepEqual(strip(obj.spec), strip(old.spec))) {
      errs.push(
        fe.forbidden(
          'spec',
          "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        ),
      );
    }
  }
  return errs;
}

export function validateStatefulSetStatus(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateMetaFor(obj, old, { namespaced: true, nameFn: nameIsDNSLabel });
  const st = asObject(obj.status);
  for (const f of ['replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas', 'observedGeneration', 'collisionCount']) {
    errs.push(...nonNegative(st[f], `status.${f}`));
  }
  const replicas = int(st.replicas);
  const msg = 'cannot be greater than status.replicas';
  for (const f of ['readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas']) {
    if (int(st[f]) > replicas) errs.push(fe.invalid(`status.${f}`, st[f], msg));
  }
  if (int(st.availableReplicas) > int(st.readyReplicas)) errs.push(fe.invalid('status.availableReplicas', st.availableReplicas, 'cannot be greater than status.readyReplicas'));
  return errs;
}

export const statefulSetsDef: ResourceDef = {
  group: 'apps',
  version: 'v1',
  kind: 'StatefulSet',
  plural: 'statefulsets',
  singular: 'statefulset',
  namespaced: true,
  shortNames: ['sts'],
  categories: ['all'],
  subresources: ['status', 'scale'],
  scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' },
  generation: true,
  prepareForCreate(obj) {
    obj.status = { replicas: 0, availableReplicas: 0 };
  },
  default: defaultStatefulSet,
  validate: validateStatefulSet,
  validateStatus: validateStatefulSetStatus,
  table: {
    columns: [
      nameColumn(),
      col('Ready', 'string', 'Number of the pod with ready state'),
      ageColumn(),
      ...templateWideColumns(),
    ],
    row(obj, now) {
      const spec = asObject(obj.spec);
      const st = asObject(obj.status);
      const [names, images] = containerCells(spec.template);
      return [nameOf(obj), `${int(st.readyReplicas)}/${int(spec.replicas)}`, translateTimestampSince(obj.metadata.creationTimestamp, now), names, images];
    },
  },
};
