/**
 * framework.NodeInfo: one node with what the pods on it (bound or assumed) use: summed requests,
 * non-zero requests for scoring, host ports, and per-owner pod counts for spreading. Updated
 * incrementally by the cache; plugins only read it.
 */
import type { KubeObject } from '../api/types';
import { asArray, asObject } from '../api/types';
import { quantityMilliValue, quantityValue } from '../api/core/quantity';
import { emptyResources, isScalarResource, type PodInfo, type Resources } from './pod-info';

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export interface NodeInfo {
  name: string;
  /** Undefined while pods point at a node the cache has not seen (yet). */
  node?: KubeObject;
  labels: Record<string, string>;
  taints: Taint[];
  unschedulable: boolean;
  allocatable: Resources;
  requested: Resources;
  nonZeroCPU: number;
  nonZeroMemory: number;
  pods: Map<string, PodInfo>;
  /** `protocol/port` → the host IPs using it (with counts). */
  usedPorts: Map<string, Map<string, number>>;
  /** Controller owner uid → number of its pods here. */
  ownerCounts: Map<string, number>;
}

function parse(v: unknown, milli: boolean): number {
  if (typeof v !== 'string' && typeof v !== 'number') return 0;
  try {
    return milli ? quantityMilliValue(v) : quantityValue(v);
  } catch {
    return 0;
  }
}

export function allocatableOf(node: KubeObject): Resources {
  const alloc = asObject(asObject(node.status).allocatable);
  const r = emptyResources();
  r.milliCPU = parse(alloc.cpu, true);
  r.memory = parse(alloc.memory, false);
  r.ephemeralStorage = parse(alloc['ephemeral-storage'], false);
  r.pods = parse(alloc.pods, false);
  for (const [k, v] of Object.entries(alloc)) if (isScalarResource(k)) r.scalar[k] = parse(v, false);
  return r;
}

export function taintsOf(node: KubeObject | undefined): Taint[] {
  if (!node) return [];
  return asArray(asObject(node.spec).taints).map((t) => {
    const o = asObject(t);
    return { key: String(o.key ?? ''), value: typeof o.value === 'string' ? o.value : undefined, effect: String(o.effect ?? '') };
  });
}

export function newNodeInfo(name: string, node?: KubeObject): NodeInfo {
  const ni: NodeInfo = {
    name,
    labels: {},
    taints: [],
    unschedulable: false,
    allocatable: emptyResources(),
    requested: emptyResources(),
    nonZeroCPU: 0,
    nonZeroMemory: 0,
    pods: new Map(),
    usedPorts: new Map(),
    ownerCounts: new Map(),
  };
  if (node) setNode(ni, node);
  return ni;
}

export function setNode(ni: NodeInfo, node: KubeObject): void {
  ni.node = node;
  ni.labels = node.metadata.labels ?? {};
  ni.taints = taintsOf(node);
  ni.unschedulable = asObject(node.spec).unschedulable === true;
  ni.allocatable = allocatableOf(node);
}

function add(r: Resources, p: Resources, sign: 1 | -1): void {
  r.milliCPU += sign * p.milliCPU;
  r.memory += sign * p.memory;
  r.ephemeralStorage += sign * p.ephemeralStorage;
  r.pods += sign * p.pods;
  for (const [k, v] of Object.entries(p.scalar)) r.scalar[k] = (r.scalar[k] ?? 0) + sign * v;
}

export function addPodToNode(ni: NodeInfo, p: PodInfo): void {
  ni.pods.set(p.key, p);
  add(ni.requested, p.requests, 1);
  ni.nonZeroCPU += p.nonZeroCPU;
  ni.nonZeroMemory += p.nonZeroMemory;
  for (const hp of p.hostPorts) {
    const k = `${hp.protocol}/${hp.port}`;
    let ips = ni.usedPorts.get(k);
    if (!ips) ni.usedPorts.set(k, (ips = new Map()));
    ips.set(hp.ip, (ips.get(hp.ip) ?? 0) + 1);
  }
  if (p.ownerUid) ni.ownerCounts.set(p.ownerUid, (ni.ownerCounts.get(p.ownerUid) ?? 0) + 1);
}

export function removePodFromNode(ni: NodeInfo, p: PodInfo): void {
  if (!ni.pods.delete(p.key)) return;
  add(ni.requested, p.requests, -1);
  ni.nonZeroCPU -= p.nonZeroCPU;
  ni.nonZeroMemory -= p.nonZeroMemory;
  for (const hp of p.hostPorts) {
    const k = `${hp.protocol}/${hp.port}`;
    const ips = ni.usedPorts.get(k);
    if (!ips) continue;
    const n = (ips.get(hp.ip) ?? 0) - 1;
    if (n > 0) ips.set(hp.ip, n);
    else ips.delete(hp.ip);
    if (ips.size === 0) ni.usedPorts.delete(k);
  }
  if (p.ownerUid) {
    const n = (ni.ownerCounts.get(p.ownerUid) ?? 0) - 1;
    if (n > 0) ni.ownerCounts.set(p.ownerUid, n);
    else ni.ownerCounts.delete(p.ownerUid);
  }
}

/** A copy of the node's accounting without some pods (preemption's "what if they were gone"). */
export function nodeInfoWithout(ni: NodeInfo, victims: PodInfo[]): NodeInfo {
  const copy = newNodeInfo(ni.name, ni.node);
  const gone = new Set(victims.map((v) => v.key));
  for (const p of ni.pods.values()) if (!gone.has(p.key)) addPodToNode(copy, p);
  return copy;
}
