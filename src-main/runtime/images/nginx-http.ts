/**
 * nginx answering HTTP from its parsed configuration (nginx-conf.ts): server selection by port
 * and Host, locations (`=`, prefix, `^~`, regex), `return`, `try_files`, `root`/`alias`/`index`,
 * `autoindex`, `error_page`, `add_header`, `allow`/`deny all`, `proxy_pass` (URI replacement,
 * `proxy_set_header`, upstream blocks, `resolver` for variables), conditional GETs, the stock
 * pages, the access log in the configured format on stdout and error-log lines on stderr.
 */
import type { HttpRequest, HttpResponse, ProcessContext } from '../program';
import { formatDate } from '../tools/system';
import { resolvePath, type FsStat } from '../vfs';
import type { Directive, HttpConfig, Location, Scope, Server } from './nginx-conf';
import { findLocation, lookup, lookupAll } from './nginx-conf';
import { autoindexPage, specialPage, substitute } from './nginx-pages';

const HTTP_DATE = '%a, %d %b %Y %H:%M:%S GMT';
/**
 * Recently formatted seconds per format: every request of a busy second shares the Date header
 * and log time, and a file's Last-Modified is formatted once.
 */
const stamps = new Map<string, Map<number, string>>();

/** formatDate at one-second resolution (all the formats used here print whole seconds). */
function stamp(ms: number, fmt: string): string {
  const sec = Math.floor(ms / 1000);
  let m = stamps.get(fmt);
  if (!m) stamps.set(fmt, (m = new Map()));
  let text = m.get(sec);
  if (text === undefined) {
    if (m.size >= 64) m.clear();
    text = formatDate(sec * 1000, fmt);
    m.set(sec, text);
  }
  return text;
}

/** When the image's files were built (Last-Modified/ETag of files that were not changed). */
export const IMAGE_BUILD_MS = Date.UTC(2025, 3, 16, 12, 55, 34);

/** What nginx learnt at start: upstream names resolved to addresses (nginx resolves them once). */
export interface NginxSite {
  conf: HttpConfig;
  version: string;
  /** The worker that logs errors (`29#29`). */
  workerPid: number;
  /** `host:port` of a static proxy_pass or upstream server → the addresses it resolved to. */
  resolved: ReadonlyMap<string, string[]>;
  /** `upstream name { server …; }` → its servers (`host:port`). */
  upstreams: ReadonlyMap<string, string[]>;
  /** Search domains of /etc/resolv.conf (unused by nginx's own resolver). */
  errorLog(level: string, msg: string): void;
}

interface Ctx {
  req: HttpRequest;
  server: Server;
  port: number;
  remote: string;
  uri: string;
  args: string;
  conn: number;
  captures: string[];
  /** The location (or server) serving the request now: `set` variables are looked up there. */
  scope?: Scope;
  status?: number;
  bodyBytes?: number;
  upstreamAddr?: string;
}

/** nginx's status lines where they differ from the standard reason phrases (ngx_http_header_filter_module). */
const STATUS_LINES: Record<number, string> = {
  302: 'Moved Temporarily',
  405: 'Not Allowed',
  408: 'Request Time-out',
  413: 'Request Entity Too Large',
  414: 'Request-URI Too Large',
  416: 'Requested Range Not Satisfiable',
  503: 'Service Temporarily Unavailable',
  504: 'Gateway Time-out',
};

const ADD_HEADER_CODES = new Set([200, 201, 204, 206, 301, 302, 303, 304, 307, 308]);
const HOP_HEADERS = new Set(['date', 'server', 'connection', 'keep-alive', 'transfer-encoding', 'x-accel-redirect', 'x-accel-buffering', 'x-accel-charset', 'x-accel-expires', 'x-accel-limit-rate', 'x-pad']);

function canonical(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase());
}

