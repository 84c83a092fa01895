/**
 * NodeResourcesBalancedAllocation: prefers nodes whose cpu and memory would be used in equal
 * fractions after placing the pod: score = (1 − standard deviation of the fractions) · 100.
 */
import { MAX_NODE_SCORE, type ScorePlugin } from '../framework';

export const BALANCED_ALLOCATION = 'NodeResourcesBalancedAllocation';

export const balancedAllocation: ScorePlugin = {
  name: BALANCED_ALLOCATION,
  weight: 1,
  score(state, node) {
    const a = node.allocatable;
    if (a.milliCPU === 0 || a.memory === 0) return 0;
    const cpu = Math.min(1, (node.nonZeroCPU + state.pod.nonZeroCPU) / a.milliCPU);
    const mem = Math.min(1, (node.nonZeroMemory + state.pod.nonZeroMemory) / a.memory);
    const std = Math.abs(cpu - mem) / 2;
    return Math.floor((1 - std) * MAX_NODE_SCORE);
  },
};
