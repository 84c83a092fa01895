/**
 * The API server's request pipeline, independent of HTTP: routes an `ApiRequest` to discovery,
 * health, OpenAPI, or a resource verb, and turns every failure into a Status response.
 */
import type { ApiHandler, ApiRequest, ApiResponse } from './types';
import type { ServerContext } from './context';
import type { ResourceDef } from '../api/resource';
import { servedVerbs } from '../api/resource';
import { StatusError, badRequest, internalError, methodNotSupported, notAcceptable, pathNotFound } from '../api/errors';
import { parseRequestInfo, type ResourceRequestInfo } from './request-info';
import { bodyFormat, decodeBody, parseAccept } from './media';
import { aggregatedDiscovery, apiGroup, apiGroupList, apiResourceList, apiVersions, wantsAggregated } from './discovery';
import { writeOptions } from './rest/options';
import { createObject, deleteObject, updateObject, type DeleteOptions } from './rest/write';
import { getObject, listObjects, renderList } from './rest/read';
import { startWatch } from './rest/watch';
import { podLog } from './rest/pod-log';
import { proxyRequest } from './rest/proxy';
import { bindPod, evictPod, getScale, streamingNotReady, updateScale } from './rest/subresources';
import { isStreamingSubresource, streamingWithoutUpgrade } from './streaming/location';
import { patchObject, patchScale } from './rest/patch';
import { isObject } from '../api/types';
import { parseAccept as accepts } from './media';
import { metricsRoute } from './metrics/serve';
import { metricsAggregatedGroup, metricsApiGroup } from './metrics/discovery';

function obj(status: number, body: unknown, headers?: Record<string, string>): ApiResponse {
  return { type: 'object', status, body, headers };
}

function statusResponse(e: StatusError): ApiResponse {
  return obj(e.status.code, e.status);
}

const HEALTH_CHECKS = ['ping', 'log', 'etcd', 'poststarthook/start-apiserver-admission-initializer', 'poststarthook/generic-apiserver-start-informers'];

function health(path: string, query: URLSearchParams): ApiResponse {
  const base = path.replace(/^\//, '').split('/')[0];
  if (query.has('verbose')) {
    const lines = HEALTH_CHECKS.map((c) => `[+]${c} ok`);
    return { type: 'raw', status: 200, contentType: 'text/plain; charset=utf-8', body: `${lines.join('\n')}\n${base} check passed\n` };
  }
  return { type: 'raw', status: 200, contentType: 'text/plain; charset=utf-8', body: 'ok' };
}

function rootPaths(ctx: ServerContext): unknown {
  const paths = ['/api', '/api/v1', '/apis', '/apis/'];
  for (const g of ctx.registry.groups()) {
    if (!g) continue;
    paths.push(`/apis/${g}`);
    for (const v of ctx.registry.versions(g)) paths.push(`/apis/${g}/${v}`);
  }
  // metrics.k8s.io (apiserver/metrics), when a metrics-server runs
  if (ctx.metrics) paths.push('/apis/metrics.k8s.io', '/apis/metrics.k8s.io/v1beta1');
  paths.push('/healthz', '/livez', '/openapi/v2', '/openapi/v3', '/openapi/v3/', '/readyz', '/version');
  return { paths: paths.sort() };
}

function nonResource(ctx: ServerContext, req: ApiRequest, path: string): ApiResponse {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    if (['/healthz', '/livez', '/readyz', '/version', '/api', '/apis', '/'].includes(path)) {
      throw new StatusError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
    }
    throw pathNotFound();
  }
  const accept = req.headers.accept;
  const p = path.length > 1 ? path.replace(/\/+$/, '') : path;
  if (p === '/healthz' || p === '/livez' || p === '/readyz' || /^\/(healthz|livez|readyz)\/[a-z/-]+$/.test(p)) return health(p, req.query);
  if (p === '/version') return obj(200, ctx.version);
  if (p === '/') return obj(200, rootPaths(ctx));
  if (p === '/api' || p === '/apis') {
    const agg = wantsAggregated(accept);
    if (agg) {
      // metrics.k8s.io: served by apiserver/metrics when the cluster runs a metrics-server
      return obj(200, aggregatedDiscovery(ctx.registry, p === '/api', agg, ctx.metrics ? [metricsAggregatedGroup()] : []), {
        'content-type': `application/json;g=apidiscovery.k8s.io;v=${agg};as=APIGroupDiscoveryList`,
      });
    }
    return obj(200, p === '/api' ? apiVersions() : apiGroupList(ctx.registry, ctx.metrics ? [metricsApiGroup()] : []));
  }
  const parts = p.split('/').filter(Boolean);
  if (parts[0] === 'api' && parts.length === 2) {
    const list = apiResourceList(ctx.registry, '', parts[1]);
    if (list) return obj(200, list);
  }
  if (parts[0] === 'apis' && parts.length === 2) {
    if (ctx.registry.groups().includes(parts[1]) && parts[1] !== '') return obj(200, apiGroup(ctx.registry, parts[1]));
  }
  if (parts[0] === 'apis' && parts.length === 3) {
    const list = apiResourceList(ctx.registry, parts[1], parts[2]);
    if (list) return obj(200, list);
  }
  if (parts[0] === 'openapi' && ctx.openapi) {
    const r = ctx.openapi(p, req.query, accept);
    if (r) return { type: 'raw', status: r.status, body: r.body, contentType: r.contentType, headers: r.headers };
  }
  throw pathNotFound();
}

