/**
 * Disruption controller (upstream `disruption`): keeps every PodDisruptionBudget's status —
 * expectedPods, desiredHealthy, currentHealthy, disruptionsAllowed, disruptedPods,
 * observedGeneration and the `DisruptionAllowed` condition (SufficientPods / InsufficientPods /
 * SyncFailed) — from the pods its selector matches:
 *
 * - `minAvailable: N` → expected = number of pods, desiredHealthy = N;
 * - `minAvailable: P%` → expected = the pods' controllers' scale, desiredHealthy = ⌈P%·expected⌉;
 * - `maxUnavailable: N|P%` → expected = the controllers' scale, desiredHealthy = expected − N
 *   (percentages round up);
 * - healthy = Ready, not being deleted, not in `disruptedPods` (evictions the API server granted
 *   and the pod has not yet gone; they expire after 2 minutes).
 *
 * The controllers' scale comes from ReplicaSets (the Deployment's when it owns the ReplicaSet),
 * ReplicationControllers and StatefulSets in the informer caches.
 */
import type { KubeObject } from '../api/types';
import { labelSelectorFromObject, type LabelSelector } from '../api/selectors/labels';
import { R, RateLimitingQueue, splitMetaNamespaceKey, type Clock, type EventRecorder, type KubeClient, type SharedInformer } from '../client';
import type { ControllerContext, ControllerDefinition, RunningController } from './controller';
import { runningController, queueWorkers, logSyncErrors, isConflict } from './workers';

/** How long an eviction the API server granted counts as a disruption before the pod must be gone. */
export const DELETION_TIMEOUT_MS = 2 * 60_000;

interface PdbSpec {
  minAvailable?: number | string;
  maxUnavailable?: number | string;
  selector?: unknown;
}

interface PdbStatus {
  observedGeneration?: number;
  disruptedPods?: Record<string, string>;
  disruptionsAllowed: number;
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
  conditions?: { type: string; status: string; reason: string; message: string; observedGeneration?: number; lastTransitionTime: string }[];
}

function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The PDB's selector; undefined (matches nothing) when it has none. An empty selector matches every pod (policy/v1). */
export function pdbSelector(pdb: KubeObject): LabelSelector | undefined {
  const sel = (pdb.spec as PdbSpec | undefined)?.selector;
  if (sel === undefined || sel === null) return undefined;
  return labelSelectorFromObject(sel);
}

export function isPodReady(pod: KubeObject): boolean {
  const conds = ((pod.status ?? {}) as { conditions?: { type: string; status: string }[] }).conditions ?? [];
  return conds.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** intstr.GetScaledValueFromIntOrPercent with rounding up. */
export function scaledValue(v: number | string, total: number): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) {
    if (/^\d+$/.test(v)) return Number(v);
    throw new Error(`invalid value for IntOrString: invalid value "${v}"`);
  }
  return Math.ceil((Number(m[1]) * total) / 100);
}

const isPercent = (v: unknown) => typeof v === 'string' && v.endsWith('%');

class NoControllerError extends Error {}

export class DisruptionController {
  constructor(
    private readonly client: KubeClient,
    private readonly clock: Clock,
    private readonly recorder: EventRecorder,
    private readonly pdbs: SharedInformer,
    private readonly pods: SharedInformer,
    private readonly controllers: { rs: SharedInformer; deploy: SharedInformer; rc: SharedInformer; sts: SharedInformer },
    private readonly requeueAfter: (key: string, ms: number) => void,
  ) {}

  /** The PDB keys (`ns/name`) whose selector matches any of the label sets. */
  pdbsFor(namespace: string, labelSets: (Record<string, string> | undefined)[]): string[] {
    const out: string[] = [];
    for (const pdb of this.pdbs.list(namespace)) {
      const sel = pdbSelector(pdb);
      if (sel && labelSets.some((l) => sel.matches(l ?? {}))) out.push(`${namespace}/${pdb.metadata.name}`);
    }
    return out;
  }

