/**
 * SqliteStore: the cluster's storage, a kine-style revision log in SQLite (better-sqlite3).
 *
 * Tables
 *   log     (id INTEGER PRIMARY KEY AUTOINCREMENT, key, prev_rv, deleted, value)
 *           every create/update/delete appends one row; the row id is the global revision
 *           (= metadata.resourceVersion). `prev_rv` points at the row the write superseded (0 for
 *           a create); deletes store no value (the last state is the `prev_rv` row).
 *   current (key PRIMARY KEY, rv) WITHOUT ROWID: the live keys and the log row holding their
 *           value. Compare-and-swap is `UPDATE current SET rv=new WHERE key=? AND rv=expected`
 *           inside the write's transaction.
 *   meta    (name PRIMARY KEY, value): schema_version, compacted_rev.
 *
 * The current state is also kept in memory, parsed and deep-frozen, updated only after a
 * transaction commits, so get/list/count never touch SQLite. Objects handed out by get, list and
 * watch are therefore shared and read-only (mutating them throws a TypeError): clone before
 * changing. create/update return the caller's object with metadata.resourceVersion set, as a new
 * top-level and metadata object (nested values stay the caller's own, never the cache's); delete
 * returns a fresh copy of the last state.
 *
 * Watch: live events are fanned out synchronously after each commit. Watchers are indexed by the
 * directory part of their prefix (up to the last "/"), so an event only visits the watchers whose
 * prefix can match it. A watcher's history (log rows > fromRevision) is read and the watcher is
 * registered in the same synchronous step, and each watcher keeps a high-water mark, so the
 * handoff from history to live delivery has neither gaps nor duplicates. Events produced while
 * events are being delivered (a callback that writes) are queued and delivered in revision order.
 *
 * Durability: WAL with synchronous=NORMAL: a commit survives the process being killed (not power
 * loss). The connection uses exclusive locking, so a second process cannot open the same database
 * (and diverge from this one's in-memory state); it gets StoreError('Locked').
 */
import Database from 'better-sqlite3';
import type { KubeObject } from '../api/types';
import { StoreError } from './types';
import { deepFreeze, frozenJsonCopy } from './frozen-copy';
import { markImmutable, rememberJson, rememberRecentJson } from './json-cache';
import { SortedEntries } from './sorted-entries';
import { storagePrefix } from './keys';
import type { ListOptions, ListResult, Store, StoreEvent, StoredObject, WatchOptions, Watcher } from './types';

/** Events get no cached JSON text (see committed). */
const EVENTS_PREFIX = storagePrefix('', 'events');
/** Pods' texts are made on first read (see committed). */
const PODS_PREFIX = storagePrefix('', 'pods');

/** Bump when the tables change shape; older/newer databases are refused with StoreError('Incompatible'). */
export const SCHEMA_VERSION = 1;
const DEFAULT_HISTORY_WINDOW = 10_000;
/** Revisions compacted per transaction, so one compaction never holds a huge transaction. */
const COMPACT_BATCH = 5_000;
/** WAL pages between automatic checkpoints (4 KiB pages: ~16 MiB). bench/store.mjs uses the same for its raw baseline. */
export const WAL_AUTOCHECKPOINT_PAGES = 4000;

export interface SqliteStoreOptions {
  /** A file path, or ':memory:'. */
  path: string;
  /** Revisions of history kept by compact() (default 10000). */
  historyWindow?: number;
  /** Called when a watch callback throws (that watcher is stopped). Default: console.error. */
  onWatchError?: (err: unknown, prefix: string) => void;
  /** How long to wait for a lock held by another connection (default 1000 ms). */
  busyTimeoutMs?: number;
}

interface Watch {
  prefix: string;
  bucket: string;
  /** Highest revision delivered (or skipped as before the start): only events above it are delivered. */
  hwm: number;
  cb: (ev: StoreEvent) => void;
  stopped: boolean;
}

interface LogRow {
  id: number;
  key: string;
  deleted: number;
  value: string | null;
  pv: string | null;
}

type Stmt = Database.Statement;

