/**
 * HTTP ⇄ ApiHandler: reads a request body within the limit, builds an `ApiRequest`, and writes
 * an `ApiResponse` back (objects as JSON spliced from the store's cached texts, raw bytes as they
 * are, watches as newline-delimited JSON events). Shared by the HTTPS API listener and the UI
 * gateway, which differ only in the headers they add and the request headers they drop.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiRequest, ApiResponse, WatchEventOut } from './types';
import type { UserInfo } from '../api/types';
import { StatusError } from '../api/errors';
import { MAX_BODY_BYTES } from './media';
import { jsonText, knownJson } from '../storage/json-cache';

export interface ResponseStyle {
  /** Added to every response (the gateway's security headers). */
  headers?: Record<string, string>;
  /** Cache-Control of API responses. Default `no-cache, private` (the API server's). */
  cacheControl?: string;
  /** Content-Type of watch streams. Default `application/json`. */
  watchContentType?: string;
}

const API_STYLE: ResponseStyle = {};

export function writeStatus(res: ServerResponse, e: StatusError, style: ResponseStyle = API_STYLE, head = false): void {
  const body = Buffer.from(JSON.stringify(e.status));
  res.writeHead(e.status.code, { ...(style.headers ?? {}), 'content-type': 'application/json', 'content-length': body.length, 'cache-control': style.cacheControl ?? 'no-cache, private' });
  res.end(head ? undefined : body);
}

/** Reads a request body up to `limit` bytes; rejects with 413 beyond it. */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const tooLarge = () => new StatusError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`);
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > limit) {
      reject(tooLarge());
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limit) {
        failed = true;
        reject(tooLarge());
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (err) => {
      if (!failed) reject(err);
    });
  });
}

/** Writes an ApiResponse to a Node response. */
export function writeApiResponse(req: IncomingMessage, res: ServerResponse, r: ApiResponse, style: ResponseStyle = API_STYLE): void {
  const head = req.method === 'HEAD';
  const cacheControl = style.cacheControl ?? 'no-cache, private';
  const always = style.headers ?? {};
  const extra = r.type !== 'watch' ? r.headers ?? {} : {};
  if (r.type === 'object') {
    // JSON.stringify(r.body), reusing the texts the store kept for the objects in it.
    // Encoded once: the length and the bytes written come from the same Buffer.
    const body = Buffer.from(jsonText(r.body));
    const ct = extra['content-type'] ?? 'application/json';
    res.writeHead(r.status, { ...extra, ...always, 'content-type': ct, 'content-length': body.length, 'cache-control': cacheControl });
    res.end(head ? undefined : body);
    return;
  }
  if (r.type === 'raw') {
    const body = typeof r.body === 'string' ? Buffer.from(r.body) : r.body;
    res.writeHead(r.status, { 'cache-control': cacheControl, ...extra, ...always, 'content-type': r.contentType, 'content-length': body.length });
    res.end(head ? undefined : body);
    return;
  }
  if (r.type === 'stream') {
    writeByteStream(req, res, r, style);
    return;
  }
  // Watch: newline-delimited JSON events, flushed one by one, until either side closes.
  const stream = r.stream;
  res.writeHead(200, { ...always, 'content-type': r.contentType ?? style.watchContentType ?? 'application/json', 'transfer-encoding': 'chunked', 'cache-control': cacheControl });
  res.flushHeaders();
  const end = () => stream.close();
  res.on('close', end);
  req.on('close', end);
  stream.onClose(() => {
    if (!res.writableEnded) res.end();
  });
  stream.onEvent((ev) => {
    if (!res.writableEnded) res.write(watchLine(ev));
  });
}

/** A byte stream (pods/log): chunked, flushed as it comes, closed when either side ends. */
function writeByteStream(req: IncomingMessage, res: ServerResponse, r: Extract<ApiResponse, { type: 'stream' }>, style: ResponseStyle): void {
  const stream = r.stream;
  res.writeHead(200, { 'cache-control': style.cacheControl ?? 'no-cache, private', ...(r.headers ?? {}), ...(style.headers ?? {}), 'content-type': r.contentType, 'transfer-encoding': 'chunked' });
  res.flushHeaders();
  if (req.method === 'HEAD') {
    stream.close();
    res.end();
    return;
  }
  const end = () => stream.close();
  res.on('close', end);
  req.on('close', end);
  stream.onEnd(() => {
    if (!res.writableEnded) res.end();
  });
  stream.onData((chunk) => {
    if (!res.writableEnded) res.write(chunk);
  });
}

/**
 * Watch lines of stored objects, per event type: made once, written to every watcher. The store
 * fans an event out to all watchers in one go, so the lines live for one turn of the event loop
 * only (kept for as long as an object stays current, one watch of 10 000 pods held 60 MB).
 */
let watchLines = new Map<object, Partial<Record<string, Buffer>>>();
let watchLinesDrop = false;

function rememberWatchLine(o: object, type: string, line: Buffer, byType: Partial<Record<string, Buffer>> | undefined): void {
  if (byType) byType[type] = line;
  else watchLines.set(o, { [type]: line });
  if (watchLinesDrop) return;
  watchLinesDrop = true;
  setImmediate(() => {
    watchLines = new Map();
    watchLinesDrop = false;
  });
}

/** `JSON.stringify(ev) + '\n'`; for a plain {type, object} event of a stored object, one shared Buffer. */
function watchLine(ev: WatchEventOut): Buffer | string {
  const o = ev.object;
  if (o !== null && typeof o === 'object') {
    const keys = Object.keys(ev);
    if (keys.length === 2 && keys[0] === 'type' && keys[1] === 'object' && typeof ev.type === 'string') {
      const byType = watchLines.get(o);
      const cached = byType?.[ev.type];
      if (cached) return cached;
      const text = knownJson(o);
      if (text !== undefined) {
        const line = Buffer.from(`{"type":${JSON.stringify(ev.type)},"object":${text}}\n`);
        rememberWatchLine(o, ev.type, line, byType);
        return line;
      }
    }
  }
  return `${jsonText(ev)}\n`;
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

/** Builds the ApiRequest; `dropHeaders` (lower case) are not passed on (the gateway's cookie). */
export function toApiRequest(req: IncomingMessage, body: Buffer | undefined, user: UserInfo, signal: AbortSignal | undefined, dropHeaders: readonly string[] = []): ApiRequest {
  const method = (req.method ?? 'GET').toUpperCase();
  if (!METHODS.has(method)) throw new StatusError(405, 'MethodNotAllowed', `the server does not allow the method ${method}`);
  const url = new URL(req.url ?? '/', 'https://127.0.0.1');
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    const name = k.toLowerCase();
    if (dropHeaders.includes(name)) continue;
    headers[name] = Array.isArray(v) ? v.join(', ') : v;
  }
  return {
    method: method as ApiRequest['method'],
    path: url.pathname,
    query: url.searchParams,
    headers,
    body: body && body.length ? body : undefined,
    user,
    signal,
  };
}
