/** One table per plugin: a pod and a node (with pods on it) in, the plugin's verdict or score out. */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src-main/api/types';
import { newCycleState, type ClusterView, type FilterPlugin, type Status } from '../../../src-main/scheduler/framework';
import type { NodeInfo } from '../../../src-main/scheduler/node-info';
import { newPodInfo } from '../../../src-main/scheduler/pod-info';
import { nodeUnschedulable } from '../../../src-main/scheduler/plugins/node-unschedulable';
import { nodeName } from '../../../src-main/scheduler/plugins/node-name';
import { taintTolerationFilter, taintTolerationScore } from '../../../src-main/scheduler/plugins/taint-toleration';
import { nodeAffinityFilter, nodeAffinityScore } from '../../../src-main/scheduler/plugins/node-affinity';
import { nodeResourcesFitFilter, nodeResourcesFitScore } from '../../../src-main/scheduler/plugins/node-resources-fit';
import { balancedAllocation } from '../../../src-main/scheduler/plugins/balanced-allocation';
import { nodePorts } from '../../../src-main/scheduler/plugins/node-ports';
import { interPodAffinityFilter, interPodAffinityScore } from '../../../src-main/scheduler/plugins/inter-pod-affinity';
import { volumeBinding } from '../../../src-main/scheduler/plugins/volume-binding';
import { podTopologySpreadFilter, podTopologySpreadScore } from '../../../src-main/scheduler/plugins/pod-topology-spread';
import { prioritize } from '../../../src-main/scheduler/framework';
import { node, nodeInfo, pod, withRequests } from './helpers';

function view(nodes: NodeInfo[], extra: Partial<ClusterView> = {}): ClusterView {
  const all = nodes.flatMap((n) => [...n.pods.values()]);
  return {
    nodes: () => nodes,
    node: (name) => nodes.find((n) => n.name === name),
    podsWithRequiredAntiAffinity: new Set(all.filter((p) => p.requiredAntiAffinity.length)),
    podsWithAffinity: new Set(all.filter((p) => p.requiredAffinity.length || p.requiredAntiAffinity.length || p.preferredAffinity.length || p.preferredAntiAffinity.length)),
    namespaceLabels: () => undefined,
    pvc: () => undefined,
    pv: () => undefined,
    storageClass: () => undefined,
    nominatedPods: () => [],
    ...extra,
  };
}

/** PreFilter then Filter of one plugin for each node; 'ok', 'skip'-then-ok, or the status. */
function run(plugin: FilterPlugin, p: KubeObject, nodes: NodeInfo[], extra: Partial<ClusterView> = {}): (Status | 'ok')[] {
  const state = newCycleState(newPodInfo(p), view(nodes, extra));
  const pre = plugin.preFilter?.(state);
  if (pre === 'skip') return nodes.map(() => 'ok');
  if (pre) return nodes.map(() => pre);
  return nodes.map((n) => plugin.filter(state, n) ?? 'ok');
}

const reasons = (r: (Status | 'ok')[]) => r.map((s) => (s === 'ok' ? 'ok' : `${s.code}: ${s.reasons.join(' | ')}`));

describe('NodeUnschedulable', () => {
  const cordoned = nodeInfo(node('n', 1, { unschedulable: true }));
  it.each([
    ['a plain pod on a cordoned node', pod('p'), 'UnschedulableAndUnresolvable: node(s) were unschedulable'],
    ['a pod tolerating the unschedulable taint', pod('p', { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] }), 'ok'],
  ])('%s', (_n, p, want) => expect(reasons(run(nodeUnschedulable, p, [cordoned]))).toEqual([want]));
});

describe('NodeName', () => {
  const a = nodeInfo(node('a', 1));
  const b = nodeInfo(node('b', 2));
  it('only the named node fits', () => {
    expect(reasons(run(nodeName, pod('p', { nodeName: 'b' }), [a, b]))).toEqual(["UnschedulableAndUnresolvable: node(s) didn't match the requested node name", 'ok']);
    expect(reasons(run(nodeName, pod('p'), [a, b]))).toEqual(['ok', 'ok']);
  });
});

