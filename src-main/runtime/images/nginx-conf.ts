/**
 * nginx's configuration language: the tokenizer and block parser (directives, `{}` blocks,
 * quotes, comments, `include` with globs relative to /etc/nginx) and the parts of the `http`
 * context nginx-http.ts serves from (servers, listens, locations, log formats). Syntax errors
 * carry nginx's own texts (`unexpected "}" in /etc/nginx/conf.d/default.conf:9`).
 */
import type { FileSystem } from '../vfs';
import { resolvePath } from '../vfs';
import { NGINX_DIRECTIVES } from './nginx-directives';

export interface Directive {
  name: string;
  args: string[];
  file: string;
  line: number;
  block?: Directive[];
}

/** A configuration error as `nginx: [emerg] <message>` prints it. */
export class NginxConfError extends Error {}

/** Escapes nginx's tokenizer turns into characters (`\\n`, `\\t`, `\\r`). */
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r' };

const at = (file: string, line: number) => ` in ${file}:${line}`;

/** Parses one file's text into its directive tree (includes are left as directives). */
export function parseConf(text: string, file: string): Directive[] {
  let i = 0;
  let line = 1;
  const n = text.length;
  const word = (): { t: string; quoted: boolean } | undefined => {
    for (;;) {
      while (i < n && /\s/.test(text[i]!)) {
        if (text[i] === '\n') line++;
        i++;
      }
      if (i < n && text[i] === '#') {
        while (i < n && text[i] !== '\n') i++;
        continue;
      }
      break;
    }
    if (i >= n) return undefined;
    const c = text[i]!;
    if (c === ';' || c === '{' || c === '}') {
      i++;
      return { t: c, quoted: false };
    }
    if (c === '"' || c === "'") {
      let out = '';
      i++;
      while (i < n && text[i] !== c) {
        if (text[i] === '\\' && i + 1 < n) {
          const e = text[i + 1]!;
          const esc = ESCAPES[e] ?? (e === c || e === '\\' ? e : undefined);
          if (esc !== undefined) {
            out += esc;
            i += 2;
            continue;
          }
        }
        if (text[i] === '\n') line++;
        out += text[i++];
      }
      if (i >= n) throw new NginxConfError(`unexpected end of file, expecting ";" or "}"${at(file, line)}`);
      i++;
      return { t: out, quoted: true };
    }
    let out = '';
    while (i < n && !/[\s;{}]/.test(text[i]!)) {
      if (text[i] === '$' && text[i + 1] === '{') {
        const end = text.indexOf('}', i);
        if (end < 0) break;
        out += text.slice(i, end + 1);
        i = end + 1;
        continue;
      }
      out += text[i++];
    }
    return { t: out, quoted: false };
  };

  const block = (depth: number): Directive[] => {
    const out: Directive[] = [];
    let cur: string[] = [];
    let curLine = line;
    for (;;) {
      const w = word();
      if (!w) {
        if (cur.length) throw new NginxConfError(`unexpected end of file, expecting ";" or "}"${at(file, line)}`);
        if (depth > 0) throw new NginxConfError(`unexpected end of file, expecting "}"${at(file, line)}`);
        return out;
      }
      if (!w.quoted && w.t === ';') {
        if (!cur.length) throw new NginxConfError(`unexpected ";"${at(file, line)}`);
        out.push({ name: cur[0]!, args: cur.slice(1), file, line: curLine });
        cur = [];
      } else if (!w.quoted && w.t === '{') {
        if (!cur.length) throw new NginxConfError(`unexpected "{"${at(file, line)}`);
        const d: Directive = { name: cur[0]!, args: cur.slice(1), file, line: curLine };
        cur = [];
        d.block = block(depth + 1);
        out.push(d);
      } else if (!w.quoted && w.t === '}') {
        if (cur.length) throw new NginxConfError(`unexpected "}"${at(file, line)}`);
        if (depth === 0) throw new NginxConfError(`unexpected "}"${at(file, line)}`);
        return out;
      } else {
        if (!cur.length) curLine = line;
        cur.push(w.t);
      }
    }
  };
  return block(0);
}