  /** The scale of the controller a pod belongs to: [controller uid, replicas]. */
  private controllerScale(pod: KubeObject): [string, number] {
    const ref = pod.metadata.ownerReferences?.find((o) => o.controller);
    const ns = pod.metadata.namespace;
    const noController = () => new NoControllerError(`found no controllers for pod "${pod.metadata.name}"`);
    if (!ref) throw noController();
    const byUid = (inf: SharedInformer, name: string, uid: string) => {
      const o = inf.get(ns, name);
      return o && o.metadata.uid === uid ? o : undefined;
    };
    const replicas = (o: KubeObject) => ((o.spec ?? {}) as { replicas?: number }).replicas ?? 1;
    if (ref.kind === 'ReplicaSet' && ref.apiVersion.startsWith('apps/')) {
      const rs = byUid(this.controllers.rs, ref.name, ref.uid);
      if (!rs) throw noController();
      const owner = rs.metadata.ownerReferences?.find((o) => o.controller);
      if (owner?.kind === 'Deployment') {
        const d = byUid(this.controllers.deploy, owner.name, owner.uid);
        if (!d) throw noController();
        return [d.metadata.uid!, replicas(d)];
      }
      return [rs.metadata.uid!, replicas(rs)];
    }
    if (ref.kind === 'ReplicationController' && ref.apiVersion === 'v1') {
      const rc = byUid(this.controllers.rc, ref.name, ref.uid);
      if (!rc) throw noController();
      return [rc.metadata.uid!, replicas(rc)];
    }
    if (ref.kind === 'StatefulSet' && ref.apiVersion.startsWith('apps/')) {
      const sts = byUid(this.controllers.sts, ref.name, ref.uid);
      if (!sts) throw noController();
      return [sts.metadata.uid!, replicas(sts)];
    }
    throw noController();
  }

  private expectedScale(pods: KubeObject[]): number {
    const scales = new Map<string, number>();
    for (const pod of pods) {
      const [uid, n] = this.controllerScale(pod);
      scales.set(uid, n);
    }
    let sum = 0;
    for (const n of scales.values()) sum += n;
    return sum;
  }

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const pdb = this.pdbs.get(namespace, name);
    if (!pdb) return;
    const sel = pdbSelector(pdb);
    const pods = sel ? this.pods.list(namespace, sel) : [];
    if (pods.length === 0) void this.recorder.record({ regarding: pdb, type: 'Normal', reason: 'NoPods', message: 'No matching pods found' }).catch(() => undefined);

    const spec = (pdb.spec ?? {}) as PdbSpec;
    let expected: number;
    let desired: number;
    try {
      if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
        expected = this.expectedScale(pods);
        desired = Math.max(0, expected - scaledValue(spec.maxUnavailable, expected));
      } else if (isPercent(spec.minAvailable)) {
        expected = this.expectedScale(pods);
        desired = scaledValue(spec.minAvailable!, expected);
      } else {
        expected = pods.length;
        desired = spec.minAvailable === undefined || spec.minAvailable === null ? 0 : scaledValue(spec.minAvailable, expected);
      }
    } catch (e) {
      if (!(e instanceof NoControllerError)) throw e;
      void this.recorder.record({ regarding: pdb, type: 'Warning', reason: 'CalculateExpectedPodCountFailed', message: `Failed to calculate the number of expected pods: ${e.message}` }).catch(() => undefined);
      await this.writeStatus(pdb, { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 }, ['False', 'SyncFailed', e.message]);
      return;
    }

    // Evictions granted but not carried out yet still count as disruptions, for a while.
    const now = this.clock.now();
    const before = ((pdb.status ?? {}) as PdbStatus).disruptedPods ?? {};
    const disrupted: Record<string, string> = {};
    let nextExpiry: number | undefined;
    for (const pod of pods) {
      const n = pod.metadata.name!;
      if (pod.metadata.deletionTimestamp || !(n in before)) continue;
      const at = Date.parse(before[n]);
      const expiry = at + DELETION_TIMEOUT_MS;
      if (expiry < now) continue;
      disrupted[n] = before[n];
      nextExpiry = nextExpiry === undefined ? expiry : Math.min(nextExpiry, expiry);
    }
    let healthy = 0;
    for (const pod of pods) {
      if (pod.metadata.deletionTimestamp || pod.metadata.name! in disrupted) continue;
      if (isPodReady(pod)) healthy++;
    }
    let allowed = healthy - desired;
    if (expected <= 0 || allowed <= 0) allowed = 0;
    const status: PdbStatus = { disruptionsAllowed: allowed, currentHealthy: healthy, desiredHealthy: desired, expectedPods: expected };
    if (Object.keys(disrupted).length) status.disruptedPods = disrupted;
    await this.writeStatus(pdb, status, allowed > 0 ? ['True', 'SufficientPods', ''] : ['False', 'InsufficientPods', '']);
    if (nextExpiry !== undefined) this.requeueAfter(key, nextExpiry - now + 1);
  }

  private async writeStatus(pdb: KubeObject, status: PdbStatus, [condStatus, reason, message]: [string, string, string]): Promise<void> {
    const old = (pdb.status ?? {}) as PdbStatus;
    const generation = pdb.metadata.generation ?? 1;
    status.observedGeneration = generation;
    const prev = old.conditions?.find((c) => c.type === 'DisruptionAllowed');
    const lastTransitionTime = prev && prev.status === condStatus ? prev.lastTransitionTime : rfc3339(this.clock.now());
    status.conditions = [
      ...(old.conditions ?? []).filter((c) => c.type !== 'DisruptionAllowed'),
      { type: 'DisruptionAllowed', status: condStatus, observedGeneration: generation, lastTransitionTime, reason, message },
    ];
    if (JSON.stringify(status) === JSON.stringify(old)) return;
    const next = structuredClone(pdb) as KubeObject;
    next.status = status;
    await this.client.updateStatus(R.poddisruptionbudgets, pdb.metadata.namespace, next);
  }
}

