/**
 * The Kubernetes API as the UI uses it: same-origin fetch through the UI gateway (its session
 * cookie authenticates), list, watch streams (`?watch=1&resourceVersion=…`, one JSON event per
 * line), delete, and an informer that keeps a collection fresh: list → watch from its
 * resourceVersion → re-watch when the server ends the stream → relist on 410 Gone → back off on
 * errors. Lists and watches may ask for server-side Tables (the columns `kubectl get` prints).
 */
import type { KubeList, KubeObject, Status, StatusDetails, Table, TableColumnDefinition, TableRow, WatchEvent } from './types';

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string | undefined,
    message: string,
    /** The Status's details (field causes of an Invalid answer), when the server sent them. */
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** `kubectl get`'s Accept header: a Table when the server can, plain JSON otherwise. */
export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

function isStatus(v: unknown): v is Status {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'Status';
}

async function errorFrom(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  try {
    const body: unknown = JSON.parse(text);
    if (isStatus(body)) return new ApiError(body.code || res.status, body.reason, body.message ?? res.statusText, body.details);
  } catch {
    // not JSON: fall through
  }
  return new ApiError(res.status, undefined, text.trim() || `${res.status} ${res.statusText}`);
}

/** Never from the HTTP cache (a spread: Node's RequestInit, used by the unit tests' typecheck, lacks `cache`). */
const NO_STORE = { cache: 'no-store' } as const;

/** A same-origin API request; non-2xx answers become ApiError with the server's Status message. */
export async function request(url: string, init: RequestInit & { accept?: string } = {}): Promise<Response> {
  const { accept, ...rest } = init;
  const res = await fetch(url, { credentials: 'same-origin', ...NO_STORE, ...rest, headers: { accept: accept ?? 'application/json', ...(rest.headers as Record<string, string> | undefined) } });
  if (!res.ok) throw await errorFrom(res);
  return res;
}

export async function getJson<T>(url: string, signal?: AbortSignal, accept?: string): Promise<T> {
  return (await (await request(url, { signal, accept })).json()) as T;
}

/** What a list or watch asks for besides the path. */
export interface CollectionQuery {
  labelSelector?: string;
  fieldSelector?: string;
  /** Ask for a meta.k8s.io Table (rows carry PartialObjectMetadata). */
  table?: boolean;
}

function withQuery(path: string, q: CollectionQuery, extra: Record<string, string> = {}): string {
  const p = new URLSearchParams();
  if (q.labelSelector) p.set('labelSelector', q.labelSelector);
  if (q.fieldSelector) p.set('fieldSelector', q.fieldSelector);
  if (q.table) p.set('includeObject', 'Metadata');
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  const s = p.toString();
  return s ? `${path}?${s}` : path;
}

/** One object of a collection as the UI keeps it: the object (or its metadata) and its Table cells. */
export interface Item {
  object: KubeObject;
  cells?: unknown[];
  /** The Table row's conditions (pods: `Completed` with reason Succeeded/Failed for terminal pods). */
  conditions?: TableRow['conditions'];
}

export interface ListResult {
  items: Item[];
  resourceVersion: string;
  columns?: TableColumnDefinition[];
  /** More chunks follow: pass this as `continue` (kubectl lists in chunks of 500 the same way). */
  continue?: string;
}

export interface Chunk {
  limit?: number;
  continue?: string;
}

function fromTable(t: Table): Item[] {
  return t.rows.map((r) => ({ object: r.object ?? { metadata: { name: String(r.cells[0] ?? '') } }, cells: r.cells, conditions: r.conditions }));
}

/** GET a collection, e.g. `/api/v1/pods`; as Table rows with `q.table`. */
export async function list(path: string, q: CollectionQuery = {}, signal?: AbortSignal, chunk: Chunk = {}): Promise<ListResult> {
  const extra: Record<string, string> = {};
  if (chunk.limit) extra.limit = String(chunk.limit);
  if (chunk.continue) extra.continue = chunk.continue;
  const body = await getJson<KubeList<KubeObject> | Table>(withQuery(path, q, extra), signal, q.table ? TABLE_ACCEPT : undefined);
  const cont = (body.metadata as { continue?: string } | undefined)?.continue || undefined;
  if (body.kind === 'Table') {
    const t = body as Table;
    return { items: fromTable(t), resourceVersion: t.metadata.resourceVersion ?? '0', columns: t.columnDefinitions, continue: cont };
  }
  const l = body as KubeList<KubeObject>;
  return { items: l.items.map((object) => ({ object })), resourceVersion: l.metadata.resourceVersion ?? '0', continue: cont };
}

