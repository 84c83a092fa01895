/**
 * Shared informers (k8s.io/client-go/tools/cache reflector + shared_informer): list a
 * collection, then watch from the list's resourceVersion; keep a local indexed cache; tell
 * registered handlers about every add, update and delete once.
 *
 * - BOOKMARK events only move the last seen resourceVersion.
 * - When a watch ends normally (timeout, server restart of the stream) the informer watches again
 *   from the last resourceVersion. When the server answers 410 Gone/Expired (the revision was
 *   compacted), or any other error, it relists after an exponential back-off (800 ms doubling to
 *   30 s, with jitter, reset after 2 minutes without trouble, as client-go) and reconciles: objects
 *   that vanished meanwhile get onDelete (with `finalStateUnknown`), changed ones onUpdate, new
 *   ones onAdd. Unlike client-go, a relist does not call onUpdate for objects whose
 *   resourceVersion did not change: handlers hear about real changes only (resync is the way to
 *   get periodic onUpdate(obj, obj) calls).
 * - `SharedInformerFactory` hands out one informer per resource (and namespace/selectors), so
 *   many controllers share one list+watch.
 */
import type { KubeObject, Status } from '../api/types';
import { isObject } from '../api/types';
import { StatusError } from '../api/errors';
import { parseLabelSelector, type LabelSelector } from '../api/selectors/labels';
import type { ClientWatch, KubeClient, ResourceRef, WatchEvent } from './client';
import { realClock, type Clock, type TimerHandle } from './clock';
import { Indexer, NAMESPACE_INDEX, metaNamespaceIndexFunc, metaNamespaceKey, type Indexers } from './store';

export interface ResourceEventHandler<T extends KubeObject = KubeObject> {
  /** A new object; `isInInitialList` for the objects of the first list (or replayed to a late handler). */
  onAdd?(obj: T, isInInitialList: boolean): void;
  /** A changed object (or, on resync, the same object twice). */
  onUpdate?(oldObj: T, newObj: T): void;
  /**
   * A deleted object. `finalStateUnknown` when the deletion was noticed by a relist rather than a
   * watch event: `obj` is then the last state the cache saw.
   */
  onDelete?(obj: T, finalStateUnknown: boolean): void;
}

export interface HandlerRegistration {
  /** True once every object of the initial list has been delivered to this handler. */
  hasSynced(): boolean;
  remove(): void;
}

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  factor?: number;
  /** The delay is d + random()·jitter·d. */
  jitter?: number;
  /** A back-off this long after the previous one starts from `initialMs` again. */
  resetAfterMs?: number;
  random?: () => number;
}

export interface InformerOptions<T extends KubeObject = KubeObject> {
  /** Only this namespace ('' or undefined: all namespaces / cluster-scoped). */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Extra indexes besides `namespace`. */
  indexers?: Indexers<T>;
  /** Default resync period for handlers that do not give their own; 0 = never. */
  resyncPeriodMs?: number;
  /** Page size for lists (0 = no paging). Default 500. */
  pageSize?: number;
  /** Fixed watch timeout; default a random 300–600 s per watch, as client-go. */
  watchTimeoutSeconds?: number;
  /** Applied to every object before it is cached (e.g. drop managedFields). */
  transform?: (obj: T) => T;
  clock?: Clock;
  backoff?: BackoffOptions;
  log?: (line: string) => void;
}

/** client-go's exponential back-off manager for relists. */
export class Backoff {
  private duration = 0;
  private lastStart = -Infinity;
  private readonly o: Required<BackoffOptions>;
  constructor(
    private readonly clock: Clock,
    opts: BackoffOptions = {},
  ) {
    this.o = {
      initialMs: opts.initialMs ?? 800,
      maxMs: opts.maxMs ?? 30_000,
      factor: opts.factor ?? 2,
      jitter: opts.jitter ?? 1,
      resetAfterMs: opts.resetAfterMs ?? 120_000,
      random: opts.random ?? Math.random,
    };
  }
  next(): number {
    const now = this.clock.now();
    if (now - this.lastStart > this.o.resetAfterMs || this.duration === 0) this.duration = this.o.initialMs;
    else this.duration = Math.min(this.duration * this.o.factor, this.o.maxMs);
    this.lastStart = now;
    return this.duration + this.o.random() * this.o.jitter * this.duration;
  }
}

interface Listener<T extends KubeObject> {
  handler: ResourceEventHandler<T>;
  resyncMs: number;
  timer?: TimerHandle;
  synced: boolean;
  removed: boolean;
}

