/**
 * TaintToleration: Filter rejects nodes with a NoSchedule/NoExecute taint the pod does not
 * tolerate (`node(s) had untolerated taint {key: value}`); Score prefers nodes with fewer
 * untolerated PreferNoSchedule taints.
 */
import { asObject } from '../../api/types';
import { defaultNormalize, unresolvable, type FilterPlugin, type ScorePlugin } from '../framework';
import { formatTaint, toleratesTaint } from './tolerations';
import type { NodeInfo } from '../node-info';

export const TAINT_TOLERATION = 'TaintToleration';

export const taintTolerationFilter: FilterPlugin = {
  name: TAINT_TOLERATION,
  filter(state, node) {
    const tolerations = asObject(state.pod.pod.spec).tolerations;
    for (const t of node.taints) {
      if (t.effect !== 'NoSchedule' && t.effect !== 'NoExecute') continue;
      if (!toleratesTaint(tolerations, t)) return unresolvable(TAINT_TOLERATION, `node(s) had untolerated taint ${formatTaint(t)}`);
    }
    return undefined;
  },
};

function intolerablePreferNoSchedule(tolerations: unknown, node: NodeInfo): number {
  let n = 0;
  for (const t of node.taints) if (t.effect === 'PreferNoSchedule' && !toleratesTaint(tolerations, t)) n++;
  return n;
}

export const taintTolerationScore: ScorePlugin = {
  name: TAINT_TOLERATION,
  weight: 3,
  score: (state, node) => intolerablePreferNoSchedule(asObject(state.pod.pod.spec).tolerations, node),
  scoreAll(state, nodes, out) {
    const tolerations = asObject(state.pod.pod.spec).tolerations;
    for (let i = 0; i < nodes.length; i++) out[i] = nodes[i].taints.length ? intolerablePreferNoSchedule(tolerations, nodes[i]) : 0;
  },
  normalize: (_state, scores) => defaultNormalize(scores, true),
};
