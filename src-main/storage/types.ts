/**
 * The storage contract the API server codes against. Implemented by `SqliteStore` (sqlite-store.ts).
 *
 * Keys: `/registry/<group or "core">/<resource>/<namespace>/<name>` for namespaced objects and
 * `/registry/<group or "core">/<resource>/<name>` for cluster-scoped ones. Prefixes end in `/`.
 * Values are whole objects; the store writes `metadata.resourceVersion` (the log row id, as a
 * string) into every object it returns and never trusts the caller's copy of it.
 *
 * Ownership: objects returned by `get`, `list` and `watch` events are shared with the store's cache
 * and deep-frozen (writing to them throws a TypeError): clone before changing. `create` and `update`
 * return the object passed in with metadata.resourceVersion set, as a new top-level and metadata
 * object whose nested values are the caller's own (never the cache's); `delete` returns a fresh
 * copy. The store never keeps or changes the object passed to `create`/`update`.
 */
import type { KubeObject } from '../api/types';

export interface StoredObject {
  key: string;
  /** The revision that last wrote this key (= metadata.resourceVersion). */
  rv: number;
  object: KubeObject;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

export interface StoreEvent {
  type: Exclude<WatchEventType, 'BOOKMARK'>;
  key: string;
  rv: number;
  /** The object after the change; for DELETED, the last state with resourceVersion = the delete's rv. */
  object: KubeObject;
  /** The object before the change (MODIFIED, DELETED). */
  prev?: KubeObject;
}

export interface ListOptions {
  /** Only keys strictly greater than this (for limit/continue paging). */
  startAfterKey?: string;
  /** Maximum number of items; `more` tells whether more exist. */
  limit?: number;
  /** Read as of this revision (must be >= the compacted revision) instead of the current state. */
  atRevision?: number;
  /** Optional in-store filter so `limit` counts only matching items. */
  filter?: (obj: KubeObject) => boolean;
}

export interface ListResult {
  items: StoredObject[];
  /** The revision the list is consistent with (the current revision, or atRevision). */
  revision: number;
  /** True when `limit` cut the result short. */
  more: boolean;
  /** How many matching items remain after this page (when cheaply known). */
  remaining?: number;
}

export interface WatchOptions {
  /** Deliver every event with rv > fromRevision. 0 = from now on. */
  fromRevision: number;
}

export interface Watcher {
  /** Stops delivery; idempotent. */
  stop(): void;
}

/**
 * `Incompatible`: the database was made by another kubesim version (schema) or is not a kubesim
 * database at all. `Locked`: another process holds the database (another kubesim on the same data dir).
 */
export type StoreErrorCode = 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Gone' | 'Closed' | 'Incompatible' | 'Locked';

export class StoreError extends Error {
  constructor(readonly code: StoreErrorCode, message: string, readonly currentRevision?: number) {
    super(message);
    this.name = 'StoreError';
  }
}

export interface Store {
  /** The newest revision written (0 for an empty store). */
  currentRevision(): number;
  /** The oldest revision a watch or consistent list may start from; older → Gone. */
  compactedRevision(): number;

  get(key: string): StoredObject | undefined;
  list(prefix: string, opts?: ListOptions): ListResult;
  /** Counts current keys under a prefix. */
  count(prefix: string): number;
  /**
   * A revision that changes whenever something under the directory prefix (ending in `/`) is
   * written: the newest such revision since the store opened, else the revision at open. Lets a
   * reader keep what it derived from a small collection until the collection changes.
   */
  lastWriteUnder?(prefix: string): number;

  /** Fails with AlreadyExists if the key exists. */
  create(key: string, object: KubeObject): StoredObject;
  /**
   * Replaces the key's value. With `expectedRv`, fails with Conflict unless the key's current
   * revision is exactly that (compare-and-swap in the database). Fails with NotFound if absent.
   */
  update(key: string, object: KubeObject, expectedRv?: number): StoredObject;
  /** Removes the key; `expectedRv` as for update. Returns the deleted object at the delete's revision. */
  delete(key: string, expectedRv?: number): StoredObject;

  /**
   * Calls `onEvent` for every change under `prefix` with rv > fromRevision, in revision order, each
   * exactly once, first the retained history then live changes. Throws StoreError('Gone') when
   * fromRevision is older than the compacted revision. Delivery is synchronous with the commit for
   * live events; a slow consumer must buffer on its own side.
   */
  watch(prefix: string, opts: WatchOptions, onEvent: (ev: StoreEvent) => void): Watcher;

  /** Drops history older than the retention window. Returns the new compacted revision. */
  compact(): number;

  close(): void;
}
