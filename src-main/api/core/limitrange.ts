/**
 * LimitRanges (core/v1): SetDefaults_LimitRangeItem (default ← max, defaultRequest ← default
 * ← min for Container limits), the min/default/max ordering checks, and the default server
 * table (NAME, CREATED AT), since upstream has no printer for this kind.
 */
import { fe, type FieldError } from '../field-errors';
import type { ResourceDef } from '../resource';
import { CREATION_TIMESTAMP_DESCRIPTION, NAME_COLUMN, list, o, s, specOf, type Obj } from './common';
import { validateResourceList } from './pod-spec';
import { canonicalizeResourceList, formatQuantity, isQuantity, parseQuantity } from './quantity';
import { validateObjectMeta, validateObjectMetaUpdate } from './validation/meta';

const LIMIT_TYPES = ['Container', 'PersistentVolumeClaim', 'Pod'];

function defaultItem(item: Obj): void {
  for (const k of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio']) canonicalizeResourceList(item[k]);
  if (item.type !== 'Container') return;
  const def: Obj = { ...o(item.default) };
  const req: Obj = { ...o(item.defaultRequest) };
  for (const [k, v] of Object.entries(o(item.max))) if (def[k] === undefined) def[k] = v;
  for (const [k, v] of Object.entries(def)) if (req[k] === undefined) req[k] = v;
  for (const [k, v] of Object.entries(o(item.min))) if (req[k] === undefined) req[k] = v;
  if (Object.keys(def).length) item.default = def;
  if (Object.keys(req).length) item.defaultRequest = req;
}

function q(v: unknown): bigint | undefined {
  return isQuantity(v) ? parseQuantity(v as string).nano : undefined;
}

function fmt(v: unknown): string {
  return formatQuantity(parseQuantity(v as string));
}

function validateItem(item: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const type = s(item.type);
  if (!type) errs.push(fe.required(`${path}.type`, ''));
  else if (!LIMIT_TYPES.includes(type)) errs.push(fe.notSupported(`${path}.type`, type, LIMIT_TYPES));
  for (const k of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio']) errs.push(...validateResourceList(item[k], `${path}.${k}`));
  if (errs.length) return errs;
  if (type === 'Pod' && (item.default !== undefined || item.defaultRequest !== undefined)) {
    if (item.default !== undefined) errs.push(fe.forbidden(`${path}.default`, 'may not be specified when `type` is \'Pod\''));
    if (item.defaultRequest !== undefined) errs.push(fe.forbidden(`${path}.defaultRequest`, 'may not be specified when `type` is \'Pod\''));
  }
  const min = o(item.min);
  const max = o(item.max);
  const def = o(item.default);
  const req = o(item.defaultRequest);
  const keys = new Set([...Object.keys(min), ...Object.keys(max), ...Object.keys(def), ...Object.keys(req)]);
  for (const k of [...keys].sort()) {
    const mn = q(min[k]);
    const mx = q(max[k]);
    const d = q(def[k]);
    const r = q(req[k]);
    if (mn !== undefined && mx !== undefined && mn > mx) errs.push(fe.invalid(`${path}.min[${k}]`, fmt(min[k]), `min value ${fmt(min[k])} is greater than max value ${fmt(max[k])}`));
    if (r !== undefined && mn !== undefined && mn > r) errs.push(fe.invalid(`${path}.defaultRequest[${k}]`, fmt(req[k]), `min value ${fmt(min[k])} is greater than default request value ${fmt(req[k])}`));
    if (r !== undefined && mx !== undefined && r > mx) errs.push(fe.invalid(`${path}.defaultRequest[${k}]`, fmt(req[k]), `default request value ${fmt(req[k])} is greater than max value ${fmt(max[k])}`));
    if (r !== undefined && d !== undefined && r > d) errs.push(fe.invalid(`${path}.defaultRequest[${k}]`, fmt(req[k]), `default request value ${fmt(req[k])} is greater than default limit value ${fmt(def[k])}`));
    if (d !== undefined && mn !== undefined && mn > d) errs.push(fe.invalid(`${path}.default[${k}]`, fmt(def[k]), `min value ${fmt(min[k])} is greater than default value ${fmt(def[k])}`));
    if (d !== undefined && mx !== undefined && d > mx) errs.push(fe.invalid(`${path}.default[${k}]`, fmt(def[k]), `default value ${fmt(def[k])} is greater than max value ${fmt(max[k])}`));
  }
  return errs;
}

export const limitRangesDef: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'LimitRange',
  plural: 'limitranges',
  singular: 'limitrange',
  namespaced: true,
  shortNames: ['limits'],

  default(obj) {
    for (const item of list(specOf(obj).limits)) defaultItem(item);
  },

  validate(obj, old) {
    const errs = old ? validateObjectMetaUpdate(obj.metadata, old.metadata) : validateObjectMeta(obj.metadata, { namespaced: true });
    list(o(obj.spec).limits).forEach((item, i) => errs.push(...validateItem(item, `spec.limits[${i}]`)));
    return errs;
  },

  table: {
    columns: [NAME_COLUMN, { name: 'Created At', type: 'date', description: CREATION_TIMESTAMP_DESCRIPTION, priority: 0 }],
    row(lr) {
      return [lr.metadata.name ?? '', lr.metadata.creationTimestamp ?? null];
    },
  },
};
