/**
 * The Job, CronJob and TTL-after-finished controllers together reach a steady state: once the
 * work is done they write nothing more (no status writes answering their own update events, no
 * requeue spinning), however long the clock runs.
 */
import { afterEach, expect, it } from 'vitest';
import { R } from '../../../../src-main/client';
import { jobController } from '../../../../src-main/controllers/job/job-controller';
import { cronJobController } from '../../../../src-main/controllers/cronjob/cronjob-controller';
import { ttlAfterFinishedController } from '../../../../src-main/controllers/ttl-after-finished';
import { TestCluster } from './cluster';

let c: TestCluster;
afterEach(async () => c.stop());

const template = { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } };

it('writes nothing more once Jobs are done and CronJobs wait for their next time', async () => {
  c = await new TestCluster().start(jobController, cronJobController, ttlAfterFinishedController);
  await c.client.create(R.jobs, 'default', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'done' }, spec: { template } });
  await c.client.create(R.jobs, 'default', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'running' }, spec: { completions: 2, template } });
  await c.client.create(R.jobs, 'default', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'sus' }, spec: { suspend: true, template } });
  await c.client.create(R.cronjobs, 'default', { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'yearly' }, spec: { schedule: '@yearly', jobTemplate: { spec: { template } } } });
  await c.client.create(R.cronjobs, 'default', { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'hourly' }, spec: { schedule: '0 * * * *', successfulJobsHistoryLimit: 0, jobTemplate: { spec: { ttlSecondsAfterFinished: 3600, template } } } });
  await c.settle();
  const pod = (await c.list(R.pods)).find((p) => p.metadata.labels?.['job-name'] === 'done')!;
  await c.client.patchStatus(R.pods, 'default', pod.metadata.name!, { status: { phase: 'Succeeded' } });
  await c.advance(5000);
  expect((await c.client.get(R.jobs, 'default', 'done')).status).toMatchObject({ succeeded: 1 });
  const r1 = c.store.currentRevision();
  await c.advance(50 * 60_000, 60_000);
  const r2 = c.store.currentRevision();
  expect(r2 - r1).toBe(0);
  expect(c.logs).toEqual([]);
});
