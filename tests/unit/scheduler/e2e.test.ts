/** The scheduler against the real API handler: binding, events, conditions, decisions, retries. */
import { afterEach, describe, expect, it } from 'vitest';
import { R } from '../../../src-main/client';
import { DECISION_ANNOTATION } from '../../../src-main/scheduler';
import { CP, kindNodes, node, pod, SchedulerCluster, W1, W2, withRequests } from './helpers';

let c: SchedulerCluster;
afterEach(async () => c?.stop());

const nodeOf = async (name: string) => ((await c.getPod(name)).spec as { nodeName?: string }).nodeName;

describe('scheduler end to end', () => {
  it('binds a pod to a worker, never the control plane, with a Scheduled event and the decision annotation', async () => {
    c = await new SchedulerCluster().start(kindNodes());
    await c.createPod(pod('web'));
    await c.until(async () => !!(await nodeOf('web')));
    const p = await c.getPod('web');
    const n = (p.spec as { nodeName: string }).nodeName;
    expect([W1, W2]).toContain(n);
    const cond = ((p.status as { conditions: { type: string; status: string }[] }).conditions ?? []).find((x) => x.type === 'PodScheduled');
    expect(cond?.status).toBe('True');
    const decision = JSON.parse(p.metadata.annotations![DECISION_ANNOTATION]);
    expect(decision).toMatchObject({ result: 'Scheduled', node: n, nodes: 3, feasible: 2 });
    expect(decision.filtered).toEqual([{ node: CP, plugin: 'TaintToleration', code: 'UnschedulableAndUnresolvable', reasons: ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'] }]);
    expect(decision.scores.map((s: { node: string }) => s.node).sort()).toEqual([W1, W2]);
    await c.until(async () => (await c.events('web')).some((e) => e.reason === 'Scheduled'));
    const ev = (await c.events('web')).find((e) => e.reason === 'Scheduled')!;
    expect(ev.message).toBe(`Successfully assigned default/web to ${n}`);
    expect(ev.type).toBe('Normal');
    expect((ev.source as { component: string }).component).toBe('default-scheduler');
  });

  it('spreads the pods of one owner over both workers', async () => {
    c = await new SchedulerCluster().start(kindNodes());
    const owner = { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'rs-uid', controller: true }] };
    for (const n of ['a', 'b', 'c']) await c.createPod(pod(n, {}, owner));
    await c.until(async () => !!(await nodeOf('a')) && !!(await nodeOf('b')) && !!(await nodeOf('c')));
    const placed = [await nodeOf('a'), await nodeOf('b'), await nodeOf('c')];
    expect(placed).not.toContain(CP);
    expect(new Set(placed)).toEqual(new Set([W1, W2]));
  });

  it('keeps a pod with an impossible nodeSelector Pending with the upstream message, condition and decision', async () => {
    c = await new SchedulerCluster().start(kindNodes());
    await c.createPod(pod('lost', { nodeSelector: { disktype: 'ssd' } }));
    const msg =
      "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";
    await c.until(async () => {
      const p = await c.getPod('lost');
      return ((p.status as { conditions?: unknown[] }).conditions ?? []).length > 0 && !!p.metadata.annotations?.[DECISION_ANNOTATION];
    });
    const p = await c.getPod('lost');
    expect((p.spec as { nodeName?: string }).nodeName).toBeUndefined();
    expect((p.status as { conditions: unknown[] }).conditions).toEqual([
      expect.objectContaining({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: msg }),
    ]);
    const ev = (await c.events('lost')).filter((e) => e.reason === 'FailedScheduling');
    expect(ev.map((e) => [e.type, e.message])).toEqual([['Warning', msg]]);
    const d = JSON.parse(p.metadata.annotations![DECISION_ANNOTATION]);
    expect(d).toMatchObject({ result: 'Unschedulable', message: msg, nodes: 3, feasible: 0 });
    expect(d.reasons).toEqual(['1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }', "2 node(s) didn't match Pod's node affinity/selector"]);
    expect(d.filtered.map((f: { node: string; plugin: string }) => [f.node, f.plugin])).toEqual([
      [CP, 'TaintToleration'],
      [W1, 'NodeAffinity'],
      [W2, 'NodeAffinity'],
    ]);
  });

  it('reports Insufficient cpu with the preemption tail, then places the pod when a big node joins', async () => {
    c = await new SchedulerCluster().start(kindNodes());
    await c.createPod(pod('big', withRequests('100')));
    const msg =
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.';
    await c.until(async () => (await c.events('big')).some((e) => e.reason === 'FailedScheduling'));
    expect((await c.events('big')).find((e) => e.reason === 'FailedScheduling')!.message).toBe(msg);
    await c.addNode(node('huge', 3, { allocatable: { cpu: '128' } }));
    // The node add moves the pod to backoffQ; its 1 s back-off passes on the cluster clock.
    await c.until(() => c.running!.scheduler.queue.where('default/big') !== 'unschedulable');
    c.clock.advance(2000);
    await c.until(async () => (await nodeOf('big')) === 'huge');
  });

  it('ignores pods for other schedulers', async () => {
    c = await new SchedulerCluster().start(kindNodes());
    await c.createPod(pod('other', { schedulerName: 'my-scheduler' }));
    await c.createPod(pod('mine'));
    await c.until(async () => !!(await nodeOf('mine')));
    expect(await nodeOf('other')).toBeUndefined();
    expect(c.running!.scheduler.queue.where('default/other')).toBeUndefined();
  });

  it('says "no nodes available to schedule pods" without nodes', async () => {
    c = await new SchedulerCluster().start([]);
    await c.createPod(pod('alone'));
    await c.until(async () => (await c.events('alone')).some((e) => e.reason === 'FailedScheduling'));
    expect((await c.events('alone')).find((e) => e.reason === 'FailedScheduling')!.message).toBe('no nodes available to schedule pods');
  });

  it('rejects unbound immediate claims and annotates WaitForFirstConsumer claims with the selected node', async () => {
    c = await new SchedulerCluster().start(kindNodes());
    await c.client.create(R.storageclasses, undefined, { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'now' }, provisioner: 'x', volumeBindingMode: 'Immediate' });
    await c.client.create(R.storageclasses, undefined, { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'later' }, provisioner: 'x', volumeBindingMode: 'WaitForFirstConsumer' });
    const pvc = (name: string, cls: string) => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name }, spec: { storageClassName: cls, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
    await c.client.create(R.persistentvolumeclaims, 'default', pvc('imm', 'now'));
    await c.client.create(R.persistentvolumeclaims, 'default', pvc('wffc', 'later'));
    const vol = (claim: string) => ({ volumes: [{ name: 'v', persistentVolumeClaim: { claimName: claim } }] });
    await c.createPod(pod('p-imm', vol('imm')));
    await c.createPod(pod('p-wffc', vol('wffc')));
    await c.until(async () => (await c.events('p-imm')).some((e) => e.reason === 'FailedScheduling'));
    expect((await c.events('p-imm')).find((e) => e.reason === 'FailedScheduling')!.message).toBe(
      '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    );
    let selected = '';
    await c.until(async () => {
      selected = (await c.client.get(R.persistentvolumeclaims, 'default', 'wffc')).metadata.annotations?.['volume.kubernetes.io/selected-node'] ?? '';
      return selected !== '';
    });
    expect([W1, W2]).toContain(selected);
    // The volume controller binds the claim; then the pod is bound to the selected node.
    const claim = await c.client.get(R.persistentvolumeclaims, 'default', 'wffc');
    await c.client.update(R.persistentvolumeclaims, 'default', { ...claim, spec: { ...(claim.spec as object), volumeName: 'pv-1' } });
    await c.until(async () => (await nodeOf('p-wffc')) === selected);
  });

  it('waits on a cordoned cluster, ignores heartbeats, and retries when a node is uncordoned', async () => {
    c = await new SchedulerCluster().start([node(CP, 0), node(W1, 1, { unschedulable: true })]);
    await c.createPod(pod('waiting'));
    await c.until(async () => (await c.events('waiting')).some((e) => e.reason === 'FailedScheduling'));
    expect((await c.events('waiting')).find((e) => e.reason === 'FailedScheduling')!.message).toBe(
      '0/2 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 1 node(s) were unschedulable. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
    );
    const queue = c.running!.scheduler.queue;
    await c.until(() => queue.where('default/waiting') === 'unschedulable');
    // A heartbeat (only condition times change) is not a reason to try again.
    const n = await c.client.get(R.nodes, undefined, W1);
    const status = structuredClone(n.status) as { conditions: { lastHeartbeatTime: string }[] };
    for (const cond of status.conditions) cond.lastHeartbeatTime = '2026-01-01T00:00:10Z';
    await c.client.updateStatus(R.nodes, undefined, { ...n, status });
    for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
    expect(queue.where('default/waiting')).toBe('unschedulable');
    await c.client.patch(R.nodes, undefined, W1, 'merge', { spec: { unschedulable: null } });
    await c.until(() => queue.where('default/waiting') !== 'unschedulable');
    c.clock.advance(2000);
    await c.until(async () => (await nodeOf('waiting')) === W1);
  });

  it('leaves gated pods alone with PodScheduled=False SchedulingGated until the gates are gone', async () => {
    c = await new SchedulerCluster().start(kindNodes());
    await c.createPod(pod('gated', { schedulingGates: [{ name: 'example.com/wait' }] }));
    await c.until(async () => ((await c.getPod('gated')).status as { conditions?: unknown[] }).conditions !== undefined);
    expect(((await c.getPod('gated')).status as { conditions: unknown[] }).conditions).toEqual([
      expect.objectContaining({ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' }),
    ]);
    expect(c.running!.scheduler.queue.where('default/gated')).toBeUndefined();
    await c.client.patch(R.pods, 'default', 'gated', 'merge', { spec: { schedulingGates: null } });
    await c.until(async () => !!(await nodeOf('gated')));
  });

  it('gives up on a claim that is not provisioned in time and tries again later', async () => {
    c = await new SchedulerCluster().start(kindNodes());
    await c.client.create(R.storageclasses, undefined, { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'later' }, provisioner: 'x', volumeBindingMode: 'WaitForFirstConsumer' });
    await c.client.create(R.persistentvolumeclaims, 'default', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'slow' }, spec: { storageClassName: 'later', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
    await c.createPod(pod('p', { volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'slow' } }] }));
    await c.until(async () => !!(await c.client.get(R.persistentvolumeclaims, 'default', 'slow')).metadata.annotations?.['volume.kubernetes.io/selected-node']);
    c.clock.advance(5000); // the helper's volumeBindTimeoutMs
    await c.until(async () => (await c.events('p')).some((e) => e.reason === 'FailedScheduling'));
    expect((await c.events('p')).find((e) => e.reason === 'FailedScheduling')!.message).toBe('running PreBind plugin "VolumeBinding": binding volumes: context deadline exceeded');
    expect(await nodeOf('p')).toBeUndefined();
    expect(c.running!.scheduler.queue.where('default/p')).toBe('backoff');
  });
});
