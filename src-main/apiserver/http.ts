/**
 * The HTTPS listener on 127.0.0.1: bearer-token authentication, body limits, and the adapter
 * between Node's HTTP objects and the transport-independent `ApiHandler`.
 */
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import type { ApiHandler, ApiRequest, ApiResponse, WatchEventOut } from './types';
import type { UserInfo } from '../api/types';
import { StatusError, tooLarge, unauthorized } from '../api/errors';
import { MAX_BODY_BYTES } from './media';
import { jsonText, knownJson } from '../storage/json-cache';

export interface ApiListenerOptions {
  port: number;
  certPem: string;
  keyPem: string;
  /** Tokens accepted and the user each one authenticates. */
  tokens: Map<string, UserInfo>;
  handler: ApiHandler;
  log?: (line: string) => void;
}

export interface ApiListener {
  port: number;
  url: string;
  close(): Promise<void>;
}

/** Paths anyone may read without a token, as upstream's system:public-info-viewer allows. */
const PUBLIC_PATHS = new Set(['/healthz', '/livez', '/readyz', '/version']);

function tokenOf(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(h.trim());
  return m ? m[1].trim() : undefined;
}

function lookupUser(tokens: Map<string, UserInfo>, token: string | undefined): UserInfo | undefined {
  if (!token) return undefined;
  const given = Buffer.from(token);
  for (const [t, user] of tokens) {
    const b = Buffer.from(t);
    if (b.length === given.length && timingSafeEqual(b, given)) return user;
  }
  return undefined;
}

export function writeStatus(res: ServerResponse, e: StatusError): void {
  const body = JSON.stringify(e.status);
  res.writeHead(e.status.code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-cache, private' });
  res.end(body);
}

/** Reads a request body up to the limit; rejects with 413 beyond it. */
function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > MAX_BODY_BYTES) {
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
      if (size > MAX_BODY_BYTES) {
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

/** Writes an ApiResponse to a Node response (shared with the UI gateway). */
export function writeApiResponse(req: IncomingMessage, res: ServerResponse, r: ApiResponse): void {
  const extra = r.type !== 'watch' ? r.headers ?? {} : {};
  if (r.type === 'object') {
    // JSON.stringify(r.body), reusing the texts the store kept for the objects in it.
    // Encoded once: the length and the bytes written come from the same Buffer.
    const body = Buffer.from(jsonText(r.body));
    const ct = extra['content-type'] ?? 'application/json';
    res.writeHead(r.status, { ...extra, 'content-type': ct, 'content-length': body.length, 'cache-control': 'no-cache, private' });
    res.end(req.method === 'HEAD' ? undefined : body);
    return;
  }
  if (r.type === 'raw') {
    const body = typeof r.body === 'string' ? Buffer.from(r.body) : r.body;
    res.writeHead(r.status, { 'cache-control': 'no-cache, private', ...extra, 'content-type': r.contentType, 'content-length': body.length });
    res.end(req.method === 'HEAD' ? undefined : body);
    return;
  }
  // Watch: newline-delimited JSON events, flushed one by one.
  const stream = r.stream;
  res.writeHead(200, { 'content-type': r.contentType ?? 'application/json', 'transfer-encoding': 'chunked', 'cache-control': 'no-cache, private' });
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

/** Watch lines of stored objects, per event type: made once, written to every watcher. */
const watchLines = new WeakMap<object, Partial<Record<string, Buffer>>>();

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
        if (byType) byType[ev.type] = line;
        else watchLines.set(o, { [ev.type]: line });
        return line;
      }
    }
  }
  return `${jsonText(ev)}\n`;
}

export function toApiRequest(req: IncomingMessage, body: Buffer | undefined, user: UserInfo, signal: AbortSignal | undefined): ApiRequest {
  const url = new URL(req.url ?? '/', 'https://127.0.0.1');
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return {
    method: (req.method ?? 'GET').toUpperCase() as ApiRequest['method'],
    path: url.pathname,
    query: url.searchParams,
    headers,
    body: body && body.length ? body : undefined,
    user,
    signal,
  };
}

const ANONYMOUS: UserInfo = { name: 'system:anonymous', groups: ['system:unauthenticated'] };

export async function listenApi(opts: ApiListenerOptions): Promise<ApiListener> {
  const sockets = new Set<import('node:net').Socket>();
  const server = https.createServer({ cert: opts.certPem, key: opts.keyPem, keepAliveTimeout: 65_000 }, (req, res) => {
    void serve(req, res);
  });
  server.on('secureConnection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // The request's AbortSignal, made only when the handler asks for it (watches): an
    // AbortController and the abort's DOMException on every request cost more than a GET.
    let ac: AbortController | undefined;
    let gone = false;
    res.on('close', () => {
      gone = true;
      ac?.abort();
    });
    const signal = (): AbortSignal => {
      if (!ac) {
        ac = new AbortController();
        if (gone) ac.abort();
      }
      return ac.signal;
    };
    try {
      const path = (req.url ?? '/').split('?')[0];
      let user = lookupUser(opts.tokens, tokenOf(req));
      if (!user) {
        if (PUBLIC_PATHS.has(path) && !req.headers.authorization) user = ANONYMOUS;
        else throw unauthorized();
      }
      const method = (req.method ?? 'GET').toUpperCase();
      const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(req);
      const apiReq = toApiRequest(req, body, user, undefined);
      Object.defineProperty(apiReq, 'signal', { get: signal, enumerable: true, configurable: true });
      const r = await opts.handler(apiReq);
      writeApiResponse(req, res, r);
    } catch (e) {
      if (e instanceof StatusError) writeStatus(res, e);
      else {
        opts.log?.(`apiserver: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
        if (!res.headersSent) writeStatus(res, new StatusError(500, 'InternalError', `Internal error occurred: ${e instanceof Error ? e.message : String(e)}`));
        else res.destroy();
      }
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
