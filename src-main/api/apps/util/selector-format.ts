/**
 * metav1.LabelSelector → the selector string upstream prints (`LabelSelectorAsSelector(sel).String()`):
 * requirements sorted by key, `k=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`.
 * Used for Table SELECTOR cells and Scale `status.selector`; parsing/matching lives elsewhere.
 */
import { asArray, isObject } from '../../types';
import { isQualifiedName, isValidLabelValue } from '../../core/validation/names';

interface Requirement {
  key: string;
  op: 'Equals' | 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values: string[];
}

/** The requirements of a selector, or null when it cannot be converted (an invalid operator or value). */
function requirementsOf(sel: unknown): Requirement[] | null {
  if (sel === undefined || sel === null) return [];
  if (!isObject(sel)) return null;
  const reqs: Requirement[] = [];
  const ml = isObject(sel.matchLabels) ? sel.matchLabels : {};
  for (const [k, v] of Object.entries(ml)) {
    if (typeof v !== 'string' || isQualifiedName(k).length || isValidLabelValue(v).length) return null;
    reqs.push({ key: k, op: 'Equals', values: [v] });
  }
  for (const raw of asArray(sel.matchExpressions)) {
    if (!isObject(raw)) return null;
    const key = typeof raw.key === 'string' ? raw.key : '';
    if (isQualifiedName(key).length) return null;
    const values = asArray(raw.values).map(String);
    switch (raw.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0 || values.some((v) => isValidLabelValue(v).length)) return null;
        reqs.push({ key, op: raw.operator, values: [...values].sort() });
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length) return null;
        reqs.push({ key, op: raw.operator, values: [] });
        break;
      default:
        return null;
    }
  }
  // labels.internalSelector sorts requirements by key (stable).
  return reqs.map((r, i) => ({ r, i })).sort((a, b) => (a.r.key < b.r.key ? -1 : a.r.key > b.r.key ? 1 : a.i - b.i)).map((x) => x.r);
}

function requirementString(r: Requirement): string {
  switch (r.op) {
    case 'Equals':
      return `${r.key}=${r.values[0]}`;
    case 'In':
      return `${r.key} in (${r.values.join(',')})`;
    case 'NotIn':
      return `${r.key} notin (${r.values.join(',')})`;
    case 'Exists':
      return r.key;
    case 'DoesNotExist':
      return `!${r.key}`;
  }
}

/** `LabelSelectorAsSelector(sel).String()`: '' for a nil or empty selector, null when it is invalid. */
export function labelSelectorString(sel: unknown): string | null {
  const reqs = requirementsOf(sel);
  if (reqs === null) return null;
  return reqs.map(requirementString).join(',');
}

/** metav1.FormatLabelSelector: `app=nginx,tier in (a,b)`; `<none>` when empty; `<error>` when invalid. */
export function formatLabelSelector(sel: unknown): string {
  const s = labelSelectorString(sel);
  if (s === null) return '<error>';
  return s === '' ? '<none>' : s;
}

/**
 * A metav1.LabelSelector as Go's `%#v` prints it, which is how field errors show a selector
 * (`spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web"},
 * MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable`). A missing selector
 * is `null`, as upstream prints a nil pointer.
 */
export function goLabelSelector(sel: unknown): string {
  if (!isObject(sel)) return 'null';
  const q = (v: unknown) => JSON.stringify(String(v));
  const ml = sel.matchLabels;
  const labels = isObject(ml)
    ? `map[string]string{${Object.keys(ml)
        .sort()
        .map((k) => `${q(k)}:${q(ml[k])}`)
        .join(', ')}}`
    : 'map[string]string(nil)';
  const me = sel.matchExpressions;
  const exprs = Array.isArray(me)
    ? `[]v1.LabelSelectorRequirement{${me
        .map((r) => {
          const o = isObject(r) ? r : {};
          const values = Array.isArray(o.values) ? `[]string{${o.values.map(q).join(', ')}}` : '[]string(nil)';
          return `v1.LabelSelectorRequirement{Key:${q(o.key ?? '')}, Operator:${q(o.operator ?? '')}, Values:${values}}`;
        })
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${labels}, MatchExpressions:${exprs}}`;
}
