/**
 * The scheduling framework's contract and one scheduling cycle (pkg/scheduler/framework +
 * schedule_one.go): PreFilter → Filter on every node (first failing plugin per node is kept)
 * → PreScore/Score/NormalizeScore on the feasible nodes, weighted and summed → the best node.
 */
import type { KubeObject } from '../api/types';
import { addPodToNode, nodeInfoWithout, type NodeInfo } from './node-info';
import type { PodInfo } from './pod-info';

export type Code = 'Unschedulable' | 'UnschedulableAndUnresolvable';

/** A plugin's rejection. `reasons` are the strings FitError counts. */
export interface Status {
  code: Code;
  reasons: string[];
  plugin: string;
}

export function unschedulable(plugin: string, ...reasons: string[]): Status {
  return { code: 'Unschedulable', reasons, plugin };
}

export function unresolvable(plugin: string, ...reasons: string[]): Status {
  return { code: 'UnschedulableAndUnresolvable', reasons, plugin };
}

/** What plugins may read about the cluster (the scheduler's snapshot). */
export interface ClusterView {
  nodes(): readonly NodeInfo[];
  node(name: string): NodeInfo | undefined;
  podsWithRequiredAntiAffinity: ReadonlySet<PodInfo>;
  podsWithAffinity: ReadonlySet<PodInfo>;
  namespaceLabels(ns: string): Record<string, string> | undefined;
  pvc(namespace: string, name: string): KubeObject | undefined;
  pv(name: string): KubeObject | undefined;
  storageClass(name: string): KubeObject | undefined;
  /** Pending pods nominated to this node by preemption (their room is kept for them). */
  nominatedPods(node: string): readonly PodInfo[];
}

/** Per-cycle data of one pod (framework.CycleState). */
export interface CycleState {
  pod: PodInfo;
  view: ClusterView;
  data: Map<string, unknown>;
}

export interface FilterPlugin {
  name: string;
  /** A status rejects the pod everywhere; 'skip' skips this plugin's Filter for the cycle. */
  preFilter?(state: CycleState): Status | 'skip' | undefined;
  filter(state: CycleState, node: NodeInfo): Status | undefined;
}

export interface ScorePlugin {
  name: string;
  weight: number;
  /** 'skip': the plugin has nothing to say for this pod (all nodes score 0 from it). */
  preScore?(state: CycleState, nodes: readonly NodeInfo[]): 'skip' | undefined;
  score(state: CycleState, node: NodeInfo): number;
  /** Optional: every node's raw score at once (same values as `score`, fewer calls). */
  scoreAll?(state: CycleState, nodes: readonly NodeInfo[], out: number[]): void;
  /** Rescales the raw scores to 0..100 in place. */
  normalize?(state: CycleState, scores: number[]): void;
}

export const MAX_NODE_SCORE = 100;

export interface Profile {
  schedulerName: string;
  filters: FilterPlugin[];
  scores: ScorePlugin[];
}

export interface NodeScore {
  node: string;
  total: number;
  plugins: Record<string, number>;
}

export interface Diagnosis {
  numAllNodes: number;
  /** Per rejected node: the first plugin that said no. */
  nodeStatuses: Map<string, Status>;
  /** Set when a PreFilter plugin rejected the pod as a whole. */
  preFilter?: Status;
  /** The PostFilter (preemption) message, e.g. `preemption: 0/3 nodes are available: …`. */
  postFilterMsg?: string;
}

export type CycleResult =
  | { kind: 'scheduled'; node: string; evaluated: number; feasible: number; scores: ScoreTable; diagnosis: Diagnosis }
  | { kind: 'unschedulable'; diagnosis: Diagnosis };

/** Weighted scores of the feasible nodes: one row per executed plugin, plus the totals. */
export interface ScoreTable {
  nodes: readonly NodeInfo[];
  plugins: string[];
  values: number[][];
  totals: number[];
}

export function newCycleState(pod: PodInfo, view: ClusterView): CycleState {
  return { pod, view, data: new Map() };
}

/** Runs the filters of the profile on one node; undefined when it fits. */
export function runFilters(profile: Profile, state: CycleState, node: NodeInfo, skip: ReadonlySet<string>): Status | undefined {
  for (const f of skip.size ? profile.filters.filter((x) => !skip.has(x.name)) : profile.filters) {
    const s = f.filter(state, node);
    if (s) return s;
  }
  return undefined;
}

/** The filters of the profile that PreFilter did not skip, in order. */
function activeFilters(profile: Profile, skip: ReadonlySet<string>): FilterPlugin[] {
  return skip.size ? profile.filters.filter((x) => !skip.has(x.name)) : profile.filters;
}

function runActive(filters: readonly FilterPlugin[], state: CycleState, node: NodeInfo): Status | undefined {
  for (let i = 0; i < filters.length; i++) {
    const s = filters[i].filter(state, node);
    if (s) return s;
  }
  return undefined;
}

/**
 * RunFilterPluginsWithNominatedPods: on a node where pods of at least this priority wait for
 * the room preemption made, the pod must fit next to them.
 */
export function runFiltersWithNominated(profile: Profile, state: CycleState, node: NodeInfo, skip: ReadonlySet<string>): Status | undefined {
  return runWithNominated(activeFilters(profile, skip), state, node);
}