/** What about a pod changes a budget: labels, readiness, deletion, controller. */
function podSignature(pod: KubeObject): string {
  return JSON.stringify([pod.metadata.labels ?? {}, isPodReady(pod), !!pod.metadata.deletionTimestamp, pod.metadata.ownerReferences?.find((o) => o.controller)?.uid ?? '']);
}

export const disruptionController: ControllerDefinition = {
  name: 'disruption',
  start(ctx: ControllerContext): RunningController {
    const pdbs = ctx.informers.informerFor(R.poddisruptionbudgets);
    const pods = ctx.informers.informerFor(R.pods);
    const controllers = {
      rs: ctx.informers.informerFor(R.replicasets),
      deploy: ctx.informers.informerFor(R.deployments),
      rc: ctx.informers.informerFor(R.replicationcontrollers),
      sts: ctx.informers.informerFor(R.statefulsets),
    };
    const queue = new RateLimitingQueue<string>({ name: 'disruption', clock: ctx.clock });
    const controller = new DisruptionController(ctx.client, ctx.clock, ctx.events('controllermanager'), pdbs, pods, controllers, (k, ms) => queue.addAfter(k, ms));
    const key = (o: KubeObject) => `${o.metadata.namespace}/${o.metadata.name}`;
    pdbs.addEventHandler({ onAdd: (p) => queue.add(key(p)), onUpdate: (_o, p) => queue.add(key(p)), onDelete: (p) => queue.add(key(p)) });
    const forPod = (labelSets: (Record<string, string> | undefined)[], pod: KubeObject) => {
      for (const k of controller.pdbsFor(pod.metadata.namespace ?? '', labelSets)) queue.add(k);
    };
    pods.addEventHandler({
      onAdd: (p) => forPod([p.metadata.labels], p),
      onUpdate: (old, p) => {
        if (podSignature(old) !== podSignature(p)) forPod([old.metadata.labels, p.metadata.labels], p);
      },
      onDelete: (p) => forPod([p.metadata.labels], p),
    });
    // A controller's scale is the expected count of percentage and maxUnavailable budgets.
    const scaleOf = (o: KubeObject) => ((o.spec ?? {}) as { replicas?: number }).replicas;
    for (const inf of Object.values(controllers)) {
      inf.addEventHandler({
        onUpdate: (old, o) => {
          if (scaleOf(old) === scaleOf(o)) return;
          for (const pdb of pdbs.list(o.metadata.namespace)) queue.add(key(pdb));
        },
      });
    }
    return runningController(queueWorkers(queue, 2, (k) => controller.sync(k), logSyncErrors(ctx, 'disruption-controller', isConflict)));
  },
};
