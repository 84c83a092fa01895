/**
 * What `kubectl port-forward` works out before it dials: the pod (a pod by name, or for
 * `svc/<name>` the most active pod of the service's selector, as kubectl's
 * AttachablePodForObject sorts them) and the pod port (a container port number or name; for a
 * service, the service port's targetPort, a name looked up in the pod's containers). Reads go
 * through the in-process API handler as the gateway's user; refusals are Status errors with
 * kubectl's texts.
 */
import type { ApiHandler } from '../apiserver/types';
import type { KubeObject, UserInfo } from '../api/types';
import { StatusError, badRequest } from '../api/errors';

export type ForwardResource = 'pods' | 'services';

export interface ForwardTarget {
  namespace: string;
  /** The pod the connections go to. */
  pod: string;
  uid: string;
  /** The port inside the pod. */
  podPort: number;
}

interface ContainerPort {
  name?: string;
  containerPort?: number;
  protocol?: string;
}
interface PodLike extends KubeObject {
  spec?: { nodeName?: string; containers?: { ports?: ContainerPort[] }[] };
  status?: {
    phase?: string;
    conditions?: { type?: string; status?: string; lastTransitionTime?: string }[];
    containerStatuses?: { restartCount?: number }[];
  };
}
interface ServicePort {
  name?: string;
  port?: number;
  targetPort?: number | string;
  protocol?: string;
}
interface ServiceLike extends KubeObject {
  spec?: { selector?: Record<string, string>; ports?: ServicePort[]; type?: string };
}

function failed(status: number, body: unknown): StatusError {
  const s = body as { kind?: string; code?: number; reason?: string; message?: string } | undefined;
  if (s && s.kind === 'Status') return new StatusError(typeof s.code === 'number' ? s.code : status, s.reason ?? '', s.message ?? `the server responded with status ${status}`);
  return new StatusError(status, '', `the server responded with status ${status}`);
}

/** GET through the handler: the object, or the StatusError the API answered. */
export async function apiGet<T>(handler: ApiHandler, user: UserInfo, path: string, query = new URLSearchParams()): Promise<T> {
  const r = await handler({ method: 'GET', path, query, headers: { accept: 'application/json' }, user });
  if (r.type === 'watch' || r.type === 'stream') {
    r.stream.close();
    throw new StatusError(500, 'InternalError', `Internal error occurred: unexpected stream for GET ${path}`);
  }
  if (r.status < 200 || r.status > 299) throw failed(r.status, r.body);
  if (r.type === 'raw') throw new StatusError(500, 'InternalError', `Internal error occurred: unexpected ${r.contentType} for GET ${path}`);
  return r.body as T;
}

const ns = (namespace: string) => `/api/v1/namespaces/${encodeURIComponent(namespace)}`;

