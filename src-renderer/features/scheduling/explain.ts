/**
 * "Why Pending / why here": the scheduler's verdict on a pod (its decision annotation, or — when
 * that is missing or unreadable — the PodScheduled condition and FailedScheduling events) turned
 * into a headline, reason groups with advice, a per-node table, preemption and the score table.
 */
import { adviceFor, preFilterAdvice, type Advice } from './advice';
import { DECISION_ANNOTATION, parseDecision, parseFitMessage, splitCounted, type Decision, type NodeScore } from './decision';
import type { SchedNode, SchedPod } from './pod-spec';
import { SCORE_PLUGINS } from './plugins';
import { classifyReason, countedPhrase, nodePhrase, preFilterPhrase, type Reason } from './reasons';

export type ExplanationState = 'pending' | 'scheduled' | 'gated' | 'other-scheduler' | 'waiting' | 'bound-directly' | 'finished';

export interface ReasonGroup {
  reason: Reason;
  count: number;
  /** The rejected nodes (known only from the annotation). */
  nodes: string[];
  phrase: string;
  advice: Advice[];
}

export interface NodeVerdict {
  node: string;
  plugin: string;
  code: string;
  reasons: { raw: string; phrase: string }[];
}

export interface Explanation {
  state: ExplanationState;
  headline: string;
  /** Where the explanation comes from. */
  source: 'annotation' | 'condition' | 'event' | 'none';
  /** Why the annotation was not used (missing or unreadable), when another source was. */
  sourceNote?: string;
  /** The scheduler's own message (FailedScheduling text). */
  message?: string;
  groups: ReasonGroup[];
  verdicts: NodeVerdict[];
  verdictsOmitted?: number;
  preFilter?: { plugin: string; phrase: string; raw: string; advice: Advice[] };
  preemption?: { message?: string; summary: string; nominatedNode?: string; victims: string[] };
  scheduled?: { node: string; feasible?: number; nodes?: number; scores: NodeScore[]; plugins: string[]; scoredOmitted?: number; decidedBy?: string };
  time?: string;
  attempts?: number;
}

export interface ExplainInput {
  pod: SchedPod;
  nodes: SchedNode[];
  /** FailedScheduling events' messages, newest first. */
  failedEvents?: string[];
  /** What the pods on some nodes request (node → resource → sum), to say how much is free. */
  requested?: ReadonlyMap<string, Readonly<Record<string, number>>>;
}

const DEFAULT_SCHEDULER = 'default-scheduler';

function group(reasonText: string, count: number, nodes: string[], input: ExplainInput): ReasonGroup {
  const reason = classifyReason(reasonText);
  return { reason, count, nodes, phrase: countedPhrase(count, reason), advice: adviceFor(reason, { pod: input.pod, nodes, allNodes: input.nodes, requested: input.requested }) };
}

function headlineOf(groups: ReasonGroup[], preFilter: string | undefined): string {
  if (preFilter) return `No node can run this pod: ${preFilter}.`;
  if (!groups.length) return 'No node can run this pod.';
  const sorted = [...groups].sort((a, b) => b.count - a.count);
  return `No node can run this pod: ${sorted.map((g) => g.phrase).join(', ')}.`;
}

function preemptionOf(message: string | undefined, nominated: string | undefined, victims: string[] | undefined): Explanation['preemption'] {
  if (nominated) {
    const v = victims ?? [];
    const summary = v.length
      ? `The scheduler nominated node ${nominated} and evicts ${v.length} lower-priority pod${v.length === 1 ? '' : 's'} there to make room; the pod is scheduled once ${v.length === 1 ? 'it is' : 'they are'} gone.`
      : `The scheduler nominated node ${nominated} for this pod; it waits there for room.`;
    return { message, summary, nominatedNode: nominated, victims: v };
  }
  if (!message) return undefined;
  let summary = 'Preemption (evicting lower-priority pods) cannot make room.';
  if (/preemptionPolicy=Never/.test(message)) summary = 'The pod may not preempt others (preemptionPolicy: Never).';
  else if (/No preemption victims found/.test(message) && /not helpful/.test(message)) summary = 'Preemption cannot help: on some nodes evicting pods would not fix the reason, and on the others there are no lower-priority pods to evict (a higher PriorityClass lets a pod preempt).';
  else if (/No preemption victims found/.test(message)) summary = 'Preemption cannot help: there are no lower-priority pods to evict (a higher PriorityClass lets a pod preempt).';
  else if (/not helpful/.test(message)) summary = 'Preemption cannot help: evicting pods would not fix these nodes\u2019 reasons.';
  return { message, summary, victims: [] };
}