/** The first chunk is small so the first rows show at once; the rest come in bigger ones. */
export const FIRST_CHUNK = 500;
export const NEXT_CHUNK = 2500;

export type ItemEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface ItemEvent {
  type: ItemEventType;
  item: Item;
}

/**
 * Streams watch events of a collection from `resourceVersion` until the server ends the stream
 * (resolves) or something fails (rejects; an `ERROR` event becomes an ApiError). BOOKMARKs only
 * move `onResourceVersion`.
 */
export async function watch(path: string, q: CollectionQuery, resourceVersion: string, onEvent: (ev: ItemEvent) => void, onResourceVersion: (rv: string, columns?: TableColumnDefinition[]) => void, signal?: AbortSignal): Promise<void> {
  const url = withQuery(path, q, { watch: '1', resourceVersion, allowWatchBookmarks: 'true' });
  const handle = watchEventHandler(onEvent, onResourceVersion);
  // Objects stream over a WebSocket (not one of the browser's six HTTP/1.1 connections per
  // host); Tables need an Accept header, which a WebSocket handshake cannot carry.
  if (!q.table && typeof WebSocket === 'function' && !webSocketRefused) {
    const r = await watchOverWebSocket(url, handle, signal);
    if (r !== 'refused') return;
    webSocketRefused = true;
  }
  const res = await request(url, { signal, accept: q.table ? TABLE_ACCEPT : undefined });
  if (!res.body) throw new ApiError(0, undefined, 'watch response has no body');
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += value;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (line) handle(line);
      }
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

/** A server (or gateway) that does not serve watches over WebSocket: use fetch from then on. */
let webSocketRefused = false;

/** Parses one watch event (a JSON line or message) and delivers it; throws ApiError for ERROR. */
function watchEventHandler(onEvent: (ev: ItemEvent) => void, onResourceVersion: (rv: string, columns?: TableColumnDefinition[]) => void): (text: string) => void {
  return (text) => {
    const ev = JSON.parse(text) as WatchEvent<KubeObject | Table>;
    if (ev.type === 'ERROR') {
      const s = isStatus(ev.object) ? ev.object : undefined;
      throw new ApiError(s?.code ?? 500, s?.reason, s?.message ?? 'watch failed');
    }
    const obj = ev.object as KubeObject | Table;
    if (ev.type === 'BOOKMARK') {
      if (obj.metadata?.resourceVersion) onResourceVersion(obj.metadata.resourceVersion);
      return;
    }
    if (obj.kind === 'Table') {
      const t = obj as Table;
      const items = fromTable(t);
      const rv = items[items.length - 1]?.object.metadata.resourceVersion ?? t.metadata.resourceVersion;
      if (rv) onResourceVersion(rv, t.columnDefinitions?.length ? t.columnDefinitions : undefined);
      for (const item of items) onEvent({ type: ev.type, item });
    } else {
      if (obj.metadata?.resourceVersion) onResourceVersion(obj.metadata.resourceVersion);
      onEvent({ type: ev.type, item: { object: obj } });
    }
  };
}

/**
 * A watch as a WebSocket (one JSON event per message, as kube-apiserver serves it): resolves
 * 'ended' when the server closes normally or on abort, 'refused' when the upgrade was refused
 * before opening; rejects on an ERROR event or a broken connection.
 */
