/**
 * HTTP ⇄ ApiHandler for the gateway: builds an `ApiRequest` (raw body bytes, lower-case
 * headers, query) and writes the `ApiResponse` back — objects as JSON, raw bytes as they are,
 * watches as chunked `application/json;stream=watch` lines until either side closes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiRequest, ApiResponse } from '../apiserver/types';
import type { UserInfo } from '../api/types';
import { StatusError } from '../api/errors';
import { SECURITY_HEADERS } from './static';

/** Request bodies above this are refused with 413 (the API server's own limit). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? '0') > limit) {
      req.resume();
      reject(new StatusError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`));
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
        reject(new StatusError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on('error', (e) => {
      if (!failed) reject(e);
    });
  });
}

export function toApiRequest(req: IncomingMessage, body: Buffer | undefined, user: UserInfo, signal: AbortSignal): ApiRequest {
  const method = (req.method ?? 'GET').toUpperCase();
  if (!METHODS.has(method)) throw new StatusError(405, 'MethodNotAllowed', `the server does not allow the method ${method}`);
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    const name = k.toLowerCase();
    // The session cookie authenticates to the gateway; the API sees only the session's user.
    if (name === 'cookie' || name === 'authorization') continue;
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

export function writeStatus(res: ServerResponse, e: StatusError, head = false): void {
  const body = JSON.stringify(e.status);
  res.writeHead(e.status.code, { ...SECURITY_HEADERS, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(head ? undefined : body);
}

export function writeApiResponse(req: IncomingMessage, res: ServerResponse, r: ApiResponse): void {
  const head = req.method === 'HEAD';
  if (r.type === 'object') {
    const body = JSON.stringify(r.body);
    const extra = r.headers ?? {};
    res.writeHead(r.status, { ...extra, ...SECURITY_HEADERS, 'content-type': extra['content-type'] ?? 'application/json', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
    res.end(head ? undefined : body);
    return;
  }
  if (r.type === 'raw') {
    const body = typeof r.body === 'string' ? Buffer.from(r.body) : r.body;
    res.writeHead(r.status, { ...(r.headers ?? {}), ...SECURITY_HEADERS, 'content-type': r.contentType, 'content-length': body.length, 'cache-control': 'no-store' });
    res.end(head ? undefined : body);
    return;
  }
  const stream = r.stream;
  res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'application/json;stream=watch', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
  res.flushHeaders();
  let closed = false;
  const stop = () => {
    if (closed) return;
    closed = true;
    stream.close();
  };
  // 'close' on the response fires when the client goes away (or the response ends).
  res.on('close', stop);
  stream.onClose(() => {
    closed = true;
    if (!res.writableEnded) res.end();
  });
  stream.onEvent((ev) => {
    if (!res.writableEnded) res.write(`${JSON.stringify({ type: ev.type, object: ev.object })}\n`);
  });
}
