/**
 * Where a DaemonSet's pods belong (pkg/controller/daemon/util + NodeShouldRunDaemonPod):
 * the automatic daemon tolerations, node name / node selector / required node affinity, taints
 * against tolerations (NoSchedule and NoExecute to run, NoExecute alone to keep running), the pod
 * template with the revision labels, and the `metadata.name In [node]` affinity each pod gets.
 */
import type { KubeObject } from '../../api/types';
import { isObject } from '../../api/types';
import { TEMPLATE_GENERATION_ANNOTATION } from '../../api/apps/daemonset';
import { REVISION_HASH_LABEL } from '../history';
import { tolerates, type Toleration } from '../nodelifecycle/taints';
import { nodeSelectorTermMatches, selectableNode } from '../../api/selectors/node-selector';

type Obj = Record<string, unknown>;

export const TEMPLATE_GENERATION_LABEL = 'pod-template-generation';

export interface Taint {
  key?: string;
  value?: string;
  effect?: string;
}

export type { Toleration };

/** AddOrUpdateDaemonPodTolerations, in upstream's order. */
export function daemonTolerations(hostNetwork: boolean): Toleration[] {
  const t: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (hostNetwork) t.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' });
  return t;
}

function sameToleration(a: Toleration, b: Toleration): boolean {
  return (a.key ?? '') === (b.key ?? '') && (a.operator || 'Equal') === (b.operator || 'Equal') && (a.value ?? '') === (b.value ?? '') && (a.effect ?? '') === (b.effect ?? '') && a.tolerationSeconds === b.tolerationSeconds;
}

/** The pod spec's tolerations plus the daemon ones it does not have yet. */
export function withDaemonTolerations(podSpec: Obj): Toleration[] {
  const own = Array.isArray(podSpec.tolerations) ? (podSpec.tolerations as Toleration[]) : [];
  const out = [...own];
  for (const t of daemonTolerations(podSpec.hostNetwork === true)) if (!out.some((o) => sameToleration(o, t))) out.push(t);
  return out;
}

function untolerated(taints: Taint[], tolerations: Toleration[], effects: string[]): Taint | undefined {
  return taints.find((taint) => effects.includes(taint.effect ?? '') && !tolerations.some((t) => tolerates(t, taint)));
}

/** nodeaffinity.GetRequiredNodeAffinity(pod).Match(node): nodeSelector and required affinity terms. */
export function requiredAffinityMatches(podSpec: Obj, node: KubeObject): boolean {
  const labels = node.metadata.labels ?? {};
  if (isObject(podSpec.nodeSelector)) {
    for (const [k, v] of Object.entries(podSpec.nodeSelector)) if (labels[k] !== v) return false;
  }
  const affinity = isObject(podSpec.affinity) ? podSpec.affinity : {};
  const na = isObject(affinity.nodeAffinity) ? affinity.nodeAffinity : {};
  const req = isObject(na.requiredDuringSchedulingIgnoredDuringExecution) ? na.requiredDuringSchedulingIgnoredDuringExecution : undefined;
  if (!req) return true;
  const terms = Array.isArray(req.nodeSelectorTerms) ? req.nodeSelectorTerms : [];
  return terms.some((t) => nodeSelectorTermMatches(t, selectableNode(node)));
}

export function templateSpec(ds: KubeObject): Obj {
  const t = isObject(ds.spec) && isObject((ds.spec as Obj).template) ? ((ds.spec as Obj).template as Obj) : {};
  return isObject(t.spec) ? (t.spec as Obj) : {};
}

/**
 * NodeShouldRunDaemonPod: `shouldRun` (a new pod belongs there) and `shouldContinueRunning`
 * (an existing pod may stay: only untolerated NoExecute taints evict).
 */
