/**
 * redis-server's keyspace: strings, lists, hashes and sets with expiry on the cluster clock, the
 * common commands with redis's arity checks and error texts (per major version where they
 * differ), and persistence to the RDB file (`REDIS00xx` + our own JSON body) on SAVE/BGSAVE, the
 * `save` policy and shutdown, loaded at start.
 */
import type { RespValue } from '../program';
import type { FileSystem } from '../vfs';

export type Value = { t: 'string'; v: string } | { t: 'list'; v: string[] } | { t: 'hash'; v: Map<string, string> } | { t: 'set'; v: Set<string> };

interface Entry {
  value: Value;
  /** Absolute expiry in ms of cluster time. */
  expiresAt?: number;
}

/** What the store needs from its server (saves, shutdown, config, clients, INFO). */
export interface StoreHooks {
  now(): number;
  /** SAVE (foreground) / BGSAVE: persist now; throws when the file cannot be written. */
  save(background: boolean): void;
  shutdown(mode: 'SAVE' | 'NOSAVE' | ''): void;
  config: Map<string, string>;
  info(section: string | undefined): string;
  clientList(): string;
}

const WRONGTYPE = { error: 'WRONGTYPE Operation against a key holding the wrong kind of value' };
const NOT_INT = { error: 'ERR value is not an integer or out of range' };
const SYNTAX = { error: 'ERR syntax error' };
const OK = { status: 'OK' };

/** redis's command table: arity (positive: exact, negative: at least) of what we implement. */
const ARITY: Record<string, number> = {
  ping: -1, echo: 2, get: 2, set: -3, setnx: 3, setex: 4, psetex: 4, getset: 3, getdel: 2, mget: -2, mset: -3, msetnx: -3,
  incr: 2, incrby: 3, decr: 2, decrby: 3, incrbyfloat: 3, append: 3, strlen: 2, getrange: 4, del: -2, unlink: -2, exists: -2,
  keys: 2, scan: -2, expire: -3, pexpire: -3, expireat: -3, pexpireat: -3, ttl: 2, pttl: 2, persist: 2, type: 2, rename: 3,
  renamenx: 3, randomkey: 1, flushdb: -1, flushall: -1, dbsize: 1, select: 2, info: -1, save: 1, bgsave: -1, lastsave: 1,
  config: -2, client: -2, command: -1, time: 1, lpush: -3, rpush: -3, lpop: -2, rpop: -2, lrange: 4, llen: 2, lindex: 3,
  hset: -4, hmset: -4, hget: 3, hmget: -3, hgetall: 2, hdel: -3, hexists: 3, hkeys: 2, hvals: 2, hlen: 2, hincrby: 4,
  sadd: -3, smembers: 2, sismember: 3, srem: -3, scard: 2, shutdown: -1, quit: -1, hello: -1, readonly: 1,
};

/** `KEYS`/`SCAN MATCH` glob → RegExp (`*`, `?`, `[a-z]`, `\x`). */
export function globToRegex(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        let cls = glob.slice(i + 1, end);
        if (cls.startsWith('^')) cls = '^' + cls.slice(1).replace(/\\/g, '\\\\');
        re += `[${cls.replace(/]/g, '\\]')}]`;
        i = end;
      }
    } else if (c === '\\' && i + 1 < glob.length) re += '\\' + glob[++i]!;
    else re += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

const isInt = (s: string | undefined) => s !== undefined && /^-?\d+$/.test(s) && Math.abs(Number(s)) <= Number.MAX_SAFE_INTEGER;

export class RedisStore {
  private data = new Map<string, Entry>();
  /** Changes since the last save (rdb_changes_since_last_save). */
  dirty = 0;
  lastSave = 0;
  saves = 0;
  commands = 0;
  expiredKeys = 0;
  hits = 0;
  misses = 0;
  errors = new Map<string, number>();
  loadedKeys = 0;
  /** Called after every write (the server's save policy). */
  onWrite: () => void = () => {};

  constructor(
    private readonly version: string,
    private readonly hooks: StoreHooks,
  ) {
    this.lastSave = hooks.now();
  }

