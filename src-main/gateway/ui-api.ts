/**
 * The gateway's own small JSON API under `/ui/` (beside the Kubernetes API under `/api`), behind
 * the same Host, session-cookie and Origin checks:
 *
 *   GET    /ui/features              → { hostTerminal, portForwards }: what this gateway offers
 *   GET    /ui/port-forwards         → { kind: PortForwardList, items }
 *   POST   /ui/port-forwards         → 201 the new forward ({ namespace, resource, name, port, localPort? })
 *   GET    /ui/port-forwards/<id>    → the forward
 *   DELETE /ui/port-forwards/<id>    → Status Success; the listener is closed
 *   GET    /ui/host-terminal         → WebSocket upgrade (only with `serve --host-terminal`; 404 otherwise)
 *
 * Failures are Kubernetes Status objects (400 bad JSON, 404, 405, 409 port in use, 415, 422).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { StatusError, badRequest } from '../api/errors';
import { writeUpgradeFailure } from '../apiserver/streaming/handshake';
import { readBody, writeStatus } from './forward';
import { hasSession, hostAllowed, originAllowed } from './session';
import { SECURITY_HEADERS } from './static';
import { parsePortForwardSpec, type PortForwards } from './port-forwards';
import { HOST_TERMINAL_PATH, type HostTerminals } from './host-terminal';

export const UI_API_PREFIX = '/ui/';

export function isUiApiPath(path: string): boolean {
  return path === '/ui' || path.startsWith(UI_API_PREFIX);
}

export interface UiApiOptions {
  portForwards: PortForwards;
  /** Present only with `--host-terminal`. */
  hostTerminals?: HostTerminals;
  log?: (line: string) => void;
}

function writeJson(res: ServerResponse, code: number, body: unknown, head: boolean): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { ...SECURITY_HEADERS, 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  res.end(head ? undefined : text);
}

function methodNotAllowed(method: string, allowed: string[]): StatusError {
  return new StatusError(405, 'MethodNotAllowed', `${method} is not supported here (allowed: ${allowed.join(', ')})`);
}

const PF = '/ui/port-forwards';

/** One `/ui/*` request; the caller has checked Host, the session cookie and Origin. */
export async function serveUiApi(req: IncomingMessage, res: ServerResponse, path: string, opts: UiApiOptions): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const head = method === 'HEAD';
  const read = method === 'GET' || head;
  if (path === '/ui/features') {
    if (!read) throw methodNotAllowed(method, ['GET']);
    return writeJson(res, 200, { kind: 'UiFeatures', hostTerminal: !!opts.hostTerminals, portForwards: true }, head);
  }
  if (path === PF) {
    if (read) return writeJson(res, 200, { kind: 'PortForwardList', items: opts.portForwards.list() }, head);
    if (method !== 'POST') throw methodNotAllowed(method, ['GET', 'POST']);
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json') throw new StatusError(415, 'UnsupportedMediaType', `the body must be application/json, not "${type}"`);
    const body = await readBody(req);
    let spec: unknown;
    try {
      spec = JSON.parse(body.toString('utf8'));
    } catch (e) {
      throw badRequest(`the body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
    const info = await opts.portForwards.start(parsePortForwardSpec(spec));
    return writeJson(res, 201, info, false);
  }
  if (path.startsWith(`${PF}/`)) {
    const id = decodeURIComponent(path.slice(PF.length + 1));
    if (read) return writeJson(res, 200, opts.portForwards.get(id), head);
    if (method !== 'DELETE') throw methodNotAllowed(method, ['GET', 'DELETE']);
    const info = await opts.portForwards.stop(id);
    return writeJson(res, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', message: `stopped forwarding ${info.address}:${info.localPort}`, details: { name: id, kind: 'portforwards' } }, false);
  }
  if (path === HOST_TERMINAL_PATH && opts.hostTerminals) throw badRequest('Upgrade request required');
  throw new StatusError(404, 'NotFound', 'the server could not find the requested resource');
}

/** `/ui/*` requests, answered as Status objects on failure. */
export function uiApiRequestHandler(port: () => number, secret: string, opts: UiApiOptions): (req: IncomingMessage, res: ServerResponse, path: string) => Promise<void> {
  return async (req, res, path) => {
    const head = req.method === 'HEAD';
    try {
      if (!hasSession(req, secret)) throw new StatusError(401, 'Unauthorized', 'Unauthorized');
      if (!originAllowed(req, port())) throw new StatusError(403, 'Forbidden', `cross-origin requests from "${req.headers.origin}" are not allowed`);
      await serveUiApi(req, res, path, opts);
    } catch (e) {
      if (res.headersSent) return void res.destroy();
      if (e instanceof StatusError) return writeStatus(res, e, head);
      opts.log?.(`ui gateway: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      writeStatus(res, new StatusError(500, 'InternalError', `Internal error occurred: ${e instanceof Error ? e.message : String(e)}`), head);
    }
  };
}

/** Upgrade requests under `/ui/` (the host terminal): the exec WebSocket's Host, cookie and Origin checks. */
export function uiApiUpgradeHandler(port: () => number, secret: string, opts: UiApiOptions): (req: IncomingMessage, socket: Duplex, head: Buffer) => Promise<void> {
  return async (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    try {
      const p = port();
      if (!hostAllowed(req, p)) throw new StatusError(403, 'Forbidden', `host "${req.headers.host ?? ''}" is not allowed: open the UI at http://127.0.0.1:${p}/`);
      if (!hasSession(req, secret)) throw new StatusError(401, 'Unauthorized', 'Unauthorized');
      if (!originAllowed(req, p)) throw new StatusError(403, 'Forbidden', `cross-origin requests from "${req.headers.origin}" are not allowed`);
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      if (path !== HOST_TERMINAL_PATH || !opts.hostTerminals) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource');
      await opts.hostTerminals.handle(req, socket, head);
    } catch (e) {
      writeUpgradeFailure(socket, e, opts.log, 'ui gateway');
    }
  };
}
