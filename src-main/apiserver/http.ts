/**
 * The HTTPS listener on 127.0.0.1: bearer-token authentication in front of the HTTP ⇄ ApiHandler
 * adapter (transport.ts). Upgrade requests (exec, attach, port-forward over WebSocket or SPDY) are
 * authenticated the same way and handed to `upgrade` (streaming/upgrade.ts).
 */
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import type { ApiHandler } from './types';
import type { UserInfo } from '../api/types';
import { StatusError, unauthorized } from '../api/errors';
import { readBody, toApiRequest, writeApiResponse, writeStatus } from './transport';
import type { StreamingUpgradeHandler } from './streaming/upgrade';
import { writeNonUpgradeResponse, writeUpgradeFailure } from './streaming/handshake';

export interface ApiListenerOptions {
  port: number;
  certPem: string;
  keyPem: string;
  /** Tokens accepted and the user each one authenticates. */
  tokens: Map<string, UserInfo>;
  handler: ApiHandler;
  /** Upgrade requests of the streaming subresources (exec, attach, portforward). */
  upgrade?: StreamingUpgradeHandler;
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
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    void serveUpgrade(req, socket, head);
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

  /**
   * An upgrade request: the same bearer-token check, then the streaming subresources take the
   * socket; any other path gets its ordinary response and the connection closes.
   */
  async function serveUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    (socket as Duplex & { setNoDelay?: (v: boolean) => void }).setNoDelay?.(true);
    try {
      const user = lookupUser(opts.tokens, tokenOf(req));
      if (!user) throw unauthorized();
      const apiReq = toApiRequest(req, undefined, user, undefined);
      if (opts.upgrade && (await opts.upgrade(apiReq, req, socket, head))) return;
      const r = await opts.handler(apiReq);
      writeNonUpgradeResponse(socket, r);
    } catch (e) {
      writeUpgradeFailure(socket, e, opts.log, 'apiserver');
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
