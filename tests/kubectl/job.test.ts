/**
 * Jobs and CronJobs with real kubectl against `kubesim serve --fast`: `kubectl create job` runs
 * its pod to completion (COMPLETIONS 1/1, STATUS Complete, describe events, `kubectl wait`),
 * `kubectl create cronjob` shows its columns, and `kubectl create job --from=cronjob/x` (built
 * client-side by kubectl) is accepted and runs. Should the simulated kubelet not finish a pod
 * on its own within a few seconds, the test finishes it through the API as a kubelet would (the
 * job controller is what is under test here).
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { useServe, table } from './harness';

const s = useServe();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function json(args: string[]): any { // eslint-disable-line @typescript-eslint/no-explicit-any
  return JSON.parse(s.ok([...args, '-o', 'json']));
}

async function until<T>(what: string, f: () => T | undefined, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/** Waits for the job's pod; lets the kubelet finish it, or finishes it as the kubelet would. */
async function runJobPod(job: string): Promise<string> {
  const pod = await until(`a pod of job ${job}`, () => json(['get', 'pods', '-l', `job-name=${job}`]).items[0]);
  const name: string = pod.metadata.name;
  const end = Date.now() + 5000;
  while (Date.now() < end) {
    const phase = json(['get', 'pod', name]).status?.phase;
    if (phase === 'Succeeded') return name;
    await sleep(250);
  }
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  s.ok(['patch', 'pod', name, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { phase: 'Succeeded', conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: now, reason: 'PodCompleted' }] } })]);
  return name;
}

describe('kubectl create job', () => {
  it('runs to COMPLETIONS 1/1 with upstream labels, status and events', async () => {
    expect(s.ok(['create', 'job', 'pi', '--image=busybox', '--', 'sh', '-c', 'echo 3.14'])).toBe('job.batch/pi created\n');
    const pod = await runJobPod('pi');
    expect(pod).toMatch(/^pi-[a-z0-9]{5}$/);
    expect(s.ok(['wait', '--for=condition=complete', 'job/pi', '--timeout=30s'])).toBe('job.batch/pi condition met\n');
    const rows = table(s.ok(['get', 'jobs']));
    expect(rows[0]).toEqual(['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE']);
    expect(rows[1].slice(0, 3)).toEqual(['pi', 'Complete', '1/1']);
    const j = json(['get', 'job', 'pi']);
    const uid = j.metadata.uid;
    expect(j.spec.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    expect(j.status).toMatchObject({ succeeded: 1, ready: 0, terminating: 0, uncountedTerminatedPods: {} });
    expect(j.status.conditions.map((c: { type: string; reason: string }) => `${c.type}/${c.reason}`)).toEqual(['SuccessCriteriaMet/CompletionsReached', 'Complete/CompletionsReached']);
    const p = json(['get', 'pod', pod]);
    expect(p.metadata.labels).toMatchObject({ 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': uid, 'job-name': 'pi' });
    expect(p.metadata.finalizers ?? []).not.toContain('batch.kubernetes.io/job-tracking');
    expect(p.metadata.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid, controller: true, blockOwnerDeletion: true }]);
    const described = s.ok(['describe', 'job', 'pi']);
    expect(described).toMatch(new RegExp(`Normal\\s+SuccessfulCreate\\s+\\S+\\s+job-controller\\s+Created pod: ${pod}`));
    expect(described).toMatch(/Normal\s+Completed\s+\S+\s+job-controller\s+Job completed/);
    expect(described).toMatch(/Pods Statuses:\s+0 Active \(0 Ready\) \/ 1 Succeeded \/ 0 Failed/);
  });
});

describe('failures and indexes with the simulated kubelet', () => {
  it('a failing pod is replaced after the back-off, then the Job fails with BackoffLimitExceeded', async () => {
    s.ok(['create', '-f', '-'], {
      stdin: JSON.stringify({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'boom' }, spec: { backoffLimit: 1, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'exit 3'] }] } } } }),
    });
    expect(s.ok(['wait', '--for=condition=failed', 'job/boom', '--timeout=60s'])).toBe('job.batch/boom condition met\n');
    const j = json(['get', 'job', 'boom']);
    expect(j.status.failed).toBe(2);
    expect(j.status.conditions.map((c: { type: string; reason: string }) => `${c.type}/${c.reason}`)).toEqual(['FailureTarget/BackoffLimitExceeded', 'Failed/BackoffLimitExceeded']);
    expect(table(s.ok(['get', 'job', 'boom']))[1].slice(0, 3)).toEqual(['boom', 'Failed', '0/1']);
    const pods = json(['get', 'pods', '-l', 'job-name=boom']).items;
    expect(pods.map((p: { status: { phase: string } }) => p.status.phase)).toEqual(['Failed', 'Failed']);
    // The replacement waited the 10 s back-off from the first failure.
    const finished = pods.map((p: any) => Date.parse(p.status.containerStatuses[0].state.terminated.finishedAt)).sort(); // eslint-disable-line @typescript-eslint/no-explicit-any
    const created = pods.map((p: any) => Date.parse(p.metadata.creationTimestamp)).sort(); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(created[1] - finished[0]).toBeGreaterThanOrEqual(9000);
    expect(s.ok(['describe', 'job', 'boom'])).toMatch(/Warning\s+BackoffLimitExceeded\s+.*job-controller\s+Job has reached the specified backoff limit/);
  }, 90_000);

  it('an Indexed Job gives each pod its JOB_COMPLETION_INDEX', async () => {
    s.ok(['create', '-f', '-'], {
      stdin: JSON.stringify({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'idx' }, spec: { completions: 3, parallelism: 3, completionMode: 'Indexed', template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['sh', '-c', 'echo index=$JOB_COMPLETION_INDEX'] }] } } } }),
    });
    expect(s.ok(['wait', '--for=condition=complete', 'job/idx', '--timeout=60s'])).toBe('job.batch/idx condition met\n');
    const j = json(['get', 'job', 'idx']);
    expect(j.status).toMatchObject({ succeeded: 3, completedIndexes: '0-2' });
    const pods = json(['get', 'pods', '-l', 'job-name=idx']).items as { metadata: { name: string; annotations: Record<string, string> } }[];
    const byIndex = Object.fromEntries(pods.map((p) => [p.metadata.annotations['batch.kubernetes.io/job-completion-index'], p.metadata.name]));
    expect(Object.keys(byIndex).sort()).toEqual(['0', '1', '2']);
    for (const [i, name] of Object.entries(byIndex)) {
      expect(name).toMatch(new RegExp(`^idx-${i}-[a-z0-9]{5}$`));
      expect(s.ok(['logs', name])).toBe(`index=${i}\n`);
    }
  }, 90_000);
});

