/**
 * redis-server's data: strings and counters with the common commands, persisted to
 * /data/dump.rdb (our own text after the RDB magic) on SAVE and shutdown, loaded at start.
 */
import type { RespValue } from '../program';
import type { FileSystem } from '../vfs';

const MAGIC = 'REDIS0011';

export class RedisStore {
  private data = new Map<string, string>();
  dirty = 0;

  constructor(private readonly version: string) {}

  /** Loads `path` if present; returns the number of keys (undefined when there was no file). */
  load(fs: FileSystem, path: string): number | undefined {
    if (fs.stat(path)?.kind !== 'file') return undefined;
    const text = fs.readFile(path);
    if (!text.startsWith(MAGIC)) return 0;
    try {
      const obj = JSON.parse(text.slice(MAGIC.length) || '{}') as Record<string, string>;
      this.data = new Map(Object.entries(obj));
    } catch {
      this.data = new Map();
    }
    return this.data.size;
  }

  save(fs: FileSystem, path: string): void {
    fs.writeFile(path, MAGIC + JSON.stringify(Object.fromEntries(this.data)));
    this.dirty = 0;
  }

  get size(): number {
    return this.data.size;
  }

  /** Runs one command; `onSave` persists (SAVE/BGSAVE). */
  command(args: string[], onSave: () => void): RespValue {
    const name = (args[0] ?? '').toUpperCase();
    const a = args.slice(1);
    const wrong = (): RespValue => ({ error: `ERR wrong number of arguments for '${(args[0] ?? '').toLowerCase()}' command` });
    const int = (key: string): number | { error: string } => {
      const v = this.data.get(key);
      if (v === undefined) return 0;
      if (!/^-?\d+$/.test(v)) return { error: 'ERR value is not an integer or out of range' };
      return Number(v);
    };
    switch (name) {
      case 'PING':
        return a.length ? a[0]! : { status: 'PONG' };
      case 'ECHO':
        return a.length === 1 ? a[0]! : wrong();
      case 'SET':
        if (a.length < 2) return wrong();
        this.data.set(a[0]!, a[1]!);
        this.dirty++;
        return { status: 'OK' };
      case 'GET':
        return a.length === 1 ? (this.data.get(a[0]!) ?? null) : wrong();
      case 'DEL':
      case 'UNLINK': {
        if (!a.length) return wrong();
        let n = 0;
        for (const k of a) if (this.data.delete(k)) n++;
        this.dirty += n;
        return n;
      }
      case 'EXISTS':
        return a.length ? a.filter((k) => this.data.has(k)).length : wrong();
      case 'INCR':
      case 'DECR':
      case 'INCRBY':
      case 'DECRBY': {
        if (a.length !== (name.endsWith('BY') ? 2 : 1)) return wrong();
        const cur = int(a[0]!);
        if (typeof cur !== 'number') return cur;
        const by = name.endsWith('BY') ? Number(a[1]) : 1;
        if (!Number.isInteger(by)) return { error: 'ERR value is not an integer or out of range' };
        const v = cur + (name.startsWith('DECR') ? -by : by);
        this.data.set(a[0]!, String(v));
        this.dirty++;
        return v;
      }
      case 'KEYS': {
        if (a.length !== 1) return wrong();
        const re = new RegExp('^' + a[0]!.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
        return [...this.data.keys()].filter((k) => re.test(k));
      }
      case 'DBSIZE':
        return this.data.size;
      case 'FLUSHALL':
      case 'FLUSHDB':
        this.data.clear();
        this.dirty++;
        return { status: 'OK' };
      case 'SAVE':
        onSave();
        return { status: 'OK' };
      case 'BGSAVE':
        onSave();
        return { status: 'Background saving started' };
      case 'INFO':
        return `# Server\r\nredis_version:${this.version}\r\nredis_mode:standalone\r\nos:Linux\r\narch_bits:64\r\ntcp_port:6379\r\n\r\n# Keyspace\r\n${this.data.size ? `db0:keys=${this.data.size},expires=0,avg_ttl=0\r\n` : ''}`;
      case 'COMMAND':
        return [];
      default:
        return { error: `ERR unknown command '${args[0] ?? ''}', with args beginning with: ${a.map((x) => `'${x}' `).join('')}` };
    }
  }
}

/** redis-cli's rendering without a terminal (raw), or on one (`(integer) 1`, quoted strings). */
export function formatReply(v: RespValue, tty: boolean, indent = ''): string {
  if (v === null) return tty ? '(nil)' : '';
  if (typeof v === 'number') return tty ? `(integer) ${v}` : String(v);
  if (typeof v === 'string') return tty ? JSON.stringify(v) : v;
  if (Array.isArray(v)) {
    if (!v.length) return tty ? '(empty array)' : '';
    if (!tty) return v.map((x) => formatReply(x, false)).join('\n');
    return v.map((x, i) => `${i === 0 ? '' : indent}${i + 1}) ${formatReply(x, true, indent + '   ')}`).join('\n');
  }
  if ('error' in v) return `(error) ${v.error}`;
  return v.status;
}
