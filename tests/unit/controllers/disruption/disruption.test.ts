/**
 * Disruption controller and the pods/eviction subresource: budgets in, status and eviction
 * answers out.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { R } from '../../../../src-main/client';
import { StatusError } from '../../../../src-main/api/errors';
import type { KubeObject } from '../../../../src-main/api/types';
import { disruptionController } from '../../../../src-main/controllers/disruption';
import { Harness } from '../garbagecollector/harness';
import { runningPod, setStatus } from '../endpoints/pods';

let h: Harness;
afterEach(async () => h.stop());

async function replicaSet(name: string, replicas: number, owner?: KubeObject): Promise<KubeObject> {
  return h.admin.create(R.replicasets, 'default', {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, ownerReferences: owner ? [{ apiVersion: 'apps/v1', kind: 'Deployment', name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true }] : undefined },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  });
}

async function pods(rs: KubeObject, n: number, ready = n): Promise<void> {
  for (let i = 0; i < n; i++) {
    await runningPod(h.admin, `web-${i}`, { ip: `10.244.1.${i + 2}`, ready: i < ready, owners: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name!, uid: rs.metadata.uid!, controller: true }] });
  }
}

async function pdb(name: string, spec: Record<string, unknown>): Promise<KubeObject> {
  return h.admin.create(R.poddisruptionbudgets, 'default', { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name }, spec: { selector: { matchLabels: { app: 'web' } }, ...spec } });
}

const statusOf = async (name: string) => (await h.admin.get(R.poddisruptionbudgets, 'default', name)).status as Record<string, unknown>;
const processed = (name: string) => async () => (await statusOf(name)).observedGeneration === 1;

describe('disruption controller', () => {
  it('minAvailable as a number: expected = pods, allowed = healthy − minAvailable, condition SufficientPods', async () => {
    h = await new Harness().start(disruptionController);
    const rs = await replicaSet('web-1', 3);
    await pods(rs, 3);
    await pdb('web', { minAvailable: 2 });
    await h.until(processed('web'), 'status written');
    expect(await statusOf('web')).toEqual({
      observedGeneration: 1,
      disruptionsAllowed: 1,
      currentHealthy: 3,
      desiredHealthy: 2,
      expectedPods: 3,
      conditions: [{ type: 'DisruptionAllowed', status: 'True', observedGeneration: 1, lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'SufficientPods', message: '' }],
    });
    // A pod going unready spends the budget.
    await setStatus(h.admin, 'web-0', '10.244.1.2', false);
    await h.until(async () => (await statusOf('web')).currentHealthy === 2, 'recount');
    expect(await statusOf('web')).toMatchObject({ disruptionsAllowed: 0, conditions: [{ status: 'False', reason: 'InsufficientPods' }] });
  });

  it('maxUnavailable and percentages use the controller scale (the Deployment of a ReplicaSet)', async () => {
    h = await new Harness().start(disruptionController);
    const d = await h.admin.create(R.deployments, 'default', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 4, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    });
    const rs = await replicaSet('web-1', 4, d);
    await pods(rs, 3);
    await pdb('max', { maxUnavailable: '25%' });
    await h.until(processed('max'), 'max processed');
    expect(await statusOf('max')).toMatchObject({ expectedPods: 4, desiredHealthy: 3, currentHealthy: 3, disruptionsAllowed: 0 });
    await h.admin.delete(R.poddisruptionbudgets, 'default', 'max');
    await pdb('min', { minAvailable: '50%' });
    await h.until(processed('min'), 'min processed');
    expect(await statusOf('min')).toMatchObject({ expectedPods: 4, desiredHealthy: 2, currentHealthy: 3, disruptionsAllowed: 1 });
    // Scaling the Deployment changes what is expected.
    await h.admin.scale(R.deployments, 'default', 'web', 2);
    await h.until(async () => (await statusOf('min')).expectedPods === 2, 'rescaled');
    expect(await statusOf('min')).toMatchObject({ desiredHealthy: 1, disruptionsAllowed: 2 });
  });

  it('pods without a controller make a percentage budget fail safe', async () => {
    h = await new Harness().start(disruptionController);
    await runningPod(h.admin, 'bare', { ip: '10.244.1.2' });
    await pdb('p', { maxUnavailable: 1 });
    await h.until(processed('p'), 'processed');
    expect(await statusOf('p')).toMatchObject({ disruptionsAllowed: 0, conditions: [{ status: 'False', reason: 'SyncFailed', message: 'found no controllers for pod "bare"' }] });
    await h.until(async () => (await h.events()).some((e) => e.reason === 'CalculateExpectedPodCountFailed'), 'event');
  });
});

describe('pods/eviction with PodDisruptionBudgets', () => {
  it('allows while disruptions are left, recording disruptedPods; then answers 429 as kubectl drain expects', async () => {
    h = await new Harness().start(disruptionController);
    const rs = await replicaSet('web-1', 3);
    await pods(rs, 3);
    await pdb('web', { minAvailable: 2 });
    await h.until(async () => (await statusOf('web')).disruptionsAllowed === 1, 'budget computed');

    await h.admin.evict('default', 'web-0');
    const evicted = await h.admin.get(R.pods, 'default', 'web-0');
    expect(evicted.metadata.deletionTimestamp).toBeTruthy();
    expect((evicted.status as { conditions: Record<string, unknown>[] }).conditions.find((c) => c.type === 'DisruptionTarget')).toMatchObject({ status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' });

    const err = (await h.admin.evict('default', 'web-1').catch((e: unknown) => e)) as StatusError;
    expect(err).toBeInstanceOf(StatusError);
    expect([err.code, err.reason, err.message]).toEqual([429, 'TooManyRequests', "Cannot evict pod as it would violate the pod's disruption budget."]);
    expect(err.status.details?.causes).toEqual([{ reason: 'DisruptionBudget', message: 'The disruption budget web needs 2 healthy pods and has 2 currently' }]);
    expect((await h.admin.get(R.pods, 'default', 'web-1')).metadata.deletionTimestamp).toBeUndefined();
  });

  it('spends the budget in the eviction itself (disruptionsAllowed decremented, disruptedPods recorded): a second eviction is refused', async () => {
    h = await new Harness().start();
    const rs = await replicaSet('web-1', 3);
    await pods(rs, 3);
    const created = await pdb('web', { maxUnavailable: 1 });
    // What the disruption controller would have written (it is not running here, so nothing races the evictions).
    await h.admin.updateStatus(R.poddisruptionbudgets, 'default', { ...created, status: { observedGeneration: 1, disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3 } });
    await h.admin.patch(R.pods, 'default', 'web-0', 'merge', { metadata: { finalizers: ['example.com/hold'] } });
    const results = await Promise.allSettled([h.admin.evict('default', 'web-0'), h.admin.evict('default', 'web-1')]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const deleting = (await h.admin.list(R.pods, 'default')).items.filter((p) => p.metadata.deletionTimestamp).map((p) => p.metadata.name);
    expect(deleting).toHaveLength(1);
    const st = await statusOf('web');
    expect(st.disruptionsAllowed).toBe(0);
    expect(st.disruptedPods).toEqual({ [deleting[0]!]: '2026-01-01T00:00:00Z' });
    expect(st.conditions).toEqual([{ type: 'DisruptionAllowed', status: 'False', observedGeneration: 1, lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'InsufficientPods', message: '' }]);
  });

  it('the controller keeps a granted eviction counted as a disruption until the pod is deleted or 2 minutes pass', async () => {
    h = await new Harness().start(disruptionController);
    const rs = await replicaSet('web-1', 3);
    await pods(rs, 3);
    await pdb('web', { maxUnavailable: 1 });
    await h.until(async () => (await statusOf('web')).disruptionsAllowed === 1, 'budget computed');
    // An eviction granted but not carried out yet, as the API server records it in the status.
    const cur = await h.admin.get(R.poddisruptionbudgets, 'default', 'web');
    await h.admin.updateStatus(R.poddisruptionbudgets, 'default', { ...cur, status: { ...(cur.status as object), disruptionsAllowed: 0, disruptedPods: { 'web-2': '2026-01-01T00:00:00Z' } } });
    await h.until(async () => (await statusOf('web')).currentHealthy === 2, 'web-2 not counted healthy');
    expect(await statusOf('web')).toMatchObject({ disruptionsAllowed: 0, disruptedPods: { 'web-2': '2026-01-01T00:00:00Z' } });
    await h.advance(121_000, 10_000);
    await h.until(async () => (await statusOf('web')).currentHealthy === 3, 'expired');
    expect((await statusOf('web')).disruptedPods).toBeUndefined();
  });

  it('evicts unhealthy pods when the budget is met, pending pods always; more than one budget is an error', async () => {
    h = await new Harness().start(disruptionController);
    const rs = await replicaSet('web-1', 4);
    await pods(rs, 4, 3);
    await pdb('web', { minAvailable: 3 });
    await h.until(async () => (await statusOf('web')).currentHealthy === 3, 'budget computed');
    expect((await statusOf('web')).disruptionsAllowed).toBe(0);
    await h.admin.evict('default', 'web-3'); // not ready: IfHealthyBudget lets it go
    await h.admin.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pending', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    await h.admin.evict('default', 'pending');
    expect(await h.admin.tryGet(R.pods, 'default', 'pending')).toBeUndefined();
    await pdb('second', { minAvailable: 1 });
    const err = (await h.admin.evict('default', 'web-0').catch((e: unknown) => e)) as StatusError;
    expect([err.code, err.message]).toEqual([500, 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.']);
  });

  it('a budget the controller has not processed yet refuses evictions', async () => {
    h = await new Harness().start();
    const rs = await replicaSet('web-1', 2);
    await pods(rs, 2);
    await pdb('web', { minAvailable: 0 });
    const err = (await h.admin.evict('default', 'web-0').catch((e: unknown) => e)) as StatusError;
    expect(err.code).toBe(429);
    expect(err.status.details?.causes?.[0].message).toBe('The disruption budget web is still being processed by the server.');
  });
});
