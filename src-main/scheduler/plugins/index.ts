/**
 * The default profile (`default-scheduler`): filters in upstream order and the score plugins
 * with their default weights (NodeResourcesFit 1, BalancedAllocation 1, InterPodAffinity 2,
 * NodeAffinity 2, PodTopologySpread 2, TaintToleration 3).
 */
import type { Profile } from '../framework';
import { balancedAllocation } from './balanced-allocation';
import { interPodAffinityFilter, interPodAffinityScore } from './inter-pod-affinity';
import { nodeAffinityFilter, nodeAffinityScore } from './node-affinity';
import { nodeName } from './node-name';
import { nodePorts } from './node-ports';
import { nodeResourcesFitFilter, nodeResourcesFitScore } from './node-resources-fit';
import { nodeUnschedulable } from './node-unschedulable';
import { podTopologySpreadFilter, podTopologySpreadScore } from './pod-topology-spread';
import { taintTolerationFilter, taintTolerationScore } from './taint-toleration';
import { volumeBinding } from './volume-binding';

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

export function defaultProfile(): Profile {
  return {
    schedulerName: DEFAULT_SCHEDULER_NAME,
    filters: [nodeUnschedulable, nodeName, taintTolerationFilter, nodeAffinityFilter, nodePorts, nodeResourcesFitFilter, volumeBinding, podTopologySpreadFilter, interPodAffinityFilter],
    scores: [taintTolerationScore, nodeAffinityScore, podTopologySpreadScore, interPodAffinityScore, nodeResourcesFitScore, balancedAllocation],
  };
}
