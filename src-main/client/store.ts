/**
 * The informer's local cache: objects by key with secondary indexes, as client-go's
 * ThreadSafeStore + Indexer (k8s.io/client-go/tools/cache). JavaScript is single-threaded, so
 * "thread-safe" reduces to keeping the indexes consistent on every write.
 *
 * Cached objects are shared with every reader: treat them as read-only and clone before changing.
 */
import type { KubeObject } from '../api/types';

export type KeyFunc<T> = (obj: T) => string;
export type IndexFunc<T> = (obj: T) => string[];
export type Indexers<T> = Record<string, IndexFunc<T>>;

/** The built-in index every informer has. */
export const NAMESPACE_INDEX = 'namespace';

/** `namespace/name`, or `name` for cluster-scoped objects (cache.MetaNamespaceKeyFunc). */
export function metaNamespaceKey(obj: { metadata?: { namespace?: string; name?: string } }): string {
  const ns = obj.metadata?.namespace;
  const name = obj.metadata?.name ?? '';
  return ns ? `${ns}/${name}` : name;
}

/** The inverse of `metaNamespaceKey`: `{ namespace: '', name }` for cluster-scoped keys. */
export function splitMetaNamespaceKey(key: string): { namespace: string; name: string } {
  const parts = key.split('/');
  if (parts.length === 1) return { namespace: '', name: parts[0] };
  if (parts.length === 2) return { namespace: parts[0], name: parts[1] };
  throw new Error(`unexpected key format: "${key}"`);
}

/** cache.MetaNamespaceIndexFunc: the object's namespace ('' for cluster-scoped). */
export function metaNamespaceIndexFunc(obj: KubeObject): string[] {
  return [obj.metadata?.namespace ?? ''];
}

export class Indexer<T> {
  private readonly items = new Map<string, T>();
  private readonly indexers = new Map<string, IndexFunc<T>>();
  /** index name → index value → keys */
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  constructor(
    readonly keyFunc: KeyFunc<T>,
    indexers: Indexers<T> = {},
  ) {
    this.addIndexers(indexers);
  }

  /** Adds index functions; existing items are indexed at once. A name can be registered only once. */
  addIndexers(indexers: Indexers<T>): void {
    for (const name of Object.keys(indexers)) {
      if (this.indexers.has(name)) throw new Error(`indexer conflict: ${name}`);
    }
    for (const [name, fn] of Object.entries(indexers)) {
      this.indexers.set(name, fn);
      const index = new Map<string, Set<string>>();
      this.indices.set(name, index);
      for (const [key, obj] of this.items) this.addToIndex(index, fn(obj), key);
    }
  }

  indexerNames(): string[] {
    return [...this.indexers.keys()];
  }

  /** Adds or replaces the object under its key. */
  add(obj: T): void {
    this.put(this.keyFunc(obj), obj);
  }

  update(obj: T): void {
    this.put(this.keyFunc(obj), obj);
  }

  put(key: string, obj: T): void {
    const old = this.items.get(key);
    this.items.set(key, obj);
    this.updateIndices(old, obj, key);
  }

  delete(obj: T): void {
    this.deleteByKey(this.keyFunc(obj));
  }

  deleteByKey(key: string): T | undefined {
    const old = this.items.get(key);
    if (old === undefined) return undefined;
    this.items.delete(key);
    this.updateIndices(old, undefined, key);
    return old;
  }

  get(obj: T): T | undefined {
    return this.items.get(this.keyFunc(obj));
  }

  getByKey(key: string): T | undefined {
    return this.items.get(key);
  }

  has(key: string): boolean {
    return this.items.has(key);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  listKeys(): string[] {
    return [...this.items.keys()];
  }

  get size(): number {
    return this.items.size;
  }

  /** Replaces the whole content and rebuilds the indexes. */
  replace(objs: T[]): void {
    this.items.clear();
    for (const index of this.indices.values()) index.clear();
    for (const o of objs) this.add(o);
  }

  /** Objects sharing an index value with `obj` under `indexName`. */
  index(indexName: string, obj: T): T[] {
    const fn = this.indexFunc(indexName);
    const index = this.indices.get(indexName)!;
    const keys = new Set<string>();
    for (const v of fn(obj)) for (const k of index.get(v) ?? []) keys.add(k);
    return [...keys].map((k) => this.items.get(k)!).filter((o) => o !== undefined);
  }

  /** Objects whose `indexName` values include `value`. */
  byIndex(indexName: string, value: string): T[] {
    return this.indexKeys(indexName, value).map((k) => this.items.get(k)!);
  }

  /** Keys of the objects whose `indexName` values include `value`. */
  indexKeys(indexName: string, value: string): string[] {
    this.indexFunc(indexName);
    return [...(this.indices.get(indexName)!.get(value) ?? [])];
  }

  /** Every value the index currently holds. */
  listIndexFuncValues(indexName: string): string[] {
    this.indexFunc(indexName);
    return [...this.indices.get(indexName)!.keys()];
  }

  private indexFunc(indexName: string): IndexFunc<T> {
    const fn = this.indexers.get(indexName);
    if (!fn) throw new Error(`Index with name ${indexName} does not exist`);
    return fn;
  }

  private updateIndices(old: T | undefined, cur: T | undefined, key: string): void {
    for (const [name, fn] of this.indexers) {
      const index = this.indices.get(name)!;
      if (old !== undefined) {
        for (const v of fn(old)) {
          const set = index.get(v);
          if (!set) continue;
          set.delete(key);
          if (set.size === 0) index.delete(v);
        }
      }
      if (cur !== undefined) this.addToIndex(index, fn(cur), key);
    }
  }

  private addToIndex(index: Map<string, Set<string>>, values: string[], key: string): void {
    for (const v of values) {
      let set = index.get(v);
      if (!set) index.set(v, (set = new Set()));
      set.add(key);
    }
  }
}
