/**
 * The taints the node lifecycle controller owns, from a node's conditions and spec, and the
 * toleration rules the taint-eviction controller applies (k8s.io/api/core/v1 helpers).
 */
import type { KubeObject } from '../../api/types';

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
const MANAGED = new Set([TAINT_NOT_READY, TAINT_UNREACHABLE, TAINT_UNSCHEDULABLE]);

export interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export interface NodeCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
}

export function nodeConditions(node: KubeObject): NodeCondition[] {
  return ((node.status ?? {}) as { conditions?: NodeCondition[] }).conditions ?? [];
}

export function readyCondition(node: KubeObject): NodeCondition | undefined {
  return nodeConditions(node).find((c) => c.type === 'Ready');
}

export function nodeTaints(node: KubeObject): Taint[] {
  return ((node.spec ?? {}) as { taints?: Taint[] }).taints ?? [];
}

/**
 * The node's taints with the managed ones as the conditions say: not-ready (Ready False) or
 * unreachable (Ready Unknown) as NoSchedule and NoExecute (the latter stamped `timeAdded`), and
 * unschedulable:NoSchedule for a cordoned node. Taints already there keep their place and time.
 */
export function desiredTaints(node: KubeObject, now: string): Taint[] {
  const ready = readyCondition(node)?.status;
  const want: Taint[] = [];
  if (ready === 'False') want.push({ key: TAINT_NOT_READY, effect: 'NoSchedule' }, { key: TAINT_NOT_READY, effect: 'NoExecute', timeAdded: now });
  if (ready === 'Unknown') want.push({ key: TAINT_UNREACHABLE, effect: 'NoSchedule' }, { key: TAINT_UNREACHABLE, effect: 'NoExecute', timeAdded: now });
  if (((node.spec ?? {}) as { unschedulable?: boolean }).unschedulable) want.push({ key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' });
  const current = nodeTaints(node);
  const same = (a: Taint, b: Taint) => a.key === b.key && a.effect === b.effect;
  const out = current.filter((t) => !MANAGED.has(t.key) || want.some((w) => same(w, t)));
  for (const w of want) if (!out.some((t) => same(t, w))) out.push(w);
  return out;
}

/** Toleration.ToleratesTaint (also the DaemonSet controller's placement check). */
export function tolerates(t: Toleration, taint: { key?: string; value?: string; effect?: string }): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  const op = t.operator || 'Equal';
  if (op === 'Exists') return true;
  return op === 'Equal' && (t.value ?? '') === (taint.value ?? '');
}

/**
 * How long a pod may stay on a node with these NoExecute taints: 0 when one is not tolerated,
 * the smallest tolerationSeconds of the tolerations used, or Infinity when none limits it.
 */
export function minTolerationSeconds(tolerations: Toleration[], taints: Taint[]): number {
  let min = Infinity;
  for (const taint of taints) {
    const used = tolerations.filter((t) => tolerates(t, taint));
    if (used.length === 0) return 0;
    for (const t of used) {
      if (typeof t.tolerationSeconds !== 'number') continue;
      min = Math.min(min, Math.max(0, t.tolerationSeconds));
    }
  }
  return min;
}
