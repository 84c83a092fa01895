/**
 * The job controller against the real API handler on a FakeClock: Jobs in, pods / Job status /
 * events out. Pod phases are driven through the API (the kubelet's part).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { R } from '../../../../src-main/client';
import type { KubeObject } from '../../../../src-main/api/types';
import { jobsDef } from '../../../../src-main/api/batch/job';
import { jobController } from '../../../../src-main/controllers/job/job-controller';
import { TestCluster, T0 } from './cluster';

let c: TestCluster;
beforeEach(async () => {
  c = await new TestCluster().start(jobController);
});
afterEach(async () => {
  await c.stop();
});

type Obj = KubeObject & { spec?: any; status?: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

function job(name: string, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'busybox' }] } }, ...spec },
  };
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

async function getJob(name: string): Promise<Obj> {
  return (await c.client.get(R.jobs, 'default', name)) as Obj;
}

async function pods(): Promise<Obj[]> {
  return ((await c.list(R.pods)) as Obj[]).sort((a, b) => (a.metadata.creationTimestamp! < b.metadata.creationTimestamp! ? -1 : a.metadata.name! < b.metadata.name! ? -1 : 1));
}

async function setPhase(name: string, phase: string, extra: Record<string, unknown> = {}): Promise<void> {
  await c.client.patchStatus(R.pods, 'default', name, { status: { phase, ...extra } });
  await c.settle();
}

function row(j: KubeObject): unknown[] {
  return jobsDef.table!.row(j, c.clock.now()).slice(0, 4);
}

describe('job controller', () => {
  it('runs a one-pod Job to Complete: pod from the template, tracking finalizer, status, events, COMPLETIONS 1/1', async () => {
    const created = await c.client.create(R.jobs, 'default', job('pi'));
    await c.settle();
    const [pod] = await pods();
    const uid = created.metadata.uid!;
    expect(pod.metadata.name).toMatch(/^pi-[a-z0-9]{5}$/);
    expect(pod.metadata.generateName).toBe('pi-');
    expect(pod.metadata.labels).toEqual({ 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': uid, 'job-name': 'pi' });
    expect(pod.metadata.finalizers).toEqual(['batch.kubernetes.io/job-tracking']);
    expect(pod.metadata.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid, controller: true, blockOwnerDeletion: true }]);
    let j = await getJob('pi');
    expect(j.status).toEqual({ active: 1, ready: 0, terminating: 0, startTime: iso(T0), uncountedTerminatedPods: {} });
    expect(row(j)).toEqual(['pi', 'Running', '0/1', '0s']);

    await c.advance(5000);
    await setPhase(pod.metadata.name!, 'Succeeded');
    await c.advance(1000);
    j = await getJob('pi');
    const done = iso(T0 + 6000);
    const cond = (type: string) => ({ type, status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods', lastProbeTime: done, lastTransitionTime: done });
    expect(j.status).toEqual({
      conditions: [cond('SuccessCriteriaMet'), cond('Complete')],
      startTime: iso(T0),
      completionTime: done,
      succeeded: 1,
      ready: 0,
      terminating: 0,
      uncountedTerminatedPods: {},
    });
    // In Go's JobStatus field order, as `kubectl get -o json` prints it.
    expect(Object.keys(j.status)).toEqual(['conditions', 'startTime', 'completionTime', 'succeeded', 'terminating', 'uncountedTerminatedPods', 'ready']);
    expect(row(j)).toEqual(['pi', 'Complete', '1/1', '6s']);
    const [after] = await pods();
    expect(after.metadata.finalizers).toBeUndefined();
    expect(await c.events('pi')).toEqual([`Normal SuccessfulCreate Created pod: ${pod.metadata.name}`, 'Normal Completed Job completed']);
  });

  it('runs completions in parallel and never more than the remaining completions', async () => {
    await c.client.create(R.jobs, 'default', job('par', { completions: 3, parallelism: 2 }));
    await c.settle();
    let ps = await pods();
    expect(ps).toHaveLength(2);
    await setPhase(ps[0].metadata.name!, 'Succeeded');
    await c.advance(1000);
    ps = await pods();
    expect(ps).toHaveLength(3);
    expect((await getJob('par')).status).toMatchObject({ active: 2, succeeded: 1 });
    for (const p of ps.filter((x) => x.status?.phase !== 'Succeeded')) await setPhase(p.metadata.name!, 'Succeeded');
    await c.advance(1000);
    const j = await getJob('par');
    expect(j.status.succeeded).toBe(3);
    expect(j.status.active).toBeUndefined();
    expect(row(j)).toEqual(['par', 'Complete', '3/3', '2s']);
    expect(await pods()).toHaveLength(3);
  });

  it('replaces failed pods after 10 s, 20 s of back-off and fails with BackoffLimitExceeded past backoffLimit', async () => {
    await c.client.create(R.jobs, 'default', job('fail', { backoffLimit: 2 }));
    await c.settle();
    const failOnly = async () => {
      const p = (await pods()).find((x) => !x.status?.phase || x.status.phase === 'Pending');
      // As the kubelet reports it: Ready turns False when the pod finishes (the back-off counts from then).
      await setPhase(p!.metadata.name!, 'Failed', { conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: iso(c.clock.now()) }] });
    };
    await failOnly();
    await c.advance(9000);
    expect(await pods()).toHaveLength(1);
    expect((await getJob('fail')).status).toMatchObject({ failed: 1 });
    await c.advance(2000);
    expect(await pods()).toHaveLength(2);
    await failOnly();
    await c.advance(19000);
    expect(await pods()).toHaveLength(2);
    await c.advance(2000);
    expect(await pods()).toHaveLength(3);
    await failOnly();
    await c.advance(1000);
    const j = await getJob('fail');
    expect(j.status.failed).toBe(3);
    expect(j.status.conditions.map((x: any) => [x.type, x.status, x.reason, x.message])).toEqual([ // eslint-disable-line @typescript-eslint/no-explicit-any
      ['FailureTarget', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
      ['Failed', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
    ]);
    expect(j.status.completionTime).toBeUndefined();
    expect(row(j)).toEqual(['fail', 'Failed', '0/1', expect.any(String)]);
    expect((await c.events('fail')).filter((e) => !e.includes('SuccessfulCreate'))).toEqual(['Warning BackoffLimitExceeded Job has reached the specified backoff limit']);
    expect((await pods()).every((p) => !p.metadata.finalizers)).toBe(true);
  });

  it('fails a Job past activeDeadlineSeconds, deleting its running pods first', async () => {
    await c.client.create(R.jobs, 'default', job('slow', { activeDeadlineSeconds: 30 }));
    await c.settle();
    const [p] = await pods();
    await c.advance(29_000);
    expect((await getJob('slow')).status.conditions).toBeUndefined();
    await c.advance(2000);
    const j = await getJob('slow');
    expect(j.status.conditions.map((x: any) => `${x.type}/${x.reason}`)).toEqual(['FailureTarget/DeadlineExceeded', 'Failed/DeadlineExceeded']); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(j.status.failed).toBe(1);
    expect(j.status.active).toBeUndefined();
    expect(await pods()).toEqual([]);
    expect(await c.events('slow')).toEqual([
      `Normal SuccessfulCreate Created pod: ${p.metadata.name}`,
      `Normal SuccessfulDelete Deleted pod: ${p.metadata.name}`,
      'Warning DeadlineExceeded Job was active longer than specified deadline',
    ]);
  });

  it('runs Indexed Jobs: one pod per index with the completion-index annotation, label, hostname and env', async () => {
    await c.client.create(R.jobs, 'default', job('idx', { completions: 3, parallelism: 2, completionMode: 'Indexed' }));
    await c.settle();
    let ps = await pods();
    expect(ps.map((p) => p.metadata.generateName).sort()).toEqual(['idx-0-', 'idx-1-']);
    const p1 = ps.find((p) => p.metadata.generateName === 'idx-1-')!;
    expect(p1.metadata.name).toMatch(/^idx-1-[a-z0-9]{5}$/);
    expect(p1.metadata.annotations).toEqual({ 'batch.kubernetes.io/job-completion-index': '1' });
    expect(p1.metadata.labels!['batch.kubernetes.io/job-completion-index']).toBe('1');
    expect(p1.spec.hostname).toBe('idx-1');
    expect(p1.spec.containers[0].env).toEqual([
      { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.labels['batch.kubernetes.io/job-completion-index']" } } },
    ]);
    await setPhase(p1.metadata.name!, 'Succeeded');
    await c.advance(1000);
    ps = await pods();
    expect(ps.map((p) => p.metadata.generateName).sort()).toEqual(['idx-0-', 'idx-1-', 'idx-2-']);
    let j = await getJob('idx');
    expect(j.status).toMatchObject({ completedIndexes: '1', succeeded: 1, active: 2 });
    for (const p of ps.filter((x) => x.status?.phase !== 'Succeeded')) await setPhase(p.metadata.name!, 'Succeeded');
    await c.advance(1000);
    j = await getJob('idx');
    expect(j.status).toMatchObject({ completedIndexes: '0-2', succeeded: 3 });
    expect(row(j)).toEqual(['idx', 'Complete', '3/3', '2s']);
  });

  it('completes an Indexed Job as soon as its successPolicy matches, stopping the other indexes', async () => {
    await c.client.create(R.jobs, 'default', job('leader', { completions: 3, parallelism: 3, completionMode: 'Indexed', successPolicy: { rules: [{ succeededIndexes: '0' }] } }));
    await c.settle();
    const ps = await pods();
    expect(ps).toHaveLength(3);
    const leader = ps.find((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'] === '0')!;
    await setPhase(leader.metadata.name!, 'Succeeded');
    await c.advance(1000);
    await c.advance(1000);
    const j = await getJob('leader');
    expect(j.status.conditions.map((x: any) => [x.type, x.reason, x.message])).toEqual([ // eslint-disable-line @typescript-eslint/no-explicit-any
      ['SuccessCriteriaMet', 'SuccessPolicy', 'Matched rules at index 0'],
      ['Complete', 'SuccessPolicy', 'Matched rules at index 0'],
    ]);
    expect(j.status).toMatchObject({ completedIndexes: '0', succeeded: 1, terminating: 0 });
    expect((await pods()).map((p) => p.metadata.name)).toEqual([leader.metadata.name]);
    expect(row(j)).toEqual(['leader', 'Complete', '1/3', '2s']);
  });

  it('backoffLimitPerIndex: each index retries on its own back-off, counts failures on its pods, and the Job fails with FailedIndexes', async () => {
    await c.client.create(R.jobs, 'default', job('per', { completions: 2, parallelism: 2, completionMode: 'Indexed', backoffLimitPerIndex: 1 }));
    await c.settle();
    const byIndex = async (ix: string) => (await pods()).filter((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'] === ix);
    const fail = async (p: Obj) => setPhase(p.metadata.name!, 'Failed', { conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: iso(c.clock.now()) }] });
    let [first] = await byIndex('0');
    expect(first.metadata.annotations!['batch.kubernetes.io/job-index-failure-count']).toBe('0');
    await fail(first);
    await c.advance(1000);
    expect(await byIndex('0')).toHaveLength(1);
    // The failed pod keeps its finalizer until its replacement exists.
    expect((await byIndex('0'))[0].metadata.finalizers).toEqual(['batch.kubernetes.io/job-tracking']);
    await c.advance(10_000);
    const zero = await byIndex('0');
    expect(zero).toHaveLength(2);
    const second = zero.find((p) => p.metadata.uid !== first.metadata.uid)!;
    expect(second.metadata.annotations!['batch.kubernetes.io/job-index-failure-count']).toBe('1');
    first = zero.find((p) => p.metadata.uid === first.metadata.uid)!;
    await c.advance(1000);
    expect((await byIndex('0')).find((p) => p.metadata.uid === first.metadata.uid)!.metadata.finalizers).toBeUndefined();
    await fail(second);
    await c.advance(1000);
    let j = await getJob('per');
    expect(j.status).toMatchObject({ failedIndexes: '0', failed: 2 });
    expect(j.status.conditions).toBeUndefined();
    expect(await byIndex('0')).toHaveLength(2);
    await setPhase((await byIndex('1'))[0].metadata.name!, 'Succeeded');
    await c.advance(1000);
    j = await getJob('per');
    expect(j.status).toMatchObject({ failedIndexes: '0', completedIndexes: '1', succeeded: 1, failed: 2 });
    expect(j.status.conditions.map((x: any) => `${x.type}/${x.reason}/${x.message}`)).toEqual(['FailureTarget/FailedIndexes/Job has failed indexes', 'Failed/FailedIndexes/Job has failed indexes']); // eslint-disable-line @typescript-eslint/no-explicit-any
  });

  it('suspends and resumes: Suspended condition and events, pods deleted on suspend, startTime reset on resume', async () => {
    await c.client.create(R.jobs, 'default', job('sus', { suspend: true }));
    await c.settle();
    expect(await pods()).toEqual([]);
    let j = await getJob('sus');
    expect(j.status.startTime).toBeUndefined();
    expect(j.status.conditions).toEqual([{ type: 'Suspended', status: 'True', reason: 'JobSuspended', message: 'Job suspended', lastProbeTime: iso(T0), lastTransitionTime: iso(T0) }]);
    expect(row(j)).toEqual(['sus', 'Suspended', '0/1', '']);
    await c.advance(10_000);
    await c.client.patch(R.jobs, 'default', 'sus', 'merge', { spec: { suspend: false } });
    await c.settle();
    expect(await pods()).toHaveLength(1);
    j = await getJob('sus');
    expect(j.status.startTime).toBe(iso(T0 + 10_000));
    expect(j.status.conditions[0]).toMatchObject({ type: 'Suspended', status: 'False', reason: 'JobResumed', message: 'Job resumed' });
    await c.client.patch(R.jobs, 'default', 'sus', 'merge', { spec: { suspend: true } });
    await c.settle();
    expect(await pods()).toEqual([]);
    expect((await getJob('sus')).status).toMatchObject({ ready: 0 });
    expect((await getJob('sus')).status.active).toBeUndefined();
    const evs = await c.events('sus');
    expect(evs.filter((e) => !/SuccessfulCreate|SuccessfulDelete/.test(e))).toEqual(['Normal Suspended Job suspended (x2)', 'Normal Resumed Job resumed']);
    expect(evs.some((e) => e.startsWith('Normal SuccessfulDelete Deleted pod: sus-'))).toBe(true);
  });

  it('fails at once on a podFailurePolicy FailJob rule, and does not count Ignore matches', async () => {
    const policy = {
      rules: [
        { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] },
        { action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } },
      ],
    };
    await c.client.create(R.jobs, 'default', job('pfp', { podFailurePolicy: policy, backoffLimit: 0 }));
    await c.settle();
    let [p] = await pods();
    await setPhase(p.metadata.name!, 'Failed', { conditions: [{ type: 'DisruptionTarget', status: 'True' }] });
    await c.advance(1000);
    let j = await getJob('pfp');
    expect(j.status.conditions).toBeUndefined();
    expect(j.status.failed).toBeUndefined();
    await c.advance(10_000);
    p = (await pods()).find((x) => x.status?.phase !== 'Failed')!;
    await setPhase(p.metadata.name!, 'Failed', { containerStatuses: [{ name: 'pi', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 42, reason: 'Error', startedAt: iso(T0), finishedAt: iso(T0 + 11_000) } } }] });
    await c.advance(1000);
    j = await getJob('pfp');
    expect(j.status.conditions.map((x: any) => [x.type, x.reason, x.message])).toEqual([ // eslint-disable-line @typescript-eslint/no-explicit-any
      ['FailureTarget', 'PodFailurePolicy', `Container pi for pod default/${p.metadata.name} failed with exit code 42 matching FailJob rule at index 1`],
      ['Failed', 'PodFailurePolicy', `Container pi for pod default/${p.metadata.name} failed with exit code 42 matching FailJob rule at index 1`],
    ]);
    expect(j.status.failed).toBe(1);
  });

  it('adopts an orphan pod matching a manual selector and removes finalizers of pods whose Job is gone', async () => {
    await c.client.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stray', labels: { app: 'm' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    await c.client.create(R.jobs, 'default', job('man', { manualSelector: true, selector: { matchLabels: { app: 'm' } }, template: { metadata: { labels: { app: 'm' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } }));
    await c.settle();
    const ps = await pods();
    expect(ps.map((p) => p.metadata.name)).toEqual(['stray']);
    expect(ps[0].metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Job', name: 'man', controller: true });
    expect(ps[0].metadata.finalizers).toEqual(['batch.kubernetes.io/job-tracking']);
    await c.client.delete(R.jobs, 'default', 'man', { propagationPolicy: 'Orphan' });
    await c.advance(1000);
    const [after] = await pods();
    expect(after.metadata.finalizers).toBeUndefined();
  });

  it('releases a pod whose labels stop matching, and drops its tracking finalizer', async () => {
    await c.client.create(R.jobs, 'default', job('rel', { manualSelector: true, selector: { matchLabels: { app: 'r' } }, template: { metadata: { labels: { app: 'r' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } }));
    await c.settle();
    const [p] = await pods();
    await c.client.patch(R.pods, 'default', p.metadata.name!, 'merge', { metadata: { labels: { app: 'other' } } });
    await c.advance(1000);
    const all = await pods();
    const released = all.find((x) => x.metadata.name === p.metadata.name)!;
    expect(released.metadata.ownerReferences).toBeUndefined();
    expect(released.metadata.finalizers).toBeUndefined();
    // A new pod replaces it.
    expect(all.filter((x) => x.metadata.labels?.app === 'r')).toHaveLength(1);
  });
});
