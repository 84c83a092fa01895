/**
 * The node's status loop: a node the node lifecycle controller marked Ready=Unknown while it was
 * silent reports Ready again on its next heartbeat, and a healthy node still posts a full status
 * every 5 minutes (nodeStatusReportFrequency), not every 10 s.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { R } from '../../../src-main/client';
import { Node, NODE_NAME } from './harness';
import { NODE_STATUS_REPORT_MS, RENEW_INTERVAL_MS } from '../../../src-main/kubelet/node-heartbeat';

type Condition = { type: string; status: string; reason?: string; lastHeartbeatTime?: string; lastTransitionTime?: string };

let node: Node | undefined;
afterEach(async () => {
  await node?.stop();
  node = undefined;
});

async function ready(n: Node): Promise<Condition> {
  const o = await n.admin.get(R.nodes, undefined, NODE_NAME);
  return ((o.status as { conditions: Condition[] }).conditions ?? []).find((c) => c.type === 'Ready')!;
}

async function tick(n: Node, ms: number): Promise<void> {
  n.clock.advance(ms);
  await n.settle();
}

describe('node heartbeat status loop', () => {
  it('posts Ready again after the node controller set it Unknown', async () => {
    node = await new Node().start();
    expect((await ready(node)).status).toBe('True');
    const o = await node.admin.get(R.nodes, undefined, NODE_NAME);
    const conditions = (o.status as { conditions: Condition[] }).conditions.map((c) =>
      c.type === 'Ready' ? { ...c, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' } : c,
    );
    await node.admin.patchStatus(R.nodes, undefined, NODE_NAME, { status: { conditions } });
    expect((await ready(node)).status).toBe('Unknown');
    await tick(node, RENEW_INTERVAL_MS);
    const back = await ready(node);
    expect(back.status).toBe('True');
    expect(back.reason).toBe('KubeletReady');
    expect(Date.parse(back.lastTransitionTime!)).toBeGreaterThanOrEqual(node.clock.now() - 1000);
  });

  it('re-posts a healthy status only every 5 minutes', async () => {
    node = await new Node().start();
    const first = (await ready(node)).lastHeartbeatTime;
    await tick(node, RENEW_INTERVAL_MS);
    await tick(node, RENEW_INTERVAL_MS);
    expect((await ready(node)).lastHeartbeatTime).toBe(first);
    for (let t = 0; t < NODE_STATUS_REPORT_MS; t += RENEW_INTERVAL_MS) await tick(node, RENEW_INTERVAL_MS);
    expect(Date.parse((await ready(node)).lastHeartbeatTime!)).toBeGreaterThan(Date.parse(first!));
  });
});
