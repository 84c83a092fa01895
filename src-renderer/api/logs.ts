/**
 * Pod logs through the gateway: one container (`pods/log` with follow, previous, timestamps,
 * tailLines, sinceSeconds; abortable — followed logs over a WebSocket, `binary.k8s.io`, the rest
 * over fetch), and the merged logs of a workload: its pods picked by the workload's label
 * selector (list + a WebSocket watch, so new pods join as they appear), one stream per pod,
 * every line tagged with its pod. WebSockets because browsers allow six HTTP/1.1 connections
 * per host and each long-lived stream would hold one. The line splitting and URL/selector
 * building are pure and unit-tested.
 */
import { ApiError } from './kube';
import type { KubeObject, Status } from './types';

export interface LogOptions {
  container?: string;
  follow?: boolean;
  previous?: boolean;
  timestamps?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  limitBytes?: number;
}

export interface LogLine {
  /** The pod (and container) the line comes from; a merged view colours by it. */
  pod: string;
  container: string;
  /** RFC 3339 timestamp when requested with `timestamps`. */
  time?: string;
  text: string;
}

/** `/api/v1/namespaces/NS/pods/POD/log?...` */
export function logPath(namespace: string, pod: string, o: LogOptions = {}): string {
  const q = new URLSearchParams();
  if (o.container) q.set('container', o.container);
  if (o.follow) q.set('follow', 'true');
  if (o.previous) q.set('previous', 'true');
  if (o.timestamps) q.set('timestamps', 'true');
  if (o.tailLines !== undefined && o.tailLines >= 0) q.set('tailLines', String(Math.floor(o.tailLines)));
  if (o.sinceSeconds !== undefined && o.sinceSeconds > 0) q.set('sinceSeconds', String(Math.floor(o.sinceSeconds)));
  if (o.limitBytes !== undefined && o.limitBytes > 0) q.set('limitBytes', String(Math.floor(o.limitBytes)));
  const qs = q.toString();
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/log${qs ? `?${qs}` : ''}`;
}

/** Splits a stream of text chunks into lines; a line cut between chunks is joined. */
export class LineSplitter {
  private tail = '';

  /** The complete lines in `chunk` (plus what was held back), without their newlines. */
  push(chunk: string): string[] {
    const text = this.tail + chunk;
    const parts = text.split('\n');
    this.tail = parts.pop() ?? '';
    return parts.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  }

  /** The last line when the stream ended without a newline. */
  flush(): string[] {
    const t = this.tail;
    this.tail = '';
    return t ? [t] : [];
  }
}

const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) (.*)$/s;

/** `2026-01-01T10:00:00.123456789Z text` → its time and text (no timestamp: text only). */
export function splitTimestamp(line: string): { time?: string; text: string } {
  const m = RFC3339.exec(line);
  return m ? { time: m[1], text: m[2] } : { text: line };
}

async function errorFrom(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  try {
    const s = JSON.parse(text) as Status;
    if (s.kind === 'Status') return new ApiError(s.code || res.status, s.reason, s.message ?? res.statusText);
  } catch {
    // plain text
  }
  return new ApiError(res.status, undefined, text.trim() || `${res.status} ${res.statusText}`);
}

/** The ws: URL of an API path on this page's origin. */
export function wsUrl(path: string, origin: string = (globalThis as unknown as { location: { origin: string } }).location.origin): string {
  return origin.replace(/^http/, 'ws') + path;
}

/**
 * A long-lived stream (followed log, watch) as a WebSocket: browsers keep only six HTTP/1.1
 * connections per host, WebSockets are not counted. Resolves when the server ends it normally
 * or on abort; rejects when it was refused (with the API's error when a plain GET tells it) or
 * the connection broke.
 */
function socketStream(path: string, protocols: string[], onMessage: (data: ArrayBuffer | string) => void, signal: AbortSignal | undefined, explain: () => Promise<never | void>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return resolve();
    const ws = new WebSocket(wsUrl(path), protocols);
    ws.binaryType = 'arraybuffer';
    let opened = false;
    const abort = () => ws.close(1000);
    signal?.addEventListener('abort', abort, { once: true });
    ws.onopen = () => (opened = true);
    ws.onmessage = (ev: { data: ArrayBuffer | string }) => onMessage(ev.data);
    ws.onclose = (ev) => {
      signal?.removeEventListener('abort', abort);
      if (signal?.aborted || (opened && ev.code === 1000)) return resolve();
      if (!opened) {
        explain().then(() => reject(new ApiError(0, undefined, `${path}: the stream was refused`)), reject);
        return;
      }
      reject(new ApiError(0, undefined, `connection lost (${ev.code})`));
    };
  });
}

/**
 * Streams one container's log, calling `onLines` with each batch of complete lines as it
 * arrives; resolves when the server ends the stream (or on abort), rejects with an ApiError.
 * Followed logs come over a WebSocket (`binary.k8s.io`), the others over fetch.
 */
export async function streamLog(namespace: string, pod: string, o: LogOptions, onLines: (lines: string[]) => void, signal?: AbortSignal): Promise<void> {
  const split = new LineSplitter();
  if (o.follow) {
    const decoder = new TextDecoder();
    await socketStream(
      logPath(namespace, pod, o),
      ['binary.k8s.io'],
      (data) => {
        const lines = split.push(typeof data === 'string' ? data : decoder.decode(data, { stream: true }));
        if (lines.length) onLines(lines);
      },
      signal,
      async () => {
        // Why it was refused: the same request without follow answers with the API's Status.
        const res = await fetch(logPath(namespace, pod, { ...o, follow: false, tailLines: 0 }), { credentials: 'same-origin', signal });
        if (!res.ok) throw await errorFrom(res);
      },
    );
    const rest = split.flush();
    if (rest.length) onLines(rest);
    return;
  }
  let res: Response;
  try {
    res = await fetch(logPath(namespace, pod, o), { credentials: 'same-origin', signal });
  } catch (e) {
    if (signal?.aborted) return;
    throw e;
  }
  if (!res.ok) throw await errorFrom(res);
  if (!res.body) return;
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const lines = split.push(value);
      if (lines.length) onLines(lines);
    }
    const rest = split.flush();
    if (rest.length) onLines(rest);
  } catch (e) {
    if (signal?.aborted) return;
    throw e;
  } finally {
    reader.cancel().catch(() => {});
  }
}

// ---- workloads ----------------------------------------------------------------------------

export const WORKLOAD_KINDS = ['deployments', 'statefulsets', 'daemonsets', 'replicasets', 'jobs'] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

export function workloadPath(namespace: string, kind: WorkloadKind, name: string): string {
  const group = kind === 'jobs' ? 'batch/v1' : 'apps/v1';
  return `/apis/${group}/namespaces/${encodeURIComponent(namespace)}/${kind}/${encodeURIComponent(name)}`;
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** A LabelSelector as the `labelSelector` query string (`app=web,tier in (a,b),!legacy`). */
export function selectorString(sel: LabelSelector | undefined): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(sel?.matchLabels ?? {})) parts.push(`${k}=${v}`);
  for (const e of sel?.matchExpressions ?? []) {
    const vals = [...(e.values ?? [])].sort().join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${vals})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${vals})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

export interface ContainerState {
  running?: { startedAt?: string };
  terminated?: { exitCode?: number; reason?: string };
  waiting?: { reason?: string };
}

export interface LogPod extends KubeObject {
  spec?: { containers?: { name: string }[]; initContainers?: { name: string }[] };
  status?: { phase?: string; containerStatuses?: { name: string; restartCount?: number; state?: ContainerState }[] };
}

/** The container a log shows by default: the `kubectl.kubernetes.io/default-container` annotation, else the first. */
export function defaultContainer(pod: LogPod): string | undefined {
  const named = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  const names = (pod.spec?.containers ?? []).map((c) => c.name);
  return named && names.includes(named) ? named : names[0];
}

/** Whether a container has started (running or ended): only then does it have a log. */
export function containerStarted(pod: LogPod, container: string): boolean {
  const s = pod.status?.containerStatuses?.find((c) => c.name === container)?.state;
  return !!(s?.running || s?.terminated);
}

export interface MergedLogHandlers {
  onLines(lines: LogLine[]): void;
  /** The pods whose logs are in the view (in order of appearance), after every change. */
  onPods?(pods: string[]): void;
  onError?(message: string): void;
  /** Without follow: every pod's log has been read (the view is complete). */
  onDone?(): void;
}

export interface MergedLogs {
  stop(): void;
}

interface WatchEvt {
  type: string;
  object: LogPod | Status;
}

export function restartCountOf(pod: LogPod, container: string): number {
  return pod.status?.containerStatuses?.find((c) => c.name === container)?.restartCount ?? 0;
}

/**
 * The merged logs of every pod of a workload: pods chosen by its selector, new ones joined as
 * they appear (each followed from its start), every line tagged with its pod. When following, a
 * restarted container (its log stream ended, restartCount went up) is followed again from its
 * new start.
 */
export function mergedWorkloadLogs(namespace: string, kind: WorkloadKind, name: string, o: LogOptions, h: MergedLogHandlers): MergedLogs {
  const ac = new AbortController();
  const streams = new Map<string, AbortController>();
  const order: string[] = [];
  /** restartCount of the container whose log was opened, per pod. */
  const started = new Map<string, number>();

  let initial = true;
  const reads: Promise<void>[] = [];
  const open = (pod: LogPod) => {
    const podName = pod.metadata.name;
    const container = o.container && (pod.spec?.containers ?? []).some((c) => c.name === o.container) ? o.container : defaultContainer(pod);
    if (!container || streams.has(podName)) return;
    if (!o.previous && !containerStarted(pod, container)) return;
    const restarts = restartCountOf(pod, container);
    const seen = started.get(podName);
    const restarted = seen !== undefined && o.follow && !o.previous && restarts > seen;
    if (seen !== undefined && !restarted) return;
    const podAc = new AbortController();
    ac.signal.addEventListener('abort', () => podAc.abort());
    streams.set(podName, podAc);
    started.set(podName, restarts);
    if (!order.includes(podName)) {
      order.push(podName);
      h.onPods?.([...order]);
    }
    // A pod that joins later is shown from its start; the first ones honour tailLines/sinceSeconds.
    const opts: LogOptions = initial && !restarted ? { ...o, container, timestamps: true } : { ...o, container, timestamps: true, tailLines: undefined, sinceSeconds: undefined };
    const done = streamLog(namespace, podName, opts, (lines) => h.onLines(lines.map((l) => ({ pod: podName, container, ...splitTimestamp(l) }))), podAc.signal)
      .catch((e: unknown) => h.onError?.(`${podName}: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => streams.delete(podName));
    reads.push(done);
  };

  void (async () => {
    try {
      const wres = await fetch(workloadPath(namespace, kind, name), { credentials: 'same-origin', signal: ac.signal });
      if (!wres.ok) throw await errorFrom(wres);
      const workload = (await wres.json()) as KubeObject & { spec?: { selector?: LabelSelector } };
      const selector = selectorString(workload.spec?.selector);
      if (!selector) throw new ApiError(400, 'BadRequest', `${kind}/${name} has no selector`);
      const base = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`;
      while (!ac.signal.aborted) {
        const lres = await fetch(`${base}?${new URLSearchParams({ labelSelector: selector })}`, { credentials: 'same-origin', signal: ac.signal });
        if (!lres.ok) throw await errorFrom(lres);
        const list = (await lres.json()) as { metadata: { resourceVersion?: string }; items: LogPod[] };
        list.items.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name)).forEach(open);
        initial = false;
        if (!o.follow) {
          // A snapshot: the pods there are now, each log read to its end.
          await Promise.all(reads);
          if (!ac.signal.aborted) h.onDone?.();
          return;
        }
        const q = new URLSearchParams({ labelSelector: selector, watch: '1', resourceVersion: list.metadata.resourceVersion ?? '0', allowWatchBookmarks: 'true' });
        const watchAc = new AbortController();
        const stopWatch = () => watchAc.abort();
        ac.signal.addEventListener('abort', stopWatch, { once: true });
        try {
          await socketStream(
            `${base}?${q}`,
            [],
            (data) => {
              if (typeof data !== 'string') return;
              const ev = JSON.parse(data) as WatchEvt;
              if (ev.type === 'ERROR') watchAc.abort(); // 410 Gone and the like: list again
              else if (ev.type === 'ADDED' || ev.type === 'MODIFIED') open(ev.object as LogPod);
            },
            watchAc.signal,
            async () => {},
          );
        } finally {
          ac.signal.removeEventListener('abort', stopWatch);
        }
        // The watch ended (timeout, 410): list again, without a tight loop.
        await new Promise((r) => setTimeout(r, 500));
      }
    } catch (e) {
      if (!ac.signal.aborted) h.onError?.(e instanceof Error ? e.message : String(e));
    }
  })();

  return { stop: () => ac.abort() };
}
