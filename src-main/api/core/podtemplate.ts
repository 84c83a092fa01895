/**
 * PodTemplates (core/v1): template defaulting and validation, and the table
 * (NAME, CONTAINERS, IMAGES, POD LABELS).
 */
import { formatLabelMap } from '../printers';
import type { ResourceDef } from '../resource';
import { NAME_COLUMN, col, o, stringMap } from './common';
import { defaultPodTemplateSpec, validatePodTemplateSpec } from './pod-spec';
import { TEMPLATE_CONTAINERS_DESCRIPTION, TEMPLATE_IMAGES_DESCRIPTION, templateContainerCells } from './replicationcontroller';
import { validateObjectMeta, validateObjectMetaUpdate } from './validation/meta';

export const podTemplatesDef: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'PodTemplate',
  plural: 'podtemplates',
  singular: 'podtemplate',
  namespaced: true,

  default(obj) {
    if (obj.template !== undefined) defaultPodTemplateSpec(obj.template);
  },

  validate(obj, old) {
    const errs = old ? validateObjectMetaUpdate(obj.metadata, old.metadata) : validateObjectMeta(obj.metadata, { namespaced: true });
    errs.push(...validatePodTemplateSpec(obj.template, 'template'));
    return errs;
  },

  table: {
    columns: [
      NAME_COLUMN,
      col('Containers', TEMPLATE_CONTAINERS_DESCRIPTION),
      col('Images', TEMPLATE_IMAGES_DESCRIPTION),
      col('Pod Labels', 'The labels for the pod template.'),
    ],
    row(pt) {
      const [containers, images] = templateContainerCells(pt.template);
      return [pt.metadata.name ?? '', containers, images, formatLabelMap(stringMap(o(o(pt.template).metadata).labels))];
    },
  },
};
