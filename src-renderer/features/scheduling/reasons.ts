/**
 * The scheduler's reason strings (as upstream's plugins word them) sorted into kinds, each with a
 * plain-language phrase for one node or many ("2 nodes have too little CPU").
 */

export type ReasonKind =
  | 'insufficient'
  | 'too-many-pods'
  | 'taint'
  | 'node-affinity'
  | 'node-name'
  | 'node-ports'
  | 'unschedulable'
  | 'topology-spread'
  | 'pod-affinity'
  | 'pod-anti-affinity'
  | 'existing-anti-affinity'
  | 'volume'
  | 'no-nodes'
  | 'other';

export interface Reason {
  kind: ReasonKind;
  /** The scheduler's own words. */
  raw: string;
  /** For `insufficient`: the resource (`cpu`, `memory`, …). */
  resource?: string;
  /** For `taint`: the taint's key and value as the reason prints them (`{key: value}`). */
  taint?: { key: string; value: string };
}

const RESOURCE_NAMES: Record<string, string> = { cpu: 'CPU', memory: 'memory', 'ephemeral-storage': 'ephemeral storage', pods: 'pod slots' };

export function resourceLabel(resource: string): string {
  return RESOURCE_NAMES[resource] ?? resource;
}

export function classifyReason(raw: string): Reason {
  const r = raw.trim();
  let m = /^Insufficient (.+)$/.exec(r);
  if (m) return { kind: 'insufficient', raw: r, resource: m[1] };
  if (r === 'Too many pods') return { kind: 'too-many-pods', raw: r };
  m = /^node\(s\) had untolerated taint \{(.*): (.*)\}$/.exec(r);
  if (m) return { kind: 'taint', raw: r, taint: { key: m[1], value: m[2] } };
  if (/untolerated taint/.test(r)) return { kind: 'taint', raw: r };
  if (/node affinity\/selector/.test(r)) return { kind: 'node-affinity', raw: r };
  if (/requested node name/.test(r)) return { kind: 'node-name', raw: r };
  if (/free ports/.test(r)) return { kind: 'node-ports', raw: r };
  if (/were unschedulable/.test(r)) return { kind: 'unschedulable', raw: r };
  if (/topology spread/.test(r)) return { kind: 'topology-spread', raw: r };
  if (/existing pods anti-affinity/.test(r)) return { kind: 'existing-anti-affinity', raw: r };
  if (/pod anti-affinity/.test(r)) return { kind: 'pod-anti-affinity', raw: r };
  if (/pod affinity/.test(r)) return { kind: 'pod-affinity', raw: r };
  if (/persistentvolumeclaim|PersistentVolumeClaim|persistent volume|volume node affinity|pvc\(s\)|\bpv\(s\)/i.test(r)) return { kind: 'volume', raw: r };
  if (/no nodes available/.test(r)) return { kind: 'no-nodes', raw: r };
  return { kind: 'other', raw: r };
}

/** The verb phrase after "N node(s)": singular and plural. */
function phraseParts(reason: Reason): [string, string] {
  switch (reason.kind) {
    case 'insufficient': {
      const what = resourceLabel(reason.resource ?? '');
      return [`has too little ${what}`, `have too little ${what}`];
    }
    case 'too-many-pods':
      return ['already runs as many pods as it may', 'already run as many pods as they may'];
    case 'taint': {
      const t = reason.taint ? ` (${reason.taint.key}${reason.taint.value ? `=${reason.taint.value}` : ''})` : '';
      return [`has a taint the pod does not tolerate${t}`, `have a taint the pod does not tolerate${t}`];
    }
    case 'node-affinity':
      return ["doesn't match the pod's node selector/affinity", "don't match the pod's node selector/affinity"];
    case 'node-name':
      return ['is not the node the pod asks for', 'are not the node the pod asks for'];
    case 'node-ports':
      return ['has no free host port the pod needs', 'have no free host port the pod needs'];
    case 'unschedulable':
      return ['is cordoned (unschedulable)', 'are cordoned (unschedulable)'];
    case 'topology-spread':
      return ["would break the pod's topology spread constraints", "would break the pod's topology spread constraints"];
    case 'pod-affinity':
      return ['runs none of the pods this pod must be near (pod affinity)', 'run none of the pods this pod must be near (pod affinity)'];
    case 'pod-anti-affinity':
      return ['runs pods this pod must stay away from (pod anti-affinity)', 'run pods this pod must stay away from (pod anti-affinity)'];
    case 'existing-anti-affinity':
      return ["runs pods whose anti-affinity keeps this pod away", "run pods whose anti-affinity keeps this pod away"];
    case 'volume':
      return [`can't provide the pod's volumes: ${reason.raw.replace(/^node\(s\) /, '')}`, `can't provide the pod's volumes: ${reason.raw.replace(/^node\(s\) /, '')}`];
    default:
      return [`was rejected: ${reason.raw.replace(/^node\(s\) /, '')}`, `were rejected: ${reason.raw.replace(/^node\(s\) /, '')}`];
  }
}

/** "2 nodes have too little CPU", "1 node has a taint the pod does not tolerate (…)". */
export function countedPhrase(count: number, reason: Reason): string {
  const [one, many] = phraseParts(reason);
  return count === 1 ? `1 node ${one}` : `${count} nodes ${many}`;
}

/** The phrase for one node's verdict (no count): "has too little CPU". */
export function nodePhrase(reason: Reason): string {
  return phraseParts(reason)[0];
}

/** A PreFilter rejection (the pod fails before any node is looked at) in plain words. */
export function preFilterPhrase(raw: string): string {
  let m = /^persistentvolumeclaim "(.+)" not found$/.exec(raw);
  if (m) return `its PersistentVolumeClaim "${m[1]}" does not exist`;
  m = /^persistentvolumeclaim "(.+)" is being deleted$/.exec(raw);
  if (m) return `its PersistentVolumeClaim "${m[1]}" is being deleted`;
  if (raw === 'pod has unbound immediate PersistentVolumeClaims') return 'its PersistentVolumeClaims are not bound to a volume yet';
  if (/no nodes available/.test(raw)) return 'the cluster has no nodes';
  return raw;
}
