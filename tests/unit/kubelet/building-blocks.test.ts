import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src-main/client';
import { KeyedBackoff } from '../../../src-main/kubelet/backoff';
import { formatPod, goDuration, rfc3339Nano, rfc3339NanoFixed } from '../../../src-main/kubelet/format';
import { PodIpAllocator } from '../../../src-main/kubelet/ip-allocator';
import { pullPolicyOf } from '../../../src-main/kubelet/image-manager';
import { expand, serviceEnv } from '../../../src-main/kubelet/env';
import { parseCriLine } from '../../../src-main/kubelet/log-reader';

describe('kubelet building blocks', () => {
  it('Go durations as the Pulled event and back-off messages print them', () => {
    expect([0, 120, 999, 1000, 1200, 1234, 10_000, 80_000, 300_000, 62_500, 3_600_000].map(goDuration)).toEqual(['0s', '120ms', '999ms', '1s', '1.2s', '1.234s', '10s', '1m20s', '5m0s', '1m2.5s', '1h0m0s']);
  });

  it('log timestamps: RFC3339Nano trims zeros, the fixed form keeps nine digits', () => {
    const t = Date.parse('2026-03-01T10:00:01.500Z');
    expect(rfc3339Nano(t)).toBe('2026-03-01T10:00:01.5Z');
    expect(rfc3339Nano(Date.parse('2026-03-01T10:00:01Z'))).toBe('2026-03-01T10:00:01Z');
    expect(rfc3339NanoFixed(t)).toBe('2026-03-01T10:00:01.500000000Z');
    expect(parseCriLine('2026-03-01T10:00:01.5Z stderr P part')).toEqual({ ms: t, stream: 'stderr', partial: true, text: 'part' });
    expect(parseCriLine('garbage')).toBeUndefined();
    expect(formatPod({ metadata: { name: 'p', namespace: 'ns', uid: 'u' } })).toBe('p_ns(u)');
  });

  it('back-off: 10s doubling to 5m, in back-off since an event, expired after 10 minutes', () => {
    const clock = new FakeClock(0);
    const b = new KeyedBackoff(clock);
    expect(b.isInBackOffSince('k', 0)).toBe(false);
    expect([1, 2, 3, 4, 5, 6, 7].map(() => b.next('k', clock.now()))).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
    expect(b.isInBackOffSince('k', 0)).toBe(true);
    clock.advance(300_000);
    expect(b.isInBackOffSince('k', 0)).toBe(false);
    expect(b.next('k', 600_001)).toBe(10_000);
  });

  it('pod IPs: next free after the last one, wrapping, released ones reused later', () => {
    const ips = new PodIpAllocator('10.244.2.0/24');
    expect([ips.allocate('a'), ips.allocate('b'), ips.allocate('a')]).toEqual(['10.244.2.2', '10.244.2.3', '10.244.2.2']);
    ips.release('a');
    expect(ips.allocate('c')).toBe('10.244.2.4');
    const got = Array.from({ length: 251 }, (_, i) => ips.allocate(`x${i}`));
    expect(got.at(-1)).toBe('10.244.2.2');
    expect(ips.allocate('full')).toBeUndefined();
    expect(ips.reserve('10.244.3.7', 'y')).toBe(false);
  });

  it('pull policy defaults as upstream', () => {
    expect(['nginx', 'nginx:latest', 'nginx:1.27', 'nginx@sha256:abc', 'localhost:5000/app'].map((i) => pullPolicyOf(i, undefined))).toEqual(['Always', 'Always', 'IfNotPresent', 'IfNotPresent', 'Always']);
    expect(pullPolicyOf('nginx', 'Never')).toBe('Never');
  });

  it('$(VAR) expansion and service variables', () => {
    const env = new Map([['A', 'x']]);
    expect(expand('$(A)-$$(A)-$(B)-$A-$(', (n) => env.get(n))).toBe('x-$(A)-$(B)-$A-$(');
    const vars = serviceEnv([{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'my-svc' }, spec: { clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } }]);
    expect(vars.map((v) => `${v.name}=${v.value}`)).toEqual([
      'MY_SVC_SERVICE_HOST=10.96.0.20',
      'MY_SVC_SERVICE_PORT=80',
      'MY_SVC_SERVICE_PORT_HTTP=80',
      'MY_SVC_PORT=tcp://10.96.0.20:80',
      'MY_SVC_PORT_80_TCP=tcp://10.96.0.20:80',
      'MY_SVC_PORT_80_TCP_PROTO=tcp',
      'MY_SVC_PORT_80_TCP_PORT=80',
      'MY_SVC_PORT_80_TCP_ADDR=10.96.0.20',
    ]);
  });
});