/** Percent-decodes and normalises a path as nginx does (`//` merged, `.`/`..` resolved); undefined → 400. */
export function normalizeUri(raw: string): string | undefined {
  // already normal (no escapes, no `//`, no `.` segments): the common case, returned as is
  if (raw.charCodeAt(0) === 47 && !raw.includes('%') && !raw.includes('//') && !raw.includes('/.')) return raw;
  let p: string;
  try {
    p = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  if (!p.startsWith('/')) return undefined;
  const out: string[] = [];
  const parts = p.split('/');
  for (let i = 1; i < parts.length; i++) {
    const s = parts[i]!;
    if (s === '.' || (s === '' && i < parts.length - 1)) continue;
    if (s === '..') {
      if (!out.length) return undefined;
      out.pop();
      continue;
    }
    out.push(s);
  }
  return '/' + out.join('/');
}

/** What one pass through the locations ends with: a response, a status, or an internal redirect. */
type Step = HttpResponse | number | string;

export function nginxHttp(ctx: ProcessContext, site: NginxSite, port: number): (req: HttpRequest) => HttpResponse | Promise<HttpResponse> {
  const { conf, version } = site;
  const fs = ctx.host.fs;
  let connections = 0;
  let rr = 0;
  const servers = conf.servers.filter((s) => s.listens.some((l) => l.port === port));

  /** Host header → server (the servers of a handler never change: a reload makes a new handler). */
  const chosen = new Map<string, Server>();
  const chooseServer = (host: string): Server => {
    let s = chosen.get(host);
    if (!s) {
      if (chosen.size >= 256) chosen.clear();
      chosen.set(host, (s = pickServer(host)));
    }
    return s;
  };
  const pickServer = (host: string): Server => {
    const name = host.replace(/:\d+$/, '').toLowerCase();
    for (const s of servers) if (s.names.some((n) => n.toLowerCase() === name)) return s;
    for (const s of servers) if (s.names.some((n) => n.startsWith('*.') && name.endsWith(n.slice(1).toLowerCase()))) return s;
    for (const s of servers) if (s.names.some((n) => n.startsWith('~') && safeRegex(n.slice(1))?.test(name))) return s;
    return servers.find((s) => s.listens.some((l) => l.port === port && l.defaultServer)) ?? servers[0]!;
  };

  const variable = (c: Ctx, name: string): string | undefined => {
    const h = c.req.headers;
    if (name.length === 1 && name.charCodeAt(0) >= 48 && name.charCodeAt(0) <= 57) return c.captures[Number(name)];
    if (name.startsWith('http_')) return h[headerName(name)];
    if (name.startsWith('arg_')) return new URLSearchParams(c.args).get(name.slice(4)) ?? undefined;
    switch (name) {
      case 'remote_addr':
      case 'binary_remote_addr':
        return c.remote;
      case 'remote_user':
        return undefined;
      case 'time_local':
        return stamp(ctx.host.clock.now(), '%d/%b/%Y:%H:%M:%S +0000');
      case 'time_iso8601':
        return stamp(ctx.host.clock.now(), '%Y-%m-%dT%H:%M:%S+00:00');
      case 'msec':
        return (ctx.host.clock.now() / 1000).toFixed(3);
      case 'request':
        return `${c.req.method} ${c.req.path} HTTP/${c.req.httpVersion ?? '1.1'}`;
      case 'request_method':
        return c.req.method;
      case 'request_uri':
        return c.req.path;
      case 'uri':
      case 'document_uri':
        return c.uri;
      case 'args':
      case 'query_string':
        return c.args;
      case 'is_args':
        return c.args ? '?' : '';
      case 'status':
        return String(c.status ?? 0);
      case 'body_bytes_sent':
        return String(c.bodyBytes ?? 0);
      case 'bytes_sent':
        return String((c.bodyBytes ?? 0) + 200);
      case 'host':
        return (h.host ?? '').replace(/:\d+$/, '') || c.server.names[0] || '';
      case 'hostname':
        return ctx.host.hostname;
      case 'server_name':
        return c.server.names[0] ?? '';
      case 'server_port':
        return String(c.port);
      case 'server_protocol':
        return `HTTP/${c.req.httpVersion ?? '1.1'}`;
      case 'scheme':
        return 'http';
      case 'request_time':
      case 'upstream_response_time':
        return name === 'upstream_response_time' && !c.upstreamAddr ? undefined : '0.000';
      case 'upstream_addr':
        return c.upstreamAddr;
      case 'proxy_add_x_forwarded_for':
        return h['x-forwarded-for'] ? `${h['x-forwarded-for']}, ${c.remote}` : c.remote;
      case 'connection':
        return String(c.conn);
      case 'content_type':
        return h['content-type'];
      case 'content_length':
        return h['content-length'];
      case 'pid':
        return String(site.workerPid);
      case 'nginx_version':
        return version;
      default: {
        for (let sc: Scope | undefined = c.scope ?? c.server; sc; sc = sc.parent) {
          const set = [...sc.d].reverse().find((d) => d.name === 'set' && d.args[0] === `$${name}`);
          if (set) return substitute(set.args[1] ?? '', (n) => (n === name ? '' : variable(c, n)), '');
        }
        return undefined;
      }
    }
  };
  const expand = (c: Ctx, text: string) => substitute(text, (n) => variable(c, n), '');

  /**
   * The log format's variables, each resolved to its getter once (what `variable` answers for
   * it): the access log line is written for every request.
   */
  const getters = new Map<string, (c: Ctx) => string | undefined>();
  const getter = (name: string): ((c: Ctx) => string | undefined) => {
    let g = getters.get(name);
    if (!g) {
      if (name.startsWith('http_')) {
        const header = headerName(name);
        g = (c) => c.req.headers[header];
      } else if (name === 'remote_addr') g = (c) => c.remote;
      else if (name === 'status') g = (c) => String(c.status ?? 0);
      else if (name === 'body_bytes_sent') g = (c) => String(c.bodyBytes ?? 0);
      else if (name === 'request') g = (c) => `${c.req.method} ${c.req.path} HTTP/${c.req.httpVersion ?? '1.1'}`;
      else g = (c) => variable(c, name);
      if (getters.size >= 256) getters.clear();
      getters.set(name, g);
    }
    return g;
  };

  const serverHeader = `nginx/${version}`;
  const date = (): string => stamp(ctx.host.clock.now(), HTTP_DATE);
  const base = (): Record<string, string> => ({ Server: serverHeader, Date: date() });
  // (headers are built as literals, not by spreading base(): V8 makes `{ ...a, k: v }` slow)
  const page = (status: number, extra?: Record<string, string>): HttpResponse => {
    const body = specialPage(status, version);
    const headers: Record<string, string> = { Server: serverHeader, Date: date(), 'Content-Type': 'text/html', 'Content-Length': String(body.length), Connection: 'keep-alive' };
    if (extra) for (const k of Object.keys(extra)) headers[k] = extra[k]!;
    return { status, headers, body };
  };
  const errorLine = (c: Ctx, level: string, msg: string) => {
    const host = c.req.headers.host;
    const ref = c.req.headers.referer;
    site.errorLog(
      level,
      `*${c.conn} ${msg}, client: ${c.remote}, server: ${c.server.names[0] ?? ''}, request: "${c.req.method} ${c.req.path} HTTP/${c.req.httpVersion ?? '1.1'}"${c.upstreamAddr ? `, upstream: "${c.upstreamAddr}"` : ''}${host ? `, host: "${host}"` : ''}${ref ? `, referrer: "${ref}"` : ''}`,
    );
  };

  const contentType = (scope: Scope, file: string): string => {
    const ext = file.slice(file.lastIndexOf('/') + 1).includes('.') ? file.slice(file.lastIndexOf('.') + 1).toLowerCase() : '';
    return conf.types.get(ext) ?? lookup(scope, 'default_type')?.args[0] ?? 'text/plain';
  };

  /** Per location (or server): its `alias`, or its `root` resolved against the prefix /etc/nginx. */
  const docRoots = new WeakMap<Location | Server, { alias: string } | { root: string }>();
  const docRoot = (loc: Location | Server): { alias: string } | { root: string } => {
    let r = docRoots.get(loc);
    if (!r) {
      const alias = 'modifier' in loc ? loc.d.find((d) => d.name === 'alias') : undefined;
      r = alias ? { alias: alias.args[0] ?? '' } : { root: resolvePath('/etc/nginx', lookup(loc, 'root')?.args[0] ?? '/etc/nginx/html') };
      docRoots.set(loc, r);
    }
    return r;
  };

  /** The file path for `uri` under the location's root or alias. */
  const filePath = (loc: Location | Server, uri: string): string => {
    const r = docRoot(loc);
    if ('alias' in r) return resolvePath('/', r.alias + uri.slice((loc as Location).pattern.length));
    return joinClean(r.root, uri) ?? resolvePath('/', `${r.root}/${uri}`);
  };

  let lastEtag = { mtime: NaN, size: NaN, etag: '' };
  const serveFile = (c: Ctx, scope: Scope, file: string, st: FsStat): HttpResponse => {
    const body = fs.readFile(file);
    const mtime = st.mtime || IMAGE_BUILD_MS;
    const size = Buffer.byteLength(body);
    // (the last file's ETag is kept: base-16 formatting is slow, and a busy site serves the same file)
    if (mtime !== lastEtag.mtime || size !== lastEtag.size) lastEtag = { mtime, size, etag: `"${Math.floor(mtime / 1000).toString(16)}-${size.toString(16)}"` };
    const etag = lastEtag.etag;
    const lastModified = stamp(mtime, HTTP_DATE);
    const h = c.req.headers;
    if (h['if-none-match'] === etag || (!h['if-none-match'] && h['if-modified-since'] === lastModified)) {
      return { status: 304, headers: { Server: serverHeader, Date: date(), 'Last-Modified': lastModified, Connection: 'keep-alive', ETag: etag }, body: '' };
    }
    return {
      status: 200,
      headers: {
        Server: serverHeader,
        Date: date(),
        'Content-Type': contentType(scope, file),
        'Content-Length': String(size),
        'Last-Modified': lastModified,
        Connection: 'keep-alive',
        ETag: etag,
        'Accept-Ranges': 'bytes',
      },
      body,
    };
  };

  const redirect = (c: Ctx, status: number, location: string): HttpResponse => {
    let loc = location;
    if (loc.startsWith('/')) {
      const host = (c.req.headers.host ?? '').replace(/:\d+$/, '') || c.server.names[0] || 'localhost';
      loc = `http://${host}${c.port === 80 ? '' : `:${c.port}`}${loc}`;
    }
    return page(status, { Location: loc });
  };

  /** Static handling of `uri` in `loc` (index, autoindex, 301 for directories, 403/404 with their error-log lines). */
  const serveStatic = (c: Ctx, loc: Location | Server, uri: string): HttpResponse | number | string => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return 405;
    const file = filePath(loc, uri);
    const st = fs.stat(file);
    if (uri.endsWith('/')) {
      if (st?.kind === 'dir') {
        const index = lookup(loc, 'index')?.args ?? ['index.html'];
        for (const name of index) {
          const cand = isPlainName(name) ? (file === '/' ? `/${name}` : `${file}/${name}`) : resolvePath(file, name);
          if (fs.stat(cand)?.kind === 'file') return uri + name;
        }
        if (lookup(loc, 'autoindex')?.args[0] === 'on') {
          const entries = fs.readdir(file).filter((n) => !n.startsWith('.')).map((n) => {
            const s = fs.stat(resolvePath(file, n));
            return { name: n, dir: s?.kind === 'dir', mtime: s?.mtime || IMAGE_BUILD_MS, size: s?.size ?? 0 };
          });
          const body = autoindexPage(uri, entries, version);
          return { status: 200, headers: { ...base(), 'Content-Type': 'text/html', Connection: 'keep-alive' }, body };
        }
        errorLine(c, 'error', `directory index of "${file.endsWith('/') ? file : file + '/'}" is forbidden`);
        return 403;
      }
      errorLine(c, 'error', `"${file.endsWith('/') ? file : file + '/'}index.html" is not found (2: No such file or directory)`);
      return 404;
    }
    if (st?.kind === 'dir') return redirect(c, 301, `${uri}/${c.args ? `?${c.args}` : ''}`);
    if (st?.kind === 'file') return serveFile(c, loc, file, st);
    errorLine(c, 'error', `open() "${file}" failed (2: No such file or directory)`);
    return 404;
  };

  const proxy = async (c: Ctx, loc: Location, target: string): Promise<HttpResponse | number> => {
    const expanded = expand(c, target);
    const m = /^(https?):\/\/([^/]+)(\/.*)?$/.exec(expanded);
    if (!m) {
      errorLine(c, 'error', `invalid URL prefix in "${expanded}"`);
      return 500;
    }
    const hostPort = m[2]!;
    const uriPart = m[3];
    // the URI sent upstream: unchanged without a URI part, else the location prefix replaced
    let path: string;
    if (uriPart !== undefined && target.includes('$')) path = uriPart;
    else if (uriPart === undefined || loc.regex) path = c.uri === normalizeUri(splitQuery(c.req.path)[0]) ? c.req.path : c.uri + (c.args ? `?${c.args}` : '');
    else path = uriPart + c.uri.slice(loc.modifier === '=' ? c.uri.length : Math.min(loc.pattern.length, c.uri.length)) + (c.args ? `?${c.args}` : '');
    // where to connect: an upstream block, a name resolved at start, or (variables) the resolver now
    let addrs: string[];
    const group = site.upstreams.get(hostPort);
    if (group) addrs = group.flatMap((s) => site.resolved.get(s) ?? [s]);
    else if (site.resolved.has(withPort(hostPort))) addrs = site.resolved.get(withPort(hostPort))!;
    else if (target.includes('$') && !isIp(hostPort.replace(/:\d+$/, ''))) {
      const name = hostPort.replace(/:\d+$/, '');
      const resolver = lookup(loc, 'resolver');
      if (!resolver) {
        errorLine(c, 'error', `no resolver defined to resolve ${name}`);
        return 502;
      }
      const found = ctx.host.dns ? await ctx.host.dns.lookup(name, []).catch(() => undefined) : undefined;
      if (!found?.addresses.length) {
        errorLine(c, 'error', `${name} could not be resolved (3: Host not found)`);
        return 502;
      }
      addrs = found.addresses.map((a) => `${a}:${portOf(hostPort)}`);
    } else addrs = [withPort(hostPort)];
    const proxyHost = hostPort.endsWith(':80') ? hostPort.slice(0, -3) : hostPort;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(c.req.headers)) if (k !== 'connection' && k !== 'keep-alive' && k !== 'host') headers[k] = v;
    headers.host = proxyHost;
    headers.connection = 'close';
    for (const d of lookupAll(loc, 'proxy_set_header')) {
      const v = expand(c, d.args[1] ?? '');
      if (v === '') delete headers[(d.args[0] ?? '').toLowerCase()];
      else headers[(d.args[0] ?? '').toLowerCase()] = v;
    }
    const httpVersion = lookup(loc, 'proxy_http_version')?.args[0] ?? '1.0';
    const start = rr++ % addrs.length;
    for (let k = 0; k < addrs.length; k++) {
      const addr = addrs[(start + k) % addrs.length]!;
      c.upstreamAddr = `${m[1]}://${addr}${path}`;
      try {
        const up = await ctx.host.httpRequest(`${m[1]}://${addr}${path}`, { method: c.req.method, path, headers, remoteAddress: '', httpVersion, body: c.req.body });
        c.upstreamAddr = addr;
        const out: Record<string, string> = { ...base() };
        let hasLength = false;
        for (const [k2, v] of Object.entries(up.headers ?? {})) {
          if (HOP_HEADERS.has(k2.toLowerCase())) continue;
          if (k2.toLowerCase() === 'content-length') hasLength = true;
          out[canonical(k2)] = v;
        }
        if (!hasLength && up.status !== 204 && up.status !== 304) out['Content-Length'] = String(Buffer.byteLength(up.body));
        out.Connection = 'keep-alive';
        // the upstream's own status line passes through
        return { status: up.status, ...(up.reason ? { reason: up.reason } : {}), headers: out, body: up.body, proxied: true } as HttpResponse;
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code === 'ETIMEDOUT') {
          errorLine(c, 'error', 'upstream timed out (110: Connection timed out) while connecting to upstream');
          if (k === addrs.length - 1) return 504;
        } else {
          const why = code === 'EHOSTUNREACH' ? '113: No route to host' : code === 'ECONNRESET' ? '104: Connection reset by peer' : '111: Connection refused';
          errorLine(c, 'error', `connect() failed (${why}) while connecting to upstream`);
        }
      }
    }
    c.upstreamAddr = addrs.join(', ');
    return 502;
  };

  /** One pass through a location; a string result is an internal redirect. */
  /** `return`: a status, a body with variables, or a redirect. */
  const doReturn = (c: Ctx, scope: Scope, ret: Directive): HttpResponse | number => {
    const [a0, a1] = ret.args;
    if (a0 && /^\d{3}$/.test(a0)) {
      const code = Number(a0);
      if (a1 === undefined) return code;
      if ([301, 302, 303, 307, 308].includes(code)) return redirect(c, code, expand(c, a1));
      const body = expand(c, a1);
      return { status: code, headers: { Server: serverHeader, Date: date(), 'Content-Type': contentType(scope, ''), 'Content-Length': String(Buffer.byteLength(body)), Connection: 'keep-alive' }, body };
    }
    return redirect(c, 302, expand(c, a0 ?? '/'));
  };

  /**
   * The rewrite phase of one level (server or location): `return` and `rewrite` in order.
   * Returns a response/status, 'restart' (URI changed: find the location again), or undefined.
   */
  /** Directive lists with a `return` or `rewrite` (most levels have neither: their phase is skipped). */
  const rewriting = new WeakMap<Directive[], boolean>();
  const rewritePhase = (c: Ctx, scope: Scope, dirs: Directive[]): HttpResponse | number | 'restart' | undefined => {
    let any = rewriting.get(dirs);
    if (any === undefined) rewriting.set(dirs, (any = dirs.some((d) => d.name === 'return' || d.name === 'rewrite')));
    if (!any) return undefined;
    let changed = false;
    for (const d of dirs) {
      if (d.name === 'return') return doReturn(c, scope, d);
      if (d.name !== 'rewrite' || d.args.length < 2) continue;
      const re = safeRegex(d.args[0]!, '');
      const m = re?.exec(c.uri);
      if (!m) continue;
      c.captures = [...m];
      const flag = d.args[2];
      let target = expand(c, d.args[1]!);
      const keepArgs = !target.endsWith('?');
      if (!keepArgs) target = target.slice(0, -1);
      const withArgs = (t: string) => (keepArgs && c.args ? `${t}${t.includes('?') ? '&' : '?'}${c.args}` : t);
      if (/^https?:\/\//.test(target) || flag === 'redirect' || flag === 'permanent') return redirect(c, flag === 'permanent' ? 301 : 302, withArgs(target));
      const [p, q] = splitQuery(target);
      c.uri = p;
      if (q) c.args = keepArgs && c.args ? `${q}&${c.args}` : q;
      else if (!keepArgs) c.args = '';
      changed = true;
      if (flag === 'break') return undefined;
      if (flag === 'last') return 'restart';
    }
    return changed ? 'restart' : undefined;
  };

  /** One pass through a location; a string result is an internal redirect. */
  /** A level's own directive `name` (not inherited), memoized per (immutable) directive list. */
  const owns = new WeakMap<Directive[], Map<string, Directive | undefined>>();
  const ownDirective = (d: Directive[], name: string): Directive | undefined => {
    let m = owns.get(d);
    if (!m) owns.set(d, (m = new Map()));
    if (m.has(name)) return m.get(name);
    const found = d.find((x) => x.name === name);
    m.set(name, found);
    return found;
  };

  /** One pass; a string result is an internal redirect; a promise only for proxy_pass. */
  const run = (c: Ctx): Step | Promise<Step> => {
    const server = rewritePhase(c, c.server, c.server.d);
    if (server !== undefined && server !== 'restart') return server;
    let found = findLocation(c.server.locations, c.uri);
    let loc: Location | Server = found?.loc ?? c.server;
    for (let cycles = 0; ; cycles++) {
      c.captures = found?.captures ?? [];
      c.scope = loc;
      if (!('modifier' in loc)) break;
      const r = rewritePhase(c, loc, loc.d);
      if (r === undefined) break;
      if (r !== 'restart') return r;
      if (cycles >= 10) {
        errorLine(c, 'error', `rewrite or internal redirection cycle while processing "${c.uri}"`);
        return 500;
      }
      found = findLocation(c.server.locations, c.uri);
      loc = found?.loc ?? c.server;
    }
    const own = (name: string): Directive | undefined => ownDirective('modifier' in loc ? loc.d : c.server.d, name);
    // access rules (after the rewrite phase, as nginx's phases run)
    const denies = lookupAll(loc, 'deny');
    if (denies.some((d) => d.args[0] === 'all' || d.args[0] === c.remote) && !lookupAll(loc, 'allow').some((d) => d.args[0] === c.remote)) {
      errorLine(c, 'error', 'access forbidden by rule');
      return 403;
    }
    if ('modifier' in loc && own('stub_status')) {
      const body = `Active connections: 1 \nserver accepts handled requests\n ${connections} ${connections} ${connections} \nReading: 0 Writing: 1 Waiting: 0 \n`;
      return { status: 200, headers: { ...base(), 'Content-Type': 'text/plain', 'Content-Length': String(body.length), Connection: 'keep-alive' }, body };
    }
    const pass = 'modifier' in loc ? own('proxy_pass') : undefined;
    if (pass && 'modifier' in loc) return proxy(c, loc, pass.args[0] ?? '');
    const tryFiles = lookup(loc, 'try_files');
    if (tryFiles && tryFiles.args.length >= 2) {
      const list = tryFiles.args;
      for (let k = 0; k < list.length - 1; k++) {
        const cand = expand(c, list[k]!);
        const path = filePath(loc, cand);
        const st = fs.stat(path);
        if (cand.endsWith('/') ? st?.kind === 'dir' : st?.kind === 'file') return serveStatic(c, loc, cand);
      }
      const last = expand(c, list[list.length - 1]!);
      if (/^=\d{3}$/.test(last)) return Number(last.slice(1));
      return last;
    }
    return serveStatic(c, loc, c.uri);
  };

  /** The end of a request: add_header, HEAD, nginx's status line, the access log. */
  const finish = (c: Ctx, req: HttpRequest, server: Server, r: HttpResponse | undefined, forced: number | undefined): HttpResponse => {
    let res = r ?? page(500);
    // (every response object and its headers are made for this request: changed in place)
    if (forced !== undefined && res.status === 200) res.status = forced;
    // add_header (only for success and redirect codes unless `always`)
    const scope = findLocation(server.locations, c.uri)?.loc ?? server;
    for (const d of lookupAll(scope, 'add_header')) {
      if (!ADD_HEADER_CODES.has(res.status) && !d.args.includes('always')) continue;
      const v = expand(c, d.args[1] ?? '');
      if (v !== '') (res.headers ??= {})[d.args[0]!] = v;
    }
    if (req.method === 'HEAD') res.body = '';
    const proxied = (res as { proxied?: boolean }).proxied;
    if (proxied) delete (res as { proxied?: boolean }).proxied;
    else if (STATUS_LINES[res.status]) res.reason = STATUS_LINES[res.status];
    c.status = res.status;
    c.bodyBytes = req.method === 'HEAD' ? 0 : Buffer.byteLength(res.body);
    accessLog(ctx, conf, scope, (n) => getter(n)(c));
    return res;
  };

  /** A request's progress through internal redirects and error pages. */
  interface Flow {
    c: Ctx;
    req: HttpRequest;
    server: Server;
    res?: HttpResponse;
    hops: number;
    errorPageUsed: boolean;
    forced?: number;
  }

  /** Takes one pass's result: true when the request goes round again (internal redirect, error_page). */
  const advance = (f: Flow, result: Step): boolean => {
    const { c, req } = f;
    let out = result;
    if (typeof out === 'string') {
      const [p, q] = splitQuery(out);
      c.uri = p;
      if (q) c.args = q;
      return true;
    }
    if (typeof out === 'number') {
      const status = out;
      const ep = f.errorPageUsed ? undefined : lookupAll(findLocation(f.server.locations, c.uri)?.loc ?? f.server, 'error_page').find((d) => d.args.slice(0, -1).includes(String(status)));
      if (ep) {
        f.errorPageUsed = true;
        const target = ep.args[ep.args.length - 1]!;
        const override = ep.args.find((a) => /^=\d*$/.test(a));
        f.forced = override ? (override === '=' ? undefined : Number(override.slice(1))) : status;
        if (/^https?:\/\//.test(target)) {
          f.res = redirect(c, 302, target);
          return false;
        }
        const [p, q] = splitQuery(target);
        c.uri = p;
        c.args = q;
        if (req.method !== 'GET' && req.method !== 'HEAD') c.req = { ...req, method: 'GET' };
        return true;
      }
      out = page(status);
    }
    f.res = out;
    return false;
  };

  /** Runs passes until a response; synchronous unless a pass proxies. */
  const flow = (f: Flow): HttpResponse | Promise<HttpResponse> => {
    for (; !f.res && f.hops < 10; f.hops++) {
      const out = run(f.c);
      if (out instanceof Promise) {
        return out.then((o) => {
          if (advance(f, o)) f.hops++;
          return flow(f);
        });
      }
      if (!advance(f, out)) break;
    }
    return finish(f.c, f.req, f.server, f.res, f.forced);
  };

  return (req) => {
    connections++;
    const remote = req.remoteAddress.startsWith('::ffff:') ? req.remoteAddress.slice(7) : req.remoteAddress;
    const [rawPath, query] = splitQuery(req.path);
    const server = chooseServer(req.headers.host ?? '');
    const c: Ctx = { req, server, port, remote, uri: '/', args: query, conn: connections, captures: [] };
    const f: Flow = { c, req, server, hops: 0, errorPageUsed: false };
    const uri = normalizeUri(rawPath);
    if (uri === undefined) f.res = page(400);
    else c.uri = uri;
    try {
      return flow(f);
    } catch (e) {
      return Promise.reject(e);
    }
  };
}

