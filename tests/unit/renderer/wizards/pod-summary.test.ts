import { describe, expect, it } from 'vitest';
import { podSummary } from '../../../../src-renderer/features/wizards/pod-summary';
import type { Pod } from '../../../../src-renderer/api/types';

const pod = (status: Record<string, unknown>, extra: Partial<Pod['metadata']> = {}): Pod => ({
  metadata: { name: 'web-1', creationTimestamp: '2026-01-01T00:00:00Z', ...extra },
  spec: { nodeName: 'kubesim-worker', containers: [{ name: 'a' }, { name: 'b' }] },
  status: status as Pod['status'],
});

describe('podSummary', () => {
  it('shows the waiting reason before the phase, as kubectl does', () => {
    const s = podSummary(pod({ phase: 'Pending', containerStatuses: [{ ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }, { ready: false, restartCount: 0 }] }));
    expect(s).toMatchObject({ ready: 0, total: 2, status: 'ContainerCreating', tone: 'warn', restarts: 0, node: 'kubesim-worker' });
  });
  it('Running and ready, restarts summed; a crash loop is bad; deletion wins', () => {
    expect(podSummary(pod({ phase: 'Running', containerStatuses: [{ ready: true, restartCount: 1 }, { ready: true, restartCount: 2 }] }))).toMatchObject({ ready: 2, status: 'Running', tone: 'ok', restarts: 3 });
    expect(podSummary(pod({ phase: 'Running', containerStatuses: [{ ready: false, restartCount: 5, state: { waiting: { reason: 'CrashLoopBackOff' } } }] })).tone).toBe('bad');
    expect(podSummary(pod({ phase: 'Running' }, { deletionTimestamp: '2026-01-01T00:01:00Z' })).status).toBe('Terminating');
    expect(podSummary(pod({})).status).toBe('Pending');
  });
});
