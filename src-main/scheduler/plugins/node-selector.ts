/**
 * v1.NodeSelector matching (component-helpers/scheduling/corev1/nodeaffinity): terms are ORed,
 * the expressions and fields of one term ANDed; an empty term matches nothing.
 */
import { asArray, asObject } from '../../api/types';
import type { NodeInfo } from '../node-info';

function requirementMatches(req: Record<string, unknown>, value: string | undefined): boolean {
  const values = asArray(req.values).map(String);
  switch (req.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || values.length !== 1) return false;
      const a = Number.parseInt(value, 10);
      const b = Number.parseInt(values[0], 10);
      if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
      return req.operator === 'Gt' ? a > b : a < b;
    }
    default:
      return false;
  }
}

export function termMatchesNode(term: unknown, node: NodeInfo): boolean {
  const t = asObject(term);
  const exprs = asArray(t.matchExpressions).map(asObject);
  const fields = asArray(t.matchFields).map(asObject);
  if (exprs.length === 0 && fields.length === 0) return false;
  for (const e of exprs) {
    const key = String(e.key ?? '');
    if (!requirementMatches(e, Object.prototype.hasOwnProperty.call(node.labels, key) ? node.labels[key] : undefined)) return false;
  }
  for (const f of fields) {
    if (f.key !== 'metadata.name') return false;
    if (!requirementMatches(f, node.name)) return false;
  }
  return true;
}

/** A required NodeSelector: at least one term matches. */
export function nodeSelectorMatches(selector: unknown, node: NodeInfo): boolean {
  return asArray(asObject(selector).nodeSelectorTerms).some((t) => termMatchesNode(t, node));
}
