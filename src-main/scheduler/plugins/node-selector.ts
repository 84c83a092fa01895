/**
 * v1.NodeSelector matching for the scheduler's plugins, on a NodeInfo: the shared matcher of
 * `api/selectors/node-selector.ts` (terms ORed, one term's requirements ANDed, an empty term
 * matches nothing).
 */
import { asArray, asObject } from '../../api/types';
import { nodeSelectorTermMatches } from '../../api/selectors/node-selector';
import type { NodeInfo } from '../node-info';

export function termMatchesNode(term: unknown, node: NodeInfo): boolean {
  return nodeSelectorTermMatches(term, node);
}

/** A required NodeSelector: at least one term matches. */
export function nodeSelectorMatches(selector: unknown, node: NodeInfo): boolean {
  return asArray(asObject(selector).nodeSelectorTerms).some((t) => termMatchesNode(t, node));
}
