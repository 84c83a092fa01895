/**
 * The label and field selection of a list or watch request, checked against what the kind
 * supports (unknown fields → 400 with the kind's upstream wording).
 */
import type { ResourceDef } from '../../api/resource';
import type { KubeObject } from '../../api/types';
import { checkFieldSelector, labelSelectorObjectToString, parseFieldSelector, parseLabelSelector } from '../../api/selectors';

export interface Selection {
  isEverything: boolean;
  matches(obj: KubeObject): boolean;
}

function resolver(def: ResourceDef, obj: KubeObject): (field: string) => string | undefined {
  return (field) => {
    if (field === 'metadata.name') return obj.metadata.name ?? '';
    if (field === 'metadata.namespace') return obj.metadata.namespace ?? '';
    const f = def.fieldSelectors?.[field];
    return f ? f(obj) ?? '' : undefined;
  };
}

/** Builds the selection of a request; `name` narrows it to one object (watch of a single item). */
export function buildSelection(def: ResourceDef, query: URLSearchParams, name = ''): Selection {
  const labels = parseLabelSelector(query.get('labelSelector') ?? '');
  const fields = parseFieldSelector(query.get('fieldSelector') ?? '');
  checkFieldSelector(fields, def.group, def.kind, Object.keys(def.fieldSelectors ?? {}));
  const isEverything = labels.empty() && fields.empty() && !name;
  return {
    isEverything,
    matches(obj) {
      if (name && obj.metadata.name !== name) return false;
      if (!labels.empty() && !labels.matches(obj.metadata.labels)) return false;
      if (!fields.empty() && !fields.matches(resolver(def, obj))) return false;
      return true;
    },
  };
}

/** The Scale subresource's `status.selector`: the label selector as a string. */
export function formatSelectorForScale(sel: unknown): string {
  if (sel === undefined || sel === null) return '';
  if (typeof sel === 'object' && !('matchLabels' in sel) && !('matchExpressions' in sel)) {
    // ReplicationController: a plain map selector.
    return labelSelectorObjectToString({ matchLabels: sel as Record<string, string> });
  }
  return labelSelectorObjectToString(sel);
}
