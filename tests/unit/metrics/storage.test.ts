import { describe, expect, it } from 'vitest';
import { MetricsStorage, usageBetween, type MetricsBatch, type MetricsPoint } from '../../../src-main/metrics/storage';

const T0 = Date.UTC(2024, 0, 1);
const S = 1000;

function point(startTime: number, timestamp: number, cpuSeconds: number, memoryBytes = 10 * 1024 * 1024): MetricsPoint {
  return { startTime, timestamp, cumulativeCpu: Math.round(cpuSeconds * 1e9), memoryBytes };
}

function batch(nodes: Record<string, MetricsPoint>, pods: Record<string, Record<string, MetricsPoint>> = {}): MetricsBatch {
  return {
    nodes: new Map(Object.entries(nodes)),
    pods: new Map(Object.entries(pods).map(([k, cs]) => [k, Object.entries(cs).map(([name, p]) => ({ name, ...p }))])),
  };
}

describe('metrics-server storage', () => {
  it('computes CPU as the cumulative difference over the window, memory from the last sample', () => {
    const u = usageBetween(point(0, T0 + 15 * S, 3, 200), point(0, T0, 1.5, 100));
    expect(u).toEqual({ usage: { cpuNanoCores: 100_000_000, memoryBytes: 200 }, timestamp: T0 + 15 * S, windowMs: 15 * S });
    expect(usageBetween(point(0, T0 + 15 * S, 1), point(0, T0, 2))).toBeUndefined(); // counter went down
    expect(usageBetween(point(0, T0 + 15 * S, 3), point(5, T0, 2))).toBeUndefined(); // start time went down
  });

  it('serves a node only after two scrapes, with the window between them', () => {
    const s = new MetricsStorage(15 * S);
    s.store(batch({ n1: point(0, T0, 10, 1024 * 1024 * 600) }));
    expect(s.nodeMetrics('n1')).toBeUndefined();
    s.store(batch({ n1: point(0, T0 + 15 * S, 11.5, 1024 * 1024 * 610) }));
    expect(s.nodeMetrics('n1')).toEqual({ timestamp: T0 + 15 * S, windowMs: 15 * S, usage: { cpuNanoCores: 100_000_000, memoryBytes: 1024 * 1024 * 610 } });
    // a repeated (not newer) sample keeps the stored previous point
    s.store(batch({ n1: point(0, T0 + 15 * S, 11.5, 1024 * 1024 * 610) }));
    expect(s.nodeMetrics('n1')?.windowMs).toBe(15 * S);
    // a node missing from a scrape is forgotten
    s.store(batch({}));
    expect(s.nodeMetrics('n1')).toBeUndefined();
  });

  it('serves a pod after two samples of every container; a new container hides the pod until it has two', () => {
    const s = new MetricsStorage(15 * S);
    const start = T0 - 60 * S;
    s.store(batch({}, { 'uid-web': { nginx: point(start, T0, 1) } }));
    expect(s.podMetrics('default', 'web', 'uid-web')).toBeUndefined();
    s.store(batch({}, { 'uid-web': { nginx: point(start, T0 + 15 * S, 1.015, 4096 * 1000) } }));
    expect(s.podMetrics('default', 'web', 'uid-web')).toEqual({
      timestamp: T0 + 15 * S,
      windowMs: 15 * S,
      containers: [{ name: 'nginx', usage: { cpuNanoCores: 1_000_000, memoryBytes: 4096 * 1000 } }],
    });
    // a sidecar that appears later: the pod waits for its second sample
    s.store(batch({}, { 'uid-web': { nginx: point(start, T0 + 30 * S, 1.03), log: point(T0 + 29 * S, T0 + 30 * S, 0.01) } }));
    expect(s.podMetrics('default', 'web', 'uid-web')).toBeUndefined();
    s.store(batch({}, { 'uid-web': { nginx: point(start, T0 + 45 * S, 1.045), log: point(T0 + 29 * S, T0 + 45 * S, 0.02) } }));
    expect(s.podMetrics('default', 'web', 'uid-web')?.containers.map((c) => c.name)).toEqual(['nginx', 'log']);
    expect(s.ready).toEqual({ nodes: 0, pods: 1 });
  });

  it('gives a fresh container (started 10 s to one resolution before) a start point with no CPU', () => {
    const s = new MetricsStorage(15 * S);
    // started 12 s before its first sample: served at once, rate = all its CPU / 12 s
    s.store(batch({}, { 'uid-new': { app: point(T0 - 12 * S, T0, 0.06) } }));
    expect(s.podMetrics('default', 'new', 'uid-new')).toEqual({ timestamp: T0, windowMs: 12 * S, containers: [{ name: 'app', usage: { cpuNanoCores: 5_000_000, memoryBytes: 10 * 1024 * 1024 } }] });
    // started 2 s before: too fresh, waits for the next scrape
    s.store(batch({}, { 'uid-newer': { app: point(T0 + 13 * S, T0 + 15 * S, 0.06) } }));
    expect(s.podMetrics('default', 'newer', 'uid-newer')).toBeUndefined();
  });

  it('drops the previous sample of a container that restarted between scrapes', () => {
    const s = new MetricsStorage(15 * S);
    const start = T0 - 100 * S;
    s.store(batch({}, { 'uid-crash': { app: point(start, T0, 5) } }));
    s.store(batch({}, { 'uid-crash': { app: point(start, T0 + 15 * S, 6) } }));
    expect(s.podMetrics('default', 'crash', 'uid-crash')).toBeDefined();
    // restarted 3 s before this scrape: new start time after the stored sample
    s.store(batch({}, { 'uid-crash': { app: point(T0 + 27 * S, T0 + 30 * S, 0.1) } }));
    expect(s.podMetrics('default', 'crash', 'uid-crash')).toBeUndefined();
    s.store(batch({}, { 'uid-crash': { app: point(T0 + 27 * S, T0 + 45 * S, 0.25) } }));
    expect(s.podMetrics('default', 'crash', 'uid-crash')?.containers[0].usage.cpuNanoCores).toBe(10_000_000);
  });
});
