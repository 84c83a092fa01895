/**
 * The parts of Pods and Nodes the scheduling explanation reads (requests, node selector and
 * required node affinity, tolerations, host ports, claims; node labels, taints, allocatable),
 * and label-matching helpers that say which label a node lacks.
 */
import type { KubeObject } from '../../api/types';
import { parseQuantity } from '../../util/quantity';

export interface SelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}
export interface NodeSelectorTerm {
  matchExpressions?: SelectorRequirement[];
  matchFields?: SelectorRequirement[];
}
export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}
export interface Taint {
  key: string;
  value?: string;
  effect: string;
}
interface ContainerSpec {
  name: string;
  image?: string;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  ports?: { containerPort?: number; hostPort?: number; protocol?: string }[];
  restartPolicy?: string;
}

export interface SchedPod extends KubeObject {
  spec?: {
    nodeName?: string;
    schedulerName?: string;
    priorityClassName?: string;
    priority?: number;
    nodeSelector?: Record<string, string>;
    affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] } } };
    tolerations?: Toleration[];
    containers?: ContainerSpec[];
    initContainers?: ContainerSpec[];
    overhead?: Record<string, string>;
    volumes?: { name: string; persistentVolumeClaim?: { claimName: string } }[];
    schedulingGates?: { name: string }[];
  };
  status?: {
    phase?: string;
    nominatedNodeName?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }[];
  };
}

export interface SchedNode extends KubeObject {
  spec?: { taints?: Taint[]; unschedulable?: boolean };
  status?: { allocatable?: Record<string, string>; capacity?: Record<string, string> };
}

/**
 * What the scheduler counts as the pod's request of a resource: the containers' sum (plus
 * restartable init containers, "sidecars"), at least the largest init container, plus overhead.
 */
export function podRequest(pod: SchedPod, resource: string): number {
  const req = (c: ContainerSpec) => {
    const v = parseQuantity(c.resources?.requests?.[resource]);
    return Number.isFinite(v) ? v : 0;
  };
  const spec = pod.spec ?? {};
  let sum = 0;
  for (const c of spec.containers ?? []) sum += req(c);
  let initMax = 0;
  for (const c of spec.initContainers ?? []) {
    if (c.restartPolicy === 'Always') sum += req(c);
    else initMax = Math.max(initMax, req(c));
  }
  const over = parseQuantity(spec.overhead?.[resource]);
  return Math.max(sum, initMax) + (Number.isFinite(over) ? over : 0);
}

export function allocatable(node: SchedNode, resource: string): number {
  return parseQuantity(node.status?.allocatable?.[resource]);
}

/** `key In (a, b)`, `key Exists`. */
export function formatRequirement(r: SelectorRequirement): string {
  if (r.operator === 'Exists' || r.operator === 'DoesNotExist') return `${r.key} ${r.operator}`;
  return `${r.key} ${r.operator} (${(r.values ?? []).join(', ')})`;
}

export function requirementMatches(r: SelectorRequirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = labels[r.key];
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return has && values.includes(v);
    case 'NotIn':
      return !has || !values.includes(v);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      const n = Number(v);
      const want = Number(values[0]);
      if (!has || !Number.isInteger(n) || !Number.isInteger(want)) return false;
      return r.operator === 'Gt' ? n > want : n < want;
    }
    default:
      return false;
  }
}

/**
 * Why a node does not match the pod's node selector and required node affinity: one line per
 * unmet nodeSelector entry (`has no label disktype (wants disktype=ssd)`) and, when no affinity
 * term matches, the unmet requirements of each term. Empty when the node matches.
 */
export function nodeSelectorMisses(pod: SchedPod, node: SchedNode): string[] {
  const labels = node.metadata.labels ?? {};
  const fields: Record<string, string> = { 'metadata.name': node.metadata.name };
  const out: string[] = [];
  for (const [k, v] of Object.entries(pod.spec?.nodeSelector ?? {})) {
    if (!(k in labels)) out.push(`has no label ${k} (nodeSelector wants ${k}=${v})`);
    else if (labels[k] !== v) out.push(`has ${k}=${labels[k]} (nodeSelector wants ${k}=${v})`);
  }
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms?.length) {
    const misses = terms.map((t) => [
      ...(t.matchExpressions ?? []).filter((r) => !requirementMatches(r, labels)).map((r) => `label ${formatRequirement(r)}`),
      ...(t.matchFields ?? []).filter((r) => !requirementMatches(r, fields)).map((r) => `field ${formatRequirement(r)}`),
    ]);
    // A term with no requirements matches nothing (upstream); one with all met matches.
    const anyMatch = terms.some((t, i) => misses[i].length === 0 && ((t.matchExpressions?.length ?? 0) + (t.matchFields?.length ?? 0)) > 0);
    if (!anyMatch) {
      misses.forEach((m, i) => {
        if (m.length) out.push(`fails node affinity${terms.length > 1 ? ` term ${i + 1}` : ''}: ${m.join(', ')}`);
      });
    }
  }
  return out;
}

export function tolerates(tolerations: Toleration[], t: Taint): boolean {
  return tolerations.some((tol) => {
    if (tol.effect && tol.effect !== t.effect) return false;
    if (!tol.key) return tol.operator === 'Exists';
    if (tol.key !== t.key) return false;
    return tol.operator === 'Exists' || (tol.value ?? '') === (t.value ?? '');
  });
}

/** The node's taints with effect NoSchedule/NoExecute the pod does not tolerate. */
export function untoleratedTaints(pod: SchedPod, node: SchedNode): Taint[] {
  const tols = pod.spec?.tolerations ?? [];
  return (node.spec?.taints ?? []).filter((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(tols, t));
}

export function hostPorts(pod: SchedPod): { port: number; protocol: string }[] {
  const out: { port: number; protocol: string }[] = [];
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) for (const p of c.ports ?? []) if (p.hostPort) out.push({ port: p.hostPort, protocol: p.protocol ?? 'TCP' });
  return out;
}

export function claimNames(pod: SchedPod): string[] {
  return (pod.spec?.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : []));
}

/** The Deployment that owns the pod through its ReplicaSet (`web-7d9c5` + pod-template-hash `7d9c5` → `web`). */
export function owningDeployment(pod: SchedPod): string | undefined {
  const hash = pod.metadata.labels?.['pod-template-hash'];
  const rs = pod.metadata.ownerReferences?.find((o) => o.kind === 'ReplicaSet');
  if (!hash || !rs || !rs.name.endsWith(`-${hash}`)) return undefined;
  return rs.name.slice(0, -hash.length - 1);
}
