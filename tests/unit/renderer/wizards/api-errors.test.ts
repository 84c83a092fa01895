import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../../src-renderer/api/kube';
import { formFailure } from '../../../../src-renderer/features/wizards/api-errors';

const byField = (c: { field?: string }) => (c.field === 'metadata.name' ? 'name' : c.field === 'spec.replicas' ? 'replicas' : undefined);

describe('formFailure', () => {
  it('puts an Invalid answer\'s causes on their fields and keeps the rest', () => {
    const e = new ApiError(422, 'Invalid', 'Deployment.apps "x" is invalid: …', {
      kind: 'Deployment',
      causes: [
        { field: 'metadata.name', message: 'bad' },
        { field: 'spec.replicas', message: 'must be greater than or equal to 0' },
        { field: 'spec.template.spec.nodeSelector', message: 'odd' },
      ],
    });
    expect(formFailure(e, byField)).toEqual({ fields: { name: 'bad', replicas: 'must be greater than or equal to 0' }, other: ['spec.template.spec.nodeSelector: odd'] });
  });
  it('AlreadyExists goes on the name, a missing namespace on the namespace', () => {
    expect(formFailure(new ApiError(409, 'AlreadyExists', 'deployments.apps "web" already exists', { name: 'web', kind: 'deployments' }), byField).fields).toEqual({ name: 'deployments.apps "web" already exists' });
    expect(formFailure(new ApiError(404, 'NotFound', 'namespaces "nope" not found', { name: 'nope', kind: 'namespaces' }), byField).fields).toEqual({ namespace: 'namespaces "nope" not found' });
  });
  it('anything else is a message', () => {
    expect(formFailure(new ApiError(403, 'Forbidden', 'no'), byField)).toEqual({ fields: {}, other: ['no'] });
    expect(formFailure(new Error('network down'), byField)).toEqual({ fields: {}, other: ['network down'] });
  });
});
