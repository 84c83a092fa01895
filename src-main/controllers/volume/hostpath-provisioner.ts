/**
 * The `kubesim.io/hostpath` provisioner, behind the default `standard` StorageClass: an external
 * provisioner in the manner of kind's rancher.io/local-path (sig-storage-lib-external-provisioner):
 *
 * - a claim whose `volume.kubernetes.io/storage-provisioner` names us, of a class of ours, not yet
 *   bound, and (WaitForFirstConsumer) with `volume.kubernetes.io/selected-node` set, gets a
 *   directory `<dataDir>/volumes/pvc-<claim uid>` and a PersistentVolume `pvc-<claim uid>`:
 *   hostPath (DirectoryOrCreate) on that directory, required node affinity
 *   `kubernetes.io/hostname In [<selected node>]`, the claim's access modes and request as
 *   capacity, the class's reclaim policy, pre-bound to the claim (claimRef) and annotated
 *   `pv.kubernetes.io/provisioned-by`; events `Provisioning` and `ProvisioningSucceeded`;
 * - a volume of ours that is Released with reclaim policy Delete loses its directory and is
 *   deleted.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { KubeObject } from '../../api/types';
import { StatusError } from '../../api/errors';
import { R, RateLimitingQueue, metaNamespaceKey, splitMetaNamespaceKey, type EventRecorder, type KubeClient, type SharedInformer } from '../../client';
import type { ControllerContext, ControllerDefinition } from '../controller';
import { ANN_BETA_STORAGE_PROVISIONER, ANN_DYNAMICALLY_PROVISIONED, ANN_SELECTED_NODE, ANN_STORAGE_PROVISIONER, HOSTPATH_PROVISIONER } from './annotations';
import { claimReference, classOf, phaseOf, requestedStorage, specOf } from './claims';
import { queueWorkers, logSyncErrors, defineController, allWorkers, type Workers } from '../workers';

/** Where volumes live when the cluster has no data folder (unit tests): nothing is created on disk. */
const NO_DATA_DIR_ROOT = '/var/lib/kubesim/volumes';

export function volumeDir(dataDir: string | undefined, pvName: string): string {
  return dataDir ? join(dataDir, 'volumes', pvName) : `${NO_DATA_DIR_ROOT}/${pvName}`;
}

function provisionerOf(claim: KubeObject): string | undefined {
  const a = claim.metadata.annotations ?? {};
  return a[ANN_STORAGE_PROVISIONER] ?? a[ANN_BETA_STORAGE_PROVISIONER];
}

class HostPathProvisioner {
  private readonly claims: SharedInformer;
  private readonly volumes: SharedInformer;
  private readonly classes: SharedInformer;
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
    this.claimQueue = new RateLimitingQueue<string>({ name: 'hostpath-claims', clock: ctx.clock });
    this.volumeQueue = new RateLimitingQueue<string>({ name: 'hostpath-volumes', clock: ctx.clock });
    this.recorder = ctx.events(HOSTPATH_PROVISIONER);
    const claimKey = (c: KubeObject) => this.claimQueue.add(metaNamespaceKey(c));
    this.claims.addEventHandler({ onAdd: claimKey, onUpdate: (_o, n) => claimKey(n) });
    const volumeKey = (v: KubeObject) => this.volumeQueue.add(v.metadata.name ?? '');
    this.volumes.addEventHandler({ onAdd: volumeKey, onUpdate: (_o, n) => volumeKey(n) });
    const onError = logSyncErrors(ctx, HOSTPATH_PROVISIONER);
    this.workers = allWorkers(queueWorkers(this.claimQueue, 1, (k) => this.syncClaim(k), onError), queueWorkers(this.volumeQueue, 1, (k) => this.syncVolume(k), onError));
  }

  private ourClass(claim: KubeObject): KubeObject | undefined {
    const sc = this.classes.get(undefined, classOf(claim));
    return sc && sc.provisioner === HOSTPATH_PROVISIONER ? sc : undefined;
  }

  private async syncClaim(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const claim = this.claims.get(namespace, name);
    if (!claim || claim.metadata.deletionTimestamp || specOf(claim).volumeName) return;
    if (provisionerOf(claim) !== HOSTPATH_PROVISIONER) return;
    const sc = this.ourClass(claim);
    if (!sc) return;
    const node = claim.metadata.annotations?.[ANN_SELECTED_NODE];
    if (sc.volumeBindingMode === 'WaitForFirstConsumer' && !node) return;
    const pvName = `pvc-${claim.metadata.uid}`;
    if (this.volumes.get(undefined, pvName)) return;
    const existing = await this.client.tryGet(R.persistentvolumes, undefined, pvName);
    if (existing) return;

    await this.event(claim, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${namespace}/${name}"`);
    if (specOf(claim).volumeMode === 'Block') {
      // A directory cannot be a raw block device: a final error, as a CSI driver without block support reports it.
      await this.event(claim, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${sc.metadata.name}": rpc error: code = InvalidArgument desc = volume mode Block is not supported`);
      return;
    }
    const dir = volumeDir(this.ctx.dataDir, pvName);
    try {
      if (this.ctx.dataDir) await mkdir(dir, { recursive: true, mode: 0o777 });
    } catch (e) {
      await this.event(claim, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${sc.metadata.name}": ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
    const spec: Record<string, unknown> = {
      accessModes: specOf(claim).accessModes,
      capacity: { storage: requestedStorage(claim) ?? '0' },
      claimRef: claimReference(claim),
      hostPath: { path: dir, type: 'DirectoryOrCreate' },
      persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
      storageClassName: sc.metadata.name,
      volumeMode: specOf(claim).volumeMode ?? 'Filesystem',
    };
    if (node) spec.nodeAffinity = { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } };
    if (Array.isArray(sc.mountOptions)) spec.mountOptions = sc.mountOptions;
    const pv: KubeObject = {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: pvName, annotations: { [ANN_DYNAMICALLY_PROVISIONED]: HOSTPATH_PROVISIONER } },
      spec,
    };
    try {
      await this.client.create(R.persistentvolumes, undefined, pv);
    } catch (e) {
      if (e instanceof StatusError && e.code === 409) return;
      await this.event(claim, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${sc.metadata.name}": ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
    await this.event(claim, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${pvName}`);
  }

  private async syncVolume(name: string): Promise<void> {
    const pv = this.volumes.get(undefined, name);
    if (!pv || pv.metadata.annotations?.[ANN_DYNAMICALLY_PROVISIONED] !== HOSTPATH_PROVISIONER) return;
    if (phaseOf(pv) !== 'Released' || specOf(pv).persistentVolumeReclaimPolicy !== 'Delete') return;
    if (this.ctx.dataDir) {
      const root = resolve(this.ctx.dataDir, 'volumes');
      const dir = resolve(volumeDir(this.ctx.dataDir, name));
      // Only ever a directory of ours, directly under <dataDir>/volumes.
      if (dir.startsWith(root + sep) && !dir.slice(root.length + 1).includes(sep)) await rm(dir, { recursive: true, force: true });
    }
    await this.client.deleteIfExists(R.persistentvolumes, undefined, name, { preconditions: pv.metadata.uid ? { uid: pv.metadata.uid } : undefined });
  }

  private event(claim: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    return this.recorder.record({ regarding: claim, type, reason, message }).then(
      () => undefined,
      () => undefined,
    );
  }
}

export const hostPathProvisionerController: ControllerDefinition = defineController('hostpath-provisioner', (ctx) => new HostPathProvisioner(ctx).workers);
