/**
 * ReplicaSet and ReplicationController controllers, golden style: objects in, objects and events
 * out, against the in-process API server on a FakeClock.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src-main/api/types';
import { R } from '../../../src-main/client';
import { replicaSetController } from '../../../src-main/controllers/replicaset';
import { replicationControllerController } from '../../../src-main/controllers/replicationcontroller';
import { slowStartBatch } from '../../../src-main/controllers/replicaset';
import { Cluster, names, statusOf } from './deployment/harness';

function rs(name: string, replicas: number, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name, tier: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } },
      ...extra,
    },
  };
}

let c: Cluster;
beforeEach(async () => {
  c = await new Cluster().start([replicaSetController, replicationControllerController]);
});
afterEach(async () => {
  await c.stop();
});

describe('ReplicaSet controller', () => {
  it('creates pods from the template with generateName, labels and a controller reference; events and status follow', async () => {
    const created = await c.admin.create(R.replicasets, 'default', rs('web', 3));
    await c.settle();
    const pods = await c.list(R.pods);
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      expect(p.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(p.metadata.generateName).toBe('web-');
      expect(p.metadata.labels).toEqual({ app: 'web', tier: 'web' });
      expect(p.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: created.metadata.uid, controller: true, blockOwnerDeletion: true }]);
      expect((p.spec as { containers: unknown[] }).containers).toEqual([expect.objectContaining({ name: 'c', image: 'nginx:1.25' })]);
    }
    const events = await c.events('ReplicaSet');
    expect(events.sort()).toEqual(names(pods).map((n) => `ReplicaSet/web SuccessfulCreate: Created pod: ${n}`).sort());
    expect(statusOf(await c.get(R.replicasets, 'web'))).toEqual({ replicas: 3, fullyLabeledReplicas: 3, observedGeneration: 1 });

    await c.readyAll();
    expect(statusOf(await c.get(R.replicasets, 'web'))).toEqual({ replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 });
  });

  it('creates exactly spec.replicas pods for 100 replicas despite the burst of pod events (expectations)', async () => {
    const t = Date.now();
    await c.admin.create(R.replicasets, 'default', rs('big', 100));
    await c.settle();
    const pods = await c.list(R.pods);
    expect(pods).toHaveLength(100);
    expect(new Set(names(pods)).size).toBe(100);
    expect(statusOf(await c.get(R.replicasets, 'big'))).toEqual({ replicas: 100, fullyLabeledReplicas: 100, observedGeneration: 1 });
    expect(Date.now() - t).toBeLessThan(5000);
  });

  it('replaces a deleted pod, and scales down deleting not-ready pods before ready ones', async () => {
    await c.admin.create(R.replicasets, 'default', rs('web', 3));
    await c.settle();
    const [first, ...rest] = await c.list(R.pods);
    for (const p of rest) await c.markReady(p);
    await c.settle();
    await c.admin.delete(R.pods, 'default', rest[0].metadata.name ?? '', { gracePeriodSeconds: 0 });
    await c.settle();
    const after = await c.list(R.pods);
    expect(after).toHaveLength(3);
    expect(names(after)).not.toContain(rest[0].metadata.name);
    const replacement = after.find((p) => p.metadata.name !== first.metadata.name && p.metadata.name !== rest[1].metadata.name)!;

    // Scale to 1: the two not-ready pods (the unscheduled original and the replacement) go first.
    await c.admin.patch(R.replicasets, 'default', 'web', 'merge', { spec: { replicas: 1 } });
    await c.settle();
    await c.reapTerminating();
    expect(names(await c.list(R.pods))).toEqual([rest[1].metadata.name]);
    const deletes = (await c.events('ReplicaSet')).filter((e) => e.includes('SuccessfulDelete')).sort();
    expect(deletes).toEqual([first.metadata.name, replacement.metadata.name].map((n) => `ReplicaSet/web SuccessfulDelete: Deleted pod: ${n}`).sort());
    expect(statusOf(await c.get(R.replicasets, 'web'))).toMatchObject({ replicas: 1, readyReplicas: 1, availableReplicas: 1, observedGeneration: 2 });
  });

  it('adopts a matching orphan and releases a pod whose labels stop matching', async () => {
    await c.admin.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'orphan', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    const owner = await c.admin.create(R.replicasets, 'default', rs('web', 2));
    await c.settle();
    const pods = await c.list(R.pods);
    expect(pods).toHaveLength(2);
    const orphan = pods.find((p) => p.metadata.name === 'orphan')!;
    expect(orphan.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    // The adopted pod lacks the template's tier label: not fully labeled.
    expect(statusOf(await c.get(R.replicasets, 'web'))).toMatchObject({ replicas: 2, fullyLabeledReplicas: 1 });

    await c.admin.patch(R.pods, 'default', 'orphan', 'merge', { metadata: { labels: { app: 'other' } } });
    await c.settle();
    const released = await c.get(R.pods, 'orphan');
    expect(released.metadata.ownerReferences ?? []).toEqual([]);
    expect(await c.list(R.pods, 'app=web')).toHaveLength(2);
  });

  it('waits minReadySeconds before counting a ready pod available', async () => {
    await c.admin.create(R.replicasets, 'default', rs('web', 1, { minReadySeconds: 10 }));
    // Ready at T+0.5 s; the condition's time is written in whole seconds (T), as the kubelet does.
    await c.advance(500);
    await c.readyAll();
    expect(statusOf(await c.get(R.replicasets, 'web'))).toMatchObject({ replicas: 1, readyReplicas: 1 });
    expect(statusOf(await c.get(R.replicasets, 'web')).availableReplicas).toBeUndefined();
    await c.advance(9_000);
    expect(statusOf(await c.get(R.replicasets, 'web')).availableReplicas).toBeUndefined();
    // The requeue after minReadySeconds (T+10.5 s) finds the pod available.
    await c.advance(1_000);
    expect(statusOf(await c.get(R.replicasets, 'web'))).toMatchObject({ readyReplicas: 1, availableReplicas: 1 });
  });

  it('reports a failed create as FailedCreate event and ReplicaFailure condition, in slow-start batches', async () => {
    // The Priority admission plugin refuses pods naming a PriorityClass that does not exist.
    await c.admin.create(R.replicasets, 'default', rs('bad', 5, { template: { metadata: { labels: { app: 'bad' } }, spec: { priorityClassName: 'nope', containers: [{ name: 'c', image: 'nginx' }] } } }));
    await c.settle();
    const failed = (await c.events('ReplicaSet')).filter((e) => e.includes('FailedCreate'));
    // One failure per sync (the first batch has one pod); the status write requeues once.
    // (Upstream's message names the pod `bad-`: its admission runs before the name is generated.)
    expect(failed.length).toBeGreaterThanOrEqual(1);
    expect(failed.length).toBeLessThanOrEqual(2);
    for (const e of failed) expect(e).toMatch(/^ReplicaSet\/bad FailedCreate: Error creating: pods "bad-[a-z0-9]*" is forbidden: no PriorityClass with name nope was found$/);
    const cond = (statusOf(await c.get(R.replicasets, 'bad')).conditions as { type: string; reason: string }[])[0];
    expect(cond).toMatchObject({ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: expect.stringMatching(/is forbidden: no PriorityClass with name nope was found$/) });
    expect(await c.list(R.pods)).toEqual([]);
  });
});

describe('slowStartBatch', () => {
  it('runs 1, 2, 4, … and stops at the first failing batch', async () => {
    const batches: number[] = [];
    let calls = 0;
    let inBatch = 0;
    const r = await slowStartBatch(20, 1, async () => {
      calls++;
      inBatch++;
      await Promise.resolve();
      if (inBatch) {
        batches.push(inBatch);
        inBatch = 0;
      }
      if (calls > 7) throw new Error('quota');
    });
    expect(batches).toEqual([1, 2, 4, 8]);
    expect(r.successes).toBe(7);
    expect((r.error as Error).message).toBe('quota');
  });
});

describe('ReplicationController controller', () => {
  it('keeps replicas of a v1 ReplicationController with a map selector', async () => {
    const rc = await c.admin.create<KubeObject>(R.replicationcontrollers, 'default', {
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: { name: 'kubia' },
      spec: { replicas: 2, selector: { app: 'kubia' }, template: { metadata: { labels: { app: 'kubia' } }, spec: { containers: [{ name: 'kubia', image: 'luksa/kubia' }] } } },
    });
    await c.settle();
    const pods = await c.list(R.pods);
    expect(pods).toHaveLength(2);
    expect(pods[0].metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'ReplicationController', name: 'kubia', uid: rc.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect((await c.events('ReplicationController')).filter((e) => e.startsWith('ReplicationController/kubia SuccessfulCreate: Created pod: kubia-'))).toHaveLength(2);
    expect(statusOf(await c.get(R.replicationcontrollers, 'kubia'))).toEqual({ replicas: 2, fullyLabeledReplicas: 2, observedGeneration: 1 });
  });
});
