/**
 * Upgrade requests through the gateway (exec, attach and port-forward WebSockets of the UI): the
 * same Host, session-cookie and Origin checks as every API request — and the Origin is what
 * keeps a page of another origin out (browsers send the SameSite=Strict cookie to
 * 127.0.0.1:<our port> from any 127.0.0.1 page: a "site" ignores ports). Then the socket goes to
 * the API server's own streaming upgrade handler (apiserver/streaming/upgrade.ts) as the
 * session's user. Watches and pod logs are served over WebSocket too (ws-streams.ts); any other
 * API path gets its ordinary response and the connection closes.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ApiHandler } from '../apiserver/types';
import type { UserInfo } from '../api/types';
import type { StreamingUpgradeHandler } from '../apiserver/streaming/upgrade';
import { StatusError } from '../api/errors';
import { writeNonUpgradeResponse, writeUpgradeFailure } from '../apiserver/streaming/handshake';
import { hasSession, hostAllowed, originAllowed } from './session';
import { toApiRequest } from './forward';
import { serveStreamOverWebSocket } from './ws-streams';

export interface GatewayUpgradeOptions {
  /** The gateway's port (known once it listens). */
  port: () => number;
  secret: string;
  handler: ApiHandler;
  user: UserInfo;
  upgrade?: StreamingUpgradeHandler;
  isApiPath: (path: string) => boolean;
  log?: (line: string) => void;
}

export function gatewayUpgrades(opts: GatewayUpgradeOptions): (req: IncomingMessage, socket: Duplex, head: Buffer) => Promise<void> {
  return async (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    (socket as Duplex & { setNoDelay?: (v: boolean) => void }).setNoDelay?.(true);
    try {
      const port = opts.port();
      if (!hostAllowed(req, port)) throw new StatusError(403, 'Forbidden', `host "${req.headers.host ?? ''}" is not allowed: open the UI at http://127.0.0.1:${port}/`);
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      if (!opts.isApiPath(path)) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource');
      if (!hasSession(req, opts.secret)) throw new StatusError(401, 'Unauthorized', 'Unauthorized');
      if (!originAllowed(req, port)) throw new StatusError(403, 'Forbidden', `cross-origin requests from "${req.headers.origin}" are not allowed`);
      const ac = new AbortController();
      socket.once('close', () => ac.abort());
      const apiReq = toApiRequest(req, undefined, opts.user, ac.signal);
      if (opts.upgrade && (await opts.upgrade(apiReq, req, socket, head))) return;
      const r = await opts.handler(apiReq);
      if (socket.destroyed) {
        if (r.type === 'watch' || r.type === 'stream') r.stream.close();
        return;
      }
      if ((apiReq.headers.upgrade ?? '').toLowerCase() === 'websocket' && apiReq.method === 'GET' && serveStreamOverWebSocket(apiReq, socket, head, r)) return;
      writeNonUpgradeResponse(socket, r);
    } catch (e) {
      writeUpgradeFailure(socket, e, opts.log, 'ui gateway');
    }
  };
}
