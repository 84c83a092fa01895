/**
 * spec.successPolicy of Indexed Jobs (upstream success_policy.go): the Job has succeeded once a
 * rule matches: all of its `succeededIndexes` (or `succeededCount` of them) succeeded, or, for a
 * rule with only `succeededCount`, that many indexes succeeded. The message names the rule.
 */
import { parseIndexes, totalIndexes, type Interval } from './indexes';

export interface SuccessPolicy {
  rules?: { succeededIndexes?: string; succeededCount?: number }[];
}

export const REASON_SUCCESS_POLICY = 'SuccessPolicy';

function overlapCount(rule: readonly Interval[], done: readonly Interval[]): number {
  let contains = 0;
  let r = 0;
  let d = 0;
  while (r < rule.length && d < done.length) {
    const overlap = Math.min(rule[r].last, done[d].last) - Math.max(rule[r].first, done[d].first) + 1;
    if (overlap > 0) contains += overlap;
    if (done[d].last < rule[r].last) d++;
    else r++;
  }
  return contains;
}

/** The SuccessCriteriaMet message when a rule matches, else undefined. */
export function matchSuccessPolicy(policy: SuccessPolicy | undefined, completions: number, succeeded: readonly Interval[]): string | undefined {
  if (!policy || succeeded.length === 0) return undefined;
  const rules = policy.rules ?? [];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (rule.succeededIndexes != null) {
      const required = parseIndexes(rule.succeededIndexes, completions);
      if (required.length === 0) continue;
      const contains = overlapCount(required, succeeded);
      if (contains === totalIndexes(required) || (rule.succeededCount != null && contains >= rule.succeededCount)) return `Matched rules at index ${i}`;
    } else if (rule.succeededCount != null && totalIndexes(succeeded) >= rule.succeededCount) {
      return `Matched rules at index ${i}`;
    }
  }
  return undefined;
}
