/**
 * The scheduler: informer handlers keep the cache and the queue up to date; one loop pops the
 * highest-priority pending pod, runs a scheduling cycle on the cache (synchronous, no API calls),
 * assumes the pod on the chosen node and binds it in the background (`pods/binding`, with the
 * decision annotation), or records why it cannot be placed (FailedScheduling event,
 * PodScheduled=False condition, decision annotation) and tries preemption.
 */
import type { KubeObject } from '../api/types';
import { asArray, asObject } from '../api/types';
import { StatusError } from '../api/errors';
import { EventRecorder, R, type Clock, type EventInput, type KubeClient, type SharedInformer, type SharedInformerFactory, type TimerHandle } from '../client';
import { SchedulerCache, isTerminal } from './cache';
import { buildDecision, decisionFingerprint, DECISION_ANNOTATION, type Decision } from './decision';
import { fitErrorMessage, NO_NODES_AVAILABLE } from './fit-error';
import { newCycleState, scheduleOne, type ClusterView, type Diagnosis, type Profile } from './framework';
import { newPodInfo, podKey, type PodInfo } from './pod-info';
import { defaultProfile } from './plugins';
import { claimsToProvision, SELECTED_NODE_ANNOTATION, VOLUME_BINDING } from './plugins/volume-binding';
import { preempt, type Candidate } from './preemption';
import { SchedulingQueue, type QueueOptions, type QueuedPod } from './queue';

export interface SchedulerOptions {
  /** Acts as system:kube-scheduler. */
  client: KubeClient;
  informers: SharedInformerFactory;
  clock: Clock;
  log: (line: string) => void;
  /** Event source component; default `default-scheduler`. */
  component?: string;
  profile?: Profile;
  queue?: QueueOptions;
  /** How long binding waits for WaitForFirstConsumer claims to be provisioned (upstream 600 s). */
  volumeBindTimeoutMs?: number;
}

/**
 * Events are written behind binding: while pods are waiting in activeQ the scheduler keeps
 * placing them and the events wait (upstream's event broadcaster is asynchronous too: a binding
 * never waits for an event write). They are written as soon as the queue runs dry, or when this
 * many are waiting, or when the oldest has waited EVENT_MAX_DELAY_MS (cluster clock).
 */
const EVENT_BATCH = 10_000;
const EVENT_MAX_DELAY_MS = 30_000;
/** Events written per turn of the event loop, so a big backlog does not stall API requests. */
const EVENT_CHUNK = 200;
const NONE: readonly PodInfo[] = [];
const GATED_MESSAGE = 'Scheduling is blocked due to non-empty scheduling gates';
/** Plugins helped by an assigned pod going away. */
const ON_POD_DELETE = new Set(['NodeResourcesFit', 'NodePorts', 'InterPodAffinity', 'PodTopologySpread', 'VolumeBinding', 'DefaultPreemption']);
/** Plugins helped by an assigned pod appearing or changing labels. */
const ON_POD_ADD = new Set(['InterPodAffinity', 'PodTopologySpread']);

