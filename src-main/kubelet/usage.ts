/**
 * What a node's kubelet reports as resource usage (its `/metrics/resource`, for metrics-server):
 * every running container's cumulative CPU and working set, and the node's own totals.
 *
 * The runtime counts what programs do (memory they hold, CPU while busy or serving requests); an
 * idle program would read as zero there, while a real one never quite does. So each container
 * also gets its image family's idle profile (below): a little CPU at start-up, an idle rate, and
 * a floor for the working set. The node adds a system share (kubelet, containerd, system daemons;
 * on the control plane also etcd and the control-plane components, which kind runs as static
 * pods that are not simulated here). CPU readings wobble by up to ±25 % per 15 s bucket (the node's
memory by ±1 %), derived from
 * the container ID and the time, so they look alive but tests stay deterministic.
 *
 * Cumulative CPU is integrated here, at sampling time, from the rates then current unless the
 * runtime reports its own cumulative counter. Nothing runs between samples: no timers at all.
 */
import type { Clock } from '../client/clock';
import type { ContainerUsage, NodeUsage, PodUsage } from '../apiserver/node-connections';
import type { ContainerProcess } from '../runtime/types';

const MI = 1024 * 1024;
const PAGE = 4096;
/** 1 millicore for 1 ms, in core-nanoseconds. */
const MC_MS = 1_000;

/** How an idle container of an image family uses resources. */
export interface IdleProfile {
  /** CPU while idle, millicores (fractions allowed: 0.2 m is a process waking a few times a second). */
  idleMillicores: number;
  /** CPU spent starting up, ms of one core. */
  startupCpuMs: number;
  /** Least working set, bytes (the runtime's own count wins when larger). */
  memoryFloorBytes: number;
}

/**
 * Per image family (the last path segment of the repository, tag removed). Values are what
 * `kubectl top` shows for these images idling on a kind cluster, rounded.
 */
export const IDLE_PROFILES: Record<string, IdleProfile> = {
  // shells and `sleep`: nothing at all while idle (kubectl top shows 0m)
  busybox: { idleMillicores: 0, startupCpuMs: 3, memoryFloorBytes: 0 },
  alpine: { idleMillicores: 0, startupCpuMs: 3, memoryFloorBytes: 0 },
  debian: { idleMillicores: 0, startupCpuMs: 5, memoryFloorBytes: 0 },
  ubuntu: { idleMillicores: 0, startupCpuMs: 5, memoryFloorBytes: 0 },
  pause: { idleMillicores: 0, startupCpuMs: 1, memoryFloorBytes: 0 },
  // nginx master + workers asleep in epoll
  nginx: { idleMillicores: 0.2, startupCpuMs: 25, memoryFloorBytes: 3 * MI },
  'kubernetes-tutorial-frontend': { idleMillicores: 0.2, startupCpuMs: 25, memoryFloorBytes: 3 * MI },
  httpd: { idleMillicores: 0.5, startupCpuMs: 40, memoryFloorBytes: 5 * MI },
  // redis' serverCron runs 10 times a second
  redis: { idleMillicores: 1.5, startupCpuMs: 15, memoryFloorBytes: 3 * MI },
  // Node.js apps
  kubia: { idleMillicores: 0.6, startupCpuMs: 300, memoryFloorBytes: 10 * MI },
  'kubia-unhealthy': { idleMillicores: 0.6, startupCpuMs: 300, memoryFloorBytes: 10 * MI },
  'getting-started': { idleMillicores: 0.6, startupCpuMs: 300, memoryFloorBytes: 10 * MI },
  // Go servers
  'kubernetes-tutorial-backend': { idleMillicores: 0.4, startupCpuMs: 20, memoryFloorBytes: 5 * MI },
  'hello-app': { idleMillicores: 0.1, startupCpuMs: 10, memoryFloorBytes: 3 * MI },
  echoserver: { idleMillicores: 0.3, startupCpuMs: 20, memoryFloorBytes: 3 * MI },
  agnhost: { idleMillicores: 0.3, startupCpuMs: 20, memoryFloorBytes: 5 * MI },
  coredns: { idleMillicores: 2, startupCpuMs: 150, memoryFloorBytes: 12 * MI },
  // the runtime sets stress' CPU and memory itself
  stress: { idleMillicores: 0, startupCpuMs: 2, memoryFloorBytes: 0 },
};

/** Images without a profile: a small server process. */
export const DEFAULT_IDLE_PROFILE: IdleProfile = { idleMillicores: 0.3, startupCpuMs: 20, memoryFloorBytes: 2 * MI };

/** The node's own share: kubelet, containerd, systemd; on the control plane also etcd and the control-plane components. */
export const SYSTEM_USAGE = {
  controlPlane: { millicores: 100, memoryBytes: 500 * MI, bootCpuMs: 20_000 },
  worker: { millicores: 30, memoryBytes: 250 * MI, bootCpuMs: 5_000 },
} as const;

/** `docker.io/library/nginx:1.25` → `nginx`; `registry.k8s.io/coredns/coredns@sha256:…` → `coredns`. */
export function imageFamily(ref: string): string {
  const noDigest = ref.split('@')[0];
  const last = noDigest.slice(noDigest.lastIndexOf('/') + 1);
  const colon = last.indexOf(':');
  return colon >= 0 ? last.slice(0, colon) : last;
}

export function idleProfile(ref: string | undefined): IdleProfile {
  return (ref && IDLE_PROFILES[imageFamily(ref)]) || DEFAULT_IDLE_PROFILE;
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h;
}

