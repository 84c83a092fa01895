/**
 * WATCH: events from the store's revision log, filtered by selectors (objects moving in or out of
 * the selection become ADDED / DELETED, as the watch cache does), rendered as objects or Table
 * rows, with bookmarks and timeoutSeconds.
 */
import type { ResourceDef } from '../../api/resource';
import type { KubeObject } from '../../api/types';
import { StatusError, badRequest, gone } from '../../api/errors';
import { StoreError, type StoreEvent } from '../../storage/types';
import type { ServerContext } from '../context';
import type { WatchEventOut, WatchStream } from '../types';
import { keyFor, prefixFor, viewServed } from '../storage-keys';
import { parseAccept } from '../media';
import { includeObjectOption, partialMetadata, toTable } from './table';
import { buildSelection } from './selection';

const BOOKMARK_INTERVAL_MS = 60_000;
/** Upstream picks a random timeout in [minRequestTimeout, 2*minRequestTimeout) with 1800s. */
const DEFAULT_TIMEOUT_S = 1800;

/** A push stream with a buffer until the consumer attaches. */
export class BufferedWatchStream implements WatchStream {
  private buffer: WatchEventOut[] = [];
  private consumer?: (ev: WatchEventOut) => void;
  private closeCbs: (() => void)[] = [];
  private closed = false;
  private cleanups: (() => void)[] = [];

  push(ev: WatchEventOut): void {
    if (this.closed) return;
    if (this.consumer) this.consumer(ev);
    else this.buffer.push(ev);
  }
  onEvent(cb: (ev: WatchEventOut) => void): void {
    this.consumer = cb;
    const pending = this.buffer;
    this.buffer = [];
    for (const ev of pending) cb(ev);
  }
  onClose(cb: () => void): void {
    if (this.closed) cb();
    else this.closeCbs.push(cb);
  }
  addCleanup(fn: () => void): void {
    this.cleanups.push(fn);
  }
  get isClosed(): boolean {
    return this.closed;
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const fn of this.cleanups) fn();
    for (const cb of this.closeCbs) cb();
  }
}

