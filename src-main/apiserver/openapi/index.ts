/**
 * kubesim's OpenAPI: /openapi/v2 (JSON and gnostic protobuf), /openapi/v3 (index and per
 * group-version documents) and server-side field validation, from definitions generated at build
 * time by scripts/gen-openapi.mjs.
 *
 * What lives here: schema data and pure functions over it. Knows nothing of sockets: the API
 * server router calls `openapiHandler` and writes what it returns.
 * May import: ../../api (read-only types and registry), node:crypto. Must not import storage,
 * controllers or anything Electron.
 */
import { ALL_KINDS } from '../../api/registry';
import { createOpenAPIHandler, type OpenAPIHandler } from './handler';
import type { OpenAPIResource } from './paths';

export { createOpenAPIHandler, parseAccept } from './handler';
export type { OpenAPIHandler, OpenAPIResponse, OpenAPIRequestHeaders } from './handler';
export type { OpenAPIResource } from './paths';
export { OpenAPIDocuments } from './documents';
export { definitions, definitionFor, definitionNameFor, type Schema, type GVK } from './schemas';
export {
  parseFieldValidation,
  unknownFields,
  unknownFieldErrors,
  duplicateFields,
  strictDecodingError,
  strictDecodingCreateMessage,
  strictDecodingPatchCause,
  strictDecodingApplyMessage,
  typedPatchErrorMessage,
  warningHeaderValue,
  goMapString,
  type FieldValidationDirective,
} from './field-validation';

let defaultHandler: ReturnType<typeof createOpenAPIHandler> | undefined;
let serverVersion = 'v1.32.0';

/** Sets `info.version` of the documents (the server's gitVersion); rebuilds them on next use. */
export function setOpenAPIServerVersion(version: string): void {
  serverVersion = version;
  defaultHandler = undefined;
}

/** Call when the served kinds change (documents and hashes are rebuilt on next request). */
export function invalidateOpenAPI(): void {
  defaultHandler?.invalidate();
}

/**
 * The OpenAPI handler over every kind in the registry (`ALL_KINDS`), built on first use.
 * Returns undefined when `path` is not an OpenAPI path (/openapi/v2, /openapi/v3[/...]).
 */
export const openapiHandler: OpenAPIHandler = (path, query, accept, headers) => {
  if (!path.startsWith('/openapi/') && path !== '/swagger.json') return undefined;
  defaultHandler ??= createOpenAPIHandler((): readonly OpenAPIResource[] => ALL_KINDS, { serverVersion });
  return defaultHandler(path, query, accept, headers);
};

/** Names cluster-start.ts wires into the ServerContext (`openapi`, `unknownFields`). */
export const openapiRoutes: OpenAPIHandler = openapiHandler;
export { unknownFields as unknownFieldsOf, pruneUnknownFields } from './field-validation';
