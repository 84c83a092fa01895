/**
 * The CronJob controller against the real API handler on a FakeClock: CronJobs in, Jobs /
 * CronJob status / events out; Job completion is written through the API (the job controller's part).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { R } from '../../../../src-main/client';
import type { KubeObject } from '../../../../src-main/api/types';
import { cronJobsDef } from '../../../../src-main/api/batch/cronjob';
import { cronJobController } from '../../../../src-main/controllers/cronjob/cronjob-controller';
import { TestCluster, T0 } from '../job/cluster';

type Obj = KubeObject & { spec?: any; status?: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

let c: TestCluster;
afterEach(async () => {
  await c.stop();
});

const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function cronJob(name: string, schedule: string, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name },
    spec: {
      schedule,
      jobTemplate: { metadata: { labels: { team: 'a' } }, spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'hello', image: 'busybox' }] } } } },
      ...spec,
    },
  };
}

async function jobs(): Promise<Obj[]> {
  return ((await c.list(R.jobs)) as Obj[]).sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
}

async function getCJ(name: string): Promise<Obj> {
  return (await c.client.get(R.cronjobs, 'default', name)) as Obj;
}

/** What the job controller would write when a Job finishes. */
async function finishJob(name: string, type: 'Complete' | 'Failed'): Promise<void> {
  const now = iso(c.clock.now());
  const conditions = [{ type, status: 'True', lastProbeTime: now, lastTransitionTime: now }];
  await c.client.patchStatus(R.jobs, 'default', name, { status: type === 'Complete' ? { conditions, startTime: now, completionTime: now, succeeded: 1 } : { conditions, startTime: now, failed: 1 } });
  await c.settle();
}

function row(cj: KubeObject): unknown[] {
  return cronJobsDef.table!.row(cj, c.clock.now()).slice(0, 6);
}

