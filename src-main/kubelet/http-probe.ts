/**
 * The kubelet's HTTP and TCP probe clients (pkg/probe/http, pkg/probe/tcp) over the cluster
 * network: a real HTTP/1.1 GET through node's `http` client on a connection the network hands
 * out (`createConnection`), HTTPS through node's `tls` over that connection (certificates are not
 * verified, as upstream's InsecureSkipVerify), redirects as upstream (followed on the same host,
 * at most 10; a redirect elsewhere ends the probe with a warning), and Go's error texts
 * (`Get "http://10.244.1.5:8080/": dial tcp 10.244.1.5:8080: connect: connection refused`,
 * `context deadline exceeded (Client.Timeout exceeded while awaiting headers)`).
 */
import { request, type IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import type { Clock } from '../client/clock';

/** Opens a TCP connection; rejects with an Error carrying the text after `connect: ` (NetworkError). */
export type Dial = (host: string, port: number) => Promise<{ socket: Duplex; local: { address: string; port: number }; remote: { address: string; port: number } }>;

export interface HttpProbeRequest {
  scheme: 'http' | 'https';
  host: string;
  port: number;
  /** Path and query, starting with `/`. */
  path: string;
  headers: { name: string; value: string }[];
  timeoutMs: number;
  /** `kube-probe/<major>.<minor>`. */
  userAgent: string;
}

export type ProbeOutcome = { result: 'success' | 'warning' | 'failure'; output: string };

/** Upstream reads at most this much of a probe's response body. */
const MAX_BODY = 10 * 1024;
const MAX_REDIRECTS = 10;

/** Go's JoinHostPort. */
function hostPort(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

/** What Go's dialer says for a failed `dial tcp host:port`. */
export function dialError(host: string, port: number, e: unknown): string {
  if (!isIP(host) && host !== 'localhost') return `dial tcp: lookup ${host} on 127.0.0.11:53: no such host`;
  const msg = e instanceof Error ? e.message : String(e);
  return `dial tcp ${hostPort(host === 'localhost' ? '127.0.0.1' : host, port)}: connect: ${msg}`;
}

/** A TCP probe: connected means healthy. */
export async function tcpProbe(dial: Dial, host: string, port: number, timeoutMs: number, clock: Clock): Promise<ProbeOutcome> {
  if (!isIP(host) && host !== 'localhost') return { result: 'failure', output: dialError(host, port, undefined) };
  const pending = dial(host === 'localhost' ? '127.0.0.1' : host, port);
  const r = await withDeadline(pending, timeoutMs, clock);
  if (r === 'timeout') {
    pending.then((c) => c.socket.destroy(), () => undefined);
    return { result: 'failure', output: `dial tcp ${hostPort(host, port)}: i/o timeout` };
  }
  if ('error' in r) return { result: 'failure', output: dialError(host, port, r.error) };
  r.value.socket.destroy();
  return { result: 'success', output: '' };
}

interface Answer {
  status: number;
  location?: string;
  body: string;
}

/** Where one request goes, and the URL as Go prints it (the port stays when it was given). */
interface Target {
  scheme: 'http' | 'https';
  host: string;
  port: number;
  /** Path and query. */
  path: string;
  /** `host:port` as in the URL (Go's url.Host, also the Host header). */
  authority: string;
  href: string;
}

function target(scheme: 'http' | 'https', host: string, port: number, path: string, explicitPort: boolean): Target {
  const authority = explicitPort ? hostPort(host, port) : isIP(host) === 6 ? `[${host}]` : host;
  const p = path.startsWith('/') ? path : `/${path}`;
  return { scheme, host, port, path: p, authority, href: `${scheme}://${authority}${p}` };
}

/** Follows a Location header from `base` (absolute or relative, as Go's url.ResolveReference). */
function resolveLocation(location: string, base: Target): Target | undefined {
  let u: URL;
  try {
    u = new URL(location, base.href);
  } catch {
    return undefined;
  }
  const scheme = u.protocol === 'https:' ? 'https' : u.protocol === 'http:' ? 'http' : undefined;
  if (!scheme) return undefined;
  const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(location) || location.startsWith('//');
  if (!absolute) return target(base.scheme, base.host, base.port, `${u.pathname}${u.search}`, base.authority.endsWith(`:${base.port}`));
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const explicit = u.port !== '' || /^[a-z]*:?\/\/[^/]*:\d+/i.test(location);
  const port = Number(u.port || (/:(\d+)(?:[/?#]|$)/.exec(location.replace(/^[a-z]*:?\/\//i, ''))?.[1] ?? (scheme === 'https' ? 443 : 80)));
  return target(scheme, host, port, `${u.pathname}${u.search}`, explicit);
}

/** An HTTP(S) GET probe as upstream's DoHTTPProbe with the kubelet's redirect checker. */
export async function httpProbe(req: HttpProbeRequest, dial: Dial, clock: Clock): Promise<ProbeOutcome> {
  const first = target(req.scheme, req.host, req.port, req.path, true);
  let url = first;
  const sockets = new Set<Duplex>();
  let expired = false;
  const deadline = clock.setTimeout(() => {
    expired = true;
    for (const s of sockets) s.destroy();
  }, req.timeoutMs);
  try {
    for (let hops = 0; ; hops++) {
      const answer = await getOnce(url, req, dial, sockets, () => expired);
      if (typeof answer === 'string') return { result: 'failure', output: `Get "${url.href}": ${answer}` };
      const { status } = answer;
      const redirect = [301, 302, 303, 307, 308].includes(status) && answer.location;
      if (redirect) {
        const next = resolveLocation(answer.location!, url);
        if (!next) return { result: 'failure', output: `Get "${url.href}": failed to parse Location header ${JSON.stringify(answer.location)}` };
        // A redirect to another host ends the probe with that response (http.ErrUseLastResponse).
        if (next.host === first.host) {
          if (hops + 1 >= MAX_REDIRECTS) return { result: 'failure', output: `Get "${next.href}": stopped after ${MAX_REDIRECTS} redirects` };
          url = next;
          continue;
        }
      }
      if (status >= 200 && status < 300) return { result: 'success', output: answer.body };
      if (status >= 300 && status < 400) return { result: 'warning', output: `Probe terminated redirects, Response body: ${answer.body}` };
      return { result: 'failure', output: `HTTP probe failed with statuscode: ${status}` };
    }
  } finally {
    clock.clearTimeout(deadline);
    for (const s of sockets) s.destroy();
  }
}

/** One request/response; a string is the error text after `Get "<url>": `. */
async function getOnce(url: Target, req: HttpProbeRequest, dial: Dial, sockets: Set<Duplex>, expired: () => boolean): Promise<Answer | string> {
  const timeoutText = 'context deadline exceeded (Client.Timeout exceeded while awaiting headers)';
  const { host, port } = url;
  if (!isIP(host) && host !== 'localhost') return dialError(host, port, undefined);
  let conn: Awaited<ReturnType<Dial>>;
  try {
    conn = await dial(host === 'localhost' ? '127.0.0.1' : host, port);
  } catch (e) {
    return expired() ? timeoutText : dialError(host, port, e);
  }
  if (expired()) {
    conn.socket.destroy();
    return timeoutText;
  }
  sockets.add(conn.socket);
  let socket: Duplex = conn.socket;
  if (url.scheme === 'https') {
    try {
      socket = await handshake(conn.socket);
    } catch (e) {
      conn.socket.destroy();
      if (expired()) return timeoutText;
      return tlsError(e);
    }
    sockets.add(socket);
  }
  const headers: Record<string, string> = {};
  const set = (name: string, value: string) => {
    const existing = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
    if (existing) delete headers[existing];
    headers[name] = value;
  };
  set('Host', url.authority);
  set('User-Agent', req.userAgent);
  set('Accept', '*/*');
  for (const h of req.headers) set(h.name, h.value);
  set('Connection', 'close');
  return new Promise<Answer | string>((resolve) => {
    let settled = false;
    const done = (v: Answer | string) => {
      if (settled) return;
      settled = true;
      resolve(v);
    };
    const r = request({ method: 'GET', path: url.path, headers, createConnection: () => socket as never });
    r.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < MAX_BODY) chunks.push(c.subarray(0, MAX_BODY - size));
        size += c.length;
      });
      const finish = () => done({ status: res.statusCode ?? 0, location: headerValue(res.headers.location), body: Buffer.concat(chunks).toString('utf8') });
      res.on('end', finish);
      res.on('close', finish);
      res.on('error', finish);
    });
    r.on('error', (e: NodeJS.ErrnoException & { rawPacket?: Buffer }) => {
      if (expired()) return done(timeoutText);
      done(httpError(e, conn));
    });
    r.end();
  });
}

function headerValue(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** Go's texts for what went wrong between connecting and the response headers. */
function httpError(e: NodeJS.ErrnoException & { rawPacket?: Buffer }, conn: Awaited<ReturnType<Dial>>): string {
  if (e.code === 'ECONNRESET' && e.message === 'socket hang up') return 'EOF';
  if (e.code === 'ECONNRESET' || e.code === 'EPIPE') {
    return `read tcp ${hostPort(conn.local.address, conn.local.port)}->${hostPort(conn.remote.address, conn.remote.port)}: read: connection reset by peer`;
  }
  if (typeof e.code === 'string' && e.code.startsWith('HPE_')) {
    const line = (e.rawPacket?.toString('latin1') ?? '').split(/\r?\n/)[0] ?? '';
    return `net/http: HTTP/1.x transport connection broken: malformed HTTP response ${JSON.stringify(line)}`;
  }
  return e.message;
}

/**
 * A TLS client over the connection. The server's first bytes are looked at before TLS sees them,
 * as Go's client does: a record that is no TLS handshake/alert fails the handshake with Go's texts
 * (and never reaches OpenSSL, whose errors on a JS stream would escape as exceptions).
 */
function handshake(raw: Duplex): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    let first = true;
    let failed = false;
    const fail = (e: Error) => {
      if (failed) return;
      failed = true;
      reject(e);
      bridge.destroy();
      raw.destroy();
    };
    const bridge = new Duplex({
      read() {
        raw.resume();
      },
      write(chunk: Buffer, _enc, cb) {
        raw.write(chunk, cb);
      },
      final(cb) {
        raw.end();
        cb();
      },
    });
    raw.on('data', (d: Buffer) => {
      if (first) {
        first = false;
        if (d[0] !== 0x16 && d[0] !== 0x15) {
          const err = new Error(d.subarray(0, 5).toString('latin1') === 'HTTP/' ? 'http: server gave HTTP response to HTTPS client' : 'tls: first record does not look like a TLS handshake');
          (err as NodeJS.ErrnoException).code = 'GO_TLS_RECORD';
          fail(err);
          return;
        }
      }
      try {
        if (!bridge.push(d)) raw.pause();
      } catch (e) {
        fail(e as Error);
      }
    });
    raw.on('end', () => bridge.push(null));
    raw.on('error', (e: Error) => fail(e));
    const s = tlsConnect({ socket: bridge as never, rejectUnauthorized: false });
    s.once('secureConnect', () => resolve(s));
    s.once('error', fail);
  });
}

/** Go's texts for a failed TLS handshake (a plain HTTP server answering a ClientHello, above all). */
function tlsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException & { reason?: string };
  if (err.code === 'GO_TLS_RECORD') return err.message;
  if (err.code === 'ERR_SSL_WRONG_VERSION_NUMBER' || err.code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG' || /wrong version number|packet length too long|http request/i.test(err.message ?? '')) {
    return 'http: server gave HTTP response to HTTPS client';
  }
  if (err.code === 'ECONNRESET') return 'EOF';
  return `remote error: tls: ${err.reason ?? err.message}`;
}

/** A promise against a deadline on the cluster clock. */
async function withDeadline<T>(p: Promise<T>, ms: number, clock: Clock): Promise<{ value: T } | { error: unknown } | 'timeout'> {
  let timer: unknown;
  const timeout = new Promise<'timeout'>((resolve) => (timer = clock.setTimeout(() => resolve('timeout'), ms)));
  try {
    return await Promise.race([p.then((value) => ({ value }), (error: unknown) => ({ error })), timeout]);
  } finally {
    clock.clearTimeout(timer as never);
  }
}