function isStatus(v: unknown): v is Status {
  return isObject(v) && v.kind === 'Status';
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

class RelistNeeded extends Error {}

export class SharedInformer<T extends KubeObject = KubeObject> {
  readonly ref: ResourceRef;
  readonly options: InformerOptions<T>;
  private readonly store: Indexer<T>;
  private readonly clock: Clock;
  private readonly backoff: Backoff;
  private readonly listeners = new Set<Listener<T>>();
  private readonly log: (line: string) => void;
  private started = false;
  private stopped = false;
  private synced = false;
  private syncWaiters: ((ok: boolean) => void)[] = [];
  private lastRV = '';
  private currentWatch?: ClientWatch<T>;
  private sleepTimer?: TimerHandle;
  private wakeSleep?: () => void;
  private loop?: Promise<void>;

  constructor(
    private readonly client: KubeClient,
    ref: ResourceRef,
    options: InformerOptions<T> = {},
  ) {
    this.ref = ref;
    this.options = options;
    this.clock = options.clock ?? realClock;
    this.backoff = new Backoff(this.clock, options.backoff);
    this.log = options.log ?? (() => {});
    this.store = new Indexer<T>(metaNamespaceKey, { [NAMESPACE_INDEX]: metaNamespaceIndexFunc, ...(options.indexers ?? {}) });
  }

  // --- handlers and indexes ----------------------------------------------------------------

  /**
   * Registers a handler. Objects already cached are replayed to it as onAdd(obj, true) at once.
   * `resyncPeriodMs` (default: the informer's) delivers onUpdate(obj, obj) for every cached object
   * periodically.
   */
  addEventHandler(handler: ResourceEventHandler<T>, opts: { resyncPeriodMs?: number } = {}): HandlerRegistration {
    const l: Listener<T> = { handler, resyncMs: opts.resyncPeriodMs ?? this.options.resyncPeriodMs ?? 0, synced: false, removed: false };
    this.listeners.add(l);
    if (this.synced) {
      for (const obj of this.store.list()) this.call(l, 'add', () => handler.onAdd?.(obj, true));
      l.synced = true;
      this.scheduleResync(l);
    }
    return {
      hasSynced: () => l.synced,
      remove: () => {
        l.removed = true;
        if (l.timer !== undefined) this.clock.clearTimeout(l.timer);
        this.listeners.delete(l);
      },
    };
  }

  /** Adds indexes (allowed before and after start; existing objects are indexed at once). */
  addIndexers(indexers: Indexers<T>): void {
    this.store.addIndexers(indexers);
  }

  // --- reading the cache -------------------------------------------------------------------

  /** The cache itself (read-only use: get, list, byIndex, index keys). */
  get indexer(): Indexer<T> {
    return this.store;
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves true once the first list is cached and delivered, false if stopped before. */
  waitForSync(): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (this.stopped) return Promise.resolve(false);
    return new Promise((r) => this.syncWaiters.push(r));
  }

  /** The resourceVersion the cache is at (the last list, event or bookmark). */
  lastSyncResourceVersion(): string {
    return this.lastRV;
  }

  getByKey(key: string): T | undefined {
    return this.store.getByKey(key);
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.store.getByKey(namespace ? `${namespace}/${name}` : name);
  }

  /** Cached objects, optionally of one namespace and matching a label selector (string or parsed). */
  list(namespace?: string, selector?: string | LabelSelector): T[] {
    const objs = namespace ? this.store.byIndex(NAMESPACE_INDEX, namespace) : this.store.list();
    if (selector === undefined || selector === '') return objs;
    const sel = typeof selector === 'string' ? parseLabelSelector(selector) : selector;
    return objs.filter((o) => sel.matches(o.metadata.labels));
  }

  byIndex(indexName: string, value: string): T[] {
    return this.store.byIndex(indexName, value);
  }

  // --- lifecycle ---------------------------------------------------------------------------

  /** Starts list+watch in the background (idempotent). */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.loop = this.run();
  }

  isStarted(): boolean {
    return this.started;
  }

  /** Stops watching and all timers; the cache keeps its content. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const w of this.syncWaiters.splice(0)) w(false);
    for (const l of this.listeners) if (l.timer !== undefined) this.clock.clearTimeout(l.timer);
    this.currentWatch?.close();
    if (this.sleepTimer !== undefined) this.clock.clearTimeout(this.sleepTimer);
    this.wakeSleep?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.listAndWatch();
      } catch (e) {
        if (this.stopped) break;
        if (!(e instanceof RelistNeeded)) this.log(`informer ${this.name()}: ${describe(e)}`);
      }
      if (this.stopped) break;
      await this.sleep(this.backoff.next());
    }
  }

  private name(): string {
    const g = this.ref.group ? `${this.ref.group}/` : '';
    return `${g}${this.ref.version}/${this.ref.resource}`;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wakeSleep = () => {
        this.wakeSleep = undefined;
        this.sleepTimer = undefined;
        resolve();
      };
      this.sleepTimer = this.clock.setTimeout(() => this.wakeSleep?.(), ms);
    });
  }

  private async listAndWatch(): Promise<void> {
    const o = this.options;
    const list = await this.client.listAll<T>(this.ref, o.namespace, {
      labelSelector: o.labelSelector,
      fieldSelector: o.fieldSelector,
      limit: o.pageSize === 0 ? undefined : (o.pageSize ?? 500),
    });
    if (this.stopped) return;
    this.replace(list.items, list.metadata.resourceVersion ?? '');

    while (!this.stopped) {
      let w: ClientWatch<T>;
      try {
        w = await this.client.watch<T>(this.ref, o.namespace, {
          labelSelector: o.labelSelector,
          fieldSelector: o.fieldSelector,
          resourceVersion: this.lastRV,
          allowWatchBookmarks: true,
          timeoutSeconds: o.watchTimeoutSeconds ?? Math.floor(300 * (1 + Math.random())),
        });
      } catch (e) {
        if (e instanceof StatusError && e.code === 410) throw new RelistNeeded();
        throw e;
      }
      if (this.stopped) {
        w.close();
        return;
      }
      this.currentWatch = w;
      const startedAt = this.clock.now();
      let events = 0;
      let failure: unknown;
      await new Promise<void>((resolve) => {
        w.onClose(() => resolve());
        w.onEvent((ev) => {
          if (failure !== undefined) return;
          events++;
          try {
            this.handleEvent(ev);
          } catch (e) {
            failure = e;
            w.close();
          }
        });
      });
      this.currentWatch = undefined;
      if (failure !== undefined) throw failure;
      // A watch the server ends at once without a single event: do not spin, back off first.
      if (events === 0 && this.clock.now() - startedAt < 1000 && !this.stopped) await this.sleep(this.backoff.next());
    }
  }

  private handleEvent(ev: WatchEvent<T>): void {
    switch (ev.type) {
      case 'ADDED':
      case 'MODIFIED': {
        const obj = this.prepare(ev.object);
        const key = metaNamespaceKey(obj);
        const old = this.store.getByKey(key);
        this.store.put(key, obj);
        this.setRV(obj);
        if (old) this.notify((l) => l.handler.onUpdate?.(old, obj), 'update');
        else this.notify((l) => l.handler.onAdd?.(obj, false), 'add');
        return;
      }
      case 'DELETED': {
        const obj = this.prepare(ev.object);
        const key = metaNamespaceKey(obj);
        this.store.deleteByKey(key);
        this.setRV(obj);
        this.notify((l) => l.handler.onDelete?.(obj, false), 'delete');
        return;
      }
      case 'BOOKMARK':
        this.setRV(ev.object);
        return;
      case 'ERROR': {
        const s = ev.object as unknown;
        if (isStatus(s)) {
          if (s.code === 410) throw new RelistNeeded();
          throw new StatusError(s.code, s.reason ?? '', s.message ?? '', s.details);
        }
        throw new Error(`watch error: ${JSON.stringify(s)}`);
      }
    }
  }

  private prepare(obj: T): T {
    return this.options.transform ? this.options.transform(obj) : obj;
  }

  private setRV(obj: { metadata?: { resourceVersion?: string } }): void {
    const rv = obj.metadata?.resourceVersion;
    if (rv) this.lastRV = rv;
  }

  /** Reconciles the cache with a fresh list and tells handlers what changed. */
  private replace(items: T[], rv: string): void {
    const initial = !this.synced;
    const seen = new Set<string>();
    for (const raw of items) {
      const obj = this.prepare(raw);
      const key = metaNamespaceKey(obj);
      seen.add(key);
      const old = this.store.getByKey(key);
      this.store.put(key, obj);
      if (!old) this.notify((l) => l.handler.onAdd?.(obj, initial), 'add');
      else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) this.notify((l) => l.handler.onUpdate?.(old, obj), 'update');
    }
    for (const key of this.store.listKeys()) {
      if (seen.has(key)) continue;
      const old = this.store.deleteByKey(key)!;
      this.notify((l) => l.handler.onDelete?.(old, true), 'delete');
    }
    this.lastRV = rv;
    if (initial) {
      this.synced = true;
      for (const l of this.listeners) {
        l.synced = true;
        this.scheduleResync(l);
      }
      for (const w of this.syncWaiters.splice(0)) w(true);
    }
  }

  private notify(fn: (l: Listener<T>) => void, what: string): void {
    for (const l of [...this.listeners]) if (!l.removed) this.call(l, what, () => fn(l));
  }

  private call(l: Listener<T>, what: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.log(`informer ${this.name()}: ${what} handler failed: ${describe(e)}`);
    }
  }

  private scheduleResync(l: Listener<T>): void {
    if (!(l.resyncMs > 0) || l.removed || this.stopped) return;
    l.timer = this.clock.setTimeout(() => {
      l.timer = undefined;
      if (l.removed || this.stopped) return;
      for (const obj of this.store.list()) this.call(l, 'resync', () => l.handler.onUpdate?.(obj, obj));
      this.scheduleResync(l);
    }, l.resyncMs);
  }
}

