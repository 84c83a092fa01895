/**
 * InterPodAffinity: Filter enforces the pod's required pod affinity and anti-affinity and the
 * required anti-affinity of pods already placed; Score adds the weights of preferred terms (the
 * pod's own, and placed pods' terms that match it) per topology domain.
 * Counts are built once per cycle in PreFilter/PreScore, keyed by `topologyKey=value`.
 */
import { MAX_NODE_SCORE, unresolvable, unschedulable, type ClusterView, type CycleState, type FilterPlugin, type ScorePlugin } from '../framework';
import type { NodeInfo } from '../node-info';
import { termMatches, type AffinityTerm, type PodInfo } from '../pod-info';

export const INTER_POD_AFFINITY = 'InterPodAffinity';
export const ERR_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
export const ERR_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";

interface FilterState {
  existingAnti: Map<string, number>;
  affinity: Map<string, number>;
  anti: Map<string, number>;
}

function pair(term: AffinityTerm, node: NodeInfo | undefined): string | undefined {
  if (!node) return undefined;
  const v = node.labels[term.topologyKey];
  return v === undefined ? undefined : `${term.topologyKey}=${v}`;
}

function inc(m: Map<string, number>, k: string | undefined, by = 1): void {
  if (k !== undefined) m.set(k, (m.get(k) ?? 0) + by);
}

function nsLabels(view: ClusterView) {
  return (ns: string) => view.namespaceLabels(ns);
}

function* placedPods(view: ClusterView): Generator<[PodInfo, NodeInfo]> {
  for (const n of view.nodes()) for (const p of n.pods.values()) yield [p, n];
}

function buildFilterState(state: CycleState): FilterState {
  const { pod, view } = state;
  const labels = nsLabels(view);
  const s: FilterState = { existingAnti: new Map(), affinity: new Map(), anti: new Map() };
  for (const existing of view.podsWithRequiredAntiAffinity) {
    const node = view.node(existing.nodeName);
    for (const t of existing.requiredAntiAffinity) if (termMatches(t, pod, labels)) inc(s.existingAnti, pair(t, node));
  }
  if (pod.requiredAffinity.length || pod.requiredAntiAffinity.length) {
    for (const [existing, node] of placedPods(view)) {
      if (pod.requiredAffinity.length && pod.requiredAffinity.every((t) => termMatches(t, existing, labels))) {
        for (const t of pod.requiredAffinity) inc(s.affinity, pair(t, node));
      }
      for (const t of pod.requiredAntiAffinity) if (termMatches(t, existing, labels)) inc(s.anti, pair(t, node));
    }
  }
  return s;
}

export const interPodAffinityFilter: FilterPlugin = {
  name: INTER_POD_AFFINITY,
  preFilter(state) {
    const { pod, view } = state;
    if (!pod.requiredAffinity.length && !pod.requiredAntiAffinity.length && view.podsWithRequiredAntiAffinity.size === 0) return 'skip';
    state.data.set(INTER_POD_AFFINITY, buildFilterState(state));
    return undefined;
  },
  filter(state, node) {
    const s = state.data.get(INTER_POD_AFFINITY) as FilterState;
    const pod = state.pod;
    if (pod.requiredAffinity.length) {
      let ok = pod.requiredAffinity.every((t) => {
        const k = pair(t, node);
        return k !== undefined && (s.affinity.get(k) ?? 0) > 0;
      });
      // The first pod of a group that selects itself may go anywhere the topology keys exist.
      if (!ok && s.affinity.size === 0) {
        const labels = nsLabels(state.view);
        ok = pod.requiredAffinity.every((t) => pair(t, node) !== undefined && termMatches(t, pod, labels));
      }
      if (!ok) return unresolvable(INTER_POD_AFFINITY, ERR_AFFINITY);
    }
    for (const t of pod.requiredAntiAffinity) {
      const k = pair(t, node);
      if (k !== undefined && (s.anti.get(k) ?? 0) > 0) return unschedulable(INTER_POD_AFFINITY, ERR_ANTI_AFFINITY);
    }
    if (s.existingAnti.size) {
      for (const [k, v] of Object.entries(node.labels)) {
        if ((s.existingAnti.get(`${k}=${v}`) ?? 0) > 0) return unschedulable(INTER_POD_AFFINITY, ERR_EXISTING_ANTI_AFFINITY);
      }
    }
    return undefined;
  },
};

const SCORE_KEY = `${INTER_POD_AFFINITY}/score`;
/** hardPodAffinityWeight: placed pods' required affinity terms count with this weight. */
const HARD_POD_AFFINITY_WEIGHT = 1;

export const interPodAffinityScore: ScorePlugin = {
  name: INTER_POD_AFFINITY,
  weight: 2,
  preScore(state) {
    const { pod, view } = state;
    const hasOwn = pod.preferredAffinity.length > 0 || pod.preferredAntiAffinity.length > 0;
    if (!hasOwn && view.podsWithAffinity.size === 0) return 'skip';
    const labels = nsLabels(view);
    const scores = new Map<string, number>();
    const consider = (existing: PodInfo, node: NodeInfo | undefined) => {
      for (const t of pod.preferredAffinity) if (termMatches(t, existing, labels)) inc(scores, pair(t, node), t.weight);
      for (const t of pod.preferredAntiAffinity) if (termMatches(t, existing, labels)) inc(scores, pair(t, node), -t.weight);
    };
    const considerSymmetric = (existing: PodInfo, node: NodeInfo | undefined) => {
      for (const t of existing.requiredAffinity) if (termMatches(t, pod, labels)) inc(scores, pair(t, node), HARD_POD_AFFINITY_WEIGHT);
      for (const t of existing.preferredAffinity) if (termMatches(t, pod, labels)) inc(scores, pair(t, node), t.weight);
      for (const t of existing.preferredAntiAffinity) if (termMatches(t, pod, labels)) inc(scores, pair(t, node), -t.weight);
    };
    if (hasOwn) {
      for (const [existing, node] of placedPods(view)) consider(existing, node);
    }
    for (const existing of view.podsWithAffinity) considerSymmetric(existing, view.node(existing.nodeName));
    if (scores.size === 0) return 'skip';
    state.data.set(SCORE_KEY, scores);
    return undefined;
  },
  score(state, node) {
    const scores = state.data.get(SCORE_KEY) as Map<string, number>;
    let sum = 0;
    for (const [k, v] of Object.entries(node.labels)) sum += scores.get(`${k}=${v}`) ?? 0;
    return sum;
  },
  normalize(_state, scores) {
    let min = Infinity;
    let max = -Infinity;
    for (const s of scores) {
      if (s < min) min = s;
      if (s > max) max = s;
    }
    const diff = max - min;
    for (let i = 0; i < scores.length; i++) scores[i] = diff > 0 ? Math.floor((MAX_NODE_SCORE * (scores[i] - min)) / diff) : 0;
  },
};