interface Encoded {
  /** `JSON.stringify` of the object with its resourceVersion: the log row's value. */
  text: string;
  /** The same for its metadata alone (a part of `text`). */
  meta: string;
}

function encode(obj: KubeObject, rv: number): Encoded {
  if (obj === null || typeof obj !== 'object') throw new TypeError('storage: the object to store must be an object');
  const metadata = { ...(obj.metadata ?? {}), resourceVersion: String(rv) };
  const top: Record<string, unknown> = { ...obj, metadata };
  const meta = JSON.stringify(metadata);
  if (typeof top.toJSON === 'function') return { text: JSON.stringify(top), meta };
  // JSON.stringify(top), with the metadata's text made once and kept for the cache.
  let text = '{';
  let metaAt = -1;
  for (const k of Object.keys(top)) {
    const x = top[k];
    const t = k === 'metadata' ? meta : x === undefined || typeof x === 'function' || typeof x === 'symbol' ? undefined : JSON.stringify(x);
    if (t === undefined) continue;
    text += `${text.length > 1 ? ',' : ''}${JSON.stringify(k)}:`;
    if (k === 'metadata') metaAt = text.length;
    text += t;
  }
  text += '}';
  // The cached metadata text as a slice of the object's text (V8 keeps a view, not a copy): a
  // pod's metadata is half its JSON, and 10 000 pods' Events double the objects.
  return { text, meta: metaAt < 0 ? meta : text.slice(metaAt, metaAt + meta.length) };
}

/**
 * Marks a deep-frozen object and its metadata for the JSON text cache. A pod's whole text (made
 * for watch events and GETs) is kept only while recent; metadata texts (Table rows) are kept.
 */
function markFrozen(obj: KubeObject, key?: string): void {
  markImmutable(obj, key !== undefined && key.startsWith(PODS_PREFIX));
  if (obj.metadata !== null && typeof obj.metadata === 'object') markImmutable(obj.metadata);
}

function withRv(obj: KubeObject, rv: number): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, resourceVersion: String(rv) } };
}

/** The directory part of a prefix: everything up to and including its last "/" ('' if none). */
function dirOf(prefix: string): string {
  return prefix.slice(0, prefix.lastIndexOf('/') + 1);
}

