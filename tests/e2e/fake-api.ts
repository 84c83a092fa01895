/**
 * A tiny in-memory ApiHandler serving Nodes and Namespaces (list, watch, create, delete) the way
 * the API server does, plus empty Pods, Events and Deployments and the aggregated discovery of
 * these (what the renderer's shell and overview ask for). Used to exercise the UI gateway and the renderer without a cluster
 * (unit tests and UI development); the e2e tests run against the real `kubesim serve`.
 */
import type { ApiHandler, ApiRequest, ApiResponse, WatchEventOut, WatchStream } from '../../src-main/apiserver/types';

type Obj = { apiVersion: string; kind: string; metadata: { name: string; resourceVersion?: string; creationTimestamp?: string; uid?: string; labels?: Record<string, string> }; [k: string]: unknown };

interface Watcher {
  resource: string;
  push(ev: WatchEventOut): void;
}

export class FakeApi {
  private rv = 1;
  private readonly objects = new Map<string, Map<string, Obj>>([
    ['nodes', new Map()],
    ['namespaces', new Map()],
    ['pods', new Map()],
    ['events', new Map()],
    ['deployments', new Map()],
  ]);
  private readonly history: { rv: number; resource: string; ev: WatchEventOut }[] = [];
  private readonly watchers = new Set<Watcher>();

  constructor(now = new Date()) {
    const created = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const node = (name: string, cp: boolean): Obj => ({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, creationTimestamp: created(42), labels: { 'kubernetes.io/hostname': name, ...(cp ? { 'node-role.kubernetes.io/control-plane': '' } : {}) } },
      spec: cp ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } : {},
      status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }], nodeInfo: { kubeletVersion: 'v1.31.0' } },
    });
    this.put('nodes', node('kubesim-control-plane', true));
    this.put('nodes', node('kubesim-worker', false));
    this.put('nodes', node('kubesim-worker2', false));
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
      this.put('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, creationTimestamp: created(42) }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
    }
  }

  /** Creates or replaces an object and notifies watchers. */
  put(resource: string, obj: Obj): Obj {
    const items = this.objects.get(resource)!;
    const prev = items.get(obj.metadata.name);
    const existed = prev !== undefined;
    const meta = { ...obj.metadata, uid: prev?.metadata.uid ?? obj.metadata.uid ?? `uid-${this.rv + 1}`, creationTimestamp: prev?.metadata.creationTimestamp ?? obj.metadata.creationTimestamp ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z') };
    const stored: Obj = { ...obj, metadata: { ...meta, resourceVersion: String(++this.rv) } };
    items.set(obj.metadata.name, stored);
    this.emit(resource, { type: existed ? 'MODIFIED' : 'ADDED', object: stored });
    return stored;
  }

  remove(resource: string, name: string): void {
    const items = this.objects.get(resource)!;
    const o = items.get(name);
    if (!o) return;
    items.delete(name);
    this.emit(resource, { type: 'DELETED', object: { ...o, metadata: { ...o.metadata, resourceVersion: String(++this.rv) } } });
  }

  private emit(resource: string, ev: WatchEventOut): void {
    this.history.push({ rv: this.rv, resource, ev });
    for (const w of this.watchers) if (w.resource === resource) w.push(ev);
  }

  readonly handler: ApiHandler = async (req: ApiRequest): Promise<ApiResponse> => {
    const m = /^(?:\/api\/v1\/(nodes|namespaces|pods|events)|\/apis\/apps\/v1\/(deployments))(?:\/([^/]+))?$/.exec(req.path);
    if (req.path === '/api' || req.path === '/apis') return { type: 'object', status: 200, body: discovery(req.path === '/api') };
    if (req.path === '/version') return { type: 'object', status: 200, body: { major: '1', minor: '31', gitVersion: 'v1.31.0' } };
    if (req.path === '/healthz') return { type: 'raw', status: 200, body: 'ok', contentType: 'text/plain; charset=utf-8' };
    if (!m) return status(404, 'NotFound', 'the server could not find the requested resource');
    const [, core, apps, name] = m;
    const resource = core ?? apps;
    const items = this.objects.get(resource)!;
    // Namespaces as a meta.k8s.io Table when asked (kubectl's NAME STATUS AGE), like the server.
    const asTable = resource === 'namespaces' && /as=Table/.test(req.headers.accept ?? '');
    if (req.method === 'GET' && !name && req.query.get('watch') && req.query.get('watch') !== 'false' && req.query.get('watch') !== '0') {
      const stream = this.watch(resource, Number(req.query.get('resourceVersion') ?? '0'));
      if (!asTable) return { type: 'watch', status: 200, stream };
      return { type: 'watch', status: 200, stream: { ...stream, onEvent: (cb) => stream.onEvent((ev) => cb({ type: ev.type, object: namespaceTable([ev.object as Obj], (ev.object as Obj).metadata.resourceVersion) })) } };
    }
    if (req.method === 'GET' && !name && asTable) return { type: 'object', status: 200, body: namespaceTable([...items.values()], String(this.rv)) };
    if (req.method === 'GET' && !name) {
      const kind = { nodes: 'NodeList', namespaces: 'NamespaceList', pods: 'PodList', events: 'EventList', deployments: 'DeploymentList' }[resource];
      return { type: 'object', status: 200, body: { kind, apiVersion: 'v1', metadata: { resourceVersion: String(this.rv) }, items: [...items.values()] } };
    }
    if (req.method === 'GET' && name) {
      const o = items.get(name);
      return o ? { type: 'object', status: 200, body: o } : status(404, 'NotFound', `${resource} "${name}" not found`);
    }
    if (req.method === 'POST' && !name) {
      const raw = Buffer.isBuffer(req.body) ? JSON.parse(req.body.toString('utf8')) : req.body;
      const obj = raw as Obj;
      if (items.has(obj.metadata.name)) return status(409, 'AlreadyExists', `${resource} "${obj.metadata.name}" already exists`);
      return { type: 'object', status: 201, body: this.put(resource, { ...obj, status: resource === 'namespaces' ? { phase: 'Active' } : obj.status }) };
    }
    if (req.method === 'DELETE' && name) {
      this.remove(resource, name);
      return { type: 'object', status: 200, body: { kind: 'Status', apiVersion: 'v1', status: 'Success' } };
    }
    return status(405, 'MethodNotAllowed', `${req.method} is not supported`);
  };

  private watch(resource: string, fromRv: number): WatchStream {
    let cb: ((ev: WatchEventOut) => void) | undefined;
    let onClose: (() => void) | undefined;
    const pending: WatchEventOut[] = this.history.filter((h) => h.resource === resource && h.rv > fromRv).map((h) => h.ev);
    const w: Watcher = { resource, push: (ev) => (cb ? cb(ev) : pending.push(ev)) };
    this.watchers.add(w);
    return {
      onEvent: (c) => {
        cb = c;
        for (const ev of pending.splice(0)) c(ev);
      },
      onClose: (c) => (onClose = c),
      close: () => {
        if (!this.watchers.delete(w)) return;
        onClose?.();
      },
    };
  }
}