/**
 * `resolvePath('/', root + '/' + uri)` for a normalised `root` and an already clean `uri` (starts
 * with `/`, no `//`, no `.` segments); undefined otherwise (the caller resolves).
 */
function joinClean(root: string, uri: string): string | undefined {
  if (uri.charCodeAt(0) !== 47 || uri.includes('//') || uri.includes('/.')) return undefined;
  const p = root === '/' ? uri : root + uri;
  return p.length > 1 && p.charCodeAt(p.length - 1) === 47 ? p.slice(0, -1) : p;
}

/** A file name to look up in a directory as it is (`index.html`, not `../x` or `a/b`). */
function isPlainName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !name.includes('/');
}

/** `$http_user_agent` → `user-agent` (the request header a variable names). */
const headerNames = new Map<string, string>();
function headerName(variable: string): string {
  let h = headerNames.get(variable);
  if (h === undefined) {
    if (headerNames.size >= 256) headerNames.clear();
    headerNames.set(variable, (h = variable.slice(5).replace(/_/g, '-')));
  }
  return h;
}

function splitQuery(path: string): [string, string] {
  const q = path.indexOf('?');
  return q < 0 ? [path, ''] : [path.slice(0, q), path.slice(q + 1)];
}

function isIp(h: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+$/.test(h) || h.includes(':');
}

