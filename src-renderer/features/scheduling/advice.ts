/**
 * What to do about each kind of scheduling rejection, made concrete with the pod and the nodes:
 * the requests against the largest node, the taint to tolerate (a YAML snippet), the labels a
 * node lacks, the hostPort, the claims, the cordoned nodes.
 */
import { formatBytes, formatCpu } from '../../util/quantity';
import type { Reason } from './reasons';
import { resourceLabel } from './reasons';
import { allocatable, claimNames, hostPorts, nodeSelectorMisses, owningDeployment, podRequest, untoleratedTaints, type SchedNode, type SchedPod, type Taint } from './pod-spec';

export interface Advice {
  text: string;
  /** A command to run (kubectl …). */
  command?: string;
  /** A YAML snippet to add to the pod's spec. */
  snippet?: string;
}

export interface AdviceInput {
  pod: SchedPod;
  /** The nodes the reason applies to (by name); those not known are skipped. */
  nodes: string[];
  /** Every node of the cluster. */
  allNodes: SchedNode[];
  /** What the pods bound to a node request (node → resource → sum), for the nodes looked up. */
  requested?: ReadonlyMap<string, Readonly<Record<string, number>>>;
}

export function formatResource(resource: string, v: number): string {
  if (!Number.isFinite(v)) return '?';
  if (resource === 'cpu') return `${formatCpu(v)} CPU`;
  if (resource === 'memory' || resource === 'ephemeral-storage') return formatBytes(v);
  return String(v);
}

function nsFlag(pod: SchedPod): string {
  return pod.metadata.namespace && pod.metadata.namespace !== 'default' ? ` -n ${pod.metadata.namespace}` : '';
}

/** Where the requests are changed: the owning Deployment (kubectl set resources), or the pod itself (recreated). */
function lowerRequests(pod: SchedPod, resource: string, to: string): Advice {
  const dep = owningDeployment(pod);
  if (dep && (resource === 'cpu' || resource === 'memory')) {
    return { text: `Lower the requests in Deployment ${dep} (its pods are replaced with the new requests):`, command: `kubectl set resources deployment/${dep}${nsFlag(pod)} --requests=${resource}=${to}` };
  }
  if (pod.metadata.ownerReferences?.length) return { text: `Lower spec.containers[].resources.requests.${resource} in the pod's ${pod.metadata.ownerReferences[0].kind} (to ${to} or less) — its new pods get the new requests.` };
  return { text: `Lower spec.containers[].resources.requests.${resource} (to ${to} or less): a pod's requests cannot be changed in place, so delete the pod and create it again.` };
}

function insufficient(resource: string, i: AdviceInput): Advice[] {
  const want = podRequest(i.pod, resource);
  const schedulable = i.allNodes.filter((n) => !n.spec?.unschedulable);
  const sizes = schedulable.map((n) => allocatable(n, resource)).filter(Number.isFinite);
  const biggest = sizes.length ? Math.max(...sizes) : NaN;
  const what = resourceLabel(resource);
  const out: Advice[] = [];
  if (Number.isFinite(biggest) && want > biggest) {
    out.push({ text: `The pod requests ${formatResource(resource, want)}, but the largest node has only ${formatResource(resource, biggest)} allocatable: no node can ever fit it.` });
    out.push(lowerRequests(i.pod, resource, resource === 'cpu' ? formatCpu(biggest) : formatBytes(biggest)));
    out.push({ text: `Or give the cluster a node with more ${what} (on a real cluster: a bigger machine type).` });
  } else {
    out.push({ text: `The pod requests ${formatResource(resource, want)}${Number.isFinite(biggest) ? ` (nodes have up to ${formatResource(resource, biggest)} allocatable)` : ''}; the rest of the nodes' ${what} is already requested by other pods.` });
    // Per node: allocatable, what its pods request, what is left (when the panel looked them up).
    const free: { node: string; alloc: number; used: number; left: number }[] = [];
    for (const name of i.nodes) {
      const n = i.allNodes.find((x) => x.metadata.name === name);
      const used = i.requested?.get(name)?.[resource];
      if (!n || used === undefined) continue;
      const alloc = allocatable(n, resource);
      if (Number.isFinite(alloc)) free.push({ node: name, alloc, used, left: Math.max(0, alloc - used) });
    }
    free.sort((a, b) => b.left - a.left);
    for (const f of free.slice(0, 5)) out.push({ text: `${f.node}: ${formatResource(resource, f.used)} of ${formatResource(resource, f.alloc)} already requested, ${formatResource(resource, f.left)} free.` });
    const most = free[0]?.left;
    const to = most !== undefined && most > 0 ? most : want / 2;
    out.push(lowerRequests(i.pod, resource, resource === 'cpu' ? formatCpu(to) : formatBytes(to)));
    out.push({ text: 'Or make room: scale down or delete other workloads on those nodes, or add a node (kubesim: the number of workers in Settings, or `kubesim serve --nodes N`).' });
  }
  return out;
}

function taintFor(i: AdviceInput, reason: Reason): { taint: Taint; node: string } | undefined {
  for (const name of i.nodes) {
    const n = i.allNodes.find((x) => x.metadata.name === name);
    if (!n) continue;
    const ts = untoleratedTaints(i.pod, n);
    const t = reason.taint ? ts.find((x) => x.key === reason.taint!.key) : ts[0];
    if (t) return { taint: t, node: name };
  }
  if (reason.taint) return { taint: { key: reason.taint.key, value: reason.taint.value || undefined, effect: 'NoSchedule' }, node: i.nodes[0] ?? '<node>' };
  return undefined;
}

