/**
 * Pod facts controllers share (k8s.io/kubernetes/pkg/api/v1/pod, pkg/controller): readiness,
 * availability after minReadySeconds, "active" pods, and the ActivePodsWithRanks order that
 * decides which pods a ReplicaSet deletes first.
 */
import type { KubeObject } from '../api/types';

interface PodCondition {
  type?: string;
  status?: string;
  lastTransitionTime?: string;
}

interface ContainerStatus {
  restartCount?: number;
}

function status(pod: KubeObject): Record<string, unknown> {
  return (pod.status ?? {}) as Record<string, unknown>;
}

export function podPhase(pod: KubeObject): string {
  return typeof status(pod).phase === 'string' ? (status(pod).phase as string) : '';
}

export function podNodeName(pod: KubeObject): string {
  const spec = (pod.spec ?? {}) as Record<string, unknown>;
  return typeof spec.nodeName === 'string' ? spec.nodeName : '';
}

export function podReadyCondition(pod: KubeObject): PodCondition | undefined {
  const conds = status(pod).conditions;
  return Array.isArray(conds) ? (conds as PodCondition[]).find((c) => c?.type === 'Ready') : undefined;
}

export function isPodReady(pod: KubeObject): boolean {
  return podReadyCondition(pod)?.status === 'True';
}

/** Milliseconds of the Ready condition's lastTransitionTime, or undefined. */
export function podReadyTime(pod: KubeObject): number | undefined {
  const t = podReadyCondition(pod)?.lastTransitionTime;
  const ms = t ? Date.parse(t) : NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

/** podutil.IsPodAvailable: ready, and ready for longer than minReadySeconds (strictly) at `now`. */
export function isPodAvailable(pod: KubeObject, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (!minReadySeconds) return true;
  const t = podReadyTime(pod);
  return t !== undefined && t + minReadySeconds * 1000 < now;
}

/** controller.IsPodActive: not Succeeded, not Failed, not being deleted. */
export function isPodActive(pod: KubeObject): boolean {
  const phase = podPhase(pod);
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

export function filterActivePods<T extends KubeObject>(pods: T[]): T[] {
  return pods.filter(isPodActive);
}

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function maxRestarts(pod: KubeObject): number {
  let max = 0;
  const st = status(pod);
  for (const list of [st.containerStatuses, st.initContainerStatuses]) {
    if (!Array.isArray(list)) continue;
    for (const c of list as ContainerStatus[]) max = Math.max(max, c?.restartCount ?? 0);
  }
  return max;
}

function deletionCost(pod: KubeObject): number {
  const v = pod.metadata.annotations?.['controller.kubernetes.io/pod-deletion-cost'];
  const n = v === undefined ? 0 : Number(v);
  return Number.isInteger(n) ? n : 0;
}

function creationMs(pod: KubeObject): number | undefined {
  const t = pod.metadata.creationTimestamp ? Date.parse(pod.metadata.creationTimestamp) : NaN;
  return Number.isNaN(t) ? undefined : t;
}

/** logarithmicRankDiff: compares floor(log2(age in ns)) of two times (ages ≤ 0 rank -1). */
function logRankDiff(t1: number, t2: number, now: number): number {
  const rank = (t: number) => {
    const d = (now - t) * 1e6;
    return d <= 0 ? -1 : Math.floor(Math.log2(d));
  };
  return rank(t1) - rank(t2);
}

/**
 * ActivePodsWithRanks.Less with LogarithmicScaleDown and PodDeletionCost (both on by default):
 * negative when `a` should be deleted before `b`. `rankA`/`rankB`: number of related active pods
 * on the same node (doubled-up pods go first).
 */
export function comparePodsForDeletion(a: KubeObject, b: KubeObject, rankA: number, rankB: number, now: number): number {
  const na = podNodeName(a);
  const nb = podNodeName(b);
  // 1. unassigned < assigned
  if (na !== nb && (na === '' || nb === '')) return na === '' ? -1 : 1;
  // 2. Pending < Unknown < Running
  const pa = PHASE_ORDINAL[podPhase(a)] ?? 0;
  const pb = PHASE_ORDINAL[podPhase(b)] ?? 0;
  if (pa !== pb) return pa - pb;
  // 3. not ready < ready
  const ra = isPodReady(a);
  const rb = isPodReady(b);
  if (ra !== rb) return ra ? 1 : -1;
  // 4. lower deletion cost first
  const ca = deletionCost(a);
  const cb = deletionCost(b);
  if (ca !== cb) return ca - cb;
  // 5. more colocated related pods first
  if (rankA !== rankB) return rankB - rankA;
  const uidOrder = () => ((a.metadata.uid ?? '') < (b.metadata.uid ?? '') ? -1 : (a.metadata.uid ?? '') > (b.metadata.uid ?? '') ? 1 : 0);
  // 6. ready for less time first (zero time first)
  if (ra && rb) {
    const ta = podReadyTime(a);
    const tb = podReadyTime(b);
    if (ta !== tb) {
      if (ta === undefined || tb === undefined) return ta === undefined ? -1 : 1;
      const d = logRankDiff(ta, tb, now);
      return d === 0 ? uidOrder() : d;
    }
  }
  // 7. more restarts first
  const xa = maxRestarts(a);
  const xb = maxRestarts(b);
  if (xa !== xb) return xb - xa;
  // 8. newer first (no creation time first)
  const ta = creationMs(a);
  const tb = creationMs(b);
  if (ta !== tb) {
    if (ta === undefined || tb === undefined) return ta === undefined ? -1 : 1;
    const d = logRankDiff(ta, tb, now);
    return d === 0 ? uidOrder() : d;
  }
  return 0;
}

/**
 * getPodsToDelete: the `diff` pods to delete, in upstream's preference, ranking each pod by the
 * number of active `related` pods (same owner family) on its node.
 */
export function podsToDelete<T extends KubeObject>(pods: T[], related: KubeObject[], diff: number, now: number): T[] {
  if (diff >= pods.length) return pods.slice(0, diff);
  const onNode = new Map<string, number>();
  for (const p of related) {
    if (!isPodActive(p)) continue;
    const n = podNodeName(p);
    onNode.set(n, (onNode.get(n) ?? 0) + 1);
  }
  const ranked = pods.map((p) => ({ p, rank: onNode.get(podNodeName(p)) ?? 0 }));
  ranked.sort((x, y) => comparePodsForDeletion(x.p, y.p, x.rank, y.rank, now));
  return ranked.slice(0, diff).map((r) => r.p);
}
