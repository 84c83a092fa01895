/**
 * Secrets (core/v1): type Opaque by default, `stringData` folded into `data` (as the v1
 * conversion does), key and size checks, per-type required keys, immutability, and the table.
 */
import { fe, type FieldError } from '../field-errors';
import { translateTimestampSince } from '../printers';
import type { ResourceDef } from '../resource';
import { AGE_COLUMN, NAME_COLUMN, col, o, s } from './common';
import { MAX_SECRET_SIZE, validateImmutableData } from './configmap';
import { validateImmutableField, validateObjectMeta, validateObjectMetaUpdate } from './validation/meta';
import { isConfigMapKey } from './validation/names';

const REQUIRED_KEYS: Record<string, string[]> = {
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
};

function decodedLength(v: unknown): number {
  return Buffer.from(String(v ?? ''), 'base64').length;
}

export const secretsDef: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'Secret',
  plural: 'secrets',
  singular: 'secret',
  namespaced: true,

  default(obj) {
    if (!obj.type) obj.type = 'Opaque';
    // v1 conversion: stringData entries overwrite data (base64-encoded) and are not stored.
    if (obj.stringData !== undefined) {
      const data = { ...o(obj.data) } as Record<string, unknown>;
      for (const [k, v] of Object.entries(o(obj.stringData))) data[k] = Buffer.from(String(v ?? ''), 'utf8').toString('base64');
      obj.data = data;
      delete obj.stringData;
    }
  },

  validate(obj, old) {
    const errs: FieldError[] = old ? validateObjectMetaUpdate(obj.metadata, old.metadata) : validateObjectMeta(obj.metadata, { namespaced: true });
    const data = o(obj.data);
    let total = 0;
    for (const key of Object.keys(data).sort()) {
      for (const m of isConfigMapKey(key)) errs.push(fe.invalid(`data[${key}]`, key, m));
      total += decodedLength(data[key]);
    }
    if (total > MAX_SECRET_SIZE) errs.push(fe.tooLong('data', MAX_SECRET_SIZE));
    const type = s(obj.type);
    if (type === 'kubernetes.io/service-account-token') {
      if (!obj.metadata.annotations?.['kubernetes.io/service-account.name']) {
        errs.push(fe.required('metadata.annotations[kubernetes.io/service-account.name]', ''));
      }
    } else if (type === 'kubernetes.io/basic-auth') {
      if (!('username' in data) && !('password' in data)) {
        errs.push(fe.required('data[username]', 'at least one of username or password is required'));
      }
    } else if (REQUIRED_KEYS[type]) {
      for (const k of REQUIRED_KEYS[type]) if (!(k in data)) errs.push(fe.required(`data[${k}]`, ''));
      if (type === 'kubernetes.io/dockerconfigjson' && '.dockerconfigjson' in data) {
        try {
          JSON.parse(Buffer.from(String(data['.dockerconfigjson']), 'base64').toString('utf8'));
        } catch (e) {
          errs.push(fe.invalid('data[.dockerconfigjson]', '<secret contents redacted>', (e as Error).message));
        }
      }
    }
    if (old) {
      errs.push(...validateImmutableField(obj.type, old.type, 'type'));
      errs.push(...validateImmutableData(obj, old, ['data']));
    }
    return errs;
  },

  fieldSelectors: {
    type: (sec) => s(sec.type),
  },

  table: {
    columns: [
      NAME_COLUMN,
      col('Type', 'Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types'),
      col('Data', "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4"),
      AGE_COLUMN,
    ],
    row(sec, now) {
      return [sec.metadata.name ?? '', s(sec.type), Object.keys(o(sec.data)).length, translateTimestampSince(sec.metadata.creationTimestamp, now)];
    },
  },
};
