/**
 * API errors as Kubernetes Status objects, with upstream reasons and messages
 * (k8s.io/apimachinery/pkg/api/errors). Throw a StatusError anywhere below the
 * apiserver; it turns into the HTTP response unchanged.
 */
import type { Status, StatusCause, StatusDetails } from './types';
import { type FieldError, fieldErrorMessage } from './field-errors';

export class StatusError extends Error {
  readonly status: Status;
  constructor(code: number, reason: string, message: string, details?: StatusDetails) {
    super(message);
    this.name = 'StatusError';
    this.status = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason: reason || undefined,
      details,
      code,
    };
  }
  get code(): number {
    return this.status.code;
  }
  get reason(): string | undefined {
    return this.status.reason;
  }
}

/** `pods`, `deployments.apps`: the resource as errors name it. */
export function qualifiedResource(group: string, resource: string): string {
  return group ? `${resource}.${group}` : resource;
}

export function notFound(group: string, resource: string, name: string): StatusError {
  return new StatusError(404, 'NotFound', `${qualifiedResource(group, resource)} "${name}" not found`, { name, group: group || undefined, kind: resource });
}

/** The 404 for a URL that names nothing the server serves. */
export function pathNotFound(): StatusError {
  return new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function alreadyExists(group: string, resource: string, name: string): StatusError {
  return new StatusError(409, 'AlreadyExists', `${qualifiedResource(group, resource)} "${name}" already exists`, { name, group: group || undefined, kind: resource });
}

export function generateNameConflict(group: string, resource: string, name: string): StatusError {
  return new StatusError(
    409,
    'AlreadyExists',
    `${qualifiedResource(group, resource)} "${name}" already exists, the server was not able to generate a unique name for the object`,
    { name, group: group || undefined, kind: resource, retryAfterSeconds: 1 },
  );
}

export function conflict(group: string, resource: string, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again'): StatusError {
  return new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(group, resource)} "${name}": ${why}`, { name, group: group || undefined, kind: resource });
}

/** 422 Invalid: `Deployment.apps "x" is invalid: [a, b]`, with one cause per field error. */
export function invalid(group: string, kind: string, name: string, errs: FieldError[]): StatusError {
  const causes: StatusCause[] = errs.map((e) => ({ reason: e.type, message: fieldErrorMessage(e).slice(e.field.length + 2), field: e.field }));
  const msgs = errs.map(fieldErrorMessage);
  const agg = msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`;
  const qkind = group ? `${kind}.${group}` : kind;
  return new StatusError(422, 'Invalid', `${qkind} "${name}" is invalid: ${agg}`, { name, group: group || undefined, kind, causes });
}

export function badRequest(message: string): StatusError {
  return new StatusError(400, 'BadRequest', message);
}

export function unauthorized(): StatusError {
  return new StatusError(401, 'Unauthorized', 'Unauthorized');
}

export function forbidden(group: string, resource: string, name: string | undefined, why: string): StatusError {
  const q = qualifiedResource(group, resource);
  const msg = name ? `${q} "${name}" is forbidden: ${why}` : `${q} is forbidden: ${why}`;
  return new StatusError(403, 'Forbidden', msg, { name, group: group || undefined, kind: resource });
}

export function methodNotSupported(group: string, resource: string, action: string): StatusError {
  return new StatusError(405, 'MethodNotAllowed', `${action} is not supported on resources of kind "${qualifiedResource(group, resource)}"`, { group: group || undefined, kind: resource });
}

export function gone(message: string): StatusError {
  return new StatusError(410, 'Expired', message);
}

export function unsupportedMediaType(contentType: string): StatusError {
  return new StatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`.replace('unknown format', contentType ? `unknown format "${contentType}"` : 'unknown format'));
}

export function notAcceptable(accept: string): StatusError {
  return new StatusError(406, 'NotAcceptable', `only the following media types are accepted: application/json, application/yaml, application/json;stream=watch (requested ${accept})`);
}

export function tooLarge(): StatusError {
  return new StatusError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
}

export function tooManyRequests(message: string): StatusError {
  return new StatusError(429, 'TooManyRequests', `Too many requests: ${message}`, { retryAfterSeconds: 1 });
}

export function internalError(err: unknown): StatusError {
  const text = err instanceof Error ? err.message : String(err);
  return new StatusError(500, 'InternalError', `Internal error occurred: ${text}`, { causes: [{ message: text }] });
}

export function serviceUnavailable(message: string): StatusError {
  return new StatusError(503, 'ServiceUnavailable', message);
}

export function isStatusError(e: unknown): e is StatusError {
  return e instanceof StatusError;
}
