/**
 * ConfigMaps (core/v1): key syntax, the 1 MiB size limit, `immutable: true`, and the table.
 */
import { fe, type FieldError } from '../field-errors';
import { translateTimestampSince } from '../printers';
import type { ResourceDef } from '../resource';
import type { KubeObject } from '../types';
import { AGE_COLUMN, NAME_COLUMN, col, o } from './common';
import { deepEqual, validateObjectMeta, validateObjectMetaUpdate } from './validation/meta';
import { isConfigMapKey } from './validation/names';

/** core.MaxSecretSize: the limit for ConfigMap and Secret payloads. */
export const MAX_SECRET_SIZE = 1024 * 1024;

/** Keys of `data` and `binaryData` (`data[key]`), duplicates across both, and the total size. */
export function validateConfigMapData(cm: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const data = o(cm.data);
  const bin = o(cm.binaryData);
  let total = 0;
  for (const key of Object.keys(data).sort()) {
    for (const m of isConfigMapKey(key)) errs.push(fe.invalid(`data[${key}]`, key, m));
    if (key in bin) errs.push(fe.invalid(`data[${key}]`, key, 'duplicate of key present in binaryData'));
    total += Buffer.byteLength(String(data[key] ?? ''));
  }
  for (const key of Object.keys(bin).sort()) {
    for (const m of isConfigMapKey(key)) errs.push(fe.invalid(`binaryData[${key}]`, key, m));
    if (key in data) errs.push(fe.invalid(`binaryData[${key}]`, key, 'duplicate of key present in data'));
    total += Buffer.from(String(bin[key] ?? ''), 'base64').length;
  }
  if (total > MAX_SECRET_SIZE) errs.push(fe.tooLong('', MAX_SECRET_SIZE));
  return errs;
}

/** The `immutable: true` rules shared by ConfigMaps and Secrets. */
export function validateImmutableData(obj: KubeObject, old: KubeObject, fields: string[]): FieldError[] {
  const errs: FieldError[] = [];
  if (old.immutable !== true) return errs;
  if (obj.immutable !== true) errs.push(fe.forbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const f of fields) {
    if (!deepEqual(obj[f] ?? {}, old[f] ?? {})) errs.push(fe.forbidden(f, 'field is immutable when `immutable` is set'));
  }
  return errs;
}

export const configMapsDef: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  singular: 'configmap',
  namespaced: true,
  shortNames: ['cm'],

  validate(obj, old) {
    const errs = old ? validateObjectMetaUpdate(obj.metadata, old.metadata) : validateObjectMeta(obj.metadata, { namespaced: true });
    if (old) errs.push(...validateImmutableData(obj, old, ['data', 'binaryData']));
    errs.push(...validateConfigMapData(obj));
    return errs;
  },

  table: {
    columns: [NAME_COLUMN, col('Data', 'Data contains the configuration data. Each key must consist of alphanumeric characters, \'-\', \'_\' or \'.\'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process.'), AGE_COLUMN],
    row(cm, now) {
      return [cm.metadata.name ?? '', Object.keys(o(cm.data)).length + Object.keys(o(cm.binaryData)).length, translateTimestampSince(cm.metadata.creationTimestamp, now)];
    },
  },
};
