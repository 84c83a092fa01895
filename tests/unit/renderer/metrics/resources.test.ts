import { describe, expect, it } from 'vitest';
import { containerResources, nodeTotals, podResources } from '../../../../src-renderer/features/metrics/resources';

const c = (name: string, requests: Record<string, string> = {}, limits: Record<string, string> = {}, restartPolicy?: string) => ({ name, resources: { requests, limits }, restartPolicy });

describe('requests and limits in chart units', () => {
  it('reads a container (millicores, bytes; unset is 0)', () => {
    expect(containerResources(c('a', { cpu: '100m', memory: '64Mi' }, { cpu: '1' }))).toEqual({ cpuRequest: 100, cpuLimit: 1000, memoryRequest: 64 * 2 ** 20, memoryLimit: 0 });
    expect(containerResources({ name: 'bare' })).toEqual({ cpuRequest: 0, cpuLimit: 0, memoryRequest: 0, memoryLimit: 0 });
  });
  it('sums containers and sidecars, at least the largest init container', () => {
    const p = {
      spec: {
        containers: [c('a', { cpu: '100m' }, { cpu: '200m' }), c('b', { cpu: '50m' })],
        initContainers: [c('init', { cpu: '500m' }), c('side', { cpu: '10m' }, {}, 'Always')],
      },
    };
    expect(podResources(p).cpuRequest).toBe(500);
    expect(podResources({ spec: { ...p.spec, initContainers: [p.spec.initContainers[1]] } }).cpuRequest).toBe(160);
    expect(podResources(p).cpuLimit).toBe(200);
  });
  it('totals a node without finished pods', () => {
    const run = { spec: { containers: [c('a', { cpu: '250m', memory: '1Gi' }, { memory: '2Gi' })] }, status: { phase: 'Running' } };
    const done = { ...run, status: { phase: 'Succeeded' } };
    expect(nodeTotals([run, run, done])).toEqual({ cpuRequest: 500, cpuLimit: 0, memoryRequest: 2 * 2 ** 30, memoryLimit: 4 * 2 ** 30, pods: 2 });
  });
});
