/**
 * The cluster map's model (pure, unit-tested): pods from the pods Table (kubectl's columns and
 * the objects' metadata — no pod specs kept), and the three ways the map groups them: nodes → pods
 * (with a Pending lane), services → endpoints → pods, deployments → replicasets → pods (and other
 * controllers → pods). Big groups show their first pods and a count of the rest.
 */
import type { Item } from '../../api/kube';
import type { KubeObject, TableColumnDefinition } from '../../api/types';
import { statusTone, type Tone } from '../../util/status';

export interface OwnerRef {
  kind: string;
  name: string;
  uid: string;
}

export interface PodInfo {
  /** `namespace/name` */
  key: string;
  uid: string;
  name: string;
  namespace: string;
  /** The node it is bound to; '' when not scheduled. */
  node: string;
  /** kubectl's STATUS (Running, ContainerCreating, CrashLoopBackOff, Completed, …). */
  status: string;
  /** kubectl's READY (`1/2`). */
  ready: string;
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  tone: Tone;
  owner?: OwnerRef;
  labels: Record<string, string>;
  created: number;
}

/** Where the STATUS, READY and NODE cells are in a pods Table. */
export interface PodColumns {
  status: number;
  ready: number;
  node: number;
}

export function podColumns(cols: readonly TableColumnDefinition[]): PodColumns {
  const at = (name: string, fallback: number) => {
    const i = cols.findIndex((c) => c.name.toLowerCase() === name);
    return i >= 0 ? i : fallback;
  };
  return { status: at('status', 2), ready: at('ready', 1), node: at('node', 6) };
}

/** Statuses kubectl prints while the pod's phase is still Pending (nothing started yet). */
const PENDING = new Set(['Pending', 'ContainerCreating', 'PodInitializing', 'ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull', 'CreateContainerConfigError', 'CreateContainerError', 'SchedulingGated']);

/**
 * The pod's phase from its Table row: terminal pods carry a `Completed` row condition (reason
 * Succeeded or Failed, as kube-apiserver's printer sets it); otherwise STATUS and NODE tell
 * Pending (unscheduled, pulling, creating, init) from Running.
 */
export function podPhase(status: string, node: string, conditions?: readonly { type: string; status: string; reason?: string }[]): PodInfo['phase'] {
  const done = conditions?.find((c) => c.type === 'Completed' && c.status === 'True');
  if (done) return done.reason === 'Failed' ? 'Failed' : 'Succeeded';
  if (status === 'Succeeded' || (!conditions && status === 'Completed')) return 'Succeeded';
  if (status === 'Failed' || status === 'Evicted') return 'Failed';
  if (status === 'Unknown') return 'Unknown';
  if (!node || PENDING.has(status) || status.startsWith('Init:')) return 'Pending';
  return 'Running';
}

/** The map's colour: the STATUS's tone, but a Running pod that is not ready is a warning. */
export function podTone(status: string, ready: string): Tone {
  const t = statusTone(status);
  if (t === 'ok' && status === 'Running') {
    const [r, n] = ready.split('/').map(Number);
    if (Number.isFinite(r) && Number.isFinite(n) && r < n) return 'warn';
  }
  return t === 'neutral' ? 'warn' : t;
}

function controllerOf(o: KubeObject): OwnerRef | undefined {
  const refs = o.metadata.ownerReferences;
  const c = refs?.find((r) => r.controller) ?? refs?.[0];
  return c ? { kind: c.kind, name: c.name, uid: c.uid } : undefined;
}

const cell = (cells: readonly unknown[] | undefined, i: number): string => {
  const v = cells?.[i];
  return v === undefined || v === null ? '' : String(v);
};

export function podInfo(it: Item, cols: PodColumns): PodInfo {
  const m = it.object.metadata;
  const status = cell(it.cells, cols.status) || 'Pending';
  const nodeCell = cell(it.cells, cols.node);
  const node = nodeCell === '<none>' ? '' : nodeCell;
  const ready = cell(it.cells, cols.ready);
  const created = m.creationTimestamp ? Date.parse(m.creationTimestamp) : 0;
  return {
    key: `${m.namespace ?? ''}/${m.name}`,
    uid: m.uid ?? `${m.namespace ?? ''}/${m.name}`,
    name: m.name,
    namespace: m.namespace ?? '',
    node,
    status,
    ready,
    phase: podPhase(status, node, it.conditions),
    tone: podTone(status, ready),
    owner: controllerOf(it.object),
    labels: m.labels ?? {},
    created: Number.isNaN(created) ? 0 : created,
  };
}

export function phaseCounts(pods: readonly PodInfo[]): Record<PodInfo['phase'], number> {
  const out = { Running: 0, Pending: 0, Succeeded: 0, Failed: 0, Unknown: 0 };
  for (const p of pods) out[p.phase]++;
  return out;
}