describe('TaintToleration', () => {
  const cp = nodeInfo(node('cp', 0));
  const keyed = nodeInfo(node('k', 1, { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }] }));
  const soft = nodeInfo(node('s', 2, { taints: [{ key: 'x', effect: 'PreferNoSchedule' }] }));
  it.each([
    ['no tolerations', pod('p'), ['UnschedulableAndUnresolvable: node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }', 'UnschedulableAndUnresolvable: node(s) had untolerated taint {dedicated: gpu}', 'ok']],
    ['Exists on the control-plane key', pod('p', { tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' }] }), ['ok', 'UnschedulableAndUnresolvable: node(s) had untolerated taint {dedicated: gpu}', 'ok']],
    ['Equal with the wrong value', pod('p', { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'cpu', effect: 'NoExecute' }] }), ['UnschedulableAndUnresolvable: node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }', 'UnschedulableAndUnresolvable: node(s) had untolerated taint {dedicated: gpu}', 'ok']],
    ['tolerate everything', pod('p', { tolerations: [{ operator: 'Exists' }] }), ['ok', 'ok', 'ok']],
  ])('%s', (_n, p, want) => expect(reasons(run(taintTolerationFilter, p, [cp, keyed, soft]))).toEqual(want));

  it('scores PreferNoSchedule taints down', () => {
    const plain = nodeInfo(node('plain', 3));
    const scores = prioritize({ schedulerName: 'x', filters: [], scores: [taintTolerationScore] }, newCycleState(newPodInfo(pod('p')), view([soft, plain])), [soft, plain]);
    expect(scores.map((s) => [s.node, s.total])).toEqual([
      ['s', 0],
      ['plain', 300],
    ]);
  });
});

describe('NodeAffinity', () => {
  const ssd = nodeInfo(node('ssd', 1, { labels: { disktype: 'ssd', zone: 'a' } }));
  const hdd = nodeInfo(node('hdd', 2, { labels: { disktype: 'hdd', zone: 'b', gen: '5' } }));
  const req = (terms: unknown[]) => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });
  const miss = "UnschedulableAndUnresolvable: node(s) didn't match Pod's node affinity/selector";
  it.each([
    ['nodeSelector', pod('p', { nodeSelector: { disktype: 'ssd' } }), ['ok', miss]],
    ['In', pod('p', req([{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['b', 'c'] }] }])), [miss, 'ok']],
    ['NotIn', pod('p', req([{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['b'] }] }])), ['ok', miss]],
    ['Exists / DoesNotExist', pod('p', req([{ matchExpressions: [{ key: 'gen', operator: 'DoesNotExist' }] }])), ['ok', miss]],
    ['Gt', pod('p', req([{ matchExpressions: [{ key: 'gen', operator: 'Gt', values: ['4'] }] }])), [miss, 'ok']],
    ['terms are ORed', pod('p', req([{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }, { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['hdd'] }] }])), ['ok', 'ok']],
    ['selector and affinity both apply', pod('p', { nodeSelector: { disktype: 'ssd' }, ...req([{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] }]) }), [miss, miss]],
    ['an empty term matches nothing', pod('p', req([{}])), [miss, miss]],
  ])('%s', (_n, p, want) => expect(reasons(run(nodeAffinityFilter, p, [ssd, hdd]))).toEqual(want));

  it('scores preferred terms by weight', () => {
    const p = pod('p', { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] } }, { weight: 5, preference: { matchExpressions: [{ key: 'disktype', operator: 'In', values: ['ssd'] }] } }] } } });
    const scores = prioritize({ schedulerName: 'x', filters: [], scores: [nodeAffinityScore] }, newCycleState(newPodInfo(p), view([ssd, hdd])), [ssd, hdd]);
    expect(scores.map((s) => s.total)).toEqual([100, 200]); // 5→50, 10→100, weight 2
  });
});

