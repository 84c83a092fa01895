/**
 * The garbage collector (upstream `garbage-collector`). Two kinds of work items on one queue:
 *
 * - `dependent:<uid>` (attemptToDelete): an object whose owners may be gone or being deleted in
 *   the foreground. Its owners are classified by uid — absent ("dangling"), waiting for their
 *   dependents (`foregroundDeletion`), or solid. With a solid owner, references to the others
 *   are removed; with none, the object is deleted (in the foreground when a waiting owner is
 *   deleting it and it has dependents of its own, else as its finalizers say, else background).
 * - `owner:<uid>`: an object being deleted with the `orphan` finalizer (its dependents lose the
 *   reference, then the finalizer goes) or `foregroundDeletion` (its dependents are deleted; the
 *   finalizer goes once no dependent with `blockOwnerDeletion` is left).
 *
 * Owners are looked up in the informer caches first; an owner not in them is read live (so an
 * owner of a kind that is not tracked, or one the caches have not seen yet, is never taken for
 * absent by mistake).
 */
import type { KubeObject, OwnerReference } from '../../api/types';
import { StatusError } from '../../api/errors';
import { RateLimitingQueue, type KubeClient, type SharedInformer } from '../../client';
import type { ControllerContext, ControllerDefinition, RunningController } from '../controller';
import { OwnerGraph, ownerUids, type GraphNode } from './graph';
import { RestMapper } from './rest-mapper';
import { IGNORED_RESOURCES, TRACKED_RESOURCES, groupResource, resourceId, type TrackedResource } from './resources';
import { runningController, queueWorkers, logSyncErrors, isConflict } from '../workers';

const WORKERS = 5;
const DEPENDENT = 'dependent:';
const OWNER = 'owner:';

type OwnerState = 'solid' | 'dangling' | 'waiting';

function hasFinalizer(obj: KubeObject, f: string): boolean {
  return (obj.metadata.finalizers ?? []).includes(f);
}

function deletingDependents(obj: KubeObject | undefined): boolean {
  return !!obj?.metadata.deletionTimestamp && hasFinalizer(obj, 'foregroundDeletion');
}

function ignoreGoneOrChanged(e: unknown): void {
  if (e instanceof StatusError && (e.code === 404 || e.code === 409)) return;
  throw e;
}

export class GarbageCollector {
  readonly graph = new OwnerGraph();
  readonly queue: RateLimitingQueue<string>;
  private readonly informers = new Map<string, SharedInformer>();
  private readonly mapper: RestMapper;
  private readonly client: KubeClient;

  constructor(private readonly ctx: ControllerContext) {
    this.client = ctx.client;
    this.queue = new RateLimitingQueue<string>({ name: 'garbage_collector', clock: ctx.clock });
    this.mapper = new RestMapper(ctx.client, ctx.clock);
    for (const res of TRACKED_RESOURCES) this.track(res);
  }

  /**
   * Watches every other resource the server can list, watch and delete (discovery), as upstream
   * monitors all deletable resources; then starts their informers.
   */
  async trackServedResources(): Promise<void> {
    const known = new Set(TRACKED_RESOURCES.map((r) => groupResource(r.ref)));
    for (const r of await this.mapper.servedResources()) {
      const gr = groupResource(r.ref);
      if (known.has(gr) || IGNORED_RESOURCES.has(gr)) continue;
      if (!['list', 'watch', 'delete'].every((v) => r.verbs.includes(v))) continue;
      known.add(gr);
      this.track({ ref: r.ref, namespaced: r.namespaced });
    }
    this.ctx.informers.start();
  }

  private track(res: TrackedResource): void {
    const inf = this.ctx.informers.informerFor(res.ref);
    this.informers.set(resourceId(res.ref), inf);
    inf.addEventHandler({
      onAdd: (obj) => this.observe(res, obj, true),
      onUpdate: (old, obj) => {
        if (ownerUids(old.metadata.ownerReferences) !== ownerUids(obj.metadata.ownerReferences) || old.metadata.deletionTimestamp !== obj.metadata.deletionTimestamp || (old.metadata.finalizers ?? []).join() !== (obj.metadata.finalizers ?? []).join()) {
          this.observe(res, obj, false);
        }
      },
      onDelete: (obj) => this.forget(obj),
    });
  }

