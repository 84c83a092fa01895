/**
 * spec.podFailurePolicy (upstream pod_failure_policy.go): the first rule matching a failed pod
 * decides: FailJob (the Job fails with a message naming the container or condition), Ignore (the
 * failure is not counted against backoffLimit), Count (the default) or FailIndex (counted).
 */
import type { Job, Pod, PodFailurePolicyRule } from './types';

export interface PolicyVerdict {
  /** Set when a FailJob rule matched. */
  failJobMessage?: string;
  /** Whether the failure counts against backoffLimit. */
  countFailed: boolean;
  action?: PodFailurePolicyRule['action'];
}

function exitCodeMatch(rule: NonNullable<PodFailurePolicyRule['onExitCodes']>, pod: Pod): { container: string; code: number } | undefined {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  for (const cs of statuses) {
    if (rule.containerName && rule.containerName !== cs.name) continue;
    const code = cs.state?.terminated?.exitCode;
    if (code === undefined || code === 0) continue;
    const inValues = rule.values.includes(code);
    if ((rule.operator === 'In' && inValues) || (rule.operator === 'NotIn' && !inValues)) return { container: cs.name, code };
  }
  return undefined;
}

function conditionMatch(reqs: NonNullable<PodFailurePolicyRule['onPodConditions']>, pod: Pod): string | undefined {
  for (const r of reqs) {
    const c = pod.status?.conditions?.find((x) => x.type === r.type);
    if (c && c.status === (r.status ?? 'True')) return r.type;
  }
  return undefined;
}

export function matchPodFailurePolicy(job: Job, pod: Pod): PolicyVerdict {
  const rules = job.spec.podFailurePolicy?.rules ?? [];
  const who = `${pod.metadata.namespace}/${pod.metadata.name}`;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    let what: string | undefined;
    if (rule.onExitCodes) {
      const m = exitCodeMatch(rule.onExitCodes, pod);
      if (m) what = `Container ${m.container} for pod ${who} failed with exit code ${m.code} matching ${rule.action} rule at index ${i}`;
    } else if (rule.onPodConditions) {
      const t = conditionMatch(rule.onPodConditions, pod);
      if (t) what = `Pod ${who} has condition ${t} matching ${rule.action} rule at index ${i}`;
    }
    if (what === undefined) continue;
    switch (rule.action) {
      case 'FailJob':
        return { failJobMessage: what, countFailed: true, action: rule.action };
      case 'Ignore':
        return { countFailed: false, action: rule.action };
      default:
        return { countFailed: true, action: rule.action };
    }
  }
  return { countFailed: true };
}
