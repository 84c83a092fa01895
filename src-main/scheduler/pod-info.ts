/**
 * What the scheduler precomputes about a pod once per resourceVersion (framework.PodInfo): its
 * resource requests (as NodeResourcesFit counts them), host ports, controller owner, priority,
 * parsed pod (anti-)affinity terms and claimed PVCs.
 */
import type { KubeObject } from '../api/types';
import { asArray, asObject, isObject } from '../api/types';
import { quantityMilliValue, quantityValue } from '../api/core/quantity';
import { labelSelectorFromObject, type LabelSelector } from '../api/selectors/labels';

/** Requests in scheduler units: milli-CPU, bytes, pod count, extended resources by name. */
export interface Resources {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  pods: number;
  scalar: Record<string, number>;
}

export function emptyResources(): Resources {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, pods: 0, scalar: {} };
}

/** Upstream's defaults for containers without requests, used only for scoring (non-zero requests). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

/** A pod (anti-)affinity term with its selectors parsed. */
export interface AffinityTerm {
  selector: LabelSelector;
  namespaces: Set<string>;
  /** Set when the term selects namespaces by label (`{}` selects every namespace). */
  namespaceSelector?: LabelSelector;
  topologyKey: string;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  weight: number;
}

export interface PodInfo {
  key: string;
  pod: KubeObject;
  namespace: string;
  name: string;
  uid: string;
  labels: Record<string, string>;
  priority: number;
  /** Sum of requests as the filter sees them (pods = 1). */
  requests: Resources;
  /** CPU/memory with the defaults for unset requests, for scoring. */
  nonZeroCPU: number;
  nonZeroMemory: number;
  hostPorts: HostPort[];
  /** uid of the controller ownerReference, for spreading pods of one owner. */
  ownerUid?: string;
  requiredAffinity: AffinityTerm[];
  requiredAntiAffinity: AffinityTerm[];
  preferredAffinity: WeightedAffinityTerm[];
  preferredAntiAffinity: WeightedAffinityTerm[];
  pvcNames: string[];
  /** spec.nodeName, or the node it is assumed on. */
  nodeName: string;
}

type Obj = Record<string, unknown>;

function addList(into: Resources, list: unknown, mode: 'sum' | 'max'): void {
  if (!isObject(list)) return;
  for (const [name, q] of Object.entries(list)) {
    if (typeof q !== 'string' && typeof q !== 'number') continue;
    let v: number;
    try {
      v = name === 'cpu' ? quantityMilliValue(q) : quantityValue(q);
    } catch {
      continue;
    }
    const apply = (cur: number) => (mode === 'sum' ? cur + v : Math.max(cur, v));
    if (name === 'cpu') into.milliCPU = apply(into.milliCPU);
    else if (name === 'memory') into.memory = apply(into.memory);
    else if (name === 'ephemeral-storage') into.ephemeralStorage = apply(into.ephemeralStorage);
    else if (name === 'pods') continue;
    else if (isScalarResource(name)) into.scalar[name] = apply(into.scalar[name] ?? 0);
  }
}

/** Extended resources (`example.com/gpu`), hugepages and attachable volumes count; native ones are fields. */
export function isScalarResource(name: string): boolean {
  return name.startsWith('hugepages-') || name.includes('/');
}

/**
 * resourcehelper.PodRequests: the sum over containers, at least each init container's request
 * (sidecars counted as running alongside), plus spec.overhead.
 */
export function podRequests(spec: Obj): { requests: Resources; nonZeroCPU: number; nonZeroMemory: number } {
  const sum = emptyResources();
  let nzCPU = 0;
  let nzMem = 0;
  for (const c of asArray(spec.containers)) {
    const req = asObject(asObject(asObject(c).resources).requests);
    addList(sum, req, 'sum');
    const one = emptyResources();
    addList(one, req, 'sum');
    nzCPU += 'cpu' in req ? one.milliCPU : DEFAULT_MILLI_CPU_REQUEST;
    nzMem += 'memory' in req ? one.memory : DEFAULT_MEMORY_REQUEST;
  }
  // Restartable init containers (sidecars) run with the app containers.
  const initMax = emptyResources();
  const sidecars = emptyResources();
  for (const ic of asArray(spec.initContainers)) {
    const c = asObject(ic);
    const req = asObject(asObject(c.resources).requests);
    if (c.restartPolicy === 'Always') {
      addList(sum, req, 'sum');
      addList(sidecars, req, 'sum');
      continue;
    }
    const one = emptyResources();
    addList(one, req, 'sum');
    one.milliCPU += sidecars.milliCPU;
    one.memory += sidecars.memory;
    one.ephemeralStorage += sidecars.ephemeralStorage;
    initMax.milliCPU = Math.max(initMax.milliCPU, one.milliCPU);
    initMax.memory = Math.max(initMax.memory, one.memory);
    initMax.ephemeralStorage = Math.max(initMax.ephemeralStorage, one.ephemeralStorage);
    for (const [k, v] of Object.entries(one.scalar)) initMax.scalar[k] = Math.max(initMax.scalar[k] ?? 0, v);
  }
  sum.milliCPU = Math.max(sum.milliCPU, initMax.milliCPU);
  sum.memory = Math.max(sum.memory, initMax.memory);
  sum.ephemeralStorage = Math.max(sum.ephemeralStorage, initMax.ephemeralStorage);
  for (const [k, v] of Object.entries(initMax.scalar)) sum.scalar[k] = Math.max(sum.scalar[k] ?? 0, v);
  addList(sum, spec.overhead, 'sum');
  const overhead = emptyResources();
  addList(overhead, spec.overhead, 'sum');
  sum.pods = 1;
  return { requests: sum, nonZeroCPU: Math.max(nzCPU, initMax.milliCPU) + overhead.milliCPU, nonZeroMemory: Math.max(nzMem, initMax.memory) + overhead.memory };
}

