/** StatefulSet controller: objects in (sets, pod status) → pods, claims, revisions, status and events out. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { R } from '../../../../src-main/client';
import type { KubeObject } from '../../../../src-main/api/types';
import { statefulSetController } from '../../../../src-main/controllers/statefulset/controller';
import { Harness } from './harness';

function web(extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web' },
    spec: {
      serviceName: 'nginx',
      replicas: 2,
      selector: { matchLabels: { app: 'nginx' } },
      template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'registry.k8s.io/nginx-slim:0.8', volumeMounts: [{ name: 'www', mountPath: '/usr/share/nginx/html' }] }] } },
      volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      ...extra,
    },
  };
}

let h: Harness;
beforeEach(async () => {
  h = await new Harness().start(statefulSetController);
});
afterEach(async () => {
  await h.stop();
});

const pod = (name: string) => h.admin.tryGet(R.pods, 'default', name);
const sts = () => h.admin.get(R.statefulsets, 'default', 'web');

describe('StatefulSet controller', () => {
  it('creates claims and pods in ordinal order, each after its predecessor is Running and Ready', async () => {
    await h.admin.create(R.statefulsets, 'default', web());
    await h.until(async () => !!(await pod('web-0')), 'web-0 created');
    await h.settle();
    expect(await h.names(R.pods)).toEqual(['web-0']);
    expect(await h.names(R.persistentvolumeclaims)).toEqual(['www-web-0']);

    const p0 = (await pod('web-0'))!;
    const set = await sts();
    const revs = await h.list(R.controllerrevisions);
    expect(revs).toHaveLength(1);
    const rev = revs[0];
    expect(rev.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(rev.revision).toBe(1);
    expect(rev.metadata.labels).toEqual({ app: 'nginx', 'controller.kubernetes.io/hash': rev.metadata.name!.slice(4) });
    expect(rev.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: set.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    const data = rev.data as { spec: { template: Record<string, unknown> } };
    expect(Object.keys(data)).toEqual(['spec']);
    expect(data.spec.template.$patch).toBe('replace');
    expect((data.spec.template.metadata as Record<string, unknown>).labels).toEqual({ app: 'nginx' });

    expect(p0.metadata.labels).toEqual({ app: 'nginx', 'apps.kubernetes.io/pod-index': '0', 'controller-revision-hash': rev.metadata.name, 'statefulset.kubernetes.io/pod-name': 'web-0' });
    expect(p0.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: set.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    const spec = p0.spec as Record<string, unknown>;
    expect(spec.hostname).toBe('web-0');
    expect(spec.subdomain).toBe('nginx');
    expect((spec.volumes as unknown[])[0]).toEqual({ name: 'www', persistentVolumeClaim: { claimName: 'www-web-0' } });

    const claim = await h.admin.get(R.persistentvolumeclaims, 'default', 'www-web-0');
    expect(claim.metadata.labels).toEqual({ app: 'nginx' });
    expect(claim.metadata.ownerReferences).toBeUndefined();
    expect(claim.spec).toMatchObject({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, volumeMode: 'Filesystem' });

    await h.until(async () => (await sts()).status !== undefined && ((await sts()).status as Record<string, unknown>).observedGeneration === 1);
    expect((await sts()).status).toEqual({ observedGeneration: 1, replicas: 1, currentReplicas: 1, updatedReplicas: 1, currentRevision: rev.metadata.name, updateRevision: rev.metadata.name, collisionCount: 0, availableReplicas: 0 });

    await h.makeReady('web-0');
    await h.until(async () => !!(await pod('web-1')), 'web-1 created after web-0 is ready');
    await h.makeReady('web-1');
    await h.until(async () => ((await sts()).status as Record<string, unknown>).readyReplicas === 2);
    expect((await sts()).status).toEqual({ observedGeneration: 1, replicas: 2, readyReplicas: 2, currentReplicas: 2, updatedReplicas: 2, currentRevision: rev.metadata.name, updateRevision: rev.metadata.name, collisionCount: 0, availableReplicas: 2 });
    expect(await h.names(R.persistentvolumeclaims)).toEqual(['www-web-0', 'www-web-1']);
    expect(await h.events('web')).toEqual([
      'Normal SuccessfulCreate: create Claim www-web-0 Pod web-0 in StatefulSet web success',
      'Normal SuccessfulCreate: create Pod web-0 in StatefulSet web successful',
      'Normal SuccessfulCreate: create Claim www-web-1 Pod web-1 in StatefulSet web success',
      'Normal SuccessfulCreate: create Pod web-1 in StatefulSet web successful',
    ]);
  });

  it('brings a deleted pod back under the same name with the same claim', async () => {
    await h.admin.create(R.statefulsets, 'default', web({ replicas: 1 }));
    await h.until(async () => !!(await pod('web-0')));
    const before = (await pod('web-0'))!;
    await h.makeReady('web-0');
    await h.admin.delete(R.pods, 'default', 'web-0');
    await h.until(async () => {
      const p = await pod('web-0');
      return !!p && p.metadata.uid !== before.metadata.uid;
    }, 'web-0 recreated');
    const after = (await pod('web-0'))!;
    expect(((after.spec as Record<string, unknown>).volumes as unknown[])[0]).toEqual({ name: 'www', persistentVolumeClaim: { claimName: 'www-web-0' } });
    expect(await h.names(R.persistentvolumeclaims)).toEqual(['www-web-0']);
    // The claim existed already: only one claim event.
    expect((await h.events('web')).filter((e) => e.includes('Claim'))).toHaveLength(1);
  });

  it('recreates a failed pod (RecreatingFailedPod) and counts availability after minReadySeconds', async () => {
    await h.admin.create(R.statefulsets, 'default', web({ replicas: 1, minReadySeconds: 10 }));
    await h.until(async () => !!(await pod('web-0')));
    const first = (await pod('web-0'))!;
    await h.setPhase('web-0', 'Failed');
    await h.until(async () => {
      const p = await pod('web-0');
      return !!p && p.metadata.uid !== first.metadata.uid;
    }, 'web-0 recreated');
    expect(await h.events('web')).toContain('Warning RecreatingFailedPod: StatefulSet default/web is recreating failed Pod web-0');
    await h.makeReady('web-0');
    await h.until(async () => ((await sts()).status as Record<string, unknown>).readyReplicas === 1);
    expect(((await sts()).status as Record<string, unknown>).availableReplicas).toBe(0);
    h.clock.advance(10_001);
    await h.until(async () => ((await sts()).status as Record<string, unknown>).availableReplicas === 1, 'available after minReadySeconds');
  });

  it('Parallel creates every pod at once; scale down deletes from the highest ordinal and keeps the claims', async () => {
    await h.admin.create(R.statefulsets, 'default', web({ replicas: 3, podManagementPolicy: 'Parallel' }));
    await h.until(async () => (await h.names(R.pods)).length === 3);
    expect(await h.names(R.pods)).toEqual(['web-0', 'web-1', 'web-2']);
    for (const n of ['web-0', 'web-1', 'web-2']) await h.makeReady(n);
    await h.admin.scale(R.statefulsets, 'default', 'web', 1);
    await h.until(async () => (await h.names(R.pods)).length === 1);
    expect(await h.names(R.pods)).toEqual(['web-0']);
    expect(await h.names(R.persistentvolumeclaims)).toEqual(['www-web-0', 'www-web-1', 'www-web-2']);
    const evs = await h.events('web');
    expect(evs).toContain('Normal SuccessfulDelete: delete Pod web-2 in StatefulSet web successful');
    expect(evs).toContain('Normal SuccessfulDelete: delete Pod web-1 in StatefulSet web successful');
  });

  it('OrderedReady scale down removes one pod at a time, highest first', async () => {
    await h.admin.create(R.statefulsets, 'default', web({ replicas: 3 }));
    for (const n of ['web-0', 'web-1', 'web-2']) {
      await h.until(async () => !!(await pod(n)));
      await h.makeReady(n);
    }
    await h.admin.scale(R.statefulsets, 'default', 'web', 1);
    await h.until(async () => (await h.names(R.pods)).length === 1);
    const deletes = (await h.events('web')).filter((e) => e.includes('SuccessfulDelete'));
    expect(deletes).toEqual(['Normal SuccessfulDelete: delete Pod web-2 in StatefulSet web successful', 'Normal SuccessfulDelete: delete Pod web-1 in StatefulSet web successful']);
  });

  it('rolls an update from the highest ordinal down, waiting for readiness, and honours the partition', async () => {
    await h.admin.create(R.statefulsets, 'default', web({ replicas: 3 }));
    for (const n of ['web-0', 'web-1', 'web-2']) {
      await h.until(async () => !!(await pod(n)));
      await h.makeReady(n);
    }
    await h.until(async () => ((await sts()).status as Record<string, unknown>).readyReplicas === 3);
    const rev1 = ((await sts()).status as Record<string, string>).currentRevision;
    await h.admin.patch(R.statefulsets, 'default', 'web', 'merge', { spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } }, template: { spec: { containers: [{ name: 'nginx', image: 'registry.k8s.io/nginx-slim:0.9' }] } } } });
    await h.until(async () => {
      const p = await pod('web-2');
      return !!p && p.metadata.labels?.['controller-revision-hash'] !== rev1;
    }, 'web-2 recreated at the new revision');
    const rev2 = (await pod('web-2'))!.metadata.labels!['controller-revision-hash'];
    expect(((await pod('web-2'))!.spec as { containers: { image: string }[] }).containers[0].image).toBe('registry.k8s.io/nginx-slim:0.9');
    await h.settle();
    // web-1 waits until web-2 is ready.
    expect((await pod('web-1'))!.metadata.labels!['controller-revision-hash']).toBe(rev1);
    await h.makeReady('web-2');
    await h.until(async () => (await pod('web-1'))?.metadata.labels?.['controller-revision-hash'] === rev2, 'web-1 updated');
    await h.makeReady('web-1');
    await h.until(async () => ((await sts()).status as Record<string, unknown>).updatedReplicas === 2 && ((await sts()).status as Record<string, unknown>).readyReplicas === 3);
    await h.settle();
    // The partition keeps web-0 at the old revision.
    expect((await pod('web-0'))!.metadata.labels!['controller-revision-hash']).toBe(rev1);
    const st = (await sts()).status as Record<string, unknown>;
    expect(st).toMatchObject({ replicas: 3, readyReplicas: 3, currentReplicas: 1, updatedReplicas: 2, currentRevision: rev1, updateRevision: rev2 });
    const revs = (await h.list(R.controllerrevisions)).map((r) => [r.metadata.name, r.revision]);
    expect(revs.sort()).toEqual([[rev1, 1], [rev2, 2]].sort());

    // Partition 0 finishes the rollout: the current revision becomes the update revision.
    await h.admin.patch(R.statefulsets, 'default', 'web', 'merge', { spec: { updateStrategy: { rollingUpdate: { partition: 0 } } } });
    await h.until(async () => (await pod('web-0'))?.metadata.labels?.['controller-revision-hash'] === rev2);
    await h.makeReady('web-0');
    await h.until(async () => ((await sts()).status as Record<string, unknown>).currentRevision === rev2);
    expect((await sts()).status).toMatchObject({ replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 3, updateRevision: rev2 });
  });

  it('going back to an old template reuses its revision with the next number', async () => {
    await h.admin.create(R.statefulsets, 'default', web({ replicas: 1, updateStrategy: { type: 'OnDelete' } }));
    await h.until(async () => (await h.list(R.controllerrevisions)).length === 1);
    const first = (await h.list(R.controllerrevisions))[0].metadata.name;
    await h.admin.patch(R.statefulsets, 'default', 'web', 'merge', { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:2' }] } } } });
    await h.until(async () => (await h.list(R.controllerrevisions)).length === 2);
    await h.admin.patch(R.statefulsets, 'default', 'web', 'merge', { spec: { template: (web().spec as Record<string, unknown>).template } });
    await h.until(async () => (await h.admin.get(R.controllerrevisions, 'default', first!)).revision === 3);
    await h.until(async () => ((await sts()).status as Record<string, unknown>).updateRevision === first);
    await h.settle();
    // OnDelete: the pod is not replaced by the controller.
    expect((await pod('web-0'))!.metadata.labels!['controller-revision-hash']).toBe(first);
  });

  it('whenDeleted/whenScaled Delete puts owner references on the claims', async () => {
    await h.admin.create(R.statefulsets, 'default', web({ replicas: 2, podManagementPolicy: 'Parallel', persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' } }));
    await h.until(async () => (await h.names(R.persistentvolumeclaims)).length === 2);
    const set = await sts();
    const c0 = await h.admin.get(R.persistentvolumeclaims, 'default', 'www-web-0');
    expect(c0.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: set.metadata.uid }]);
    await h.makeReady('web-0');
    await h.makeReady('web-1');
    const p1 = (await pod('web-1'))!;
    await h.admin.scale(R.statefulsets, 'default', 'web', 1);
    await h.until(async () => !(await pod('web-1')));
    const c1 = await h.admin.get(R.persistentvolumeclaims, 'default', 'www-web-1');
    expect(c1.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Pod', name: 'web-1', uid: p1.metadata.uid }]);
  });
});

describe('StatefulSet adoption', () => {
  it('adopts an orphan pod named <set>-N that matches the selector, and leaves other orphans alone', async () => {
    const orphan = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } });
    await h.admin.create(R.pods, 'default', orphan('web-0'));
    await h.admin.create(R.pods, 'default', orphan('other'));
    await h.admin.create(R.statefulsets, 'default', web({ replicas: 1 }));
    await h.until(async () => !!(await pod('web-0'))?.metadata.ownerReferences, 'web-0 adopted');
    const set = await sts();
    expect((await pod('web-0'))!.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: set.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    await h.settle();
    expect((await pod('other'))!.metadata.ownerReferences).toBeUndefined();
  });
});
