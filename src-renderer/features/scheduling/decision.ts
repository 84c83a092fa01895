/**
 * The scheduler's verdict on a pod: the JSON annotation `scheduler.kubesim.io/decision` (shape in
 * src-main/scheduler/README.md), parsed leniently — a field of the wrong type is dropped, never
 * trusted — so a garbled annotation gives an error string instead of a broken panel.
 */

export const DECISION_ANNOTATION = 'scheduler.kubesim.io/decision';

export interface FilteredNode {
  node: string;
  plugin: string;
  code: string;
  reasons: string[];
}

export interface NodeScore {
  node: string;
  total: number;
  /** Weighted plugin scores (normalized 0..100 × weight); absent when only one node was feasible. */
  plugins?: Record<string, number>;
}

export interface Decision {
  result: 'Scheduled' | 'Unschedulable';
  node?: string;
  message?: string;
  time?: string;
  attempts?: number;
  nodes?: number;
  feasible?: number;
  /** "<count> <reason>" per distinct reason. */
  reasons: string[];
  filtered: FilteredNode[];
  filteredOmitted?: number;
  preFilter?: { plugin: string; reasons: string[] };
  scores: NodeScore[];
  scoredOmitted?: number;
  preemption?: string;
  nominatedNode?: string;
  victims?: string[];
}

export type ParsedDecision = { ok: true; decision: Decision } | { ok: false; error: string };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function filteredNode(v: unknown): FilteredNode | undefined {
  if (!isObj(v) || !str(v.node)) return undefined;
  return { node: str(v.node)!, plugin: str(v.plugin) ?? '', code: str(v.code) ?? '', reasons: strings(v.reasons) };
}

function nodeScore(v: unknown): NodeScore | undefined {
  if (!isObj(v) || !str(v.node)) return undefined;
  const out: NodeScore = { node: str(v.node)!, total: num(v.total) ?? 0 };
  if (isObj(v.plugins)) {
    const plugins: Record<string, number> = {};
    for (const [k, x] of Object.entries(v.plugins)) if (num(x) !== undefined) plugins[k] = x as number;
    if (Object.keys(plugins).length) out.plugins = plugins;
  }
  return out;
}

/** The annotation's value → a Decision, or why it could not be read. */
export function parseDecision(text: string | undefined): ParsedDecision {
  if (text === undefined || text === '') return { ok: false, error: 'missing' };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `not JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  if (!isObj(raw)) return { ok: false, error: 'not a JSON object' };
  const result = raw.result;
  if (result !== 'Scheduled' && result !== 'Unschedulable') return { ok: false, error: `unknown result ${JSON.stringify(result)}` };
  const d: Decision = {
    result,
    reasons: strings(raw.reasons),
    filtered: (Array.isArray(raw.filtered) ? raw.filtered : []).map(filteredNode).filter((x): x is FilteredNode => !!x),
    scores: (Array.isArray(raw.scores) ? raw.scores : []).map(nodeScore).filter((x): x is NodeScore => !!x),
  };
  const optStr = ['node', 'message', 'time', 'preemption', 'nominatedNode'] as const;
  for (const k of optStr) if (str(raw[k])) d[k] = str(raw[k]);
  const optNum = ['attempts', 'nodes', 'feasible', 'filteredOmitted', 'scoredOmitted'] as const;
  for (const k of optNum) if (num(raw[k]) !== undefined) d[k] = num(raw[k]);
  if (isObj(raw.preFilter) && str(raw.preFilter.plugin) !== undefined) d.preFilter = { plugin: str(raw.preFilter.plugin)!, reasons: strings(raw.preFilter.reasons) };
  if (Array.isArray(raw.victims)) d.victims = strings(raw.victims);
  if (d.result === 'Scheduled' && !d.node) return { ok: false, error: 'result Scheduled without a node' };
  return { ok: true, decision: d };
}

/** `"2 Insufficient cpu"` → { count: 2, reason: 'Insufficient cpu' } (a reason without a count counts 1). */
export function splitCounted(s: string): { count: number; reason: string } {
  const m = /^(\d+) (.+)$/.exec(s.trim());
  return m ? { count: Number(m[1]), reason: m[2] } : { count: 1, reason: s.trim() };
}

/**
 * The reasons of a FailedScheduling message (`0/3 nodes are available: 1 node(s) had untolerated
 * taint {a: }, 2 Insufficient cpu. preemption: …`): the counted reasons, the node count, the
 * preemption part; undefined when the text is not of that form.
 */
export function parseFitMessage(msg: string): { nodes: number; reasons: { count: number; reason: string }[]; preFilter?: string; preemption?: string } | undefined {
  const m = /^0\/(\d+) nodes are available:?\s*(.*)$/s.exec(msg.trim());
  if (!m) return undefined;
  const nodes = Number(m[1]);
  let rest = m[2];
  let preemption: string | undefined;
  const p = rest.indexOf(' preemption: ');
  if (p >= 0) {
    preemption = rest.slice(p + 1).trim();
    rest = rest.slice(0, p);
  } else if (rest.startsWith('preemption: ')) {
    preemption = rest.trim();
    rest = '';
  }
  rest = rest.trim().replace(/\.$/, '');
  if (!rest) return { nodes, reasons: [], preemption };
  // Counted reasons start with a number; a PreFilter message does not.
  if (!/^\d+ /.test(rest)) return { nodes, reasons: [], preFilter: rest, preemption };
  const parts = rest.split(/, (?=\d+ )/);
  return { nodes, reasons: parts.map(splitCounted), preemption };
}