function hostPortsOf(spec: Obj): HostPort[] {
  const out: HostPort[] = [];
  for (const c of [...asArray(spec.initContainers), ...asArray(spec.containers)]) {
    for (const p of asArray(asObject(c).ports)) {
      const port = asObject(p);
      if (typeof port.hostPort !== 'number' || port.hostPort <= 0) continue;
      out.push({ ip: typeof port.hostIP === 'string' && port.hostIP ? port.hostIP : '0.0.0.0', protocol: typeof port.protocol === 'string' && port.protocol ? port.protocol : 'TCP', port: port.hostPort });
    }
  }
  return out;
}

function safeSelector(sel: unknown): LabelSelector | undefined {
  try {
    return labelSelectorFromObject(sel);
  } catch {
    return undefined;
  }
}

function termOf(pod: KubeObject, t: unknown): AffinityTerm | undefined {
  const term = asObject(t);
  const selector = safeSelector(term.labelSelector ?? null);
  if (!selector) return undefined;
  const namespaces = new Set(asArray(term.namespaces).map(String));
  let namespaceSelector: LabelSelector | undefined;
  if (isObject(term.namespaceSelector)) namespaceSelector = safeSelector(term.namespaceSelector);
  if (namespaces.size === 0 && !namespaceSelector) namespaces.add(pod.metadata.namespace ?? 'default');
  return { selector, namespaces, namespaceSelector, topologyKey: typeof term.topologyKey === 'string' ? term.topologyKey : '' };
}

function terms(pod: KubeObject, list: unknown): AffinityTerm[] {
  return asArray(list).map((t) => termOf(pod, t)).filter((t): t is AffinityTerm => !!t);
}

function weighted(pod: KubeObject, list: unknown): WeightedAffinityTerm[] {
  const out: WeightedAffinityTerm[] = [];
  for (const w of asArray(list)) {
    const t = termOf(pod, asObject(w).podAffinityTerm);
    const weight = asObject(w).weight;
    if (t && typeof weight === 'number') out.push({ ...t, weight });
  }
  return out;
}

export function podKey(pod: KubeObject): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}

export function newPodInfo(pod: KubeObject): PodInfo {
  const spec = asObject(pod.spec);
  const { requests, nonZeroCPU, nonZeroMemory } = podRequests(spec);
  const affinity = asObject(spec.affinity);
  const pa = asObject(affinity.podAffinity);
  const paa = asObject(affinity.podAntiAffinity);
  const owner = (pod.metadata.ownerReferences ?? []).find((r) => r.controller === true);
  return {
    key: podKey(pod),
    pod,
    namespace: pod.metadata.namespace ?? '',
    name: pod.metadata.name ?? '',
    uid: pod.metadata.uid ?? '',
    labels: pod.metadata.labels ?? {},
    priority: typeof spec.priority === 'number' ? spec.priority : 0,
    requests,
    nonZeroCPU,
    nonZeroMemory,
    hostPorts: hostPortsOf(spec),
    ownerUid: owner?.uid,
    requiredAffinity: terms(pod, pa.requiredDuringSchedulingIgnoredDuringExecution),
    requiredAntiAffinity: terms(pod, paa.requiredDuringSchedulingIgnoredDuringExecution),
    preferredAffinity: weighted(pod, pa.preferredDuringSchedulingIgnoredDuringExecution),
    preferredAntiAffinity: weighted(pod, paa.preferredDuringSchedulingIgnoredDuringExecution),
    pvcNames: asArray(spec.volumes)
      .map((v) => asObject(asObject(v).persistentVolumeClaim).claimName)
      .filter((n): n is string => typeof n === 'string' && n !== ''),
    nodeName: typeof spec.nodeName === 'string' ? spec.nodeName : '',
  };
}

/** Does the term select this pod (namespace and labels)? `nsLabels` resolves namespace labels. */
export function termMatches(term: AffinityTerm, pod: PodInfo, nsLabels: (ns: string) => Record<string, string> | undefined): boolean {
  if (!term.namespaces.has(pod.namespace)) {
    if (!term.namespaceSelector) return false;
    if (!term.namespaceSelector.empty() && !term.namespaceSelector.matches(nsLabels(pod.namespace) ?? {})) return false;
  }
  return term.selector.matches(pod.labels);
}