/** Pods in a stable order (oldest first, then by name): new pods join at the end. */
export function byAge(a: PodInfo, b: PodInfo): number {
  return a.created - b.created || a.key.localeCompare(b.key);
}

/** A group's pods to draw (at most `max`) and how many more there are. */
export interface Dots {
  shown: PodInfo[];
  more: number;
  total: number;
  /** Per tone, over all pods of the group (not only those shown). */
  tones: Record<Tone, number>;
}

export function dots(pods: readonly PodInfo[], max: number): Dots {
  const sorted = [...pods].sort(byAge);
  const tones: Record<Tone, number> = { ok: 0, warn: 0, bad: 0, muted: 0, neutral: 0 };
  for (const p of pods) tones[p.tone]++;
  return { shown: sorted.slice(0, max), more: Math.max(0, sorted.length - max), total: sorted.length, tones };
}

// ---- nodes → pods

export interface NodeLike {
  name: string;
  ready: boolean;
  roles: string;
}

export interface NodeGroup {
  name: string;
  /** A node that exists (false: pods bound to a node the cluster does not have). */
  known: boolean;
  ready: boolean;
  roles: string;
  pods: PodInfo[];
}

export interface NodeLayout {
  nodes: NodeGroup[];
  /** Not scheduled yet (and not finished). */
  pending: PodInfo[];
}

export function byNode(nodes: readonly NodeLike[], pods: readonly PodInfo[]): NodeLayout {
  const groups = new Map<string, NodeGroup>();
  for (const n of [...nodes].sort((a, b) => a.name.localeCompare(b.name))) groups.set(n.name, { name: n.name, known: true, ready: n.ready, roles: n.roles, pods: [] });
  const pending: PodInfo[] = [];
  for (const p of pods) {
    if (!p.node) {
      if (p.phase !== 'Succeeded' && p.phase !== 'Failed') pending.push(p);
      continue;
    }
    let g = groups.get(p.node);
    if (!g) {
      g = { name: p.node, known: false, ready: false, roles: '', pods: [] };
      groups.set(p.node, g);
    }
    g.pods.push(p);
  }
  return { nodes: [...groups.values()], pending };
}

// ---- services → endpoints → pods

export interface ServiceLike extends KubeObject {
  spec?: { type?: string; clusterIP?: string; selector?: Record<string, string>; ports?: { port: number; protocol?: string; targetPort?: number | string }[] };
}

export interface EndpointsLike extends KubeObject {
  subsets?: {
    addresses?: { ip: string; targetRef?: { kind?: string; name?: string; namespace?: string } }[];
    notReadyAddresses?: { ip: string; targetRef?: { kind?: string; name?: string; namespace?: string } }[];
    ports?: { port: number }[];
  }[];
}

export interface Endpoint {
  ip: string;
  ready: boolean;
  pod?: PodInfo;
  /** The target's name when it is not a pod we know. */
  target?: string;
}

export interface ServiceGroup {
  key: string;
  name: string;
  namespace: string;
  type: string;
  clusterIP: string;
  ports: string;
  selector: string;
  /** Whether an Endpoints object exists for it. */
  hasEndpoints: boolean;
  endpoints: Endpoint[];
  ready: number;
}

