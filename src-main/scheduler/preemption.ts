/**
 * DefaultPreemption (PostFilter): when no node fits, look for a node where evicting pods of
 * lower priority makes room. Nodes rejected as UnschedulableAndUnresolvable are "not helpful";
 * nodes without lower-priority pods have "No preemption victims found for incoming pod". Among
 * candidates, as upstream: fewest high-priority victims first, then the smallest priority sum,
 * then the fewest victims. Victims are reprieved (kept) highest priority first when the pod still
 * fits without evicting them.
 */
import { asObject } from '../api/types';
import { runFilters, runPreFilters, unresolvable, type CycleState, type Diagnosis, type Profile, type Status } from './framework';
import { fitErrorMessage } from './fit-error';
import { addPodToNode, nodeInfoWithout, removePodFromNode, type NodeInfo } from './node-info';
import type { PodInfo } from './pod-info';

export const NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const NO_VICTIMS = 'No preemption victims found for incoming pod';

export interface Candidate {
  node: string;
  victims: PodInfo[];
}

export interface PreemptionResult {
  /** The PostFilter message when preemption cannot help (`preemption: …`). */
  message?: string;
  candidate?: Candidate;
}

function eligible(state: CycleState): string | undefined {
  const spec = asObject(state.pod.pod.spec);
  if (spec.preemptionPolicy === 'Never') return 'not eligible due to preemptionPolicy=Never.';
  const nominated = asObject(state.pod.pod.status).nominatedNodeName;
  if (typeof nominated === 'string' && nominated) {
    const ni = state.view.node(nominated);
    for (const p of ni?.pods.values() ?? []) {
      if (p.priority < state.pod.priority && p.pod.metadata.deletionTimestamp) return 'not eligible due to a terminating pod on the nominated node.';
    }
  }
  return undefined;
}

function selectVictims(profile: Profile, state: CycleState, node: NodeInfo, skip: ReadonlySet<string>): { victims?: PodInfo[]; status?: Status } {
  // Pods already terminating count as victims too (they are leaving anyway), as upstream.
  const lower = [...node.pods.values()].filter((p) => p.priority < state.pod.priority);
  if (!lower.length) return { status: unresolvable('DefaultPreemption', NO_VICTIMS) };
  const trial = nodeInfoWithout(node, lower);
  const s = runFilters(profile, state, trial, skip);
  if (s) return { status: s };
  // Reprieve as many as possible, most important first.
  lower.sort((a, b) => b.priority - a.priority || startTime(a) - startTime(b));
  const victims: PodInfo[] = [];
  for (const p of lower) {
    addPodToNode(trial, p);
    if (runFilters(profile, state, trial, skip)) {
      removePodFromNode(trial, p);
      victims.push(p);
    }
  }
  return { victims };
}

function startTime(p: PodInfo): number {
  const t = asObject(p.pod.status).startTime ?? p.pod.metadata.creationTimestamp;
  return typeof t === 'string' ? Date.parse(t) : 0;
}

function better(a: Candidate, b: Candidate): boolean {
  const maxA = Math.max(...a.victims.map((v) => v.priority));
  const maxB = Math.max(...b.victims.map((v) => v.priority));
  if (maxA !== maxB) return maxA < maxB;
  const sumA = a.victims.reduce((s, v) => s + v.priority, 0);
  const sumB = b.victims.reduce((s, v) => s + v.priority, 0);
  if (sumA !== sumB) return sumA < sumB;
  return a.victims.length < b.victims.length;
}

export function preempt(profile: Profile, state: CycleState, diagnosis: Diagnosis): PreemptionResult {
  const why = eligible(state);
  if (why) return { message: `preemption: ${why}` };
  const nodes = state.view.nodes();
  const statuses = new Map<string, Status>();
  const candidates: Candidate[] = [];
  const { skip } = runPreFilters(profile, state);
  for (const n of nodes) {
    const st = diagnosis.nodeStatuses.get(n.name);
    if (!st || st.code === 'UnschedulableAndUnresolvable') {
      statuses.set(n.name, unresolvable('DefaultPreemption', NOT_HELPFUL));
      continue;
    }
    const r = selectVictims(profile, state, n, skip);
    if (r.victims) candidates.push({ node: n.name, victims: r.victims });
    else if (r.status) statuses.set(n.name, r.status);
  }
  if (!candidates.length) {
    return { message: `preemption: ${fitErrorMessage({ numAllNodes: nodes.length, nodeStatuses: statuses })}` };
  }
  let best = candidates[0];
  for (const c of candidates) if (better(c, best)) best = c;
  return { candidate: best };
}
