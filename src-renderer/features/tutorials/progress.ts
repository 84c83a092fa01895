/**
 * Tutorial progress: the done steps of each tutorial (kept in localStorage, so it survives
 * reloads), and which steps the cluster now ticks off. A step with a check ticks only once every
 * earlier checked step is done (so "rolled back to 1.0" cannot tick before the update to 2.0),
 * and stays done: later steps may undo what an earlier one did.
 */
import type { ClusterState, Tutorial, WatchedKind } from './types';

/** Tutorial id → its done step ids. */
export type Progress = Record<string, string[]>;

export const PROGRESS_KEY = 'kubesim.tutorials.progress';

export function parseProgress(text: string | null): Progress {
  if (!text) return {};
  try {
    const v: unknown = JSON.parse(text);
    if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
    const out: Progress = {};
    for (const [k, ids] of Object.entries(v as Record<string, unknown>)) if (Array.isArray(ids)) out[k] = ids.filter((x): x is string => typeof x === 'string');
    return out;
  } catch {
    return {};
  }
}

export function withStep(p: Progress, tutorial: string, step: string, done: boolean): Progress {
  const cur = new Set(p[tutorial] ?? []);
  if (done) cur.add(step);
  else cur.delete(step);
  return { ...p, [tutorial]: [...cur] };
}

export function withoutTutorial(p: Progress, tutorial: string): Progress {
  const { [tutorial]: _, ...rest } = p;
  return rest;
}

/** Steps of `t` the cluster state ticks off now (in order; each may unlock the next). */
export function newlyDone(t: Tutorial, state: ClusterState, done: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const step of t.steps) {
    if (!step.check) continue;
    if (done.has(step.id)) continue;
    if (!step.check.test(state)) break;
    out.push(step.id);
  }
  return out;
}

/** The first step not done (the one to do next), or undefined when all are. */
export function currentStep(t: Tutorial, done: ReadonlySet<string>): string | undefined {
  return t.steps.find((s) => !done.has(s.id))?.id;
}

/** The kinds a tutorial's checks read (one informer each). */
export function watchedKinds(t: Tutorial): WatchedKind[] {
  return [...new Set(t.steps.flatMap((s) => s.check?.needs ?? []))];
}