describe('finished Jobs go away', () => {
  it('ttlSecondsAfterFinished: 0 deletes the Job and its pods once it completes', async () => {
    s.ok(['create', '-f', '-'], {
      stdin: JSON.stringify({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'ttl' }, spec: { ttlSecondsAfterFinished: 0, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['true'] }] } } } }),
    });
    await runJobPod('ttl');
    await until('job ttl to be deleted', () => (s.kubectl(['get', 'job', 'ttl']).code !== 0 ? true : undefined));
    expect(s.kubectl(['get', 'job', 'ttl']).stderr).toBe('Error from server (NotFound): jobs.batch "ttl" not found\n');
    await until('the pods of job ttl to be deleted', () => (json(['get', 'pods', '-l', 'job-name=ttl']).items.length === 0 ? true : undefined));
  });

  it('kubectl delete job removes its pods (their tracking finalizers are released)', async () => {
    // sleep as PID 1 ignores SIGTERM: a short grace period keeps the test quick.
    s.ok(['create', '-f', '-'], {
      stdin: JSON.stringify({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'gone' }, spec: { template: { spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] } } } }),
    });
    await until('a pod of job gone', () => json(['get', 'pods', '-l', 'job-name=gone']).items[0]);
    expect(s.ok(['delete', 'job', 'gone'])).toBe('job.batch "gone" deleted\n');
    await until('the pods of job gone to be deleted', () => (json(['get', 'pods', '-l', 'job-name=gone']).items.length === 0 ? true : undefined));
  });
});