  private observe(res: TrackedResource, obj: KubeObject, added: boolean): void {
    const uid = obj.metadata.uid;
    if (!uid) return;
    this.graph.upsert(res, obj);
    const owners = obj.metadata.ownerReferences ?? [];
    // An owner missing from the graph, or deleting its dependents: have a look at this one.
    if (owners.some((o) => !this.graph.nodes.has(o.uid) || deletingDependents(this.cached(o.uid)))) {
      this.queue.add(DEPENDENT + uid);
    }
    if (obj.metadata.deletionTimestamp && (hasFinalizer(obj, 'orphan') || hasFinalizer(obj, 'foregroundDeletion'))) this.queue.add(OWNER + uid);
    // An object appearing (or changing) may be the owner its dependents were waiting to see.
    if (added) for (const d of this.graph.dependentsOf(uid)) this.queue.add(DEPENDENT + d);
  }

  private forget(obj: KubeObject): void {
    const uid = obj.metadata.uid;
    if (!uid) return;
    const node = this.graph.remove(uid);
    // Its dependents may have lost their last owner.
    for (const d of this.graph.dependentsOf(uid)) this.queue.add(DEPENDENT + d);
    // An owner deleting in the foreground may have been waiting for this one.
    for (const o of node?.owners ?? obj.metadata.ownerReferences ?? []) {
      if (deletingDependents(this.cached(o.uid))) this.queue.add(OWNER + o.uid);
    }
  }

  /** The cached object with this uid, if the graph knows it. */
  private cached(uid: string): KubeObject | undefined {
    const node = this.graph.nodes.get(uid);
    return node ? this.cachedAt(node) : undefined;
  }

  private cachedAt(node: GraphNode): KubeObject | undefined {
    const obj = this.informers.get(resourceId(node.resource.ref))?.get(node.namespace || undefined, node.name);
    return obj?.metadata.uid === node.uid ? obj : undefined;
  }

  async process(item: string): Promise<void> {
    if (item.startsWith(DEPENDENT)) return this.attemptToDelete(item.slice(DEPENDENT.length));
    if (item.startsWith(OWNER)) return this.processOwner(item.slice(OWNER.length));
  }

  // --- dependents ----------------------------------------------------------------------------

  private async ownerState(ref: OwnerReference, dependent: GraphNode): Promise<OwnerState> {
    const cached = this.cached(ref.uid);
    if (cached) return deletingDependents(cached) ? 'waiting' : 'solid';
    const mapping = await this.mapper.resolve(ref.apiVersion, ref.kind);
    // A kind the server does not serve (yet): upstream cannot map it and leaves the dependent be.
    if (!mapping) return 'solid';
    const ns = mapping.namespaced ? dependent.namespace : undefined;
    if (mapping.namespaced && !dependent.namespace) return 'dangling';
    const live = await this.client.tryGet(mapping.ref, ns, ref.name);
    if (!live || live.metadata.uid !== ref.uid) return 'dangling';
    return deletingDependents(live) ? 'waiting' : 'solid';
  }

