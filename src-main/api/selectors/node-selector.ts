/**
 * v1.NodeSelector matching (component-helpers/scheduling/corev1/nodeaffinity): the terms are ORed,
 * the label expressions and field requirements of one term ANDed; an empty term matches nothing.
 * `matchFields` knows `metadata.name` only. Used by the DaemonSet and volume controllers.
 */
import { asArray, asObject } from '../types';

/** What a node selector looks at. */
export interface SelectableNode {
  name: string;
  labels: Record<string, string>;
}

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

/** One NodeSelectorTerm. */
export function nodeSelectorTermMatches(term: unknown, node: SelectableNode): boolean {
  const t = asObject(term);
  const exprs = asArray(t.matchExpressions).map(asObject);
  const fields = asArray(t.matchFields).map(asObject);
  if (exprs.length === 0 && fields.length === 0) return false;
  for (const e of exprs) {
    const key = String(e.key ?? '');
    if (!requirementMatches(e, Object.prototype.hasOwnProperty.call(node.labels, key) ? node.labels[key] : undefined)) return false;
  }
  for (const f of fields) if (f.key !== 'metadata.name' || !requirementMatches(f, node.name)) return false;
  return true;
}

/** The node of an object: its name and labels. */
export function selectableNode(node: { metadata: { name?: string; labels?: Record<string, string> } }): SelectableNode {
  return { name: node.metadata.name ?? '', labels: node.metadata.labels ?? {} };
}
