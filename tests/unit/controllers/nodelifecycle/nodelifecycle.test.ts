/**
 * Node lifecycle and taint eviction, golden style on the cluster clock (FakeClock): nodes, leases
 * and pods in; node conditions, taints, pod conditions, deletions and events out.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { R } from '../../../../src-main/client';
import type { KubeObject } from '../../../../src-main/api/types';
import { nodeLifecycleController } from '../../../../src-main/controllers/nodelifecycle/node-health';
import { taintEvictionController } from '../../../../src-main/controllers/nodelifecycle/taint-eviction';
import { Harness, START } from '../garbagecollector/harness';
import { runningPod } from '../endpoints/pods';

let h: Harness;
afterEach(async () => h.stop());

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const micro = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

function conditions(now: number, ready: 'True' | 'False') {
  const c = (type: string, status: string, reason: string, message: string) => ({ type, status, lastHeartbeatTime: iso(now), lastTransitionTime: iso(START), reason, message });
  return [
    c('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    c('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    c('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    ready === 'True' ? c('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status') : c('Ready', 'False', 'KubeletNotReady', 'container runtime is down'),
  ];
}

/** What the kubelet does: the Node with its status, and its Lease. */
async function registerNode(name: string): Promise<void> {
  await h.admin.create(R.nodes, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name } });
  await postStatus(name, 'True');
  await h.admin.create(R.leases, 'kube-node-lease', { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name }, spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: micro(h.clock.now()) } });
}

async function postStatus(name: string, ready: 'True' | 'False'): Promise<void> {
  await h.admin.patchStatus(R.nodes, undefined, name, { status: { conditions: conditions(h.clock.now(), ready) } });
}

async function renewLease(name: string): Promise<void> {
  await h.admin.patch(R.leases, 'kube-node-lease', name, 'merge', { spec: { renewTime: micro(h.clock.now()) } });
}

const node = (name: string) => h.admin.get(R.nodes, undefined, name);
const ready = async (name: string) => ((await node(name)).status as { conditions: { type: string; status: string }[] }).conditions.find((c) => c.type === 'Ready')!;
const taints = async (name: string) => ((((await node(name)).spec ?? {}) as { taints?: { key: string; effect: string; timeAdded?: string }[] }).taints ?? []).map((t) => `${t.key}:${t.effect}${t.timeAdded ? '@' + t.timeAdded : ''}`);

