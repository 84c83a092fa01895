/**
 * What one DaemonSet sync decides (daemon_controller.go manage/podsShouldBeOnNode,
 * update.go rollingUpdate, updateDaemonSetStatus), as pure functions of the DaemonSet, the nodes,
 * its pods by target node and the current hash:
 * - manage: a pod for every node that should run one and has none; failed/finished pods, extra
 *   pods (all but the oldest, or old+new while surging) and pods on nodes they may not stay on
 *   are deleted; unscheduled pods aimed at nodes that no longer exist too;
 * - rolling update: maxUnavailable old pods are deleted at a time (unavailable ones first), or,
 *   with maxSurge, new pods are created next to old ones and the old deleted once the new is available;
 * - status: desired/current/misscheduled/ready/available/updated counts.
 */
import type { KubeObject } from '../../api/types';
import { isObject } from '../../api/types';
import { REVISION_HASH_LABEL } from '../history';
import { isPodAvailable, isPodReady, podPhase } from '../statefulset/pod-conditions';
import { isPodUpdated, nodeShouldRunDaemonPod, templateGeneration } from './placement';

type Obj = Record<string, unknown>;

export interface NodePlan {
  /** Pods (names) to delete. */
  deletes: KubeObject[];
  /** Nodes (names) that need a new pod. */
  creates: string[];
  /** Warning events to record: [reason, message]. */
  warnings: [string, string][];
  /** Look again after this many milliseconds (failed pods held back by the back-off). */
  requeueAfterMs?: number;
}

/** Whether failed pods on a node may be deleted now (and records that they are). */
export interface FailedPodGate {
  allow(nodeName: string): boolean;
  remaining(nodeName: string): number;
}

/** podByCreationTimestampAndPhase: scheduled first, then oldest, then by name. */
export function byCreation(a: KubeObject, b: KubeObject): number {
  const na = !!(a.spec as Obj | undefined)?.nodeName;
  const nb = !!(b.spec as Obj | undefined)?.nodeName;
  if (na !== nb) return na ? -1 : 1;
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
}

function minReadySeconds(ds: KubeObject): number {
  const m = (ds.spec as Obj).minReadySeconds;
  return typeof m === 'number' ? m : 0;
}

/** An int or a percentage of `total`, rounded up (intstr.GetScaledValueFromIntOrPercent, roundUp). */
export function scaled(v: unknown, total: number): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\d+%$/.test(v)) return Math.ceil((Number(v.slice(0, -1)) * total) / 100);
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return 0;
}

function rollingParams(ds: KubeObject, desired: number): { maxSurge: number; maxUnavailable: number } {
  const us = (ds.spec as Obj).updateStrategy;
  const ru = isObject(us) && isObject(us.rollingUpdate) ? us.rollingUpdate : {};
  const maxSurge = scaled(ru.maxSurge ?? 0, desired);
  let maxUnavailable = scaled(ru.maxUnavailable ?? 1, desired);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

export function allowsSurge(ds: KubeObject): boolean {
  const us = (ds.spec as Obj).updateStrategy;
  if (!isObject(us) || us.type !== 'RollingUpdate' || !isObject(us.rollingUpdate)) return false;
  const s = us.rollingUpdate.maxSurge;
  return s !== undefined && s !== 0 && s !== '0' && s !== '0%';
}

export function manage(ds: KubeObject, nodes: readonly KubeObject[], byNode: Map<string, KubeObject[]>, hash: string, now: number, failed?: FailedPodGate): NodePlan {
  const plan: NodePlan = { deletes: [], creates: [], warnings: [] };
  const surge = allowsSurge(ds);
  for (const node of nodes) {
    const name = node.metadata.name ?? '';
    const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, ds);
    const pods = byNode.get(name) ?? [];
    const exists = pods.length > 0;
    if (shouldRun && !exists) {
      plan.creates.push(name);
    } else if (shouldContinueRunning) {
      const running: KubeObject[] = [];
      for (const pod of pods) {
        if (pod.metadata.deletionTimestamp) continue;
        const phase = podPhase(pod);
        if (phase === 'Failed') {
          if (failed && !failed.allow(name)) {
            const wait = failed.remaining(name);
            plan.requeueAfterMs = Math.min(plan.requeueAfterMs ?? wait, wait);
            continue;
          }
          plan.warnings.push(['FailedDaemonPod', `Found failed daemon pod ${pod.metadata.namespace}/${pod.metadata.name} on node ${name}, will try to kill it`]);
          plan.deletes.push(pod);
        } else if (phase === 'Succeeded') {
          plan.deletes.push(pod);
        } else {
          running.push(pod);
        }
      }
      running.sort(byCreation);
      if (!surge) {
        for (const extra of running.slice(1)) plan.deletes.push(extra);
        continue;
      }
      if (running.length <= 1) {
        if (running.length === 0 && shouldRun) plan.creates.push(name);
        continue;
      }
      let oldestNew: KubeObject | undefined;
      let oldestOld: KubeObject | undefined;
      for (const pod of running) {
        if (pod.metadata.labels?.[REVISION_HASH_LABEL] === hash) {
          if (!oldestNew) {
            oldestNew = pod;
            continue;
          }
        } else if (!oldestOld) {
          oldestOld = pod;
          continue;
        }
        plan.deletes.push(pod);
      }
      if (oldestNew && oldestOld && (!isPodReady(oldestOld) || isPodAvailable(oldestNew, minReadySeconds(ds), now))) plan.deletes.push(oldestOld);
    } else if (exists) {
      for (const pod of pods) if (!pod.metadata.deletionTimestamp) plan.deletes.push(pod);
    }
  }
  // Unscheduled pods aimed at nodes that are gone.
  const known = new Set(nodes.map((n) => n.metadata.name));
  for (const [nodeName, pods] of byNode) {
    if (known.has(nodeName)) continue;
    for (const pod of pods) if (!(pod.spec as Obj).nodeName && !pod.metadata.deletionTimestamp) plan.deletes.push(pod);
  }
  return plan;
}

