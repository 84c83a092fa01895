/**
 * A fake ApiHandler for client and informer tests: one collection of objects with a revision
 * counter, list (with labelSelector and paging), and watch streams it can feed events, bookmarks,
 * 410 Expired errors and closes into.
 */
import type { ApiHandler, ApiRequest, ApiResponse, WatchEventOut, WatchStream } from '../../../src-main/apiserver/types';
import type { KubeObject } from '../../../src-main/api/types';
import { parseLabelSelector } from '../../../src-main/api/selectors';

export class FakeStream implements WatchStream {
  private buffer: WatchEventOut[] = [];
  private consumer?: (ev: WatchEventOut) => void;
  private closeCbs: (() => void)[] = [];
  closed = false;
  constructor(readonly req: ApiRequest) {
    req.signal?.addEventListener('abort', () => this.close());
  }
  push(ev: WatchEventOut): void {
    if (this.closed) return;
    if (this.consumer) this.consumer(ev);
    else this.buffer.push(ev);
  }
  onEvent(cb: (ev: WatchEventOut) => void): void {
    this.consumer = cb;
    for (const ev of this.buffer.splice(0)) cb(ev);
  }
  onClose(cb: () => void): void {
    if (this.closed) cb();
    else this.closeCbs.push(cb);
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const cb of this.closeCbs.splice(0)) cb();
  }
}

interface Change {
  rv: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

export class FakeCollection {
  rv = 100;
  objects = new Map<string, KubeObject>();
  history: Change[] = [];
  /** Watches from a resourceVersion older than this get 410. */
  compactedRV = 0;
  streams: FakeStream[] = [];
  requests: ApiRequest[] = [];
  /** Make the next N list requests fail with 500. */
  failLists = 0;

  constructor(
    readonly apiVersion = 'v1',
    readonly kind = 'Pod',
  ) {}

  private key(ns: string | undefined, name: string): string {
    return ns ? `${ns}/${name}` : name;
  }

  private record(type: Change['type'], obj: KubeObject, notify: boolean): KubeObject {
    const c: Change = { rv: this.rv, type, object: clone(obj) };
    this.history.push(c);
    if (notify) for (const s of this.openStreams()) if (this.selects(s.req, c.object)) s.push({ type, object: clone(c.object) });
    return clone(obj);
  }

  /** Creates an object (sends ADDED to open watches unless `silent`). */
  create(ns: string | undefined, name: string, extra: Partial<KubeObject> = {}, silent = false): KubeObject {
    const obj: KubeObject = { apiVersion: this.apiVersion, kind: this.kind, ...extra, metadata: { ...(extra.metadata ?? {}), name, ...(ns ? { namespace: ns } : {}), resourceVersion: String(++this.rv), uid: `uid-${name}` } };
    this.objects.set(this.key(ns, name), obj);
    return this.record('ADDED', obj, !silent);
  }

  update(ns: string | undefined, name: string, mutate: (o: KubeObject) => void, silent = false): KubeObject {
    const obj = clone(this.objects.get(this.key(ns, name))!);
    mutate(obj);
    obj.metadata.resourceVersion = String(++this.rv);
    this.objects.set(this.key(ns, name), obj);
    return this.record('MODIFIED', obj, !silent);
  }

  delete(ns: string | undefined, name: string, silent = false): KubeObject {
    const obj = clone(this.objects.get(this.key(ns, name))!);
    this.objects.delete(this.key(ns, name));
    obj.metadata.resourceVersion = String(++this.rv);
    return this.record('DELETED', obj, !silent);
  }

  openStreams(): FakeStream[] {
    return this.streams.filter((s) => !s.closed);
  }

  /** Sends a BOOKMARK at the current revision to watches that asked for them. */
  bookmark(): void {
    for (const s of this.openStreams()) {
      if (s.req.query.get('allowWatchBookmarks') === 'true') s.push({ type: 'BOOKMARK', object: { kind: this.kind, apiVersion: this.apiVersion, metadata: { resourceVersion: String(this.rv) } } });
    }
  }

  /** Sends ERROR 410 Expired to every open watch and closes it. */
  expireWatches(): void {
    for (const s of this.openStreams()) {
      s.push({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `too old resource version: ${s.req.query.get('resourceVersion')} (${this.rv})`, reason: 'Expired', code: 410 } });
      s.close();
    }
  }

  /** Ends every open watch normally (as a timeout would). */
  closeWatches(): void {
    for (const s of this.openStreams()) s.close();
  }

  /** Forgets history: watches from older revisions get 410. */
  compact(): void {
    this.compactedRV = this.rv;
    this.history = [];
  }

  watchRequests(): ApiRequest[] {
    return this.requests.filter((r) => r.query.get('watch') === 'true');
  }

  listRequests(): ApiRequest[] {
    return this.requests.filter((r) => r.method === 'GET' && r.query.get('watch') !== 'true');
  }

  private selects(req: ApiRequest, obj: KubeObject): boolean {
    const ls = req.query.get('labelSelector');
    const m = /\/namespaces\/([^/]+)\//.exec(req.path);
    if (m && obj.metadata.namespace !== m[1]) return false;
    return !ls || parseLabelSelector(ls).matches(obj.metadata.labels);
  }

  handler: ApiHandler = async (req: ApiRequest): Promise<ApiResponse> => {
    this.requests.push(req);
    await Promise.resolve();
    if (req.method !== 'GET') return { type: 'object', status: 405, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 405, reason: 'MethodNotAllowed', message: 'nope' } };
    if (req.query.get('watch') === 'true') {
      const from = Number(req.query.get('resourceVersion') || this.rv);
      if (from < this.compactedRV) {
        return { type: 'object', status: 410, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 410, reason: 'Expired', message: `too old resource version: ${from} (${this.rv})` } };
      }
      const s = new FakeStream(req);
      for (const c of this.history) if (c.rv > from && this.selects(req, c.object)) s.push({ type: c.type, object: clone(c.object) });
      this.streams.push(s);
      return { type: 'watch', status: 200, stream: s };
    }
    if (this.failLists > 0) {
      this.failLists--;
      return { type: 'object', status: 500, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 500, reason: 'InternalError', message: 'Internal error occurred: boom' } };
    }
    const all = [...this.objects.values()].filter((o) => this.selects(req, o)).sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
    const limit = Number(req.query.get('limit') || 0);
    const start = Number(req.query.get('continue') || 0);
    const items = limit ? all.slice(start, start + limit) : all.slice(start);
    const more = limit > 0 && start + limit < all.length;
    return {
      type: 'object',
      status: 200,
      body: { kind: `${this.kind}List`, apiVersion: this.apiVersion, metadata: { resourceVersion: String(this.rv), ...(more ? { continue: String(start + limit) } : {}) }, items: items.map(clone) },
    };
  };
}