/** The smallest string greater than every string that starts with `prefix` (for SQL ranges). */
function prefixEnd(prefix: string): string {
  if (prefix === '') return '\u{10FFFF}';
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

function sqliteCode(e: unknown): string | undefined {
  return e && typeof e === 'object' && 'code' in e && typeof (e as { code: unknown }).code === 'string' ? (e as { code: string }).code : undefined;
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly path: string;
  private readonly historyWindow: number;
  private readonly onWatchError: (err: unknown, prefix: string) => void;
  private closed = false;

  private rev = 0;
  private compacted = 0;
  /** The revision at open: writes before it are not tracked in dirLastWrite. */
  private readonly openRev: number;

  /** Current state, parsed and deep-frozen. */
  private readonly cur = new Map<string, StoredObject>();
  /** The same entries, sorted by key (JS string order). */
  private readonly sorted = new SortedEntries();
  /** For each directory prefix ('' , '/', '/registry/', ...): the newest revision written under it since open. */
  private readonly dirLastWrite = new Map<string, number>();

  private readonly buckets = new Map<string, Set<Watch>>();
  private readonly queue: StoreEvent[] = [];
  private dispatching = false;

  private readonly s: {
    insLog: Stmt;
    insCur: Stmt;
    updCur: Stmt;
    delCur: Stmt;
    history: Stmt;
    listAt: Stmt;
    setMeta: Stmt;
    compactSuperseded: Stmt;
    compactTombstones: Stmt;
  };
  private readonly txCreate: (key: string, rv: number, value: string) => void;
  private readonly txUpdate: (key: string, rv: number, prevRv: number, value: string) => void;
  private readonly txDelete: (key: string, rv: number, prevRv: number) => void;
  private readonly txCompact: (from: number, to: number) => void;

  static open(opts: SqliteStoreOptions): SqliteStore {
    return new SqliteStore(opts);
  }

  private constructor(opts: SqliteStoreOptions) {
    this.path = opts.path;
    this.historyWindow = Math.max(0, Math.floor(opts.historyWindow ?? DEFAULT_HISTORY_WINDOW));
    this.onWatchError = opts.onWatchError ?? ((err, prefix) => console.error(`storage: a watch on ${prefix} threw and was stopped:`, err));
    const memory = opts.path === ':memory:' || opts.path === '';
    const where = memory ? 'the in-memory database' : `the database ${opts.path}`;
    const redo = 'It was made by another kubesim version or another program: start kubesim with another --data-dir, or remove that data dir to start a fresh cluster (its objects are lost).';

    let db: Database.Database;
    try {
      db = new Database(opts.path, { timeout: opts.busyTimeoutMs ?? 1000 });
    } catch (e) {
      throw new Error(`storage: cannot open ${where}: ${errText(e)}`, { cause: e });
    }
    this.db = db;
    try {
      try {
        if (!memory) db.pragma('locking_mode = EXCLUSIVE');
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
        // Checkpoint (the only fsyncs under synchronous=NORMAL) every ~16 MB of WAL instead of ~4 MB:
        // hot B-tree pages are then copied back once per checkpoint instead of four times.
        db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
        db.pragma('journal_size_limit = 67108864');
        // Page cache: 8 MiB. Reads are served from the in-memory objects; SQLite's pages are only
        // needed for writes (the log's tail, the `current` index) and history replays, and a
        // bigger cache is resident memory that grows with the database (32 MiB at 10 000 pods).
        db.pragma('cache_size = -8192');
        // Take the lock now, so a second kubesim on the same data dir fails here, not later.
        if (!memory) db.exec('BEGIN EXCLUSIVE; COMMIT');
      } catch (e) {
        const code = sqliteCode(e);
        if (code === 'SQLITE_NOTADB') {
          throw new StoreError('Incompatible', `storage: ${opts.path} is not a SQLite database (SQLite: ${errText(e)}). Check that --data-dir points at a kubesim data dir; use another --data-dir or remove the file.`);
        }
        if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
          throw new StoreError('Locked', `storage: ${opts.path} is in use by another process (probably another kubesim on the same --data-dir). Stop it, or start this one with another --data-dir.`);
        }
        throw e;
      }

      const tables = new Set((db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name));
      if (tables.size === 0) {
        db.exec(`
          BEGIN;
          CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
          CREATE TABLE log (
            id      INTEGER PRIMARY KEY AUTOINCREMENT,
            key     TEXT    NOT NULL,
            prev_rv INTEGER NOT NULL,
            deleted INTEGER NOT NULL,
            value   TEXT
          );
          CREATE INDEX log_key_id ON log (key, id);
          CREATE TABLE current (key TEXT PRIMARY KEY, rv INTEGER NOT NULL) WITHOUT ROWID;
          INSERT INTO meta (name, value) VALUES ('schema_version', '${SCHEMA_VERSION}'), ('compacted_rev', '0');
          COMMIT;
        `);
      } else if (!tables.has('meta')) {
        throw new StoreError('Incompatible', `storage: ${where} is a SQLite database but not a kubesim one (it has no meta table). ${redo}`);
      } else {
        const row = db.prepare(`SELECT value FROM meta WHERE name = 'schema_version'`).get() as { value: string } | undefined;
        const found = row?.value ?? '(none)';
        if (found === String(SCHEMA_VERSION) && (!tables.has('log') || !tables.has('current'))) {
          throw new StoreError('Incompatible', `storage: ${where} has schema version ${found} but lacks its log or current table: it is damaged. ${redo}`);
        }
        if (found !== String(SCHEMA_VERSION)) {
          throw new StoreError(
            'Incompatible',
            `storage: ${where} has storage schema version ${found}, but this kubesim expects version ${SCHEMA_VERSION}. ${redo}`,
          );
        }
      }

      const seq = db.prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'log'`).get() as { seq: number } | undefined;
      this.rev = seq?.seq ?? 0;
      const comp = db.prepare(`SELECT value FROM meta WHERE name = 'compacted_rev'`).get() as { value: string } | undefined;
      this.compacted = Number(comp?.value ?? 0);
      this.openRev = this.rev;

      this.s = {
        insLog: db.prepare('INSERT INTO log (id, key, prev_rv, deleted, value) VALUES (?, ?, ?, ?, ?)'),
        insCur: db.prepare('INSERT INTO current (key, rv) VALUES (?, ?)'),
        updCur: db.prepare('UPDATE current SET rv = ? WHERE key = ? AND rv = ?'),
        delCur: db.prepare('DELETE FROM current WHERE key = ? AND rv = ?'),
        history: db.prepare(
          `SELECT l.id AS id, l.key AS key, l.deleted AS deleted, l.value AS value, p.value AS pv
             FROM log l LEFT JOIN log p ON p.id = l.prev_rv
            WHERE l.id > ? AND l.key >= ? AND l.key < ?
            ORDER BY l.id`,
        ),
        listAt: db.prepare(
          `SELECT key, max(id) AS id, deleted, value FROM log
            WHERE key >= ? AND key > ? AND key < ? AND id <= ?
            GROUP BY key ORDER BY key`,
        ),
        setMeta: db.prepare('INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)'),
        compactSuperseded: db.prepare('DELETE FROM log WHERE id IN (SELECT prev_rv FROM log WHERE id > ? AND id <= ? AND prev_rv > 0)'),
        compactTombstones: db.prepare('DELETE FROM log WHERE id > ? AND id <= ? AND deleted = 1'),
      };
      const s = this.s;
      this.txCreate = db.transaction((key: string, rv: number, value: string) => {
        s.insLog.run(rv, key, 0, 0, value);
        s.insCur.run(key, rv);
      });
      this.txUpdate = db.transaction((key: string, rv: number, prevRv: number, value: string) => {
        s.insLog.run(rv, key, prevRv, 0, value);
        if (s.updCur.run(rv, key, prevRv).changes !== 1) throw new StoreError('Conflict', `storage: ${key} was changed concurrently (expected revision ${prevRv})`, this.rev);
      });
      this.txDelete = db.transaction((key: string, rv: number, prevRv: number) => {
        s.insLog.run(rv, key, prevRv, 1, null);
        if (s.delCur.run(key, prevRv).changes !== 1) throw new StoreError('Conflict', `storage: ${key} was changed concurrently (expected revision ${prevRv})`, this.rev);
      });
      this.txCompact = db.transaction((from: number, to: number) => {
        s.compactSuperseded.run(from, to);
        s.compactTombstones.run(from, to);
        s.setMeta.run('compacted_rev', String(to));
      });

      this.load();
    } catch (e) {
      db.close();
      throw e;
    }
  }

  private load(): void {
    const rows = this.db.prepare('SELECT c.key AS key, c.rv AS rv, l.value AS value FROM current c JOIN log l ON l.id = c.rv').all() as {
      key: string;
      rv: number;
      value: string;
    }[];
    for (const r of rows) {
      const object = JSON.parse(r.value) as KubeObject;
      object.metadata.resourceVersion = String(r.rv);
      const entry = deepFreeze({ key: r.key, rv: r.rv, object });
      markFrozen(object, r.key);
      this.cur.set(r.key, entry);
    }
    this.sorted.reset([...this.cur.values()]);
  }

  private check(): void {
    if (this.closed) throw new StoreError('Closed', `storage: ${this.path} is closed`);
  }

  currentRevision(): number {
    this.check();
    return this.rev;
  }

  compactedRevision(): number {
    this.check();
    return this.compacted;
  }

  get(key: string): StoredObject | undefined {
    this.check();
    return this.cur.get(key);
  }

  lastWriteUnder(prefix: string): number {
    this.check();
    return this.dirLastWrite.get(dirOf(prefix)) ?? this.openRev;
  }

  count(prefix: string): number {
    this.check();
    return this.sorted.lowerBound(prefixEnd(prefix)) - this.sorted.lowerBound(prefix);
  }

  list(prefix: string, opts: ListOptions = {}): ListResult {
    this.check();
    const limit = opts.limit !== undefined && opts.limit > 0 ? Math.floor(opts.limit) : Infinity;
    const after = opts.startAfterKey ?? '';
    const at = opts.atRevision;
    if (at !== undefined && at !== 0) {
      if (at < this.compacted) {
        throw new StoreError('Gone', `too old resource version: ${at} (${this.rev})`, this.rev);
      }
      // The in-memory state is the state at `at` when nothing under the prefix was written since.
      if (at < this.rev && (this.dirLastWrite.get(dirOf(prefix)) ?? this.openRev) > at) {
        return this.listAt(prefix, after, limit, at, opts.filter);
      }
    }
    const revision = at !== undefined && at !== 0 && at < this.rev ? at : this.rev;
    const sorted = this.sorted;
    let i = sorted.lowerBound(prefix > after ? prefix : after);
    if (i < sorted.length && sorted.at(i)?.key === after) i++;
    const end = sorted.lowerBound(prefixEnd(prefix));
    const filter = opts.filter;
    if (!filter) {
      const stop = Math.max(i, Math.min(end, i + limit));
      const remaining = Math.max(0, end - stop);
      return { items: sorted.slice(i, stop), revision, more: remaining > 0, remaining };
    }
    const items: StoredObject[] = [];
    let more = false;
    sorted.scan(i, end, (e) => {
      if (!filter(e.object)) return true;
      if (items.length >= limit) {
        more = true;
        return false;
      }
      items.push(e);
      return true;
    });
    return { items, revision, more };
  }

  /** The state under `prefix` as of revision `at`, from the log. */
  private listAt(prefix: string, after: string, limit: number, at: number, filter?: (obj: KubeObject) => boolean): ListResult {
    const items: StoredObject[] = [];
    let more = false;
    let remaining = 0;
    for (const r of this.s.listAt.iterate(prefix, after, prefixEnd(prefix), at) as IterableIterator<{ key: string; id: number; deleted: number; value: string | null }>) {
      if (r.deleted || r.value === null || !r.key.startsWith(prefix)) continue;
      if (items.length >= limit) {
        more = true;
        if (filter) break;
        remaining++;
        continue;
      }
      const object = JSON.parse(r.value) as KubeObject;
      object.metadata.resourceVersion = String(r.id);
      if (filter && !filter(object)) continue;
      items.push(deepFreeze({ key: r.key, rv: r.id, object }));
      markFrozen(object);
    }
    return filter ? { items, revision: at, more } : { items, revision: at, more, remaining };
  }

  create(key: string, object: KubeObject): StoredObject {
    this.check();
    if (this.cur.has(key)) throw new StoreError('AlreadyExists', `storage: ${key} already exists`, this.rev);
    const rv = this.rev + 1;
    const value = encode(object, rv);
    try {
      this.txCreate(key, rv, value.text);
    } catch (e) {
      if (sqliteCode(e) === 'SQLITE_CONSTRAINT_PRIMARYKEY' && errText(e).includes('current.key')) throw new StoreError('AlreadyExists', `storage: ${key} already exists`, this.rev);
      throw this.writeError('create', key, e);
    }
    const entry = this.committed(key, rv, object, value);
    this.emit({ type: 'ADDED', key, rv, object: entry.object });
    return { key, rv, object: withRv(object, rv) };
  }

  update(key: string, object: KubeObject, expectedRv?: number): StoredObject {
    this.check();
    const old = this.cur.get(key);
    if (!old) throw new StoreError('NotFound', `storage: ${key} not found`, this.rev);
    if (expectedRv !== undefined && expectedRv !== old.rv) {
      throw new StoreError('Conflict', `storage: ${key} is at revision ${old.rv}, not ${expectedRv}`, this.rev);
    }
    const rv = this.rev + 1;
    const value = encode(object, rv);
    try {
      this.txUpdate(key, rv, old.rv, value.text);
    } catch (e) {
      throw this.writeError('update', key, e);
    }
    const entry = this.committed(key, rv, object, value);
    this.emit({ type: 'MODIFIED', key, rv, object: entry.object, prev: old.object });
    return { key, rv, object: withRv(object, rv) };
  }

  delete(key: string, expectedRv?: number): StoredObject {
    this.check();
    const old = this.cur.get(key);
    if (!old) throw new StoreError('NotFound', `storage: ${key} not found`, this.rev);
    if (expectedRv !== undefined && expectedRv !== old.rv) {
      throw new StoreError('Conflict', `storage: ${key} is at revision ${old.rv}, not ${expectedRv}`, this.rev);
    }
    const rv = this.rev + 1;
    try {
      this.txDelete(key, rv, old.rv);
    } catch (e) {
      throw this.writeError('delete', key, e);
    }
    this.rev = rv;
    this.cur.delete(key);
    this.sorted.remove(key);
    this.touch(key, rv);
    const last = Object.freeze(withRv(old.object, rv));
    Object.freeze(last.metadata);
    markFrozen(last);
    this.emit({ type: 'DELETED', key, rv, object: last, prev: old.object });
    return { key, rv, object: withRv(structuredClone(old.object) as KubeObject, rv) };
  }

  private writeError(op: string, key: string, e: unknown): Error {
    if (e instanceof StoreError) return e;
    return new Error(`storage: ${op} ${key} failed: ${errText(e)}`, { cause: e });
  }

  /** Brings the in-memory state in line with a committed create/update. */
  private committed(key: string, rv: number, object: KubeObject, value: Encoded): StoredObject {
    this.rev = rv;
    const entry = Object.freeze({ key, rv, object: frozenJsonCopy(withRv(object, rv)) as KubeObject });
    // The cached object is exactly what was written: its JSON text is the row's value. Events
    // are the exception: written once, rarely read back, and the most numerous objects (10 000
    // pods bring 40 000, ~45 MB of text), so their text is made when someone reads them.
    // Pods are the next most numerous, and most are never read as JSON (the kubelets, controllers
    // and scheduler share the objects in process): the text just written is kept only while it is
    // among the most recent texts (json-cache's budget), for this write's response and watchers,
    // instead of holding every written pod's ~6 KB of text (60 MB at 10 000 pods).
    if (key.startsWith(PODS_PREFIX)) {
      // The text just written serves this write's response and watchers; kept while recent.
      rememberRecentJson(entry.object, value.text);
      if (entry.object.metadata !== null && typeof entry.object.metadata === 'object') markImmutable(entry.object.metadata);
    } else if (!key.startsWith(EVENTS_PREFIX)) {
      rememberJson(entry.object, value.text);
      if (entry.object.metadata !== null && typeof entry.object.metadata === 'object') rememberJson(entry.object.metadata, value.meta);
    }
    this.cur.set(key, entry);
    this.sorted.upsert(entry);
    this.touch(key, rv);
    return entry;
  }

  private touch(key: string, rv: number): void {
    const m = this.dirLastWrite;
    m.set('', rv);
    for (let i = key.indexOf('/'); i >= 0; i = key.indexOf('/', i + 1)) m.set(key.slice(0, i + 1), rv);
  }

  // ---- watch ----

  watch(prefix: string, opts: WatchOptions, onEvent: (ev: StoreEvent) => void): Watcher {
    this.check();
    const from = Math.max(0, Math.floor(opts.fromRevision));
    if (from !== 0 && from < this.compacted) {
      throw new StoreError('Gone', `too old resource version: ${from} (${this.rev})`, this.rev);
    }
    const upTo = this.rev;
    const history: StoreEvent[] = from !== 0 && from < upTo ? this.history(prefix, from) : [];
    const w: Watch = { prefix, bucket: dirOf(prefix), hwm: from === 0 ? upTo : from, cb: onEvent, stopped: false };
    let set = this.buckets.get(w.bucket);
    if (!set) this.buckets.set(w.bucket, (set = new Set()));
    set.add(w);
    const watcher: Watcher = {
      stop: () => {
        if (w.stopped) return;
        w.stopped = true;
        const b = this.buckets.get(w.bucket);
        if (b) {
          b.delete(w);
          if (b.size === 0) this.buckets.delete(w.bucket);
        }
      },
    };
    if (history.length === 0) {
      w.hwm = Math.max(w.hwm, upTo);
      return watcher;
    }
    // Deliver the history before anything live: events committed by callbacks meanwhile queue up.
    const outer = !this.dispatching;
    this.dispatching = true;
    try {
      for (const ev of history) {
        if (w.stopped) break;
        if (ev.rv > w.hwm) {
          w.hwm = ev.rv;
          this.call(w, ev);
        }
      }
      w.hwm = Math.max(w.hwm, upTo);
    } finally {
      if (outer) this.drain();
    }
    return watcher;
  }

  private history(prefix: string, from: number): StoreEvent[] {
    const rows = this.s.history.all(from, prefix, prefixEnd(prefix)) as LogRow[];
    const out: StoreEvent[] = [];
    for (const r of rows) {
      if (!r.key.startsWith(prefix)) continue;
      const prev = r.pv === null ? undefined : deepFreeze(JSON.parse(r.pv) as KubeObject);
      if (prev) markFrozen(prev);
      if (r.deleted) {
        if (!prev) throw new Error(`storage: the log lacks the last state of ${r.key} before its deletion at revision ${r.id}`);
        const object = withRv(prev, r.id);
        Object.freeze(object.metadata);
        markFrozen(Object.freeze(object));
        out.push(Object.freeze({ type: 'DELETED' as const, key: r.key, rv: r.id, object, prev }));
      } else {
        const object = deepFreeze(JSON.parse(r.value!) as KubeObject);
        markFrozen(object);
        out.push(Object.freeze(prev ? { type: 'MODIFIED' as const, key: r.key, rv: r.id, object, prev } : { type: 'ADDED' as const, key: r.key, rv: r.id, object }));
      }
    }
    return out;
  }

  private emit(ev: StoreEvent): void {
    if (this.buckets.size === 0) return;
    this.queue.push(Object.freeze(ev));
    if (!this.dispatching) {
      this.dispatching = true;
      this.drain();
    }
  }

  /** Delivers queued events in order; called with `dispatching` set, clears it. */
  private drain(): void {
    const q = this.queue;
    let i = 0;
    try {
      for (; i < q.length; i++) {
        const ev = q[i];
        const key = ev.key;
        this.deliver('', ev);
        for (let j = key.indexOf('/'); j >= 0; j = key.indexOf('/', j + 1)) this.deliver(key.slice(0, j + 1), ev);
      }
    } finally {
      q.splice(0, i);
      this.dispatching = false;
    }
  }

  private deliver(bucket: string, ev: StoreEvent): void {
    const set = this.buckets.get(bucket);
    if (!set) return;
    for (const w of set) {
      if (w.stopped || ev.rv <= w.hwm) continue;
      if (w.prefix.length !== bucket.length && !ev.key.startsWith(w.prefix)) continue;
      w.hwm = ev.rv;
      this.call(w, ev);
    }
  }

  private call(w: Watch, ev: StoreEvent): void {
    try {
      w.cb(ev);
    } catch (e) {
      // A watcher that missed an event can no longer be gap-free: stop it and say why.
      w.stopped = true;
      const b = this.buckets.get(w.bucket);
      b?.delete(w);
      if (b && b.size === 0) this.buckets.delete(w.bucket);
      try {
        this.onWatchError(e, w.prefix);
      } catch {
        /* the error reporter itself failed: nothing more to do */
      }
    }
  }

  // ---- compaction and lifecycle ----

  compact(): number {
    this.check();
    const target = this.rev - this.historyWindow;
    while (this.compacted < target) {
      const to = Math.min(target, this.compacted + COMPACT_BATCH);
      this.txCompact(this.compacted, to);
      this.compacted = to;
    }
    return this.compacted;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const set of this.buckets.values()) for (const w of set) w.stopped = true;
    this.buckets.clear();
    this.queue.length = 0;
    this.db.close();
  }
}
