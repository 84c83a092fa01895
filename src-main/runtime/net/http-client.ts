/**
 * Outbound HTTP from a program (nginx `proxy_pass`, wget, curl, app back-ends): node's own HTTP/1.1
 * client (`http.request({ createConnection })`) over a connection the pod's network namespace
 * opened. One connection per request (`Connection: close`), as busybox wget and nginx's default
 * upstream do. Response headers keep the case the server sent them in.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { Connection } from '../../network/types';
import type { HttpRequest, HttpResponse } from '../program';
import { SocketError, socketError } from './errors';

/** Response bodies beyond this are cut off (the simulation keeps bodies as strings). */
const MAX_BODY = 64 * 1024 * 1024;

/** Hop-by-hop headers the client sets itself. */
const HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'upgrade', 'proxy-connection']);

export interface ParsedUrl {
  scheme: 'http' | 'https';
  host: string;
  port: number;
  /** Path with query (`/a?b=1`). */
  path: string;
  /** `host` or `host:port` as written (the Host header). */
  authority: string;
}

/** `http://svc:8080/x` → its parts; undefined for a URL a client cannot use. */
export function parseUrl(url: string): ParsedUrl | undefined {
  const m = /^(?:(https?):\/\/)?(\[[^\]]+\]|[^/:?#\s]+)(?::(\d*))?([/?][^#\s]*)?(?:#.*)?$/i.exec(url.trim());
  if (!m) return undefined;
  const scheme = (m[1]?.toLowerCase() ?? 'http') as 'http' | 'https';
  const port = m[3] ? Number(m[3]) : scheme === 'https' ? 443 : 80;
  if (!Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  let path = m[4] ?? '/';
  if (path.startsWith('?')) path = `/${path}`;
  return { scheme, host: m[2]!.replace(/^\[|\]$/g, ''), port, path, authority: m[3] ? `${m[2]}:${m[3]}` : m[2]! };
}

export interface ExchangeOptions {
  /** Real-time limit for the whole exchange after connecting (ETIMEDOUT). */
  timeoutMs?: number;
}

/**
 * Sends `req` over `conn` and reads the whole response. `authority` is the Host header when the
 * request has none. Rejects with SocketError (ECONNRESET when the server hangs up, ETIMEDOUT).
 */
export function exchange(conn: Connection, authority: string, req: HttpRequest, opts: ExchangeOptions = {}): Promise<HttpResponse> {
  const headers: Record<string, string> = {};
  for (const k in req.headers) if (!HOP.has(k.toLowerCase())) headers[k] = req.headers[k]!;
  if (!Object.keys(headers).some((k) => k.toLowerCase() === 'host')) headers.Host = authority;
  headers.Connection = 'close';
  const body = req.body !== undefined && req.body !== '' ? req.body : undefined;
  if (body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(body));
  const host = authority.replace(/:\d+$/, '');
  return new Promise<HttpResponse>((resolve, reject) => {
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (err: Error | undefined, res?: HttpResponse) => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      if (err) {
        conn.socket.destroy();
        reject(err);
      } else resolve(res!);
    };
    const r = httpRequest(
      {
        method: req.method,
        path: req.path || '/',
        headers,
        setHost: false,
        createConnection: () => conn.socket as never,
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= MAX_BODY) chunks.push(c);
        });
        res.on('end', () => finish(undefined, { status: res.statusCode ?? 0, reason: res.statusMessage, headers: rawHeaders(res.rawHeaders), body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (e) => finish(socketError(e, host)));
        res.on('aborted', () => finish(new SocketError('ECONNRESET', host)));
      },
    );
    r.on('error', (e) => finish(socketError(e, host)));
    if (opts.timeoutMs !== undefined && opts.timeoutMs > 0) {
      timer = setTimeout(() => {
        r.destroy();
        finish(new SocketError('ETIMEDOUT', host));
      }, opts.timeoutMs);
      timer.unref();
    }
    r.end(body);
  });
}

/** `['Content-Type', 'text/html', …]` → an object; repeated headers joined with `, ` (Set-Cookie too). */
function rawHeaders(raw: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const k = raw[i]!;
    out[k] = out[k] === undefined ? raw[i + 1]! : `${out[k]}, ${raw[i + 1]}`;
  }
  return out;
}