/** A factor in [0.75, 1.25) for this container and 15 s bucket of time. */
export function wobble(seed: number, now: number): number {
  let x = (seed ^ Math.imul(Math.floor(now / 15_000) + 1, 2654435761)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b) >>> 0;
  x = (x ^ (x >>> 16)) >>> 0;
  return 0.75 + (x / 2 ** 32) * 0.5;
}

function pages(bytes: number): number {
  return Math.ceil(bytes / PAGE) * PAGE;
}

/** The parts of a pod worker the meter reads (PodWorker has them). */
export interface UsagePod {
  readonly uid: string;
  readonly pod: { metadata: { name?: string; namespace?: string } };
  readonly records: readonly UsageContainer[];
}

export interface UsageContainer {
  readonly name: string;
  readonly running: boolean;
  readonly image?: { ref: string };
  readonly current?: { id: string; startedAt: number; process?: ContainerProcess };
}

interface ContainerState {
  at: number;
  seed: number;
  profile: IdleProfile;
  /** Baseline CPU so far (start-up + idle), core-ns. */
  baseCpu: number;
  /** CPU the runtime reported, integrated here when it has no counter of its own, core-ns. */
  runCpu: number;
  /** Total cumulative CPU in the node's last sample (what the node has already counted). */
  counted: number;
}

/** One node's usage meter: call `sample()` whenever usage is asked for. */
export class NodeUsageMeter {
  private readonly containers = new WeakMap<ContainerProcess, ContainerState>();
  private readonly system: { millicores: number; memoryBytes: number; bootCpuMs: number };
  private readonly seed: number;
  private readonly startTime: number;
  private at: number;
  private cpu: number;

  constructor(
    nodeName: string,
    controlPlane: boolean,
    private readonly clock: Clock,
  ) {
    this.system = controlPlane ? SYSTEM_USAGE.controlPlane : SYSTEM_USAGE.worker;
    this.seed = hash(nodeName);
    this.startTime = clock.now();
    this.at = this.startTime;
    this.cpu = this.system.bootCpuMs * 1e6;
  }

  sample(pods: Iterable<UsagePod>): NodeUsage {
    const now = this.clock.now();
    const w = wobble(this.seed, now);
    const systemRate = this.system.millicores * w;
    let cpu = this.cpu + Math.max(0, now - this.at) * systemRate * MC_MS;
    let rate = systemRate;
    // the system's working set moves a little too (±1 %)
    let memory = this.system.memoryBytes * (1 + (w - 1) * 0.04);
    const out: PodUsage[] = [];
    for (const w of pods) {
      let containers: ContainerUsage[] | undefined;
      for (const rec of w.records) {
        const cur = rec.current;
        const proc = cur?.process;
        if (!rec.running || !cur || !proc) continue;
        const c = this.container(rec.name, rec.image?.ref, cur.id, cur.startedAt, proc, now);
        const st = this.containers.get(proc)!;
        cpu += c.cpuCoreNanoseconds - st.counted;
        st.counted = c.cpuCoreNanoseconds;
        rate += c.cpuMillicores;
        memory += c.memoryBytes;
        (containers ??= []).push(c);
      }
      if (containers) out.push({ namespace: w.pod.metadata.namespace ?? '', name: w.pod.metadata.name ?? '', uid: w.uid, containers });
    }
    this.cpu = cpu;
    this.at = now;
    return { timestamp: now, startTime: this.startTime, cpuCoreNanoseconds: Math.floor(cpu), cpuMillicores: rate, memoryBytes: pages(memory), pods: out };
  }

  private container(name: string, ref: string | undefined, id: string, startedAt: number, proc: ContainerProcess, now: number): ContainerUsage {
    let st = this.containers.get(proc);
    if (!st) {
      const profile = idleProfile(ref);
      st = { at: startedAt, seed: hash(id), profile, baseCpu: profile.startupCpuMs * 1e6, runCpu: 0, counted: 0 };
      this.containers.set(proc, st);
    }
    const profile = st.profile;
    const dt = Math.max(0, now - st.at);
    const idle = profile.idleMillicores * wobble(st.seed, now);
    const u = (proc.usage?.() ?? { cpuMillicores: 0, memoryBytes: 0 }) as { cpuMillicores: number; memoryBytes: number; cpuCoreNanoseconds?: number };
    st.baseCpu += idle * dt * MC_MS;
    if (typeof u.cpuCoreNanoseconds === 'number') st.runCpu = Math.max(st.runCpu, u.cpuCoreNanoseconds);
    else st.runCpu += Math.max(0, u.cpuMillicores) * dt * MC_MS;
    st.at = now;
    return {
      name,
      cpuCoreNanoseconds: Math.floor(st.baseCpu + st.runCpu),
      cpuMillicores: idle + Math.max(0, u.cpuMillicores),
      memoryBytes: pages(Math.max(u.memoryBytes, profile.memoryFloorBytes)),
      startedAt,
    };
  }
}

const meters = new WeakMap<object, NodeUsageMeter>();

/** The usage of a kubelet's node and running containers (Kubelet.usage() delegates here). */
export function kubeletUsage(kubelet: object, node: { name: string; controlPlane: boolean }, clock: Clock, pods: Iterable<UsagePod>): NodeUsage {
  let m = meters.get(kubelet);
  if (!m) {
    m = new NodeUsageMeter(node.name, node.controlPlane, clock);
    meters.set(kubelet, m);
  }
  return m.sample(pods);
}