function namespaceTable(items: Obj[], resourceVersion: string | undefined): unknown {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: [
      { name: 'Name', type: 'string', format: 'name', priority: 0 },
      { name: 'Status', type: 'string', priority: 0 },
      { name: 'Age', type: 'string', priority: 0 },
    ],
    rows: items.map((o) => ({ cells: [o.metadata.name, (o.status as { phase?: string } | undefined)?.phase ?? '', '1m'], object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata } })),
  };
}

/** Aggregated discovery (apidiscovery.k8s.io/v2) of what this fake serves. */
function discovery(core: boolean): unknown {
  const res = (resource: string, kind: string, namespaced: boolean) => ({ resource, responseKind: { group: core ? '' : 'apps', version: 'v1', kind }, scope: namespaced ? 'Namespaced' : 'Cluster', verbs: ['create', 'delete', 'get', 'list', 'watch'] });
  const items = core
    ? [{ metadata: {}, versions: [{ version: 'v1', resources: [res('events', 'Event', true), res('namespaces', 'Namespace', false), res('nodes', 'Node', false), res('pods', 'Pod', true)] }] }]
    : [{ metadata: { name: 'apps' }, versions: [{ version: 'v1', resources: [res('deployments', 'Deployment', true)] }] }];
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items };
}

function status(code: number, reason: string, message: string): ApiResponse {
  return { type: 'object', status: code, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code } };
}