describe('node lifecycle controller', () => {
  it('marks a node whose lease stops being renewed Unknown after 40 s, taints it unreachable and its pods not ready', async () => {
    h = await new Harness().start(nodeLifecycleController);
    await registerNode('kubesim-worker');
    await runningPod(h.admin, 'web', { ip: '10.244.1.2', node: 'kubesim-worker' });
    // Renewed every 10 s: stays Ready.
    for (let i = 0; i < 6; i++) {
      await h.advance(10_000, 5_000);
      await renewLease('kubesim-worker');
    }
    await h.settle();
    expect((await ready('kubesim-worker')).status).toBe('True');
    expect(await taints('kubesim-worker')).toEqual([]);
    const lastRenew = h.clock.now();

    // The kubelet stops.
    await h.advance(39_000, 3_000);
    expect((await ready('kubesim-worker')).status).toBe('True');
    await h.advance(3_000, 1_000);
    await h.until(async () => (await ready('kubesim-worker')).status === 'Unknown', 'Ready Unknown');
    const n = await node('kubesim-worker');
    const conds = (n.status as { conditions: Record<string, string>[] }).conditions;
    expect(conds.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
      ['MemoryPressure', 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.'],
      ['DiskPressure', 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.'],
      ['PIDPressure', 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.'],
      ['Ready', 'Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.'],
    ]);
    const unknownAt = Date.parse(conds[3].lastTransitionTime);
    expect(unknownAt - lastRenew).toBeGreaterThan(40_000);
    expect(unknownAt - lastRenew).toBeLessThanOrEqual(42_000);
    expect(conds[3].lastHeartbeatTime).toBe(iso(START)); // the last one the kubelet posted
    await h.until(async () => (await taints('kubesim-worker')).length === 2, 'tainted');
    expect(await taints('kubesim-worker')).toEqual(['node.kubernetes.io/unreachable:NoSchedule', `node.kubernetes.io/unreachable:NoExecute@${iso(unknownAt)}`]);

    await h.until(async () => ((await h.admin.get(R.pods, 'default', 'web')).status as { conditions: { type: string; status: string }[] }).conditions.find((c) => c.type === 'Ready')!.status === 'False', 'pod not ready');
    await h.until(async () => (await h.events()).length === 2, 'events');
    const events = await h.events();
    expect(events.map((e) => [(e.involvedObject as { kind: string }).kind, e.type, e.reason, e.message, (e.source as { component: string }).component]).sort()).toEqual([
      ['Node', 'Normal', 'NodeNotReady', 'Node kubesim-worker status is now: NodeNotReady', 'node-controller'],
      ['Pod', 'Warning', 'NodeNotReady', 'Node is not ready', 'node-controller'],
    ]);

    // The kubelet comes back: Ready again, taints gone.
    await renewLease('kubesim-worker');
    await postStatus('kubesim-worker', 'True');
    await h.until(async () => (await taints('kubesim-worker')).length === 0, 'untainted');
  });

  it('taints a node its kubelet reports NotReady with not-ready, and a cordoned node with unschedulable', async () => {
    h = await new Harness().start(nodeLifecycleController);
    await registerNode('n1');
    await postStatus('n1', 'False');
    await h.until(async () => (await taints('n1')).length === 2, 'not-ready taints');
    expect(await taints('n1')).toEqual(['node.kubernetes.io/not-ready:NoSchedule', `node.kubernetes.io/not-ready:NoExecute@${iso(START)}`]);
    await postStatus('n1', 'True');
    await h.until(async () => (await taints('n1')).length === 0, 'ready again');

    await h.admin.patch(R.nodes, undefined, 'n1', 'strategic', { spec: { unschedulable: true } });
    await h.until(async () => (await taints('n1')).join() === 'node.kubernetes.io/unschedulable:NoSchedule', 'cordoned');
    await h.admin.patch(R.nodes, undefined, 'n1', 'strategic', { spec: { unschedulable: null } });
    await h.until(async () => (await taints('n1')).length === 0, 'uncordoned');
  });

  it('does not declare nodes dead after the process itself stalled (the machine slept)', async () => {
    h = new Harness();
    let asleep = 0;
    // Wall time jumps by `asleep` while no timer ran: the delayed checks fire late.
    h.controllerClock = { now: () => h.clock.now() + asleep, setTimeout: (fn, ms) => h.clock.setTimeout(fn, ms), clearTimeout: (t) => h.clock.clearTimeout(t) };
    await h.start(nodeLifecycleController);
    await registerNode('n1');
    await h.settle();
    asleep = 120_000;
    await h.advance(41_000, 1_000);
    await h.settle();
    expect((await ready('n1')).status).toBe('True');
    // Awake again: a kubelet that then stays silent is noticed as usual.
    await h.advance(42_000, 1_000);
    await h.until(async () => (await ready('n1')).status === 'Unknown', 'Unknown after a real silence');
  });

  it('records RemovingNode when a node is deleted', async () => {
    h = await new Harness().start(nodeLifecycleController);
    await registerNode('gone');
    await h.settle();
    await h.admin.delete(R.nodes, undefined, 'gone');
    await h.until(async () => (await h.events()).some((e) => e.reason === 'RemovingNode'), 'event');
    expect((await h.events()).find((e) => e.reason === 'RemovingNode')?.message).toBe('Node gone event: Removing Node gone from Controller');
  });

  it('keeps taints it does not manage', async () => {
    h = await new Harness().start(nodeLifecycleController);
    await registerNode('cp');
    await h.admin.patch(R.nodes, undefined, 'cp', 'merge', { spec: { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }], unschedulable: true } });
    await h.until(async () => (await taints('cp')).length === 2, 'cordon taint added');
    expect(await taints('cp')).toEqual(['node-role.kubernetes.io/control-plane:NoSchedule', 'node.kubernetes.io/unschedulable:NoSchedule']);
  });
});

