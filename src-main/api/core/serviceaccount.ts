/**
 * ServiceAccounts (core/v1): DNS-1123 subdomain names and the table (NAME, SECRETS, AGE).
 * The `default` account per namespace is created by the serviceaccount controller.
 */
import { translateTimestampSince } from '../printers';
import type { ResourceDef } from '../resource';
import { asArray } from '../types';
import { AGE_COLUMN, NAME_COLUMN, col } from './common';
import { validateObjectMeta, validateObjectMetaUpdate } from './validation/meta';

export const serviceAccountsDef: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'ServiceAccount',
  plural: 'serviceaccounts',
  singular: 'serviceaccount',
  namespaced: true,
  shortNames: ['sa'],

  validate(obj, old) {
    return old ? validateObjectMetaUpdate(obj.metadata, old.metadata) : validateObjectMeta(obj.metadata, { namespaced: true });
  },

  table: {
    columns: [
      NAME_COLUMN,
      col('Secrets', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use. Pods are only limited to this list if this service account has a "kubernetes.io/enforce-mountable-secrets" annotation set to "true". The "kubernetes.io/enforce-mountable-secrets" annotation is deprecated since v1.32. Prefer separate namespaces to isolate access to mounted secrets. This field should not be used to find auto-generated service account token secrets for use outside of pods. Instead, tokens can be requested directly using the TokenRequest API, or service account token secrets can be manually created. More info: https://kubernetes.io/docs/concepts/configuration/secret'),
      AGE_COLUMN,
    ],
    row(sa, now) {
      return [sa.metadata.name ?? '', asArray(sa.secrets).length, translateTimestampSince(sa.metadata.creationTimestamp, now)];
    },
  },
};