export function startWatch(ctx: ServerContext, def: ResourceDef, namespace: string, name: string, query: URLSearchParams, accept: string | undefined, signal?: AbortSignal): BufferedWatchStream {
  const sel = buildSelection(def, query, name);
  const a = parseAccept(accept);
  const include = a.table ? includeObjectOption(query) : 'Object';
  const rvText = query.get('resourceVersion') ?? '';
  if (rvText !== '' && !/^\d+$/.test(rvText)) throw badRequest(`resourceVersion: Invalid value: "${rvText}": must be a non-negative integer`);
  const timeoutText = query.get('timeoutSeconds');
  let timeoutS = DEFAULT_TIMEOUT_S;
  if (timeoutText !== null && timeoutText !== '') {
    if (!/^\d+$/.test(timeoutText)) throw badRequest(`timeoutSeconds: Invalid value: "${timeoutText}": must be a non-negative integer`);
    timeoutS = Number(timeoutText);
  }
  const bookmarks = query.get('allowWatchBookmarks') === 'true' || query.get('allowWatchBookmarks') === '1';
  const sendInitial = query.get('sendInitialEvents') === 'true';
  const stream = new BufferedWatchStream();
  let headersSent = false;
  let lastRv = 0;

  const render = (type: WatchEventOut['type'], obj: KubeObject): WatchEventOut => {
    if (a.table) {
      const t = toTable(def, [obj], { resourceVersion: obj.metadata.resourceVersion }, include, !headersSent);
      headersSent = true;
      return { type, object: t };
    }
    if (a.partialMetadata) return { type, object: partialMetadata(obj) };
    return { type, object: obj };
  };

  const bookmark = (rv: number, initialEnd = false): void => {
    const metadata: Record<string, unknown> = { resourceVersion: String(rv) };
    if (initialEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
    stream.push({ type: 'BOOKMARK', object: { kind: def.kind, apiVersion: def.group ? `${def.group}/${def.version}` : def.version, metadata } });
  };

  const onEvent = (ev: StoreEvent): void => {
    lastRv = ev.rv;
    const cur = viewServed(def, ev.object);
    const prev = ev.prev ? viewServed(def, ev.prev) : undefined;
    const nowIn = ev.type !== 'DELETED' && sel.matches(cur);
    const wasIn = prev !== undefined && sel.matches(prev);
    if (ev.type === 'ADDED') {
      if (nowIn) stream.push(render('ADDED', cur));
    } else if (ev.type === 'MODIFIED') {
      if (nowIn && wasIn) stream.push(render('MODIFIED', cur));
      else if (nowIn) stream.push(render('ADDED', cur));
      else if (wasIn) {
        // Left the selection: a DELETED carrying the new state, as the watch cache sends.
        stream.push(render('DELETED', cur));
      }
    } else if (ev.type === 'DELETED') {
      // The store gives the deleted object at the delete's revision.
      if (sel.matches(cur)) stream.push(render('DELETED', cur));
    }
  };

  const prefix = name ? keyFor(def, namespace, name) : prefixFor(def, namespace);
  let fromRevision: number;
  const wantsState = rvText === '' || rvText === '0' || sendInitial;
  try {
    if (wantsState) {
      // Synthetic ADDED for the current state, then changes after it.
      const res = ctx.store.list(prefix.endsWith('/') ? prefix : prefix.slice(0, prefix.lastIndexOf('/') + 1));
      fromRevision = res.revision;
      for (const s of res.items) {
        if (name && s.key !== prefix) continue;
        const obj = viewServed(def, s.object);
        if (sel.matches(obj)) stream.push(render('ADDED', obj));
      }
      if (sendInitial && bookmarks) bookmark(res.revision, true);
    } else {
      fromRevision = Number(rvText);
      if (fromRevision > ctx.store.currentRevision()) {
        throw new StatusError(504, 'Timeout', `Timeout: Too large resource version: ${fromRevision}, current: ${ctx.store.currentRevision()}`, { retryAfterSeconds: 1 });
      }
    }
    lastRv = fromRevision;
    const w = ctx.store.watch(prefix, { fromRevision }, (ev) => {
      if (name && ev.key !== prefix) return;
      onEvent(ev);
    });
    stream.addCleanup(() => w.stop());
  } catch (e) {
    if (e instanceof StoreError && e.code === 'Gone') {
      throw gone(`too old resource version: ${rvText} (${e.currentRevision ?? ctx.store.currentRevision()})`);
    }
    throw e;
  }

  if (bookmarks) {
    const t = setInterval(() => bookmark(Math.max(lastRv, 0) || ctx.store.currentRevision()), BOOKMARK_INTERVAL_MS);
    t.unref();
    stream.addCleanup(() => clearInterval(t));
  }
  if (timeoutS > 0) {
    const t = setTimeout(() => stream.close(), timeoutS * 1000);
    t.unref();
    stream.addCleanup(() => clearTimeout(t));
  }
  if (bookmarks && timeoutS > 2) {
    // As the watch cache: one more bookmark 2 s before the timeout, at the current revision, so the
    // client resumes from there instead of replaying every change under the prefix since its last
    // bookmark (100 kubelets' pod watches each re-reading a minute of other nodes' pods).
    const t = setTimeout(() => bookmark(ctx.store.currentRevision()), (timeoutS - 2) * 1000);
    t.unref();
    stream.addCleanup(() => clearTimeout(t));
  }
  if (signal) {
    const abort = () => stream.close();
    if (signal.aborted) stream.close();
    else signal.addEventListener('abort', abort, { once: true });
    stream.addCleanup(() => signal.removeEventListener('abort', abort));
  }
  ctx.watches.add(stream);
  stream.addCleanup(() => ctx.watches.delete(stream));
  return stream;
}
