/**
 * What the kubelet knows about one container of a pod: its current container (running or
 * exited), the one before it (`lastState`), the restart count and the waiting reason, and how that
 * reads as a `containerStatuses[]` entry exactly as upstream writes it.
 */
import type { ContainerLogWriter } from './log-writer';
import type { ContainerProcess, ImageInfo } from '../runtime/types';
import type { TimerHandle } from '../client/clock';
import type { ContainerSpec } from './env';
import type { ContainerProber, ProbeSpec } from './prober';
import { rfc3339 } from './format';

export interface TerminatedInfo {
  containerID: string;
  exitCode: number;
  signal?: number;
  reason: string;
  message?: string;
  startedAt: number;
  finishedAt: number;
  /** Which log file (`<restartCount>.log`) this container wrote. */
  restartCount: number;
}

export interface Attempt {
  id: string;
  startedAt: number;
  restartCount: number;
  process?: ContainerProcess;
  log?: ContainerLogWriter;
  /** Set once the container has exited. */
  terminated?: TerminatedInfo;
  /** Its probes, if the container declares any. */
  prober?: ContainerProber;
  /** `kubectl attach` sessions: the main process's output as it is written. */
  watchers?: Set<(stream: 'stdout' | 'stderr', chunk: string) => void>;
}

export interface VolumeMountSpec {
  name: string;
  mountPath: string;
  readOnly?: boolean;
  subPath?: string;
}

export interface FullContainerSpec extends ContainerSpec {
  imagePullPolicy?: string;
  restartPolicy?: string;
  volumeMounts?: VolumeMountSpec[];
  readinessProbe?: ProbeSpec;
  livenessProbe?: ProbeSpec;
  startupProbe?: ProbeSpec;
  ports?: { name?: string; containerPort?: number; protocol?: 'TCP' | 'UDP' | 'SCTP' }[];
  lifecycle?: { preStop?: { sleep?: { seconds?: number }; exec?: { command?: string[] }; httpGet?: ProbeSpec['httpGet'] } };
  terminationMessagePath?: string;
  terminationMessagePolicy?: string;
  tty?: boolean;
  stdin?: boolean;
  stdinOnce?: boolean;
}

export class ContainerRecord {
  restartCount = 0;
  current?: Attempt;
  previous?: TerminatedInfo;
  /** The waiting reason shown while no container runs (ContainerCreating, CrashLoopBackOff, …). */
  waiting?: { reason: string; message?: string };
  /** The image of the current container. */
  image?: ImageInfo;
  /** A pull, create or start is under way. */
  busy = false;
  /** A timer that will retry (back-off end, pull retry, config retry). */
  retryTimer?: TimerHandle;
  /** The last Killing was sent (graceful termination). */
  stopping = false;
  /** Its definition changed (new image): restart it at once when it has stopped, whatever the policy. */
  changed = false;

  constructor(
    /** Replaced when the pod's image changes (the only mutable part of a container). */
    public spec: FullContainerSpec,
    readonly init: boolean,
    defaultWaiting: string,
  ) {
    this.waiting = { reason: defaultWaiting };
  }

  get name(): string {
    return this.spec.name;
  }

  /** An init container with restartPolicy Always (a sidecar). */
  get sidecar(): boolean {
    return this.init && this.spec.restartPolicy === 'Always';
  }

  get running(): boolean {
    return !!this.current && !this.current.terminated;
  }

  /** Exited and nothing else under way: the last container's end. */
  get exited(): TerminatedInfo | undefined {
    return this.current?.terminated;
  }

  get succeeded(): boolean {
    return !this.running && this.current?.terminated?.exitCode === 0 && !this.busy;
  }

  /** Running and its readiness probe (if any) passed. `now` is unused; kept for a stable call shape. */
  ready(_now?: number): boolean {
    return this.running && (this.current!.prober ? this.current!.prober.ready : true);
  }

  /** Running and its startup probe (if any) passed. */
  get started(): boolean {
    return this.running && (this.current!.prober ? this.current!.prober.started : true);
  }

  fieldPath(): string {
    return `${this.init ? 'spec.initContainers' : 'spec.containers'}{${this.name}}`;
  }
}

function terminatedState(t: TerminatedInfo): Record<string, unknown> {
  const o: Record<string, unknown> = { exitCode: t.exitCode };
  if (t.signal) o.signal = t.signal;
  o.reason = t.reason;
  if (t.message) o.message = t.message;
  o.startedAt = rfc3339(t.startedAt);
  o.finishedAt = rfc3339(t.finishedAt);
  o.containerID = `containerd://${t.containerID}`;
  return o;
}

/** The `containerStatuses[]` / `initContainerStatuses[]` entry. */
export function containerStatus(rec: ContainerRecord, now: number): Record<string, unknown> {
  const cur = rec.current;
  const s: Record<string, unknown> = { name: rec.name };
  let state: Record<string, unknown>;
  let lastState: Record<string, unknown> = {};
  if (rec.waiting && !rec.running) {
    state = { waiting: rec.waiting.message ? { reason: rec.waiting.reason, message: rec.waiting.message } : { reason: rec.waiting.reason } };
    // A dead container waiting for its restart is the last state.
    if (cur?.terminated) lastState = { terminated: terminatedState(cur.terminated) };
    else if (rec.previous) lastState = { terminated: terminatedState(rec.previous) };
  } else if (cur && !cur.terminated) {
    state = { running: { startedAt: rfc3339(cur.startedAt) } };
    if (rec.previous) lastState = { terminated: terminatedState(rec.previous) };
  } else if (cur?.terminated) {
    state = { terminated: terminatedState(cur.terminated) };
    if (rec.previous) lastState = { terminated: terminatedState(rec.previous) };
  } else {
    state = { waiting: { reason: 'ContainerCreating' } };
  }
  s.state = state;
  s.lastState = lastState;
  s.ready = rec.ready(now);
  s.restartCount = rec.restartCount;
  s.image = rec.image?.ref ?? rec.spec.image ?? '';
  s.imageID = cur ? rec.image?.imageID ?? '' : '';
  if (cur) s.containerID = `containerd://${cur.id}`;
  s.started = rec.started;
  if (cur && rec.spec.volumeMounts?.length) {
    s.volumeMounts = rec.spec.volumeMounts.map((m) => (m.readOnly ? { name: m.name, mountPath: m.mountPath, readOnly: true, recursiveReadOnly: 'Disabled' } : { name: m.name, mountPath: m.mountPath }));
  }
  return s;
}
