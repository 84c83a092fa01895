/**
 * `services/{[scheme:]name[:port]}/proxy/{path}` and `pods/{[scheme:]name[:port]}/proxy/{path}`:
 * the API server relays an HTTP request into the cluster network (upstream: the service and pod
 * REST storage's ResourceLocation + the apiserver's proxy transport), dialing through
 * `ctx.dialer` (the control-plane node's connection into the cluster network).
 *
 * A service's backend is a random address of its Endpoints for the requested port, as upstream:
 * a port number is first mapped to the service port's name; no endpoints → 503 `no endpoints
 * available for service "web"`. A pod without an IP → 400 `address not allowed`. A backend that
 * cannot be reached → 503 `error trying to reach service: dial tcp …: connect: connection refused`.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type { ResourceDef } from '../../api/resource';
import type { KubeObject } from '../../api/types';
import { StatusError, badRequest, notFound, pathNotFound, serviceUnavailable } from '../../api/errors';
import type { ServerContext } from '../context';
import type { ApiRequest, ApiResponse } from '../types';
import { readCurrent } from './write';

/** Largest proxied response body held in memory. */
const MAX_PROXY_BODY = 64 * 1024 * 1024;
/** Real time a backend may take to answer. */
const PROXY_TIMEOUT_MS = 60_000;

/** Headers that belong to one hop (RFC 7230 §6.1) and the client's credentials: never forwarded. */
const HOP_HEADERS = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'authorization', 'host', 'content-length']);

interface Target {
  scheme: 'http' | 'https';
  host: string;
  port: number;
}

/** utilnet.SplitSchemeNamePort: `name`, `name:port`, `scheme:name:port` (scheme http or https). */
export function splitSchemeNamePort(id: string): { scheme: string; name: string; port: string } | undefined {
  const parts = id.split(':');
  let scheme = '';
  let name = '';
  let port = '';
  if (parts.length === 1) name = parts[0]!;
  else if (parts.length === 2) [name, port] = parts as [string, string];
  else if (parts.length === 3) [scheme, name, port] = parts as [string, string, string];
  else return undefined;
  if (!name || (scheme !== '' && scheme !== 'http' && scheme !== 'https')) return undefined;
  return { scheme, name, port };
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function serviceTarget(ctx: ServerContext, ns: string, id: string): Target {
  const parsed = splitSchemeNamePort(id);
  if (!parsed) throw badRequest(`invalid service request "${id}"`);
  const svcDef = ctx.registry.get('', 'v1', 'services')!;
  let portName = parsed.port;
  if (/^\d+$/.test(parsed.port)) {
    const svc = readCurrent(ctx, svcDef, ns, parsed.name);
    if (!svc) throw notFound('', 'services', parsed.name);
    const match = arr(obj(svc.object.spec).ports).map(obj).find((p) => p.port === Number(parsed.port));
    if (!match) throw serviceUnavailable(`no service port ${parsed.port} found for service "${parsed.name}"`);
    portName = typeof match.name === 'string' ? match.name : '';
  }
  const epDef = ctx.registry.get('', 'v1', 'endpoints')!;
  const eps = readCurrent(ctx, epDef, ns, parsed.name);
  if (!eps) throw notFound('', 'endpoints', parsed.name);
  const subsets = arr((eps.object as KubeObject & { subsets?: unknown }).subsets).map(obj);
  const none = serviceUnavailable(`no endpoints available for service "${parsed.name}"`);
  if (!subsets.length) throw none;
  const seed = Math.floor(Math.random() * subsets.length);
  for (let i = 0; i < subsets.length; i++) {
    const ss = subsets[(seed + i) % subsets.length]!;
    const addresses = arr(ss.addresses).map(obj);
    if (!addresses.length) continue;
    const port = arr(ss.ports).map(obj).find((p) => (typeof p.name === 'string' ? p.name : '') === portName);
    if (!port || typeof port.port !== 'number') continue;
    const addr = addresses[Math.floor(Math.random() * addresses.length)]!;
    return { scheme: parsed.scheme === 'https' ? 'https' : 'http', host: String(addr.ip), port: port.port };
  }
  throw none;
}

function podTarget(ctx: ServerContext, def: ResourceDef, ns: string, id: string): Target {
  const parsed = splitSchemeNamePort(id);
  if (!parsed) throw badRequest(`invalid pod request "${id}"`);
  const pod = readCurrent(ctx, def, ns, parsed.name);
  if (!pod) throw notFound('', 'pods', parsed.name);
  let port = parsed.port;
  if (!port) {
    for (const c of arr(obj(pod.object.spec).containers).map(obj)) {
      const first = arr(c.ports).map(obj)[0];
      if (first && typeof first.containerPort === 'number') {
        port = String(first.containerPort);
        break;
      }
    }
  }
  const status = obj(pod.object.status);
  const ip = String(obj(arr(status.podIPs)[0]).ip ?? status.podIP ?? '');
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(ip) || ip.startsWith('127.') || ip === '0.0.0.0') throw badRequest('address not allowed');
  const scheme = parsed.scheme === 'https' ? 'https' : 'http';
  if (port && !/^\d+$/.test(port)) throw serviceUnavailable(`error trying to reach service: dial tcp: lookup ${ip}:${port}: invalid port`);
  return { scheme, host: ip, port: port ? Number(port) : scheme === 'https' ? 443 : 80 };
}

