/**
 * The TTL-after-finished controller on the real API handler and a FakeClock: a finished Job with
 * ttlSecondsAfterFinished is deleted (foreground cascade, uid precondition) exactly when its TTL
 * runs out; unfinished Jobs and Jobs without a TTL stay; a TTL raised meanwhile is honoured.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { R } from '../../../src-main/client';
import type { KubeObject } from '../../../src-main/api/types';
import { ttlAfterFinishedController } from '../../../src-main/controllers/ttl-after-finished';
import { TestCluster } from './job/cluster';

let c: TestCluster;
beforeEach(async () => {
  c = await new TestCluster().start(ttlAfterFinishedController);
});
afterEach(async () => {
  await c.stop();
});

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function job(name: string, ttl?: number): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: { ttlSecondsAfterFinished: ttl, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
  };
}

async function finish(name: string, type = 'Complete'): Promise<void> {
  const now = iso(c.clock.now());
  await c.client.patchStatus(R.jobs, 'default', name, { status: { startTime: now, conditions: [{ type, status: 'True', lastProbeTime: now, lastTransitionTime: now }] } });
  await c.settle();
}

/** Jobs not being deleted (no garbage collector runs here: a foreground delete leaves the Job with its finalizer). */
const names = async () => (await c.list(R.jobs)).filter((j) => !j.metadata.deletionTimestamp).map((j) => j.metadata.name).sort();
/** Jobs being deleted, with their finalizers. */
const deleting = async () => (await c.list(R.jobs)).filter((j) => j.metadata.deletionTimestamp).map((j) => `${j.metadata.name} ${j.metadata.finalizers}`).sort();

describe('ttl-after-finished controller', () => {
  it('deletes finished Jobs ttlSecondsAfterFinished after they finished, and nothing else', async () => {
    await c.client.create(R.jobs, 'default', job('done', 100));
    await c.client.create(R.jobs, 'default', job('failed', 0));
    await c.client.create(R.jobs, 'default', job('running', 10));
    await c.client.create(R.jobs, 'default', job('keep'));
    await c.advance(5000);
    await finish('done');
    await finish('failed', 'Failed');
    await finish('keep');
    expect(await names()).toEqual(['done', 'keep', 'running']);
    await c.advance(99_000);
    expect(await names()).toEqual(['done', 'keep', 'running']);
    expect(await deleting()).toEqual(['failed foregroundDeletion']);
    await c.advance(1000);
    expect(await names()).toEqual(['keep', 'running']);
    expect(await deleting()).toEqual(['done foregroundDeletion', 'failed foregroundDeletion']);
  });

  it('re-reads the TTL before deleting: a longer TTL set meanwhile postpones the deletion', async () => {
    await c.client.create(R.jobs, 'default', job('j', 10));
    await finish('j');
    await c.client.patch(R.jobs, 'default', 'j', 'merge', { spec: { ttlSecondsAfterFinished: 60 } });
    await c.settle();
    await c.advance(30_000);
    expect(await names()).toEqual(['j']);
    await c.advance(30_000);
    expect(await names()).toEqual([]);
    expect(await deleting()).toEqual(['j foregroundDeletion']);
  });
});