function deleteOptionsFrom(req: ApiRequest): DeleteOptions {
  const q = req.query;
  const out: DeleteOptions = {};
  let body: unknown;
  if (req.body !== undefined && !(Buffer.isBuffer(req.body) && req.body.length === 0)) {
    body = decodeBody(req.body, bodyFormat(req.headers['content-type'], ['json', 'yaml']));
  }
  if (isObject(body)) {
    if (body.gracePeriodSeconds !== undefined) {
      if (typeof body.gracePeriodSeconds !== 'number') throw badRequest('gracePeriodSeconds must be an integer');
      out.gracePeriodSeconds = body.gracePeriodSeconds;
    }
    if (typeof body.propagationPolicy === 'string') out.propagationPolicy = body.propagationPolicy as DeleteOptions['propagationPolicy'];
    if (body.orphanDependents === true) out.propagationPolicy = 'Orphan';
    if (isObject(body.preconditions)) out.preconditions = body.preconditions as DeleteOptions['preconditions'];
    if (Array.isArray(body.dryRun) && body.dryRun.includes('All')) q.append('dryRun', 'All');
  }
  const g = q.get('gracePeriodSeconds');
  if (g !== null && g !== '') {
    if (!/^-?\d+$/.test(g)) throw badRequest(`gracePeriodSeconds: Invalid value: "${g}": must be an integer`);
    out.gracePeriodSeconds = Number(g);
  }
  const pp = q.get('propagationPolicy');
  if (pp) out.propagationPolicy = pp as DeleteOptions['propagationPolicy'];
  if (q.get('orphanDependents') === 'true') out.propagationPolicy = 'Orphan';
  if (out.propagationPolicy && !['Orphan', 'Background', 'Foreground'].includes(out.propagationPolicy)) {
    throw new StatusError(422, 'Invalid', `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${out.propagationPolicy}": supported values: "Foreground", "Background", "Orphan", "nil"`, { kind: 'DeleteOptions', group: 'meta.k8s.io', causes: [{ reason: 'FieldValueNotSupported', field: 'propagationPolicy', message: `Unsupported value: "${out.propagationPolicy}": supported values: "Foreground", "Background", "Orphan", "nil"` }] });
  }
  return out;
}

function decodeWriteBody(req: ApiRequest): unknown {
  return decodeBody(req.body, bodyFormat(req.headers['content-type'], ['json', 'yaml']));
}

function checkVerb(def: ResourceDef, info: ResourceRequestInfo): void {
  if (info.subresource) return;
  if (!servedVerbs(def).includes(info.verb)) {
    throw methodNotSupported(def.group, def.plural, info.verb);
  }
}

