/**
 * EventInput.time: an event written later than it happened (the scheduler's Scheduled, written
 * after the binding returns, by when the kubelet may already have recorded Pulling) keeps the time
 * it happened in its name and timestamps, so `kubectl describe` (which lists by lastTimestamp, then
 * by name) shows it first.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TestServer } from '../apiserver/fixture';
import { EventRecorder, FakeClock, KubeClient, R } from '../../../src-main/client';
import type { KubeObject } from '../../../src-main/api/types';

let t: TestServer;
afterEach(() => t.close());

describe('EventRecorder with an explicit time', () => {
  it('names and stamps the event from its time, before events recorded meanwhile in the same millisecond', async () => {
    t = await new TestServer().withNamespaces('default');
    const client = new KubeClient(t.server.handler, { name: 'test', groups: [] });
    const clock = new FakeClock(Date.parse('2026-03-01T10:00:00.500Z'));
    const pod: KubeObject = await client.create<KubeObject>(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'p' } });
    const scheduler = new EventRecorder(new KubeClient(t.server.handler, { name: 'scheduler', groups: [] }), { component: 'default-scheduler' }, clock);
    const kubelet = new EventRecorder(client, { component: 'kubelet', host: 'n1' }, clock);
    const assignedAt = clock.now();
    // The kubelet reacts to the binding before the scheduler writes its event, in the same millisecond.
    await kubelet.record({ regarding: pod, type: 'Normal', reason: 'Pulling', message: 'Pulling image "x"' });
    clock.advance(1500);
    await kubelet.record({ regarding: pod, type: 'Normal', reason: 'Pulled', message: 'done' });
    const scheduled = await scheduler.record({ regarding: pod, type: 'Normal', reason: 'Scheduled', message: 'Successfully assigned default/p to n1', time: assignedAt });
    expect(scheduled.firstTimestamp).toBe('2026-03-01T10:00:00Z');
    expect(scheduled.lastTimestamp).toBe('2026-03-01T10:00:00Z');
    expect(scheduled.metadata.name).toBe(`p.${(BigInt(assignedAt) * 1_000_000n).toString(16)}`);
    const list = await client.list(R.events, 'default');
    expect(list.items.map((e) => e.reason)).toEqual(['Scheduled', 'Pulling', 'Pulled']);
    expect(list.items[2].lastTimestamp).toBe('2026-03-01T10:00:02Z');
  });

  it('keeps names unique when two events of one object carry the same time', async () => {
    t = await new TestServer().withNamespaces('default');
    const client = new KubeClient(t.server.handler, { name: 'test', groups: [] });
    const clock = new FakeClock(Date.parse('2026-03-01T11:00:00Z'));
    const obj: KubeObject = await client.create<KubeObject>(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'q' } });
    const rec = new EventRecorder(client, { component: 'c' }, clock);
    const time = clock.now();
    const a = await rec.record({ regarding: obj, type: 'Normal', reason: 'A', message: 'a', time });
    const b = await rec.record({ regarding: obj, type: 'Normal', reason: 'B', message: 'b', time });
    expect(a.metadata.name).not.toBe(b.metadata.name);
    expect(a.metadata.name! < b.metadata.name!).toBe(true);
  });
});
