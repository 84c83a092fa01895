/**
 * apps/v1 ControllerRevision: the snapshots DaemonSets and StatefulSets keep for rollbacks.
 * Validation (data required, revision ≥ 0, data immutable) and the CONTROLLER/REVISION table.
 */
import type { ResourceDef } from '../resource';
import type { KubeObject } from '../types';
import { fe, type FieldError } from '../field-errors';
import { translateTimestampSince } from '../printers';
import { validateMetaFor, validateObjectMeta, validateImmutableField } from '../core/validation/meta';
import { ageColumn, col, nameColumn, nameOf } from './util/printing';
import { nonNegative } from './util/validation';

export function validateControllerRevision(obj: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs = old ? validateMetaFor(obj, old, { namespaced: true }) : [];
  errs.push(...validateObjectMeta(obj.metadata, { namespaced: true }));
  if (obj.data === undefined || obj.data === null) errs.push(fe.required('data', 'data is mandatory'));
  errs.push(...nonNegative(obj.revision, 'revision'));
  if (old) errs.push(...validateImmutableField(obj.data, old.data, 'data'));
  return errs;
}

/** `daemonset.apps/web` from the controller owner reference, or `<none>`. */
export function controllerOf(obj: KubeObject): string {
  const ref = (obj.metadata.ownerReferences ?? []).find((r) => r.controller === true);
  if (!ref) return '<none>';
  const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '';
  const gk = group ? `${ref.kind}.${group}` : ref.kind;
  return gk ? `${gk.toLowerCase()}/${ref.name}` : ref.name;
}

export const controllerRevisionsDef: ResourceDef = {
  group: 'apps',
  version: 'v1',
  kind: 'ControllerRevision',
  plural: 'controllerrevisions',
  singular: 'controllerrevision',
  namespaced: true,
  validate: validateControllerRevision,
  table: {
    columns: [nameColumn(), col('Controller', 'string', 'Controller of the object'), col('Revision', 'string', 'Revision indicates the revision of the state represented by Data.'), ageColumn()],
    row(obj, now) {
      return [nameOf(obj), controllerOf(obj), typeof obj.revision === 'number' ? obj.revision : 0, translateTimestampSince(obj.metadata.creationTimestamp, now)];
    },
  },
};
