/**
 * One pod on one node (the kubelet's pod worker + kuberuntime's SyncPod, level-triggered): on
 * every change it looks at the pod and its containers and does what is due — create the sandbox
 * (pod IP), run init containers one by one, then the containers; restart exited ones as the
 * restartPolicy says with the crash-loop back-off; on deletion stop them gracefully (Killing,
 * preStop sleep, SIGTERM, SIGKILL after the grace period), write the terminal status and finish
 * the API deletion. Status is written as one merge patch per settled transition.
 */
import { createHash, randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { KubeObject } from '../api/types';
import { StatusError } from '../api/errors';
import { R, type Clock, type EventRecorder, type KubeClient, type TimerHandle } from '../client';
import type { ContainerExit, ContainerRuntime } from '../runtime/types';
import type { ClusterDnsZone, ClusterNetwork } from '../network/types';
import { PodSandbox, SandboxError, type HostNetworkNamespace } from './sandbox';
import { ContainerRecord, type Attempt, type FullContainerSpec } from './container-record';
import { ContainerConfigError, expandCommand, resolveEnv, type EnvSources } from './env';
import { formatPod, goDuration } from './format';
import type { ImageManager } from './image-manager';
import { pullPolicyOf } from './image-manager';
import type { PodIpAllocator } from './ip-allocator';
import { ContainerLogWriter, containerLogPath, podLogDir } from './log-writer';
import { ContainerProber, runProbe } from './prober';
import { PodVolumeManager, PodVolumes, VolumeSetupError } from './volumes';
import { readLogFile } from './log-reader';
import { computePodStatus, podPhase } from './pod-status';
import type { KeyedBackoff } from './backoff';
import { formatResolvConf, podDnsConfig, podHostsFile, podUtsHostname, type PodDnsSpec } from './pod-dns';

interface PodIdentity {
  hostname: string;
  etcHosts: string;
  resolvConf: string;
}

/** Realistic durations when the cluster is not `--fast`. */
export const CREATE_CONTAINER_MS = 150;
export const START_CONTAINER_MS = 60;
/** ErrImagePull shows until the next sync (the PLEG relists every second), then ImagePullBackOff. */
export const IMAGE_PULL_RESYNC_MS = 1000;
/** A pod whose container config failed is synced again after this long. */
export const CONFIG_RETRY_MS = 10_000;

export interface PodWorkerDeps {
  nodeName: string;
  hostIP: string;
  dataDir: string;
  fast: boolean;
  clock: Clock;
  runtime: ContainerRuntime;
  images: ImageManager;
  ips: PodIpAllocator;
  crashBackoff: KeyedBackoff;
  env: EnvSources;
  /** Sets up pod volumes (absent: containers get no mounts). */
  volumes?: PodVolumeManager;
  /** The configMaps/secrets the pod's written volumes read (`configmap/<ns>/<name>`), once set up. */
  volumeRefs?(uid: string, refs: ReadonlySet<string>): void;
  /** The cluster network (absent: sandboxes get an IP but no network namespace). */
  network?: ClusterNetwork;
  /** The node's own namespace for hostNetwork pods. */
  hostNetwork?: HostNetworkNamespace;
  clusterDns?: ClusterDnsZone;
  client: KubeClient;
  recorder: EventRecorder;
  log(line: string): void;
  /** The worker is done (pod deleted from the API and everything cleaned up). */
  onFinished(uid: string): void;
}

interface PodSpecLike {
  containers?: FullContainerSpec[];
  initContainers?: FullContainerSpec[];
  restartPolicy?: string;
  terminationGracePeriodSeconds?: number;
  hostname?: string;
  nodeName?: string;
  hostNetwork?: boolean;
}

/** FallbackToLogsOnError: the last 80 lines of the log, at most 2048 bytes (kubelet's limits). */
function logTail(lines: { text: string; partial: boolean }[]): string | undefined {
  let text = lines
    .slice(-80)
    .map((l) => l.text + (l.partial ? '' : '\n'))
    .join('');
  const bytes = Buffer.from(text);
  if (bytes.length > 2048) text = bytes.subarray(bytes.length - 2048).toString('utf8');
  return text || undefined;
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function memoryBytes(q: string | undefined): number | undefined {
  if (!q) return undefined;
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(q);
  if (!m) return undefined;
  const mult: Record<string, number> = { Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };
  return Math.round(Number(m[1]) * (m[2] ? mult[m[2]] : 1));
}

export class PodWorker {
  pod: KubeObject;
  readonly uid: string;
  readonly init: ContainerRecord[];
  readonly regular: ContainerRecord[];
  /** The pod IP and network namespace. */
  readonly sb: PodSandbox;
  private startTime?: number;
  private sandbox = false;
  /** Terminal phase reached (Succeeded/Failed): nothing runs any more. */
  private done = false;
  /** Deleted from the API (watch DELETED): tear down without grace. */
  private gone = false;
  private terminating = false;
  /** Containers are being stopped (deletion or deadline). */
  private stoppingAll = false;
  /** Why the kubelet failed the pod (status.reason/message), e.g. DeadlineExceeded. */
  private failure?: { reason: string; message: string };
  private deadlineTimer?: TimerHandle;
  private finalizing = false;
  private finished = false;
  private killTimer?: TimerHandle;
  private killAt = Infinity;
  /** Pending timers (made on the first: a running pod without probes or retries has none). */
  private timers: Set<TimerHandle> | undefined;

  private untrackTimer(t: TimerHandle | undefined): void {
    if (t !== undefined && this.timers?.delete(t) && this.timers.size === 0) this.timers = undefined;
  }
  private volumes?: Promise<PodVolumes>;
  private flushScheduled = false;
  private flushing = false;
  private flushAgain = false;
  private lastSent = '';
  private lastStatus?: Record<string, unknown>;
  private events: Promise<unknown> = Promise.resolve();
  /** DNSConfigForming warnings were reported. */
  private dnsWarned = false;

  constructor(
    pod: KubeObject,
    private readonly d: PodWorkerDeps,
  ) {
    this.pod = pod;
    this.uid = pod.metadata.uid ?? '';
    const spec = (pod.spec ?? {}) as PodSpecLike;
    const hasInit = (spec.initContainers ?? []).length > 0;
    const waiting = hasInit ? 'PodInitializing' : 'ContainerCreating';
    this.init = (spec.initContainers ?? []).map((c) => new ContainerRecord(c, true, waiting));
    this.regular = (spec.containers ?? []).map((c) => new ContainerRecord(c, false, waiting));
    this.lastStatus = (pod.status ?? undefined) as Record<string, unknown> | undefined;
    const m = pod.metadata;
    this.sb = new PodSandbox({ namespace: m.namespace ?? '', name: m.name ?? '', uid: this.uid, nodeName: d.nodeName }, spec.hostNetwork === true, {
      ips: d.ips,
      hostIP: d.hostIP,
      network: d.network,
      hostNetwork: d.hostNetwork,
    });
    this.adopt();
  }

  private get podIP(): string | undefined {
    return this.sb.ip;
  }

  /**
   * Where the kubelet's probes come from: the pod CIDR's gateway (the node's end of the pod's
   * veth, what servers log for `kube-probe` in kind), the node's IP for hostNetwork pods.
   */
  private get probeSource(): string {
    return this.spec.hostNetwork === true ? this.d.hostIP : this.d.ips.cidr.replace(/\.0\/24$/, '.1');
  }

  private get spec(): PodSpecLike {
    return (this.pod.spec ?? {}) as PodSpecLike;
  }

  private get restartPolicy(): string {
    return this.spec.restartPolicy ?? 'Always';
  }

  get records(): ContainerRecord[] {
    return [...this.init, ...this.regular];
  }

  record(name: string): ContainerRecord | undefined {
    return this.records.find((r) => r.name === name);
  }

  /** Picks up what an earlier run of this node reported (kubesim restarted): counts, last states, IP. */
  private adopt(): void {
    const st = (this.pod.status ?? {}) as {
      phase?: string;
      podIP?: string;
      startTime?: string;
      containerStatuses?: Record<string, unknown>[];
      initContainerStatuses?: Record<string, unknown>[];
    };
    if (st.startTime) this.startTime = Date.parse(st.startTime);
    if (st.podIP && this.sb.adopt(st.podIP)) this.sandbox = true;
    const terminalBefore = st.phase === 'Succeeded' || st.phase === 'Failed';
    const load = (recs: ContainerRecord[], statuses: Record<string, unknown>[] | undefined) => {
      for (const s of statuses ?? []) {
        const rec = recs.find((r) => r.name === s.name);
        if (!rec) continue;
        rec.restartCount = typeof s.restartCount === 'number' ? s.restartCount : 0;
        const lookup = this.d.runtime.lookup(rec.spec.image ?? '');
        if (lookup.ok) rec.image = lookup.image;
        const last = (s.lastState as { terminated?: Record<string, unknown> } | undefined)?.terminated;
        if (last) rec.previous = this.terminatedFrom(last, Math.max(0, rec.restartCount - 1));
        const state = (s.state ?? {}) as { running?: { startedAt?: string }; terminated?: Record<string, unknown>; waiting?: unknown };
        const id = typeof s.containerID === 'string' ? s.containerID.replace(/^[a-z]+:\/\//, '') : '';
        const now = this.d.clock.now();
        if (state.terminated) {
          const t = this.terminatedFrom(state.terminated, rec.restartCount);
          rec.current = { id: t.containerID, startedAt: t.startedAt, restartCount: rec.restartCount, terminated: t };
          rec.waiting = undefined;
        } else if (state.running && id) {
          // The container died with the node: it exited with an unknown state.
          const startedAt = Date.parse(state.running.startedAt ?? '') || now;
          rec.current = {
            id,
            startedAt,
            restartCount: rec.restartCount,
            terminated: { containerID: id, exitCode: terminalBefore ? 0 : 255, reason: terminalBefore ? 'Completed' : 'Unknown', startedAt, finishedAt: now, restartCount: rec.restartCount },
          };
          rec.waiting = undefined;
        } else if (rec.previous && id) {
          // Waiting for a restart: the dead container is the one in lastState.
          rec.current = { id: rec.previous.containerID, startedAt: rec.previous.startedAt, restartCount: rec.previous.restartCount, terminated: rec.previous };
          rec.previous = undefined;
          rec.restartCount = Math.max(0, rec.restartCount);
        }
      }
    };
    load(this.init, st.initContainerStatuses);
    load(this.regular, st.containerStatuses);
    if (terminalBefore) {
      this.done = true;
      this.sandbox = false;
      this.sb.release();
    } else if (this.sandbox) {
      // The node restarted under a running pod: its sandbox is new (same IP, fresh namespace), its containers start again.
      try {
        this.sb.attachNetwork();
      } catch (e) {
        this.sandbox = false;
        this.d.log(`kubelet ${this.d.nodeName}: pod ${formatPod(this.pod)}: ${describe(e)}`);
      }
      if (this.records.some((r) => r.current)) this.event('Normal', 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.');
    }
  }

  private terminatedFrom(t: Record<string, unknown>, restartCount: number): NonNullable<Attempt['terminated']> {
    const id = typeof t.containerID === 'string' ? t.containerID.replace(/^[a-z]+:\/\//, '') : '';
    return {
      containerID: id,
      exitCode: typeof t.exitCode === 'number' ? t.exitCode : 0,
      signal: typeof t.signal === 'number' ? t.signal : undefined,
      reason: typeof t.reason === 'string' ? t.reason : '',
      message: typeof t.message === 'string' ? t.message : undefined,
      startedAt: Date.parse(String(t.startedAt ?? '')) || 0,
      finishedAt: Date.parse(String(t.finishedAt ?? '')) || 0,
      restartCount,
    };
  }

  // --- inputs ------------------------------------------------------------------------------

  update(pod: KubeObject): void {
    const before = this.pod.metadata;
    this.pod = pod;
    if (this.volumes && (before.labels !== pod.metadata.labels || before.annotations !== pod.metadata.annotations)) {
      if (JSON.stringify([before.labels, before.annotations]) !== JSON.stringify([pod.metadata.labels, pod.metadata.annotations])) this.refreshVolumes(true);
    }
    if (!this.stoppingAll && !this.done) this.specChanges();
    this.sync();
  }

  /** `kubectl set image` on a pod: the container is stopped and started again with the new image. */
  private specChanges(): void {
    const spec = this.spec;
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
      const rec = this.record(c.name);
      if (!rec || rec.spec.image === c.image) continue;
      rec.spec = c;
      if (rec.retryTimer !== undefined) {
        this.d.clock.clearTimeout(rec.retryTimer);
        this.untrackTimer(rec.retryTimer);
        rec.retryTimer = undefined;
      }
      this.d.crashBackoff.forget(`${this.uid}/${rec.name}`);
      if (!rec.running) continue;
      rec.changed = true;
      this.event('Normal', 'Killing', `Container ${rec.name} definition changed, will be restarted`, rec.fieldPath());
      const proc = rec.current!.process;
      const grace = spec.terminationGracePeriodSeconds ?? 30;
      proc?.signal(grace === 0 ? 'SIGKILL' : 'SIGTERM');
      const t = this.d.clock.setTimeout(() => {
        this.untrackTimer(t);
        if (rec.current?.process === proc) proc?.signal('SIGKILL');
      }, grace * 1000);
      (this.timers ??= new Set()).add(t);
    }
  }

  /** The pod is gone from the API (deleted with grace 0, or by us). */
  deleted(): void {
    this.gone = true;
    this.sync();
  }

  /** Node shutdown: stop every container without touching the API. */
  shutdown(): void {
    this.finished = true;
    this.clearTimers();
    for (const r of this.records) {
      r.current?.prober?.stop();
      r.current?.process?.signal('SIGKILL');
      r.current?.log?.close();
    }
    this.sb.release();
  }

  // --- the sync loop -----------------------------------------------------------------------

  sync(): void {
    if (this.finished) return;
    try {
      this.syncOnce();
    } catch (e) {
      this.d.log(`kubelet ${this.d.nodeName}: pod ${formatPod(this.pod)}: ${describe(e)}`);
    }
  }

  private syncOnce(): void {
    if (this.gone) {
      this.killAll('SIGKILL');
      if (!this.anyAlive()) this.cleanup();
      return;
    }
    if (this.pod.metadata.deletionTimestamp) {
      this.terminate();
      return;
    }
    if (this.done) return;
    if (!this.sandbox) this.createSandbox();
    if (!this.sandbox) return;
    if (this.pastDeadline()) return;

    let initDone = true;
    for (const rec of this.init) {
      if (rec.sidecar) {
        if (!rec.running) {
          this.ensureRunning(rec, 'Always');
          initDone = false;
          break;
        }
        continue;
      }
      if (rec.succeeded) continue;
      initDone = false;
      if (rec.busy || rec.running || rec.retryTimer !== undefined) break;
      const exited = rec.current?.terminated;
      if (exited && this.restartPolicy === 'Never') break;
      this.ensureRunning(rec, 'OnFailure');
      break;
    }
    if (initDone) {
      for (const rec of this.regular) {
        if (rec.busy || rec.running || rec.retryTimer !== undefined) continue;
        this.ensureRunning(rec, this.restartPolicy);
      }
      for (const rec of this.init) if (rec.sidecar && !rec.running && !rec.busy && rec.retryTimer === undefined) this.ensureRunning(rec, 'Always');
    }

    const phase = podPhase(this.restartPolicy, this.init, this.regular, false);
    if ((phase === 'Succeeded' || phase === 'Failed') && !this.anyAlive()) {
      this.done = true;
      this.sandbox = false;
      this.sb.release();
    }
    this.scheduleFlush();
  }

  private createSandbox(): void {
    try {
      this.sb.create();
    } catch (e) {
      if (!(e instanceof SandboxError)) throw e;
      this.event('Warning', 'FailedCreatePodSandBox', e.message);
      this.retry(undefined, CONFIG_RETRY_MS);
      this.scheduleFlush();
      return;
    }
    this.sandbox = true;
    this.startTime ??= this.d.clock.now();
  }

  /** Starts the container unless its restart policy or back-off says otherwise. */
  private ensureRunning(rec: ContainerRecord, policy: string): void {
    const exited = rec.current?.terminated;
    if (!exited) {
      void this.start(rec);
      return;
    }
    if (rec.changed) {
      rec.changed = false;
      void this.start(rec);
      return;
    }
    const restart = policy === 'Always' || (policy === 'OnFailure' && exited.exitCode !== 0);
    if (!restart) return;
    const key = `${this.uid}/${rec.name}`;
    const now = this.d.clock.now();
    if (this.d.crashBackoff.isInBackOffSince(key, exited.finishedAt)) {
      const delay = this.d.crashBackoff.get(key);
      rec.waiting = { reason: 'CrashLoopBackOff', message: `back-off ${goDuration(delay)} restarting failed container=${rec.name} pod=${formatPod(this.pod)}` };
      this.event('Warning', 'BackOff', `Back-off restarting failed container ${rec.name} in pod ${formatPod(this.pod)}`, rec.fieldPath());
      this.retry(rec, exited.finishedAt + delay - now);
      return;
    }
    this.d.crashBackoff.next(key, exited.finishedAt);
    void this.start(rec);
  }

  /** Syncs again after `ms` (the record's retry timer, or the pod's). */
  private retry(rec: ContainerRecord | undefined, ms: number): void {
    if (rec?.retryTimer !== undefined) return;
    const t = this.d.clock.setTimeout(() => {
      this.untrackTimer(t);
      if (rec) rec.retryTimer = undefined;
      this.sync();
    }, Math.max(0, ms));
    (this.timers ??= new Set()).add(t);
    if (rec) rec.retryTimer = t;
  }

  private sleep(ms: number): Promise<void> {
    if (this.d.fast || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const t = this.d.clock.setTimeout(() => {
        this.untrackTimer(t);
        resolve();
      }, ms);
      (this.timers ??= new Set()).add(t);
    });
  }

  private get stopping(): boolean {
    return this.stoppingAll || this.gone || this.finished;
  }

  /** Pull, create, start: one container's way to Running. */
  private async start(rec: ContainerRecord): Promise<void> {
    rec.busy = true;
    try {
      const spec = rec.spec;
      const image = spec.image ?? '';
      // Volumes are mounted before any container of the pod starts (and before its pulls).
      let volumes: PodVolumes;
      try {
        volumes = await this.podVolumes();
      } catch (e) {
        if (!(e instanceof VolumeSetupError)) throw e;
        if (this.stopping) return;
        this.event('Warning', 'FailedMount', e.message);
        this.retry(rec, CONFIG_RETRY_MS);
        return;
      }
      if (this.stopping) return;
      let identity: PodIdentity;
      try {
        identity = this.identity();
      } catch (e) {
        // kuberuntime_sandbox.go: an FQDN that does not fit the kernel's nodename fails the sandbox.
        this.event('Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${describe(e)}`);
        this.retry(rec, CONFIG_RETRY_MS);
        return;
      }
      const pulled = await this.d.images.ensure(image, pullPolicyOf(image, spec.imagePullPolicy), `${this.uid}/${image}`, (type, reason, message) =>
        this.event(type, reason, message, rec.fieldPath()),
      );
      if (this.stopping) return;
      if (!pulled.ok) {
        rec.waiting = { reason: pulled.reason, message: pulled.message };
        this.event('Warning', 'Failed', `Error: ${pulled.reason}`, rec.fieldPath());
        if (pulled.reason === 'ErrImagePull') this.retry(rec, IMAGE_PULL_RESYNC_MS);
        else if (pulled.reason === 'ImagePullBackOff') this.retry(rec, Math.max(IMAGE_PULL_RESYNC_MS, (this.d.images.retryAt(`${this.uid}/${image}`) ?? 0) - this.d.clock.now()));
        else this.retry(rec, CONFIG_RETRY_MS);
        return;
      }
      let env;
      try {
        env = await resolveEnv(
          spec,
          {
            pod: this.pod,
            podIP: this.podIP,
            hostIP: this.d.hostIP,
            containers: [...(this.spec.initContainers ?? []), ...(this.spec.containers ?? [])],
            warn: (reason, message) => this.event('Warning', reason, message),
          },
          this.d.env,
        );
      } catch (e) {
        if (!(e instanceof ContainerConfigError)) throw e;
        if (this.stopping) return;
        rec.waiting = { reason: 'CreateContainerConfigError', message: e.message };
        this.event('Warning', 'Failed', `Error: ${e.message}`, rec.fieldPath());
        this.retry(rec, CONFIG_RETRY_MS);
        return;
      }
      await this.sleep(CREATE_CONTAINER_MS);
      if (this.stopping) return;
      const id = randomBytes(32).toString('hex');
      const restartCount = rec.current ? rec.restartCount + 1 : rec.restartCount;
      const m = this.pod.metadata;
      const log = new ContainerLogWriter(containerLogPath(this.d.dataDir, m.namespace ?? '', m.name ?? '', this.uid, rec.name, restartCount), this.d.clock);
      this.event('Normal', 'Created', `Created container ${rec.name}`, rec.fieldPath());
      await this.sleep(START_CONTAINER_MS);
      if (this.stopping) {
        log.close();
        return;
      }
      const now = this.d.clock.now();
      if (rec.current?.terminated) rec.previous = rec.current.terminated;
      rec.restartCount = restartCount;
      const attempt: Attempt = { id, startedAt: now, restartCount, log };
      rec.current = attempt;
      rec.image = pulled.image;
      rec.waiting = undefined;
      const limits = spec.resources?.limits ?? {};
      attempt.process = this.d.runtime.start({
        id,
        name: rec.name,
        image: pulled.image,
        command: expandCommand(spec.command, env),
        args: expandCommand(spec.args, env),
        env,
        workingDir: spec.workingDir,
        tty: spec.tty === true,
        stdin: spec.stdin === true,
        pod: { namespace: m.namespace ?? '', name: m.name ?? '', uid: this.uid, hostname: identity.hostname, nodeName: this.d.nodeName, podIP: this.podIP },
        etcHosts: identity.etcHosts,
        resolvConf: identity.resolvConf,
        ports: (spec.ports ?? []).filter((p): p is typeof p & { containerPort: number } => typeof p.containerPort === 'number').map((p) => ({ containerPort: p.containerPort, name: p.name, protocol: p.protocol })),
        net: this.sb.net,
        clusterDns: this.d.clusterDns,
        memoryLimitBytes: memoryBytes(limits.memory),
        mounts: volumes.mountsFor(spec, env),
        clock: this.d.clock,
        stdout: (chunk) => {
          log.write('stdout', chunk);
          if (attempt.watchers) for (const w of attempt.watchers) w('stdout', chunk);
        },
        stderr: (chunk) => {
          log.write('stderr', chunk);
          if (attempt.watchers) for (const w of attempt.watchers) w('stderr', chunk);
        },
      });
      void attempt.process.exited.then((exit) => this.exited(rec, attempt, exit));
      if (ContainerProber.needed(spec)) this.startProbes(rec, attempt);
      this.reportStart(rec, attempt, pulled.image.generic && restartCount === 0 ? image : undefined);
    } catch (e) {
      if (!this.stopping) {
        rec.waiting = { reason: 'RunContainerError', message: describe(e) };
        this.event('Warning', 'Failed', `Error: ${describe(e)}`, rec.fieldPath());
        this.retry(rec, CONFIG_RETRY_MS);
      }
    } finally {
      rec.busy = false;
      this.sync();
    }
  }

  /**
   * The pod's hostname, /etc/hosts and /etc/resolv.conf (pod-dns.ts); the resolver limits'
   * `DNSConfigForming` warnings are reported once per pod worker.
   */
  private identity(): PodIdentity {
    const pod = this.pod as PodDnsSpec;
    const dns = podDnsConfig(pod);
    if (!this.dnsWarned) {
      this.dnsWarned = true;
      for (const w of dns.warnings) this.event('Warning', 'DNSConfigForming', w);
    }
    return {
      hostname: podUtsHostname(pod, this.d.nodeName),
      etcHosts: podHostsFile(pod, this.podIP ? [this.podIP] : [], { name: this.d.nodeName, ip: this.d.hostIP }),
      resolvConf: formatResolvConf(dns.config),
    };
  }

  /**
   * `Started`, or — when the runtime could not start the program (it ends at once with StartError
   * or ContainerCannotRun) — `Failed` with the runtime's message, as the kubelet reports a failed
   * StartContainer. Decided after the runtime's first turn.
   */
  private reportStart(rec: ContainerRecord, attempt: Attempt, genericImage: string | undefined): void {
    setImmediate(() => {
      const t = attempt.terminated;
      if (t && (t.reason === 'StartError' || t.reason === 'ContainerCannotRun')) {
        this.event('Warning', 'Failed', `Error: ${t.message ?? t.reason}`, rec.fieldPath());
        return;
      }
      this.event('Normal', 'Started', `Started container ${rec.name}`, rec.fieldPath());
      if (genericImage) {
        const exposed = (rec.image?.exposedPorts ?? []).filter((p) => p.endsWith('/tcp')).map((p) => Number(p.split('/')[0]));
        const ports = [...new Set([...exposed, ...(rec.spec.ports ?? []).map((p) => p.containerPort).filter((p): p is number => typeof p === 'number')])];
        const where = ports.length ? `on its declared ports (${ports.join(', ')})` : 'on its declared ports (none are declared)';
        this.event('Warning', 'GenericImage', `kubesim has no simulation for image "${genericImage}": it runs a generic responder ${where}`, rec.fieldPath());
      }
    });
  }

  private startProbes(rec: ContainerRecord, attempt: Attempt): void {
    const proc = attempt.process!;
    const podIP = this.podIP ?? '';
    attempt.prober = new ContainerProber(rec.spec, {
      clock: this.d.clock,
      containerName: rec.name,
      podIP,
      sourceIP: this.probeSource,
      network: this.d.network,
      ports: rec.spec.ports ?? [],
      process: proc,
      restarts: rec.sidecar || this.restartPolicy !== 'Never',
      podGraceSeconds: this.spec.terminationGracePeriodSeconds ?? 30,
      event: (type, reason, message) => this.event(type, reason, message, rec.fieldPath()),
      changed: () => this.scheduleFlush(),
      kill: (grace) => {
        proc.signal(grace === 0 ? 'SIGKILL' : 'SIGTERM');
        const t = this.d.clock.setTimeout(() => {
          this.untrackTimer(t);
          if (!attempt.terminated) proc.signal('SIGKILL');
        }, grace * 1000);
        (this.timers ??= new Set()).add(t);
      },
    });
    attempt.prober.start();
  }

  /** The pod's volumes, set up once (again after a failure). */
  private podVolumes(): Promise<PodVolumes> {
    if (!this.d.volumes) return Promise.resolve(new PodVolumes());
    if (!this.volumes) {
      const p = this.d.volumes.setUp(this.pod, this.volumeContext());
      this.volumes = p;
      p.then(
        (v) => {
          if (this.volumes === p && !this.finished) this.d.volumeRefs?.(this.uid, v.refs);
        },
        () => {
          if (this.volumes === p) this.volumes = undefined;
        },
      );
    }
    return this.volumes;
  }

  private volumeContext(): { podIP?: string; hostIP: string; now: number } {
    return { podIP: this.podIP, hostIP: this.d.hostIP, now: this.d.clock.now() };
  }

  /**
   * A configMap or secret the pod's volumes show changed (or the pod's labels/annotations, for
   * downwardAPI files): the kubelet's volume sync rewrites the files in place.
   */
  refreshVolumes(onlyDownward = false): void {
    const p = this.volumes;
    if (!p || this.finished) return;
    p.then(
      (v) => (onlyDownward && !v.downward ? undefined : v.refresh(this.pod, this.volumeContext())),
      () => undefined,
    ).catch((e: unknown) => this.d.log(`kubelet ${this.d.nodeName}: refreshing volumes of ${formatPod(this.pod)}: ${describe(e)}`));
  }

  private exited(rec: ContainerRecord, attempt: Attempt, exit: ContainerExit): void {
    const now = this.d.clock.now();
    attempt.prober?.stop();
    // containerd reports no signal for killed containers, only the 128+n exit code.
    attempt.terminated = {
      containerID: attempt.id,
      exitCode: exit.exitCode,
      reason: exit.reason ?? (exit.exitCode === 0 ? 'Completed' : 'Error'),
      message: exit.message,
      startedAt: attempt.startedAt,
      finishedAt: Math.max(now, attempt.startedAt),
      restartCount: attempt.restartCount,
    };
    attempt.log?.close();
    if (!attempt.terminated.message && exit.exitCode !== 0 && rec.spec.terminationMessagePolicy === 'FallbackToLogsOnError' && attempt.log) {
      attempt.terminated.message = logTail(readLogFile(attempt.log.path));
    }
    attempt.process = undefined;
    this.sync();
  }

  // --- termination -------------------------------------------------------------------------

  private anyAlive(): boolean {
    return this.records.some((r) => r.running || r.busy);
  }

  private killAll(sig: 'SIGTERM' | 'SIGKILL'): void {
    for (const r of this.records) if (r.running) r.current!.process?.signal(sig);
  }

  private clearTimers(): void {
    for (const t of this.timers ?? []) this.d.clock.clearTimeout(t);
    this.timers = undefined;
    for (const r of this.records) r.retryTimer = undefined;
    if (this.killTimer !== undefined) this.d.clock.clearTimeout(this.killTimer);
    this.killTimer = undefined;
  }

  private graceSeconds(): number {
    const g = this.pod.metadata.deletionGracePeriodSeconds ?? this.spec.terminationGracePeriodSeconds ?? 30;
    return Math.max(0, g);
  }

  /**
   * Stops the running containers: Killing, the preStop sleep, SIGTERM, then SIGKILL after `grace`
   * seconds (called again with a shorter grace, the SIGKILL comes earlier).
   */
  private stopContainers(grace: number): void {
    const now = this.d.clock.now();
    if (!this.stoppingAll) {
      this.stoppingAll = true;
      for (const r of this.records) r.current?.prober?.stop();
      for (const t of this.timers ?? []) this.d.clock.clearTimeout(t);
      this.timers = undefined;
      for (const r of this.records) r.retryTimer = undefined;
      // Containers first, then sidecars (init containers with restartPolicy Always), as upstream.
      for (const r of [...this.regular, ...this.init]) {
        if (!r.running || r.stopping) continue;
        r.stopping = true;
        this.event('Normal', 'Killing', `Stopping container ${r.name}`, r.fieldPath());
        const preStop = r.spec.lifecycle?.preStop;
        const preStopSleep = preStop?.sleep?.seconds ?? 0;
        const proc = r.current!.process;
        if (grace === 0) proc?.signal('SIGKILL');
        else if (preStopSleep > 0) {
          const t = this.d.clock.setTimeout(() => proc?.signal('SIGTERM'), Math.min(preStopSleep, grace) * 1000);
          (this.timers ??= new Set()).add(t);
        } else if (proc && (preStop?.exec || preStop?.httpGet)) {
          // The hook runs first (bounded by the grace period: the SIGKILL timer below), then SIGTERM.
          void this.runPreStop(r, proc).then(() => proc.signal('SIGTERM'));
        } else proc?.signal('SIGTERM');
      }
    }
    const deadline = now + grace * 1000;
    if (this.anyAlive() && deadline < this.killAt) {
      if (this.killTimer !== undefined) this.d.clock.clearTimeout(this.killTimer);
      this.killAt = deadline;
      this.killTimer = this.d.clock.setTimeout(() => {
        this.killTimer = undefined;
        this.killAll('SIGKILL');
      }, grace * 1000);
    }
  }

  /** A preStop exec or httpGet hook; a failure is a FailedPreStopHook event, then the stop goes on. */
  private async runPreStop(r: ContainerRecord, proc: NonNullable<Attempt['process']>): Promise<void> {
    const hook = r.spec.lifecycle!.preStop!;
    const spec = hook.exec ? { exec: hook.exec, timeoutSeconds: this.graceSeconds() } : { httpGet: hook.httpGet, timeoutSeconds: this.graceSeconds() };
    try {
      const res = await runProbe(spec, {
        clock: this.d.clock,
        containerName: r.name,
        podIP: this.podIP,
        sourceIP: this.probeSource,
        network: this.d.network,
        ports: r.spec.ports ?? [],
        process: proc,
        restarts: false,
        podGraceSeconds: this.graceSeconds(),
        event: () => {},
        changed: () => {},
        kill: () => {},
      });
      if (!res.ok) {
        const what = hook.exec ? `Exec lifecycle hook (${JSON.stringify(hook.exec.command ?? [])}) for Container "${r.name}" in Pod "${formatPod(this.pod)}" failed - error: command '${(hook.exec.command ?? []).join(' ')}' exited with non-zero code, message: "${res.output}"` : `HTTP lifecycle hook (${hook.httpGet?.path ?? '/'}) for Container "${r.name}" in Pod "${formatPod(this.pod)}" failed - error: ${res.output}`;
        this.event('Warning', 'FailedPreStopHook', what, r.fieldPath());
      }
    } catch (e) {
      this.event('Warning', 'FailedPreStopHook', `PreStopHook failed: ${describe(e)}`, r.fieldPath());
    }
  }

  private terminate(): void {
    this.terminating = true;
    this.stopContainers(this.graceSeconds());
    if (this.anyAlive() || this.finalizing) return;
    this.finalizing = true;
    void this.finishDeletion();
  }

  /** spec.activeDeadlineSeconds: true once the pod is past it (its containers are being stopped). */
  private pastDeadline(): boolean {
    const ads = (this.spec as { activeDeadlineSeconds?: number }).activeDeadlineSeconds;
    if (typeof ads !== 'number' || this.startTime === undefined) return false;
    const left = this.startTime + ads * 1000 - this.d.clock.now();
    if (left > 0 && !this.failure) {
      if (this.deadlineTimer === undefined) {
        const t = this.d.clock.setTimeout(() => {
          this.untrackTimer(t);
          this.deadlineTimer = undefined;
          this.sync();
        }, left);
        (this.timers ??= new Set()).add(t);
        this.deadlineTimer = t;
      }
      return false;
    }
    if (!this.failure) {
      this.failure = { reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' };
      this.event('Warning', 'DeadlineExceeded', this.failure.message);
    }
    this.stopContainers(this.spec.terminationGracePeriodSeconds ?? 30);
    if (!this.anyAlive()) {
      this.done = true;
      this.sandbox = false;
      this.sb.release();
    }
    this.scheduleFlush();
    return true;
  }

  /** All containers stopped: the terminal status, then the API deletion (grace 0, this pod's uid). */
  private async finishDeletion(): Promise<void> {
    if (this.killTimer !== undefined) this.d.clock.clearTimeout(this.killTimer);
    this.killTimer = undefined;
    this.sandbox = false;
    this.done = true;
    this.sb.release();
    const m = this.pod.metadata;
    try {
      await this.flush();
      await this.d.client.delete(R.pods, m.namespace, m.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid: this.uid } });
    } catch (e) {
      // Already gone, or a new pod took the name: nothing left to delete.
      if (!(e instanceof StatusError && (e.code === 404 || e.code === 409))) this.d.log(`kubelet ${this.d.nodeName}: deleting pod ${formatPod(this.pod)}: ${describe(e)}`);
    }
  }

  private cleanup(): void {
    if (this.finished) return;
    this.finished = true;
    this.clearTimers();
    for (const r of this.records) {
      r.current?.prober?.stop();
      r.current?.log?.close();
    }
    this.sb.release();
    this.d.images.forgetPod(this.uid);
    this.d.crashBackoff.forgetPrefix(`${this.uid}/`);
    const m = this.pod.metadata;
    try {
      rmSync(podLogDir(this.d.dataDir, m.namespace ?? '', m.name ?? '', this.uid), { recursive: true, force: true });
    } catch (e) {
      this.d.log(`kubelet ${this.d.nodeName}: removing logs of ${formatPod(this.pod)}: ${describe(e)}`);
    }
    this.d.onFinished(this.uid);
  }

  // --- status and events -------------------------------------------------------------------

  /** The status this worker reports now. */
  status(): Record<string, unknown> {
    return computePodStatus({
      restartPolicy: this.restartPolicy,
      init: this.init,
      regular: this.regular,
      hostIP: this.d.hostIP,
      podIP: this.podIP,
      startTime: this.startTime,
      sandboxReady: this.sandbox,
      terminal: this.done,
      failure: this.failure,
      previous: this.lastStatus,
      now: this.d.clock.now(),
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.gone || this.finished) return;
    this.flushScheduled = true;
    // After the current burst of work (a fast start settles within a few microtasks): one patch.
    setImmediate(() => {
      this.flushScheduled = false;
      void this.flush();
    });
  }

  /** Writes the status if it changed since the last write (one at a time). */
  async flush(): Promise<void> {
    if (this.gone || this.finished) return;
    if (this.flushing) {
      this.flushAgain = true;
      return this.flushDone;
    }
    this.flushing = true;
    let resolve!: () => void;
    this.flushDone = new Promise((r) => (resolve = r));
    try {
      do {
        this.flushAgain = false;
        const status = this.status();
        // A digest, not the text: what was sent is remembered in 20 bytes per pod.
        const text = createHash('sha1').update(JSON.stringify(status)).digest('base64');
        if (text === this.lastSent) continue;
        const m = this.pod.metadata;
        try {
          await this.d.client.patchStatus(R.pods, m.namespace, m.name ?? '', { status });
          this.lastSent = text;
          // Only what the next status needs (condition times, qosClass), not the whole object.
          this.lastStatus = {
            qosClass: status.qosClass,
            conditions: (status.conditions as { type: string; status: string; lastTransitionTime: string }[]).map((c) => ({ type: c.type, status: c.status, lastTransitionTime: c.lastTransitionTime })),
          };
        } catch (e) {
          if (e instanceof StatusError && e.code === 404) break;
          this.d.log(`kubelet ${this.d.nodeName}: status of ${formatPod(this.pod)}: ${describe(e)}`);
        }
      } while (this.flushAgain && !this.gone);
    } finally {
      this.flushing = false;
      resolve();
    }
  }
  private flushDone: Promise<void> = Promise.resolve();

  /** Records a pod event (in order per pod; failures only logged). */
  private event(type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string): void {
    const pod = this.pod;
    // The chain holds nothing once written (not the Event: ten thousand pods would keep theirs).
    this.events = this.events
      .then(() => this.d.recorder.record({ regarding: pod, fieldPath, type, reason, message }))
      .then(
        () => undefined,
        (e: unknown) => this.d.log(`kubelet ${this.d.nodeName}: event ${reason} for ${formatPod(pod)}: ${describe(e)}`),
      );
  }

  /** Resolves once the events recorded so far are written (tests). */
  eventsWritten(): Promise<unknown> {
    return this.events;
  }
}
