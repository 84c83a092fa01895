/** DaemonSet controller: nodes and DaemonSets in → one pod per eligible node, revisions, status and events out. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { R } from '../../../../src-main/client';
import type { KubeObject } from '../../../../src-main/api/types';
import { daemonSetController } from '../../../../src-main/controllers/daemonset/controller';
import { nodeShouldRunDaemonPod } from '../../../../src-main/controllers/daemonset/placement';
import { Harness } from '../statefulset/harness';

function node(name: string, extra: { labels?: Record<string, string>; taints?: unknown[]; unschedulable?: boolean } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', ...(extra.labels ?? {}) } },
    spec: { ...(extra.taints ? { taints: extra.taints } : {}), ...(extra.unschedulable ? { unschedulable: true } : {}) },
  };
}

const CONTROL_PLANE_TAINT = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };

function ds(name: string, extraSpec: Record<string, unknown> = {}, podSpec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'agent', image: 'busybox:1.36' }], ...podSpec } },
      ...extraSpec,
    },
  };
}

let h: Harness;
beforeEach(async () => {
  h = await new Harness().start(daemonSetController);
  await h.admin.create(R.nodes, undefined, node('kind-control-plane', { labels: { 'node-role.kubernetes.io/control-plane': '' }, taints: [CONTROL_PLANE_TAINT] }));
  await h.admin.create(R.nodes, undefined, node('kind-worker'));
  await h.admin.create(R.nodes, undefined, node('kind-worker2'));
});
afterEach(async () => {
  await h.stop();
});

const dsPods = async (name: string) => (await h.list(R.pods)).filter((p) => p.metadata.labels?.app === name && !p.metadata.deletionTimestamp);
const target = (p: KubeObject) => ((p.spec as any).affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values[0] as string); // eslint-disable-line @typescript-eslint/no-explicit-any
const getDs = (name: string) => h.admin.get(R.daemonsets, 'default', name);

describe('DaemonSet controller', () => {
  it('creates one pod per worker (not on the tainted control plane) with the daemon tolerations and node affinity', async () => {
    await h.admin.create(R.daemonsets, 'default', ds('agent'));
    await h.until(async () => (await dsPods('agent')).length === 2, 'two pods');
    await h.settle();
    const pods = await dsPods('agent');
    expect(pods.map(target).sort()).toEqual(['kind-worker', 'kind-worker2']);
    const set = await getDs('agent');
    const rev = (await h.list(R.controllerrevisions))[0];
    const hash = rev.metadata.labels!['controller-revision-hash'];
    expect(rev.metadata.name).toBe(`agent-${hash}`);
    expect(rev.revision).toBe(1);
    expect(rev.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'DaemonSet', name: 'agent', controller: true });
    const p = pods[0];
    expect(p.metadata.generateName).toBe('agent-');
    expect(p.metadata.labels).toEqual({ app: 'agent', 'controller-revision-hash': hash, 'pod-template-generation': '1' });
    expect(p.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: set.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect((p.spec as Record<string, unknown>).tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
      { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
    ]);
    expect((p.spec as Record<string, unknown>).nodeName).toBeUndefined();
    const created = (await h.events('agent')).filter((e) => e.includes('SuccessfulCreate'));
    expect(created.sort()).toEqual(pods.map((x) => `Normal SuccessfulCreate: Created pod: ${x.metadata.name}`).sort());

    await h.until(async () => ((await getDs('agent')).status as Record<string, unknown>).desiredNumberScheduled === 2);
    expect((await getDs('agent')).status).toEqual({ currentNumberScheduled: 2, numberMisscheduled: 0, desiredNumberScheduled: 2, numberReady: 0, observedGeneration: 1, updatedNumberScheduled: 2, numberUnavailable: 2 });

    for (const x of pods) await h.makeReady(x.metadata.name!);
    await h.until(async () => ((await getDs('agent')).status as Record<string, unknown>).numberAvailable === 2);
    expect((await getDs('agent')).status).toEqual({ currentNumberScheduled: 2, numberMisscheduled: 0, desiredNumberScheduled: 2, numberReady: 2, observedGeneration: 1, updatedNumberScheduled: 2, numberAvailable: 2 });
  });

  it('a control-plane toleration adds the control plane; a nodeSelector narrows the nodes', async () => {
    await h.admin.create(R.daemonsets, 'default', ds('everywhere', {}, { tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] }));
    await h.until(async () => (await dsPods('everywhere')).length === 3);
    expect((await dsPods('everywhere')).map(target).sort()).toEqual(['kind-control-plane', 'kind-worker', 'kind-worker2']);

    await h.admin.create(R.daemonsets, 'default', ds('picky', {}, { nodeSelector: { disk: 'ssd' } }));
    await h.until(async () => ((await getDs('picky')).status as Record<string, unknown>).observedGeneration === 1);
    expect(await dsPods('picky')).toEqual([]);
    await h.admin.patch(R.nodes, undefined, 'kind-worker2', 'merge', { metadata: { labels: { disk: 'ssd' } } });
    await h.until(async () => (await dsPods('picky')).length === 1, 'a pod once a node matches');
    expect((await dsPods('picky')).map(target)).toEqual(['kind-worker2']);
    // The label goes away: the pod goes too.
    await h.admin.patch(R.nodes, undefined, 'kind-worker2', 'merge', { metadata: { labels: { disk: null } } });
    await h.until(async () => (await dsPods('picky')).length === 0, 'pod removed');
  });

  it('replaces a deleted pod and follows nodes coming and going', async () => {
    await h.admin.create(R.daemonsets, 'default', ds('agent'));
    await h.until(async () => (await dsPods('agent')).length === 2);
    const victim = (await dsPods('agent'))[0];
    await h.admin.delete(R.pods, 'default', victim.metadata.name!);
    await h.until(async () => {
      const pods = await dsPods('agent');
      return pods.length === 2 && !pods.some((p) => p.metadata.name === victim.metadata.name);
    }, 'pod replaced');
    await h.admin.create(R.nodes, undefined, node('kind-worker3'));
    await h.until(async () => (await dsPods('agent')).length === 3);
    await h.admin.delete(R.nodes, undefined, 'kind-worker3');
    await h.until(async () => (await dsPods('agent')).length === 2, 'unscheduled pod for a gone node removed');
  });

  it('deletes a failed daemon pod (FailedDaemonPod) and holds back the next one on that node with a back-off', async () => {
    await h.admin.create(R.daemonsets, 'default', ds('agent', {}, { nodeSelector: { 'kubernetes.io/hostname': 'kind-worker' } }));
    await h.until(async () => (await dsPods('agent')).length === 1);
    const first = (await dsPods('agent'))[0];
    await h.setPhase(first.metadata.name!, 'Failed');
    await h.until(async () => (await dsPods('agent')).some((p) => p.metadata.name !== first.metadata.name), 'replaced');
    expect(await h.events('agent')).toContain(`Warning FailedDaemonPod: Found failed daemon pod default/${first.metadata.name} on node kind-worker, will try to kill it`);
    const second = (await dsPods('agent')).find((p) => p.metadata.name !== first.metadata.name)!;
    await h.setPhase(second.metadata.name!, 'Failed');
    await h.settle();
    // Within the 1 s back-off the failed pod stays.
    expect((await dsPods('agent')).map((p) => p.metadata.name)).toEqual([second.metadata.name]);
    h.clock.advance(1001);
    await h.until(async () => !(await dsPods('agent')).some((p) => p.metadata.name === second.metadata.name), 'deleted after the back-off');
  });

  it('rolls a template change one node at a time (maxUnavailable 1) and keeps revisions', async () => {
    await h.admin.create(R.daemonsets, 'default', ds('agent'));
    await h.until(async () => (await dsPods('agent')).length === 2);
    for (const x of await dsPods('agent')) await h.makeReady(x.metadata.name!);
    await h.until(async () => ((await getDs('agent')).status as Record<string, unknown>).numberAvailable === 2);
    const oldHash = (await dsPods('agent'))[0].metadata.labels!['controller-revision-hash'];
    await h.admin.patch(R.daemonsets, 'default', 'agent', 'merge', { spec: { template: { spec: { containers: [{ name: 'agent', image: 'busybox:1.37' }] } } } });
    // One old pod goes, a new one comes for its node; the other old one stays until the new one is ready.
    await h.until(async () => (await dsPods('agent')).some((p) => p.metadata.labels!['controller-revision-hash'] !== oldHash), 'a new pod');
    await h.settle();
    let pods = await dsPods('agent');
    expect(pods).toHaveLength(2);
    const fresh = pods.filter((p) => p.metadata.labels!['controller-revision-hash'] !== oldHash);
    expect(fresh).toHaveLength(1);
    expect(fresh[0].metadata.labels!['pod-template-generation']).toBe('2');
    expect(((await getDs('agent')).status as Record<string, unknown>).updatedNumberScheduled).toBe(1);
    await h.makeReady(fresh[0].metadata.name!);
    await h.until(async () => (await dsPods('agent')).filter((p) => p.metadata.labels!['controller-revision-hash'] !== oldHash).length === 2, 'second node updated');
    pods = await dsPods('agent');
    for (const x of pods) await h.makeReady(x.metadata.name!);
    await h.until(async () => ((await getDs('agent')).status as Record<string, unknown>).numberAvailable === 2 && ((await getDs('agent')).status as Record<string, unknown>).updatedNumberScheduled === 2);
    const revs = (await h.list(R.controllerrevisions)).map((r) => r.revision).sort();
    expect(revs).toEqual([1, 2]);
  });

  it('maxSurge starts the new pod next to the old one and removes the old once the new is available', async () => {
    await h.admin.create(R.daemonsets, 'default', ds('agent', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } }));
    await h.until(async () => (await dsPods('agent')).length === 2);
    for (const x of await dsPods('agent')) await h.makeReady(x.metadata.name!);
    await h.until(async () => ((await getDs('agent')).status as Record<string, unknown>).numberAvailable === 2);
    await h.admin.patch(R.daemonsets, 'default', 'agent', 'merge', { spec: { template: { spec: { containers: [{ name: 'agent', image: 'busybox:1.37' }] } } } });
    await h.until(async () => (await dsPods('agent')).length === 3, 'a surge pod');
    await h.settle();
    expect(await dsPods('agent')).toHaveLength(3);
    const newest = (await dsPods('agent')).find((p) => p.metadata.labels!['pod-template-generation'] === '2')!;
    await h.makeReady(newest.metadata.name!);
    await h.until(async () => (await dsPods('agent')).filter((p) => target(p) === target(newest)).length === 1, 'old pod on that node removed');
  });
});

describe('nodeShouldRunDaemonPod', () => {
  const d = ds('x');
  it('tolerates the automatic daemon taints but not NoExecute ones it lacks', () => {
    expect(nodeShouldRunDaemonPod(node('a', { taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] }), d)).toEqual({ shouldRun: true, shouldContinueRunning: true });
    expect(nodeShouldRunDaemonPod(node('a', { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }] }), d)).toEqual({ shouldRun: true, shouldContinueRunning: true });
    expect(nodeShouldRunDaemonPod(node('a', { taints: [CONTROL_PLANE_TAINT] }), d)).toEqual({ shouldRun: false, shouldContinueRunning: true });
    expect(nodeShouldRunDaemonPod(node('a', { taints: [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }] }), d)).toEqual({ shouldRun: false, shouldContinueRunning: false });
    expect(nodeShouldRunDaemonPod(node('a', { taints: [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }] }), d).shouldRun).toBe(false);
    expect(nodeShouldRunDaemonPod(node('a', { taints: [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }] }), ds('y', {}, { hostNetwork: true })).shouldRun).toBe(true);
  });
  it('honours required node affinity expressions', () => {
    const aff = ds('y', {}, { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }, { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['special'] }] }] } } } });
    expect(nodeShouldRunDaemonPod(node('n1', { labels: { zone: 'b' } }), aff).shouldRun).toBe(true);
    expect(nodeShouldRunDaemonPod(node('n1', { labels: { zone: 'c' } }), aff).shouldRun).toBe(false);
    expect(nodeShouldRunDaemonPod(node('special'), aff).shouldRun).toBe(true);
  });
});
