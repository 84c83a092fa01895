/**
 * Storage keys, as described in `types.ts`:
 * `/registry/<group or "core">/<resource>/<namespace>/<name>` (namespaced) and
 * `/registry/<group or "core">/<resource>/<name>` (cluster-scoped). Prefixes end in `/`, so the
 * prefix of namespace `default` never matches objects of namespace `default2`.
 */

function segment(what: string, v: string): string {
  if (v === '' || v.includes('/')) throw new Error(`storage key: ${what} ${JSON.stringify(v)} must be non-empty and must not contain "/"`);
  return v;
}

/** The key of one object. `namespace` undefined or '' for cluster-scoped objects. */
export function storageKey(group: string, resource: string, namespace: string | undefined, name: string): string {
  const base = storagePrefix(group, resource);
  return namespace ? `${base}${segment('namespace', namespace)}/${segment('name', name)}` : `${base}${segment('name', name)}`;
}

/** The prefix of all objects of a resource, or of one namespace of it. Always ends in `/`. */
export function storagePrefix(group: string, resource: string, namespace?: string): string {
  const base = `/registry/${group === '' ? 'core' : segment('group', group)}/${segment('resource', resource)}/`;
  return namespace ? `${base}${segment('namespace', namespace)}/` : base;
}