describe('NodeResourcesFit', () => {
  const small = node('small', 1, { allocatable: { cpu: '1', memory: '1Gi', pods: '2', 'example.com/gpu': '1' } });
  it.each([
    ['fits', pod('p', withRequests('500m', '512Mi')), [], 'ok'],
    ['too much cpu', pod('p', withRequests('2')), [], 'Unschedulable: Insufficient cpu'],
    ['cpu taken by pods already there', pod('p', withRequests('600m')), [pod('a', withRequests('500m'))], 'Unschedulable: Insufficient cpu'],
    ['cpu and memory', pod('p', withRequests('2', '2Gi')), [], 'Unschedulable: Insufficient cpu | Insufficient memory'],
    ['pod count', pod('p'), [pod('a'), pod('b')], 'Unschedulable: Too many pods'],
    ['extended resource', pod('p', { containers: [{ name: 'c', image: 'x', resources: { requests: { 'example.com/gpu': '2' } } }] }), [], 'Unschedulable: Insufficient example.com/gpu'],
    ['init containers count at their max', pod('p', { initContainers: [{ name: 'i', image: 'x', resources: { requests: { cpu: '1500m' } } }], ...withRequests('100m') }), [], 'Unschedulable: Insufficient cpu'],
  ])('%s', (_n, p, existing, want) => expect(reasons(run(nodeResourcesFitFilter, p, [nodeInfo(small, existing)]))).toEqual([want]));

  it('LeastAllocated and BalancedAllocation prefer the emptier, more balanced node', () => {
    const busy = nodeInfo(node('busy', 1), [pod('a', withRequests('3', '1Gi'))]);
    const idle = nodeInfo(node('idle', 2));
    const state = newCycleState(newPodInfo(pod('p', withRequests('100m', '100Mi'))), view([busy, idle]));
    const scores = prioritize({ schedulerName: 'x', filters: [], scores: [nodeResourcesFitScore, balancedAllocation] }, state, [busy, idle]);
    expect(scores[1].plugins.NodeResourcesFit).toBeGreaterThan(scores[0].plugins.NodeResourcesFit);
    expect(scores[1].plugins.NodeResourcesBalancedAllocation).toBeGreaterThan(scores[0].plugins.NodeResourcesBalancedAllocation);
    // idle: cpu (4000-100)/4000 → 97, memory ≈ 98 → 97
    expect(scores[1].plugins.NodeResourcesFit).toBe(97);
  });
});

describe('NodePorts', () => {
  const withPort = (port: number, ip?: string, protocol?: string) => ({ containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80, hostPort: port, ...(ip ? { hostIP: ip } : {}), ...(protocol ? { protocol } : {}) }] }] });
  const busy = () => nodeInfo(node('n', 1), [pod('a', withPort(8080, '10.0.0.1'))]);
  const taken = "Unschedulable: node(s) didn't have free ports for the requested pod ports";
  it.each([
    ['same port, any IP', withPort(8080), taken],
    ['same port, same IP', withPort(8080, '10.0.0.1'), taken],
    ['same port, other IP', withPort(8080, '10.0.0.2'), 'ok'],
    ['same port, UDP', withPort(8080, undefined, 'UDP'), 'ok'],
    ['other port', withPort(9090), 'ok'],
  ])('%s', (_n, spec, want) => expect(reasons(run(nodePorts, pod('p', spec), [busy()]))).toEqual([want]));
});

describe('InterPodAffinity', () => {
  const zone = (name: string, z: string, pods: KubeObject[] = [], i = 1) => nodeInfo(node(name, i, { labels: { zone: z } }), pods);
  const term = (app: string, key = 'zone') => ({ labelSelector: { matchLabels: { app } }, topologyKey: key });
  const web = (name: string, spec: Record<string, unknown> = {}) => pod(name, spec, { labels: { app: 'web' } });
  it('required affinity: only domains with a matching pod', () => {
    const nodes = [zone('a1', 'a', [pod('db', {}, { labels: { app: 'db' } })]), zone('a2', 'a'), zone('b1', 'b')];
    const p = web('p', { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db')] } } });
    expect(reasons(run(interPodAffinityFilter, p, nodes))).toEqual(['ok', 'ok', "UnschedulableAndUnresolvable: node(s) didn't match pod affinity rules"]);
  });
  it('required affinity to itself: the first pod may go anywhere', () => {
    const p = web('p', { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web')] } } });
    expect(reasons(run(interPodAffinityFilter, p, [zone('a1', 'a'), zone('b1', 'b')]))).toEqual(['ok', 'ok']);
  });
  it('required anti-affinity: not next to a matching pod (per hostname)', () => {
    const nodes = [zone('a1', 'a', [web('w1')]), zone('a2', 'a')];
    const p = web('p', { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web', 'kubernetes.io/hostname')] } } });
    expect(reasons(run(interPodAffinityFilter, p, nodes))).toEqual(["Unschedulable: node(s) didn't match pod anti-affinity rules", 'ok']);
  });
  it("existing pods' anti-affinity keeps matching pods out of their zone", () => {
    const guard = pod('g', { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web')] } } }, { labels: { app: 'guard' } });
    const nodes = [zone('a1', 'a', [guard]), zone('a2', 'a'), zone('b1', 'b')];
    expect(reasons(run(interPodAffinityFilter, web('p'), nodes))).toEqual([
      "Unschedulable: node(s) didn't satisfy existing pods anti-affinity rules",
      "Unschedulable: node(s) didn't satisfy existing pods anti-affinity rules",
      'ok',
    ]);
    expect(reasons(run(interPodAffinityFilter, pod('other'), nodes))).toEqual(['ok', 'ok', 'ok']);
  });
  it('preferred affinity scores the domain of matching pods up', () => {
    const nodes = [zone('a1', 'a', [pod('db', {}, { labels: { app: 'db' } })]), zone('b1', 'b')];
    const p = web('p', { affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, podAffinityTerm: term('db') }] } } });
    const scores = prioritize({ schedulerName: 'x', filters: [], scores: [interPodAffinityScore] }, newCycleState(newPodInfo(p), view(nodes)), nodes);
    expect(scores.map((s) => s.total)).toEqual([200, 0]);
  });
});

describe('PodTopologySpread', () => {
  const owner = { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'rs1', controller: true }], labels: { app: 'web' } };
  it('default spreading: nodes with fewer pods of the same owner score higher', () => {
    const a = nodeInfo(node('a', 1), [pod('x1', {}, owner), pod('x2', {}, owner)]);
    const b = nodeInfo(node('b', 2), [pod('x3', {}, owner)]);
    const c = nodeInfo(node('c', 3));
    const state = newCycleState(newPodInfo(pod('p', {}, owner)), view([a, b, c]));
    const scores = prioritize({ schedulerName: 'x', filters: [], scores: [podTopologySpreadScore] }, state, [a, b, c]);
    expect(scores.map((s) => s.total)).toEqual([0, 100, 200]);
  });
  it('DoNotSchedule constraints reject nodes that would exceed maxSkew', () => {
    const a = nodeInfo(node('a', 1), [pod('x1', {}, owner), pod('x2', {}, owner)]);
    const b = nodeInfo(node('b', 2));
    const p = pod('p', { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }] }, owner);
    expect(reasons(run(podTopologySpreadFilter, p, [a, b]))).toEqual(["Unschedulable: node(s) didn't match pod topology spread constraints", 'ok']);
  });
});

