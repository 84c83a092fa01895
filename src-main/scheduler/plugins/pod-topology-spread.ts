/**
 * PodTopologySpread: Filter enforces spec.topologySpreadConstraints with whenUnsatisfiable
 * DoNotSchedule; Score evens out the ScheduleAnyway constraints, or, for pods without any, the
 * system default spreading of pods of one controller across nodes (upstream's default
 * constraint on kubernetes.io/hostname, here keyed by the controller ownerReference, counted
 * incrementally per node).
 */
import { asArray, asObject } from '../../api/types';
import { labelSelectorFromObject, type LabelSelector } from '../../api/selectors/labels';
import { MAX_NODE_SCORE, unresolvable, unschedulable, type CycleState, type FilterPlugin, type ScorePlugin } from '../framework';
import type { NodeInfo } from '../node-info';
import type { PodInfo } from '../pod-info';

export const POD_TOPOLOGY_SPREAD = 'PodTopologySpread';
export const ERR_TOPOLOGY_SPREAD = "node(s) didn't match pod topology spread constraints";
export const ERR_TOPOLOGY_SPREAD_LABEL = "node(s) didn't match pod topology spread constraints (missing required label)";

interface Constraint {
  maxSkew: number;
  topologyKey: string;
  hard: boolean;
  selector: LabelSelector;
  selfMatch: number;
  /** domain value → matching pods there. */
  counts: Map<string, number>;
}

function constraintsOf(pod: PodInfo, hard: boolean): Constraint[] {
  const out: Constraint[] = [];
  for (const c of asArray(asObject(pod.pod.spec).topologySpreadConstraints)) {
    const o = asObject(c);
    const isHard = (o.whenUnsatisfiable ?? 'DoNotSchedule') === 'DoNotSchedule';
    if (isHard !== hard) continue;
    let selector: LabelSelector;
    try {
      selector = labelSelectorFromObject(o.labelSelector ?? null);
    } catch {
      continue;
    }
    out.push({
      maxSkew: typeof o.maxSkew === 'number' ? o.maxSkew : 1,
      topologyKey: String(o.topologyKey ?? ''),
      hard,
      selector,
      selfMatch: selector.matches(pod.labels) ? 1 : 0,
      counts: new Map(),
    });
  }
  return out;
}

/** Counts matching pods (same namespace, not being deleted) per domain over all nodes. */
function count(state: CycleState, constraints: Constraint[]): void {
  for (const n of state.view.nodes()) {
    for (const c of constraints) {
      const domain = n.labels[c.topologyKey];
      if (domain === undefined) continue;
      if (!c.counts.has(domain)) c.counts.set(domain, 0);
      let k = 0;
      for (const p of n.pods.values()) if (p.namespace === state.pod.namespace && !p.pod.metadata.deletionTimestamp && c.selector.matches(p.labels)) k++;
      c.counts.set(domain, c.counts.get(domain)! + k);
    }
  }
}

const FILTER_KEY = `${POD_TOPOLOGY_SPREAD}/filter`;
const SCORE_KEY = `${POD_TOPOLOGY_SPREAD}/score`;

export const podTopologySpreadFilter: FilterPlugin = {
  name: POD_TOPOLOGY_SPREAD,
  preFilter(state) {
    const cs = constraintsOf(state.pod, true);
    if (!cs.length) return 'skip';
    count(state, cs);
    state.data.set(FILTER_KEY, cs);
    return undefined;
  },
  filter(state, node) {
    for (const c of state.data.get(FILTER_KEY) as Constraint[]) {
      const domain = node.labels[c.topologyKey];
      if (domain === undefined) return unresolvable(POD_TOPOLOGY_SPREAD, ERR_TOPOLOGY_SPREAD_LABEL);
      let min = Infinity;
      for (const v of c.counts.values()) if (v < min) min = v;
      if ((c.counts.get(domain) ?? 0) + c.selfMatch - min > c.maxSkew) return unschedulable(POD_TOPOLOGY_SPREAD, ERR_TOPOLOGY_SPREAD);
    }
    return undefined;
  },
};

type ScoreState = { kind: 'owner'; uid: string } | { kind: 'constraints'; cs: Constraint[] };

export const podTopologySpreadScore: ScorePlugin = {
  name: POD_TOPOLOGY_SPREAD,
  weight: 2,
  preScore(state) {
    const soft = constraintsOf(state.pod, false);
    if (soft.length) {
      count(state, soft);
      state.data.set(SCORE_KEY, { kind: 'constraints', cs: soft } satisfies ScoreState);
      return undefined;
    }
    if (asArray(asObject(state.pod.pod.spec).topologySpreadConstraints).length || !state.pod.ownerUid) return 'skip';
    state.data.set(SCORE_KEY, { kind: 'owner', uid: state.pod.ownerUid } satisfies ScoreState);
    return undefined;
  },
  scoreAll(state, nodes, out) {
    const s = state.data.get(SCORE_KEY) as ScoreState;
    if (s.kind === 'owner') for (let i = 0; i < nodes.length; i++) out[i] = nodes[i].ownerCounts.get(s.uid) ?? 0;
    else for (let i = 0; i < nodes.length; i++) out[i] = this.score(state, nodes[i]);
  },
  score(state, node: NodeInfo) {
    const s = state.data.get(SCORE_KEY) as ScoreState;
    if (s.kind === 'owner') return node.ownerCounts.get(s.uid) ?? 0;
    let sum = 0;
    for (const c of s.cs) {
      const domain = node.labels[c.topologyKey];
      if (domain !== undefined) sum += (c.counts.get(domain) ?? 0) + c.maxSkew - 1;
    }
    return sum;
  },
  normalize(_state, scores) {
    let min = Infinity;
    let max = 0;
    for (const s of scores) {
      if (s < min) min = s;
      if (s > max) max = s;
    }
    for (let i = 0; i < scores.length; i++) scores[i] = max === 0 ? MAX_NODE_SCORE : Math.floor((MAX_NODE_SCORE * (max + min - scores[i])) / max);
  },
};