export function nodeShouldRunDaemonPod(node: KubeObject, ds: KubeObject): { shouldRun: boolean; shouldContinueRunning: boolean } {
  const spec = templateSpec(ds);
  if (spec.nodeName && spec.nodeName !== node.metadata.name) return { shouldRun: false, shouldContinueRunning: false };
  if (!requiredAffinityMatches(spec, node)) return { shouldRun: false, shouldContinueRunning: false };
  const taints = isObject(node.spec) && Array.isArray((node.spec as Obj).taints) ? ((node.spec as Obj).taints as Taint[]) : [];
  const tolerations = withDaemonTolerations(spec);
  if (untolerated(taints, tolerations, ['NoSchedule', 'NoExecute'])) {
    return { shouldRun: false, shouldContinueRunning: !untolerated(taints, tolerations, ['NoExecute']) };
  }
  return { shouldRun: true, shouldContinueRunning: true };
}

/** The DaemonSet's template generation (the `deprecated.daemonset.template.generation` annotation). */
export function templateGeneration(ds: KubeObject): string | undefined {
  return ds.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
}

/** util.IsPodUpdated: the pod carries the current hash or the current template generation. */
export function isPodUpdated(pod: KubeObject, hash: string, generation: string | undefined): boolean {
  const labels = pod.metadata.labels ?? {};
  return (generation !== undefined && labels[TEMPLATE_GENERATION_LABEL] === generation) || (hash !== '' && labels[REVISION_HASH_LABEL] === hash);
}

/** A NodeSelectorRequirement. */
interface Requirement {
  key?: string;
  operator?: string;
  values?: string[];
}

/** The node a daemon pod is for: spec.nodeName, or the `metadata.name In [node]` affinity it was created with. */
export function targetNodeOf(pod: KubeObject): string | undefined {
  const spec = (isObject(pod.spec) ? pod.spec : {}) as Obj;
  if (typeof spec.nodeName === 'string' && spec.nodeName) return spec.nodeName;
  const affinity = isObject(spec.affinity) ? spec.affinity : {};
  const na = isObject(affinity.nodeAffinity) ? affinity.nodeAffinity : {};
  const req = isObject(na.requiredDuringSchedulingIgnoredDuringExecution) ? na.requiredDuringSchedulingIgnoredDuringExecution : {};
  for (const term of Array.isArray(req.nodeSelectorTerms) ? req.nodeSelectorTerms : []) {
    if (!isObject(term)) continue;
    for (const f of Array.isArray(term.matchFields) ? (term.matchFields as Requirement[]) : []) {
      if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
    }
  }
  return undefined;
}

/**
 * CreatePodTemplate + ReplaceDaemonSetPodNodeNameNodeAffinity: the template with the daemon
 * tolerations, `pod-template-generation` and `controller-revision-hash` labels, and required node
 * affinity replaced by `metadata.name In [node]` (preferred terms kept).
 */
export function daemonPodTemplate(ds: KubeObject, hash: string, nodeName: string): Obj {
  const t = structuredClone(isObject(ds.spec) && isObject((ds.spec as Obj).template) ? ((ds.spec as Obj).template as Obj) : {});
  const meta = (isObject(t.metadata) ? t.metadata : (t.metadata = {})) as Obj;
  const spec = (isObject(t.spec) ? t.spec : (t.spec = {})) as Obj;
  spec.tolerations = withDaemonTolerations(spec);
  const labels = { ...((meta.labels as Record<string, string>) ?? {}) };
  const gen = templateGeneration(ds);
  if (gen !== undefined) labels[TEMPLATE_GENERATION_LABEL] = gen;
  if (hash) labels[REVISION_HASH_LABEL] = hash;
  meta.labels = labels;
  const required = { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }] };
  const affinity = (isObject(spec.affinity) ? spec.affinity : (spec.affinity = {})) as Obj;
  const na = (isObject(affinity.nodeAffinity) ? affinity.nodeAffinity : (affinity.nodeAffinity = {})) as Obj;
  na.requiredDuringSchedulingIgnoredDuringExecution = required;
  return t;
}
