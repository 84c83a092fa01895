/**
 * One pod as the wizards' pods panel shows it: ready containers, a kubectl-like status (the
 * waiting reason such as ContainerCreating or CrashLoopBackOff before the phase), restarts, node.
 */
import type { Pod } from '../../api/types';
import { statusTone, type Tone } from '../../util/status';

interface ContainerStatus {
  ready?: boolean;
  restartCount?: number;
  state?: { waiting?: { reason?: string }; terminated?: { reason?: string } };
}

export interface PodSummary {
  name: string;
  ready: number;
  total: number;
  status: string;
  tone: Tone;
  restarts: number;
  node?: string;
  created?: string;
}

export function podSummary(p: Pod): PodSummary {
  const statuses = ((p.status as { containerStatuses?: ContainerStatus[] } | undefined)?.containerStatuses ?? []) as ContainerStatus[];
  const total = p.spec?.containers?.length ?? statuses.length;
  const ready = statuses.filter((s) => s.ready).length;
  const reason = statuses.map((s) => s.state?.waiting?.reason ?? s.state?.terminated?.reason).find((r) => r);
  const status = p.metadata.deletionTimestamp ? 'Terminating' : reason ?? p.status?.phase ?? 'Pending';
  return {
    name: p.metadata.name,
    ready,
    total,
    status,
    tone: statusTone(status),
    restarts: statuses.reduce((n, s) => n + (s.restartCount ?? 0), 0),
    node: p.spec?.nodeName,
    created: p.metadata.creationTimestamp,
  };
}