describe('cronjob controller', () => {
  it('creates <name>-<minutes> at each scheduled time, requeued on the clock, and records completions', async () => {
    c = await new TestCluster().start(cronJobController);
    await c.client.create(R.cronjobs, 'default', cronJob('hello', '*/1 * * * *'));
    await c.settle();
    expect(await jobs()).toEqual([]);
    await c.advance(60_000);
    expect(await jobs()).toEqual([]);
    // Requeued for the next scheduled time plus 100 ms (nextScheduleDelta).
    await c.advance(100, 100);
    const [j] = await jobs();
    const cj = await getCJ('hello');
    const first = T0 + MIN;
    expect(j.metadata.name).toBe(`hello-${first / MIN}`);
    expect(j.metadata.labels).toMatchObject({ team: 'a' });
    expect(j.metadata.annotations).toEqual({ 'batch.kubernetes.io/cronjob-scheduled-timestamp': '2026-03-01T10:01:00Z' });
    expect(j.metadata.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'hello', uid: cj.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(j.spec.template.spec.containers[0].image).toBe('busybox');
    expect(cj.status).toEqual({
      active: [{ kind: 'Job', namespace: 'default', name: j.metadata.name, uid: j.metadata.uid, apiVersion: 'batch/v1', resourceVersion: j.metadata.resourceVersion }],
      lastScheduleTime: iso(first),
    });
    expect(row(cj)).toEqual(['hello', '*/1 * * * *', '<none>', 'False', 1, '0s']);

    await c.advance(4900);
    await finishJob(j.metadata.name!, 'Complete');
    await c.settle();
    const after = await getCJ('hello');
    expect(after.status).toEqual({ lastScheduleTime: iso(first), lastSuccessfulTime: iso(first + 5000) });
    expect(row(after)).toEqual(['hello', '*/1 * * * *', '<none>', 'False', 0, '5s']);

    await c.advance(55_100);
    expect((await jobs()).map((x) => x.metadata.name)).toEqual([`hello-${first / MIN}`, `hello-${first / MIN + 1}`]);
    expect(await c.events('hello')).toEqual([
      `Normal SuccessfulCreate Created job hello-${first / MIN}`,
      `Normal SawCompletedJob Saw completed job: hello-${first / MIN}, status: Complete`,
      `Normal SuccessfulCreate Created job hello-${first / MIN + 1}`,
    ]);
  });

  it('keeps successfulJobsHistoryLimit / failedJobsHistoryLimit finished Jobs, deleting the oldest', async () => {
    c = await new TestCluster().start(cronJobController);
    await c.client.create(R.cronjobs, 'default', cronJob('hist', '* * * * *', { successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 1 }));
    await c.settle();
    await c.advance(100, 100);
    const names: string[] = [];
    for (let i = 0; i < 3; i++) {
      await c.advance(MIN);
      const j = (await jobs()).find((x) => !x.status?.conditions)!;
      names.push(j.metadata.name!);
      await finishJob(j.metadata.name!, 'Complete');
    }
    await c.settle();
    expect((await jobs()).map((x) => x.metadata.name)).toEqual([names[2]]);
    const evs = await c.events('hist');
    expect(evs).toContain(`Normal SuccessfulDelete Deleted job ${names[0]}`);
    expect(evs).toContain(`Normal SuccessfulDelete Deleted job ${names[1]}`);
  });

  it('Forbid skips a run while one is active (JobAlreadyActive); Replace deletes the active Job first', async () => {
    c = await new TestCluster().start(cronJobController);
    await c.client.create(R.cronjobs, 'default', cronJob('forbid', '* * * * *', { concurrencyPolicy: 'Forbid' }));
    await c.client.create(R.cronjobs, 'default', cronJob('replace', '* * * * *', { concurrencyPolicy: 'Replace' }));
    await c.settle();
    await c.advance(MIN + 100);
    await c.advance(MIN);
    const names = (await jobs()).map((x) => x.metadata.name);
    const m1 = (T0 + MIN) / MIN;
    expect(names).toEqual([`forbid-${m1}`, `replace-${m1 + 1}`]);
    expect(await c.events('forbid')).toEqual([`Normal SuccessfulCreate Created job forbid-${m1}`, 'Normal JobAlreadyActive Not starting job because prior execution is running and concurrency policy is Forbid']);
    expect(await c.events('replace')).toEqual([
      `Normal SuccessfulCreate Created job replace-${m1}`,
      `Normal SuccessfulDelete Deleted job replace-${m1}`,
      `Normal SuccessfulCreate Created job replace-${m1 + 1}`,
    ]);
    expect((await getCJ('replace')).status.active.map((r: { name: string }) => r.name)).toEqual([`replace-${m1 + 1}`]);
  });

  it('creates nothing while suspended, and runs the missed time on resume', async () => {
    c = await new TestCluster().start(cronJobController);
    await c.client.create(R.cronjobs, 'default', cronJob('sus', '*/5 * * * *', { suspend: true }));
    await c.advance(6 * MIN, MIN);
    expect(await jobs()).toEqual([]);
    expect(row(await getCJ('sus'))).toEqual(['sus', '*/5 * * * *', '<none>', 'True', 0, '<none>']);
    await c.client.patch(R.cronjobs, 'default', 'sus', 'merge', { spec: { suspend: false } });
    await c.settle();
    expect((await jobs()).map((x) => x.metadata.name)).toEqual([`sus-${(T0 + 5 * MIN) / MIN}`]);
  });

  it('reads the schedule in spec.timeZone and stamps the scheduled time in that zone', async () => {
    c = await new TestCluster(Date.parse('2026-03-01T23:58:00Z')).start(cronJobController);
    await c.client.create(R.cronjobs, 'default', cronJob('tokyo', '0 9 * * *', { timeZone: 'Asia/Tokyo' }));
    await c.settle();
    await c.advance(2 * MIN + 100);
    const [j] = await jobs();
    const at = Date.parse('2026-03-02T00:00:00Z');
    expect(j.metadata.name).toBe(`tokyo-${at / MIN}`);
    expect(j.metadata.annotations).toEqual({ 'batch.kubernetes.io/cronjob-scheduled-timestamp': '2026-03-02T09:00:00+09:00' });
    expect(row(await getCJ('tokyo'))).toEqual(['tokyo', '0 9 * * *', 'Asia/Tokyo', 'False', 1, '0s']);
  });

  it('after a long outage warns about too many missed start times and runs only the latest; startingDeadlineSeconds skips stale runs', async () => {
    c = await new TestCluster().prepare();
    await c.client.create(R.cronjobs, 'default', cronJob('late', '* * * * *'));
    await c.client.create(R.cronjobs, 'default', cronJob('deadline', '0 * * * *', { startingDeadlineSeconds: 30 }));
    c.clock.advance(3 * 60 * MIN + 45_000);
    await c.start(cronJobController);
    const latest = T0 + 3 * 60 * MIN;
    expect((await jobs()).map((x) => x.metadata.name)).toEqual([`late-${latest / MIN}`]);
    expect(await c.events('late')).toEqual([
      'Warning TooManyMissedTimes too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew',
      `Normal SuccessfulCreate Created job late-${latest / MIN}`,
    ]);
    expect(await c.events('deadline')).toEqual([]);
    await c.advance(59 * MIN, MIN);
    await c.advance(MIN, 1000);
    expect((await jobs()).map((x) => x.metadata.name)).toContain(`deadline-${(T0 + 4 * 60 * MIN) / MIN}`);
  });

  it('a Job made from the CronJob by hand (kubectl create job --from) is seen as unexpected, not active', async () => {
    c = await new TestCluster().start(cronJobController);
    const cj = await c.client.create(R.cronjobs, 'default', cronJob('manual', '0 0 1 1 *'));
    await c.client.create(R.jobs, 'default', {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'manual-run', annotations: { 'cronjob.kubernetes.io/instantiate': 'manual' }, ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'manual', uid: cj.metadata.uid!, controller: true }] },
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'hello', image: 'busybox' }] } } },
    });
    await c.settle();
    expect(await c.events('manual')).toEqual(['Warning UnexpectedJob Saw a job that the controller did not create or forgot: manual-run']);
    expect((await getCJ('manual')).status).toEqual({});
  });
});
