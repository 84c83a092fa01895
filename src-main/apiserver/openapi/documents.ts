/**
 * Builds kubesim's OpenAPI documents from the generated definitions and the served resources:
 *  - OpenAPI v3, one document per group-version (`api/v1`, `apis/apps/v1`, ...) plus `api`, `apis`
 *    and `apis/<group>` discovery documents, as kube-apiserver serves them under /openapi/v3/;
 *  - Swagger 2.0 for /openapi/v2 (all group-versions in one document).
 * Documents are built lazily and cached with their ETag (upstream: SHA-512 of the JSON, upper-case hex).
 */
import { createHash } from 'node:crypto';
import { closure, definitions, definitionNameFor, groupVersionRoots, SCHEMA_REF_PREFIX, type Schema } from './schemas';
import { GENERIC_OBJECT, groupTag, groupVersionPath, resourcePaths, type OpenAPIResource, type Operation, type Param, type PathItem } from './paths';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

export interface BuiltDocument {
  json: string;
  /** Upper-case hex SHA-512 of `json`: the `hash` in serverRelativeURL and the ETag. */
  etag: string;
}

export interface DocumentOptions {
  /** `info.version`, e.g. `v1.33.0`. */
  serverVersion?: string;
}

type JsonObject = { [k: string]: unknown };

const JSON_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const LIST_TYPES = [...JSON_TYPES, 'application/json;stream=watch', 'application/vnd.kubernetes.protobuf;stream=watch'];
const PATCH_TYPES = ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'];

const RESPONSE_TEXT: Record<string, string> = { '200': 'OK', '201': 'Created', '202': 'Accepted', '401': 'Unauthorized' };

export function etagOf(json: string): string {
  return createHash('sha512').update(json).digest('hex').toUpperCase();
}