export function byService(services: readonly ServiceLike[], endpoints: readonly EndpointsLike[], pods: readonly PodInfo[]): ServiceGroup[] {
  const podByKey = new Map(pods.map((p) => [p.key, p]));
  const epByKey = new Map(endpoints.map((e) => [`${e.metadata.namespace ?? ''}/${e.metadata.name}`, e]));
  return services
    .map((s) => {
      const key = `${s.metadata.namespace ?? ''}/${s.metadata.name}`;
      const ep = epByKey.get(key);
      const list: Endpoint[] = [];
      const seen = new Set<string>();
      for (const ss of ep?.subsets ?? []) {
        for (const [addrs, ready] of [
          [ss.addresses, true],
          [ss.notReadyAddresses, false],
        ] as const) {
          for (const a of addrs ?? []) {
            const t = a.targetRef;
            const podKey = t?.kind === 'Pod' ? `${t.namespace ?? s.metadata.namespace ?? ''}/${t.name}` : undefined;
            const id = podKey ?? a.ip;
            if (seen.has(id)) continue; // one pod, several port subsets
            seen.add(id);
            list.push({ ip: a.ip, ready, pod: podKey ? podByKey.get(podKey) : undefined, target: t?.name });
          }
        }
      }
      const sel = s.spec?.selector ?? {};
      return {
        key,
        name: s.metadata.name,
        namespace: s.metadata.namespace ?? '',
        type: s.spec?.type ?? 'ClusterIP',
        clusterIP: s.spec?.clusterIP ?? '',
        ports: (s.spec?.ports ?? []).map((p) => `${p.port}/${p.protocol ?? 'TCP'}`).join(', '),
        selector: Object.entries(sel)
          .map(([k, v]) => `${k}=${v}`)
          .join(','),
        hasEndpoints: !!ep,
        endpoints: list,
        ready: list.filter((e) => e.ready).length,
      };
    })
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

// ---- deployments → replicasets → pods (and other controllers → pods)

export interface DeploymentLike extends KubeObject {
  spec?: { replicas?: number };
  status?: { replicas?: number; readyReplicas?: number; availableReplicas?: number; updatedReplicas?: number };
}

export interface ReplicaSetLike extends KubeObject {
  spec?: { replicas?: number };
  status?: { replicas?: number; readyReplicas?: number };
}

export interface RsGroup {
  name: string;
  namespace: string;
  revision: string;
  desired: number;
  ready: number;
  pods: PodInfo[];
}

export interface WorkloadGroup {
  key: string;
  /** Deployment, StatefulSet, DaemonSet, Job, ReplicaSet (without a Deployment), … or "Pod" for bare pods. */
  kind: string;
  name: string;
  namespace: string;
  desired?: number;
  ready?: number;
  /** Deployments: their ReplicaSets, newest revision first (empty old ones left out). */
  replicaSets: RsGroup[];
  /** Old ReplicaSets scaled to 0 and without pods. */
  oldReplicaSets: number;
  /** Pods owned directly (StatefulSets, DaemonSets, Jobs, bare pods). */
  pods: PodInfo[];
}

const revisionOf = (o: KubeObject): string => o.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? '';

export function byWorkload(deployments: readonly DeploymentLike[], replicaSets: readonly ReplicaSetLike[], pods: readonly PodInfo[]): WorkloadGroup[] {
  const groups = new Map<string, WorkloadGroup>();
  const depByUid = new Map<string, WorkloadGroup>();
  for (const d of deployments) {
    const g: WorkloadGroup = { key: `Deployment/${d.metadata.namespace}/${d.metadata.name}`, kind: 'Deployment', name: d.metadata.name, namespace: d.metadata.namespace ?? '', desired: d.spec?.replicas ?? 1, ready: d.status?.readyReplicas ?? 0, replicaSets: [], oldReplicaSets: 0, pods: [] };
    groups.set(g.key, g);
    if (d.metadata.uid) depByUid.set(d.metadata.uid, g);
  }
  const rsByUid = new Map<string, { rs: RsGroup; dep?: WorkloadGroup; obj: ReplicaSetLike }>();
  for (const r of replicaSets) {
    const owner = controllerOf(r);
    const dep = owner?.kind === 'Deployment' ? depByUid.get(owner.uid) : undefined;
    const rs: RsGroup = { name: r.metadata.name, namespace: r.metadata.namespace ?? '', revision: revisionOf(r), desired: r.spec?.replicas ?? 0, ready: r.status?.readyReplicas ?? 0, pods: [] };
    if (r.metadata.uid) rsByUid.set(r.metadata.uid, { rs, dep, obj: r });
  }
  const other = (kind: string, name: string, namespace: string): WorkloadGroup => {
    const key = `${kind}/${namespace}/${name}`;
    let g = groups.get(key);
    if (!g) {
      g = { key, kind, name, namespace, replicaSets: [], oldReplicaSets: 0, pods: [] };
      groups.set(key, g);
    }
    return g;
  };
  for (const p of pods) {
    const o = p.owner;
    if (o?.kind === 'ReplicaSet') {
      const hit = rsByUid.get(o.uid);
      if (hit) {
        hit.rs.pods.push(p);
        if (!hit.dep) other('ReplicaSet', o.name, p.namespace).pods.push(p);
        continue;
      }
    }
    if (o) other(o.kind, o.name, p.namespace).pods.push(p);
    else other('Pod', '(no controller)', p.namespace).pods.push(p);
  }
  for (const { rs, dep } of rsByUid.values()) {
    if (!dep) continue;
    if (rs.desired === 0 && rs.pods.length === 0) dep.oldReplicaSets++;
    else dep.replicaSets.push(rs);
  }
  for (const g of groups.values()) g.replicaSets.sort((a, b) => Number(b.revision) - Number(a.revision) || a.name.localeCompare(b.name));
  const KIND_ORDER = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'Pod'];
  const rank = (k: string) => {
    const i = KIND_ORDER.indexOf(k);
    return i < 0 ? KIND_ORDER.length - 1 : i;
  };
  return [...groups.values()].sort((a, b) => a.namespace.localeCompare(b.namespace) || rank(a.kind) - rank(b.kind) || a.name.localeCompare(b.name));
}
