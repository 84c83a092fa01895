/**
 * The whole chain on a FakeClock: a kubelet running real images (the real runtime) → its usage()
 * → the metrics-server's scrapes → metrics.k8s.io served by the API handler.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Node, T0 } from '../kubelet/harness';
import { createContainerRuntime } from '../../../src-main/runtime';
import { MetricsServer } from '../../../src-main/metrics/server';

let node: Node | undefined;
let ms: MetricsServer | undefined;

afterEach(async () => {
  ms?.stop();
  await node?.stop();
  node = ms = undefined;
});

async function get(path: string): Promise<{ status: number; body: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const r = await node!.server.handler({ method: 'GET', path, query: new URLSearchParams(), headers: {}, user: { name: 'admin', groups: ['system:masters'] } });
  if (r.type !== 'object') throw new Error(r.type);
  return { status: r.status, body: r.body };
}

describe('kubelet → metrics-server → metrics.k8s.io', () => {
  it('serves running containers after two scrapes, with the images\' idle usage', async () => {
    node = await new Node(true, { runtime: createContainerRuntime() }).start();
    await node.createPod('web', [{ name: 'nginx', image: 'nginx:1.25' }]);
    await node.createPod('sleeper', [{ name: 'sleep', image: 'busybox:1.36', command: ['sleep', '3600'] }]);
    await node.advance(2_000);
    expect((await node.status('web')).phase).toBe('Running');
    ms = new MetricsServer({ nodes: node.connections, clock: node.clock });
    node.server.ctx.metrics = ms;
    ms.start();
    // one scrape 2 s after the start: nothing to serve yet
    expect((await get('/apis/metrics.k8s.io/v1beta1/namespaces/default/pods')).body.items).toEqual([]);
    expect((await get('/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/web')).body.message).toBe('podmetrics.metrics.k8s.io "default/web" not found');
    await node.advance(15_000);
    const list = (await get('/apis/metrics.k8s.io/v1beta1/namespaces/default/pods')).body;
    expect(list.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['sleeper', 'web']);
    const [sleeper, web] = list.items;
    expect(web.window).toBe('15s');
    expect(web.timestamp).toBe(new Date(Math.floor((T0 + 17_000) / 1000) * 1000).toISOString().replace('.000Z', 'Z'));
    expect(web.containers).toHaveLength(1);
    expect(web.containers[0].name).toBe('nginx');
    // nginx idles at ~0.2 m (±25 %): 150000n–250000n
    const cpu = Number(/^(\d+)n$/.exec(web.containers[0].usage.cpu)![1]);
    expect(cpu).toBeGreaterThanOrEqual(150_000);
    expect(cpu).toBeLessThanOrEqual(250_000);
    expect(web.containers[0].usage.memory).toMatch(/^\d+Ki$/);
    // busybox sleep: no CPU over the window at all
    expect(sleeper.containers[0].usage.cpu).toBe('0');
    const nodeMetrics = (await get('/apis/metrics.k8s.io/v1beta1/nodes/kubesim-worker')).body;
    expect(nodeMetrics).toMatchObject({ kind: 'NodeMetrics', metadata: { name: 'kubesim-worker' }, window: '15s' });
    const nodeCpu = Number(/^(\d+)n$/.exec(nodeMetrics.usage.cpu)![1]);
    expect(nodeCpu).toBeGreaterThan(0.74 * 30e6);
    expect(nodeCpu).toBeLessThan(1.26 * 30e6 + 1e6);
  });
});