function rfc3339(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

function nodeNameOf(pod: KubeObject): string {
  const n = asObject(pod.spec).nodeName;
  return typeof n === 'string' ? n : '';
}

function sameJSON(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function readyStatus(node: KubeObject): unknown {
  return asObject(asArray(asObject(node.status).conditions).find((c) => asObject(c).type === 'Ready')).status;
}

/** Node changes that can make a pending pod fit (not heartbeats). */
export function nodeChangeMatters(old: KubeObject, cur: KubeObject): boolean {
  const os = asObject(old.spec);
  const cs = asObject(cur.spec);
  return (
    !sameJSON(old.metadata.labels, cur.metadata.labels) ||
    !sameJSON(os.taints, cs.taints) ||
    os.unschedulable !== cs.unschedulable ||
    !sameJSON(asObject(old.status).allocatable, asObject(cur.status).allocatable) ||
    readyStatus(old) !== readyStatus(cur)
  );
}

function podRef(pod: KubeObject) {
  return { apiVersion: 'v1', kind: 'Pod', metadata: pod.metadata };
}

export class Scheduler {
  readonly cache = new SchedulerCache();
  readonly queue: SchedulingQueue;
  readonly profile: Profile;
  private readonly pods: SharedInformer;
  private readonly pvcs: SharedInformer;
  private readonly pvs: SharedInformer;
  private readonly classes: SharedInformer;
  private readonly namespaces: SharedInformer;
  private readonly view: ClusterView;
  /** Fingerprint of the decision last written on each pending pod. */
  private readonly written = new Map<string, string>();
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly claimWaiters = new Set<() => void>();
  /** Pending pods with status.nominatedNodeName, by node. */
  private readonly nominated = new Map<string, PodInfo[]>();
  private readonly nominatedNodeOf = new Map<string, string>();
  /** Events waiting to be written, each stamped with the time it happened. */
  private pendingEvents: EventInput[] = [];
  /** Flushed events not written yet (written EVENT_CHUNK at a time). */
  private readonly eventBacklog: EventInput[] = [];
  private writingEvents = false;
  private readonly events: EventRecorder;
  private eventTimer?: TimerHandle;
  private loop?: Promise<void>;
  private stopped = false;
  /** Pods bound so far (for benchmarks and logs). */
  bound = 0;

  constructor(private readonly o: SchedulerOptions) {
    this.profile = o.profile ?? defaultProfile();
    this.events = new EventRecorder(o.client, { component: o.component ?? 'default-scheduler' }, o.clock);
    this.queue = new SchedulingQueue(o.clock, o.queue);
    const f = o.informers;
    this.pods = f.informerFor(R.pods);
    const nodes = f.informerFor(R.nodes);
    this.pvcs = f.informerFor(R.persistentvolumeclaims);
    this.pvs = f.informerFor(R.persistentvolumes);
    this.classes = f.informerFor(R.storageclasses);
    this.namespaces = f.informerFor(R.namespaces);
    const cache = this.cache;
    this.view = {
      nodes: () => cache.nodes(),
      node: (name) => cache.node(name),
      podsWithRequiredAntiAffinity: cache.podsWithRequiredAntiAffinity,
      podsWithAffinity: cache.podsWithAffinity,
      namespaceLabels: (ns) => this.namespaces.get(undefined, ns)?.metadata.labels,
      pvc: (ns, name) => this.pvcs.get(ns, name),
      pv: (name) => this.pvs.get(undefined, name),
      storageClass: (name) => this.classes.get(undefined, name),
      nominatedPods: (node) => this.nominated.get(node) ?? NONE,
    };

    nodes.addEventHandler({
      onAdd: (n) => {
        cache.addNode(n);
        this.queue.moveAllToActiveOrBackoff();
      },
      onUpdate: (old, n) => {
        cache.addNode(n);
        if (nodeChangeMatters(old, n)) this.queue.moveAllToActiveOrBackoff();
      },
      onDelete: (n) => cache.removeNode(n.metadata.name ?? ''),
    });
    this.pods.addEventHandler({
      onAdd: (p) => this.onPodAdd(p),
      onUpdate: (old, p) => this.onPodUpdate(old, p),
      onDelete: (p) => this.onPodDelete(p),
    });
    const volumesChanged = () => {
      this.queue.moveAllToActiveOrBackoff((pl) => pl === VOLUME_BINDING);
      for (const w of [...this.claimWaiters]) w();
    };
    for (const inf of [this.pvcs, this.pvs, this.classes]) inf.addEventHandler({ onAdd: volumesChanged, onUpdate: volumesChanged, onDelete: volumesChanged });
  }

  private responsible(pod: KubeObject): boolean {
    const name = asObject(pod.spec).schedulerName;
    return (typeof name === 'string' && name ? name : 'default-scheduler') === this.profile.schedulerName;
  }

  private pending(pod: KubeObject): boolean {
    return !nodeNameOf(pod) && !pod.metadata.deletionTimestamp && !isTerminal(pod) && this.responsible(pod);
  }

  /** Keeps the nominated-pods index in line with a pod's status (and whether it is still pending). */
  private trackNomination(pod: KubeObject, pending: boolean): void {
    const key = podKey(pod);
    const want = pending ? asObject(pod.status).nominatedNodeName : undefined;
    const node = typeof want === 'string' ? want : '';
    const had = this.nominatedNodeOf.get(key);
    if (had !== undefined) {
      const rest = (this.nominated.get(had) ?? []).filter((p) => p.key !== key);
      if (rest.length) this.nominated.set(had, rest);
      else this.nominated.delete(had);
      this.nominatedNodeOf.delete(key);
    }
    if (!node) return;
    this.nominatedNodeOf.set(key, node);
    this.nominated.set(node, [...(this.nominated.get(node) ?? []), newPodInfo(pod)]);
  }

  private onPodAdd(pod: KubeObject): void {
    this.trackNomination(pod, this.pending(pod));
    if (nodeNameOf(pod)) {
      this.cache.addOrUpdatePod(pod);
      this.queue.moveAllToActiveOrBackoff((pl) => ON_POD_ADD.has(pl));
      return;
    }
    if (!this.pending(pod)) return;
    if (asArray(asObject(pod.spec).schedulingGates).length) {
      this.markGated(pod);
      return;
    }
    this.queue.add(pod);
  }

  private onPodUpdate(old: KubeObject, pod: KubeObject): void {
    const key = podKey(pod);
    if (this.nominatedNodeOf.has(key) || asObject(pod.status).nominatedNodeName) this.trackNomination(pod, this.pending(pod));
    if (nodeNameOf(pod)) {
      if (!nodeNameOf(old)) {
        this.queue.delete(key);
        this.written.delete(key);
      }
      const hadPod = !!this.cache.podInfo(key);
      this.cache.addOrUpdatePod(pod);
      if (hadPod && !this.cache.podInfo(key)) this.queue.moveAllToActiveOrBackoff((pl) => ON_POD_DELETE.has(pl)); // went terminal
      else if (!sameJSON(old.metadata.labels, pod.metadata.labels)) this.queue.moveAllToActiveOrBackoff((pl) => ON_POD_ADD.has(pl));
      return;
    }
    if (!this.pending(pod)) {
      this.queue.delete(key);
      return;
    }
    if (asArray(asObject(pod.spec).schedulingGates).length) {
      this.queue.delete(key);
      this.markGated(pod);
      return;
    }
    const relevant = old.spec !== pod.spec && (!sameJSON(old.spec, pod.spec) || !sameJSON(old.metadata.labels, pod.metadata.labels));
    this.queue.update(pod, relevant || !sameJSON(old.metadata.labels, pod.metadata.labels));
  }

  private onPodDelete(pod: KubeObject): void {
    const key = podKey(pod);
    this.trackNomination(pod, false);
    this.queue.delete(key);
    this.written.delete(key);
    if (this.cache.podInfo(key)) {
      this.cache.removePod(key);
      this.queue.moveAllToActiveOrBackoff((pl) => ON_POD_DELETE.has(pl));
    }
  }

  /** Starts the scheduling loop (after the informers synced). */
  run(): void {
    this.loop ??= this.scheduleLoop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.close();
    this.flushEvents();
    for (const w of [...this.claimWaiters]) w();
    await this.loop;
    await Promise.allSettled([...this.inflight]);
  }

  private track(p: Promise<unknown>): void {
    const t = p.catch((e: unknown) => this.o.log(`scheduler: ${e instanceof Error ? e.message : String(e)}`)).finally(() => this.inflight.delete(t));
    this.inflight.add(t);
  }

  /** Queues an event (see EVENT_BATCH). */
  private emit(e: EventInput): void {
    this.pendingEvents.push({ ...e, time: e.time ?? this.o.clock.now() });
    if (this.pendingEvents.length >= EVENT_BATCH) this.flushEvents();
    else if (this.eventTimer === undefined) this.eventTimer = this.o.clock.setTimeout(() => this.flushEvents(), EVENT_MAX_DELAY_MS);
    // Written at once when nothing else is waiting to be scheduled.
    if (!this.queue.hasActive()) queueMicrotask(() => {
      if (!this.queue.hasActive()) this.flushEvents();
    });
  }

  private flushEvents(): void {
    if (this.eventTimer !== undefined) this.o.clock.clearTimeout(this.eventTimer);
    this.eventTimer = undefined;
    for (const e of this.pendingEvents) this.eventBacklog.push(e);
    this.pendingEvents = [];
    if (this.writingEvents || !this.eventBacklog.length) return;
    this.writingEvents = true;
    this.track(this.writeEvents());
  }

  /** Writes the backlog EVENT_CHUNK at a time, letting requests and timers in between chunks. */
  private async writeEvents(): Promise<void> {
    try {
      while (this.eventBacklog.length) {
        const chunk = this.eventBacklog.splice(0, EVENT_CHUNK);
        const results = await Promise.allSettled(chunk.map((e) => this.events.record(e)));
        for (const r of results) if (r.status === 'rejected') this.o.log(`scheduler: event: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}`);
        if (this.eventBacklog.length) await new Promise<void>((r) => setImmediate(r));
      }
    } finally {
      this.writingEvents = false;
    }
  }

  private async scheduleLoop(): Promise<void> {
    let n = 0;
    for (;;) {
      if (!this.queue.hasActive()) this.flushEvents();
      const q = await this.queue.pop();
      if (!q) return;
      try {
        this.attempt(q);
      } catch (e) {
        this.o.log(`scheduler: ${q.key}: ${e instanceof Error ? e.message : String(e)}`);
        this.queue.addBackoff(q);
      }
      // Let watch events, timers and I/O in between bursts.
      if (++n % 32 === 0) await new Promise<void>((r) => setImmediate(r));
    }
  }

  /** One scheduling cycle for a popped pod. */
  attempt(q: QueuedPod): void {
    const [ns, name] = [q.key.slice(0, q.key.indexOf('/')), q.key.slice(q.key.indexOf('/') + 1)];
    const pod = this.pods.get(ns, name);
    if (!pod || !this.pending(pod) || this.cache.isAssumed(q.key)) {
      this.queue.done(q.key);
      return;
    }
    const info = newPodInfo(pod);
    const state = newCycleState(info, this.view);
    const result = scheduleOne(this.profile, state);
    const now = rfc3339(this.o.clock.now());
    if (result.kind === 'scheduled') {
      this.cache.assumePod(info, result.node);
      const decision = buildDecision({ diagnosis: result.diagnosis, time: now, attempts: q.attempts, node: result.node, feasible: result.feasible, scores: result.scores });
      this.track(this.bindingCycle(q, info, result.node, claimsToProvision(state), decision));
      return;
    }
    const d: Diagnosis = result.diagnosis;
    let candidate: Candidate | undefined;
    if (d.numAllNodes > 0) {
      const pre = preempt(this.profile, state, d);
      if (pre.message) d.postFilterMsg = pre.message;
      candidate = pre.candidate;
    }
    const message = d.numAllNodes === 0 ? NO_NODES_AVAILABLE : fitErrorMessage(d);
    const plugins = new Set<string>();
    for (const s of d.nodeStatuses.values()) plugins.add(s.plugin);
    if (d.preFilter) plugins.add(d.preFilter.plugin);
    if (candidate) plugins.add('DefaultPreemption');
    this.queue.addUnschedulable(q, plugins);
    const decision = buildDecision({
      diagnosis: d,
      time: now,
      attempts: q.attempts,
      message,
      nominatedNode: candidate?.node,
      victims: candidate?.victims.map((v) => v.key),
    });
    this.track(this.recordFailure(pod, message, decision, candidate));
  }

  private async bindingCycle(q: QueuedPod, info: PodInfo, node: string, claims: string[], decision: Decision): Promise<void> {
    const pod = info.pod;
    let stage = 'PreBind';
    let assignedAt = 0;
    try {
      if (claims.length) await this.provisionClaims(info.namespace, claims, node);
      stage = 'Bind';
      // The assignment happens with this write; the kubelet may record events before it returns.
      assignedAt = this.o.clock.now();
      await this.o.client.createSubresource(R.pods, info.namespace, info.name, 'binding', {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: info.name, namespace: info.namespace, uid: info.uid, annotations: { [DECISION_ANNOTATION]: JSON.stringify(decision) } },
        target: { apiVersion: 'v1', kind: 'Node', name: node },
      });
    } catch (e) {
      this.cache.forgetPod(info.key);
      const gone = e instanceof StatusError && (e.code === 404 || (e.code === 409 && /already assigned|being deleted/.test(e.message)));
      if (gone || this.stopped) {
        this.queue.done(info.key);
        return;
      }
      this.queue.addBackoff(q);
      this.queue.moveAllToActiveOrBackoff((pl) => ON_POD_DELETE.has(pl));
      const why = e instanceof Error ? e.message : String(e);
      // As schedule_one.go words it: PreBind errors as they are, Bind errors as "binding rejected".
      const message = stage === 'Bind' ? `binding rejected: running Bind plugin "DefaultBinder": ${why}` : why;
      this.emit({ regarding: podRef(pod), type: 'Warning', reason: 'FailedScheduling', message });
      return;
    }
    this.bound++;
    this.queue.done(info.key);
    this.emit({ regarding: podRef(pod), type: 'Normal', reason: 'Scheduled', message: `Successfully assigned ${info.namespace}/${info.name} to ${node}`, time: assignedAt });
  }

  /** VolumeBinding PreBind: mark WaitForFirstConsumer claims with the node, wait until they are bound. */
  private async provisionClaims(namespace: string, claims: string[], node: string): Promise<void> {
    for (const claim of claims) {
      const pvc = this.pvcs.get(namespace, claim);
      if (pvc?.metadata.annotations?.[SELECTED_NODE_ANNOTATION] === node) continue;
      try {
        await this.o.client.patch(R.persistentvolumeclaims, namespace, claim, 'merge', { metadata: { annotations: { [SELECTED_NODE_ANNOTATION]: node } } });
      } catch (e) {
        throw new Error(`running PreBind plugin "VolumeBinding": binding volumes: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    const bound = () => claims.every((c) => {
      const v = asObject(this.pvcs.get(namespace, c)?.spec).volumeName;
      return typeof v === 'string' && v !== '';
    });
    if (bound()) return;
    const timeoutMs = this.o.volumeBindTimeoutMs ?? 600_000;
    await new Promise<void>((resolve, reject) => {
      const timer = this.o.clock.setTimeout(() => {
        this.claimWaiters.delete(check);
        reject(new Error('running PreBind plugin "VolumeBinding": binding volumes: context deadline exceeded'));
      }, timeoutMs);
      const check = () => {
        if (!bound() && !this.stopped) return;
        this.claimWaiters.delete(check);
        this.o.clock.clearTimeout(timer);
        if (this.stopped) reject(new Error('scheduler stopped'));
        else resolve();
      };
      this.claimWaiters.add(check);
    });
  }

  private async recordFailure(pod: KubeObject, message: string, decision: Decision, candidate?: Candidate): Promise<void> {
    const key = podKey(pod);
    const ns = pod.metadata.namespace ?? '';
    const name = pod.metadata.name ?? '';
    if (candidate) await this.evictVictims(pod, candidate);
    this.emit({ regarding: podRef(pod), type: 'Warning', reason: 'FailedScheduling', message });
    const fp = decisionFingerprint(decision);
    try {
      if (this.written.get(key) !== fp) {
        await this.o.client.patch(R.pods, ns, name, 'merge', { metadata: { annotations: { [DECISION_ANNOTATION]: JSON.stringify(decision) } } });
        this.written.set(key, fp);
      }
      const cur = this.pods.get(ns, name) ?? pod;
      const status = asObject(cur.status);
      const cond = asObject(asArray(status.conditions).find((c) => asObject(c).type === 'PodScheduled'));
      const nominated = candidate?.node;
      const sameCond = cond.status === 'False' && cond.reason === 'Unschedulable' && cond.message === message;
      if (sameCond && (!nominated || status.nominatedNodeName === nominated)) return;
      const patch: Record<string, unknown> = {
        conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null, lastTransitionTime: cond.status === 'False' && typeof cond.lastTransitionTime === 'string' ? cond.lastTransitionTime : rfc3339(this.o.clock.now()) }],
      };
      if (nominated) patch.nominatedNodeName = nominated;
      await this.o.client.patch(R.pods, ns, name, 'strategic', { status: patch }, { subresource: 'status' });
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) return;
      throw e;
    }
  }

  /** Preemption: delete the victims (each gets a `Preempted` event). */
  /**
   * prepareCandidate: each victim gets the DisruptionTarget condition, is deleted and gets a
   * `Preempted` event; lower-priority pods nominated to the node lose their nomination (they may
   * no longer fit there) and so are retried elsewhere.
   */
  private async evictVictims(preemptor: KubeObject, c: Candidate): Promise<void> {
    const schedulerName = this.profile.schedulerName;
    const now = rfc3339(this.o.clock.now());
    for (const v of c.victims) {
      this.emit({ regarding: podRef(v.pod), type: 'Normal', reason: 'Preempted', message: `Preempted by pod ${preemptor.metadata.uid ?? ''} on node ${c.node}` });
      if (v.pod.metadata.deletionTimestamp) continue; // already leaving
      try {
        await this.o.client.patch(R.pods, v.namespace, v.name, 'strategic', {
          status: { conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler', message: `${schedulerName}: preempting to accommodate a higher priority pod`, lastProbeTime: null, lastTransitionTime: now }] },
        }, { subresource: 'status' });
        await this.o.client.delete(R.pods, v.namespace, v.name, { preconditions: { uid: v.uid } });
      } catch (e) {
        if (!(e instanceof StatusError && (e.code === 404 || e.code === 409))) throw e;
      }
    }
    const priority = asObject(preemptor.spec).priority;
    const mine = typeof priority === 'number' ? priority : 0;
    for (const p of this.nominated.get(c.node) ?? []) {
      if (p.priority >= mine || p.key === podKey(preemptor)) continue;
      await this.o.client.patch(R.pods, p.namespace, p.name, 'merge', { status: { nominatedNodeName: null } }, { subresource: 'status' }).catch((e: unknown) => {
        if (!(e instanceof StatusError && e.code === 404)) throw e;
      });
    }
  }

  private markGated(pod: KubeObject): void {
    const cond = asObject(asArray(asObject(pod.status).conditions).find((c) => asObject(c).type === 'PodScheduled'));
    if (cond.reason === 'SchedulingGated') return;
    const ns = pod.metadata.namespace ?? '';
    const name = pod.metadata.name ?? '';
    const now = rfc3339(this.o.clock.now());
    this.track(
      this.o.client
        .patch(R.pods, ns, name, 'strategic', { status: { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: GATED_MESSAGE, lastProbeTime: null, lastTransitionTime: now }] } }, { subresource: 'status' })
        .catch((e: unknown) => {
          if (!(e instanceof StatusError && e.code === 404)) throw e;
        }),
    );
  }
}