function watchOverWebSocket(path: string, handle: (text: string) => void, signal: AbortSignal | undefined): Promise<'ended' | 'refused'> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return resolve('ended');
    const origin = (globalThis as unknown as { location: { origin: string } }).location.origin;
    const ws = new WebSocket(origin.replace(/^http/, 'ws') + path);
    let opened = false;
    let failed = false;
    const abort = (): void => ws.close(1000);
    signal?.addEventListener('abort', abort, { once: true });
    ws.onopen = () => (opened = true);
    ws.onmessage = (ev: MessageEvent) => {
      if (failed) return;
      try {
        handle(typeof ev.data === 'string' ? ev.data : new TextDecoder().decode(ev.data as ArrayBuffer));
      } catch (e) {
        failed = true;
        ws.close(1000);
        reject(e);
      }
    };
    ws.onclose = (ev) => {
      signal?.removeEventListener('abort', abort);
      if (failed) return;
      if (signal?.aborted || (opened && ev.code === 1000)) resolve('ended');
      else if (!opened) resolve('refused');
      else reject(new ApiError(0, undefined, `watch connection lost (${ev.code})`));
    };
  });
}

/** DELETE one object (its path); background propagation, as `kubectl delete` does. */
export async function remove(objectPath: string): Promise<void> {
  await request(objectPath, { method: 'DELETE', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' }) });
}

/**
 * live: listed and watching; connecting/reconnecting: on the way; unauthorized: no session;
 * failed: the server refused the request itself (a bad selector, a forbidden or unknown
 * resource) — shown where the request was made, not retried.
 */
export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'unauthorized' | 'failed';

export interface InformerHandlers {
  /**
   * The list, after every (re)list. The first list is delivered as soon as its first chunk
   * arrives (`complete` false), the rest through onMore; relists are delivered whole.
   */
  onSync(items: Item[], columns: TableColumnDefinition[] | undefined, complete: boolean): void;
  /** Further chunks of the first list. */
  onMore?(items: Item[], complete: boolean): void;
  onEvent(ev: ItemEvent): void;
  /** Table column definitions when a watch brings (new) ones. */
  onColumns?(columns: TableColumnDefinition[]): void;
  onState(state: ConnectionState, error?: string): void;
}

export interface Informer {
  stop(): void;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

/** Codes that mean "this request is wrong", not "the connection is": no point retrying. */
const FATAL = new Set([400, 403, 404, 405, 406, 422]);

/** Keeps one collection in sync: list, then watch from the list's resourceVersion, forever. */
export function informer(path: string, q: CollectionQuery, h: InformerHandlers): Informer {
  const ac = new AbortController();
  const signal = ac.signal;
  void (async () => {
    let failures = 0;
    let synced = false;
    while (!signal.aborted) {
      try {
        h.onState(failures ? 'reconnecting' : 'connecting');
        // A consistent snapshot in chunks (continue tokens); a 410 on a later chunk relists.
        const l = await list(path, q, signal, { limit: FIRST_CHUNK });
        const progressive = !synced;
        let items = l.items;
        if (progressive) h.onSync(items, l.columns, !l.continue);
        let cont = l.continue;
        while (cont && !signal.aborted) {
          const next = await list(path, q, signal, { limit: NEXT_CHUNK, continue: cont });
          cont = next.continue;
          if (progressive) h.onMore?.(next.items, !cont);
          else items = items.concat(next.items);
        }
        if (signal.aborted) return;
        if (!progressive) h.onSync(items, l.columns, true);
        synced = true;
        let rv = l.resourceVersion;
        h.onState('live');
        failures = 0;
        while (!signal.aborted) {
          const started = Date.now();
          await watch(
            path,
            q,
            rv,
            (ev) => h.onEvent(ev),
            (next, columns) => {
              rv = next;
              if (columns) h.onColumns?.(columns);
            },
            signal,
          );
          // The server ended the watch (timeout): continue from where it stopped — but never
          // spin if it keeps ending watches at once.
          if (Date.now() - started < 1000) await sleep(1000, signal);
        }
      } catch (e) {
        if (signal.aborted) return;
        if (e instanceof ApiError && e.code === 410) continue; // history compacted: relist
        if (e instanceof ApiError && FATAL.has(e.code)) {
          h.onState('failed', e.message);
          return;
        }
        failures++;
        if (e instanceof ApiError && e.code === 401) {
          h.onState('unauthorized', e.message);
          await sleep(5000, signal);
        } else {
          h.onState('reconnecting', e instanceof Error ? e.message : String(e));
          await sleep(Math.min(500 * 2 ** Math.min(failures, 5), 10_000), signal);
        }
      }
    }
  })();
  return { stop: () => ac.abort() };
}
