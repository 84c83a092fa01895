/**
 * The FailedScheduling text (framework.FitError.Error()):
 * `0/<N> nodes are available:` + ` <prefilter message>.` or ` <"count reason" strings, sorted as
 * Go's sort.Strings, joined with ", ">.` + ` <postfilter (preemption) message>`, which already
 * ends in a period.
 */
import type { Diagnosis, Status } from './framework';

export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

/** Go's sort.Strings order: by UTF-16 code units here, the same for the ASCII reasons. */
function goSort(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function reasonHistogram(statuses: Iterable<Status>): string[] {
  const counts = new Map<string, number>();
  for (const s of statuses) for (const r of s.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([r, n]) => `${n} ${r}`).sort(goSort);
}

function withPeriod(s: string): string {
  return s.endsWith('.') ? s : `${s}.`;
}

export function fitErrorMessage(d: Diagnosis): string {
  let msg = `0/${d.numAllNodes} nodes are available:`;
  if (d.preFilter) msg += ` ${withPeriod(d.preFilter.reasons.join(', '))}`;
  else {
    const hist = reasonHistogram(d.nodeStatuses.values());
    if (hist.length) msg += ` ${hist.join(', ')}.`;
  }
  if (d.postFilterMsg) msg += ` ${withPeriod(d.postFilterMsg)}`;
  return msg;
}
