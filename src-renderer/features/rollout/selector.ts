/**
 * metav1.LabelSelectorAsSelector as a string the API server parses: matchLabels as `k=v`,
 * matchExpressions as `k in (a,b)`, `k notin (a,b)`, `k`, `!k` (a ReplicationController's map
 * selector counts as matchLabels). Keys sorted, as the Go selector prints them.
 */
import type { LabelSelector, LabelSelectorRequirement } from './types';

function requirement(r: LabelSelectorRequirement): string {
  const values = [...(r.values ?? [])].sort().join(',');
  switch (r.operator) {
    case 'In':
      return `${r.key} in (${values})`;
    case 'NotIn':
      return `${r.key} notin (${values})`;
    case 'Exists':
      return r.key;
    case 'DoesNotExist':
      return `!${r.key}`;
    default:
      return `${r.key} ${r.operator.toLowerCase()} (${values})`;
  }
}

function isLabelSelector(s: unknown): s is LabelSelector {
  return typeof s === 'object' && s !== null && ('matchLabels' in s || 'matchExpressions' in s);
}

export function labelSelectorString(sel: LabelSelector | Record<string, string> | undefined): string {
  if (!sel) return '';
  const ls: LabelSelector = isLabelSelector(sel) ? sel : { matchLabels: sel as Record<string, string> };
  const parts: { key: string; text: string }[] = [];
  for (const [k, v] of Object.entries(ls.matchLabels ?? {})) parts.push({ key: k, text: `${k}=${v}` });
  for (const r of ls.matchExpressions ?? []) parts.push({ key: r.key, text: requirement(r) });
  return parts
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((p) => p.text)
    .join(',');
}