export interface FactoryOptions {
  /** Default resync period for every informer's handlers; 0 = never. */
  resyncPeriodMs?: number;
  /** Restrict every informer to one namespace. */
  namespace?: string;
  clock?: Clock;
  backoff?: BackoffOptions;
  log?: (line: string) => void;
  watchTimeoutSeconds?: number;
  pageSize?: number;
}

export interface InformerKeyOptions<T extends KubeObject = KubeObject> {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Only used when this call creates the informer. */
  indexers?: Indexers<T>;
  transform?: (obj: T) => T;
}

/** One informer per resource (+ namespace and selectors), shared by every caller. */
export class SharedInformerFactory {
  private readonly informers = new Map<string, SharedInformer<KubeObject>>();
  private stopped = false;

  constructor(
    readonly client: KubeClient,
    private readonly options: FactoryOptions = {},
  ) {}

  /** The informer for `ref`; created (not started) on first request. */
  informerFor<T extends KubeObject = KubeObject>(ref: ResourceRef, opts: InformerKeyOptions<T> = {}): SharedInformer<T> {
    const ns = opts.namespace ?? this.options.namespace ?? '';
    const key = [ref.group, ref.version, ref.resource, ns, opts.labelSelector ?? '', opts.fieldSelector ?? ''].join('|');
    let inf = this.informers.get(key) as SharedInformer<T> | undefined;
    if (!inf) {
      inf = new SharedInformer<T>(this.client, ref, {
        namespace: ns,
        labelSelector: opts.labelSelector,
        fieldSelector: opts.fieldSelector,
        indexers: opts.indexers,
        transform: opts.transform,
        resyncPeriodMs: this.options.resyncPeriodMs,
        clock: this.options.clock,
        backoff: this.options.backoff,
        log: this.options.log,
        watchTimeoutSeconds: this.options.watchTimeoutSeconds,
        pageSize: this.options.pageSize,
      });
      this.informers.set(key, inf as unknown as SharedInformer<KubeObject>);
      if (this.stopped) void inf.stop();
    } else if (opts.indexers) {
      const missing = Object.fromEntries(Object.entries(opts.indexers).filter(([n]) => !inf!.indexer.indexerNames().includes(n)));
      if (Object.keys(missing).length) inf.addIndexers(missing);
    }
    return inf;
  }

  /** Starts every informer created so far that is not running yet (call again after adding more). */
  start(): void {
    if (this.stopped) return;
    for (const inf of this.informers.values()) inf.start();
  }

  /** Waits until every started informer has synced; false if one was stopped first. */
  async waitForCacheSync(): Promise<boolean> {
    const results = await Promise.all([...this.informers.values()].filter((i) => i.isStarted()).map((i) => i.waitForSync()));
    return results.every(Boolean);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }
}

/** A handler that queues the object's key (`namespace/name`) on every add, update and delete. */
export function queueingHandler<T extends KubeObject = KubeObject>(queue: { add(key: string): void }, keyOf: (obj: T) => string = metaNamespaceKey): ResourceEventHandler<T> {
  return {
    onAdd: (obj) => queue.add(keyOf(obj)),
    onUpdate: (_old, obj) => queue.add(keyOf(obj)),
    onDelete: (obj) => queue.add(keyOf(obj)),
  };
}
