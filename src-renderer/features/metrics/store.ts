/**
 * The renderer's metrics history. The metrics API gives current usage only, so while at least one
 * chart or table wants a target (all nodes, a namespace's pods, one pod) it is polled every
 * POLL_MS, and each node, pod and container keeps a bounded ring of samples (WINDOW_MS). Polling
 * stops when the last user leaves (and skips while the page is hidden); the history stays, bounded.
 */
import { onUnmounted, shallowRef, watch } from 'vue';
import { ApiError, getJson } from '../../api/kube';
import { useDiscoveryStore } from '../../stores/discovery';
import { containerKey, METRICS_GROUP, nodeKey, nodeMetricsPath, podKey, podMetricsPath, podSamples, sampleOf, type NodeMetricsJson, type PodMetricsJson } from './api';
import { UsageRing, type Sample } from './ring';

export const POLL_MS = 5_000;
export const WINDOW_MS = 15 * 60_000;
/** One sample per metrics-server scrape (every 15 s) over the window, and a little slack. */
const CAPACITY = 64;
const POLL_KEY = 'kubesim.metrics.pollMs';

export type Target = { kind: 'nodes' } | { kind: 'pods'; namespace: string } | { kind: 'pod'; namespace: string; name: string };

export function targetKey(t: Target): string {
  return t.kind === 'nodes' ? 'nodes' : t.kind === 'pods' ? `pods/${t.namespace}` : `pod/${t.namespace}/${t.name}`;
}

interface TargetState {
  target: Target;
  users: number;
  inFlight: boolean;
  error?: string;
  polledAt?: number;
  /** The series keys of the last answer (what exists now: nodes, pods). */
  items: string[];
}

const targets = new Map<string, TargetState>();
const rings = new Map<string, UsageRing>();
/** Bumped after every poll: what the views' computeds depend on. */
export const revision = shallowRef(0);

function readPollMs(): number {
  try {
    const v = Number(localStorage.getItem(POLL_KEY));
    return Number.isFinite(v) && v >= 500 ? v : POLL_MS;
  } catch {
    return POLL_MS;
  }
}
let pollMs = readPollMs();
let timer: ReturnType<typeof setInterval> | undefined;

/** How often the targets are polled (ms). */
export function pollInterval(): number {
  return pollMs;
}

function record(key: string, s: Sample): void {
  let ring = rings.get(key);
  if (!ring) rings.set(key, (ring = new UsageRing(CAPACITY, WINDOW_MS)));
  ring.push(s);
}

function prune(now: number): void {
  for (const [k, r] of rings) {
    r.trim(now);
    if (!r.size) rings.delete(k);
  }
}

function errorText(e: unknown): string {
  if (e instanceof ApiError && e.code === 404) return 'metrics not available yet';
  return e instanceof Error ? e.message : String(e);
}

async function pollOne(st: TargetState, version: string): Promise<void> {
  if (st.inFlight) return;
  st.inFlight = true;
  const t = st.target;
  try {
    if (t.kind === 'nodes') {
      const l = await getJson<{ items: NodeMetricsJson[] }>(nodeMetricsPath(version));
      st.items = (l.items ?? []).map((m) => {
        record(nodeKey(m.metadata.name), sampleOf(m.timestamp, m.usage ?? {}));
        return nodeKey(m.metadata.name);
      });
    } else {
      // One pod: read from its namespace's list — a pod not scraped yet is then simply absent,
      // where GET …/pods/<name> answers 404 (which the browser logs as a failed request).
      const listed = (await getJson<{ items: PodMetricsJson[] }>(podMetricsPath(version, t.namespace))).items ?? [];
      const items = t.kind === 'pods' ? listed : listed.filter((m) => m.metadata.name === t.name);
      if (t.kind === 'pod' && items.length === 0) throw new ApiError(404, 'NotFound', `podmetrics.metrics.k8s.io "${t.name}" not found`);
      st.items = items.map((m) => podKey(m.metadata.namespace, m.metadata.name));
      for (const m of items) {
        const { pod, containers } = podSamples(m);
        record(podKey(m.metadata.namespace, m.metadata.name), pod);
        // Containers only for one pod's details: a list of thousands keeps one ring per pod.
        if (t.kind === 'pod') for (const [c, s] of containers) record(containerKey(m.metadata.namespace, m.metadata.name, c), s);
      }
    }
    st.error = undefined;
  } catch (e) {
    st.error = errorText(e);
    st.items = [];
  } finally {
    st.inFlight = false;
    st.polledAt = Date.now();
  }
}

async function tick(): Promise<void> {
  if (typeof document !== 'undefined' && document.hidden) return;
  const discovery = useDiscoveryStore();
  if (!discovery.loaded) return;
  const api = discovery.find(METRICS_GROUP, 'nodes') ?? discovery.find(METRICS_GROUP, 'pods');
  const live = [...targets.values()];
  if (!api) {
    for (const st of live) st.error = 'Metrics API not available';
  } else {
    await Promise.all(live.map((st) => pollOne(st, api.version)));
  }
  let newest = 0;
  for (const r of rings.values()) newest = Math.max(newest, r.lastTime || 0);
  if (newest) prune(newest);
  revision.value++;
}

function ensureTimer(): void {
  if (targets.size && !timer) {
    void tick();
    timer = setInterval(() => void tick(), pollMs);
  } else if (!targets.size && timer) {
    clearInterval(timer);
    timer = undefined;
  }
}

/** Wants `t` polled until the returned function is called. */
export function subscribe(t: Target): () => void {
  const key = targetKey(t);
  let st = targets.get(key);
  if (!st) targets.set(key, (st = { target: t, users: 0, inFlight: false, items: [] }));
  st.users++;
  const wasRunning = !!timer;
  ensureTimer();
  if (wasRunning) void pollOne(st, useDiscoveryStore().find(METRICS_GROUP, 'nodes')?.version ?? 'v1beta1').then(() => revision.value++);
  let done = false;
  return () => {
    if (done) return;
    done = true;
    st!.users--;
    if (st!.users <= 0) targets.delete(key);
    ensureTimer();
  };
}

/** Polls the targets while the calling component lives (following the getter when it changes). */
export function useMetrics(want: () => Target[]): void {
  let releases = new Map<string, () => void>();
  watch(
    () => want().map((t) => [targetKey(t), t] as const),
    (list) => {
      const next = new Map<string, () => void>();
      for (const [k, t] of list) next.set(k, releases.get(k) ?? subscribe(t));
      for (const [k, r] of releases) if (!next.has(k)) r();
      releases = next;
    },
    { immediate: true, deep: false },
  );
  onUnmounted(() => {
    for (const r of releases.values()) r();
    releases = new Map();
  });
}

/** The samples of a series (reactive through `revision`). */
export function history(key: string): Sample[] {
  void revision.value;
  return rings.get(key)?.samples() ?? [];
}

export function latest(key: string): Sample | undefined {
  void revision.value;
  return rings.get(key)?.last();
}

/** The last poll's error of a target, if it failed (reactive through `revision`). */
export function targetError(t: Target): string | undefined {
  void revision.value;
  return targets.get(targetKey(t))?.error;
}

/** Whether a target has been polled at least once since it was wanted. */
export function targetPolled(t: Target): boolean {
  void revision.value;
  return targets.get(targetKey(t))?.polledAt !== undefined;
}

/** The series keys of a target's last answer (`node/<name>`, `pod/<ns>/<name>`), for tables. */
export function targetItems(t: Target): string[] {
  void revision.value;
  return targets.get(targetKey(t))?.items ?? [];
}