describe('taint eviction controller', () => {
  async function taintedNode(name: string): Promise<void> {
    await h.admin.create(R.nodes, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: iso(h.clock.now()) }] } });
  }
  const deleting = async (name: string) => !!(await h.admin.tryGet(R.pods, 'default', name))?.metadata.deletionTimestamp || !(await h.admin.tryGet(R.pods, 'default', name));

  it('deletes pods after their tolerationSeconds (300 s from DefaultTolerationSeconds), at once without toleration, never with an unlimited one', async () => {
    h = await new Harness().start(taintEvictionController);
    await taintedNode('n1');
    const defaulted: KubeObject = await runningPod(h.admin, 'defaulted', { ip: '10.244.1.2', node: 'n1' });
    expect((defaulted.spec as { tolerations: unknown[] }).tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
    await h.admin.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'forever' }, spec: { nodeName: 'n1', tolerations: [{ operator: 'Exists' }], containers: [{ name: 'c', image: 'nginx' }] } });
    await h.admin.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'short' }, spec: { nodeName: 'n1', tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }], containers: [{ name: 'c', image: 'nginx' }] } });

    await h.advance(6_000, 1_000);
    await h.until(() => deleting('short'), 'short evicted after 5 s');
    expect(await deleting('defaulted')).toBe(false);
    await h.advance(290_000, 10_000);
    expect(await deleting('defaulted')).toBe(false);
    await h.advance(5_000, 1_000);
    await h.until(() => deleting('defaulted'), 'defaulted evicted after 300 s');
    const evicted = await h.admin.get(R.pods, 'default', 'defaulted');
    expect((evicted.status as { conditions: Record<string, unknown>[] }).conditions.find((c) => c.type === 'DisruptionTarget')).toMatchObject({ status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' });
    expect(await deleting('forever')).toBe(false);
    await h.until(async () => (await h.events()).filter((e) => e.reason === 'TaintManagerEviction').length === 2, 'events');
    expect((await h.events()).map((e) => e.message).sort()).toEqual(['Marking for deletion Pod default/defaulted', 'Marking for deletion Pod default/short']);
  });

  it('cancels a scheduled deletion when the taint goes away in time', async () => {
    h = await new Harness().start(taintEvictionController);
    await taintedNode('n1');
    await runningPod(h.admin, 'p', { ip: '10.244.1.2', node: 'n1' });
    await h.advance(60_000, 10_000);
    await h.admin.patch(R.nodes, undefined, 'n1', 'merge', { spec: { taints: null } });
    await h.until(async () => (await h.events()).some((e) => e.message === 'Cancelling deletion of Pod default/p'), 'cancel event');
    await h.advance(300_000, 20_000);
    expect(await deleting('p')).toBe(false);
  });
});

describe('DefaultTolerationSeconds admission', () => {
  it('adds only the tolerations a pod lacks', async () => {
    h = await new Harness().start();
    const own = await h.admin.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'own' }, spec: { tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }], containers: [{ name: 'c', image: 'nginx' }] } });
    expect((own.spec as { tolerations: unknown[] }).tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
    const all = await h.admin.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'all' }, spec: { tolerations: [{ operator: 'Exists' }], containers: [{ name: 'c', image: 'nginx' }] } });
    expect((all.spec as { tolerations: unknown[] }).tolerations).toEqual([{ operator: 'Exists' }]);
    // Updates are left alone.
    const updated = await h.admin.patch(R.pods, 'default', 'all', 'merge', { metadata: { labels: { a: 'b' } } });
    expect((updated.spec as { tolerations: unknown[] }).tolerations).toEqual([{ operator: 'Exists' }]);
  });
});
