/**
 * NodeAffinity: Filter on spec.nodeSelector and required node affinity (`node(s) didn't match
 * Pod's node affinity/selector`); Score sums the weights of the preferred terms a node matches.
 */
import { asArray, asObject, isObject } from '../../api/types';
import { defaultNormalize, unresolvable, type FilterPlugin, type ScorePlugin } from '../framework';
import { nodeSelectorMatches, termMatchesNode } from './node-selector';

export const NODE_AFFINITY = 'NodeAffinity';
export const ERR_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";

function nodeAffinityOf(spec: Record<string, unknown>): Record<string, unknown> {
  return asObject(asObject(spec.affinity).nodeAffinity);
}

export const nodeAffinityFilter: FilterPlugin = {
  name: NODE_AFFINITY,
  preFilter(state) {
    const spec = asObject(state.pod.pod.spec);
    const hasSelector = isObject(spec.nodeSelector) && Object.keys(spec.nodeSelector).length > 0;
    return hasSelector || isObject(nodeAffinityOf(spec).requiredDuringSchedulingIgnoredDuringExecution) ? undefined : 'skip';
  },
  filter(state, node) {
    const spec = asObject(state.pod.pod.spec);
    const sel = asObject(spec.nodeSelector);
    for (const [k, v] of Object.entries(sel)) {
      if (node.labels[k] !== v) return unresolvable(NODE_AFFINITY, ERR_NODE_AFFINITY);
    }
    const req = nodeAffinityOf(spec).requiredDuringSchedulingIgnoredDuringExecution;
    if (isObject(req) && !nodeSelectorMatches(req, node)) return unresolvable(NODE_AFFINITY, ERR_NODE_AFFINITY);
    return undefined;
  },
};

export const nodeAffinityScore: ScorePlugin = {
  name: NODE_AFFINITY,
  weight: 2,
  preScore: (state) => (asArray(nodeAffinityOf(asObject(state.pod.pod.spec)).preferredDuringSchedulingIgnoredDuringExecution).length ? undefined : 'skip'),
  score(state, node) {
    let sum = 0;
    for (const p of asArray(nodeAffinityOf(asObject(state.pod.pod.spec)).preferredDuringSchedulingIgnoredDuringExecution)) {
      const term = asObject(p);
      if (typeof term.weight === 'number' && term.weight !== 0 && termMatchesNode(term.preference, node)) sum += term.weight;
    }
    return sum;
  },
  normalize: (_state, scores) => defaultNormalize(scores, false),
};
