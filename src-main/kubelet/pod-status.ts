/**
 * The pod status the kubelet reports (status manager + generateAPIPodStatus): phase from the
 * containers (getPhase), the conditions PodReadyToStartContainers, Initialized, Ready,
 * ContainersReady, PodScheduled with upstream reasons and messages, IPs, startTime and the
 * container statuses. Pure: the same records give the same object, so unchanged status is not
 * written again.
 */
import type { ContainerRecord } from './container-record';
import { containerStatus } from './container-record';
import { rfc3339 } from './format';

export type Phase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

export interface PodStatusInput {
  restartPolicy: string;
  init: ContainerRecord[];
  regular: ContainerRecord[];
  hostIP: string;
  podIP?: string;
  startTime?: number;
  /** The sandbox exists (PodReadyToStartContainers). */
  sandboxReady: boolean;
  /** The pod is being torn down or has finished: its phase must become terminal. */
  terminal: boolean;
  /** The kubelet failed the pod itself (status.reason and message, phase Failed), e.g. DeadlineExceeded. */
  failure?: { reason: string; message: string };
  /** The status as last written (for lastTransitionTime and qosClass). */
  previous?: Record<string, unknown>;
  now: number;
}

interface Condition {
  type: string;
  status: 'True' | 'False';
  reason?: string;
  message?: string;
  lastProbeTime: null;
  lastTransitionTime: string;
}

/** getPhase (kubelet_pods.go). */
export function podPhase(restartPolicy: string, init: ContainerRecord[], regular: ContainerRecord[], terminal: boolean): Phase {
  let pendingInit = 0;
  let failedInit = 0;
  for (const r of init) {
    if (r.sidecar) {
      if (!r.running) pendingInit++;
      continue;
    }
    if (r.running || r.busy) pendingInit++;
    else if (r.current?.terminated) {
      if (r.current.terminated.exitCode === 0) continue;
      failedInit++;
    } else pendingInit++;
  }
  if (failedInit > 0 && restartPolicy === 'Never') return 'Failed';
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const r of regular) {
    if (r.running) running++;
    else if (r.current?.terminated) {
      stopped++;
      if (r.current.terminated.exitCode === 0) succeeded++;
    } else waiting++;
  }
  const anyRegularStarted = regular.some((r) => r.current);
  if ((pendingInit > 0 || failedInit > 0) && !anyRegularStarted) return terminal ? 'Failed' : 'Pending';
  if (waiting > 0) return terminal ? 'Failed' : 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (terminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (restartPolicy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (restartPolicy === 'Never') return 'Failed';
    return 'Running';
  }
  return terminal ? 'Failed' : 'Pending';
}

function keepTime(previous: Record<string, unknown> | undefined, type: string, status: string, now: number): string {
  const conds = (previous?.conditions ?? []) as Condition[];
  const old = conds.find((c) => c.type === type);
  return old && old.status === status && old.lastTransitionTime ? old.lastTransitionTime : rfc3339(now);
}

export function computePodStatus(p: PodStatusInput): Record<string, unknown> {
  const phase = p.failure ? 'Failed' : podPhase(p.restartPolicy, p.init, p.regular, p.terminal);
  const cond = (type: string, ok: boolean, reason?: string, message?: string): Condition => {
    const status = ok ? 'True' : 'False';
    const c: Condition = { type, status, lastProbeTime: null, lastTransitionTime: keepTime(p.previous, type, status, p.now) };
    if (reason) c.reason = reason;
    if (message) c.message = message;
    return c;
  };
  const completed = phase === 'Succeeded';

  const incomplete = p.init.filter((r) => (r.sidecar ? !r.running : !r.succeeded)).map((r) => r.name);
  const initialized = incomplete.length === 0 || p.regular.some((r) => r.current);
  const initCond = initialized
    ? cond('Initialized', true, completed && p.init.length > 0 ? 'PodCompleted' : undefined)
    : cond('Initialized', false, 'ContainersNotInitialized', `containers with incomplete status: [${incomplete.join(' ')}]`);

  const unready = [...p.init.filter((r) => r.sidecar && !r.ready(p.now)), ...p.regular.filter((r) => !r.ready(p.now))].map((r) => r.name);
  let readyCond: Condition;
  let containersReadyCond: Condition;
  if (completed) {
    readyCond = cond('Ready', false, 'PodCompleted');
    containersReadyCond = cond('ContainersReady', false, 'PodCompleted');
  } else if (unready.length === 0 && !p.terminal) {
    readyCond = cond('Ready', true);
    containersReadyCond = cond('ContainersReady', true);
  } else {
    const names = unready.length ? unready : p.regular.map((r) => r.name);
    const msg = `containers with unready status: [${names.join(' ')}]`;
    readyCond = cond('Ready', false, 'ContainersNotReady', msg);
    containersReadyCond = cond('ContainersReady', false, 'ContainersNotReady', msg);
  }
  const prevScheduled = ((p.previous?.conditions ?? []) as Condition[]).find((c) => c.type === 'PodScheduled' && c.status === 'True');
  const scheduled: Condition = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: prevScheduled?.lastTransitionTime ?? rfc3339(p.now) };

  const status: Record<string, unknown> = {
    conditions: [cond('PodReadyToStartContainers', p.sandboxReady && !p.terminal), initCond, readyCond, containersReadyCond, scheduled],
  };
  if (p.init.length) status.initContainerStatuses = p.init.map((r) => containerStatus(r, p.now));
  // Sorted by name, as the kubelet does (SortedContainerStatuses); init containers keep spec order.
  status.containerStatuses = p.regular.map((r) => containerStatus(r, p.now)).sort((a, b) => (String(a.name) < String(b.name) ? -1 : String(a.name) > String(b.name) ? 1 : 0));
  status.hostIP = p.hostIP;
  status.hostIPs = [{ ip: p.hostIP }];
  status.phase = phase;
  if (p.failure) {
    status.reason = p.failure.reason;
    status.message = p.failure.message;
  }
  if (p.podIP) {
    status.podIP = p.podIP;
    status.podIPs = [{ ip: p.podIP }];
  }
  if (p.previous?.qosClass) status.qosClass = p.previous.qosClass;
  if (p.startTime !== undefined) status.startTime = rfc3339(p.startTime);
  return status;
}
