/**
 * An API server's refusal of a wizard's create → errors on the form's fields (an Invalid answer's
 * causes; AlreadyExists on the name; a missing namespace on the namespace) and the rest as text.
 */
import { ApiError } from '../../api/kube';
import type { StatusCause } from '../../api/types';

export interface FormFailure {
  fields: Record<string, string>;
  other: string[];
}

export function formFailure(e: unknown, fieldFor: (cause: StatusCause) => string | undefined): FormFailure {
  const fields: Record<string, string> = {};
  const other: string[] = [];
  if (!(e instanceof ApiError)) return { fields, other: [e instanceof Error ? e.message : String(e)] };
  const causes = e.details?.causes ?? [];
  if (e.reason === 'AlreadyExists') fields.name = e.message;
  else if (e.code === 404 && e.details?.kind === 'namespaces') fields.namespace = e.message;
  else if (causes.length) {
    for (const c of causes) {
      const k = fieldFor(c);
      const text = c.message ?? c.reason ?? 'invalid';
      if (k) fields[k] = fields[k] ? `${fields[k]}; ${text}` : text;
      else other.push(c.field ? `${c.field}: ${text}` : text);
    }
    if (!other.length && !Object.keys(fields).length) other.push(e.message);
  } else other.push(e.message);
  return { fields, other };
}
