/**
 * Shared informers in the browser: one live store per (resource, namespace, selectors, table or
 * objects), created when a view needs it, ref-counted, and stopped a grace period after its last
 * user left (so going back and forth between views does not relist). Each is fed by list+watch
 * (api/kube.ts informer: relist on 410); watch events are applied once per animation frame.
 */
import { computed, onScopeDispose, ref, shallowRef, triggerRef, watch, type Ref, type ShallowRef } from 'vue';
import { informer, type ConnectionState, type Informer, type Item, type ItemEvent } from '../api/kube';
import type { KubeObject, TableColumnDefinition } from '../api/types';
import { createBatcher, type Batcher } from '../util/batch';
import { collectionPath, type ResourceRef } from '../util/paths';
import { rowKey } from '../util/rows';

export interface StoreKey extends ResourceRef {
  /** Empty: all namespaces (or a cluster-scoped resource). */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Table rows (kubectl's columns, objects as metadata) instead of whole objects. */
  table?: boolean;
}

export interface ResourceStore {
  readonly id: string;
  readonly key: StoreKey;
  /** `namespace/name` → the item; the map is replaced or mutated, then `items` triggered. */
  readonly items: ShallowRef<Map<string, Item>>;
  readonly columns: ShallowRef<TableColumnDefinition[]>;
  /** The first chunk of the list arrived (rows can show). */
  readonly loaded: Ref<boolean>;
  /** The whole list arrived (counts are final). */
  readonly complete: Ref<boolean>;
  readonly state: Ref<ConnectionState>;
  readonly error: Ref<string | undefined>;
  /** Keys added by the watch after the first list (views highlight them). */
  readonly arrived: ShallowRef<Set<string>>;
}

interface Entry {
  store: ResourceStore;
  users: number;
  informer?: Informer;
  batcher: Batcher<ItemEvent>;
  stopTimer?: ReturnType<typeof setTimeout>;
}

/** How long rows that arrived through the watch count as new (highlighted). */
const ARRIVED_MS = 3000;

/** How long a store outlives its last user (unless its connection is needed sooner). */
export const GRACE_MS = 20_000;

/**
 * Table watches open at once. A browser keeps at most 6 HTTP/1.1 connections per origin and a
 * Table watch holds one (it needs an Accept header, which WebSockets cannot send; object watches
 * go over WebSockets and do not count), so more would queue every further request (lists,
 * deletes) until a watch ends. Idle stores (in their grace period) give their connection up first.
 */
export const MAX_WATCHES = 4;

const entries = new Map<string, Entry>();
/** Running stores, for the connection badge. */
const running = shallowRef<ResourceStore[]>([]);

export function storeId(k: StoreKey): string {
  return JSON.stringify([k.group, k.version, k.resource, k.namespace ?? '', k.labelSelector ?? '', k.fieldSelector ?? '', !!k.table]);
}

function create(key: StoreKey, id: string): Entry {
  const store: ResourceStore = {
    id,
    key,
    items: shallowRef(new Map()),
    columns: shallowRef([]),
    loaded: ref(false),
    complete: ref(false),
    state: ref<ConnectionState>('connecting'),
    error: ref<string>(),
    arrived: shallowRef(new Set()),
  };
  const batcher = createBatcher<ItemEvent>((batch) => {
    const m = store.items.value;
    const arrived: string[] = [];
    for (const ev of batch) {
      const k = rowKey(ev.item.object);
      if (ev.type === 'DELETED') m.delete(k);
      else {
        if (ev.type === 'ADDED' && !m.has(k)) arrived.push(k);
        m.set(k, ev.item);
      }
    }
    triggerRef(store.items);
    if (arrived.length) {
      for (const k of arrived) store.arrived.value.add(k);
      triggerRef(store.arrived);
      // New for a moment only (the highlight), so the set does not grow with churn.
      setTimeout(() => {
        for (const k of arrived) store.arrived.value.delete(k);
        triggerRef(store.arrived);
      }, ARRIVED_MS);
    }
  });
  return { store, users: 0, batcher };
}

function start(e: Entry): void {
  const { store } = e;
  const k = store.key;
  e.informer = informer(collectionPath(k, k.namespace), { labelSelector: k.labelSelector, fieldSelector: k.fieldSelector, table: k.table }, {
    onSync(items, columns, complete) {
      e.batcher.cancel();
      const m = new Map<string, Item>();
      for (const it of items) m.set(rowKey(it.object), it);
      store.items.value = m;
      if (columns) store.columns.value = columns;
      store.loaded.value = true;
      store.complete.value = complete;
    },
    onMore(items, complete) {
      const m = store.items.value;
      for (const it of items) m.set(rowKey(it.object), it);
      triggerRef(store.items);
      store.complete.value = complete;
    },
    onEvent: (ev) => e.batcher.push(ev),
    onColumns(columns) {
      store.columns.value = columns;
    },
    onState(s, err) {
      store.state.value = s;
      store.error.value = s === 'live' ? undefined : err;
    },
  });
  running.value = [...running.value, store];
}

function stop(e: Entry): void {
  e.informer?.stop();
  e.informer = undefined;
  e.batcher.cancel();
  entries.delete(e.store.id);
  running.value = running.value.filter((s) => s !== e.store);
}

/** Stops idle Table stores, oldest first, until at most `keep` Table stores run. */
function evictIdle(keep: number): void {
  const tables = () => running.value.filter((s) => s.key.table);
  for (const store of tables()) {
    if (tables().length <= keep) return;
    const e = entries.get(store.id);
    if (e && e.users === 0) {
      clearTimeout(e.stopTimer);
      e.stopTimer = undefined;
      stop(e);
    }
  }
}

/** Takes a reference on the store of `key` (starting it if needed). Pair with release(). */
export function acquire(key: StoreKey): ResourceStore {
  const id = storeId(key);
  let e = entries.get(id);
  if (!e) {
    e = create(key, id);
    entries.set(id, e);
  }
  e.users++;
  if (e.stopTimer) {
    clearTimeout(e.stopTimer);
    e.stopTimer = undefined;
  }
  if (!e.informer) {
    if (key.table) evictIdle(MAX_WATCHES - 1);
    start(e);
  }
  return e.store;
}

export function release(store: ResourceStore, graceMs = GRACE_MS): void {
  const e = entries.get(store.id);
  if (!e || e.store !== store) return;
  e.users = Math.max(0, e.users - 1);
  if (e.users > 0 || e.stopTimer) return;
  // A store that failed (bad selector) is not worth keeping.
  const wait = store.state.value === 'failed' ? 0 : graceMs;
  e.stopTimer = setTimeout(() => {
    e.stopTimer = undefined;
    if (e.users === 0) stop(e);
  }, wait);
}

/**
 * The store for a key that may change (namespace switch, new selector): follows `key`, holds a
 * reference while the calling component (effect scope) lives. `undefined` key: no store.
 */
export function useResourceStore(key: () => StoreKey | undefined): ShallowRef<ResourceStore | undefined> {
  const current = shallowRef<ResourceStore>();
  watch(
    () => {
      const k = key();
      return k ? storeId(k) : '';
    },
    () => {
      const k = key();
      const next = k ? acquire(k) : undefined;
      if (current.value) release(current.value);
      current.value = next;
    },
    { immediate: true },
  );
  onScopeDispose(() => {
    if (current.value) release(current.value);
    current.value = undefined;
  });
  return current;
}

/** The whole objects of a store as an array (for views that read objects, not Table rows). */
export function useObjects<T extends KubeObject>(store: ShallowRef<ResourceStore | undefined>): Ref<T[]> {
  return computed(() => {
    const s = store.value;
    if (!s) return [];
    return [...s.items.value.values()].map((i) => i.object as T);
  });
}

const RANK: Record<ConnectionState, number> = { failed: -1, live: 0, connecting: 1, reconnecting: 2, unauthorized: 3 };

/** The worst state of the running stores (a refused request is its view's business, not the connection's). */
export const connectionState = computed<ConnectionState>(() => {
  let worst: ConnectionState = running.value.length ? 'live' : 'connecting';
  for (const s of running.value) if (RANK[s.state.value] > RANK[worst]) worst = s.state.value;
  return worst;
});

export const connectionError = computed(() => running.value.map((s) => (s.state.value === 'failed' ? undefined : s.error.value)).find((e) => e));

/** Stops every store now (users or not): a new session, and tests. */
export function stopAllStores(): void {
  for (const e of [...entries.values()]) {
    clearTimeout(e.stopTimer);
    e.stopTimer = undefined;
    stop(e);
  }
}

/** For tests and the bench: how many stores run. */
export function runningStores(): readonly ResourceStore[] {
  return running.value;
}
