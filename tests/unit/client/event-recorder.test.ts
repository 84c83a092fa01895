import { afterEach, describe, expect, it } from 'vitest';
import { TestServer } from '../apiserver/fixture';
import { EventRecorder, KubeClient, R } from '../../../src-main/client';
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
    await recordNodeStartEvents(client, 'n1', false);
    const events = (await client.list(R.events, 'default', { fieldSelector: 'involvedObject.kind=Node,involvedObject.name=n1' })).items;
    expect(events.map((e) => e.reason)).toEqual(['Starting', 'NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID', 'NodeAllocatableEnforced', 'NodeReady', 'RegisteredNode', 'Starting']);
    expect(events[5].message).toBe('Node n1 status is now: NodeReady');
    expect((events[0].involvedObject as { uid: string }).uid).toBe('n1');
    expect((events[6].source as { component: string }).component).toBe('node-controller');
  });
});