function fromDecision(d: Decision, input: ExplainInput): Explanation {
  const verdicts: NodeVerdict[] = d.filtered.map((f) => ({ node: f.node, plugin: f.plugin, code: f.code, reasons: f.reasons.map((r) => ({ raw: r, phrase: nodePhrase(classifyReason(r)) })) }));
  const nodesFor = (reason: string) => d.filtered.filter((f) => f.reasons.includes(reason)).map((f) => f.node);
  const groups = d.reasons
    .map((s) => {
      const { count, reason } = splitCounted(s);
      return group(reason, count, nodesFor(reason), input);
    })
    .sort((a, b) => b.count - a.count);
  const base = { source: 'annotation' as const, groups, verdicts, verdictsOmitted: d.filteredOmitted, time: d.time, attempts: d.attempts };
  if (d.result === 'Scheduled' && d.node) {
    const plugins = [...new Set(d.scores.flatMap((s) => Object.keys(s.plugins ?? {})))];
    const feasible = d.feasible;
    const why =
      feasible === 1 ? 'the only node that passed every filter' : feasible !== undefined ? `the best score of ${feasible} nodes that passed every filter${d.nodes !== undefined ? ` (of ${d.nodes})` : ''}` : 'the best score';
    return { ...base, state: 'scheduled', headline: `Scheduled on ${d.node}: ${why}.`, scheduled: { node: d.node, feasible, nodes: d.nodes, scores: d.scores, plugins, scoredOmitted: d.scoredOmitted, decidedBy: decidedBy(d.node, d.scores) } };
  }
  const preFilter = d.preFilter ? { plugin: d.preFilter.plugin, raw: d.preFilter.reasons.join(', '), phrase: d.preFilter.reasons.map(preFilterPhrase).join('; '), advice: d.preFilter.reasons.flatMap((r) => preFilterAdvice(d.preFilter!.plugin, r, input.pod)) } : undefined;
  return {
    ...base,
    state: 'pending',
    headline: headlineOf(groups, preFilter?.phrase),
    message: d.message,
    preFilter,
    preemption: preemptionOf(d.preemption, d.nominatedNode ?? input.pod.status?.nominatedNodeName, d.victims),
  };
}

/** Why the chosen node beat the runner-up: the plugin that gave it the largest lead, or a tie. */
export function decidedBy(chosen: string, scores: NodeScore[]): string | undefined {
  const win = scores.find((s) => s.node === chosen);
  const other = scores.find((s) => s.node !== chosen);
  if (!win || !other || !win.plugins) return undefined;
  if (win.total === other.total) return `${chosen} and ${other.node} scored the same (${win.total}); the scheduler picks among the best at random.`;
  let best: [string, number] | undefined;
  for (const [p, v] of Object.entries(win.plugins)) {
    const lead = v - (other.plugins?.[p] ?? 0);
    if (lead > 0 && (!best || lead > best[1])) best = [p, lead];
  }
  if (!best) return undefined;
  const prefers = SCORE_PLUGINS[best[0]]?.prefers;
  return `${chosen} beat ${other.node} by ${win.total - other.total} points, mostly on ${best[0]} (+${best[1]})${prefers ? `, which prefers ${prefers}` : ''}.`;
}

