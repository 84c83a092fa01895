/**
 * The Deployment controller with the ReplicaSet controller, golden style: Deployments in;
 * ReplicaSets, pods, status, conditions and events out. Pods are made Running/Ready by the test
 * (no kubelet here) and terminating pods are reaped by it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../src-main/api/types';
import { R } from '../../../../src-main/client';
import { replicaSetController } from '../../../../src-main/controllers/replicaset';
import { deploymentController } from '../../../../src-main/controllers/deployment/controller';
import { Cluster, T0, names, rfc3339, statusOf } from './harness';

function deployment(name: string, replicas: number, extra: Record<string, unknown> = {}, image = 'nginx:1.25'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } },
      ...extra,
    },
  };
}

let c: Cluster;
beforeEach(async () => {
  c = await new Cluster().start([replicaSetController, deploymentController]);
});
afterEach(async () => {
  await c.stop();
});

/** Plays kubelet until nothing changes: pods become ready, terminating pods go away. */
async function converge(): Promise<void> {
  for (let i = 0; i < 30; i++) {
    const readied = await c.readyAll();
    const terminating = (await c.list(R.pods)).filter((p) => p.metadata.deletionTimestamp).length;
    await c.reapTerminating();
    if (readied === 0 && terminating === 0) return;
  }
  throw new Error('did not converge');
}

async function scalingEvents(): Promise<string[]> {
  return (await c.events('Deployment')).filter((e) => e.includes('ScalingReplicaSet')).map((e) => e.replace(/^.*ScalingReplicaSet: /, ''));
}

async function rsByRevision(): Promise<KubeObject[]> {
  const rss = await c.list(R.replicasets);
  return rss.sort((a, b) => Number(a.metadata.annotations?.['deployment.kubernetes.io/revision']) - Number(b.metadata.annotations?.['deployment.kubernetes.io/revision']));
}

function conds(o: KubeObject): { type: string; status: string; reason: string; message: string }[] {
  return ((statusOf(o).conditions ?? []) as { type: string; status: string; reason: string; message: string }[]).map(({ type, status, reason, message }) => ({ type, status, reason, message }));
}

/** What `kubectl rollout undo --to-revision=N` sends: a JSON patch of the template and annotations. */
async function undoTo(name: string, rev: number): Promise<void> {
  const d = await c.get(R.deployments, name);
  const rs = (await c.list(R.replicasets)).find((r) => r.metadata.annotations?.['deployment.kubernetes.io/revision'] === String(rev))!;
  const tmpl = structuredClone((rs.spec as { template: { metadata: { labels: Record<string, string> } } }).template);
  delete tmpl.metadata.labels['pod-template-hash'];
  const keep = ['kubectl.kubernetes.io/last-applied-configuration', 'deployment.kubernetes.io/revision', 'deployment.kubernetes.io/revision-history', 'deployment.kubernetes.io/desired-replicas', 'deployment.kubernetes.io/max-replicas', 'deprecated.deployment.rollback.to'];
  const annotations: Record<string, string> = {};
  for (const k of keep) if (d.metadata.annotations?.[k] !== undefined) annotations[k] = d.metadata.annotations[k];
  for (const [k, v] of Object.entries(rs.metadata.annotations ?? {})) if (!keep.includes(k)) annotations[k] = v;
  await c.admin.patch(R.deployments, 'default', name, 'json', [
    { op: 'replace', path: '/spec/template', value: tmpl },
    { op: 'replace', path: '/metadata/annotations', value: annotations },
  ]);
  await c.settle();
}

