/**
 * A program's HTTP handler served over the pod's sockets by node's own HTTP/1.1 server (never
 * listening itself: every accepted connection is handed over with `emit('connection')`). Node
 * does the protocol (keep-alive, pipelining, chunked request bodies, HEAD, 400 for garbage);
 * this file turns each parsed request into an `HttpRequest` and writes the `HttpResponse` back.
 *
 * The request path is the hot path of the LoadBalancer benchmark: per request it allocates only
 * the HttpRequest object (headers are node's own object, the client address is computed once per
 * connection).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Connection } from '../../network/types';
import type { HttpHandler, HttpRequest, HttpResponse } from '../program';

/** Request bodies beyond this are refused with 413 (nginx's default client_max_body_size is 1 MiB). */
const MAX_BODY = 16 * 1024 * 1024;

/** The client address a program sees, stored on the accepted socket. */
const CLIENT = Symbol('kubesim.client');

type Tagged = Duplex & { [CLIENT]?: string };

export interface HttpServeOptions {
  /** Called once per request (CPU accounting). */
  onRequest?(): void;
}

export class HttpServer {
  /** Node's server, made on the first connection: most pods of a big cluster never get one. */
  private server: Server | undefined;

  constructor(
    private readonly handler: HttpHandler,
    private readonly opts: HttpServeOptions = {},
  ) {}

  /** Whether a connection has come (node's server exists). */
  get started(): boolean {
    return this.server !== undefined;
  }

  private nodeServer(): Server {
    if (this.server) return this.server;
    const server = createServer({ noDelay: true }, (req, res) => this.request(req, res));
    // node programs answer `Keep-Alive: timeout=5`; idle keep-alive connections are closed after it
    server.keepAliveTimeout = 5000;
    return (this.server = server);
  }

  /**
   * Serves one accepted connection. `v6Listener`: the program listens on `::`, so IPv4 clients
   * appear as `::ffff:<ip>` (node's `req.socket.remoteAddress` for `server.listen(port)`).
   */
  accept(conn: Connection, v6Listener: boolean): void {
    const socket = conn.socket as Tagged;
    const ip = conn.remote.address;
    socket[CLIENT] = v6Listener && !ip.includes(':') ? `::ffff:${ip}` : ip;
    this.nodeServer().emit('connection', socket);
  }

  private request(req: IncomingMessage, res: ServerResponse): void {
    this.opts.onRequest?.();
    const h = req.headers;
    const len = h['content-length'];
    if ((len === undefined || len === '0') && h['transfer-encoding'] === undefined) {
      this.dispatch(req, res, undefined);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        if (!res.headersSent) {
          res.writeHead(413, { Connection: 'close' });
          res.end();
        }
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (size <= MAX_BODY) this.dispatch(req, res, Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', () => {});
  }

  private dispatch(req: IncomingMessage, res: ServerResponse, body: string | undefined): void {
    const request: HttpRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers as Record<string, string>,
      remoteAddress: (req.socket as Tagged)[CLIENT] ?? '',
      httpVersion: req.httpVersion,
      body,
    };
    let out: HttpResponse | Promise<HttpResponse>;
    try {
      out = this.handler(request);
    } catch {
      fail(res);
      return;
    }
    if (out instanceof Promise) out.then((r) => write(res, r), () => fail(res));
    else write(res, out);
  }
}

function write(res: ServerResponse, r: HttpResponse): void {
  if (res.writableEnded || res.destroyed) return;
  let headers = r.headers;
  // the client asked to close (or spoke HTTP/1.0 without keep-alive): a program's
  // `Connection: keep-alive` would keep node from closing, so the answer says close, as servers do
  if (!res.shouldKeepAlive && headers && (headers.Connection !== undefined || headers.connection !== undefined)) {
    headers = { ...headers };
    delete headers.connection;
    headers.Connection = 'close';
  }
  // without a length from the program the body's own (as node's res.end(body) and Go's server do for small bodies)
  if (r.body && !hasLength(headers)) headers = { ...headers, 'Content-Length': String(Buffer.byteLength(r.body)) };
  try {
    res.writeHead(r.status, r.reason, headers);
    res.end(r.body);
  } catch {
    // invalid header names/values from a program: an empty 500 instead of a crash
    if (!res.headersSent) fail(res);
    else res.destroy();
  }
}

function hasLength(h: Record<string, string> | undefined): boolean {
  return !!h && (h['Content-Length'] !== undefined || h['content-length'] !== undefined || h['Transfer-Encoding'] !== undefined || h['transfer-encoding'] !== undefined);
}

function fail(res: ServerResponse): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  res.writeHead(500, { 'Content-Length': '0' });
  res.end();
}
