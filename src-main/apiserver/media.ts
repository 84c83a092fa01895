/**
 * Content negotiation: request bodies (JSON, YAML) and what the client accepts (plain JSON,
 * Tables, partial object metadata, watch streams).
 */
import { parseDocument, isDocument } from 'yaml';
import { badRequest, unsupportedMediaType } from '../api/errors';
import { lineColumn, locateJsonError } from './json-position';
import { decodeKubernetesProtobuf, isKubernetesProtobuf } from './protobuf';

export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export type BodyFormat = 'json' | 'yaml' | 'protobuf' | 'json-patch' | 'merge-patch' | 'strategic-merge-patch' | 'apply-patch';

/** Maps a Content-Type to the body format, or throws 415. */
export function bodyFormat(contentType: string | undefined, allowed: BodyFormat[]): BodyFormat {
  const ct = (contentType ?? '').split(';')[0].trim().toLowerCase();
  const map: Record<string, BodyFormat> = {
    '': 'json',
    'application/json': 'json',
    'application/yaml': 'yaml',
    'application/x-yaml': 'yaml',
    'text/yaml': 'yaml',
    'application/json-patch+json': 'json-patch',
    'application/merge-patch+json': 'merge-patch',
    'application/strategic-merge-patch+json': 'strategic-merge-patch',
    'application/apply-patch+yaml': 'apply-patch',
    'application/apply-patch+cbor': 'apply-patch',
  };
  // Kubernetes protobuf (kubectl 1.32+ typed-client writes) is accepted wherever JSON is.
  if (isKubernetesProtobuf(contentType) && allowed.includes('json')) return 'protobuf';
  const f = map[ct];
  if (!f || !allowed.includes(f)) {
    if (ct === 'application/vnd.kubernetes.protobuf') {
      throw unsupportedMediaType(ct);
    }
    throw unsupportedMediaType(ct);
  }
  return f;
}

/** Parses JSON with an error that names where it broke, as a 400 BadRequest. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const where = locateJsonError(text);
    if (where) {
      const p = lineColumn(text, where.offset);
      throw badRequest(`json: ${where.message} at line ${p.line}, column ${p.column} (offset ${where.offset})`);
    }
    throw badRequest(`json: cannot parse request body: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export function parseYaml(text: string): unknown {
  const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
  if (!isDocument(doc)) throw badRequest('yaml: empty document');
  if (doc.errors.length) {
    const err = doc.errors[0];
    const p = lineColumn(text, err.pos[0]);
    throw badRequest(`error converting YAML to JSON: yaml: line ${p.line}, column ${p.column}: ${err.message.split('\n')[0]}`);
  }
  return doc.toJS({ maxAliasCount: 100 });
}

/** Objects decodeBody made from bytes: nobody else holds them, so writes need not copy them. */
const decoded = new WeakSet<object>();

/** True for a value decodeBody parsed from request bytes (not an in-process caller's object). */
export function isDecodedBody(v: unknown): boolean {
  return typeof v === 'object' && v !== null && decoded.has(v);
}

/** Decodes a request body into a value. Buffers are parsed per format; objects pass through. */
export function decodeBody(body: Buffer | object | undefined, format: BodyFormat): unknown {
  if (body === undefined) throw badRequest('the body of the request was empty');
  if (!Buffer.isBuffer(body)) return body;
  const v = decodeBytes(body, format);
  if (typeof v === 'object' && v !== null) decoded.add(v);
  return v;
}

function decodeBytes(body: Buffer, format: BodyFormat): unknown {
  if (body.length === 0) throw badRequest('the body of the request was empty');
  if (format === 'protobuf') return decodeKubernetesProtobuf(body).object;
  const text = body.toString('utf8');
  if (format === 'yaml' || format === 'apply-patch') {
    const trimmed = text.trimStart();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) return parseJson(text);
    return parseYaml(text);
  }
  return parseJson(text);
}

export interface AcceptInfo {
  table: boolean;
  partialMetadata: boolean;
  yaml: boolean;
  protobufOnly: boolean;
}

/** Parsed Accept headers (clients send the same few over and over); bounded. */
const accepts = new Map<string, AcceptInfo>();

/** Reads an Accept header such as `application/json;as=Table;v=v1;g=meta.k8s.io,application/json`: the first range the server can produce wins. */
export function parseAccept(accept: string | undefined): AcceptInfo {
  if (!accept) return { table: false, partialMetadata: false, yaml: false, protobufOnly: false };
  let a = accepts.get(accept);
  if (!a) {
    a = parseAcceptHeader(accept);
    if (accepts.size >= 256) accepts.clear();
    accepts.set(accept, a);
  }
  // A copy: callers own what they get.
  return { ...a };
}

function parseAcceptHeader(accept: string): AcceptInfo {
  const out: AcceptInfo = { table: false, partialMetadata: false, yaml: false, protobufOnly: false };
  if (!accept) return out;
  const ranges = accept.split(',').map((r) => r.trim()).filter(Boolean);
  for (const r of ranges) {
    const [type, ...params] = r.split(';').map((x) => x.trim());
    const p = new Map(params.map((kv) => kv.split('=').map((x) => x.trim()) as [string, string]));
    const isJsonish = type === 'application/json' || type === '*/*' || type === 'application/*' || type === 'application/yaml';
    if (!isJsonish) continue;
    const as = p.get('as');
    if (as === 'Table') {
      if ((p.get('g') ?? 'meta.k8s.io') !== 'meta.k8s.io') continue;
      out.table = true;
      return out;
    }
    if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') {
      out.partialMetadata = true;
      return out;
    }
    if (as) continue;
    out.yaml = type === 'application/yaml';
    return out;
  }
  out.protobufOnly = ranges.length > 0 && ranges.every((r) => r.startsWith('application/vnd.kubernetes.protobuf'));
  return out;
}
