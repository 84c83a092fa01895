/**
 * NodeResourcesFit: Filter compares the pod's requests with what is left of the node's
 * allocatable (`Too many pods`, `Insufficient cpu`, `Insufficient memory`, `Insufficient
 * ephemeral-storage`, `Insufficient <extended resource>`); Score is the LeastAllocated strategy
 * over cpu and memory (non-zero requests), weight 1 each.
 */
import { MAX_NODE_SCORE, unschedulable, type FilterPlugin, type ScorePlugin } from '../framework';
import type { NodeInfo } from '../node-info';
import type { PodInfo } from '../pod-info';

export const NODE_RESOURCES_FIT = 'NodeResourcesFit';

/** The reasons a pod does not fit on the node (empty: it fits). */
const FITS: readonly string[] = [];

export function insufficientResources(pod: PodInfo, node: NodeInfo): readonly string[] {
  let reasons: string[] | undefined;
  const add = (r: string) => (reasons ??= []).push(r);
  const req = pod.requests;
  const alloc = node.allocatable;
  const used = node.requested;
  if (node.pods.size + 1 > alloc.pods) add('Too many pods');
  if (req.milliCPU > 0 && req.milliCPU > alloc.milliCPU - used.milliCPU) add('Insufficient cpu');
  if (req.memory > 0 && req.memory > alloc.memory - used.memory) add('Insufficient memory');
  if (req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) add('Insufficient ephemeral-storage');
  for (const name in req.scalar) {
    const v = req.scalar[name];
    if (v > 0 && v > (alloc.scalar[name] ?? 0) - (used.scalar[name] ?? 0)) add(`Insufficient ${name}`);
  }
  return reasons ?? FITS;
}

export const nodeResourcesFitFilter: FilterPlugin = {
  name: NODE_RESOURCES_FIT,
  filter(state, node) {
    const reasons = insufficientResources(state.pod, node);
    return reasons.length ? unschedulable(NODE_RESOURCES_FIT, ...reasons) : undefined;
  },
};

function leastAllocated(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.floor(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

function leastAllocatedScore(pod: PodInfo, node: NodeInfo): number {
  const cpu = leastAllocated(node.nonZeroCPU + pod.nonZeroCPU, node.allocatable.milliCPU);
  const mem = leastAllocated(node.nonZeroMemory + pod.nonZeroMemory, node.allocatable.memory);
  return Math.floor((cpu + mem) / 2);
}

export const nodeResourcesFitScore: ScorePlugin = {
  name: NODE_RESOURCES_FIT,
  weight: 1,
  score: (state, node) => leastAllocatedScore(state.pod, node),
  scoreAll(state, nodes, out) {
    for (let i = 0; i < nodes.length; i++) out[i] = leastAllocatedScore(state.pod, nodes[i]);
  },
};
