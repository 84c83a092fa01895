import { describe, expect, it } from 'vitest';
import { applyOutcome, objectRef, resultLine } from '../../../../src-renderer/features/yaml/results';

describe('kubectl result wording', () => {
  it('names objects as kubectl prints them', () => {
    expect(objectRef('apps/v1', 'Deployment', 'web')).toBe('deployment.apps/web');
    expect(objectRef('v1', 'Service', 'web')).toBe('service/web');
    expect(objectRef('networking.k8s.io/v1', 'Ingress', 'in')).toBe('ingress.networking.k8s.io/in');
    expect(objectRef('v1', 'PersistentVolumeClaim', 'data')).toBe('persistentvolumeclaim/data');
  });
  it('created / configured / unchanged from resourceVersions', () => {
    expect(applyOutcome(undefined, '5')).toBe('created');
    expect(applyOutcome('5', '5')).toBe('unchanged');
    expect(applyOutcome('5', '9')).toBe('configured');
    expect(resultLine('deployment.apps/web', 'configured')).toBe('deployment.apps/web configured');
  });
});