/** findUpdatedPodsOnNode: at most one new and one old pod (not being deleted), else not ok. */
function updatedPodsOnNode(ds: KubeObject, pods: readonly KubeObject[], hash: string): { ok: boolean; newPod?: KubeObject; oldPod?: KubeObject } {
  let newPod: KubeObject | undefined;
  let oldPod: KubeObject | undefined;
  const gen = templateGeneration(ds);
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp) continue;
    if (isPodUpdated(pod, hash, gen)) {
      if (newPod) return { ok: false };
      newPod = pod;
    } else {
      if (oldPod) return { ok: false };
      oldPod = pod;
    }
  }
  return { ok: true, newPod, oldPod };
}

export function rollingUpdate(ds: KubeObject, nodes: readonly KubeObject[], byNode: Map<string, KubeObject[]>, hash: string, now: number): NodePlan {
  const plan: NodePlan = { deletes: [], creates: [], warnings: [] };
  const desired = nodes.filter((n) => nodeShouldRunDaemonPod(n, ds).shouldRun).length;
  const { maxSurge, maxUnavailable } = rollingParams(ds, desired);
  const minReady = minReadySeconds(ds);
  const entries = [...byNode.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  if (maxSurge === 0) {
    let numUnavailable = 0;
    const allowed: KubeObject[] = [];
    const candidates: KubeObject[] = [];
    for (const [, pods] of entries) {
      const { ok, newPod, oldPod } = updatedPodsOnNode(ds, pods, hash);
      if (!ok || (!oldPod && !newPod) || (oldPod && newPod)) {
        numUnavailable++;
      } else if (newPod) {
        if (!isPodAvailable(newPod, minReady, now)) numUnavailable++;
      } else if (oldPod) {
        if (!isPodAvailable(oldPod, minReady, now)) allowed.push(oldPod);
        else if (numUnavailable < maxUnavailable) candidates.push(oldPod);
      }
    }
    const remaining = Math.min(Math.max(0, maxUnavailable - numUnavailable), candidates.length);
    plan.deletes.push(...allowed, ...candidates.slice(0, remaining));
    return plan;
  }
  let numSurge = 0;
  const allowedNodes: string[] = [];
  const candidateNodes: string[] = [];
  for (const [nodeName, pods] of entries) {
    const { ok, newPod, oldPod } = updatedPodsOnNode(ds, pods, hash);
    if (!ok) {
      numSurge++;
      continue;
    }
    if (!oldPod) continue;
    if (!newPod) {
      if (!isPodAvailable(oldPod, minReady, now)) allowedNodes.push(nodeName);
      else if (numSurge < maxSurge) candidateNodes.push(nodeName);
      continue;
    }
    if (!isPodAvailable(newPod, minReady, now)) {
      numSurge++;
      continue;
    }
    plan.deletes.push(oldPod);
  }
  const remaining = Math.min(Math.max(0, maxSurge - numSurge), candidateNodes.length);
  plan.creates.push(...allowedNodes, ...candidateNodes.slice(0, remaining));
  return plan;
}

export interface DaemonSetCounts {
  desiredNumberScheduled: number;
  currentNumberScheduled: number;
  numberMisscheduled: number;
  numberReady: number;
  updatedNumberScheduled: number;
  numberAvailable: number;
  numberUnavailable: number;
}

export function countStatus(ds: KubeObject, nodes: readonly KubeObject[], byNode: Map<string, KubeObject[]>, hash: string, now: number): DaemonSetCounts {
  const c: DaemonSetCounts = { desiredNumberScheduled: 0, currentNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0, updatedNumberScheduled: 0, numberAvailable: 0, numberUnavailable: 0 };
  const gen = templateGeneration(ds);
  for (const node of nodes) {
    const pods = byNode.get(node.metadata.name ?? '') ?? [];
    const scheduled = pods.length > 0;
    if (nodeShouldRunDaemonPod(node, ds).shouldRun) {
      c.desiredNumberScheduled++;
      if (!scheduled) continue;
      c.currentNumberScheduled++;
      const pod = [...pods].sort(byCreation)[0];
      if (isPodReady(pod)) {
        c.numberReady++;
        if (isPodAvailable(pod, minReadySeconds(ds), now)) c.numberAvailable++;
      }
      if (isPodUpdated(pod, hash, gen)) c.updatedNumberScheduled++;
    } else if (scheduled) {
      c.numberMisscheduled++;
    }
  }
  c.numberUnavailable = c.desiredNumberScheduled - c.numberAvailable;
  return c;
}
