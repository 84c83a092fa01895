/**
 * The PersistentVolume binder (`persistentvolume-controller`, pkg/controller/volume/persistentvolume):
 *
 * - claims: an unbound claim gets the default class when it has none (retroactive default class),
 *   then is bound to the best matching volume (or the one named in `spec.volumeName`); with no
 *   volume it waits for its first consumer (WaitForFirstConsumer classes without
 *   `volume.kubernetes.io/selected-node`), asks the class's provisioner
 *   (`volume.kubernetes.io/storage-provisioner` + ExternalProvisioning), or reports FailedBinding;
 *   a bound claim whose volume is gone is Lost;
 * - volumes: Available without a claim, Bound with one, Released when the claim is gone, then
 *   reclaimed: Retain keeps it Released, Delete is the provisioner's job for provisioned volumes
 *   (others fail as upstream without a deleter plugin).
 *
 * Binding writes, in order: the volume's claimRef (+ bound-by-controller), the volume's phase,
 * the claim's volumeName and `pv.kubernetes.io/bind-completed` (+ bound-by-controller), the claim's
 * phase, capacity and access modes.
 */
import type { KubeObject } from '../../api/types';
import { R, RateLimitingQueue, metaNamespaceKey, splitMetaNamespaceKey, type EventRecorder, type KubeClient, type SharedInformer } from '../../client';
import type { ControllerContext, ControllerDefinition } from '../controller';
import { ANN_BETA_STORAGE_PROVISIONER, ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER, ANN_DYNAMICALLY_PROVISIONED, ANN_SELECTED_NODE, ANN_STORAGE_PROVISIONER, POD_CLAIM_INDEX } from './annotations';
import {
  claimRefOf,
  claimReference,
  classOf,
  defaultClass,
  findBestMatch,
  hasNoClass,
  isBindCompleted,
  isVolumeBoundToClaim,
  phaseOf,
  podClaimIndexers,
  podClaimKeys,
  specOf,
  statusOf,
  volumeFitsNode,
} from './claims';
import { queueWorkers, logSyncErrors, isConflictOrGone, defineController, allWorkers, type Workers } from '../workers';

class PersistentVolumeController {
  private readonly claims: SharedInformer;
  private readonly volumes: SharedInformer;
  private readonly classes: SharedInformer;
  private readonly pods: SharedInformer;
  private readonly nodes: SharedInformer;
  private readonly claimQueue: RateLimitingQueue<string>;
  private readonly volumeQueue: RateLimitingQueue<string>;
  private readonly client: KubeClient;
  private readonly recorder: EventRecorder;
  /** One worker per queue. */
  readonly workers: Workers;

  constructor(private readonly ctx: ControllerContext) {
    this.client = ctx.client;
    this.claims = ctx.informers.informerFor(R.persistentvolumeclaims);
    this.volumes = ctx.informers.informerFor(R.persistentvolumes);
    this.classes = ctx.informers.informerFor(R.storageclasses);
    this.pods = ctx.informers.informerFor(R.pods, { indexers: podClaimIndexers });
    this.nodes = ctx.informers.informerFor(R.nodes);
    this.claimQueue = new RateLimitingQueue<string>({ name: 'claims', clock: ctx.clock });
    this.volumeQueue = new RateLimitingQueue<string>({ name: 'volumes', clock: ctx.clock });
    this.recorder = ctx.events('persistentvolume-controller');

    const claimKey = (o: KubeObject) => this.claimQueue.add(metaNamespaceKey(o));
    this.claims.addEventHandler({
      onAdd: claimKey,
      onUpdate: (_o, n) => claimKey(n),
      // A deleted claim releases its volume.
      onDelete: (c) => {
        const v = specOf(c).volumeName;
        if (typeof v === 'string' && v) this.volumeQueue.add(v);
      },
    });
    const volumeKey = (o: KubeObject) => this.volumeQueue.add(o.metadata.name ?? '');
    this.volumes.addEventHandler({
      onAdd: volumeKey,
      onUpdate: (_o, n) => volumeKey(n),
      onDelete: (v) => {
        const ref = claimRefOf(v);
        if (ref?.namespace && ref.name) this.claimQueue.add(`${ref.namespace}/${ref.name}`);
      },
    });
    // A new default class, or pods appearing for claims waiting for their first consumer.
    this.classes.addEventHandler({ onAdd: () => this.requeuePendingClaims(), onUpdate: () => this.requeuePendingClaims() });
    this.pods.addEventHandler({
      onAdd: (p) => this.enqueuePodClaims(p),
      onUpdate: (o, n) => {
        if (specOf(o).nodeName !== specOf(n).nodeName) this.enqueuePodClaims(n);
      },
    });
    const onError = logSyncErrors(ctx, 'persistentvolume-controller', isConflictOrGone);
    this.workers = allWorkers(queueWorkers(this.claimQueue, 1, (k) => this.syncClaim(k), onError), queueWorkers(this.volumeQueue, 1, (k) => this.syncVolume(k), onError));
  }