describe('Deployment controller', () => {
  it('creates <deploy>-<pod-template-hash> with revision and replica annotations, pods, status and conditions', async () => {
    const d = await c.admin.create(R.deployments, 'default', deployment('web', 3));
    await c.settle();
    const [rs] = await c.list(R.replicasets);
    const hash = rs.metadata.labels?.['pod-template-hash'];
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    expect(rs.metadata.name).toBe(`web-${hash}`);
    expect(rs.metadata.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs.metadata.annotations).toEqual({ 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4', 'deployment.kubernetes.io/revision': '1' });
    expect(rs.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(rs.spec).toMatchObject({ replicas: 3, selector: { matchLabels: { app: 'web', 'pod-template-hash': hash } }, template: { metadata: { labels: { app: 'web', 'pod-template-hash': hash } } } });
    const pods = await c.list(R.pods);
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      expect(p.metadata.name).toMatch(new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      expect(p.metadata.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
    }
    expect(await scalingEvents()).toEqual([`Scaled up replica set web-${hash} from 0 to 3`]);

    let got = await c.get(R.deployments, 'web');
    expect(got.metadata.annotations).toEqual({ 'deployment.kubernetes.io/revision': '1' });
    expect(statusOf(got)).toMatchObject({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, unavailableReplicas: 3 });
    expect(conds(got)).toEqual([
      { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' },
      { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "web-${hash}" is progressing.` },
    ]);

    await c.advance(5000);
    await converge();
    got = await c.get(R.deployments, 'web');
    const st = statusOf(got);
    expect({ ...st, conditions: undefined }).toEqual({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, conditions: undefined });
    expect(conds(got)).toEqual([
      { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
      { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "web-${hash}" has successfully progressed.` },
    ]);
    const progressing = (st.conditions as { type: string; lastTransitionTime: string; lastUpdateTime: string }[])[1];
    // Progressing became True at creation and stayed True: its transition time is kept.
    expect(progressing.lastTransitionTime).toBe(rfc3339(T0));
    expect(progressing.lastUpdateTime).toBe(rfc3339(T0 + 5000));
  });

  it('rolls out a new template with maxSurge 1 / maxUnavailable 0 one pod at a time, then undoes to revision 1', async () => {
    await c.admin.create(R.deployments, 'default', deployment('web', 3, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }));
    await c.settle();
    await converge();
    const [v1] = await c.list(R.replicasets);
    await c.admin.patch(R.deployments, 'default', 'web', 'merge', {
      metadata: { annotations: { 'kubernetes.io/change-cause': 'kubectl set image deployment/web c=nginx:1.26' } },
      spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:1.26' }] } } },
    });
    await c.settle();
    await converge();
    const [a, b] = await rsByRevision();
    expect(a.metadata.name).toBe(v1.metadata.name);
    const A = a.metadata.name;
    const B = b.metadata.name;
    expect(await scalingEvents()).toEqual([
      `Scaled up replica set ${A} from 0 to 3`,
      `Scaled up replica set ${B} from 0 to 1`,
      `Scaled down replica set ${A} from 3 to 2`,
      `Scaled up replica set ${B} from 1 to 2`,
      `Scaled down replica set ${A} from 2 to 1`,
      `Scaled up replica set ${B} from 2 to 3`,
      `Scaled down replica set ${A} from 1 to 0`,
    ]);
    expect(b.metadata.annotations).toEqual({
      'deployment.kubernetes.io/desired-replicas': '3',
      'deployment.kubernetes.io/max-replicas': '4',
      'deployment.kubernetes.io/revision': '2',
      'kubernetes.io/change-cause': 'kubectl set image deployment/web c=nginx:1.26',
    });
    expect([(a.spec as { replicas: number }).replicas, (b.spec as { replicas: number }).replicas]).toEqual([0, 3]);
    expect(names(await c.list(R.pods)).every((n) => n.startsWith(`${B}-`))).toBe(true);
    expect((await c.get(R.deployments, 'web')).metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');

    await undoTo('web', 1);
    await converge();
    const after = await rsByRevision();
    expect(after.map((r) => [r.metadata.name, r.metadata.annotations?.['deployment.kubernetes.io/revision'], r.metadata.annotations?.['deployment.kubernetes.io/revision-history']])).toEqual([
      [B, '2', undefined],
      [A, '3', '1'],
    ]);
    expect((await c.get(R.deployments, 'web')).metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    expect(names(await c.list(R.pods)).every((n) => n.startsWith(`${A}-`))).toBe(true);
    expect((await scalingEvents()).slice(7, 9)).toEqual([`Scaled up replica set ${A} from 0 to 1`, `Scaled down replica set ${B} from 3 to 2`]);
  });

  it('scales the only active ReplicaSet and rewrites its replica annotations', async () => {
    await c.admin.create(R.deployments, 'default', deployment('web', 3));
    await c.settle();
    await converge();
    await c.admin.patch(R.deployments, 'default', 'web', 'merge', { spec: { replicas: 5 } });
    await c.settle();
    const [rs] = await c.list(R.replicasets);
    expect((rs.spec as { replicas: number }).replicas).toBe(5);
    expect(rs.metadata.annotations?.['deployment.kubernetes.io/desired-replicas']).toBe('5');
    expect(rs.metadata.annotations?.['deployment.kubernetes.io/max-replicas']).toBe('7');
    expect((await scalingEvents()).at(-1)).toBe(`Scaled up replica set ${rs.metadata.name} from 3 to 5`);
    expect(await c.list(R.pods)).toHaveLength(5);
  });

  it('scales proportionally when resized in the middle of a rollout', async () => {
    await c.admin.create(R.deployments, 'default', deployment('web', 10, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } }));
    await c.settle();
    await converge();
    await c.admin.patch(R.deployments, 'default', 'web', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:1.26' }] } } } });
    await c.settle();
    // New pods never get ready: old 8, new 5 (13 = 10 + maxSurge 3).
    const [a, b] = await rsByRevision();
    expect([(a.spec as { replicas: number }).replicas, (b.spec as { replicas: number }).replicas]).toEqual([8, 5]);
    await c.admin.patch(R.deployments, 'default', 'web', 'merge', { spec: { replicas: 15 } });
    await c.settle();
    // The docs' example: allowed 15 + 3 = 18, so 5 more, spread over 8:5 of the annotated 13 → +3 / +2.
    const [a2, b2] = await rsByRevision();
    expect([(a2.spec as { replicas: number }).replicas, (b2.spec as { replicas: number }).replicas]).toEqual([11, 7]);
    expect((await scalingEvents()).slice(-2)).toEqual([`Scaled up replica set ${a.metadata.name} from 8 to 11`, `Scaled up replica set ${b.metadata.name} from 5 to 7`]);
  });

  it('pauses (no rollout, Progressing Unknown DeploymentPaused) and resumes', async () => {
    await c.admin.create(R.deployments, 'default', deployment('web', 2));
    await c.settle();
    await converge();
    await c.admin.patch(R.deployments, 'default', 'web', 'merge', { spec: { paused: true } });
    await c.settle();
    await c.admin.patch(R.deployments, 'default', 'web', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:1.26' }] } } } });
    await c.settle();
    expect(await c.list(R.replicasets)).toHaveLength(1);
    let d = await c.get(R.deployments, 'web');
    expect(conds(d).find((x) => x.type === 'Progressing')).toEqual({ type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' });
    expect(statusOf(d).observedGeneration).toBe(3);

    await c.admin.patch(R.deployments, 'default', 'web', 'merge', { spec: { paused: null } });
    await c.settle();
    expect(await c.list(R.replicasets)).toHaveLength(2);
    d = await c.get(R.deployments, 'web');
    expect(conds(d).find((x) => x.type === 'Progressing')?.reason).toMatch(/^(DeploymentResumed|ReplicaSetUpdated|NewReplicaSetCreated)$/);
    await converge();
    d = await c.get(R.deployments, 'web');
    expect(conds(d).find((x) => x.type === 'Progressing')?.reason).toBe('NewReplicaSetAvailable');
  });

  it('marks Progressing False ProgressDeadlineExceeded when nothing moves for progressDeadlineSeconds', async () => {
    await c.admin.create(R.deployments, 'default', deployment('web', 2, { progressDeadlineSeconds: 30 }));
    await c.settle();
    const [rs] = await c.list(R.replicasets);
    await c.advance(20_000);
    expect(conds(await c.get(R.deployments, 'web')).find((x) => x.type === 'Progressing')?.reason).toBe('ReplicaSetUpdated');
    await c.advance(12_000);
    expect(conds(await c.get(R.deployments, 'web'))).toEqual([
      { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' },
      { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${rs.metadata.name}" has timed out progressing.` },
    ]);
  });

  it('Recreate scales the old ReplicaSet to zero and waits for its pods before creating the new one', async () => {
    await c.admin.create(R.deployments, 'default', deployment('web', 2, { strategy: { type: 'Recreate' } }));
    await c.settle();
    await converge();
    await c.admin.patch(R.deployments, 'default', 'web', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:1.26' }] } } } });
    await c.settle();
    // Old pods still terminating: no new ReplicaSet yet.
    const rss = await c.list(R.replicasets);
    expect(rss).toHaveLength(1);
    expect((rss[0].spec as { replicas: number }).replicas).toBe(0);
    await c.reapTerminating();
    await converge();
    const [a, b] = await rsByRevision();
    expect(await scalingEvents()).toEqual([`Scaled up replica set ${a.metadata.name} from 0 to 2`, `Scaled down replica set ${a.metadata.name} from 2 to 0`, `Scaled up replica set ${b.metadata.name} from 0 to 2`]);
  });

  it('keeps only revisionHistoryLimit old ReplicaSets', async () => {
    await c.admin.create(R.deployments, 'default', deployment('web', 1, { revisionHistoryLimit: 1 }));
    await c.settle();
    await converge();
    for (const v of ['1.26', '1.27', '1.28']) {
      await c.admin.patch(R.deployments, 'default', 'web', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: `nginx:${v}` }] } } } });
      await c.settle();
      await converge();
    }
    const rss = await rsByRevision();
    expect(rss.map((r) => r.metadata.annotations?.['deployment.kubernetes.io/revision'])).toEqual(['3', '4']);
  });

  it('with minReadySeconds an old pod goes only once a new one has been ready that long (seed 002: 10 replicas, surge 1, unavailable 0, 5 s)', async () => {
    await c.admin.create(R.deployments, 'default', deployment('web', 10, { minReadySeconds: 5, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }));
    await c.settle();
    await c.advance(500);
    await c.readyAll();
    await c.advance(5_000);
    expect(statusOf(await c.get(R.deployments, 'web'))).toMatchObject({ replicas: 10, updatedReplicas: 10, readyReplicas: 10, availableReplicas: 10 });
    await c.admin.patch(R.deployments, 'default', 'web', 'merge', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:1.26' }] } } } });
    await c.settle();
    const [a, b] = await rsByRevision();
    expect([(a.spec as { replicas: number }).replicas, (b.spec as { replicas: number }).replicas]).toEqual([10, 1]);
    expect((b.spec as { minReadySeconds: number }).minReadySeconds).toBe(5);
    await c.advance(500);
    await c.readyAll('pod-template-hash=' + b.metadata.labels?.['pod-template-hash']);
    // Ready but not yet available for 5 s: nothing moves, rollout status would say "10 old replicas are pending termination".
    await c.advance(4_000);
    let d = await c.get(R.deployments, 'web');
    expect(statusOf(d)).toMatchObject({ replicas: 11, updatedReplicas: 1, readyReplicas: 11, availableReplicas: 10 });
    expect((await c.get(R.replicasets, a.metadata.name ?? '')).spec).toMatchObject({ replicas: 10 });
    await c.advance(1_500);
    d = await c.get(R.deployments, 'web');
    expect((await c.get(R.replicasets, a.metadata.name ?? '')).spec).toMatchObject({ replicas: 9 });
    expect((await c.get(R.replicasets, b.metadata.name ?? '')).spec).toMatchObject({ replicas: 2 });
    expect(statusOf(d)).toMatchObject({ replicas: 11, updatedReplicas: 2, availableReplicas: 10 });
  });

  it('copies a ReplicaSet failure up as the ReplicaFailure condition', async () => {
    await c.admin.create(R.deployments, 'default', {
      ...deployment('web', 2),
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { priorityClassName: 'nope', containers: [{ name: 'c', image: 'nginx' }] } } },
    });
    await c.settle();
    const d = await c.get(R.deployments, 'web');
    expect(conds(d).find((x) => x.type === 'ReplicaFailure')).toEqual({ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: expect.stringMatching(/^pods "web-[a-z0-9]+-[a-z0-9]*" is forbidden: no PriorityClass with name nope was found$/) });
  });

  it('adopts a matching orphan ReplicaSet (reused as the new one when its template matches) and recreates a deleted one', async () => {
    const d = deployment('web', 2);
    const template = structuredClone((d.spec as { template: Record<string, unknown> }).template);
    await c.admin.create(R.replicasets, 'default', { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'handmade', labels: { app: 'web' } }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template } });
    await c.settle();
    const created = await c.admin.create(R.deployments, 'default', d);
    await c.settle();
    const rss = await c.list(R.replicasets);
    expect(names(rss)).toEqual(['handmade']);
    expect(rss[0].metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: created.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(rss[0].metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    expect(await c.list(R.pods)).toHaveLength(2);

    await c.admin.delete(R.replicasets, 'default', 'handmade');
    await c.settle();
    const again = await c.list(R.replicasets);
    expect(again).toHaveLength(1);
    expect(again[0].metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
  });

  it('replaces a deleted pod of a deployment', async () => {
    await c.admin.create(R.deployments, 'default', deployment('web', 3));
    await c.settle();
    await converge();
    const before = names(await c.list(R.pods));
    await c.admin.delete(R.pods, 'default', before[0]);
    await c.settle();
    await c.reapTerminating();
    const after = names(await c.list(R.pods));
    expect(after).toHaveLength(3);
    expect(after).not.toContain(before[0]);
  });
});
