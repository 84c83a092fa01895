import { describe, expect, it } from 'vitest';
import { explain } from '../../../../src-renderer/features/scheduling/explain';
import { nodeSelectorMisses, podRequest, untoleratedTaints } from '../../../../src-renderer/features/scheduling/pod-spec';
import { BIG_CPU, NODES, SCHEDULED, SELECTOR, pod } from './fixtures';

const bigCpuSpec = { containers: [{ name: 'c', resources: { requests: { cpu: '64' } } }] };

describe('why Pending', () => {
  it('explains a pod larger than any node (golden)', () => {
    const e = explain({ pod: pod('big', BIG_CPU, bigCpuSpec), nodes: NODES });
    expect(e.state).toBe('pending');
    expect(e.source).toBe('annotation');
    expect(e.headline).toBe('No node can run this pod: 2 nodes have too little CPU, 1 node has a taint the pod does not tolerate (node-role.kubernetes.io/control-plane).');
    expect(e.verdicts.map((v) => [v.node, v.plugin, v.reasons[0].raw])).toEqual([
      ['kubesim-control-plane', 'TaintToleration', 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'],
      ['kubesim-worker', 'NodeResourcesFit', 'Insufficient cpu'],
      ['kubesim-worker2', 'NodeResourcesFit', 'Insufficient cpu'],
    ]);
    const cpu = e.groups.find((g) => g.reason.kind === 'insufficient')!;
    expect(cpu.nodes).toEqual(['kubesim-worker', 'kubesim-worker2']);
    expect(cpu.advice[0].text).toBe('The pod requests 64 CPU, but the largest node has only 4 CPU allocatable: no node can ever fit it.');
    expect(cpu.advice[1].text).toMatch(/delete the pod and create it again/);
    const taint = e.groups.find((g) => g.reason.kind === 'taint')!;
    expect(taint.advice.map((a) => a.snippet ?? a.command).filter(Boolean)).toEqual([
      'tolerations:\n- key: "node-role.kubernetes.io/control-plane"\n  operator: "Exists"\n  effect: "NoSchedule"',
      'kubectl taint nodes kubesim-control-plane node-role.kubernetes.io/control-plane:NoSchedule-',
    ]);
    expect(e.preemption?.summary).toMatch(/no lower-priority pods to evict/);
  });

  it('names the missing label for a nodeSelector that matches no node', () => {
    const e = explain({ pod: pod('sel', SELECTOR, { nodeSelector: { disktype: 'ssd' } }), nodes: NODES });
    expect(e.headline).toBe("No node can run this pod: 2 nodes don't match the pod's node selector/affinity, 1 node has a taint the pod does not tolerate (node-role.kubernetes.io/control-plane).");
    const g = e.groups.find((x) => x.reason.kind === 'node-affinity')!;
    expect(g.advice.map((a) => a.text)).toEqual([
      'kubesim-worker has disktype=hdd (nodeSelector wants disktype=ssd).',
      'kubesim-worker2 has no label disktype (nodeSelector wants disktype=ssd).',
      'Label a node so it matches (or change the pod\u2019s nodeSelector):',
    ]);
    expect(g.advice[2].command).toBe('kubectl label nodes kubesim-worker disktype=ssd');
  });

  it('suggests kubectl set resources for a Deployment\u2019s pod that does not fit next to others', () => {
    const p = pod('web-6d4cf56db6-abcde', BIG_CPU, { containers: [{ name: 'c', resources: { requests: { cpu: '3' } } }] }, { phase: 'Pending' }, {
      namespace: 'shop',
      labels: { 'pod-template-hash': '6d4cf56db6' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-6d4cf56db6', uid: 'u' }],
    });
    const cpu = explain({ pod: p, nodes: NODES }).groups.find((g) => g.reason.kind === 'insufficient')!;
    expect(cpu.advice[0].text).toBe("The pod requests 3 CPU (nodes have up to 4 CPU allocatable); the rest of the nodes' CPU is already requested by other pods.");
    expect(cpu.advice[1].command).toBe('kubectl set resources deployment/web -n shop --requests=cpu=1.5');
  });

  it('falls back to the PodScheduled condition when the annotation is garbled', () => {
    const cond = { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: JSON.parse(BIG_CPU).message as string };
    const e = explain({ pod: pod('big', '{not json', bigCpuSpec, { phase: 'Pending', conditions: [cond] }), nodes: NODES });
    expect(e.source).toBe('condition');
    expect(e.sourceNote).toMatch(/^The scheduler's annotation could not be read \(not JSON.*\); this is the PodScheduled condition's message$/);
    expect(e.headline).toBe('No node can run this pod: 2 nodes have too little CPU, 1 node has a taint the pod does not tolerate (node-role.kubernetes.io/control-plane).');
    expect(e.verdicts).toEqual([]);
    expect(e.groups.find((g) => g.reason.kind === 'insufficient')!.advice[0].text).toMatch(/largest node has only 4 CPU/);
  });

  it('falls back to the newest FailedScheduling event, then to waiting', () => {
    const e = explain({ pod: pod('x', undefined), nodes: NODES, failedEvents: ['0/3 nodes are available: 3 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.'] });
    expect(e.source).toBe('event');
    expect(e.headline).toBe('No node can run this pod: 3 nodes are cordoned (unschedulable).');
    expect(e.preemption?.summary).toBe('Preemption cannot help: evicting pods would not fix these nodes\u2019 reasons.');
    expect(explain({ pod: pod('x', undefined), nodes: NODES }).state).toBe('waiting');
  });

  it('explains gates, other schedulers and PreFilter rejections', () => {
    expect(explain({ pod: pod('g', undefined, { schedulingGates: [{ name: 'example.com/wait' }] }), nodes: NODES }).headline).toMatch(/scheduling gates \(example.com\/wait\)/);
    expect(explain({ pod: pod('o', undefined, { schedulerName: 'my-scheduler' }), nodes: NODES }).state).toBe('other-scheduler');
    const pre = JSON.stringify({ result: 'Unschedulable', nodes: 3, reasons: [], filtered: [], scores: [], preFilter: { plugin: 'VolumeBinding', reasons: ['persistentvolumeclaim "data" not found'] } });
    const e = explain({ pod: pod('v', pre, { volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] }), nodes: NODES });
    expect(e.headline).toBe('No node can run this pod: its PersistentVolumeClaim "data" does not exist.');
    expect(e.preFilter?.advice[0].text).toMatch(/Create the PersistentVolumeClaim data/);
  });

  it('shows the nomination and victims of a preemption', () => {
    const d = JSON.stringify({ ...JSON.parse(BIG_CPU), nominatedNode: 'kubesim-worker', victims: ['default/low-1', 'default/low-2'] });
    expect(explain({ pod: pod('hi', d), nodes: NODES }).preemption).toMatchObject({
      nominatedNode: 'kubesim-worker',
      victims: ['default/low-1', 'default/low-2'],
      summary: 'The scheduler nominated node kubesim-worker and evicts 2 lower-priority pods there to make room; the pod is scheduled once they are gone.',
    });
  });
});

describe('why here', () => {
  it('names the node and the score table', () => {
    const e = explain({ pod: pod('ok', SCHEDULED, { nodeName: 'kubesim-worker2' }, { phase: 'Running' }), nodes: NODES });
    expect(e.state).toBe('scheduled');
    expect(e.headline).toBe('Scheduled on kubesim-worker2: the best score of 2 nodes that passed every filter (of 3).');
    expect(e.scheduled?.plugins).toEqual(['TaintToleration', 'NodeResourcesFit', 'NodeResourcesBalancedAllocation']);
    expect(e.scheduled?.scores.map((s) => s.total)).toEqual([496, 494]);
    expect(e.verdicts.map((v) => v.node)).toEqual(['kubesim-control-plane']);
  });
  it('says when a pod bypassed the scheduler', () => {
    const e = explain({ pod: pod('direct', undefined, { nodeName: 'kubesim-worker' }, { phase: 'Running' }), nodes: NODES });
    expect(e.state).toBe('bound-directly');
    expect(e.headline).toMatch(/^Runs on kubesim-worker\. No scheduler verdict is recorded/);
  });
});

describe('pod and node helpers', () => {
  it('computes the request as the scheduler does', () => {
    expect(podRequest(pod('p', undefined, { containers: [{ name: 'a', resources: { requests: { cpu: '250m' } } }, { name: 'b', resources: { requests: { cpu: '500m' } } }], initContainers: [{ name: 'i', resources: { requests: { cpu: '1' } } }] }), 'cpu')).toBe(1);
    expect(podRequest(pod('p', undefined, { containers: [{ name: 'a', resources: { requests: { memory: '64Mi' } } }], overhead: { memory: '16Mi' } }), 'memory')).toBe(80 * 2 ** 20);
  });
  it('evaluates required node affinity', () => {
    const p = pod('p', undefined, { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disktype', operator: 'In', values: ['ssd', 'nvme'] }, { key: 'kubernetes.io/os', operator: 'Exists' }] }] } } } });
    expect(nodeSelectorMisses(p, NODES[1])).toEqual(['fails node affinity: label disktype In (ssd, nvme)']);
    expect(nodeSelectorMisses(pod('q', undefined), NODES[1])).toEqual([]);
  });
  it('finds untolerated taints', () => {
    expect(untoleratedTaints(pod('p', undefined), NODES[0]).map((t) => t.key)).toEqual(['node-role.kubernetes.io/control-plane']);
    expect(untoleratedTaints(pod('p', undefined, { tolerations: [{ operator: 'Exists' }] }), NODES[0])).toEqual([]);
    expect(untoleratedTaints(pod('p', undefined, { tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoExecute' }] }), NODES[0])).toHaveLength(1);
  });
});

describe('what decided', () => {
  it('names the plugin that gave the chosen node its lead, or a tie', async () => {
    const { decidedBy } = await import('../../../../src-renderer/features/scheduling/explain');
    const scores = JSON.parse(SCHEDULED).scores;
    expect(decidedBy('kubesim-worker2', scores)).toBe('kubesim-worker2 beat kubesim-worker by 2 points, mostly on NodeResourcesFit (+2), which prefers more free CPU and memory (least allocated).');
    expect(decidedBy('a', [{ node: 'a', total: 5, plugins: { X: 5 } }, { node: 'b', total: 5, plugins: { X: 5 } }])).toBe('a and b scored the same (5); the scheduler picks among the best at random.');
    expect(decidedBy('a', [{ node: 'a', total: 0 }])).toBeUndefined();
  });
});

describe('free capacity per node', () => {
  it('says how much each rejected node has left and lowers the requests to the most free', () => {
    const p = pod('mid', BIG_CPU, { containers: [{ name: 'c', resources: { requests: { cpu: '3' } } }] });
    const requested = new Map([
      ['kubesim-worker', { cpu: 1.5 }],
      ['kubesim-worker2', { cpu: 3.75 }],
    ]);
    const cpu = explain({ pod: p, nodes: NODES, requested }).groups.find((g) => g.reason.kind === 'insufficient')!;
    expect(cpu.advice.map((a) => a.text).slice(1, 4)).toEqual([
      'kubesim-worker: 1.5 CPU of 4 CPU already requested, 2.5 CPU free.',
      'kubesim-worker2: 3.75 CPU of 4 CPU already requested, 250m CPU free.',
      'Lower spec.containers[].resources.requests.cpu (to 2.5 or less): a pod\u2019s requests cannot be changed in place, so delete the pod and create it again.'.replace('\u2019', "'"),
    ]);
  });
});