/** The document key of a group-version: `api/v1`, `apis/apps/v1`. */
export function gvKey(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

export class OpenAPIDocuments {
  private v3 = new Map<string, BuiltDocument>();
  private v3Index: BuiltDocument | undefined;
  private v2: (BuiltDocument & { object: Record<string, unknown> }) | undefined;
  private resourcesCache: OpenAPIResource[] | undefined;

  constructor(
    private readonly source: () => readonly OpenAPIResource[],
    private readonly options: DocumentOptions = {},
  ) {}

  private resources(): OpenAPIResource[] {
    this.resourcesCache ??= [...this.source()];
    return this.resourcesCache;
  }

  /** Forget built documents (call when the set of served resources changes). */
  invalidate(): void {
    this.v3.clear();
    this.v3Index = undefined;
    this.v2 = undefined;
    this.resourcesCache = undefined;
  }

  /** Group-versions served, core first, then groups in the order resources are listed. */
  groupVersions(): { group: string; version: string }[] {
    const seen = new Map<string, { group: string; version: string }>();
    for (const r of this.resources()) {
      const k = gvKey(r.group, r.version);
      if (!seen.has(k)) seen.set(k, { group: r.group, version: r.version });
    }
    return [...seen.values()];
  }

  /** Every key /openapi/v3 lists: `api`, `apis`, `api/v1`, `apis/<group>`, `apis/<group>/<version>`. */
  v3Keys(): string[] {
    const keys = new Set<string>(['api', 'apis']);
    for (const { group, version } of this.groupVersions()) {
      if (group) keys.add(`apis/${group}`);
      keys.add(gvKey(group, version));
    }
    return [...keys];
  }

  /** A /openapi/v3/<key> document, or undefined for an unknown key. */
  v3Document(key: string): BuiltDocument | undefined {
    const cached = this.v3.get(key);
    if (cached) return cached;
    const doc = this.buildV3(key);
    if (!doc) return undefined;
    const json = JSON.stringify(doc);
    const built = { json, etag: etagOf(json) };
    this.v3.set(key, built);
    return built;
  }

  /** The /openapi/v3 index: `{"paths": {"api/v1": {"serverRelativeURL": "/openapi/v3/api/v1?hash=..."}}}`. */
  v3IndexDocument(): BuiltDocument {
    if (this.v3Index) return this.v3Index;
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const key of this.v3Keys().sort()) {
      const d = this.v3Document(key);
      if (d) paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${d.etag}` };
    }
    const json = JSON.stringify({ paths });
    this.v3Index = { json, etag: etagOf(json) };
    return this.v3Index;
  }

  /** The Swagger 2.0 document of /openapi/v2 (`object` is the parsed form; treat as read-only). */
  v2Document(): BuiltDocument & { object: Record<string, unknown> } {
    if (this.v2) return this.v2;
    const object = this.buildV2();
    const json = JSON.stringify(object);
    this.v2 = { json, etag: etagOf(json), object };
    return this.v2;
  }

  private defLookup = (group: string, version: string, kind: string): string | undefined => definitionNameFor(group, version, kind);

  private pathItemsFor(resources: OpenAPIResource[]): PathItem[] {
    const items: PathItem[] = [];
    for (const r of resources) items.push(...resourcePaths(r, this.defLookup));
    return items;
  }

  private info(): JsonObject {
    return { title: 'Kubernetes', version: this.options.serverVersion ?? 'unversioned' };
  }

  private buildV3(key: string): JsonObject | undefined {
    let items: PathItem[];
    let roots: string[];
    let tag: string;
    if (key === 'api') {
      tag = 'core';
      items = [discoveryPath('/api/', 'getCoreAPIVersions', 'get available API versions', `${META}.APIVersions`, tag)];
      roots = [`${META}.APIVersions`];
    } else if (key === 'apis') {
      tag = 'apis';
      items = [discoveryPath('/apis/', 'getAPIVersions', 'get available API versions', `${META}.APIGroupList`, tag)];
      roots = [`${META}.APIGroupList`];
    } else {
      const m = /^(?:api\/([^/]+)|apis\/([^/]+)(?:\/([^/]+))?)$/.exec(key);
      if (!m) return undefined;
      if (m[2] && !m[3]) {
        const group = m[2];
        if (!this.groupVersions().some((gv) => gv.group === group)) return undefined;
        const id = groupTag(group, '').replace(/_$/, '');
        tag = id;
        items = [discoveryPath(`/apis/${group}/`, `get${id.charAt(0).toUpperCase()}${id.slice(1)}APIGroup`, 'get information of a group', `${META}.APIGroup`, tag)];
        roots = [`${META}.APIGroup`];
      } else {
        const group = m[1] !== undefined ? '' : m[2];
        const version = m[1] ?? m[3];
        const resources = this.resources().filter((r) => r.group === group && r.version === version);
        if (!resources.length) return undefined;
        tag = groupTag(group, version);
        items = [
          discoveryPath(`${groupVersionPath(group, version)}/`, `get${tag.replace(/_(.)/, (_, c: string) => c.toUpperCase()).replace(/^./, (c) => c.toUpperCase())}APIResources`, 'get available resources', `${META}.APIResourceList`, tag),
          ...this.pathItemsFor(resources),
        ];
        roots = [...groupVersionRoots(group ? `${group}/${version}` : version), `${META}.APIResourceList`, `${META}.Status`, `${META}.DeleteOptions`, `${META}.WatchEvent`, `${META}.Patch`];
        for (const r of resources) {
          const d = definitionNameFor(group, version, r.kind);
          if (d) roots.push(d);
          const l = definitionNameFor(group, version, `${r.kind}List`);
          if (l) roots.push(l);
          if (r.subresources?.includes('scale')) roots.push('io.k8s.api.autoscaling.v1.Scale');
          if (r.subresources?.includes('eviction')) roots.push('io.k8s.api.policy.v1.Eviction');
          if (r.subresources?.includes('binding')) roots.push('io.k8s.api.core.v1.Binding');
        }
      }
    }
    const usesGeneric = items.some((i) => i.operations.some((o) => o.body === GENERIC_OBJECT || Object.values(o.responses).includes(GENERIC_OBJECT)));
    const defs = definitions();
    const schemas: Record<string, Schema> = {};
    for (const name of closure(roots)) schemas[name] = defs[name];
    if (usesGeneric) schemas[GENERIC_OBJECT] = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    const paths: JsonObject = {};
    for (const item of items) paths[item.path] = v3PathItem(item, tag);
    return {
      openapi: '3.0.0',
      info: this.info(),
      paths,
      components: {
        schemas,
        securitySchemes: { BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' } },
      },
    };
  }

  private buildV2(): JsonObject {
    const paths: JsonObject = {};
    const roots: string[] = [`${META}.APIVersions`, `${META}.APIGroupList`, `${META}.APIGroup`, `${META}.APIResourceList`, `${META}.Status`, `${META}.DeleteOptions`, `${META}.WatchEvent`, `${META}.Patch`];
    paths['/api/'] = v2PathItem(discoveryPath('/api/', 'getCoreAPIVersions', 'get available API versions', `${META}.APIVersions`, 'core'), 'core');
    paths['/apis/'] = v2PathItem(discoveryPath('/apis/', 'getAPIVersions', 'get available API versions', `${META}.APIGroupList`, 'apis'), 'apis');
    let usesGeneric = false;
    for (const { group, version } of this.groupVersions()) {
      const tag = groupTag(group, version);
      const resources = this.resources().filter((r) => r.group === group && r.version === version);
      roots.push(...groupVersionRoots(group ? `${group}/${version}` : version));
      for (const item of this.pathItemsFor(resources)) {
        paths[item.path] = v2PathItem(item, tag);
        usesGeneric ||= item.operations.some((o) => o.body === GENERIC_OBJECT || Object.values(o.responses).includes(GENERIC_OBJECT));
      }
      for (const r of resources) {
        for (const k of [r.kind, `${r.kind}List`]) {
          const d = definitionNameFor(group, version, k);
          if (d) roots.push(d);
        }
      }
    }
    const defs = definitions();
    const out: Record<string, unknown> = {};
    for (const name of closure(roots)) out[name] = toV2Schema(defs[name]);
    if (usesGeneric) out[GENERIC_OBJECT] = { type: 'object' };
    return {
      swagger: '2.0',
      info: this.info(),
      paths,
      definitions: out,
      securityDefinitions: { BearerToken: { description: 'Bearer Token authentication', type: 'apiKey', name: 'authorization', in: 'header' } },
      security: [{ BearerToken: [] }],
    };
  }
}

function discoveryPath(path: string, operationId: string, description: string, def: string, _tag: string): PathItem {
  return {
    path,
    params: [],
    operations: [{ method: 'get', operationId, description, action: 'get', gvk: { group: '', kind: '', version: '' }, params: [], responses: { '200': def, '401': undefined } }],
  };
}

const ref3 = (name: string): JsonObject => ({ $ref: SCHEMA_REF_PREFIX + name });

function v3Param(p: Param): JsonObject {
  const out: JsonObject = { name: p.name, in: p.in, description: p.description };
  if (p.required) out.required = true;
  out.schema = { type: p.type, uniqueItems: true };
  return out;
}

function v3PathItem(item: PathItem, tag: string): JsonObject {
  const out: JsonObject = {};
  for (const op of item.operations) {
    const o: JsonObject = { tags: [tag], description: op.description, operationId: op.operationId };
    if (op.params.length) o.parameters = op.params.map(v3Param);
    if (op.body) {
      const types = op.patchTypes ? PATCH_TYPES : ['*/*'];
      const body: JsonObject = { content: Object.fromEntries(types.map((t) => [t, { schema: ref3(op.body as string) }])) };
      if (op.bodyRequired) body.required = true;
      o.requestBody = body;
    }
    const responses: JsonObject = {};
    for (const [code, def] of Object.entries(op.responses)) {
      const r: JsonObject = { description: RESPONSE_TEXT[code] ?? code };
      if (def) {
        const types = op.action === 'list' ? LIST_TYPES : op.action === 'watch' || op.action === 'watchlist' ? ['application/json', 'application/json;stream=watch', 'application/vnd.kubernetes.protobuf', 'application/vnd.kubernetes.protobuf;stream=watch', 'application/yaml'] : JSON_TYPES;
        r.content = Object.fromEntries(types.map((t) => [t, { schema: ref3(def) }]));
      } else if (op.textResponse && code === '200') {
        r.content = { '*/*': { schema: { type: 'string' } } };
      }
      responses[code] = r;
    }
    o.responses = responses;
    if (op.gvk.kind) {
      o['x-kubernetes-action'] = op.action;
      o['x-kubernetes-group-version-kind'] = op.gvk;
    }
    out[op.method] = o;
  }
  if (item.params.length) out.parameters = item.params.map(v3Param);
  return out;
}

function v2Param(p: Param): JsonObject {
  const out: JsonObject = { uniqueItems: true, type: p.type, description: p.description, name: p.name, in: p.in };
  if (p.required) out.required = true;
  return out;
}

function v2PathItem(item: PathItem, tag: string): JsonObject {
  const out: JsonObject = {};
  for (const op of item.operations) {
    const o: JsonObject = {
      description: op.description,
      consumes: op.patchTypes ? PATCH_TYPES : ['*/*'],
      produces: op.textResponse ? ['text/plain', 'application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'] : op.action === 'list' || op.action === 'watch' || op.action === 'watchlist' ? LIST_TYPES : JSON_TYPES,
      schemes: ['https'],
      tags: [tag],
      operationId: op.operationId,
    };
    const params: JsonObject[] = [];
    if (op.body) {
      const b: JsonObject = { name: 'body', in: 'body', schema: { $ref: `#/definitions/${op.body}` } };
      if (op.bodyRequired) b.required = true;
      params.push(b);
    }
    params.push(...op.params.map(v2Param));
    if (params.length) o.parameters = params;
    const responses: JsonObject = {};
    for (const [code, def] of Object.entries(op.responses)) {
      const r: JsonObject = { description: RESPONSE_TEXT[code] ?? code };
      if (def) r.schema = { $ref: `#/definitions/${def}` };
      else if (op.textResponse && code === '200') r.schema = { type: 'string' };
      responses[code] = r;
    }
    o.responses = responses;
    if (op.gvk.kind) {
      o['x-kubernetes-action'] = op.action;
      o['x-kubernetes-group-version-kind'] = op.gvk;
    }
    out[op.method] = o;
  }
  if (item.params.length) out.parameters = item.params.map(v2Param);
  return out;
}

