/**
 * The UI gateway (see README.md): serves the renderer on 127.0.0.1 and forwards the Kubernetes
 * API paths to the in-process handler as the session's user. Protected by a random session
 * secret (URL → HttpOnly SameSite=Strict cookie), a Host check against DNS rebinding and an
 * Origin check against cross-site writes.
 */
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ApiHandler } from '../apiserver/types';
import type { StreamingUpgradeHandler } from '../apiserver/streaming/upgrade';
import type { UserInfo } from '../api/types';
import { StatusError } from '../api/errors';
import { COOKIE_NAME, hasSession, hostAllowed, newSecret, originAllowed, secretMatches, sessionCookie } from './session';
import { SECURITY_HEADERS, findRendererDir, serveStatic } from './static';
import { readBody, toApiRequest, writeApiResponse, writeStatus } from './forward';
import { gatewayUpgrades } from './upgrade';
// UI API (/ui/*: port-forwards, features, host terminal): see ui-api.ts
import { isUiApiPath, uiApiRequestHandler, uiApiUpgradeHandler } from './ui-api';
import { PortForwards } from './port-forwards';
import { HostTerminals } from './host-terminal';

export interface UiGatewayOptions {
  /** Port on 127.0.0.1; 0 picks a free one. */
  port: number;
  handler: ApiHandler;
  /** Who the UI's API requests run as. */
  user: UserInfo;
  /** Folder with the built renderer; default: out/renderer found next to the bundle. */
  rendererDir?: string;
  log?: (line: string) => void;
  /** The session secret; default: 32 random bytes. */
  secret?: string;
  /**
   * The API server's streaming upgrades (pods/exec, attach, portforward over WebSocket): the
   * gateway checks the session and Origin, then hands the socket over. Without it, upgrade
   * requests get the API's ordinary answer.
   */
  upgrade?: StreamingUpgradeHandler;
  /**
   * The host terminal (`kubesim serve --host-terminal`): a shell with KUBECONFIG set to this
   * kubeconfig, over a WebSocket at /ui/host-terminal. Absent: not offered (404).
   */
  hostTerminal?: { kubeconfigPath: string; shell?: string };
}

export interface UiGateway {
  /** `http://127.0.0.1:PORT/?session=SECRET`: opening it signs the browser in. */
  url: string;
  /** `http://127.0.0.1:PORT` */
  origin: string;
  port: number;
  close(): Promise<void>;
}

export { COOKIE_NAME };

/** Paths forwarded to the API handler. */
export function isApiPath(path: string): boolean {
  return (
    path === '/api' ||
    path.startsWith('/api/') ||
    path === '/apis' ||
    path.startsWith('/apis/') ||
    path === '/openapi' ||
    path.startsWith('/openapi/') ||
    path === '/version' ||
    path === '/healthz'
  );
}

export async function startUiGateway(opts: UiGatewayOptions): Promise<UiGateway> {
  const secret = opts.secret ?? newSecret();
  const rendererDir = findRendererDir(opts.rendererDir);
  if (!rendererDir) opts.log?.('ui: renderer not built (out/renderer/index.html missing); the UI shows how to build it');
  const sockets = new Set<Socket>();
  let port = 0;

  const server = http.createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    void serve(req, res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // UI API upgrades (the host terminal) first; everything else is the Kubernetes API's.
    if (isUiApiPath(new URL(req.url ?? '/', 'http://127.0.0.1').pathname)) void uiUpgrades(req, socket, head);
    else void upgrades(req, socket, head);
  });
  server.on('clientError', (_e, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
  });

  // UI API (ui-api.ts): port-forwards run in this process and end with the gateway; the host
  // terminal exists only when asked for.
  const portForwards = new PortForwards({ handler: opts.handler, user: opts.user, upgrade: opts.upgrade, log: opts.log });
  const hostTerminals = opts.hostTerminal ? new HostTerminals({ ...opts.hostTerminal, log: opts.log }) : undefined;
  const uiApi = { portForwards, hostTerminals, log: opts.log };
  const uiRequests = uiApiRequestHandler(() => port, secret, uiApi);
  const uiUpgrades = uiApiUpgradeHandler(() => port, secret, uiApi);

  const upgrades = gatewayUpgrades({ port: () => port, secret, handler: opts.handler, user: opts.user, upgrade: opts.upgrade, isApiPath, log: opts.log });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const head = req.method === 'HEAD';
    const ac = new AbortController();
    res.on('close', () => ac.abort());
    try {
      if (!hostAllowed(req, port)) {
        throw new StatusError(403, 'Forbidden', `host "${req.headers.host ?? ''}" is not allowed: open the UI at http://127.0.0.1:${port}/`);
      }
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const presented = url.searchParams.get('session');
      if (presented !== null && !isApiPath(url.pathname)) {
        if (!secretMatches(secret, presented)) {
          throw new StatusError(401, 'Unauthorized', 'Unauthorized: this session link is not valid (kubesim prints a new one each time it starts)');
        }
        url.searchParams.delete('session');
        const target = `${url.pathname}${url.search}`;
        res.writeHead(303, { ...SECURITY_HEADERS, location: target, 'set-cookie': sessionCookie(secret), 'cache-control': 'no-store', 'content-length': 0 });
        res.end();
        return;
      }
      if (isUiApiPath(url.pathname)) {
        await uiRequests(req, res, url.pathname);
        return;
      }
      if (!isApiPath(url.pathname)) {
        serveStatic(req, res, rendererDir, url.pathname);
        return;
      }
      if (!hasSession(req, secret)) throw new StatusError(401, 'Unauthorized', 'Unauthorized');
      if (!originAllowed(req, port)) throw new StatusError(403, 'Forbidden', `cross-origin requests from "${req.headers.origin}" are not allowed`);
      const method = (req.method ?? 'GET').toUpperCase();
      const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(req);
      const r = await opts.handler(toApiRequest(req, body, opts.user, ac.signal));
      if (res.destroyed) {
        if (r.type === 'watch' || r.type === 'stream') r.stream.close();
        return;
      }
      writeApiResponse(req, res, r);
    } catch (e) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (e instanceof StatusError) writeStatus(res, e, head);
      else {
        opts.log?.(`ui gateway: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
        writeStatus(res, new StatusError(500, 'InternalError', `Internal error occurred: ${e instanceof Error ? e.message : String(e)}`), head);
      }
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url: `${origin}/?session=${secret}`,
    origin,
    port,
    close: () => {
      closing ??= (async () => {
        hostTerminals?.close();
        await portForwards.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          for (const s of sockets) s.destroy();
        });
      })();
      return closing;
    },
  };
}