describe('VolumeBinding', () => {
  const n1 = nodeInfo(node('n1', 1));
  const n2 = nodeInfo(node('n2', 2));
  const claim = (name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'default' }, spec });
  const pvcs: Record<string, KubeObject> = {
    bound: claim('bound', { volumeName: 'pv1' }),
    imm: claim('imm', { storageClassName: 'fast' }),
    wffc: claim('wffc', { storageClassName: 'standard' }),
  };
  const classes: Record<string, KubeObject> = {
    fast: { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fast' }, volumeBindingMode: 'Immediate' },
    standard: { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'standard' }, volumeBindingMode: 'WaitForFirstConsumer' },
  };
  const pv1: KubeObject = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv1' }, spec: { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n2'] }] }] } } } };
  const extra: Partial<ClusterView> = { pvc: (_ns, n) => pvcs[n], storageClass: (n) => classes[n], pv: (n) => (n === 'pv1' ? pv1 : undefined) };
  const withClaim = (name: string) => pod('p', { volumes: [{ name: 'v', persistentVolumeClaim: { claimName: name } }] });
  it.each([
    ['a bound claim follows its PV node affinity', 'bound', ['UnschedulableAndUnresolvable: node(s) had volume node affinity conflict', 'ok']],
    ['an unbound Immediate claim rejects the pod', 'imm', ['UnschedulableAndUnresolvable: pod has unbound immediate PersistentVolumeClaims', 'UnschedulableAndUnresolvable: pod has unbound immediate PersistentVolumeClaims']],
    ['an unbound WaitForFirstConsumer claim fits anywhere', 'wffc', ['ok', 'ok']],
    ['a missing claim', 'nope', ['UnschedulableAndUnresolvable: persistentvolumeclaim "nope" not found', 'UnschedulableAndUnresolvable: persistentvolumeclaim "nope" not found']],
  ])('%s', (_n, c, want) => expect(reasons(run(volumeBinding, withClaim(c), [n1, n2], extra))).toEqual(want));
});


describe('topScores', () => {
  it('keeps the k best nodes, best first, ties by name', async () => {
    const { topScores } = await import('../../../src-main/scheduler/framework');
    const names = ['e', 'b', 'a', 'd', 'c', 'f'];
    const totals = [10, 50, 50, 70, 0, 30];
    const t = { nodes: names.map((n) => nodeInfo(node(n, 1))), plugins: ['X'], values: [totals], totals };
    expect(topScores(t, 3).map((s) => [s.node, s.total, s.plugins.X])).toEqual([
      ['d', 70, 70],
      ['a', 50, 50],
      ['b', 50, 50],
    ]);
    expect(topScores(t, 10).map((s) => s.node)).toEqual(['d', 'a', 'b', 'f', 'e', 'c']);
  });
});