/** The path after `/proxy` (keeping a trailing slash) of `/…/{resource}/{name}/proxy/…`. */
function proxiedPath(path: string, resource: string): string | undefined {
  const parts = path.split('/');
  const at = parts.findIndex((p, i) => p === resource && parts[i + 2] === 'proxy');
  if (at < 0) return undefined;
  const rest = parts.slice(at + 3);
  return rest.length ? `/${rest.join('/')}` : '';
}

export async function proxyRequest(ctx: ServerContext, def: ResourceDef, ns: string, name: string, req: ApiRequest): Promise<ApiResponse> {
  if (def.group !== '' || (def.plural !== 'services' && def.plural !== 'pods')) {
    throw new StatusError(503, 'ServiceUnavailable', `${def.plural}/proxy is not available in kubesim`);
  }
  const target = def.plural === 'services' ? serviceTarget(ctx, ns, name) : podTarget(ctx, def, ns, name);
  const sub = proxiedPath(req.path, def.plural);
  if (sub === undefined) throw pathNotFound();
  if (sub === '') {
    // UpgradeAwareHandler: an empty location path is redirected to the same path with a slash.
    const location = `${req.path}/${req.query.toString() ? `?${req.query.toString()}` : ''}`;
    return { type: 'raw', status: 301, body: `<a href="${location}">Moved Permanently</a>.\n\n`, contentType: 'text/html; charset=utf-8', headers: { location } };
  }
  if (target.scheme === 'https') {
    throw serviceUnavailable(`error trying to reach service: tls: first record does not look like a TLS handshake`);
  }
  const where = `${target.host}:${target.port}`;
  if (!ctx.dialer) throw serviceUnavailable(`error trying to reach service: dial tcp ${where}: connect: network is unreachable`);
  let socket;
  try {
    socket = await ctx.dialer.dial(target.host, target.port);
  } catch (e) {
    throw serviceUnavailable(`error trying to reach service: dial tcp ${where}: connect: ${e instanceof Error ? e.message : String(e)}`);
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_HEADERS.has(k)) headers[k] = v;
  headers.host = where;
  const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(JSON.stringify(req.body));
  const query = req.query.toString();
  return new Promise<ApiResponse>((resolve, reject) => {
    const fail = (e: unknown): void => {
      socket.destroy();
      reject(e instanceof StatusError ? e : serviceUnavailable(`error trying to reach service: ${e instanceof Error ? e.message : String(e)}`));
    };
    const out = httpRequest(
      { method: req.method, path: `${sub}${query ? `?${query}` : ''}`, headers, createConnection: () => socket as Socket, timeout: PROXY_TIMEOUT_MS },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_PROXY_BODY) {
            res.destroy();
            fail(new StatusError(502, 'InternalError', `error trying to reach service: response body larger than ${MAX_PROXY_BODY} bytes`));
            return;
          }
          chunks.push(c);
        });
        res.on('error', fail);
        res.on('end', () => {
          socket.destroy();
          resolve({ type: 'raw', status: res.statusCode ?? 502, body: Buffer.concat(chunks), contentType: String(res.headers['content-type'] ?? ''), headers: forwardHeaders(res.headers) });
        });
      },
    );
    out.on('timeout', () => out.destroy(new Error(`dial tcp ${where}: i/o timeout`)));
    out.on('error', fail);
    req.signal?.addEventListener('abort', () => out.destroy(new Error('the client went away')), { once: true });
    out.end(body);
  });
}

function forwardHeaders(h: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined || HOP_HEADERS.has(k) || k === 'content-type' || k === 'set-cookie') continue;
    out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}
