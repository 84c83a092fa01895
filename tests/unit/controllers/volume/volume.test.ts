/** Volume controllers: claims, classes and volumes in → bindings, provisioned volumes, finalizers and events out. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { R } from '../../../../src-main/client';
import type { KubeObject } from '../../../../src-main/api/types';
import { persistentVolumeBinderController } from '../../../../src-main/controllers/volume/pv-controller';
import { hostPathProvisionerController } from '../../../../src-main/controllers/volume/hostpath-provisioner';
import { pvcProtectionController } from '../../../../src-main/controllers/volume/pvc-protection';
import { pvProtectionController } from '../../../../src-main/controllers/volume/pv-protection';
import { Harness } from '../statefulset/harness';

function storageClass(name: string, extra: Record<string, unknown> = {}, isDefault = false): KubeObject {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name, ...(isDefault ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}) },
    provisioner: 'kubesim.io/hostpath',
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
    ...extra,
  };
}

function claim(name: string, spec: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } }, ...spec } };
}

function podUsing(name: string, claimName: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'redis' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }] } };
}

let h: Harness;
let dataDir: string;
beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kubesim-volumes-'));
  h = new Harness(dataDir);
  await h.start(persistentVolumeBinderController, hostPathProvisionerController, pvcProtectionController, pvProtectionController);
  await h.admin.create(R.storageclasses, undefined, storageClass('standard', {}, true));
});
afterEach(async () => {
  await h.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const getClaim = (name: string) => h.admin.tryGet(R.persistentvolumeclaims, 'default', name);

describe('PersistentVolume binder and the hostpath provisioner', () => {
  it('waits for the first consumer, then provisions pvc-<uid> on the selected node and binds it', async () => {
    await h.admin.create(R.persistentvolumeclaims, 'default', claim('redis-data'));
    await h.until(async () => (await h.events('redis-data')).length > 0, 'an event');
    await h.settle();
    let c = (await getClaim('redis-data'))!;
    expect((c.spec as Record<string, unknown>).storageClassName).toBe('standard');
    expect(c.metadata.finalizers).toEqual(['kubernetes.io/pvc-protection']);
    expect((c.status as Record<string, unknown>).phase).toBe('Pending');
    expect(await h.events('redis-data')).toEqual(['Normal WaitForFirstConsumer: waiting for first consumer to be created before binding']);
    expect(await h.names(R.persistentvolumes)).toEqual([]);

    // A pod that is not scheduled yet.
    await h.admin.create(R.pods, 'default', podUsing('redis-0', 'redis-data'));
    await h.until(async () => (await h.events('redis-data')).some((e) => e.includes('WaitForPodScheduled')));
    expect((await h.events('redis-data')).at(-1)).toBe('Normal WaitForPodScheduled: waiting for pod redis-0 to be scheduled');

    // The scheduler picks a node for it.
    await h.admin.patch(R.persistentvolumeclaims, 'default', 'redis-data', 'merge', { metadata: { annotations: { 'volume.kubernetes.io/selected-node': 'kind-worker' } } });
    await h.until(async () => ((await getClaim('redis-data'))!.status as Record<string, unknown>).phase === 'Bound', 'claim Bound');
    c = (await getClaim('redis-data'))!;
    const pvName = `pvc-${c.metadata.uid}`;
    expect((c.spec as Record<string, unknown>).volumeName).toBe(pvName);
    expect(c.metadata.annotations).toEqual({
      'pv.kubernetes.io/bind-completed': 'yes',
      'pv.kubernetes.io/bound-by-controller': 'yes',
      'volume.beta.kubernetes.io/storage-provisioner': 'kubesim.io/hostpath',
      'volume.kubernetes.io/selected-node': 'kind-worker',
      'volume.kubernetes.io/storage-provisioner': 'kubesim.io/hostpath',
    });
    expect(c.status).toEqual({ phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '10Gi' } });

    await h.until(async () => ((await h.admin.get(R.persistentvolumes, undefined, pvName)).metadata.finalizers ?? []).length > 0);
    const pv = await h.admin.get(R.persistentvolumes, undefined, pvName);
    expect(pv.metadata.annotations).toEqual({ 'pv.kubernetes.io/provisioned-by': 'kubesim.io/hostpath' });
    expect(pv.metadata.finalizers).toEqual(['kubernetes.io/pv-protection']);
    expect(pv.spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      capacity: { storage: '10Gi' },
      claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: 'default', name: 'redis-data', uid: c.metadata.uid, resourceVersion: expect.any(String) },
      hostPath: { path: join(dataDir, 'volumes', pvName), type: 'DirectoryOrCreate' },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['kind-worker'] }] }] } },
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: 'standard',
      volumeMode: 'Filesystem',
    });
    expect((pv.status as Record<string, unknown>).phase).toBe('Bound');
    expect(existsSync(join(dataDir, 'volumes', pvName))).toBe(true);

    const evs = await h.events('redis-data');
    expect(evs.slice(2)).toEqual([
      "Normal ExternalProvisioning: Waiting for a volume to be created either by the external provisioner 'kubesim.io/hostpath' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
      'Normal Provisioning: External provisioner is provisioning volume for claim "default/redis-data"',
      `Normal ProvisioningSucceeded: Successfully provisioned volume ${pvName}`,
    ]);

    // Deleting the claim: it stays while the (scheduled) pod uses it; then reclaim Delete removes the volume and its directory.
    await h.admin.bind('default', 'redis-0', 'kind-worker');
    await h.admin.delete(R.persistentvolumeclaims, 'default', 'redis-data');
    await h.settle();
    expect((await getClaim('redis-data'))?.metadata.deletionTimestamp).toBeTruthy();
    await h.admin.delete(R.pods, 'default', 'redis-0', { gracePeriodSeconds: 0 });
    await h.until(async () => !(await getClaim('redis-data')), 'claim gone once unused');
    await h.until(async () => !(await h.admin.tryGet(R.persistentvolumes, undefined, pvName)), 'volume deleted');
    expect(existsSync(join(dataDir, 'volumes', pvName))).toBe(false);
  });

  it('Retain keeps a Released volume and its data', async () => {
    await h.admin.create(R.storageclasses, undefined, storageClass('keep', { reclaimPolicy: 'Retain', volumeBindingMode: 'Immediate' }));
    await h.admin.create(R.persistentvolumeclaims, 'default', claim('data', { storageClassName: 'keep' }));
    await h.until(async () => ((await getClaim('data'))?.status as Record<string, unknown>).phase === 'Bound');
    const c = (await getClaim('data'))!;
    const pvName = `pvc-${c.metadata.uid}`;
    const pv = await h.admin.get(R.persistentvolumes, undefined, pvName);
    expect((pv.spec as Record<string, unknown>).nodeAffinity).toBeUndefined();
    expect((pv.spec as Record<string, unknown>).persistentVolumeReclaimPolicy).toBe('Retain');
    await h.admin.delete(R.persistentvolumeclaims, 'default', 'data');
    await h.until(async () => ((await h.admin.get(R.persistentvolumes, undefined, pvName)).status as Record<string, unknown>).phase === 'Released', 'Released');
    await h.settle();
    expect(await h.admin.tryGet(R.persistentvolumes, undefined, pvName)).toBeTruthy();
    expect(existsSync(join(dataDir, 'volumes', pvName))).toBe(true);
  });

  it('binds a claim to the smallest matching Available volume, or to the one it names', async () => {
    const pv = (name: string, size: string, labels: Record<string, string> = {}): KubeObject => ({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name, labels },
      spec: { capacity: { storage: size }, accessModes: ['ReadWriteOnce'], storageClassName: 'manual', hostPath: { path: `/mnt/${name}` } },
    });
    await h.admin.create(R.persistentvolumes, undefined, pv('big', '20Gi', { tier: 'a' }));
    await h.admin.create(R.persistentvolumes, undefined, pv('small', '5Gi', { tier: 'a' }));
    await h.admin.create(R.persistentvolumes, undefined, pv('fit', '10Gi', { tier: 'a' }));
    await h.admin.create(R.persistentvolumes, undefined, pv('other', '10Gi', { tier: 'b' }));
    await h.until(async () => (await h.list(R.persistentvolumes)).every((v) => (v.status as Record<string, unknown>).phase === 'Available'), 'Available');
    await h.admin.create(R.persistentvolumeclaims, 'default', claim('c1', { storageClassName: 'manual', selector: { matchLabels: { tier: 'a' } } }));
    await h.until(async () => ((await getClaim('c1'))?.status as Record<string, unknown>).phase === 'Bound');
    const c1 = (await getClaim('c1'))!;
    expect((c1.spec as Record<string, unknown>).volumeName).toBe('fit');
    const fit = await h.admin.get(R.persistentvolumes, undefined, 'fit');
    expect(fit.metadata.annotations).toEqual({ 'pv.kubernetes.io/bound-by-controller': 'yes' });
    expect((fit.spec as Record<string, unknown>).claimRef).toMatchObject({ kind: 'PersistentVolumeClaim', namespace: 'default', name: 'c1', uid: c1.metadata.uid });

    await h.admin.create(R.persistentvolumeclaims, 'default', claim('c2', { storageClassName: 'manual', volumeName: 'big' }));
    await h.until(async () => ((await getClaim('c2'))?.status as Record<string, unknown>).phase === 'Bound');
    const c2 = (await getClaim('c2'))!;
    expect(c2.metadata.annotations).toEqual({ 'pv.kubernetes.io/bind-completed': 'yes' });
    expect(c2.status).toEqual({ phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '20Gi' } });

    // Retain (the PV default): deleting the claim releases the volume and keeps the claimRef.
    await h.admin.delete(R.persistentvolumeclaims, 'default', 'c1');
    await h.until(async () => ((await h.admin.get(R.persistentvolumes, undefined, 'fit')).status as Record<string, unknown>).phase === 'Released');
  });

  it('WaitForFirstConsumer with a selected node binds an existing volume reachable from that node', async () => {
    await h.admin.create(R.storageclasses, undefined, storageClass('local', { provisioner: 'kubernetes.io/no-provisioner' }));
    const local = (name: string, node: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name },
      spec: {
        capacity: { storage: '10Gi' },
        accessModes: ['ReadWriteOnce'],
        storageClassName: 'local',
        local: { path: '/mnt/disks/1' },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } },
      },
    });
    for (const n of ['n1', 'n2']) await h.admin.create(R.nodes, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: n, labels: { 'kubernetes.io/hostname': n } } });
    await h.admin.create(R.persistentvolumes, undefined, local('on-n1', 'n1'));
    await h.admin.create(R.persistentvolumes, undefined, local('on-n2', 'n2'));
    await h.admin.create(R.persistentvolumeclaims, 'default', claim('lc', { storageClassName: 'local' }));
    await h.until(async () => (await h.events('lc')).length > 0);
    await h.settle();
    expect(((await getClaim('lc'))!.status as Record<string, unknown>).phase).toBe('Pending');
    await h.admin.patch(R.persistentvolumeclaims, 'default', 'lc', 'merge', { metadata: { annotations: { 'volume.kubernetes.io/selected-node': 'n2' } } });
    await h.until(async () => ((await getClaim('lc'))!.status as Record<string, unknown>).phase === 'Bound');
    expect(((await getClaim('lc'))!.spec as Record<string, unknown>).volumeName).toBe('on-n2');
  });

  it('a claim with no class and no volumes reports FailedBinding', async () => {
    await h.admin.create(R.persistentvolumeclaims, 'default', claim('none', { storageClassName: '' }));
    await h.until(async () => (await h.events('none')).length > 0);
    expect(await h.events('none')).toEqual(['Normal FailedBinding: no persistent volumes available for this claim and no storage class is set']);
    expect(((await getClaim('none'))!.status as Record<string, unknown>).phase).toBe('Pending');
  });

  it('an unscheduled pod does not hold a claim being deleted', async () => {
    await h.admin.create(R.persistentvolumeclaims, 'default', claim('loose'));
    await h.admin.create(R.pods, 'default', podUsing('waiting', 'loose'));
    await h.until(async () => ((await getClaim('loose'))?.metadata.finalizers ?? []).length === 1, 'finalizer added');
    await h.admin.delete(R.persistentvolumeclaims, 'default', 'loose');
    await h.until(async () => !(await getClaim('loose')), 'claim gone');
  });

  it('a Block claim cannot be provisioned from a directory', async () => {
    await h.admin.create(R.storageclasses, undefined, storageClass('now', { volumeBindingMode: 'Immediate' }));
    await h.admin.create(R.persistentvolumeclaims, 'default', claim('raw', { storageClassName: 'now', volumeMode: 'Block' }));
    await h.until(async () => (await h.events('raw')).some((e) => e.includes('ProvisioningFailed')));
    expect((await h.events('raw')).filter((e) => e.includes('ProvisioningFailed'))).toEqual(['Warning ProvisioningFailed: failed to provision volume with StorageClass "now": rpc error: code = InvalidArgument desc = volume mode Block is not supported']);
    expect(await h.names(R.persistentvolumes)).toEqual([]);
  });

  it('a class that does not exist is a ProvisioningFailed warning', async () => {
    await h.admin.create(R.persistentvolumeclaims, 'default', claim('x', { storageClassName: 'nope' }));
    await h.until(async () => (await h.events('x')).length > 0);
    expect(await h.events('x')).toEqual(['Warning ProvisioningFailed: storageclass.storage.k8s.io "nope" not found']);
  });
});
