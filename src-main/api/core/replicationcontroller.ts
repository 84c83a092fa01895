/**
 * ReplicationControllers (core/v1): selector and labels default to the template labels,
 * replicas 1, generation tracking, template validation (selector must match the template
 * labels, restartPolicy Always), `/scale`, and the table.
 */
import { fe, type FieldError } from '../field-errors';
import { formatLabelMap, translateTimestampSince } from '../printers';
import type { ResourceDef } from '../resource';
import type { KubeObject } from '../types';
import { isObject } from '../types';
import { AGE_COLUMN, NAME_COLUMN, col, list, n, o, s, specOf, stringMap } from './common';
import { defaultPodTemplateSpec, validatePodTemplateSpec } from './pod-spec';
import { validateLabels, validateObjectMeta, validateObjectMetaUpdate } from './validation/meta';

export const TEMPLATE_CONTAINERS_DESCRIPTION = 'Names of each container in the template.';
export const TEMPLATE_IMAGES_DESCRIPTION = 'Images referenced by each container in the template.';

function nonNegative(v: unknown, path: string): FieldError[] {
  if (v === undefined || v === null) return [];
  return typeof v === 'number' && v >= 0 ? [] : [fe.invalid(path, v, 'must be greater than or equal to 0')];
}

export function validateReplicationControllerSpec(specIn: unknown): FieldError[] {
  const spec = o(specIn);
  const errs: FieldError[] = [];
  errs.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  const selector = stringMap(spec.selector);
  if (Object.keys(selector).length === 0) errs.push(fe.required('spec.selector', ''));
  else errs.push(...validateLabels(spec.selector, 'spec.selector'));
  errs.push(...nonNegative(spec.replicas, 'spec.replicas'));
  const tmpl = spec.template;
  if (!isObject(tmpl)) {
    errs.push(fe.required('spec.template', ''));
    return errs;
  }
  const labels = stringMap(o(tmpl.metadata).labels);
  if (Object.keys(selector).length > 0 && !Object.entries(selector).every(([k, v]) => labels[k] === v)) {
    errs.push(fe.invalid('spec.template.metadata.labels', o(tmpl.metadata).labels ?? {}, '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodTemplateSpec(tmpl, 'spec.template'));
  const tspec = o(tmpl.spec);
  if (tspec.restartPolicy !== undefined && tspec.restartPolicy !== 'Always') {
    errs.push(fe.notSupported('spec.template.spec.restartPolicy', tspec.restartPolicy, ['Always']));
  }
  if (tspec.activeDeadlineSeconds !== undefined && tspec.activeDeadlineSeconds !== null) {
    errs.push(fe.forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in ReplicationController is not Supported'));
  }
  return errs;
}

/** CONTAINERS and IMAGES cells of a pod template. */
export function templateContainerCells(tmpl: unknown): [string, string] {
  const cs = list(o(o(tmpl).spec).containers);
  return [cs.map((c) => s(c.name)).join(','), cs.map((c) => s(c.image)).join(',')];
}

function statusInt(obj: KubeObject, field: string): number {
  return n(o(obj.status)[field]);
}

export const replicationControllersDef: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'ReplicationController',
  plural: 'replicationcontrollers',
  singular: 'replicationcontroller',
  namespaced: true,
  shortNames: ['rc'],
  categories: ['all'],
  subresources: ['status', 'scale'],
  scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' },
  generation: true,
  // Upstream's rcStrategy orphans the pods of a v1 RC deleted without a policy (back-compat).
  defaultPropagationPolicy: 'Orphan',

  default(obj) {
    const spec = specOf(obj);
    const tmpl = isObject(spec.template) ? spec.template : undefined;
    const labels = tmpl ? o(tmpl.metadata).labels : undefined;
    if (isObject(labels)) {
      if (!isObject(spec.selector) || Object.keys(spec.selector).length === 0) spec.selector = { ...labels };
      if (!obj.metadata.labels || Object.keys(obj.metadata.labels).length === 0) obj.metadata.labels = { ...stringMap(labels) };
    }
    if (spec.replicas === undefined || spec.replicas === null) spec.replicas = 1;
    if (tmpl) defaultPodTemplateSpec(tmpl);
  },

  prepareForCreate(obj) {
    obj.status = { replicas: 0 };
  },

  validate(obj, old) {
    const errs = old ? validateObjectMetaUpdate(obj.metadata, old.metadata) : validateObjectMeta(obj.metadata, { namespaced: true });
    errs.push(...validateReplicationControllerSpec(obj.spec));
    return errs;
  },

  validateStatus(obj, old) {
    const errs = validateObjectMetaUpdate(obj.metadata, old.metadata);
    const st = o(obj.status);
    for (const f of ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration']) errs.push(...nonNegative(st[f], `status.${f}`));
    if (n(st.fullyLabeledReplicas) > n(st.replicas)) errs.push(fe.invalid('status.fullyLabeledReplicas', st.fullyLabeledReplicas, 'cannot be greater than status.replicas'));
    if (n(st.readyReplicas) > n(st.replicas)) errs.push(fe.invalid('status.readyReplicas', st.readyReplicas, 'cannot be greater than status.replicas'));
    if (n(st.availableReplicas) > n(st.replicas)) errs.push(fe.invalid('status.availableReplicas', st.availableReplicas, 'cannot be greater than status.replicas'));
    if (n(st.availableReplicas) > n(st.readyReplicas)) errs.push(fe.invalid('status.availableReplicas', st.availableReplicas, 'cannot be greater than readyReplicas'));
    return errs;
  },

  fieldSelectors: {
    'status.replicas': (rc) => String(statusInt(rc, 'replicas')),
  },

  table: {
    columns: [
      NAME_COLUMN,
      col('Desired', 'Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller', 0, 'integer'),
      col('Current', 'Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller#what-is-a-replicationcontroller', 0, 'integer'),
      col('Ready', 'The number of ready replicas for this replication controller.', 0, 'integer'),
      AGE_COLUMN,
      col('Containers', TEMPLATE_CONTAINERS_DESCRIPTION, 1),
      col('Images', TEMPLATE_IMAGES_DESCRIPTION, 1),
      col('Selector', 'Selector is a label query over pods that should match the Replicas count. If Selector is empty, it is defaulted to the labels present on the Pod template. Label keys and values that must match in order to be controlled by this replication controller, if empty defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors', 1),
    ],
    row(rc, now) {
      const spec = o(rc.spec);
      const [containers, images] = templateContainerCells(spec.template);
      return [
        rc.metadata.name ?? '',
        n(spec.replicas),
        statusInt(rc, 'replicas'),
        statusInt(rc, 'readyReplicas'),
        translateTimestampSince(rc.metadata.creationTimestamp, now),
        containers,
        images,
        formatLabelMap(stringMap(spec.selector)),
      ];
    },
  },
};
