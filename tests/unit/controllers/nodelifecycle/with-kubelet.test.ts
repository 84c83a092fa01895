/**
 * Node lifecycle against a real simulated kubelet (its Lease heartbeats on the FakeClock): while
 * it runs the node stays Ready; once it stops, the node goes Unknown after the grace period, is
 * tainted unreachable, and its pod is deleted 300 s later (DefaultTolerationSeconds).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EventRecorder, KubeClient, R, SharedInformerFactory } from '../../../../src-main/client';
import type { ControllerContext, RunningController } from '../../../../src-main/controllers/controller';
import { nodeLifecycleController } from '../../../../src-main/controllers/nodelifecycle/node-health';
import { taintEvictionController } from '../../../../src-main/controllers/nodelifecycle/taint-eviction';
import { NODE_NAME, Node } from '../../kubelet/harness';

let node: Node;
let running: RunningController[] = [];
let factory: SharedInformerFactory;
afterEach(async () => {
  await Promise.all(running.map((r) => r.stop()));
  await factory.stop();
  await node.stop().catch(() => undefined);
});

describe('node lifecycle with a simulated kubelet', () => {
  it('keeps a heartbeating node Ready; a stopped kubelet makes it Unknown, unreachable, and its pod evicted after 300 s', async () => {
    node = await new Node().start();
    const client = new KubeClient(node.server.handler, { name: 'system:kube-controller-manager', groups: ['system:authenticated'] });
    factory = new SharedInformerFactory(client, { clock: node.clock });
    const ctx: ControllerContext = { client, informers: factory, clock: node.clock, events: (c) => new EventRecorder(client, { component: c }, node.clock), log: () => undefined };
    running = [nodeLifecycleController.start(ctx), taintEvictionController.start(ctx)];
    factory.start();
    await factory.waitForCacheSync();
    for (const r of running) r.run();

    await node.createPod('web', [{ name: 'c', image: 'nginx:1.25' }]);
    await node.advance(5_000);
    const ready = async () => ((await node.admin.get(R.nodes, undefined, NODE_NAME)).status as { conditions: { type: string; status: string }[] }).conditions.find((c) => c.type === 'Ready')!.status;
    await node.advance(120_000, 5_000);
    expect(await ready()).toBe('True');
    expect((await node.status('web')).phase).toBe('Running');

    await node.kubelet.stop();
    await node.advance(45_000, 5_000);
    expect(await ready()).toBe('Unknown');
    const taints = ((await node.admin.get(R.nodes, undefined, NODE_NAME)).spec as { taints?: { key: string; effect: string }[] }).taints ?? [];
    expect(taints.map((t) => `${t.key}:${t.effect}`)).toEqual(['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
    expect((await node.pod('web')).metadata.deletionTimestamp).toBeUndefined();
    await node.advance(305_000, 5_000);
    expect((await node.pod('web')).metadata.deletionTimestamp).toBeTruthy();
    expect(await node.events('web')).toContain('TaintManagerEviction: Marking for deletion Pod default/web');
    expect(await node.events('web')).toContain('NodeNotReady: Node is not ready');
  });
});
