/**
 * ResourceQuotas (core/v1): hard limits and scopes validated, status reset on create (the quota
 * controller fills it), and the table: NAME, REQUEST, LIMIT, AGE from status.hard/used.
 */
import { fe, type FieldError } from '../field-errors';
import { translateTimestampSince } from '../printers';
import type { ResourceDef } from '../resource';
import { AGE_COLUMN, NAME_COLUMN, col, o, specOf } from './common';
import { validateResourceList } from './pod-spec';
import { canonicalQuantity, canonicalizeResourceList } from './quantity';
import { validateObjectMeta, validateObjectMetaUpdate } from './validation/meta';

const SCOPES = ['BestEffort', 'CrossNamespacePodAffinity', 'NotBestEffort', 'NotTerminating', 'PriorityClass', 'Terminating', 'VolumeAttributesClass'];

function validateQuotaSpec(spec: Record<string, unknown>): FieldError[] {
  const errs = validateResourceList(spec.hard, 'spec.hard');
  (Array.isArray(spec.scopes) ? spec.scopes : []).forEach((sc, i) => {
    if (!SCOPES.includes(String(sc))) errs.push(fe.notSupported(`spec.scopes[${i}]`, sc, SCOPES));
  });
  return errs;
}

export function quotaColumns(status: Record<string, unknown>): { request: string; limit: string } {
  const hard = o(status.hard);
  const used = o(status.used);
  const req: string[] = [];
  const lim: string[] = [];
  for (const r of Object.keys(hard).sort()) {
    const u = used[r] === undefined ? '0' : canonicalQuantity(used[r] as string);
    const text = `${r}: ${u}/${canonicalQuantity(hard[r] as string)}`;
    const parts = r.split('.');
    if (parts.length > 1 && parts[0] === 'limits') lim.push(text);
    else req.push(text);
  }
  return { request: req.join(', '), limit: lim.join(', ') };
}

export const resourceQuotasDef: ResourceDef = {
  group: '',
  version: 'v1',
  kind: 'ResourceQuota',
  plural: 'resourcequotas',
  singular: 'resourcequota',
  namespaced: true,
  shortNames: ['quota'],
  subresources: ['status'],

  default(obj) {
    canonicalizeResourceList(specOf(obj).hard);
  },

  prepareForCreate(obj) {
    obj.status = {};
  },

  validate(obj, old) {
    const errs = old ? validateObjectMetaUpdate(obj.metadata, old.metadata) : validateObjectMeta(obj.metadata, { namespaced: true });
    errs.push(...validateQuotaSpec(o(obj.spec)));
    return errs;
  },

  validateStatus(obj, old) {
    const errs = validateObjectMetaUpdate(obj.metadata, old.metadata);
    const st = o(obj.status);
    errs.push(...validateResourceList(st.hard, 'status.hard'));
    errs.push(...validateResourceList(st.used, 'status.used'));
    return errs;
  },

  table: {
    columns: [
      NAME_COLUMN,
      col('Request', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
      col('Limit', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.'),
      AGE_COLUMN,
    ],
    row(rq, now) {
      const c = quotaColumns(o(rq.status));
      return [rq.metadata.name ?? '', c.request, c.limit, translateTimestampSince(rq.metadata.creationTimestamp, now)];
    },
  },
};