  private get major(): number {
    return Number(this.version.split('.')[0]);
  }

  get size(): number {
    this.purge();
    return this.data.size;
  }

  get expires(): number {
    return [...this.data.values()].filter((e) => e.expiresAt !== undefined).length;
  }

  /** RDB version of this redis (the file's `REDIS00xx` magic). */
  private get rdbVersion(): string {
    const [maj, min] = this.version.split('.').map(Number) as [number, number];
    if (maj >= 8) return '0012';
    if (maj === 7) return min >= 2 ? '0011' : '0010';
    return '0009';
  }

  // ---- persistence -------------------------------------------------------------------------

  /** Loads `path` if present; returns the number of keys (undefined when there was no file). */
  load(fs: FileSystem, path: string): { keys: number; expired: number } | undefined {
    if (fs.stat(path)?.kind !== 'file') return undefined;
    const text = fs.readFile(path);
    const m = /^REDIS(\d{4})/.exec(text);
    if (!m) return { keys: 0, expired: 0 };
    let expired = 0;
    try {
      const rows = JSON.parse(text.slice(9) || '[]') as [string, string, unknown, number?][];
      const now = this.hooks.now();
      for (const [key, t, raw, exp] of rows) {
        if (exp !== undefined && exp <= now) {
          expired++;
          continue;
        }
        const value: Value =
          t === 'list' ? { t, v: [...(raw as string[])] } : t === 'hash' ? { t, v: new Map(raw as [string, string][]) } : t === 'set' ? { t, v: new Set(raw as string[]) } : { t: 'string', v: String(raw) };
        this.data.set(key, { value, expiresAt: exp });
      }
    } catch {
      this.data.clear();
    }
    this.loadedKeys = this.data.size;
    return { keys: this.data.size, expired };
  }

  /** The RDB file's content now. */
  dump(): string {
    this.purge();
    const rows = [...this.data].map(([k, e]) => {
      const v = e.value;
      const raw = v.t === 'hash' ? [...v.v] : v.t === 'set' ? [...v.v] : v.v;
      return e.expiresAt === undefined ? [k, v.t, raw] : [k, v.t, raw, e.expiresAt];
    });
    return `REDIS${this.rdbVersion}${JSON.stringify(rows)}`;
  }

  saved(): void {
    this.dirty = 0;
    this.saves++;
    this.lastSave = this.hooks.now();
  }

  // ---- keyspace ----------------------------------------------------------------------------

  private purge(): void {
    const now = this.hooks.now();
    for (const [k, e] of this.data) {
      if (e.expiresAt !== undefined && e.expiresAt <= now) {
        this.data.delete(k);
        this.expiredKeys++;
      }
    }
  }

  private entry(key: string): Entry | undefined {
    const e = this.data.get(key);
    if (e?.expiresAt !== undefined && e.expiresAt <= this.hooks.now()) {
      this.data.delete(key);
      this.expiredKeys++;
      return undefined;
    }
    return e;
  }

  private typed<T extends Value['t']>(key: string, t: T): Extract<Value, { t: T }> | undefined | { error: string } {
    const e = this.entry(key);
    if (!e) return undefined;
    if (e.value.t !== t) return WRONGTYPE;
    return e.value as Extract<Value, { t: T }>;
  }

  private write(n = 1): void {
    this.dirty += n;
    this.onWrite();
  }

  keys(): string[] {
    this.purge();
    return [...this.data.keys()];
  }

  // ---- commands ----------------------------------------------------------------------------

  /** Runs one command as redis-server would answer it. */
  command(args: string[]): RespValue {
    this.commands++;
    const reply = this.dispatch(args);
    if (reply && typeof reply === 'object' && !Array.isArray(reply) && 'error' in reply) {
      const code = reply.error.split(' ')[0]!;
      this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
    }
    return reply;
  }