const PREFIX = '/etc/nginx';

/** Files an `include` names: a glob (`conf.d/*.conf`, no match is fine) or one file (must exist). */
function includeTargets(fs: FileSystem, pattern: string, d: Directive): string[] {
  const path = resolvePath(PREFIX, pattern);
  if (!/[*?[]/.test(path)) {
    if (fs.stat(path)?.kind !== 'file') throw new NginxConfError(`open() "${path}" failed (2: No such file or directory)${at(d.file, d.line)}`);
    return [path];
  }
  const slash = path.lastIndexOf('/');
  const dir = path.slice(0, slash) || '/';
  const re = new RegExp('^' + path.slice(slash + 1).replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]') + '$');
  if (fs.stat(dir)?.kind !== 'dir') return [];
  return fs
    .readdir(dir)
    .filter((f) => re.test(f) && !f.startsWith('.'))
    .map((f) => `${dir === '/' ? '' : dir}/${f}`)
    .filter((p) => fs.stat(p)?.kind === 'file');
}

/**
 * Every container of an image parses the same few files and usually ends up with the same
 * configuration, so parse results and expanded trees are cached by content (bounded) and shared:
 * they are frozen, nobody may change them. Only a file's text and path decide its tree; only
 * the sequence of parsed files decides an expanded tree (the key below).
 */
const MAX_CACHED = 64;
/** Texts longer than this are parsed per use (a huge ConfigMap must not pin memory). */
const MAX_CACHED_TEXT = 256 * 1024;

interface Parsed {
  id: number;
  tree: readonly Directive[];
  /** false for a text too long to cache (a tree built from it is not cached either). */
  shared: boolean;
}

let nextParsedId = 1;
/** text → path → parsed tree (the path is part of every directive: `in file:line`). */
const parsed = new Map<string, Map<string, Parsed>>();
/** The key of an expanded tree (ids of the files in include order) → the tree. */
const expanded = new Map<string, readonly Directive[]>();
/** mime.types text → its map; an expanded tree → its HttpConfig. */
const typesByText = new Map<string, ReadonlyMap<string, string>>();
const httpConfigs = new WeakMap<readonly Directive[], { types: ReadonlyMap<string, string>; conf: HttpConfig }>();

/** Map as a bounded least-recently-used cache: a hit moves the key to the end. */
function cacheGet<K, V>(m: Map<K, V>, k: K): V | undefined {
  const v = m.get(k);
  if (v !== undefined) {
    m.delete(k);
    m.set(k, v);
  }
  return v;
}

function cacheSet<K, V>(m: Map<K, V>, k: K, v: V): void {
  m.set(k, v);
  if (m.size > MAX_CACHED) m.delete(m.keys().next().value as K);
}

function deepFreeze(list: Directive[]): readonly Directive[] {
  for (const d of list) {
    Object.freeze(d.args);
    if (d.block) deepFreeze(d.block);
    Object.freeze(d);
  }
  return Object.freeze(list);
}

/** `parseConf` through the cache (a parse error is thrown again each time). */
function parseShared(text: string, file: string): Parsed {
  if (text.length > MAX_CACHED_TEXT) return { id: nextParsedId++, tree: deepFreeze(parseConf(text, file)), shared: false };
  let byFile = cacheGet(parsed, text);
  const hit = byFile?.get(file);
  if (hit) return hit;
  const p: Parsed = { id: nextParsedId++, tree: deepFreeze(parseConf(text, file)), shared: true };
  if (!byFile) cacheSet(parsed, text, (byFile = new Map()));
  else if (byFile.size >= MAX_CACHED) byFile.clear(); // one text under ever new names
  byFile.set(file, p);
  return p;
}

/** Reads `path` and expands its `include`s (recursively, at most 10 deep). The tree is shared and frozen. */
export function loadConf(fs: FileSystem, path = `${PREFIX}/nginx.conf`): readonly Directive[] {
  if (fs.stat(path)?.kind !== 'file') throw new NginxConfError(`open() "${path}" failed (2: No such file or directory)`);
  const root = parseShared(fs.readFile(path), path);
  // first the files every include names (read now, as nginx reads them), in order
  const includes: Parsed[][] = [];
  let key = String(root.id);
  let shared = root.shared;
  const scan = (list: readonly Directive[], depth: number): void => {
    for (const d of list) {
      if (d.name === 'include' && !d.block) {
        if (d.args.length !== 1) throw new NginxConfError(`invalid number of arguments in "include" directive${at(d.file, d.line)}`);
        // mime.types is data nginx-http reads on its own; keep the directive for it
        const targets = includeTargets(fs, d.args[0]!, d);
        const files = depth > 10 ? [] : targets.map((f) => parseShared(fs.readFile(f), f));
        includes.push(files);
        key += '(';
        for (const f of files) {
          key += `${f.id},`;
          shared &&= f.shared;
          scan(f.tree, depth + 1);
        }
        key += ')';
      } else if (d.block) scan(d.block, depth);
    }
  };
  scan(root.tree, 0);
  const hit = shared ? cacheGet(expanded, key) : undefined;
  if (hit) return hit;
  let next = 0;
  const expand = (list: readonly Directive[]): Directive[] => {
    const out: Directive[] = [];
    for (const d of list) {
      if (d.name === 'include' && !d.block) {
        for (const f of includes[next++]!) out.push(...expand(f.tree));
        continue;
      }
      out.push(d.block ? { ...d, block: expand(d.block) } : d);
    }
    return out;
  };
  const tree = expand(root.tree);
  checkDirectives(tree);
  const frozen = deepFreeze(tree);
  if (shared) cacheSet(expanded, key, frozen);
  return frozen;
}

/** The configuration nginx runs with: loadConf + httpConfig + mime.types, shared by every container with the same files. */
export function loadHttpConfig(fs: FileSystem): HttpConfig {
  const tree = loadConf(fs);
  const types = mimeTypes(fs);
  const known = httpConfigs.get(tree);
  if (known?.types === types) return known.conf;
  const conf = freezeConf(httpConfig(tree, types));
  httpConfigs.set(tree, { types, conf });
  return conf;
}

function freezeConf(conf: HttpConfig): HttpConfig {
  const location = (l: Location): void => {
    Object.freeze(l.d);
    l.locations.forEach(location);
    Object.freeze(l.locations);
    Object.freeze(l);
  };
  for (const s of conf.servers) {
    s.listens.forEach((l) => Object.freeze(l));
    Object.freeze(s.listens);
    Object.freeze(s.names);
    Object.freeze(s.d);
    s.locations.forEach(location);
    Object.freeze(s.locations);
    Object.freeze(s);
  }
  Object.freeze(conf.http.d);
  Object.freeze(conf.http);
  Object.freeze(conf.servers);
  return Object.freeze(conf);
}

/** Blocks whose lines are data, not directives. */
const DATA_BLOCKS = new Set(['types', 'map', 'geo', 'split_clients', 'charset_map', 'match']);

/** `unknown directive "x"` for a name no module defines (nginx checks every line). */
function checkDirectives(list: readonly Directive[]): void {
  for (const d of list) {
    if (!NGINX_DIRECTIVES.has(d.name)) throw new NginxConfError(`unknown directive "${d.name}"${at(d.file, d.line)}`);
    if (d.block && !DATA_BLOCKS.has(d.name)) checkDirectives(d.block);
  }
}

// ---- the http context ------------------------------------------------------------------------

export interface Listen {
  /** `0.0.0.0`, `::` or an address. */
  address: string;
  port: number;
  defaultServer: boolean;
  /** `[::]` listens are IPV6_V6ONLY (nginx's default `ipv6only=on`; `ipv6only=off` is dual-stack). */
  ipv6Only?: boolean;
}

export interface Location {
  modifier: '' | '=' | '~' | '~*' | '^~';
  pattern: string;
  regex?: RegExp;
  /** Directives of this location (the server's and http's are found through `parent`). */
  d: Directive[];
  parent: Scope;
  locations: Location[];
}

export interface Scope {
  d: Directive[];
  parent?: Scope;
}

export interface Server extends Scope {
  listens: Listen[];
  names: string[];
  locations: Location[];
}

export interface HttpConfig {
  main: readonly Directive[];
  http: Scope;
  servers: Server[];
  logFormats: ReadonlyMap<string, string>;
  workerProcesses: number | 'auto';
  /** `error_log` level: notices are printed only at notice/info/debug. */
  errorLogLevel: string;
  types: ReadonlyMap<string, string>;
}

export const COMBINED = '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"';

/**
 * Answers of `lookup`/`lookupAll` per scope and directive name. Parsed configurations are shared
 * and never change (a reload parses new scopes), so a request asks each question of a scope once
 * for the life of the configuration instead of scanning the directive lists per request.
 */
const lookups = new WeakMap<Scope, Map<string, Directive | undefined>>();
const lookupAlls = new WeakMap<Scope, Map<string, Directive[]>>();

function memo<T>(cache: WeakMap<Scope, Map<string, T>>, scope: Scope, name: string, compute: () => T): T {
  let m = cache.get(scope);
  if (!m) cache.set(scope, (m = new Map()));
  if (m.has(name)) return m.get(name) as T;
  const v = compute();
  m.set(name, v);
  return v;
}

/** The innermost value of a directive along the scope chain. */
export function lookup(scope: Scope | undefined, name: string): Directive | undefined {
  if (!scope) return undefined;
  return memo(lookups, scope, name, () => {
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      for (let k = s.d.length - 1; k >= 0; k--) if (s.d[k]!.name === name) return s.d[k];
    }
    return undefined;
  });
}

