/**
 * NodeResourcesBalancedAllocation: prefers nodes whose cpu and memory would be used in equal
 * fractions after placing the pod: score = (1 − standard deviation of the fractions) · 100.
 */
import { MAX_NODE_SCORE, type ScorePlugin } from '../framework';
import type { NodeInfo } from '../node-info';
import type { PodInfo } from '../pod-info';

export const BALANCED_ALLOCATION = 'NodeResourcesBalancedAllocation';

function balanced(pod: PodInfo, node: NodeInfo): number {
  const a = node.allocatable;
  if (a.milliCPU === 0 || a.memory === 0) return 0;
  const cpu = Math.min(1, (node.nonZeroCPU + pod.nonZeroCPU) / a.milliCPU);
  const mem = Math.min(1, (node.nonZeroMemory + pod.nonZeroMemory) / a.memory);
  const std = Math.abs(cpu - mem) / 2;
  return Math.floor((1 - std) * MAX_NODE_SCORE);
}

export const balancedAllocation: ScorePlugin = {
  name: BALANCED_ALLOCATION,
  weight: 1,
  score: (state, node) => balanced(state.pod, node),
  scoreAll(state, nodes, out) {
    for (let i = 0; i < nodes.length; i++) out[i] = balanced(state.pod, nodes[i]);
  },
};