  private unknown(args: string[]): RespValue {
    const rest = args.slice(1, 21);
    if (this.major >= 7) return { error: `ERR unknown command '${args[0] ?? ''}', with args beginning with: ${rest.map((x) => `'${x}' `).join('')}` };
    return { error: `ERR unknown command \`${args[0] ?? ''}\`, with args beginning with: ${rest.map((x) => `\`${x}\`, `).join('')}` };
  }

  private dispatch(args: string[]): RespValue {
    const name = (args[0] ?? '').toLowerCase();
    const a = args.slice(1);
    const arity = ARITY[name];
    if (arity === undefined) return this.unknown(args);
    if ((arity > 0 && args.length !== arity) || (arity < 0 && args.length < -arity)) return { error: `ERR wrong number of arguments for '${name}' command` };
    const now = this.hooks.now();
    switch (name) {
      case 'ping':
        return a.length > 1 ? { error: `ERR wrong number of arguments for 'ping' command` } : a.length ? a[0]! : { status: 'PONG' };
      case 'echo':
        return a[0]!;
      case 'quit':
      case 'readonly':
        return OK;
      case 'hello':
        return { error: 'NOPROTO unsupported protocol version' };
      case 'time': {
        const us = now * 1000;
        return [String(Math.floor(us / 1e6)), String(us % 1e6)];
      }
      // strings
      case 'get': {
        const v = this.typed(a[0]!, 'string');
        if (v && 'error' in v) return v;
        if (v) this.hits++;
        else this.misses++;
        return v ? v.v : null;
      }
      case 'set':
        return this.set(a, now);
      case 'setnx':
        return this.entry(a[0]!) ? 0 : (this.setString(a[0]!, a[1]!), 1);
      case 'setex':
      case 'psetex': {
        if (!isInt(a[1])) return NOT_INT;
        const n = Number(a[1]);
        if (n <= 0) return { error: `ERR invalid expire time in '${name}' command` };
        this.setString(a[0]!, a[2]!, now + (name === 'setex' ? n * 1000 : n));
        return OK;
      }
      case 'getset':
      case 'getdel': {
        const v = this.typed(a[0]!, 'string');
        if (v && 'error' in v) return v;
        if (name === 'getset') this.setString(a[0]!, a[1]!);
        else if (v) {
          this.data.delete(a[0]!);
          this.write();
        }
        return v ? v.v : null;
      }
      case 'mget':
        return a.map((k) => {
          const e = this.entry(k);
          return e?.value.t === 'string' ? e.value.v : null;
        });
      case 'mset':
      case 'msetnx': {
        if (a.length % 2) return { error: `ERR wrong number of arguments for '${name}' command` };
        if (name === 'msetnx' && a.some((k, i) => i % 2 === 0 && this.entry(k))) return 0;
        for (let i = 0; i < a.length; i += 2) this.setString(a[i]!, a[i + 1]!);
        return name === 'msetnx' ? 1 : OK;
      }
      case 'incr':
      case 'decr':
      case 'incrby':
      case 'decrby': {
        const by = name.endsWith('by') ? a[1] : '1';
        if (!isInt(by)) return NOT_INT;
        return this.incr(a[0]!, (name.startsWith('decr') ? -1 : 1) * Number(by));
      }
      case 'incrbyfloat': {
        const v = this.typed(a[0]!, 'string');
        if (v && 'error' in v) return v;
        const cur = v ? Number(v.v) : 0;
        const by = Number(a[1]);
        if (Number.isNaN(cur) || (v && v.v.trim() !== v.v) || Number.isNaN(by)) return { error: 'ERR value is not a valid float' };
        const out = String(Number((cur + by).toPrecision(17)));
        this.setString(a[0]!, out, this.entry(a[0]!)?.expiresAt);
        return out;
      }
      case 'append': {
        const v = this.typed(a[0]!, 'string');
        if (v && 'error' in v) return v;
        const out = (v?.v ?? '') + a[1]!;
        this.setString(a[0]!, out, this.entry(a[0]!)?.expiresAt);
        return Buffer.byteLength(out);
      }
      case 'strlen': {
        const v = this.typed(a[0]!, 'string');
        if (v && 'error' in v) return v;
        return v ? Buffer.byteLength(v.v) : 0;
      }
      case 'getrange': {
        const v = this.typed(a[0]!, 'string');
        if (v && 'error' in v) return v;
        if (!isInt(a[1]) || !isInt(a[2])) return NOT_INT;
        const s = v?.v ?? '';
        let start = Number(a[1]);
        let end = Number(a[2]);
        if (start < 0) start = Math.max(0, s.length + start);
        if (end < 0) end = s.length + end;
        return end < start ? '' : s.slice(start, end + 1);
      }
      // keys
      case 'del':
      case 'unlink': {
        let n = 0;
        for (const k of a) if (this.entry(k) && this.data.delete(k)) n++;
        if (n) this.write(n);
        return n;
      }
      case 'exists':
        return a.filter((k) => this.entry(k)).length;
      case 'keys': {
        const re = globToRegex(a[0]!);
        return this.keys().filter((k) => re.test(k));
      }
      case 'scan': {
        if (!isInt(a[0]) || Number(a[0]) < 0) return { error: 'ERR invalid cursor' };
        let match: RegExp | undefined;
        let type: string | undefined;
        for (let i = 1; i < a.length; i += 2) {
          const opt = a[i]!.toLowerCase();
          if (i + 1 >= a.length) return SYNTAX;
          if (opt === 'match') match = globToRegex(a[i + 1]!);
          else if (opt === 'count') {
            if (!isInt(a[i + 1])) return NOT_INT;
            if (Number(a[i + 1]) < 1) return SYNTAX;
          } else if (opt === 'type') type = a[i + 1]!.toLowerCase();
          else return SYNTAX;
        }
        return ['0', this.keys().filter((k) => (!match || match.test(k)) && (!type || this.data.get(k)!.value.t === type))];
      }
      case 'expire':
      case 'pexpire':
      case 'expireat':
      case 'pexpireat': {
        if (!isInt(a[1])) return NOT_INT;
        const e = this.entry(a[0]!);
        if (!e) return 0;
        const n = Number(a[1]);
        const at = name === 'expire' ? now + n * 1000 : name === 'pexpire' ? now + n : name === 'expireat' ? n * 1000 : n;
        const opt = a[2]?.toUpperCase();
        if (opt === 'NX' && e.expiresAt !== undefined) return 0;
        if (opt === 'XX' && e.expiresAt === undefined) return 0;
        if (opt === 'GT' && (e.expiresAt === undefined || at <= e.expiresAt)) return 0;
        if (opt === 'LT' && e.expiresAt !== undefined && at >= e.expiresAt) return 0;
        if (at <= now) this.data.delete(a[0]!);
        else e.expiresAt = at;
        this.write();
        return 1;
      }
      case 'ttl':
      case 'pttl': {
        const e = this.entry(a[0]!);
        if (!e) return -2;
        if (e.expiresAt === undefined) return -1;
        const ms = e.expiresAt - now;
        return name === 'pttl' ? ms : Math.floor((ms + 500) / 1000);
      }
      case 'persist': {
        const e = this.entry(a[0]!);
        if (!e || e.expiresAt === undefined) return 0;
        e.expiresAt = undefined;
        this.write();
        return 1;
      }
      case 'type':
        return { status: this.entry(a[0]!)?.value.t ?? 'none' };
      case 'rename':
      case 'renamenx': {
        const e = this.entry(a[0]!);
        if (!e) return { error: 'ERR no such key' };
        if (name === 'renamenx' && a[0] !== a[1] && this.entry(a[1]!)) return 0;
        this.data.delete(a[0]!);
        this.data.set(a[1]!, e);
        this.write();
        return name === 'rename' ? OK : 1;
      }
      case 'randomkey': {
        const ks = this.keys();
        return ks.length ? ks[Math.floor(Math.random() * ks.length)]! : null;
      }
      case 'flushdb':
      case 'flushall': {
        const opt = a[0]?.toUpperCase();
        if (a.length > 1 || (opt && opt !== 'ASYNC' && opt !== 'SYNC')) return SYNTAX;
        const n = this.data.size;
        this.data.clear();
        this.write(Math.max(1, n));
        if (name === 'flushall' && this.hooks.config.get('save')) {
          try {
            this.hooks.save(false);
          } catch {
            /* the save error is logged by the server */
          }
        }
        return OK;
      }
      case 'dbsize':
        return this.size;
      case 'select': {
        if (!isInt(a[0])) return NOT_INT;
        const db = Number(a[0]);
        if (db < 0 || db >= Number(this.hooks.config.get('databases') ?? 16)) return { error: 'ERR DB index is out of range' };
        return OK;
      }
      // server
      case 'info':
        return this.hooks.info(a[0]?.toLowerCase());
      case 'save':
        try {
          this.hooks.save(false);
          return OK;
        } catch {
          return { error: 'ERR' };
        }
      case 'bgsave':
        if (a.length && a[0]!.toUpperCase() !== 'SCHEDULE') return SYNTAX;
        try {
          this.hooks.save(true);
        } catch {
          /* logged by the server */
        }
        return { status: 'Background saving started' };
      case 'lastsave':
        return Math.floor(this.lastSave / 1000);
      case 'shutdown': {
        const mode = (a[0] ?? '').toUpperCase();
        if (mode && mode !== 'SAVE' && mode !== 'NOSAVE' && mode !== 'NOW' && mode !== 'FORCE' && mode !== 'ABORT') return SYNTAX;
        this.hooks.shutdown(mode === 'SAVE' || mode === 'NOSAVE' ? mode : '');
        return null;
      }
      case 'config':
        return this.config(a);
      case 'client':
        return this.client(a);
      case 'command': {
        const sub = a[0]?.toUpperCase();
        if (sub === 'COUNT') return Object.keys(ARITY).length - 1;
        if (!sub || sub === 'DOCS' || sub === 'INFO' || sub === 'LIST') return [];
        return { error: `ERR unknown subcommand '${a[0]}'. Try COMMAND HELP.` };
      }
      default:
        return this.collections(name, a);
    }
  }

  private set(a: string[], now: number): RespValue {
    const [key, value] = a as [string, string];
    let expiresAt: number | undefined;
    let nx = false;
    let xx = false;
    let get = false;
    let keep = false;
    for (let i = 2; i < a.length; i++) {
      const opt = a[i]!.toUpperCase();
      if (opt === 'NX' && !xx) nx = true;
      else if (opt === 'XX' && !nx) xx = true;
      else if (opt === 'GET') get = true;
      else if (opt === 'KEEPTTL' && expiresAt === undefined) keep = true;
      else if (['EX', 'PX', 'EXAT', 'PXAT'].includes(opt) && expiresAt === undefined && !keep && i + 1 < a.length) {
        const n = a[++i]!;
        if (!isInt(n)) return NOT_INT;
        const v = Number(n);
        if (v <= 0) return { error: `ERR invalid expire time in 'set' command` };
        expiresAt = opt === 'EX' ? now + v * 1000 : opt === 'PX' ? now + v : opt === 'EXAT' ? v * 1000 : v;
      } else return SYNTAX;
    }
    const old = this.entry(key);
    if (get && old && old.value.t !== 'string') return WRONGTYPE;
    const prev = get ? (old?.value.t === 'string' ? old.value.v : null) : undefined;
    if ((nx && old) || (xx && !old)) return get ? prev! : null;
    this.setString(key, value, keep ? old?.expiresAt : expiresAt);
    return get ? prev! : OK;
  }

  private setString(key: string, v: string, expiresAt?: number): void {
    this.data.set(key, { value: { t: 'string', v }, expiresAt });
    this.write();
  }

  private incr(key: string, by: number): RespValue {
    const e = this.entry(key);
    if (e && e.value.t !== 'string') return WRONGTYPE;
    const cur = e ? e.value.v : '0';
    if (!isInt(cur as string)) return NOT_INT;
    const next = Number(cur) + by;
    if (!Number.isSafeInteger(next)) return { error: 'ERR increment or decrement would overflow' };
    this.setString(key, String(next), e?.expiresAt);
    return next;
  }

  private config(a: string[]): RespValue {
    const sub = a[0]!.toUpperCase();
    const cfg = this.hooks.config;
    if (sub === 'GET') {
      if (a.length < 2) return { error: `ERR wrong number of arguments for 'config|get' command` };
      const out: string[] = [];
      for (const pat of a.slice(1)) {
        const re = globToRegex(pat.toLowerCase());
        for (const [k, v] of cfg) if (re.test(k) && !out.includes(k)) out.push(k, v);
      }
      return out;
    }
    if (sub === 'SET') {
      if (a.length < 3 || a.length % 2 === 0) return { error: `ERR wrong number of arguments for 'config|set' command` };
      for (let i = 1; i < a.length; i += 2) {
        const k = a[i]!.toLowerCase();
        if (!cfg.has(k)) return { error: `ERR Unknown option or number of arguments for CONFIG SET - '${a[i]}'` };
        cfg.set(k, a[i + 1]!);
      }
      return OK;
    }
    if (sub === 'RESETSTAT') {
      this.commands = 0;
      this.hits = 0;
      this.misses = 0;
      this.errors.clear();
      return OK;
    }
    if (sub === 'REWRITE') return { error: 'ERR The server is running without a config file' };
    return { error: `ERR unknown subcommand '${a[0]}'. Try CONFIG HELP.` };
  }

  private clientName = '';

  private client(a: string[]): RespValue {
    const sub = a[0]!.toUpperCase();
    if (sub === 'SETNAME') {
      if (a.length !== 2) return { error: `ERR wrong number of arguments for 'client|setname' command` };
      if (/[\s]/.test(a[1]!)) return { error: 'ERR Client names cannot contain spaces, newlines or special characters.' };
      this.clientName = a[1]!;
      return OK;
    }
    if (sub === 'GETNAME') return this.clientName || null;
    if (sub === 'ID') return 3;
    if (sub === 'LIST' || sub === 'INFO') return this.hooks.clientList().replace('name= ', `name=${this.clientName} `);
    if (sub === 'SETINFO') return OK;
    return { error: `ERR unknown subcommand '${a[0]}'. Try CLIENT HELP.` };
  }

  private collections(name: string, a: string[]): RespValue {
    const key = a[0]!;
    const get = <T extends Value['t']>(t: T) => this.typed(key, t);
    const create = <T extends Value['t']>(t: T, v: Extract<Value, { t: T }>['v']): Extract<Value, { t: T }> => {
      const value = { t, v } as Extract<Value, { t: T }>;
      this.data.set(key, { value });
      return value;
    };
    const dropIfEmpty = (size: number) => {
      if (size === 0) this.data.delete(key);
    };
    switch (name) {
      case 'lpush':
      case 'rpush': {
        const l = get('list');
        if (l && 'error' in l) return l;
        const list = l ?? create('list', []);
        for (const v of a.slice(1)) if (name === 'lpush') list.v.unshift(v);
        else list.v.push(v);
        this.write(a.length - 1);
        return list.v.length;
      }
      case 'lpop':
      case 'rpop': {
        const l = get('list');
        if (l && 'error' in l) return l;
        if (a.length > 2) return SYNTAX;
        if (a[1] !== undefined && (!isInt(a[1]) || Number(a[1]) < 0)) return { error: 'ERR value is out of range, must be positive' };
        if (!l) return null;
        const n = a[1] === undefined ? 1 : Number(a[1]);
        const out = name === 'lpop' ? l.v.splice(0, n) : l.v.splice(Math.max(0, l.v.length - n)).reverse();
        dropIfEmpty(l.v.length);
        if (out.length) this.write();
        return a[1] === undefined ? (out[0] ?? null) : out;
      }
      case 'lrange': {
        const l = get('list');
        if (l && 'error' in l) return l;
        if (!isInt(a[1]) || !isInt(a[2])) return NOT_INT;
        const v = l?.v ?? [];
        let s = Number(a[1]);
        let e = Number(a[2]);
        if (s < 0) s = Math.max(0, v.length + s);
        if (e < 0) e = v.length + e;
        return v.slice(s, e + 1);
      }
      case 'llen': {
        const l = get('list');
        if (l && 'error' in l) return l;
        return l?.v.length ?? 0;
      }
      case 'lindex': {
        const l = get('list');
        if (l && 'error' in l) return l;
        if (!isInt(a[1])) return NOT_INT;
        const i = Number(a[1]);
        return l?.v[i < 0 ? l.v.length + i : i] ?? null;
      }
      case 'hset':
      case 'hmset': {
        if ((a.length - 1) % 2) return { error: `ERR wrong number of arguments for '${name}' command` };
        const h = get('hash');
        if (h && 'error' in h) return h;
        const hash = h ?? create('hash', new Map());
        let added = 0;
        for (let i = 1; i < a.length; i += 2) {
          if (!hash.v.has(a[i]!)) added++;
          hash.v.set(a[i]!, a[i + 1]!);
        }
        this.write();
        return name === 'hset' ? added : OK;
      }
      case 'hget': {
        const h = get('hash');
        if (h && 'error' in h) return h;
        return h?.v.get(a[1]!) ?? null;
      }
      case 'hmget': {
        const h = get('hash');
        if (h && 'error' in h) return h;
        return a.slice(1).map((f) => h?.v.get(f) ?? null);
      }
      case 'hgetall':
      case 'hkeys':
      case 'hvals': {
        const h = get('hash');
        if (h && 'error' in h) return h;
        const entries = [...(h?.v ?? new Map<string, string>())];
        return name === 'hgetall' ? entries.flat() : entries.map((e) => (name === 'hkeys' ? e[0] : e[1]));
      }
      case 'hdel': {
        const h = get('hash');
        if (h && 'error' in h) return h;
        if (!h) return 0;
        let n = 0;
        for (const f of a.slice(1)) if (h.v.delete(f)) n++;
        dropIfEmpty(h.v.size);
        if (n) this.write(n);
        return n;
      }
      case 'hexists': {
        const h = get('hash');
        if (h && 'error' in h) return h;
        return h?.v.has(a[1]!) ? 1 : 0;
      }
      case 'hlen': {
        const h = get('hash');
        if (h && 'error' in h) return h;
        return h?.v.size ?? 0;
      }
      case 'hincrby': {
        const h = get('hash');
        if (h && 'error' in h) return h;
        if (!isInt(a[2])) return NOT_INT;
        const hash = h ?? create('hash', new Map());
        const cur = hash.v.get(a[1]!) ?? '0';
        if (!isInt(cur)) return { error: 'ERR hash value is not an integer' };
        const next = Number(cur) + Number(a[2]);
        hash.v.set(a[1]!, String(next));
        this.write();
        return next;
      }
      case 'sadd': {
        const s = get('set');
        if (s && 'error' in s) return s;
        const set = s ?? create('set', new Set());
        let n = 0;
        for (const m of a.slice(1)) if (!set.v.has(m)) (set.v.add(m), n++);
        if (n) this.write(n);
        return n;
      }
      case 'smembers': {
        const s = get('set');
        if (s && 'error' in s) return s;
        return [...(s?.v ?? [])];
      }
      case 'sismember': {
        const s = get('set');
        if (s && 'error' in s) return s;
        return s?.v.has(a[1]!) ? 1 : 0;
      }
      case 'srem': {
        const s = get('set');
        if (s && 'error' in s) return s;
        if (!s) return 0;
        let n = 0;
        for (const m of a.slice(1)) if (s.v.delete(m)) n++;
        dropIfEmpty(s.v.size);
        if (n) this.write(n);
        return n;
      }
      case 'scard': {
        const s = get('set');
        if (s && 'error' in s) return s;
        return s?.v.size ?? 0;
      }
      default:
        return { error: `ERR unknown command '${name}'` };
    }
  }
}