/** All directives `name` of the innermost level that has any (add_header, proxy_set_header inheritance). */
export function lookupAll(scope: Scope | undefined, name: string): Directive[] {
  if (!scope) return [];
  return memo(lookupAlls, scope, name, () => {
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      const found = s.d.filter((d) => d.name === name);
      if (found.length) return found;
    }
    return [];
  });
}

function parseListen(d: Directive): Listen {
  const spec = d.args[0] ?? '80';
  let address = '0.0.0.0';
  let port = 80;
  const v6 = /^\[([^\]]*)\](?::(\d+))?$/.exec(spec);
  if (v6) {
    address = v6[1] === '::' ? '::' : v6[1]!;
    port = v6[2] ? Number(v6[2]) : 80;
  } else if (/^\d+$/.test(spec)) port = Number(spec);
  else {
    const [h, p] = spec.split(':');
    address = h === '*' ? '0.0.0.0' : h === 'localhost' ? '127.0.0.1' : h!;
    port = p ? Number(p) : 80;
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new NginxConfError(`invalid port in "${spec}" of the "listen" directive${at(d.file, d.line)}`);
  const defaultServer = d.args.includes('default_server') || d.args.includes('default');
  if (address === '::' && !d.args.includes('ipv6only=off')) return { address, port, defaultServer, ipv6Only: true };
  return { address, port, defaultServer };
}

