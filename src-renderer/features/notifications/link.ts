/** Where a notice's object lives in the UI: its details page (kind → plural through discovery). */
import type { ApiResource } from '../../api/types';
import { detailsRoute, parseApiVersion } from '../../util/paths';
import type { InvolvedObject } from './notices';

export function objectRoute(o: InvolvedObject, byKind: (group: string, kind: string) => ApiResource | undefined): string | undefined {
  if (!o.name) return undefined;
  const { group } = parseApiVersion(o.apiVersion ?? 'v1');
  const r = byKind(group, o.kind);
  if (!r) return undefined;
  return detailsRoute({ group: r.group, version: r.version, resource: r.resource }, r.namespaced ? o.namespace : undefined, o.name);
}
