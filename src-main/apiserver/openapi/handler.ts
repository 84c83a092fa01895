/**
 * HTTP-free request handling for /openapi/v2 and /openapi/v3[/...], as kube-apiserver answers them
 * (k8s.io/kube-openapi handler and handler3):
 *  - /openapi/v3: the index, `{"paths": {"<key>": {"serverRelativeURL": "/openapi/v3/<key>?hash=<ETAG>"}}}`;
 *  - /openapi/v3/<key>: JSON for `application/json` (or any wildcard), 406 for anything else
 *    (kubesim does not encode the v3 protobuf form; kubectl asks v3 in JSON); with `?hash=` equal to
 *    the document's ETag the response is `Cache-Control: public, immutable` with a one-year
 *    `Expires`, with a stale hash a 301 to the current URL;
 *  - /openapi/v2: JSON for `application/json`, the gnostic protobuf form for
 *    `application/com.github.proto-openapi.spec.v2@v1.0+protobuf` (see protobuf.ts), 406 otherwise.
 * `If-None-Match` with the current ETag gives 304. The caller (the API server router) writes
 * the result; `undefined` means "not an OpenAPI path".
 */
import { OpenAPIDocuments, type BuiltDocument, type DocumentOptions } from './documents';
import type { OpenAPIResource } from './paths';
import { encodeOpenAPIv2Protobuf } from './protobuf';

export interface OpenAPIResponse {
  status: number;
  contentType: string;
  body: Buffer | string;
  headers?: Record<string, string>;
}

export interface OpenAPIRequestHeaders {
  /** The `If-None-Match` request header. */
  ifNoneMatch?: string;
}

export type OpenAPIHandler = (path: string, query: URLSearchParams, accept: string | undefined, headers?: OpenAPIRequestHeaders) => OpenAPIResponse | undefined;

const V2_PROTOBUF_TYPES = ['application/com.github.proto-openapi.spec.v2@v1.0+protobuf', 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf'];

interface AcceptClause {
  type: string;
  subtype: string;
  q: number;
}

/** Parses an Accept header into clauses, highest q first (stable). */
export function parseAccept(accept: string | undefined): AcceptClause[] {
  const value = accept && accept.trim() ? accept : '*/*';
  const clauses: AcceptClause[] = [];
  for (const part of value.split(',')) {
    const [mt, ...params] = part.trim().split(';');
    const [type, subtype = '*'] = mt.trim().toLowerCase().split('/');
    let q = 1;
    for (const p of params) {
      const [k, v] = p.trim().split('=');
      if (k === 'q') q = Number(v);
    }
    if (type && q > 0) clauses.push({ type, subtype, q });
  }
  return clauses.map((c, i) => ({ c, i })).sort((a, b) => b.c.q - a.c.q || a.i - b.i).map((x) => x.c);
}

function matches(clause: AcceptClause, mediaType: string): boolean {
  const [type, subtype] = mediaType.split('/');
  return (clause.type === '*' || clause.type === type) && (clause.subtype === '*' || clause.subtype === subtype);
}

function notModified(doc: BuiltDocument, headers: OpenAPIRequestHeaders | undefined): boolean {
  const inm = headers?.ifNoneMatch;
  if (!inm) return false;
  return inm.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '');
    return tag === '*' || tag === `"${doc.etag}"`;
  });
}

const notAcceptable = (): OpenAPIResponse => ({ status: 406, contentType: 'text/plain; charset=utf-8', body: '' });
const notFound = (): OpenAPIResponse => ({ status: 404, contentType: 'text/plain; charset=utf-8', body: '404 page not found\n' });

/**
 * Creates the handler for a set of served resources. `resources` is read on the first OpenAPI
 * request (so the registry can be filled after start-up); call `invalidate()` on the returned
 * handler if it changes later.
 */
export function createOpenAPIHandler(
  resources: () => readonly OpenAPIResource[],
  options: DocumentOptions & { now?: () => Date } = {},
): OpenAPIHandler & { documents: OpenAPIDocuments; invalidate(): void } {
  const docs = new OpenAPIDocuments(resources, options);
  const now = options.now ?? (() => new Date());
  let v2Protobuf: Buffer | undefined;

  const handler = (path: string, query: URLSearchParams, accept: string | undefined, headers?: OpenAPIRequestHeaders): OpenAPIResponse | undefined => {
    const p = path.length > 1 ? path.replace(/\/+$/, '') : path;
    if (p === '/openapi/v2' || p === '/swagger.json') {
      const doc = docs.v2Document();
      const etagHeader = { ETag: `"${doc.etag}"`, Vary: 'Accept' };
      for (const clause of parseAccept(accept)) {
        if (matches(clause, 'application/json')) {
          if (notModified(doc, headers)) return { status: 304, contentType: 'application/json', body: '', headers: etagHeader };
          return { status: 200, contentType: 'application/json', body: doc.json, headers: etagHeader };
        }
        const pb = V2_PROTOBUF_TYPES.find((t) => matches(clause, t) && clause.subtype !== '*');
        if (pb) {
          if (notModified(doc, headers)) return { status: 304, contentType: V2_PROTOBUF_TYPES[1], body: '', headers: etagHeader };
          v2Protobuf ??= encodeOpenAPIv2Protobuf(doc.object);
          return { status: 200, contentType: V2_PROTOBUF_TYPES[1], body: v2Protobuf, headers: etagHeader };
        }
      }
      return notAcceptable();
    }
    if (p === '/openapi/v3') {
      const doc = docs.v3IndexDocument();
      const h = { ETag: `"${doc.etag}"` };
      if (notModified(doc, headers)) return { status: 304, contentType: 'application/json', body: '', headers: h };
      return { status: 200, contentType: 'application/json', body: doc.json, headers: h };
    }
    if (!p.startsWith('/openapi/v3/')) return undefined;
    const key = p.slice('/openapi/v3/'.length);
    const doc = docs.v3Document(key);
    if (!doc) return notFound();
    if (!parseAccept(accept).some((c) => matches(c, 'application/json'))) return { ...notAcceptable(), headers: { Vary: 'Accept' } };
    const h: Record<string, string> = { ETag: `"${doc.etag}"`, Vary: 'Accept' };
    const hash = query.get('hash');
    if (hash) {
      if (hash !== doc.etag) {
        return { status: 301, contentType: 'text/html; charset=utf-8', body: '', headers: { ...h, Location: `/openapi/v3/${key}?hash=${doc.etag}` } };
      }
      h['Cache-Control'] = 'public, immutable';
      const expires = now();
      expires.setFullYear(expires.getFullYear() + 1);
      h.Expires = expires.toUTCString();
    }
    if (notModified(doc, headers)) return { status: 304, contentType: 'application/json', body: '', headers: h };
    return { status: 200, contentType: 'application/json', body: doc.json, headers: h };
  };
  return Object.assign(handler, {
    documents: docs,
    invalidate(): void {
      docs.invalidate();
      v2Protobuf = undefined;
    },
  });
}
