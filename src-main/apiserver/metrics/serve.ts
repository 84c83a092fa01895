/**
 * The `metrics.k8s.io` router, consulted before resource routing when a metrics source is set:
 * discovery paths, and get/list of NodeMetrics and PodMetrics with label and field selectors.
 * Which objects exist follows metrics-server: nodes from the node lister, pods from a lister of
 * Running pods only; an object without two samples yet is simply absent from lists and a 404 on get.
 */
import type { ApiRequest, ApiResponse } from '../types';
import type { ServerContext } from '../context';
import type { KubeObject } from '../../api/types';
import type { ResourceDef } from '../../api/resource';
import { StatusError, methodNotSupported, notAcceptable, notFound, pathNotFound } from '../../api/errors';
import { checkFieldSelector, parseFieldSelector, parseLabelSelector, type FieldSelector, type LabelSelector } from '../../api/selectors';
import { parseRequestInfo } from '../request-info';
import { parseAccept } from '../media';
import { keyFor, prefixFor } from '../storage-keys';
import { includeObjectOption } from '../rest/table';
import type { ResourceMetricsSource } from './types';
import { METRICS_GROUP, METRICS_VERSION, metricsList, nodeMetricsObject, nodeMetricsTable, podMetricsObject, podMetricsTable } from './objects';
import { metricsApiGroup, metricsApiResourceList } from './discovery';

const GROUP_PATH = `/apis/${METRICS_GROUP}`;

function obj(body: unknown): ApiResponse {
  return { type: 'object', status: 200, body };
}

/** go-restful's answer for a method the route does not register (through the apiserver's error handler). */
function methodNotAllowed(): StatusError {
  return new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
}

/** Answers requests under `/apis/metrics.k8s.io`; undefined for every other path (or without a source). */
export function metricsRoute(ctx: ServerContext, req: ApiRequest): ApiResponse | undefined {
  const source = ctx.metrics;
  if (!source) return undefined;
  const path = req.path.length > 1 ? req.path.replace(/\/+$/, '') : req.path;
  if (path !== GROUP_PATH && !path.startsWith(`${GROUP_PATH}/`)) return undefined;
  const get = req.method === 'GET' || req.method === 'HEAD';
  if (path === GROUP_PATH || path === `${GROUP_PATH}/${METRICS_VERSION}`) {
    if (!get) throw methodNotAllowed();
    return obj(path === GROUP_PATH ? metricsApiGroup() : metricsApiResourceList());
  }
  const info = parseRequestInfo(req.method, path, req.query);
  if (!info.isResource || info.version !== METRICS_VERSION || info.subresource || info.legacyWatch) throw pathNotFound();
  const nodes = info.resource === 'nodes';
  if (!nodes && info.resource !== 'pods') throw pathNotFound();
  if (nodes && info.namespace) throw pathNotFound();
  if (!nodes && info.name && !info.namespace) throw pathNotFound();
  if (info.verb === 'watch') throw methodNotSupported(METRICS_GROUP, info.resource, 'watch');
  if (info.verb !== 'get' && info.verb !== 'list') throw methodNotAllowed();
  const accept = parseAccept(req.headers.accept);
  if (accept.protobufOnly) throw notAcceptable(req.headers.accept ?? '');
  const now = ctx.now().getTime();
  const include = accept.table ? includeObjectOption(req.query) : 'Metadata';

  if (nodes) {
    if (info.verb === 'get') {
      const node = getObject(ctx, 'nodes', '', info.name);
      // the node lister's NotFound (typed listers name the resource in the singular)
      if (!node) throw notFound('', 'node', info.name);
      const r = source.nodeMetrics(info.name);
      if (!r) throw notFound(METRICS_GROUP, 'nodemetrics', info.name);
      const o = nodeMetricsObject(node, r, now, true);
      return obj(accept.table ? nodeMetricsTable([{ object: o, reading: r }], include) : o);
    }
    const sel = selection(req, 'NodeMetrics');
    const items = listNodeMetrics(ctx, source, sel, now);
    return obj(accept.table ? nodeMetricsTable(items, include) : metricsList('NodeMetricsList', items.map((i) => i.object)));
  }

  if (info.verb === 'get') {
    const pod = getObject(ctx, 'pods', info.namespace, info.name);
    // the Running-pods metadata lister's NotFound
    if (!pod || !running(pod)) throw notFound('', 'pods', info.name);
    const r = source.podMetrics(info.namespace, info.name, pod.metadata.uid ?? '');
    if (!r) throw notFound(METRICS_GROUP, 'podmetrics', `${info.namespace}/${info.name}`);
    const o = podMetricsObject(pod, r, now, true);
    return obj(accept.table ? podMetricsTable([{ object: o, reading: r }], include) : o);
  }
  const sel = selection(req, 'PodMetrics');
  const items = listPodMetrics(ctx, source, info.namespace, sel, now);
  return obj(accept.table ? podMetricsTable(items, include) : metricsList('PodMetricsList', items.map((i) => i.object)));
}