function portOf(hostPort: string): string {
  return /:(\d+)$/.exec(hostPort)?.[1] ?? '80';
}

export function withPort(hostPort: string): string {
  return /:\d+$/.test(hostPort) ? hostPort : `${hostPort}:80`;
}

function safeRegex(src: string, flags = 'i'): RegExp | undefined {
  try {
    return new RegExp(src, flags);
  } catch {
    return undefined;
  }
}

/** `access_log path [format]` (innermost level; `off` silences): stdout, or appended to a file. */
function accessLog(ctx: ProcessContext, conf: HttpConfig, scope: Scope, get: (n: string) => string | undefined): void {
  const logs = lookupAll(scope, 'access_log');
  const list = logs.length ? logs : [{ name: 'access_log', args: ['/var/log/nginx/access.log', 'combined'], file: '', line: 0 }];
  for (const d of list) {
    const path = d.args[0] ?? 'off';
    if (path === 'off') continue;
    const format = conf.logFormats.get(d.args[1] ?? 'combined') ?? conf.logFormats.get('combined')!;
    const line = substitute(format, get) + '\n';
    if (path === '/var/log/nginx/access.log' || path === '/dev/stdout' || path === '/proc/self/fd/1') ctx.stdout.write(line);
    else if (path === '/dev/stderr' || path === '/proc/self/fd/2') ctx.stderr.write(line);
    else {
      try {
        ctx.host.fs.writeFile(path, line, { append: true });
      } catch {
        /* nginx reports this at start; the request still succeeds */
      }
    }
  }
}
