/**
 * coordination.k8s.io/v1 Lease (node heartbeats, leader election): ValidateLease and the HOLDER table.
 */
import type { ResourceDef } from '../resource';
import type { KubeObject } from '../types';
import { asObject } from '../types';
import { fe, type FieldError } from '../field-errors';
import { translateTimestampSince } from '../printers';
import { validateMetaFor } from '../core/validation/meta';
import { ageColumn, col, nameColumn, nameOf } from '../apps/util/printing';
import { nonNegative, positive } from '../apps/util/validation';

export function validateLease(obj: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs = validateMetaFor(obj, old, { namespaced: true });
  const spec = asObject(obj.spec);
  errs.push(...positive(spec.leaseDurationSeconds, 'spec.leaseDurationSeconds'));
  errs.push(...nonNegative(spec.leaseTransitions, 'spec.leaseTransitions'));
  if (spec.strategy !== undefined && spec.strategy !== null && spec.strategy !== 'OldestEmulationVersion') {
    errs.push(fe.notSupported('spec.strategy', spec.strategy, ['OldestEmulationVersion']));
  }
  return errs;
}

export const leasesDef: ResourceDef = {
  group: 'coordination.k8s.io',
  version: 'v1',
  kind: 'Lease',
  plural: 'leases',
  singular: 'lease',
  namespaced: true,
  validate: validateLease,
  table: {
    columns: [nameColumn(), col('Holder', 'string', 'holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field.'), ageColumn()],
    row(obj, now) {
      const h = asObject(obj.spec).holderIdentity;
      return [nameOf(obj), typeof h === 'string' ? h : '', translateTimestampSince(obj.metadata.creationTimestamp, now)];
    },
  },
};
