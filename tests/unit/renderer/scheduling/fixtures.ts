/** Decisions and objects as a 3-node kubesim cluster writes them (captured from `kubesim serve`). */
import type { SchedNode, SchedPod } from '../../../../src-renderer/features/scheduling/pod-spec';

export const BIG_CPU = JSON.stringify({
  result: 'Unschedulable',
  message:
    '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
  time: '2026-11-23T19:36:21Z',
  attempts: 1,
  nodes: 3,
  feasible: 0,
  reasons: ['1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }', '2 Insufficient cpu'],
  filtered: [
    { node: 'kubesim-control-plane', plugin: 'TaintToleration', code: 'UnschedulableAndUnresolvable', reasons: ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'] },
    { node: 'kubesim-worker', plugin: 'NodeResourcesFit', code: 'Unschedulable', reasons: ['Insufficient cpu'] },
    { node: 'kubesim-worker2', plugin: 'NodeResourcesFit', code: 'Unschedulable', reasons: ['Insufficient cpu'] },
  ],
  scores: [],
  preemption: 'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
});

export const SELECTOR = JSON.stringify({
  result: 'Unschedulable',
  message: "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
  time: '2026-11-23T19:36:21Z',
  attempts: 1,
  nodes: 3,
  feasible: 0,
  reasons: ['1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }', "2 node(s) didn't match Pod's node affinity/selector"],
  filtered: [
    { node: 'kubesim-control-plane', plugin: 'TaintToleration', code: 'UnschedulableAndUnresolvable', reasons: ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'] },
    { node: 'kubesim-worker', plugin: 'NodeAffinity', code: 'UnschedulableAndUnresolvable', reasons: ["node(s) didn't match Pod's node affinity/selector"] },
    { node: 'kubesim-worker2', plugin: 'NodeAffinity', code: 'UnschedulableAndUnresolvable', reasons: ["node(s) didn't match Pod's node affinity/selector"] },
  ],
  scores: [],
  preemption: 'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
});

export const SCHEDULED = JSON.stringify({
  result: 'Scheduled',
  node: 'kubesim-worker2',
  time: '2026-11-23T19:36:21Z',
  attempts: 1,
  nodes: 3,
  feasible: 2,
  reasons: ['1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'],
  filtered: [{ node: 'kubesim-control-plane', plugin: 'TaintToleration', code: 'UnschedulableAndUnresolvable', reasons: ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'] }],
  scores: [
    { node: 'kubesim-worker2', total: 496, plugins: { TaintToleration: 300, NodeResourcesFit: 97, NodeResourcesBalancedAllocation: 99 } },
    { node: 'kubesim-worker', total: 494, plugins: { TaintToleration: 300, NodeResourcesFit: 95, NodeResourcesBalancedAllocation: 99 } },
  ],
});

const node = (name: string, extra: Partial<SchedNode> = {}, labels: Record<string, string> = {}): SchedNode => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', ...labels } },
  status: { allocatable: { cpu: '4', memory: '8028160Ki', pods: '110' } },
  ...extra,
});

export const NODES: SchedNode[] = [
  node('kubesim-control-plane', { spec: { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } }, { 'node-role.kubernetes.io/control-plane': '' }),
  node('kubesim-worker', {}, { disktype: 'hdd' }),
  node('kubesim-worker2'),
];

export function pod(name: string, annotation: string | undefined, spec: SchedPod['spec'] = {}, status: SchedPod['status'] = { phase: 'Pending' }, meta: Partial<SchedPod['metadata']> = {}): SchedPod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', ...(annotation !== undefined ? { annotations: { 'scheduler.kubesim.io/decision': annotation } } : {}), ...meta },
    spec: { containers: [{ name: 'c', image: 'nginx:1.25' }], ...spec },
    status,
  };
}
