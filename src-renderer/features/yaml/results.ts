/**
 * What kubectl prints per object: `deployment.apps/web created`, `service/web configured`,
 * `configmap/x unchanged`, `deployment.apps/web edited` (lower-case kind, `.group` unless core).
 */
export type ApplyOutcome = 'created' | 'configured' | 'unchanged';

/** `deployment.apps/web`, `service/web`. */
export function objectRef(apiVersion: string, kind: string, name: string): string {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  return `${kind.toLowerCase()}${group ? `.${group}` : ''}/${name}`;
}

/**
 * From the resourceVersion before (undefined: the object did not exist) and after the apply:
 * a server-side apply that changes nothing leaves the resourceVersion as it was.
 */
export function applyOutcome(before: string | undefined, after: string | undefined): ApplyOutcome {
  if (before === undefined) return 'created';
  return before === after ? 'unchanged' : 'configured';
}

export function resultLine(ref: string, outcome: ApplyOutcome | 'edited'): string {
  return `${ref} ${outcome}`;
}