/** A v3-flavoured definition in Swagger 2.0 form: `#/definitions/` refs, no oneOf, allOf[$ref] flattened. */
export function toV2Schema(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(toV2Schema);
  if (typeof s !== 'object' || s === null) return s;
  const src = s as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  if (Array.isArray(src.oneOf) && !src.type) {
    // Quantity and IntOrString: a string in Swagger 2.0
    out.type = 'string';
  }
  for (const [k, v] of Object.entries(src)) {
    if (k === 'oneOf') continue;
    if (k === 'allOf' && Array.isArray(v) && v.length === 1 && typeof v[0] === 'object' && v[0] !== null && '$ref' in v[0]) {
      out.$ref = String((v[0] as Record<string, unknown>).$ref).replace(SCHEMA_REF_PREFIX, '#/definitions/');
      continue;
    }
    if (k === '$ref' && typeof v === 'string') {
      out.$ref = v.replace(SCHEMA_REF_PREFIX, '#/definitions/');
      continue;
    }
    out[k] = typeof v === 'string' && v.startsWith(SCHEMA_REF_PREFIX) ? v.replace(SCHEMA_REF_PREFIX, '#/definitions/') : toV2Schema(v);
  }
  if (out.$ref && 'default' in out) delete out.default;
  return out;
}