export function tolerationSnippet(t: Taint): string {
  const lines = ['tolerations:', `- key: "${t.key}"`];
  if (t.value) lines.push('  operator: "Equal"', `  value: "${t.value}"`);
  else lines.push('  operator: "Exists"');
  lines.push(`  effect: "${t.effect}"`);
  return lines.join('\n');
}

function taint(reason: Reason, i: AdviceInput): Advice[] {
  const found = taintFor(i, reason);
  if (!found) return [{ text: "Add a toleration for the node's taint to the pod's spec, or remove the taint from the node." }];
  const { taint: t, node } = found;
  const out: Advice[] = [];
  if (t.key === 'node-role.kubernetes.io/control-plane' || t.key === 'node-role.kubernetes.io/master') {
    out.push({ text: 'This taint keeps ordinary workloads off the control plane; that is usually what you want — fix the other nodes\u2019 reasons instead.' });
  }
  out.push({ text: 'To let the pod run there anyway, add a toleration to its spec (the pod template of its workload):', snippet: tolerationSnippet(t) });
  out.push({ text: 'Or remove the taint from the node:', command: `kubectl taint nodes ${node} ${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}-` });
  return out;
}

function nodeAffinity(i: AdviceInput): Advice[] {
  const out: Advice[] = [];
  for (const name of i.nodes) {
    const n = i.allNodes.find((x) => x.metadata.name === name);
    if (!n) continue;
    const misses = nodeSelectorMisses(i.pod, n);
    if (misses.length) out.push({ text: `${name} ${misses.join('; ')}.` });
  }
  const sel = Object.entries(i.pod.spec?.nodeSelector ?? {});
  const target = i.nodes.find((name) => !i.allNodes.find((x) => x.metadata.name === name)?.spec?.taints?.length) ?? i.nodes[0];
  if (sel.length && target) out.push({ text: 'Label a node so it matches (or change the pod\u2019s nodeSelector):', command: `kubectl label nodes ${target} ${sel.map(([k, v]) => `${k}=${v}`).join(' ')}` });
  else out.push({ text: 'Label a node so it matches the required node affinity, or relax spec.affinity.nodeAffinity (preferredDuringScheduling… only prefers).' });
  return out;
}

/** Advice for one kind of reason (the nodes are those rejected for it). */
export function adviceFor(reason: Reason, i: AdviceInput): Advice[] {
  switch (reason.kind) {
    case 'insufficient':
      return insufficient(reason.resource ?? 'cpu', i);
    case 'too-many-pods':
      return [{ text: 'Those nodes already run their maximum number of pods (allocatable "pods"). Delete or scale down other pods, or add a node.' }];
    case 'taint':
      return taint(reason, i);
    case 'node-affinity':
      return nodeAffinity(i);
    case 'node-name':
      return [{ text: 'The pod asks for one node by name (spec.nodeName or a metadata.name node affinity): make sure that node exists and is schedulable, or drop the name.' }];
    case 'node-ports': {
      const ports = hostPorts(i.pod).map((p) => `${p.port}/${p.protocol}`);
      return [{ text: `Another pod on those nodes already uses hostPort ${ports.join(', ') || '(the same port)'}; a hostPort can be used by one pod per node. Drop hostPort and reach the pod through a Service, or add nodes.` }];
    }
    case 'unschedulable':
      return i.nodes.map((n) => ({ text: `${n} is cordoned; when it should take pods again:`, command: `kubectl uncordon ${n}` }));
    case 'topology-spread':
      return [{ text: 'Placing the pod there would make the spread uneven beyond maxSkew. Raise maxSkew, use whenUnsatisfiable: ScheduleAnyway, or add nodes in the topology domains that lack pods (or give the nodes the topologyKey label).' }];
    case 'pod-affinity':
      return [{ text: 'The pod must run next to pods matching its podAffinity; none run on those nodes. Start those pods first, or relax podAffinity to preferredDuringScheduling…' }];
    case 'pod-anti-affinity':
      return [{ text: 'The pod must keep away from pods matching its podAntiAffinity, and those nodes run some. Add nodes, lower the replicas, or use preferredDuringScheduling… anti-affinity.' }];
    case 'existing-anti-affinity':
      return [{ text: 'Pods already on those nodes have anti-affinity rules that exclude this pod. Move or change those pods, or add nodes.' }];
    case 'volume': {
      const claims = claimNames(i.pod);
      const out: Advice[] = [{ text: 'The pod\u2019s PersistentVolumeClaims decide where it can run.' }];
      for (const c of claims) out.push({ text: `Check claim ${c}:`, command: `kubectl describe pvc ${c}${nsFlag(i.pod)}` });
      out.push({ text: 'Create a PersistentVolume that matches the claim, or give the claim a StorageClass that provisions volumes.' });
      return out;
    }
    case 'no-nodes':
      return [{ text: 'The cluster has no nodes that could take pods: add or start a node.' }];
    default:
      return [];
  }
}

/** Advice for a PreFilter rejection (VolumeBinding: claims missing or unbound). */
export function preFilterAdvice(plugin: string, raw: string, pod: SchedPod): Advice[] {
  const m = /persistentvolumeclaim "(.+)"/.exec(raw);
  if (m) return [{ text: `Create the PersistentVolumeClaim ${m[1]} (or fix the claim name in spec.volumes):`, command: `kubectl get pvc${nsFlag(pod)}` }];
  if (plugin === 'VolumeBinding' || /PersistentVolumeClaim/.test(raw)) {
    return [
      ...claimNames(pod).map((c) => ({ text: `Claim ${c} has no volume yet:`, command: `kubectl describe pvc ${c}${nsFlag(pod)}` })),
      { text: 'Create a matching PersistentVolume, or use a StorageClass that provisions one (or binds on first consumer).' },
    ];
  }
  return [];
}
