/**
 * apps/v1 ReplicaSet: SetDefaults_ReplicaSet, ValidateReplicaSet(Update) with the apps/v1 selector
 * immutability, status reset on create (`status.replicas: 0`), scale, `status.replicas` field
 * selector and the DESIRED/CURRENT/READY table.
 */
import type { ResourceDef } from '../resource';
import type { KubeObject } from '../types';
import { asObject, isObject } from '../types';
import { fe, type FieldError } from '../field-errors';
import { translateTimestampSince } from '../printers';
import { validateMetaFor } from '../core/validation/meta';
import { ageColumn, col, containerCells, int, nameColumn, nameOf, templateWideColumns } from './util/printing';
import { formatLabelSelector } from './util/selector-format';
import { defaultPodTemplateSpec, validateSelectorAndTemplate } from './util/template';
import { nonNegative, validateImmutableSelector } from './util/validation';
import { validateReplicaSetTemplate } from './deployment';

type Obj = Record<string, unknown>;

export function defaultReplicaSet(obj: KubeObject): void {
  const spec = (isObject(obj.spec) ? obj.spec : (obj.spec = {})) as Obj;
  if (spec.replicas === undefined || spec.replicas === null) spec.replicas = 1;
  if (!isObject(spec.template)) spec.template = {};
  defaultPodTemplateSpec(spec.template);
}

export function validateReplicaSetSpec(specIn: unknown, path = 'spec'): FieldError[] {
  const spec = asObject(specIn);
  const errs: FieldError[] = [];
  errs.push(...nonNegative(spec.replicas, `${path}.replicas`));
  errs.push(...nonNegative(spec.minReadySeconds, `${path}.minReadySeconds`));
  // Upstream reuses the deployment wording here.
  errs.push(...validateSelectorAndTemplate(spec, path, 'deployment', { invalidDetail: 'invalid label selector' }));
  errs.push(...validateReplicaSetTemplate(spec.template, `${path}.template`, 'ReplicaSet'));
  return errs;
}

export function validateReplicaSet(obj: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs = validateMetaFor(obj, old, { namespaced: true });
  errs.push(...validateReplicaSetSpec(obj.spec));
  if (old) errs.push(...validateImmutableSelector(asObject(obj.spec).selector, asObject(old.spec).selector, 'spec.selector'));
  return errs;
}

export function validateReplicaSetStatus(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs = validateMetaFor(obj, old, { namespaced: true });
  const st = asObject(obj.status);
  for (const f of ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration']) errs.push(...nonNegative(st[f], `status.${f}`));
  const replicas = int(st.replicas);
  const msg = 'cannot be greater than status.replicas';
  if (int(st.fullyLabeledReplicas) > replicas) errs.push(fe.invalid('status.fullyLabeledReplicas', st.fullyLabeledReplicas, msg));
  if (int(st.readyReplicas) > replicas) errs.push(fe.invalid('status.readyReplicas', st.readyReplicas, msg));
  if (int(st.availableReplicas) > replicas) errs.push(fe.invalid('status.availableReplicas', st.availableReplicas, msg));
  if (int(st.availableReplicas) > int(st.readyReplicas)) errs.push(fe.invalid('status.availableReplicas', st.availableReplicas, 'cannot be greater than readyReplicas'));
  return errs;
}

export const replicaSetsDef: ResourceDef = {
  group: 'apps',
  version: 'v1',
  kind: 'ReplicaSet',
  plural: 'replicasets',
  singular: 'replicaset',
  namespaced: true,
  shortNames: ['rs'],
  categories: ['all'],
  subresources: ['status', 'scale'],
  scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' },
  generation: true,
  prepareForCreate(obj) {
    // ReplicaSetStatus.replicas has no omitempty: a fresh object shows `replicas: 0`.
    obj.status = { replicas: 0 };
  },
  default: defaultReplicaSet,
  validate: validateReplicaSet,
  validateStatus: validateReplicaSetStatus,
  fieldSelectors: {
    'status.replicas': (obj) => String(int(asObject(obj.status).replicas)),
  },
  table: {
    columns: [
      nameColumn(),
      col('Desired', 'integer', 'Replicas is the number of desired pods. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller'),
      col('Current', 'integer', 'Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller'),
      col('Ready', 'integer', 'The number of ready replicas for this replica set.'),
      ageColumn(),
      ...templateWideColumns("Selector is a label query over pods that should match the replica count. Label keys and values that must match in order to be controlled by this replica set. It must match the pod template's labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors"),
    ],
    row(obj, now) {
      const spec = asObject(obj.spec);
      const st = asObject(obj.status);
      const [names, images] = containerCells(spec.template);
      return [
        nameOf(obj),
        int(spec.replicas),
        int(st.replicas),
        int(st.readyReplicas),
        translateTimestampSince(obj.metadata.creationTimestamp, now),
        names,
        images,
        formatLabelSelector(spec.selector),
      ];
    },
  },
};