async function resource(ctx: ServerContext, req: ApiRequest, info: ResourceRequestInfo): Promise<ApiResponse> {
  const def = ctx.registry.get(info.group, info.version, info.resource);
  if (!def) throw pathNotFound();
  // A namespaced kind must be addressed in a namespace, except for list/watch across all of them.
  if (!def.namespaced && info.namespace) throw pathNotFound();
  if (def.namespaced && !info.namespace && !(info.verb === 'list' || info.verb === 'watch' || info.verb === 'deletecollection')) throw pathNotFound();
  if (def.namespaced && !info.namespace && info.verb === 'deletecollection') throw pathNotFound();
  if (info.subresource && !(def.subresources ?? []).includes(info.subresource as never)) throw pathNotFound();
  if (info.subresource && !info.name) throw pathNotFound();
  checkVerb(def, info);
  const accept = req.headers.accept;
  if (accepts(accept).protobufOnly) throw notAcceptable(accept ?? '');
  const ns = info.namespace;
  const name = info.name;
  const sub = info.subresource;

  if (sub === 'log') return podLog(ctx, def, ns, name, req);
  // pods/exec, attach, portforward: upgrades are served by streaming/upgrade.ts (from http.ts); a plain request gets upstream's 400
  if (def.plural === 'pods' && def.group === '' && isStreamingSubresource(sub)) return streamingWithoutUpgrade(ctx, def, ns, name, sub, req.method, req.query);
  if (sub === 'proxy') return proxyRequest(ctx, def, ns, name, req);
  if (sub === 'exec' || sub === 'attach' || sub === 'portforward' || sub === 'proxy') {
    return streamingNotReady(ctx, def, ns, name, sub);
  }

  switch (info.verb) {
    case 'get':
      if (sub === 'scale') return obj(200, getScale(ctx, def, ns, name));
      if (sub === 'status' || sub === '') return obj(200, getObject(ctx, def, ns, name, req.query, accept));
      throw methodNotSupported(def.group, `${def.plural}/${sub}`, 'get');
    case 'list': {
      const list = listObjects(ctx, def, ns, req.query);
      return obj(200, renderList(def, list, req.query, accept));
    }
    case 'watch': {
      const stream = startWatch(ctx, def, ns, name, req.query, accept, req.signal);
      return { type: 'watch', status: 200, stream };
    }
    case 'create': {
      const opts = writeOptions(req);
      if (sub === 'binding') return obj(201, bindPod(ctx, def, ns, name, decodeWriteBody(req), opts));
      if (sub === 'eviction') return obj(201, evictPod(ctx, def, ns, name, decodeWriteBody(req), opts));
      if (sub) throw methodNotSupported(def.group, `${def.plural}/${sub}`, 'create');
      if (name) throw new StatusError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
      const created = createObject(ctx, def, ns, decodeWriteBody(req), opts);
      return obj(opts.dryRun ? 200 : 201, created, warningHeaders(opts.warnings));
    }
    case 'update': {
      const opts = writeOptions(req);
      const body = decodeWriteBody(req);
      if (sub === 'scale') return obj(200, updateScale(ctx, def, ns, name, () => body, opts));
      if (sub === 'finalize') {
        const r = updateObject(ctx, def, ns, name, { subresource: 'finalize', mutate: (cur) => finalizeNamespace(cur, body) }, opts);
        return obj(200, r.object);
      }
      if (sub && sub !== 'status') throw methodNotSupported(def.group, `${def.plural}/${sub}`, 'update');
      const r = updateObject(ctx, def, ns, name, { subresource: sub === 'status' ? 'status' : '', mutate: () => body as never, replaces: true }, opts);
      return obj(r.created ? 201 : 200, r.object, warningHeaders(opts.warnings));
    }
    case 'patch': {
      const opts = writeOptions(req);
      if (sub === 'scale') return obj(200, patchScale(ctx, def, ns, name, req, opts));
      if (sub && sub !== 'status') throw methodNotSupported(def.group, `${def.plural}/${sub}`, 'patch');
      const r = patchObject(ctx, def, ns, name, sub === 'status' ? 'status' : '', req, opts);
      return obj(r.created ? 201 : 200, r.object, warningHeaders(opts.warnings));
    }
    case 'delete': {
      // DeleteOptions first: a dryRun in the body (what kubectl sends) joins the query's.
      const dopts = deleteOptionsFrom(req);
      const opts = writeOptions(req);
      const r = deleteObject(ctx, def, ns, name, dopts, opts);
      return obj(200, r.object);
    }
    case 'deletecollection': {
      const dopts = deleteOptionsFrom(req);
      const opts = writeOptions(req);
      const list = listObjects(ctx, def, ns, req.query);
      const deleted = [];
      for (const item of list.items) {
        try {
          deleted.push(deleteObject(ctx, def, item.metadata.namespace ?? '', item.metadata.name ?? '', dopts, opts).object);
        } catch (e) {
          if (!(e instanceof StatusError && e.code === 404)) throw e;
        }
      }
      return obj(200, renderList(def, { items: deleted, meta: { resourceVersion: String(ctx.store.currentRevision()) } }, new URLSearchParams(), undefined));
    }
  }
}

function finalizeNamespace(cur: import('../api/types').KubeObject, body: unknown): import('../api/types').KubeObject {
  const spec = isObject(body) && isObject(body.spec) ? body.spec : {};
  cur.spec = { ...(isObject(cur.spec) ? cur.spec : {}), finalizers: Array.isArray(spec.finalizers) ? spec.finalizers : [] };
  return cur;
}

function warningHeaders(warnings: string[]): Record<string, string> | undefined {
  if (!warnings.length) return undefined;
  // One warning per header value; Node joins an array into repeated headers.
  return { warning: warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(', ') };
}

export function createApiHandler(ctx: ServerContext): ApiHandler {
  return async (req: ApiRequest): Promise<ApiResponse> => {
    try {
      // metrics.k8s.io (discovery, NodeMetrics, PodMetrics): its own small router, apiserver/metrics
      const metrics = metricsRoute(ctx, req);
      if (metrics) return metrics;
      const info = parseRequestInfo(req.method, req.path, req.query);
      if (!info.isResource) return nonResource(ctx, req, info.path);
      return await resource(ctx, req, info);
    } catch (e) {
      if (e instanceof StatusError) return statusResponse(e);
      return statusResponse(internalError(e));
    }
  };
}

export { parseAccept };
