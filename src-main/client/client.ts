/**
 * The in-process Kubernetes client: builds `ApiRequest`s for the API handler (the same pipeline
 * kubectl's HTTPS requests go through) and turns non-2xx answers back into `StatusError`s.
 * Bodies travel as objects, never as JSON text. Nothing here touches storage.
 */
import type { ApiHandler, ApiRequest, ApiResponse, WatchEventOut, WatchStream } from '../apiserver/types';
import type { GroupVersionResource, KubeList, KubeObject, Status, StatusDetails, UserInfo } from '../api/types';
import { isObject } from '../api/types';
import { StatusError } from '../api/errors';

export type ResourceRef = GroupVersionResource;

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
  timeoutSeconds?: number;
}

export interface WatchOptions {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
  allowWatchBookmarks?: boolean;
  sendInitialEvents?: boolean;
  timeoutSeconds?: number;
  /** Aborting ends the watch (same as `close()`). */
  signal?: AbortSignal;
}

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: 'Ignore' | 'Warn' | 'Strict';
}

export interface PatchOptions extends WriteOptions {
  /** Server-side apply: take ownership of conflicting fields. */
  force?: boolean;
  /** `status`, `scale`, … */
  subresource?: string;
}

export interface DeleteOptions extends WriteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export type WatchEventType = WatchEventOut['type'];

/** One watch event; for ERROR the object is a Status. */
export interface WatchEvent<T extends KubeObject = KubeObject> {
  type: WatchEventType;
  object: T;
}

export interface Scale extends KubeObject {
  spec?: { replicas?: number };
  status?: { replicas?: number; selector?: string };
}

export interface KubeClientOptions {
  /** Default `fieldManager` for writes (upstream clients send their user agent's first word). */
  fieldManager?: string;
  /** `user-agent` header; default `<user>/kubesim`. */
  userAgent?: string;
}

/** Turns a Status body (or anything else a failed response carries) into a StatusError. */
export function statusErrorFrom(status: number, body: unknown): StatusError {
  if (isObject(body) && body.kind === 'Status') {
    const s = body as unknown as Status;
    return new StatusError(typeof s.code === 'number' ? s.code : status, s.reason ?? '', s.message ?? '', s.details as StatusDetails | undefined);
  }
  const text = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : JSON.stringify(body ?? '');
  return new StatusError(status, status === 404 ? 'NotFound' : '', text || `the server responded with status ${status}`);
}

/** `group/version`, or `version` for the core group. */
export function apiVersionOfRef(ref: ResourceRef): string {
  return ref.group ? `${ref.group}/${ref.version}` : ref.version;
}