function parseLocation(d: Directive, parent: Scope): Location {
  const a = d.args;
  let modifier: Location['modifier'] = '';
  let pattern: string;
  if (a.length === 2 && ['=', '~', '~*', '^~'].includes(a[0]!)) {
    modifier = a[0] as Location['modifier'];
    pattern = a[1]!;
  } else if (a.length === 1) {
    const m = /^(=|~\*|~|\^~)(.+)$/.exec(a[0]!);
    if (m && m[1] !== '~' && m[1] !== '~*') {
      modifier = m[1] as Location['modifier'];
      pattern = m[2]!;
    } else pattern = a[0]!;
  } else throw new NginxConfError(`invalid number of arguments in "location" directive${at(d.file, d.line)}`);
  let regex: RegExp | undefined;
  if (modifier === '~' || modifier === '~*') {
    try {
      regex = new RegExp(pattern.replace(/\(\?<([a-zA-Z_]\w*)>/g, '(?<$1>').replace(/\(\?P<([a-zA-Z_]\w*)>/g, '(?<$1>'), modifier === '~*' ? 'i' : '');
    } catch {
      throw new NginxConfError(`pcre2_compile() failed: invalid regular expression in "${pattern}"${at(d.file, d.line)}`);
    }
  }
  const own = (d.block ?? []).filter((x) => x.name !== 'location');
  const loc: Location = { modifier, pattern, regex, d: own, parent, locations: [] };
  loc.locations = (d.block ?? []).filter((x) => x.name === 'location').map((x) => parseLocation(x, loc));
  return loc;
}

/** The nginx.conf tree → what the HTTP side needs. */
export function httpConfig(main: readonly Directive[], types: ReadonlyMap<string, string>): HttpConfig {
  const httpBlocks = main.filter((d) => d.name === 'http' && d.block);
  const httpDirs = httpBlocks.flatMap((d) => d.block!);
  const http: Scope = { d: httpDirs.filter((d) => d.name !== 'server') };
  const logFormats = new Map<string, string>([['combined', COMBINED]]);
  for (const d of httpDirs) if (d.name === 'log_format' && d.args.length >= 2) logFormats.set(d.args[0]!, d.args.slice(1).join(''));
  const servers: Server[] = httpDirs
    .filter((d) => d.name === 'server' && d.block)
    .map((d) => {
      const own = d.block!.filter((x) => x.name !== 'location');
      const listens = own.filter((x) => x.name === 'listen').map(parseListen);
      const server: Server = {
        d: own,
        parent: http,
        listens: listens.length ? listens : [{ address: '0.0.0.0', port: 80, defaultServer: false }],
        names: own.filter((x) => x.name === 'server_name').flatMap((x) => x.args),
        locations: [],
      };
      server.locations = d.block!.filter((x) => x.name === 'location').map((x) => parseLocation(x, server));
      return server;
    });
  const wp = main.find((d) => d.name === 'worker_processes')?.args[0];
  const el = main.find((d) => d.name === 'error_log');
  return {
    main,
    http,
    servers,
    logFormats,
    workerProcesses: wp === 'auto' ? 'auto' : wp && /^\d+$/.test(wp) ? Number(wp) : 1,
    errorLogLevel: el?.args[1] ?? 'error',
    types,
  };
}

/** `types { text/html html htm; … }` of mime.types → extension → type (shared per text: never change it). */
export function mimeTypes(fs: FileSystem): ReadonlyMap<string, string> {
  const path = `${PREFIX}/mime.types`;
  if (fs.stat(path)?.kind !== 'file') return NO_TYPES;
  const text = fs.readFile(path);
  const known = cacheGet(typesByText, text);
  if (known) return known;
  const out = new Map<string, string>();
  try {
    for (const d of parseConf(text, path)) {
      if (d.name !== 'types' || !d.block) continue;
      for (const t of d.block) for (const ext of t.args) out.set(ext, t.name);
    }
  } catch {
    /* a broken mime.types only loses types */
  }
  if (text.length <= MAX_CACHED_TEXT) cacheSet(typesByText, text, out);
  return out;
}

const NO_TYPES: ReadonlyMap<string, string> = new Map();

/** The location that serves `uri` (nginx's order: `=`, longest prefix (`^~` stops), regexes, prefix). */
export function findLocation(locations: Location[], uri: string): { loc: Location; captures: string[] } | undefined {
  let best: Location | undefined;
  for (const l of locations) {
    if (l.modifier === '=' && l.pattern === uri) return { loc: l, captures: [] };
    if ((l.modifier === '' || l.modifier === '^~') && uri.startsWith(l.pattern) && (!best || l.pattern.length > best.pattern.length)) best = l;
  }
  if (best) {
    const inner = best.locations.length ? findLocation(best.locations, uri) : undefined;
    if (inner) return inner;
    if (best.modifier === '^~') return { loc: best, captures: [] };
  }
  for (const l of locations) {
    if (!l.regex) continue;
    const m = l.regex.exec(uri);
    if (m) return { loc: l, captures: [...m] };
  }
  return best ? { loc: best, captures: [] } : undefined;
}
