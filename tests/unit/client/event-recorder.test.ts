import { afterEach, describe, expect, it } from 'vitest';
import { TestServer } from '../apiserver/fixture';
import { EventRecorder, FakeClock, KubeClient, R } from '../../../src-main/client';
import { recordNodeStartEvents } from '../../../src-main/kubelet/node-events';
import type { KubeObject } from '../../../src-main/api/types';

let t: TestServer;
afterEach(() => t.close());

describe('EventRecorder', () => {
  it('writes core/v1 Events named <object>.<time-ordered hex> that describe can find by involvedObject', async () => {
    t = await new TestServer().withNamespaces('default');
    const client = new KubeClient(t.server.handler, { name: 'test', groups: [] });
    const cm: KubeObject = await client.create<KubeObject>(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
    const rec = new EventRecorder(client, { component: 'demo-controller', host: 'n1' });
    await rec.record({ regarding: cm, type: 'Normal', reason: 'First', message: 'one' });
    await rec.record({ regarding: cm, type: 'Warning', reason: 'Second', message: 'two' });
    const list = await client.list(R.events, 'default', { fieldSelector: `involvedObject.name=c,involvedObject.uid=${String(cm.metadata.uid)}` });
    expect(list.items.map((e) => e.reason)).toEqual(['First', 'Second']);
    const [first, second] = list.items;
    expect(first.metadata.name).toMatch(/^c\.[0-9a-f]{16}$/);
    expect(first.metadata.name! < second.metadata.name!).toBe(true);
    expect(first).toMatchObject({ involvedObject: { kind: 'ConfigMap', name: 'c', namespace: 'default', apiVersion: 'v1' }, source: { component: 'demo-controller', host: 'n1' }, count: 1, type: 'Normal' });
  });

  it('gives a new node the kubelet and node-controller start events, a restarted one only Starting', async () => {
    t = await new TestServer().withNamespaces('default');
    const client = new KubeClient(t.server.handler, { name: 'kubelet', groups: [] });
    await client.create(R.nodes, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
    await recordNodeStartEvents(client, 'n1', true);
    // A restarted kubelet is a new process: a new client, so no memory of the first Starting.
    await recordNodeStartEvents(new KubeClient(t.server.handler, { name: 'kubelet', groups: [] }), 'n1', false);
    const events = (await client.list(R.events, 'default', { fieldSelector: 'involvedObject.kind=Node,involvedObject.name=n1' })).items;
    expect(events.map((e) => e.reason)).toEqual(['Starting', 'NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID', 'NodeAllocatableEnforced', 'NodeReady', 'RegisteredNode', 'Starting']);
    expect(events[5].message).toBe('Node n1 status is now: NodeReady');
    expect((events[0].involvedObject as { uid: string }).uid).toBe('n1');
    expect((events[6].source as { component: string }).component).toBe('node-controller');
  });
});

describe('EventRecorder correlation (client-go EventCorrelator)', () => {
  async function setup() {
    t = await new TestServer().withNamespaces('default');
    const client = new KubeClient(t.server.handler, { name: 'test', groups: [] });
    const clock = new FakeClock(Date.parse('2026-01-01T00:00:00Z'));
    const pod: KubeObject = await client.create<KubeObject>(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'p' } });
    const rec = new EventRecorder(client, { component: 'kubelet', host: 'n1' }, clock);
    const events = async () => (await client.list(R.events, 'default')).items;
    return { client, clock, pod, rec, events };
  }

  it('patches count and lastTimestamp of an identical event instead of creating another', async () => {
    const { clock, pod, rec, events } = await setup();
    await rec.record({ regarding: pod, type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container' });
    clock.advance(60_000);
    await rec.record({ regarding: pod, type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container' });
    clock.advance(60_000);
    const last = await rec.record({ regarding: pod, type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container' });
    const list = await events();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ count: 3, firstTimestamp: '2026-01-01T00:00:00Z', lastTimestamp: '2026-01-01T00:02:00Z', reason: 'BackOff' });
    expect(last.metadata.name).toBe(list[0].metadata.name);
    // A different message is a different event.
    await rec.record({ regarding: pod, type: 'Warning', reason: 'BackOff', message: 'other' });
    expect(await events()).toHaveLength(2);
  });

  it('serializes concurrent repeats onto one Event', async () => {
    const { pod, rec, events } = await setup();
    await Promise.all([1, 2, 3].map(() => rec.record({ regarding: pod, type: 'Normal', reason: 'Pulled', message: 'same' })));
    const list = await events();
    expect(list.map((e) => e.count)).toEqual([3]);
  });

  it('shares the cache between recorders on one client, and recreates an Event that was deleted', async () => {
    const { client, clock, pod, rec, events } = await setup();
    const first = await rec.record({ regarding: pod, type: 'Normal', reason: 'Killing', message: 'Stopping container c' });
    const other = new EventRecorder(client, { component: 'kubelet', host: 'n1' }, clock);
    await other.record({ regarding: pod, type: 'Normal', reason: 'Killing', message: 'Stopping container c' });
    expect((await events()).map((e) => e.count)).toEqual([2]);
    await client.delete(R.events, 'default', first.metadata.name!);
    await rec.record({ regarding: pod, type: 'Normal', reason: 'Killing', message: 'Stopping container c' });
    const list = await events();
    expect(list.map((e) => e.count)).toEqual([1]);
    expect(list[0].metadata.name).not.toBe(first.metadata.name);
  });

  it('combines more than 10 similar events with different messages within 10 minutes', async () => {
    const { clock, pod, rec, events } = await setup();
    for (let i = 1; i <= 12; i++) {
      await rec.record({ regarding: pod, type: 'Warning', reason: 'FailedMount', message: `volume v${i} not found` });
      clock.advance(1000);
    }
    const list = await events();
    expect(list).toHaveLength(10);
    const combined = list.filter((e) => String(e.message).startsWith('(combined from similar events): '));
    expect(combined).toHaveLength(1);
    expect(combined[0]).toMatchObject({ count: 3, message: '(combined from similar events): volume v12 not found' });
    expect(list.filter((e) => e.count === 1).map((e) => e.message)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => `volume v${i} not found`));

    // After the window, similar events start over.
    clock.advance(11 * 60_000);
    await rec.record({ regarding: pod, type: 'Warning', reason: 'FailedMount', message: 'volume v13 not found' });
    expect((await events()).filter((e) => e.message === 'volume v13 not found')).toHaveLength(1);
  });

  it('drops events over the per-object spam budget (burst 25, one more every 5 minutes)', async () => {
    const { clock, pod, rec, events } = await setup();
    for (let i = 0; i < 30; i++) await rec.record({ regarding: pod, type: 'Normal', reason: `R${i}`, message: 'm' });
    expect(await events()).toHaveLength(25);
    clock.advance(5 * 60_000);
    await rec.record({ regarding: pod, type: 'Normal', reason: 'Late1', message: 'm' });
    await rec.record({ regarding: pod, type: 'Normal', reason: 'Late2', message: 'm' });
    const reasons = (await events()).map((e) => e.reason);
    expect(reasons).toHaveLength(26);
    expect(reasons).toContain('Late1');
    expect(reasons).not.toContain('Late2');
    // A dropped repeat still counts, as upstream's correlator observes before it filters.
    await rec.record({ regarding: pod, type: 'Normal', reason: 'R0', message: 'm' });
    clock.advance(5 * 60_000);
    await rec.record({ regarding: pod, type: 'Normal', reason: 'R0', message: 'm' });
    expect((await events()).find((e) => e.reason === 'R0')?.count).toBe(3);
  });
});