function isReady(p: PodLike): boolean {
  return (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}
function readySince(p: PodLike): number {
  const c = (p.status?.conditions ?? []).find((x) => x.type === 'Ready' && x.status === 'True');
  return c?.lastTransitionTime ? Date.parse(c.lastTransitionTime) : Number.POSITIVE_INFINITY;
}
function restarts(p: PodLike): number {
  return (p.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0);
}
const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/**
 * kubectl's choice among a selector's pods (sort.Reverse(podutils.ActivePods)): assigned before
 * unassigned, Running before Unknown before Pending, ready before not ready, ready for longer,
 * fewer restarts, older. Negative when `a` is the better pod.
 */
export function compareActivePods(a: PodLike, b: PodLike): number {
  const assigned = (p: PodLike) => (p.spec?.nodeName ? 1 : 0);
  if (assigned(a) !== assigned(b)) return assigned(b) - assigned(a);
  const rank = (p: PodLike) => PHASE_RANK[p.status?.phase ?? ''] ?? -1;
  if (rank(a) !== rank(b)) return rank(b) - rank(a);
  if (isReady(a) !== isReady(b)) return isReady(a) ? -1 : 1;
  if (isReady(a) && readySince(a) !== readySince(b)) return readySince(a) - readySince(b);
  if (restarts(a) !== restarts(b)) return restarts(a) - restarts(b);
  const created = (p: PodLike) => Date.parse(p.metadata.creationTimestamp ?? '') || 0;
  return created(a) - created(b);
}

function checkPort(port: number | string): number | string {
  if (typeof port === 'number') {
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw badRequest(`port ${port} is not a valid port number (1-65535)`);
    return port;
  }
  const t = port.trim();
  if (/^\d+$/.test(t)) return checkPort(Number(t));
  if (!t) throw badRequest('a remote port is required');
  return t;
}

/** A container port by name (kubectl's convertPodNamedPortToNumber). */
function namedPodPort(pod: PodLike, name: string): number | undefined {
  for (const c of pod.spec?.containers ?? []) for (const p of c.ports ?? []) if (p.name === name && p.containerPort) return p.containerPort;
  return undefined;
}

function checkRunning(pod: PodLike): void {
  const phase = pod.status?.phase ?? 'Unknown';
  if (phase !== 'Running') throw badRequest(`unable to forward port because pod is not running. Current status=${phase}`);
}

async function resolvePod(handler: ApiHandler, user: UserInfo, namespace: string, name: string, port: number | string): Promise<ForwardTarget> {
  const pod = await apiGet<PodLike>(handler, user, `${ns(namespace)}/pods/${encodeURIComponent(name)}`);
  checkRunning(pod);
  let podPort: number;
  if (typeof port === 'number') podPort = port;
  else {
    const n = namedPodPort(pod, port);
    if (n === undefined) throw badRequest(`Pod '${name}' does not have a named port '${port}'`);
    podPort = n;
  }
  return { namespace, pod: name, uid: pod.metadata.uid ?? '', podPort };
}

async function resolveService(handler: ApiHandler, user: UserInfo, namespace: string, name: string, port: number | string): Promise<ForwardTarget> {
  const svc = await apiGet<ServiceLike>(handler, user, `${ns(namespace)}/services/${encodeURIComponent(name)}`);
  const selector = svc.spec?.selector ?? {};
  const keys = Object.keys(selector);
  if (keys.length === 0) throw badRequest(`invalid service '${name}': Service is defined without a selector`);
  // kubectl matches the service port by number; the UI may also name it.
  const sp = (svc.spec?.ports ?? []).find((p) => (typeof port === 'number' ? p.port === port : p.name === port));
  if (!sp) throw badRequest(typeof port === 'number' ? `Service ${name} does not have a service port ${port}` : `Service ${name} does not have a service port named '${port}'`);
  if ((sp.protocol ?? 'TCP') !== 'TCP') throw badRequest(`Service ${name}'s port ${sp.port} is ${sp.protocol}: only TCP ports can be forwarded`);
  const q = new URLSearchParams({ labelSelector: keys.map((k) => `${k}=${selector[k]}`).join(',') });
  const list = await apiGet<{ items?: PodLike[] }>(handler, user, `${ns(namespace)}/pods`, q);
  const pods = (list.items ?? []).filter((p) => !p.metadata.deletionTimestamp).sort(compareActivePods);
  const pod = pods[0];
  if (!pod) throw new StatusError(404, 'NotFound', `no pods found for service ${name} (selector ${q.get('labelSelector')})`);
  checkRunning(pod);
  const tp = sp.targetPort;
  let podPort: number;
  if (typeof tp === 'string' && !/^\d+$/.test(tp)) {
    const n = namedPodPort(pod, tp);
    if (n === undefined) throw badRequest(`pod '${pod.metadata.name}' does not have a named port '${tp}' (the targetPort of service ${name} port ${sp.port})`);
    podPort = n;
  } else podPort = Number(tp) || sp.port || 0;
  return { namespace, pod: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '', podPort };
}

/** The pod and pod port a forward to `resource/name:port` goes to. */
export function resolveForwardTarget(handler: ApiHandler, user: UserInfo, resource: ForwardResource, namespace: string, name: string, port: number | string): Promise<ForwardTarget> {
  const p = checkPort(port);
  return resource === 'pods' ? resolvePod(handler, user, namespace, name, p) : resolveService(handler, user, namespace, name, p);
}
