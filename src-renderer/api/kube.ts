/**
 * The Kubernetes API as the UI uses it: same-origin fetch through the UI gateway (its session
 * cookie authenticates), list, watch streams (`?watch=1&resourceVersion=…`, one JSON event per
 * line) and an informer that keeps a list fresh: list → watch from its resourceVersion →
 * re-watch when the server ends the stream → relist on 410 Gone → back off on errors.
 */
import type { KubeList, KubeObject, Status, WatchEvent } from './types';

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function isStatus(v: unknown): v is Status {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'Status';
}

async function errorFrom(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  try {
    const body: unknown = JSON.parse(text);
    if (isStatus(body)) return new ApiError(body.code || res.status, body.reason, body.message ?? res.statusText);
  } catch {
    // not JSON: fall through
  }
  return new ApiError(res.status, undefined, text.trim() || `${res.status} ${res.statusText}`);
}

async function get(url: string, signal?: AbortSignal): Promise<Response> {
  const res = await fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' }, cache: 'no-store', signal });
  if (!res.ok) throw await errorFrom(res);
  return res;
}

/** GET a collection, e.g. `/api/v1/nodes`. */
export async function list<T extends KubeObject>(path: string, signal?: AbortSignal): Promise<KubeList<T>> {
  return (await (await get(path, signal)).json()) as KubeList<T>;
}

/**
 * Streams watch events of a collection from `resourceVersion` until the server ends the stream
 * (resolves) or something fails (rejects; an `ERROR` event becomes an ApiError).
 */
export async function watch<T extends KubeObject>(path: string, resourceVersion: string, onEvent: (ev: WatchEvent<T>) => void, signal?: AbortSignal): Promise<void> {
  const q = new URLSearchParams({ watch: '1', resourceVersion, allowWatchBookmarks: 'true' });
  const res = await get(`${path}?${q}`, signal);
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
        if (!line) continue;
        const ev = JSON.parse(line) as WatchEvent<T>;
        if (ev.type === 'ERROR') {
          const s = isStatus(ev.object) ? ev.object : undefined;
          throw new ApiError(s?.code ?? 500, s?.reason, s?.message ?? 'watch failed');
        }
        onEvent(ev);
      }
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'unauthorized';

export interface InformerHandlers<T extends KubeObject> {
  /** The full list, after every (re)list. */
  onSync(items: T[]): void;
  onEvent(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: T): void;
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

/** Keeps one collection in sync: list, then watch from the list's resourceVersion, forever. */
export function informer<T extends KubeObject>(path: string, h: InformerHandlers<T>): Informer {
  const ac = new AbortController();
  const signal = ac.signal;
  void (async () => {
    let failures = 0;
    while (!signal.aborted) {
      try {
        h.onState(failures ? 'reconnecting' : 'connecting');
        const l = await list<T>(path, signal);
        h.onSync(l.items);
        let rv = l.metadata.resourceVersion ?? '0';
        h.onState('live');
        failures = 0;
        while (!signal.aborted) {
          const started = Date.now();
          await watch<T>(
            path,
            rv,
            (ev) => {
              const obj = ev.object as T;
              if (obj?.metadata?.resourceVersion) rv = obj.metadata.resourceVersion;
              if (ev.type === 'ADDED' || ev.type === 'MODIFIED' || ev.type === 'DELETED') h.onEvent(ev.type, obj);
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