  private enqueuePodClaims(pod: KubeObject): void {
    for (const key of podClaimKeys(pod)) if (this.claims.getByKey(key)) this.claimQueue.add(key);
  }

  private requeuePendingClaims(): void {
    for (const c of this.claims.list()) if (!isBindCompleted(c)) this.claimQueue.add(metaNamespaceKey(c));
  }

  private event(claim: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    return this.recorder.record({ regarding: claim, type, reason, message }).then(
      () => undefined,
      () => undefined,
    );
  }

  // --- claims --------------------------------------------------------------------------------

  private async syncClaim(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const claim = this.claims.get(namespace, name);
    if (!claim) return;
    if (!isBindCompleted(claim)) await this.syncUnboundClaim(claim);
    else await this.syncBoundClaim(claim);
  }

  private isDelayBinding(claim: KubeObject): boolean {
    const cls = classOf(claim);
    if (!cls) return false;
    const sc = this.classes.get(undefined, cls);
    return sc?.volumeBindingMode === 'WaitForFirstConsumer';
  }

  private async syncUnboundClaim(claim: KubeObject): Promise<void> {
    const volumeName = specOf(claim).volumeName;
    if (typeof volumeName === 'string' && volumeName) {
      // Pre-bound by the user to a volume.
      const volume = this.volumes.get(undefined, volumeName);
      if (!volume) return this.setClaimPhase(claim, 'Pending');
      const ref = claimRefOf(volume);
      if (!ref || isVolumeBoundToClaim(volume, claim)) return this.bind(volume, claim);
      return this.setClaimPhase(claim, 'Pending');
    }
    if (hasNoClass(claim)) {
      const def = defaultClass(this.classes.list());
      if (def) {
        await this.client.patch(R.persistentvolumeclaims, claim.metadata.namespace, claim.metadata.name ?? '', 'merge', { metadata: { resourceVersion: claim.metadata.resourceVersion }, spec: { storageClassName: def.metadata.name } });
        return;
      }
    }
    const delay = this.isDelayBinding(claim);
    const selectedNode = claim.metadata.annotations?.[ANN_SELECTED_NODE];
    let volume = findBestMatch(claim, this.volumes.list(), delay);
    if (!volume && delay && selectedNode) {
      // The scheduler chose a node: an existing volume reachable from it (e.g. a local volume) is used before provisioning.
      const node = this.nodes.get(undefined, selectedNode);
      if (node) volume = findBestMatch(claim, this.volumes.list().filter((v) => volumeFitsNode(v, node)), false);
    }
    if (volume) return this.bind(volume, claim);
    if (delay && !selectedNode) {
      await this.emitWaitingForConsumer(claim);
    } else if (classOf(claim)) {
      await this.provisionClaim(claim);
      return;
    } else {
      await this.event(claim, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set');
    }
    await this.setClaimPhase(claim, 'Pending');
  }

  private async emitWaitingForConsumer(claim: KubeObject): Promise<void> {
    const unscheduled = this.pods
      .byIndex(POD_CLAIM_INDEX, metaNamespaceKey(claim))
      .filter((p) => !specOf(p).nodeName)
      .map((p) => p.metadata.name ?? '')
      .sort();
    if (unscheduled.length === 0) await this.event(claim, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
    else if (unscheduled.length === 1) await this.event(claim, 'Normal', 'WaitForPodScheduled', `waiting for pod ${unscheduled[0]} to be scheduled`);
    else await this.event(claim, 'Normal', 'WaitForPodScheduled', `waiting for pods ${unscheduled.join(',')} to be scheduled`);
  }

  /** provisionClaim for an external provisioner: name it on the claim and say so. */
  private async provisionClaim(claim: KubeObject): Promise<void> {
    const cls = classOf(claim);
    const sc = this.classes.get(undefined, cls);
    if (!sc) {
      await this.event(claim, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${cls}" not found`);
      return this.setClaimPhase(claim, 'Pending');
    }
    const provisioner = String(sc.provisioner ?? '');
    const ann = claim.metadata.annotations ?? {};
    if (ann[ANN_STORAGE_PROVISIONER] !== provisioner || ann[ANN_BETA_STORAGE_PROVISIONER] !== provisioner) {
      await this.client.patch(R.persistentvolumeclaims, claim.metadata.namespace, claim.metadata.name ?? '', 'merge', {
        metadata: { resourceVersion: claim.metadata.resourceVersion, annotations: { [ANN_STORAGE_PROVISIONER]: provisioner, [ANN_BETA_STORAGE_PROVISIONER]: provisioner } },
      });
    }
    await this.event(
      claim,
      'Normal',
      'ExternalProvisioning',
      `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
    );
  }

  private async syncBoundClaim(claim: KubeObject): Promise<void> {
    const volumeName = specOf(claim).volumeName;
    if (typeof volumeName !== 'string' || !volumeName) {
      if (phaseOf(claim) !== 'Lost') {
        await this.setClaimPhase(claim, 'Lost');
        await this.event(claim, 'Warning', 'ClaimLost', 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!');
      }
      return;
    }
    const volume = this.volumes.get(undefined, volumeName);
    if (!volume) {
      if (phaseOf(claim) !== 'Lost') {
        await this.setClaimPhase(claim, 'Lost');
        await this.event(claim, 'Warning', 'ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
      }
      return;
    }
    const ref = claimRefOf(volume);
    if (!ref || isVolumeBoundToClaim(volume, claim)) {
      return this.bind(volume, claim);
    }
    if (phaseOf(claim) !== 'Lost') {
      await this.setClaimPhase(claim, 'Lost');
      await this.event(claim, 'Warning', 'ClaimMisbound', 'Two claims are bound to the same volume, this one is bound incorrectly');
    }
  }

  /** bind: volume → claimRef and phase, claim → volumeName/annotations and status. Idempotent. */
  private async bind(volume: KubeObject, claim: KubeObject): Promise<void> {
    let v = volume;
    const ref = claimRefOf(v);
    const needsRef = !ref || ref.name !== claim.metadata.name || ref.namespace !== claim.metadata.namespace || ref.uid !== claim.metadata.uid;
    const setBoundBy = !isVolumeBoundToClaim(v, claim) && v.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER] === undefined;
    if (needsRef || setBoundBy) {
      const copy = structuredClone(v);
      (copy.spec as Record<string, unknown>).claimRef = claimReference(claim);
      if (setBoundBy) copy.metadata.annotations = { ...(copy.metadata.annotations ?? {}), [ANN_BOUND_BY_CONTROLLER]: 'yes' };
      v = await this.client.update(R.persistentvolumes, undefined, copy);
    }
    if (phaseOf(v) !== 'Bound') v = await this.setVolumePhase(v, 'Bound');

    let c = claim;
    const ann = c.metadata.annotations ?? {};
    const wrongName = specOf(c).volumeName !== v.metadata.name;
    if (wrongName || ann[ANN_BIND_COMPLETED] === undefined) {
      const copy = structuredClone(c);
      (copy.spec as Record<string, unknown>).volumeName = v.metadata.name;
      const annotations: Record<string, string> = { ...(copy.metadata.annotations ?? {}), [ANN_BIND_COMPLETED]: 'yes' };
      if (wrongName) annotations[ANN_BOUND_BY_CONTROLLER] = 'yes';
      copy.metadata.annotations = annotations;
      c = await this.client.update(R.persistentvolumeclaims, c.metadata.namespace, copy);
    }
    const st = statusOf(c);
    const want = { phase: 'Bound', accessModes: specOf(v).accessModes, capacity: specOf(v).capacity };
    if (st.phase !== 'Bound' || JSON.stringify(st.accessModes) !== JSON.stringify(want.accessModes) || JSON.stringify(st.capacity) !== JSON.stringify(want.capacity)) {
      await this.client.updateStatus(R.persistentvolumeclaims, c.metadata.namespace, { ...structuredClone(c), status: { ...st, ...want } });
    }
  }

  private async setClaimPhase(claim: KubeObject, phase: string): Promise<void> {
    if (phaseOf(claim) === phase) return;
    await this.client.updateStatus(R.persistentvolumeclaims, claim.metadata.namespace, { ...structuredClone(claim), status: { ...statusOf(claim), phase } });
  }

  // --- volumes -------------------------------------------------------------------------------

  private async setVolumePhase(volume: KubeObject, phase: string, message?: string): Promise<KubeObject> {
    const status: Record<string, unknown> = { ...statusOf(volume), phase, lastPhaseTransitionTime: new Date(this.ctx.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z') };
    if (message) status.message = message;
    else delete status.message;
    return this.client.updateStatus(R.persistentvolumes, undefined, { ...structuredClone(volume), status });
  }

  private async syncVolume(name: string): Promise<void> {
    const volume = this.volumes.get(undefined, name);
    if (!volume) return;
    const ref = claimRefOf(volume);
    if (!ref || !ref.uid) {
      // Unused, or pre-bound to a claim that is still to come.
      if (phaseOf(volume) !== 'Available') await this.setVolumePhase(volume, 'Available');
      if (ref?.namespace && ref.name && this.claims.get(ref.namespace, ref.name)) this.claimQueue.add(`${ref.namespace}/${ref.name}`);
      return;
    }
    let claim = ref.namespace && ref.name ? this.claims.get(ref.namespace, ref.name) : undefined;
    if (claim && claim.metadata.uid !== ref.uid) claim = undefined;
    if (!claim) {
      // The claim is gone (our cache is the authority once synced; confirm with a live read).
      const live = ref.namespace && ref.name ? await this.client.tryGet(R.persistentvolumeclaims, ref.namespace, ref.name) : undefined;
      if (live && live.metadata.uid === ref.uid) return;
      return this.reclaim(volume);
    }
    const claimVolume = specOf(claim).volumeName;
    if (!claimVolume) {
      // Pre-bound (e.g. by a provisioner): let the claim sync finish the binding.
      this.claimQueue.add(metaNamespaceKey(claim));
      return;
    }
    if (claimVolume === volume.metadata.name) {
      if (phaseOf(volume) !== 'Bound') await this.setVolumePhase(volume, 'Bound');
      return;
    }
    // The claim is bound to another volume.
    if (volume.metadata.annotations?.[ANN_DYNAMICALLY_PROVISIONED] && specOf(volume).persistentVolumeReclaimPolicy === 'Delete') return this.reclaim(volume);
    if (volume.metadata.annotations?.[ANN_BOUND_BY_CONTROLLER]) {
      const copy = structuredClone(volume);
      delete (copy.spec as Record<string, unknown>).claimRef;
      const ann = { ...(copy.metadata.annotations ?? {}) };
      delete ann[ANN_BOUND_BY_CONTROLLER];
      copy.metadata.annotations = ann;
      const updated = await this.client.update(R.persistentvolumes, undefined, copy);
      await this.setVolumePhase(updated, 'Available');
      return;
    }
    return this.reclaim(volume);
  }

  /** Released, then the reclaim policy. */
  private async reclaim(volume: KubeObject): Promise<void> {
    let v = volume;
    const phase = phaseOf(v);
    if (phase === 'Failed') return;
    if (phase !== 'Released') v = await this.setVolumePhase(v, 'Released');
    const policy = specOf(v).persistentVolumeReclaimPolicy ?? 'Retain';
    if (policy === 'Retain') return;
    if (policy === 'Delete') {
      // Provisioned volumes are deleted by their (external) provisioner.
      if (v.metadata.annotations?.[ANN_DYNAMICALLY_PROVISIONED]) return;
      const msg = `error getting deleter volume plugin for volume "${v.metadata.name}": no deletable volume plugin matched`;
      await this.setVolumePhase(v, 'Failed', msg);
      await this.recorder.record({ regarding: v, type: 'Warning', reason: 'VolumeFailedDelete', message: msg }).catch(() => undefined);
      return;
    }
    const msg = `No recycler plugin found for the volume!`;
    await this.setVolumePhase(v, 'Failed', msg);
    await this.recorder.record({ regarding: v, type: 'Warning', reason: 'VolumeFailedRecycle', message: msg }).catch(() => undefined);
  }
}

export const persistentVolumeBinderController: ControllerDefinition = defineController('persistentvolume-binder', (ctx) => new PersistentVolumeController(ctx).workers);
