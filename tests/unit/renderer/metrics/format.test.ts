import { describe, expect, it } from 'vitest';
import { clock, formatValue, milliCores, topCpu, topMemory, topPercent } from '../../../../src-renderer/features/metrics/format';
import { podMetricsPath, nodeMetricsPath, podSamples, sampleOf } from '../../../../src-renderer/features/metrics/api';

describe('kubectl top figures', () => {
  // Golden: what `kubectl top nodes` printed for the same NodeMetrics on a kubesim cluster.
  const golden: [string, string, string, string, string][] = [
    ['120899624n', '527384Ki', '121m', '515Mi', '3%'],
    ['38500001n', '268800Ki', '39m', '262Mi', '0%'],
    ['100m', '1Gi', '100m', '1024Mi', '2%'],
    ['0', '0', '0m', '0Mi', '0%'],
  ];
  it.each(golden)('cpu %s memory %s', (cpu, mem, wantCpu, wantMem, wantPct) => {
    const s = sampleOf('2026-11-23T19:36:25Z', { cpu, memory: mem });
    expect(topCpu(s.cpu)).toBe(wantCpu);
    expect(topMemory(s.memory)).toBe(wantMem);
    expect(topPercent(s.cpu, milliCores('4'))).toBe(wantPct);
  });
  it('rounds CPU up as Quantity.MilliValue, without float noise', () => {
    expect(milliCores('1n')).toBe(0.000001);
    expect(topCpu(milliCores('1n'))).toBe('1m');
    expect(topCpu(milliCores('0.1'))).toBe('100m');
    expect(topCpu(NaN)).toBe('<unknown>');
    expect(topPercent(515 * 2 ** 20, 7840 * 2 ** 20)).toBe('6%');
  });
  it('labels axes in millicores and MiB', () => {
    expect(formatValue('cpu', 250)).toBe('250m');
    expect(formatValue('cpu', 2.54)).toBe('2.5m');
    expect(formatValue('memory', 512 * 2 ** 20)).toBe('512Mi');
    expect(formatValue('memory', 1.5 * 2 ** 20)).toBe('1.5Mi');
    expect(clock(new Date(2026, 10, 23, 9, 5, 7).getTime(), true)).toBe('09:05:07');
    expect(clock(new Date(2026, 10, 23, 9, 5, 7).getTime(), false)).toBe('09:05');
  });
});

describe('metrics API', () => {
  it('builds the paths metrics-server serves', () => {
    expect(nodeMetricsPath('v1beta1')).toBe('/apis/metrics.k8s.io/v1beta1/nodes');
    expect(podMetricsPath('v1beta1', '')).toBe('/apis/metrics.k8s.io/v1beta1/pods');
    expect(podMetricsPath('v1beta1', 'shop', 'web-1')).toBe('/apis/metrics.k8s.io/v1beta1/namespaces/shop/pods/web-1');
  });
  it('sums a pod over its containers', () => {
    const { pod, containers } = podSamples({
      metadata: { name: 'p', namespace: 'd' },
      timestamp: '2026-11-23T19:36:25Z',
      containers: [
        { name: 'a', usage: { cpu: '12000000n', memory: '13Mi' } },
        { name: 'b', usage: { cpu: '3m', memory: '1Mi' } },
      ],
    });
    expect(pod).toEqual({ t: Date.parse('2026-11-23T19:36:25Z'), cpu: 15, memory: 14 * 2 ** 20 });
    expect(containers.get('b')?.cpu).toBe(3);
  });
});