describe('kubectl create cronjob and create job --from=cronjob', () => {
  it('shows the CronJob columns and runs a Job made from it', async () => {
    expect(s.ok(['create', 'cronjob', 'hello', '--image=busybox', '--schedule=0 0 1 1 *', '--', 'echo', 'hello'])).toBe('cronjob.batch/hello created\n');
    const rows = table(s.ok(['get', 'cronjob', 'hello']));
    expect(rows[0]).toEqual(['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE']);
    expect(rows[1].slice(0, 6)).toEqual(['hello', '0 0 1 1 *', '<none>', 'False', '0', '<none>']);

    expect(s.ok(['create', 'job', 'hello-manual', '--from=cronjob/hello'])).toBe('job.batch/hello-manual created\n');
    const j = json(['get', 'job', 'hello-manual']);
    const cj = json(['get', 'cronjob', 'hello']);
    expect(j.metadata.annotations).toMatchObject({ 'cronjob.kubernetes.io/instantiate': 'manual' });
    expect(j.metadata.ownerReferences).toEqual([expect.objectContaining({ apiVersion: 'batch/v1', kind: 'CronJob', name: 'hello', uid: cj.metadata.uid, controller: true })]);
    await runJobPod('hello-manual');
    expect(s.ok(['wait', '--for=condition=complete', 'job/hello-manual', '--timeout=30s'])).toBe('job.batch/hello-manual condition met\n');
    const jobRows = table(s.ok(['get', 'jobs', 'hello-manual']));
    expect(jobRows[1].slice(0, 3)).toEqual(['hello-manual', 'Complete', '1/1']);
    // Upstream's controller does not adopt hand-made Jobs into status.active.
    await until('the UnexpectedJob event', () => (/Warning\s+UnexpectedJob\s+.*\s+cronjob-controller\s+Saw a job that the controller did not create or forgot: hello-manual/.test(s.ok(['describe', 'cronjob', 'hello'])) ? true : undefined));
    expect(table(s.ok(['get', 'cronjob', 'hello']))[1].slice(0, 6)).toEqual(['hello', '0 0 1 1 *', '<none>', 'False', '0', '<none>']);
  });

  it('runs on its schedule: @every 2s creates <name>-<minutes> Jobs, shown in ACTIVE / LAST SCHEDULE', async () => {
    expect(s.ok(['create', 'cronjob', 'tick', '--image=busybox', '--schedule=@every 2s', '--', 'true'])).toBe('cronjob.batch/tick created\n');
    const created = await until('a Job of cronjob tick', () => json(['get', 'jobs']).items.find((j: { metadata: { name: string } }) => j.metadata.name.startsWith('tick-')));
    const name: string = created.metadata.name;
    expect(name).toMatch(/^tick-\d{8}$/);
    expect(created.metadata.annotations['batch.kubernetes.io/cronjob-scheduled-timestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const minutes = Number(name.slice('tick-'.length));
    expect(Math.abs(minutes - Date.parse(created.metadata.annotations['batch.kubernetes.io/cronjob-scheduled-timestamp']) / 60_000)).toBeLessThan(1);
    const row = table(s.ok(['get', 'cronjob', 'tick']))[1];
    expect(row.slice(0, 4)).toEqual(['tick', '@every 2s', '<none>', 'False']);
    expect(row[5]).toMatch(/^\d+s$/);
    await until('the SuccessfulCreate event', () => (new RegExp(`Normal\\s+SuccessfulCreate\\s+.*cronjob-controller\\s+Created job ${name}`).test(s.ok(['describe', 'cronjob', 'tick'])) ? true : undefined));
    s.ok(['delete', 'cronjob', 'tick']);
  });

  it('rejects invalid schedules and time zones with the upstream messages', () => {
    const r = s.kubectl(['create', 'cronjob', 'bad', '--image=busybox', '--schedule=61 * * * *']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61');
    const tz = s.kubectl(['create', '-f', '-'], {
      stdin: JSON.stringify({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'tz' }, spec: { schedule: 'TZ=UTC 0 * * * *', timeZone: 'Mars/Olympus', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } } } }),
    });
    expect(tz.code).toBe(1);
    expect(tz.stderr).toContain('spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead');
    expect(tz.stderr).toContain('spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus');
  });
});

describe('after a restart of kubesim serve', () => {
  it('finished Jobs stay finished (no new pods) and the CronJob keeps its status', async () => {
    const before = json(['get', 'pods', '-l', 'job-name=pi']).items.map((p: { metadata: { name: string } }) => p.metadata.name);
    const cjBefore = json(['get', 'cronjob', 'hello']);
    await s.stop();
    await s.start(join(s.dir, 'data'));
    await sleep(2000);
    expect(table(s.ok(['get', 'job', 'pi']))[1].slice(0, 3)).toEqual(['pi', 'Complete', '1/1']);
    expect(json(['get', 'pods', '-l', 'job-name=pi']).items.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual(before);
    expect(json(['get', 'cronjob', 'hello']).status).toEqual(cjBefore.status);
    // And new Jobs still run.
    expect(s.ok(['create', 'job', 'again', '--image=busybox', '--', 'true'])).toBe('job.batch/again created\n');
    await runJobPod('again');
    expect(s.ok(['wait', '--for=condition=complete', 'job/again', '--timeout=30s'])).toBe('job.batch/again condition met\n');
  });
});
