import { describe, expect, it } from 'vitest';
import type { Deployment, KubeEvent, Pod } from '../../../src-renderer/api/types';
import { formatBytes, formatCpu, parseQuantity, percent } from '../../../src-renderer/util/quantity';
import { deploymentHealth, newestEvents, podRequests, podsByPhase, requestedByNode } from '../../../src-renderer/util/workloads';

describe('quantities', () => {
  it('parses cpu and memory as Kubernetes writes them', () => {
    expect(parseQuantity('100m')).toBeCloseTo(0.1);
    expect(parseQuantity('2')).toBe(2);
    expect(parseQuantity('512Mi')).toBe(512 * 2 ** 20);
    expect(parseQuantity('1G')).toBe(1e9);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity('8028160Ki')).toBe(8028160 * 1024);
    expect(parseQuantity('nope')).toBeNaN();
  });
  it('formats them short', () => {
    expect(formatCpu(0.25)).toBe('250m');
    expect(formatCpu(4)).toBe('4');
    expect(formatBytes(70 * 2 ** 20)).toBe('70Mi');
    expect(formatBytes(7.8 * 2 ** 30)).toBe('7.8Gi');
    expect(percent(1, 4)).toBe(25);
    expect(percent(1, 0)).toBe(0);
  });
});

const pod = (node: string | undefined, phase: string, cpu?: string, mem?: string, init?: string): Pod => ({
  metadata: { name: 'p' },
  spec: { nodeName: node, containers: [{ name: 'a', resources: { requests: { cpu, memory: mem } } }, { name: 'b', resources: { requests: { cpu: '50m' } } }], initContainers: init ? [{ name: 'i', resources: { requests: { cpu: init } } }] : undefined },
  status: { phase },
});

describe('overview figures', () => {
  it('sums container requests, or takes a bigger init container', () => {
    expect(podRequests(pod('n', 'Running', '100m', '64Mi')).cpu).toBeCloseTo(0.15);
    expect(podRequests(pod('n', 'Running', '100m', '64Mi', '1')).cpu).toBe(1);
  });
  it('counts what bound, non-terminal pods request per node', () => {
    const m = requestedByNode([pod('n1', 'Running', '100m', '1Mi'), pod('n1', 'Pending', '100m'), pod('n1', 'Succeeded', '5'), pod(undefined, 'Pending', '1'), pod('n2', 'Running')]);
    expect(m.get('n1')).toMatchObject({ pods: 2, memory: 2 ** 20 });
    expect(m.get('n1')!.cpu).toBeCloseTo(0.3);
    expect(m.get('n2')!.pods).toBe(1);
    expect(m.has('undefined')).toBe(false);
  });
  it('counts pods by phase', () => {
    expect(podsByPhase([pod('n', 'Running'), pod('n', 'Running'), pod('n', 'Failed'), { metadata: { name: 'x' } }])).toMatchObject({ Running: 2, Failed: 1, Pending: 1, Succeeded: 0 });
  });
  it('calls a deployment available when all its replicas are', () => {
    const d = (replicas: number, available?: number): Deployment => ({ metadata: { name: 'd' }, spec: { replicas }, status: { availableReplicas: available } });
    const h = deploymentHealth([d(3, 3), d(2, 1), d(1), d(0)]);
    expect(h).toMatchObject({ available: 2, total: 4 });
    expect(h.unhealthy).toHaveLength(2);
  });
  it('orders events newest first by their last occurrence', () => {
    const e = (name: string, last: string): KubeEvent => ({ metadata: { name }, lastTimestamp: last });
    const series: KubeEvent = { metadata: { name: 's' }, eventTime: '2024-01-01T00:00:00Z', series: { lastObservedTime: '2024-01-01T00:09:00Z' } };
    expect(newestEvents([e('a', '2024-01-01T00:01:00Z'), e('b', '2024-01-01T00:05:00Z'), series], 2).map((x) => x.metadata.name)).toEqual(['s', 'b']);
  });
});