function fromMessage(message: string, source: 'condition' | 'event', input: ExplainInput): Omit<Explanation, 'sourceNote'> {
  const parsed = parseFitMessage(message);
  const nominated = input.pod.status?.nominatedNodeName;
  if (!parsed) return { state: 'pending', source, headline: `The scheduler could not place this pod: ${message}`, message, groups: [], verdicts: [], preemption: preemptionOf(undefined, nominated, undefined) };
  const groups = parsed.reasons.map((r) => group(r.reason, r.count, [], input)).sort((a, b) => b.count - a.count);
  const preFilter = parsed.preFilter ? { plugin: '', raw: parsed.preFilter, phrase: preFilterPhrase(parsed.preFilter), advice: preFilterAdvice('', parsed.preFilter, input.pod) } : undefined;
  return { state: 'pending', source, headline: headlineOf(groups, preFilter?.phrase), message, groups, verdicts: [], preFilter, preemption: preemptionOf(parsed.preemption, nominated, undefined) };
}

/** The explanation of one pod's placement (or why it has none). */
export function explain(input: ExplainInput): Explanation {
  const pod = input.pod;
  const phase = pod.status?.phase;
  const parsed = parseDecision(pod.metadata.annotations?.[DECISION_ANNOTATION]);
  const nodeName = pod.spec?.nodeName;

  if (parsed.ok && (!nodeName || parsed.decision.result === 'Scheduled')) {
    const e = fromDecision(parsed.decision, input);
    if (nodeName && e.scheduled && e.scheduled.node !== nodeName) e.headline = `Bound to ${nodeName}; the scheduler's last verdict chose ${e.scheduled.node}.`;
    return e;
  }
  const note = parsed.ok ? undefined : parsed.error === 'missing' ? "The scheduler's per-node verdicts are not on this pod" : `The scheduler's annotation could not be read (${parsed.error})`;

  if (nodeName) {
    const finished = phase === 'Succeeded' || phase === 'Failed';
    return {
      state: finished ? 'finished' : 'bound-directly',
      source: 'none',
      sourceNote: note,
      headline: parsed.ok
        ? `Runs on ${nodeName}; the scheduler's last recorded verdict (${parsed.decision.result}) predates the binding.`
        : `Runs on ${nodeName}. No scheduler verdict is recorded: the pod was created with spec.nodeName set (which bypasses the scheduler), or scheduled before verdicts were kept.`,
      groups: [],
      verdicts: [],
    };
  }
  const cond = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  const gates = pod.spec?.schedulingGates ?? [];
  if (gates.length || cond?.reason === 'SchedulingGated') {
    return {
      state: 'gated',
      source: cond ? 'condition' : 'none',
      headline: `The scheduler waits: the pod has scheduling gates (${gates.map((g) => g.name).join(', ') || 'spec.schedulingGates'}). It is considered once every gate is removed from spec.schedulingGates.`,
      groups: [],
      verdicts: [],
    };
  }
  const scheduler = pod.spec?.schedulerName ?? DEFAULT_SCHEDULER;
  if (scheduler !== DEFAULT_SCHEDULER) {
    return { state: 'other-scheduler', source: 'none', headline: `The pod asks for the scheduler "${scheduler}" (spec.schedulerName); this cluster runs only default-scheduler, which leaves the pod alone.`, groups: [], verdicts: [] };
  }
  if (cond?.status === 'False' && cond.message) return { ...fromMessage(cond.message, 'condition', input), sourceNote: note && `${note}; this is the PodScheduled condition's message` };
  const ev = input.failedEvents?.[0];
  if (ev) return { ...fromMessage(ev, 'event', input), sourceNote: note && `${note}; this is the newest FailedScheduling event` };
  if (phase === 'Succeeded' || phase === 'Failed') return { state: 'finished', source: 'none', headline: `The pod finished (${phase}) without being scheduled.`, groups: [], verdicts: [] };
  return { state: 'waiting', source: 'none', sourceNote: parsed.ok || parsed.error === 'missing' ? undefined : note, headline: 'Waiting for the scheduler: no verdict on this pod yet.', groups: [], verdicts: [] };
}
