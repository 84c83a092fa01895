/** The colour of a status cell (STATUS of pods, PHASE of PVCs, …): ok, progress, bad, gone. */

export type Tone = 'ok' | 'warn' | 'bad' | 'muted' | 'neutral';

const OK = new Set(['running', 'ready', 'active', 'bound', 'complete', 'completed', 'succeeded', 'available', 'true', 'healthy', 'established']);
const WARN = new Set(['pending', 'containercreating', 'podinitializing', 'waiting', 'unknown', 'notready', 'released', 'suspended', 'schedulingdisabled']);
const BAD = new Set(['failed', 'error', 'crashloopbackoff', 'imagepullbackoff', 'errimagepull', 'invalidimagename', 'createcontainerconfigerror', 'createcontainererror', 'oomkilled', 'evicted', 'lost', 'false', 'backofflimitexceeded', 'deadlineexceeded', 'containerstatusunknown', 'runcontainererror', 'starterror']);
const MUTED = new Set(['terminating', 'terminated', 'deleting']);

/** One status word or kubectl's composites: `Init:0/1`, `Init:Error`, `Ready,SchedulingDisabled`. */
export function statusTone(text: unknown): Tone {
  if (typeof text !== 'string' || !text) return 'neutral';
  const s = text.trim().toLowerCase();
  if (MUTED.has(s)) return 'muted';
  if (BAD.has(s)) return 'bad';
  if (s.startsWith('init:') || s.startsWith('signal:') || s.startsWith('exitcode:')) {
    const rest = s.slice(s.indexOf(':') + 1);
    return BAD.has(rest) || s.startsWith('signal:') || s.startsWith('exitcode:') ? 'bad' : 'warn';
  }
  if (s.includes(',')) {
    const tones = s.split(',').map((p) => statusTone(p));
    for (const t of ['bad', 'warn', 'muted', 'ok'] as const) if (tones.includes(t)) return t;
    return 'neutral';
  }
  if (OK.has(s)) return 'ok';
  if (WARN.has(s)) return 'warn';
  return 'neutral';
}

/** Column names whose cells are statuses (the Table's own names, any case). */
export function isStatusColumn(name: string): boolean {
  const n = name.toLowerCase();
  return n === 'status' || n === 'phase';
}
