/**
 * GET pods/{name}/log: PodLogOptions from the query (validated as upstream), the container chosen
 * as upstream's LogLocation does, then the stream from the node's kubelet through
 * `ctx.nodes` (node-connections.ts). A pod not bound to a node answers an empty body.
 */
import type { ResourceDef } from '../../api/resource';
import type { KubeObject } from '../../api/types';
import { StatusError, badRequest, invalid, notFound } from '../../api/errors';
import type { FieldError } from '../../api/field-errors';
import type { ServerContext } from '../context';
import type { ApiRequest, ApiResponse } from '../types';
import type { PodLogOptions } from '../node-connections';
import { readCurrent } from './write';

const LOG_CONTENT_TYPE = 'text/plain';

function parseBool(q: URLSearchParams, key: string): boolean {
  const v = q.get(key);
  if (v === null || v === '') return false;
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(v)) return false;
  throw badRequest(`strconv.ParseBool: parsing "${v}": invalid syntax`);
}

function parseInt64(q: URLSearchParams, key: string): number | undefined {
  const v = q.get(key);
  if (v === null || v === '') return undefined;
  if (!/^[+-]?\d+$/.test(v)) throw badRequest(`strconv.ParseInt: parsing "${v}": invalid syntax`);
  return Number(v);
}

/** PodLogOptions as the query gives them, validated like ValidatePodLogOptions. */
export function podLogOptions(q: URLSearchParams, name: string, now: number): PodLogOptions & { container: string } {
  const tailLines = parseInt64(q, 'tailLines');
  const limitBytes = parseInt64(q, 'limitBytes');
  const sinceSeconds = parseInt64(q, 'sinceSeconds');
  const sinceTimeText = q.get('sinceTime') ?? '';
  let sinceTime: number | undefined;
  if (sinceTimeText) {
    const t = Date.parse(sinceTimeText);
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(sinceTimeText) || Number.isNaN(t)) {
      throw badRequest(`parsing time "${sinceTimeText}" as "2006-01-02T15:04:05Z07:00": cannot parse "${sinceTimeText}" as "2006"`);
    }
    sinceTime = t;
  }
  const errs: FieldError[] = [];
  if (tailLines !== undefined && tailLines < 0) errs.push({ type: 'FieldValueInvalid', field: 'tailLines', badValue: tailLines, detail: 'must be greater than or equal to 0' });
  if (limitBytes !== undefined && limitBytes < 1) errs.push({ type: 'FieldValueInvalid', field: 'limitBytes', badValue: limitBytes, detail: 'must be greater than 0' });
  if (sinceSeconds !== undefined && sinceTime !== undefined) errs.push({ type: 'FieldValueForbidden', field: '', detail: 'at most one of `sinceTime` or `sinceSeconds` may be specified' });
  if (sinceSeconds !== undefined && sinceSeconds < 1) errs.push({ type: 'FieldValueInvalid', field: 'sinceSeconds', badValue: sinceSeconds, detail: 'must be greater than 0' });
  if (errs.length) throw invalid('', 'PodLogOptions', name, errs);
  return {
    container: q.get('container') ?? '',
    follow: parseBool(q, 'follow'),
    previous: parseBool(q, 'previous'),
    timestamps: parseBool(q, 'timestamps'),
    tailLines,
    limitBytes,
    sinceMs: sinceSeconds !== undefined ? now - sinceSeconds * 1000 : sinceTime,
  };
}

interface ContainerRef {
  name: string;
}

/** Upstream validateContainer: the named container, or the only one; else the list to choose from. */
export function chooseContainer(pod: KubeObject, container: string): string {
  const spec = (pod.spec ?? {}) as { containers?: ContainerRef[]; initContainers?: ContainerRef[]; ephemeralContainers?: ContainerRef[] };
  const regular = spec.containers ?? [];
  const all = [...(spec.initContainers ?? []), ...regular, ...(spec.ephemeralContainers ?? [])].map((c) => c.name);
  const name = pod.metadata.name ?? '';
  if (!container) {
    if (regular.length === 1) return regular[0].name;
    if (regular.length === 0) throw badRequest(`a container name must be specified for pod ${name}`);
    throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${all.join(' ')}]`);
  }
  if (!all.includes(container)) throw badRequest(`container ${container} is not valid for pod ${name}`);
  return container;
}

export async function podLog(ctx: ServerContext, def: ResourceDef, ns: string, name: string, req: ApiRequest): Promise<ApiResponse> {
  if (def.group !== '' || def.plural !== 'pods') throw notFound(def.group, def.plural, name);
  if (req.method !== 'GET' && req.method !== 'HEAD') throw new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  const cur = readCurrent(ctx, def, ns, name);
  if (!cur) throw notFound('', 'pods', name);
  const pod = cur.object;
  const opts = podLogOptions(req.query, name, ctx.now().getTime());
  const container = chooseContainer(pod, opts.container);
  const nodeName = ((pod.spec ?? {}) as { nodeName?: string }).nodeName ?? '';
  // Not scheduled yet: upstream has no location and answers an empty body.
  if (!nodeName) return { type: 'raw', status: 200, body: '', contentType: LOG_CONTENT_TYPE };
  if (!ctx.nodes) throw new StatusError(500, 'InternalError', `no kubelet connection for node "${nodeName}"`);
  const { container: _c, ...options } = opts;
  const stream = await ctx.nodes.containerLogs(nodeName, { namespace: ns, pod: name, uid: pod.metadata.uid ?? '', container, options });
  if (req.signal) {
    if (req.signal.aborted) stream.close();
    else req.signal.addEventListener('abort', () => stream.close(), { once: true });
  }
  return { type: 'stream', status: 200, contentType: LOG_CONTENT_TYPE, stream };
}