/** The REST path of a collection, an object or a subresource. */
export function resourcePath(ref: ResourceRef, namespace?: string, name?: string, subresource?: string): string {
  let p = ref.group ? `/apis/${ref.group}/${ref.version}` : `/api/${ref.version}`;
  if (namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
  p += `/${ref.resource}`;
  if (name !== undefined) {
    if (name === '') throw new Error(`resource name may not be empty (${ref.resource})`);
    p += `/${encodeURIComponent(name)}`;
    if (subresource) p += `/${subresource}`;
  }
  return p;
}

function setIf(q: URLSearchParams, key: string, v: string | number | boolean | undefined): void {
  if (v === undefined || v === '') return;
  q.set(key, String(v));
}

function listQuery(o: ListOptions | WatchOptions | undefined, q = new URLSearchParams()): URLSearchParams {
  if (!o) return q;
  setIf(q, 'labelSelector', o.labelSelector);
  setIf(q, 'fieldSelector', o.fieldSelector);
  setIf(q, 'resourceVersion', o.resourceVersion);
  setIf(q, 'resourceVersionMatch', o.resourceVersionMatch);
  setIf(q, 'timeoutSeconds', o.timeoutSeconds);
  if ('limit' in o) setIf(q, 'limit', o.limit);
  if ('continue' in o) setIf(q, 'continue', o.continue);
  return q;
}

/**
 * A watch as the client sees it: push callbacks, or `for await` over the events. Ends when the
 * server closes it, `close()` is called, or the signal passed in the options aborts.
 *
 * Events are handed to the consumer on a microtask, never inside the server's call stack: the
 * API server pushes watch events synchronously with the store commit of some other request, and
 * consumers (informer handlers) must not run inside that write.
 */
export class ClientWatch<T extends KubeObject = KubeObject> implements AsyncIterable<WatchEvent<T>> {
  private closed = false;
  private closing = false;
  private readonly closeCbs: (() => void)[] = [];
  private eventCb?: (ev: WatchEvent<T>) => void;
  private readonly pending: WatchEvent<T>[] = [];
  /** Events and the server's close, in arrival order, not yet handed over. */
  private readonly inbox: (WatchEvent<T> | 'close')[] = [];
  private scheduled = false;

  constructor(
    private readonly stream: WatchStream,
    private readonly abort: AbortController,
  ) {
    stream.onEvent((ev) => this.enqueue(ev as WatchEvent<T>));
    stream.onClose(() => this.enqueue('close'));
  }

  private enqueue(item: WatchEvent<T> | 'close'): void {
    if (this.closed) return;
    this.inbox.push(item);
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => this.drain());
  }

  private drain(): void {
    this.scheduled = false;
    while (this.inbox.length > 0 && !this.closed) {
      const item = this.inbox.shift()!;
      if (item === 'close') this.finish();
      else if (this.eventCb) this.eventCb(item);
      else this.pending.push(item);
    }
    this.inbox.length = 0;
  }

  /** Registers the consumer; events that arrived before are delivered at once. One consumer. */
  onEvent(cb: (ev: WatchEvent<T>) => void): void {
    this.eventCb = cb;
    const buffered = this.pending.splice(0);
    for (const e of buffered) cb(e);
  }

  /** Called once when the watch ends, whoever ended it (after the events that came before). */
  onClose(cb: () => void): void {
    if (this.closed) cb();
    else this.closeCbs.push(cb);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Ends the watch now; events not yet delivered are dropped. */
  close(): void {
    if (this.closed || this.closing) return;
    this.closing = true;
    this.abort.abort();
    this.stream.close();
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.inbox.length = 0;
    const cbs = this.closeCbs.splice(0);
    for (const cb of cbs) cb();
  }

  [Symbol.asyncIterator](): AsyncIterator<WatchEvent<T>> {
    const queue: WatchEvent<T>[] = [];
    let wake: (() => void) | undefined;
    let ended = false;
    this.onEvent((e) => {
      queue.push(e);
      wake?.();
    });
    this.onClose(() => {
      ended = true;
      wake?.();
    });
    return {
      next: async (): Promise<IteratorResult<WatchEvent<T>>> => {
        while (queue.length === 0 && !ended) await new Promise<void>((r) => (wake = r));
        wake = undefined;
        if (queue.length) return { value: queue.shift()!, done: false };
        return { value: undefined, done: true };
      },
      return: async (): Promise<IteratorResult<WatchEvent<T>>> => {
        this.close();
        return { value: undefined, done: true };
      },
    };
  }
}

/**
 * The typed-enough client every in-process component uses. Resources are addressed by
 * `{group, version, resource}` plus namespace ('' or undefined for cluster-scoped objects and
 * all-namespace lists) and name.
 */
export class KubeClient {
  readonly user: UserInfo;
  private readonly fieldManager?: string;
  private readonly userAgent: string;

  constructor(
    private readonly handler: ApiHandler,
    user: UserInfo,
    opts: KubeClientOptions = {},
  ) {
    this.user = user;
    this.fieldManager = opts.fieldManager;
    this.userAgent = opts.userAgent ?? `${user.name}/kubesim`;
  }

  /** The same client acting as another user (and field manager). */
  as(user: UserInfo, opts: KubeClientOptions = {}): KubeClient {
    return new KubeClient(this.handler, user, opts);
  }

  /** Sends a request as this client's user and returns the raw response (no error mapping). */
  async raw(req: Omit<ApiRequest, 'user' | 'headers' | 'query'> & { query?: URLSearchParams; headers?: Record<string, string | undefined> }): Promise<ApiResponse> {
    return this.handler({
      ...req,
      query: req.query ?? new URLSearchParams(),
      headers: { accept: 'application/json', 'user-agent': this.userAgent, ...(req.headers ?? {}) },
      user: this.user,
    });
  }

  /** Sends a request and returns the 2xx object body, or throws the StatusError the server answered. */
  async request<T>(method: ApiRequest['method'], path: string, query: URLSearchParams, body?: object, contentType?: string): Promise<T> {
    const headers: Record<string, string | undefined> = {};
    if (body !== undefined) headers['content-type'] = contentType ?? 'application/json';
    const res = await this.raw({ method, path, query, headers, body });
    if (res.type === 'watch') {
      res.stream.close();
      throw new StatusError(500, 'InternalError', `Internal error occurred: unexpected watch response for ${method} ${path}`);
    }
    // A byte stream (pods/log): its text once it ends.
    if (res.type === 'stream') return readByteStream(res.stream) as Promise<T>;
    if (res.status < 200 || res.status > 299) throw statusErrorFrom(res.status, res.body);
    if (res.type === 'raw') return (Buffer.isBuffer(res.body) ? res.body.toString('utf8') : res.body) as T;
    // The server may answer with the store's shared, frozen objects: callers get their own copy.
    // A create's answer is already the caller's alone (built from the server's own copy of the
    // body, never cached or shared): no second copy (Events and pods are most of all writes).
    if (method === 'POST' && isObject(res.body) && !Object.isFrozen(res.body) && !Object.isFrozen(res.body.metadata)) return res.body as T;
    return structuredClone(res.body) as T;
  }

  private writeQuery(o: WriteOptions | undefined, q = new URLSearchParams()): URLSearchParams {
    if (o?.dryRun) q.set('dryRun', 'All');
    const fm = o?.fieldManager ?? this.fieldManager;
    if (fm) q.set('fieldManager', fm);
    setIf(q, 'fieldValidation', o?.fieldValidation);
    return q;
  }

  // --- reads -------------------------------------------------------------------------------

  async get<T extends KubeObject = KubeObject>(ref: ResourceRef, namespace: string | undefined, name: string, opts: { resourceVersion?: string } = {}): Promise<T> {
    const q = new URLSearchParams();
    setIf(q, 'resourceVersion', opts.resourceVersion);
    return this.request<T>('GET', resourcePath(ref, namespace, name), q);
  }

  /** `get`, but undefined for 404 NotFound. */
  async tryGet<T extends KubeObject = KubeObject>(ref: ResourceRef, namespace: string | undefined, name: string): Promise<T | undefined> {
    try {
      return await this.get<T>(ref, namespace, name);
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) return undefined;
      throw e;
    }
  }

  async list<T extends KubeObject = KubeObject>(ref: ResourceRef, namespace?: string, opts: ListOptions = {}): Promise<KubeList<T>> {
    return this.request<KubeList<T>>('GET', resourcePath(ref, namespace), listQuery(opts));
  }

  /** Lists every page (following `continue`), returning one list with the first page's resourceVersion. */
  async listAll<T extends KubeObject = KubeObject>(ref: ResourceRef, namespace?: string, opts: ListOptions = {}): Promise<KubeList<T>> {
    const first = await this.list<T>(ref, namespace, opts);
    const items = [...first.items];
    let cont = first.metadata.continue;
    while (cont) {
      const page = await this.list<T>(ref, namespace, { ...opts, resourceVersion: undefined, resourceVersionMatch: undefined, continue: cont });
      items.push(...page.items);
      cont = page.metadata.continue;
    }
    return { ...first, metadata: { resourceVersion: first.metadata.resourceVersion }, items };
  }

  async getSubresource<T = KubeObject>(ref: ResourceRef, namespace: string | undefined, name: string, subresource: string, query = new URLSearchParams()): Promise<T> {
    return this.request<T>('GET', resourcePath(ref, namespace, name, subresource), query);
  }

  // --- writes ------------------------------------------------------------------------------

  async create<T extends KubeObject = KubeObject>(ref: ResourceRef, namespace: string | undefined, obj: KubeObject | T, opts: WriteOptions = {}): Promise<T> {
    return this.request<T>('POST', resourcePath(ref, namespace), this.writeQuery(opts), obj);
  }

  /** PUT of the whole object; the name comes from `obj.metadata.name`. */
  async update<T extends KubeObject = KubeObject>(ref: ResourceRef, namespace: string | undefined, obj: KubeObject | T, opts: WriteOptions = {}): Promise<T> {
    return this.request<T>('PUT', resourcePath(ref, namespace, nameOf(obj)), this.writeQuery(opts), obj);
  }

  /** PUT to the status subresource. */
  async updateStatus<T extends KubeObject = KubeObject>(ref: ResourceRef, namespace: string | undefined, obj: KubeObject | T, opts: WriteOptions = {}): Promise<T> {
    return this.request<T>('PUT', resourcePath(ref, namespace, nameOf(obj), 'status'), this.writeQuery(opts), obj);
  }

  /** PATCH with the given patch type; `patch` is an object (a JSON patch is an array). */
  async patch<T extends KubeObject = KubeObject>(ref: ResourceRef, namespace: string | undefined, name: string, type: PatchType, patch: object, opts: PatchOptions = {}): Promise<T> {
    const q = this.writeQuery(opts);
    if (opts.force !== undefined) q.set('force', String(opts.force));
    if (type === 'apply' && !q.has('fieldManager')) {
      throw new StatusError(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    }
    return this.request<T>('PATCH', resourcePath(ref, namespace, name, opts.subresource), q, patch, PATCH_CONTENT_TYPES[type]);
  }

  /** Merge patch of the status subresource. */
  async patchStatus<T extends KubeObject = KubeObject>(ref: ResourceRef, namespace: string | undefined, name: string, patch: object, opts: WriteOptions = {}): Promise<T> {
    return this.patch<T>(ref, namespace, name, 'merge', patch, { ...opts, subresource: 'status' });
  }

  /** Server-side apply of a whole object (name from `obj.metadata.name`). */
  async apply<T extends KubeObject = KubeObject>(ref: ResourceRef, namespace: string | undefined, obj: KubeObject, opts: PatchOptions & { fieldManager: string }): Promise<T> {
    return this.patch<T>(ref, namespace, nameOf(obj), 'apply', obj, opts);
  }

  /** DELETE; returns the object (when it lingers for finalizers or grace) or a Success Status. */
  async delete(ref: ResourceRef, namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<KubeObject | Status> {
    return this.request<KubeObject | Status>('DELETE', resourcePath(ref, namespace, name), this.writeQuery(opts), deleteBody(opts), 'application/json');
  }

  /** `delete`, but a 404 NotFound is fine (returns undefined). */
  async deleteIfExists(ref: ResourceRef, namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<KubeObject | Status | undefined> {
    try {
      return await this.delete(ref, namespace, name, opts);
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) return undefined;
      throw e;
    }
  }

  async deleteCollection<T extends KubeObject = KubeObject>(ref: ResourceRef, namespace: string | undefined, opts: ListOptions & DeleteOptions = {}): Promise<KubeList<T>> {
    const q = listQuery(opts, this.writeQuery(opts));
    return this.request<KubeList<T>>('DELETE', resourcePath(ref, namespace), q, deleteBody(opts), 'application/json');
  }

  /** POST to a subresource (binding, eviction, …). */
  async createSubresource<T = KubeObject>(ref: ResourceRef, namespace: string | undefined, name: string, subresource: string, body: object, opts: WriteOptions = {}): Promise<T> {
    return this.request<T>('POST', resourcePath(ref, namespace, name, subresource), this.writeQuery(opts), body);
  }

  // --- scale, binding, eviction --------------------------------------------------------------

  async getScale(ref: ResourceRef, namespace: string, name: string): Promise<Scale> {
    return this.getSubresource<Scale>(ref, namespace, name, 'scale');
  }

  /** Sets spec.replicas through the scale subresource (a merge patch, as `kubectl scale` sends). */
  async scale(ref: ResourceRef, namespace: string, name: string, replicas: number, opts: WriteOptions = {}): Promise<Scale> {
    return this.patch<Scale>(ref, namespace, name, 'merge', { spec: { replicas } }, { ...opts, subresource: 'scale' });
  }

  /** POST pods/<name>/binding: what the scheduler does. */
  async bind(namespace: string, podName: string, nodeName: string, opts: WriteOptions & { podUid?: string } = {}): Promise<unknown> {
    const binding = {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: podName, namespace, ...(opts.podUid ? { uid: opts.podUid } : {}) },
      target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
    };
    return this.createSubresource(POD_REF, namespace, podName, 'binding', binding, opts);
  }

  /** POST pods/<name>/eviction (policy/v1 Eviction): what `kubectl drain` does. */
  async evict(namespace: string, podName: string, deleteOptions?: DeleteOptions): Promise<unknown> {
    const eviction: Record<string, unknown> = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: podName, namespace } };
    if (deleteOptions) eviction.deleteOptions = deleteBody(deleteOptions);
    return this.createSubresource(POD_REF, namespace, podName, 'eviction', eviction, { dryRun: deleteOptions?.dryRun });
  }

  // --- watch -------------------------------------------------------------------------------

  /**
   * Starts a watch. Resolves once the server accepted it; throws the StatusError when it refused
   * (e.g. 410 Expired for a resourceVersion that was compacted away). Errors after that arrive as
   * ERROR events carrying a Status.
   */
  async watch<T extends KubeObject = KubeObject>(ref: ResourceRef, namespace?: string, opts: WatchOptions = {}): Promise<ClientWatch<T>> {
    const q = listQuery(opts);
    q.set('watch', 'true');
    if (opts.allowWatchBookmarks) q.set('allowWatchBookmarks', 'true');
    if (opts.sendInitialEvents !== undefined) q.set('sendInitialEvents', String(opts.sendInitialEvents));
    const abort = new AbortController();
    const onOuterAbort = () => abort.abort();
    if (opts.signal) {
      if (opts.signal.aborted) abort.abort();
      else opts.signal.addEventListener('abort', onOuterAbort, { once: true });
    }
    const res = await this.handler({
      method: 'GET',
      path: resourcePath(ref, namespace),
      query: q,
      headers: { accept: 'application/json', 'user-agent': this.userAgent },
      user: this.user,
      signal: abort.signal,
    });
    if (res.type !== 'watch') {
      opts.signal?.removeEventListener('abort', onOuterAbort);
      if (res.type === 'stream') res.stream.close();
      else if (res.status < 200 || res.status > 299) throw statusErrorFrom(res.status, res.body);
      throw new StatusError(500, 'InternalError', 'Internal error occurred: the server did not start a watch');
    }
    const w = new ClientWatch<T>(res.stream, abort);
    abort.signal.addEventListener('abort', () => w.close(), { once: true });
    w.onClose(() => opts.signal?.removeEventListener('abort', onOuterAbort));
    return w;
  }
}

function readByteStream(stream: { onData(cb: (c: string) => void): void; onEnd(cb: () => void): void }): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    stream.onData((c) => (text += c));
    stream.onEnd(() => resolve(text));
  });
}

const POD_REF: ResourceRef = { group: '', version: 'v1', resource: 'pods' };

function nameOf(obj: KubeObject): string {
  const n = obj.metadata?.name;
  if (!n) throw new StatusError(400, 'BadRequest', 'resource name may not be empty');
  return n;
}

function deleteBody(o: DeleteOptions): object | undefined {
  const b: Record<string, unknown> = {};
  if (o.gracePeriodSeconds !== undefined) b.gracePeriodSeconds = o.gracePeriodSeconds;
  if (o.propagationPolicy) b.propagationPolicy = o.propagationPolicy;
  if (o.preconditions) b.preconditions = o.preconditions;
  if (Object.keys(b).length === 0) return undefined;
  return { kind: 'DeleteOptions', apiVersion: 'v1', ...b };
}
