/**
 * The explanation kept for each scheduling attempt, served as JSON in the pod annotation
 * `scheduler.kubesim.io/decision` (shape documented in README.md). Bounded: at most
 * MAX_FILTERED rejected nodes listed one by one (the rest only counted per reason) and the
 * MAX_SCORED best-scored nodes (a pod's JSON is written on every change of the pod: keep it small).
 */
import { topScores, type Diagnosis, type NodeScore, type ScoreTable } from './framework';
import { reasonHistogram } from './fit-error';

export const DECISION_ANNOTATION = 'scheduler.kubesim.io/decision';
export const MAX_FILTERED = 20;
export const MAX_SCORED = 5;

export interface FilteredNode {
  node: string;
  plugin: string;
  code: string;
  reasons: string[];
}

export interface Decision {
  result: 'Scheduled' | 'Unschedulable';
  node?: string;
  message?: string;
  time: string;
  attempts: number;
  nodes: number;
  feasible: number;
  /** "<count> <reason>" per distinct reason, as in the FailedScheduling message. */
  reasons: string[];
  filtered: FilteredNode[];
  /** Number of rejected nodes left out of `filtered`. */
  filteredOmitted?: number;
  preFilter?: { plugin: string; reasons: string[] };
  scores: NodeScore[];
  scoredOmitted?: number;
  preemption?: string;
  nominatedNode?: string;
  victims?: string[];
}

export interface DecisionInput {
  diagnosis: Diagnosis;
  time: string;
  attempts: number;
  node?: string;
  message?: string;
  feasible?: number;
  scores?: ScoreTable;
  nominatedNode?: string;
  victims?: string[];
}

export function buildDecision(i: DecisionInput): Decision {
  const d = i.diagnosis;
  const filtered: FilteredNode[] = [];
  if (!d.preFilter) {
    for (const [node, s] of d.nodeStatuses) {
      if (filtered.length >= MAX_FILTERED) break;
      filtered.push({ node, plugin: s.plugin, code: s.code, reasons: s.reasons });
    }
  }
  const omitted = d.preFilter ? 0 : d.nodeStatuses.size - filtered.length;
  const scored = i.scores?.nodes.length ?? 0;
  const top: NodeScore[] = i.scores ? topScores(i.scores, MAX_SCORED) : [];
  const out: Decision = {
    result: i.node ? 'Scheduled' : 'Unschedulable',
    ...(i.node ? { node: i.node } : {}),
    ...(i.message ? { message: i.message } : {}),
    time: i.time,
    attempts: i.attempts,
    nodes: d.numAllNodes,
    feasible: i.feasible ?? 0,
    reasons: d.preFilter ? [] : reasonHistogram(d.nodeStatuses.values()),
    filtered,
    ...(omitted > 0 ? { filteredOmitted: omitted } : {}),
    ...(d.preFilter ? { preFilter: { plugin: d.preFilter.plugin, reasons: d.preFilter.reasons } } : {}),
    scores: top,
    ...(scored > top.length ? { scoredOmitted: scored - top.length } : {}),
    ...(d.postFilterMsg ? { preemption: d.postFilterMsg } : {}),
    ...(i.nominatedNode ? { nominatedNode: i.nominatedNode, victims: i.victims ?? [] } : {}),
  };
  return out;
}

/** The decision without the fields that change on every attempt (to skip no-op writes). */
export function decisionFingerprint(d: Decision): string {
  return JSON.stringify({ ...d, time: undefined, attempts: undefined });
}