function runWithNominated(filters: readonly FilterPlugin[], state: CycleState, node: NodeInfo): Status | undefined {
  const nominated = state.view.nominatedPods(node.name);
  if (!nominated.length) return runActive(filters, state, node);
  const waiting = nominated.filter((p) => p.key !== state.pod.key && p.priority >= state.pod.priority);
  if (!waiting.length) return runActive(filters, state, node);
  const withNominated = nodeInfoWithout(node, []);
  for (const p of waiting) addPodToNode(withNominated, { ...p, nodeName: node.name });
  return runActive(filters, state, withNominated) ?? runActive(filters, state, node);
}

/** PreFilter of every plugin: a rejection, or the set of plugins whose Filter is skipped. */
export function runPreFilters(profile: Profile, state: CycleState): { rejected?: Status; skip: Set<string> } {
  const skip = new Set<string>();
  for (const f of profile.filters) {
    const r = f.preFilter?.(state);
    if (r === 'skip') skip.add(f.name);
    else if (r) return { rejected: r, skip };
  }
  return { skip };
}

export function scheduleOne(profile: Profile, state: CycleState): CycleResult {
  const nodes = state.view.nodes();
  const diagnosis: Diagnosis = { numAllNodes: nodes.length, nodeStatuses: new Map() };
  const pre = runPreFilters(profile, state);
  if (pre.rejected) {
    diagnosis.preFilter = pre.rejected;
    for (const n of nodes) diagnosis.nodeStatuses.set(n.name, pre.rejected);
    return { kind: 'unschedulable', diagnosis };
  }
  const feasible: NodeInfo[] = [];
  const filters = activeFilters(profile, pre.skip);
  for (const n of nodes) {
    const s = runWithNominated(filters, state, n);
    if (s) diagnosis.nodeStatuses.set(n.name, s);
    else feasible.push(n);
  }
  if (feasible.length === 0) return { kind: 'unschedulable', diagnosis };
  if (feasible.length === 1) {
    const only: ScoreTable = { nodes: feasible, plugins: [], values: [], totals: [0] };
    return { kind: 'scheduled', node: feasible[0].name, evaluated: nodes.length, feasible: 1, scores: only, diagnosis };
  }
  const table = scoreNodes(profile, state, feasible);
  let best = 0;
  for (let i = 1; i < table.totals.length; i++) if (table.totals[i] > table.totals[best]) best = i;
  return { kind: 'scheduled', node: feasible[best].name, evaluated: nodes.length, feasible: feasible.length, scores: table, diagnosis };
}

/** Score, normalize and weight every score plugin over the feasible nodes. */
export function scoreNodes(profile: Profile, state: CycleState, nodes: readonly NodeInfo[]): ScoreTable {
  const table: ScoreTable = { nodes, plugins: [], values: [], totals: new Array<number>(nodes.length).fill(0) };
  for (const p of profile.scores) {
    if (p.preScore?.(state, nodes) === 'skip') continue;
    const raw = new Array<number>(nodes.length);
    if (p.scoreAll) p.scoreAll(state, nodes, raw);
    else for (let i = 0; i < nodes.length; i++) raw[i] = p.score(state, nodes[i]);
    p.normalize?.(state, raw);
    for (let i = 0; i < nodes.length; i++) {
      raw[i] *= p.weight;
      table.totals[i] += raw[i];
    }
    table.plugins.push(p.name);
    table.values.push(raw);
  }
  return table;
}

function nodeScore(t: ScoreTable, i: number): NodeScore {
  const plugins: Record<string, number> = {};
  for (let j = 0; j < t.plugins.length; j++) plugins[t.plugins[j]] = t.values[j][i];
  return { node: t.nodes[i].name, total: t.totals[i], plugins };
}

/** The `k` best-scored nodes, best first (ties by name). */
export function topScores(t: ScoreTable, k: number): NodeScore[] {
  const better = (a: number, b: number) => t.totals[a] > t.totals[b] || (t.totals[a] === t.totals[b] && t.nodes[a].name < t.nodes[b].name);
  // Insertion into a short sorted list: O(nodes · k) without sorting every node.
  const top: number[] = [];
  for (let i = 0; i < t.totals.length; i++) {
    if (top.length === k && !better(i, top[k - 1])) continue;
    let j = Math.min(top.length, k - 1);
    if (top.length < k) top.push(i);
    while (j > 0 && better(i, top[j - 1])) {
      top[j] = top[j - 1];
      j--;
    }
    top[j] = i;
  }
  return top.map((i) => nodeScore(t, i));
}

/** Every feasible node's score, in node order. */
export function prioritize(profile: Profile, state: CycleState, nodes: readonly NodeInfo[]): NodeScore[] {
  const t = scoreNodes(profile, state, nodes);
  return nodes.map((_, i) => nodeScore(t, i));
}

/** helper.DefaultNormalizeScore: scale to 0..100 by the maximum (reversed: 100 - that). */
export function defaultNormalize(scores: number[], reverse: boolean): void {
  let max = 0;
  for (const s of scores) if (s > max) max = s;
  if (max === 0) {
    if (reverse) scores.fill(MAX_NODE_SCORE);
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    const s = Math.floor((scores[i] * MAX_NODE_SCORE) / max);
    scores[i] = reverse ? MAX_NODE_SCORE - s : s;
  }
}
