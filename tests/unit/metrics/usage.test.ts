import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src-main/client/clock';
import { NodeUsageMeter, SYSTEM_USAGE, idleProfile, imageFamily, wobble, type UsagePod } from '../../../src-main/kubelet/usage';
import type { ContainerProcess } from '../../../src-main/runtime/types';

const T0 = Date.UTC(2024, 0, 1);
const MI = 1024 * 1024;

function proc(u: { cpuMillicores: number; memoryBytes: number; cpuCoreNanoseconds?: number }): ContainerProcess & { u: typeof u } {
  const p = { id: 'x', exited: new Promise<never>(() => {}), signal() {}, u, usage: () => p.u };
  return p as unknown as ContainerProcess & { u: typeof u };
}

function podOf(name: string, containers: { name: string; image: string; id: string; startedAt: number; process?: ContainerProcess; running?: boolean }[]): UsagePod {
  return {
    uid: `uid-${name}`,
    pod: { metadata: { name, namespace: 'default' } },
    records: containers.map((c) => ({ name: c.name, running: c.running ?? true, image: { ref: c.image }, current: { id: c.id, startedAt: c.startedAt, process: c.process } })),
  };
}

describe('kubelet usage', () => {
  it('names image families from references', () => {
    expect(imageFamily('docker.io/library/nginx:1.25')).toBe('nginx');
    expect(imageFamily('docker.io/luksa/kubia:1.0')).toBe('kubia');
    expect(imageFamily('registry.k8s.io/coredns/coredns:v1.11.1')).toBe('coredns');
    expect(imageFamily('docker.io/library/redis@sha256:abc')).toBe('redis');
    expect(idleProfile('docker.io/library/redis:7').idleMillicores).toBeGreaterThan(idleProfile('docker.io/library/nginx:1.25').idleMillicores);
    expect(idleProfile('docker.io/library/busybox:1.36').idleMillicores).toBe(0);
    expect(idleProfile('quay.io/someone/unknown:1').memoryFloorBytes).toBeGreaterThan(0);
  });

  it('wobbles readings within ±25 %, the same for the same container and time bucket', () => {
    for (let i = 0; i < 200; i++) {
      const w = wobble(i * 7919, T0 + i * 15_000);
      expect(w).toBeGreaterThanOrEqual(0.75);
      expect(w).toBeLessThan(1.25);
    }
    expect(wobble(42, T0)).toBe(wobble(42, T0 + 14_999));
  });

  it('integrates idle baselines and runtime CPU into cumulative counters; memory from the runtime over the image floor', () => {
    const clock = new FakeClock(T0);
    const meter = new NodeUsageMeter('kubesim-worker', false, clock);
    const nginx = proc({ cpuMillicores: 0, memoryBytes: 8_700_000 });
    const busy = proc({ cpuMillicores: 1000, memoryBytes: 350_000 });
    const sleeper = proc({ cpuMillicores: 0, memoryBytes: 350_000 });
    const pods = [
      podOf('web', [{ name: 'nginx', image: 'docker.io/library/nginx:1.25', id: 'a', startedAt: T0 - 60_000, process: nginx }]),
      podOf('loop', [{ name: 'sh', image: 'docker.io/library/busybox:1.36', id: 'b', startedAt: T0, process: busy }]),
      podOf('sleep', [
        { name: 'sleep', image: 'docker.io/library/busybox:1.36', id: 'c', startedAt: T0, process: sleeper },
        { name: 'done', image: 'docker.io/library/busybox:1.36', id: 'd', startedAt: T0, running: false },
      ]),
      podOf('pending', [{ name: 'app', image: 'docker.io/library/nginx:1.25', id: 'e', startedAt: T0, running: false }]),
    ];
    const first = meter.sample(pods);
    expect(first.pods.map((p) => p.name)).toEqual(['web', 'loop', 'sleep']);
    expect(first.pods[2].containers.map((c) => c.name)).toEqual(['sleep']);
    // nginx: 25 ms start-up + ~0.2 m for the 60 s it has been running
    const n1 = first.pods[0].containers[0];
    expect(n1.cpuCoreNanoseconds).toBeGreaterThan(25e6 + 0.75 * 0.2 * 60_000 * 1000 - 1);
    expect(n1.cpuCoreNanoseconds).toBeLessThan(25e6 + 1.25 * 0.2 * 60_000 * 1000 + 1);
    expect(n1.memoryBytes % 4096).toBe(0);
    expect(n1.memoryBytes).toBeGreaterThanOrEqual(8_700_000);
    expect(n1.startedAt).toBe(T0 - 60_000);

    clock.advance(15_000);
    const second = meter.sample(pods);
    const loop0 = first.pods[1].containers[0].cpuCoreNanoseconds;
    const loop1 = second.pods[1].containers[0].cpuCoreNanoseconds;
    // a busy loop: one core for 15 s
    expect(loop1 - loop0).toBe(15_000 * 1000 * 1000);
    // a sleeping shell uses no CPU at all after its start-up
    expect(second.pods[2].containers[0].cpuCoreNanoseconds).toBe(first.pods[2].containers[0].cpuCoreNanoseconds);
    // busybox memory stays what the runtime says (no floor)
    expect(second.pods[2].containers[0].memoryBytes).toBe(Math.ceil(350_000 / 4096) * 4096);

    // the node: its system share plus every container's CPU, monotonic
    const nodeDelta = second.cpuCoreNanoseconds - first.cpuCoreNanoseconds;
    const containersDelta = second.pods.flatMap((p) => p.containers).reduce((s, c) => s + c.cpuCoreNanoseconds, 0) - first.pods.flatMap((p) => p.containers).reduce((s, c) => s + c.cpuCoreNanoseconds, 0);
    const systemDelta = nodeDelta - containersDelta;
    expect(systemDelta).toBeGreaterThan(0.74 * SYSTEM_USAGE.worker.millicores * 15_000 * 1000);
    expect(systemDelta).toBeLessThan(1.26 * SYSTEM_USAGE.worker.millicores * 15_000 * 1000);
    const containersMemory = second.pods.flatMap((p) => p.containers).reduce((s, c) => s + c.memoryBytes, 0);
    expect(second.memoryBytes - containersMemory).toBeGreaterThanOrEqual(0.99 * SYSTEM_USAGE.worker.memoryBytes);
    expect(second.memoryBytes - containersMemory).toBeLessThanOrEqual(1.01 * SYSTEM_USAGE.worker.memoryBytes + 4096);
    expect(second.memoryBytes % 4096).toBe(0);
    expect(second.timestamp).toBe(T0 + 15_000);
    expect(second.startTime).toBe(T0);
  });

  it('uses the runtime\'s own cumulative counter when it has one, and starts over for a new container', () => {
    const clock = new FakeClock(T0);
    const meter = new NodeUsageMeter('kubesim-control-plane', true, clock);
    const p1 = proc({ cpuMillicores: 5, memoryBytes: 3_500_000, cpuCoreNanoseconds: 0 });
    const pod = podOf('redis-0', [{ name: 'redis', image: 'docker.io/library/redis:7', id: 'r1', startedAt: T0, process: p1 }]);
    const a = meter.sample([pod]).pods[0].containers[0];
    clock.advance(15_000);
    p1.u.cpuCoreNanoseconds = 75_000_000; // 5 m for 15 s
    const b = meter.sample([pod]).pods[0].containers[0];
    const idle = b.cpuCoreNanoseconds - a.cpuCoreNanoseconds - 75_000_000;
    expect(idle).toBeGreaterThan(0.74 * 1.5 * 15_000 * 1000);
    expect(idle).toBeLessThan(1.26 * 1.5 * 15_000 * 1000);
    // the container restarted: a new process, counters from zero (start-up CPU only)
    const p2 = proc({ cpuMillicores: 0, memoryBytes: 3_500_000 });
    const restarted = podOf('redis-0', [{ name: 'redis', image: 'docker.io/library/redis:7', id: 'r2', startedAt: clock.now(), process: p2 }]);
    const c = meter.sample([restarted]);
    expect(c.pods[0].containers[0].cpuCoreNanoseconds).toBe(15e6);
    expect(c.pods[0].containers[0].startedAt).toBe(T0 + 15_000);
  });
});