interface Selection {
  labels: LabelSelector;
  fields: FieldSelector;
}

/** List options as the generic apiserver converts them: labels parsed, fields through the default metadata conversion. */
function selection(req: ApiRequest, kind: string): Selection {
  const labels = parseLabelSelector(req.query.get('labelSelector') ?? '');
  const fields = parseFieldSelector(req.query.get('fieldSelector') ?? '');
  checkFieldSelector(fields, METRICS_GROUP, kind);
  return { labels, fields };
}

function matches(sel: Selection, o: KubeObject, namespaced: boolean): boolean {
  if (!sel.labels.empty() && !sel.labels.matches(o.metadata.labels)) return false;
  if (sel.fields.empty()) return true;
  const set: Record<string, string> = { 'metadata.name': o.metadata.name ?? '' };
  if (namespaced) set['metadata.namespace'] = o.metadata.namespace ?? '';
  return sel.fields.matches(set);
}

function coreDef(ctx: ServerContext, plural: 'nodes' | 'pods'): ResourceDef {
  const def = ctx.registry.get('', 'v1', plural);
  if (!def) throw pathNotFound();
  return def;
}

function getObject(ctx: ServerContext, plural: 'nodes' | 'pods', namespace: string, name: string): KubeObject | undefined {
  return ctx.store.get(keyFor(coreDef(ctx, plural), namespace, name))?.object;
}

function running(pod: KubeObject): boolean {
  return (pod.status as { phase?: string } | undefined)?.phase === 'Running';
}

function byName(a: KubeObject, b: KubeObject): number {
  const an = a.metadata.name ?? '';
  const bn = b.metadata.name ?? '';
  return an < bn ? -1 : an > bn ? 1 : 0;
}

function listNodeMetrics(ctx: ServerContext, source: ResourceMetricsSource, sel: Selection, now: number) {
  const out = [];
  const nodes = ctx.store.list(prefixFor(coreDef(ctx, 'nodes'), '')).items.map((s) => s.object);
  for (const node of nodes.sort(byName)) {
    if (!matches(sel, node, false)) continue;
    const r = source.nodeMetrics(node.metadata.name ?? '');
    if (r) out.push({ object: nodeMetricsObject(node, r, now, false), reading: r });
  }
  return out;
}

function listPodMetrics(ctx: ServerContext, source: ResourceMetricsSource, namespace: string, sel: Selection, now: number) {
  const out = [];
  const pods = ctx.store.list(prefixFor(coreDef(ctx, 'pods'), namespace), { filter: (p) => running(p) && matches(sel, p, true) }).items.map((s) => s.object);
  // metrics-server sorts by namespace, then name
  pods.sort((a, b) => {
    const an = a.metadata.namespace ?? '';
    const bn = b.metadata.namespace ?? '';
    return an < bn ? -1 : an > bn ? 1 : byName(a, b);
  });
  for (const pod of pods) {
    const r = source.podMetrics(pod.metadata.namespace ?? '', pod.metadata.name ?? '', pod.metadata.uid ?? '');
    if (r) out.push({ object: podMetricsObject(pod, r, now, false), reading: r });
  }
  return out;
}