  private async attemptToDelete(uid: string): Promise<void> {
    const node = this.graph.nodes.get(uid);
    if (!node) return;
    // Every owner cached and not deleting its dependents: nothing to do, no need to read live
    // (a restart queues every dependent seen before its owner's informer synced).
    if (node.owners.every((o) => {
      const owner = this.cached(o.uid);
      return owner !== undefined && !deletingDependents(owner);
    })) {
      return;
    }
    const ref = node.resource.ref;
    const ns = node.namespace || undefined;
    const latest = await this.client.tryGet(ref, ns, node.name);
    if (!latest || latest.metadata.uid !== uid) return;
    if (latest.metadata.deletionTimestamp && !hasFinalizer(latest, 'foregroundDeletion')) return;
    const owners = latest.metadata.ownerReferences ?? [];
    if (owners.length === 0) return;
    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const o of owners) {
      const state = await this.ownerState(o, node);
      (state === 'solid' ? solid : state === 'dangling' ? dangling : waiting).push(o);
    }
    if (solid.length > 0) {
      if (dangling.length === 0 && waiting.length === 0) return;
      // Still owned: only the references to gone (or going) owners are dropped.
      const keep = new Set(solid.map((o) => o.uid));
      await this.client
        .patch(ref, ns, node.name, 'merge', { metadata: { uid, resourceVersion: latest.metadata.resourceVersion, ownerReferences: owners.filter((o) => keep.has(o.uid)) } })
        .catch(ignoreGoneOrChanged);
      return;
    }
    let policy: 'Orphan' | 'Foreground' | 'Background';
    if (waiting.length > 0 && this.graph.dependentsOf(uid).length > 0) policy = 'Foreground';
    else if (hasFinalizer(latest, 'orphan')) policy = 'Orphan';
    else if (hasFinalizer(latest, 'foregroundDeletion')) policy = 'Foreground';
    else policy = 'Background';
    if (latest.metadata.deletionTimestamp) return;
    await this.client.delete(ref, ns, node.name, { propagationPolicy: policy, preconditions: { uid } }).catch(ignoreGoneOrChanged);
  }

  // --- owners being deleted ------------------------------------------------------------------

  private async processOwner(uid: string): Promise<void> {
    const node = this.graph.nodes.get(uid);
    if (!node) return;
    const ref = node.resource.ref;
    const ns = node.namespace || undefined;
    const owner = await this.client.tryGet(ref, ns, node.name);
    if (!owner || owner.metadata.uid !== uid || !owner.metadata.deletionTimestamp) return;
    if (hasFinalizer(owner, 'orphan')) {
      await this.orphanDependents(uid);
      await this.removeFinalizer(node, owner, 'orphan');
      return;
    }
    if (!hasFinalizer(owner, 'foregroundDeletion')) return;
    let blocking = 0;
    for (const d of this.graph.dependentsOf(uid)) {
      const dep = this.graph.nodes.get(d);
      const obj = dep && this.cachedAt(dep);
      if (!obj) continue;
      const refToOwner = (obj.metadata.ownerReferences ?? []).find((o) => o.uid === uid);
      if (refToOwner?.blockOwnerDeletion) blocking++;
      if (!obj.metadata.deletionTimestamp || deletingDependents(obj)) this.queue.add(DEPENDENT + d);
    }
    if (blocking === 0) await this.removeFinalizer(node, owner, 'foregroundDeletion');
  }

  private async orphanDependents(ownerUid: string): Promise<void> {
    for (const d of this.graph.dependentsOf(ownerUid)) {
      const dep = this.graph.nodes.get(d);
      if (!dep) continue;
      const ns = dep.namespace || undefined;
      for (let attempt = 0; attempt < 5; attempt++) {
        const latest = await this.client.tryGet(dep.resource.ref, ns, dep.name);
        if (!latest || latest.metadata.uid !== d) break;
        const owners = latest.metadata.ownerReferences ?? [];
        if (!owners.some((o) => o.uid === ownerUid)) break;
        const rest = owners.filter((o) => o.uid !== ownerUid);
        try {
          await this.client.patch(dep.resource.ref, ns, dep.name, 'merge', { metadata: { uid: d, resourceVersion: latest.metadata.resourceVersion, ownerReferences: rest.length ? rest : null } });
          break;
        } catch (e) {
          if (e instanceof StatusError && e.code === 404) break;
          if (!(e instanceof StatusError && e.code === 409) || attempt === 4) throw e;
        }
      }
    }
  }

  private async removeFinalizer(node: GraphNode, owner: KubeObject, finalizer: string): Promise<void> {
    const rest = (owner.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    await this.client
      .patch(node.resource.ref, node.namespace || undefined, node.name, 'merge', { metadata: { uid: node.uid, resourceVersion: owner.metadata.resourceVersion, finalizers: rest.length ? rest : null } })
      .catch((e: unknown) => {
        // Changed meanwhile: try again with the new version.
        if (e instanceof StatusError && e.code === 409) throw e;
        ignoreGoneOrChanged(e);
      });
  }
}

export const garbageCollectorController: ControllerDefinition = {
  name: 'garbage-collector',
  start(ctx: ControllerContext): RunningController {
    const gc = new GarbageCollector(ctx);
    const workers = queueWorkers(gc.queue, WORKERS, (item) => gc.process(item), logSyncErrors(ctx, 'garbage-collector', isConflict));
    return runningController({
      run() {
        gc.trackServedResources().catch((e: unknown) => ctx.log(`garbage-collector: discovery failed, watching the built-in owner kinds only: ${e instanceof Error ? e.message : String(e)}`));
        return workers.run();
      },
      stop: () => workers.stop(),
    });
  },
};
