import { describe, expect, it } from 'vitest';
import { cronJobSummary, daemonSetSummary, deploymentSummary, jobSummary, replicaSetSummary, statefulSetSummary, templateImages } from '../../../../src-renderer/features/describe/summary-workloads';

const rows = (rs: { label: string; value: string }[]) => Object.fromEntries(rs.map((r) => [r.label, r.value]));
const template = { metadata: { labels: { app: 'web' } }, spec: { initContainers: [{ name: 'init', image: 'busybox:1.36' }], containers: [{ name: 'a', image: 'nginx:1.25' }, { name: 'b', image: 'busybox:1.36' }] } };

describe('workload summaries', () => {
  it('Deployment: replicas line, strategy with maxSurge/maxUnavailable, selector, images, paused', () => {
    const s = deploymentSummary({
      metadata: { name: 'web' },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '0' } }, template },
      status: { replicas: 3, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2, unavailableReplicas: 1 },
    });
    expect(rows(s.rows)).toEqual({
      Replicas: '3 desired | 2 updated | 3 total | 2 ready | 2 available | 1 unavailable',
      StrategyType: 'RollingUpdate',
      RollingUpdateStrategy: '0 max unavailable, 1 max surge',
      MinReadySeconds: '0',
      Selector: 'app=web',
      Images: 'busybox:1.36, nginx:1.25',
      Paused: 'false',
    });
    expect(s.rows[0].tone).toBe('warn');
    expect(s.rows.find((r) => r.label === 'Images')?.chips).toEqual(['busybox:1.36', 'nginx:1.25']);
  });
  it('Deployment defaults: 1 replica, 25% / 25%; Recreate has no rolling line; paused is flagged', () => {
    const s = deploymentSummary({ metadata: { name: 'd' }, spec: { paused: true, strategy: { type: 'Recreate' } }, status: { availableReplicas: 1, replicas: 1, readyReplicas: 1, updatedReplicas: 1 } });
    expect(rows(s.rows)).toMatchObject({ Replicas: '1 desired | 1 updated | 1 total | 1 ready | 1 available | 0 unavailable', StrategyType: 'Recreate', Paused: 'true' });
    expect(s.rows.some((r) => r.label === 'RollingUpdateStrategy')).toBe(false);
    expect(s.rows[0].tone).toBe('ok');
    expect(rows(deploymentSummary({ metadata: { name: 'e' }, spec: {} }).rows).RollingUpdateStrategy).toBe('25% max unavailable, 25% max surge');
  });
  it('ReplicaSet, StatefulSet and DaemonSet counts', () => {
    expect(rows(replicaSetSummary({ metadata: { name: 'r' }, spec: { replicas: 2, selector: { matchLabels: { app: 'web', 'pod-template-hash': 'abc' } }, template }, status: { replicas: 2, readyReplicas: 1, availableReplicas: 1 } }).rows)).toEqual({
      Replicas: '2 current / 2 desired',
      Ready: '1 ready / 1 available',
      Selector: 'app=web,pod-template-hash=abc',
      Images: 'busybox:1.36, nginx:1.25',
    });
    expect(rows(statefulSetSummary({ metadata: { name: 's' }, spec: { replicas: 3, serviceName: 'db', template }, status: { replicas: 3, readyReplicas: 3, updatedReplicas: 3 } }).rows)).toMatchObject({
      Replicas: '3 desired | 3 total | 3 ready | 3 updated',
      'Service Name': 'db',
      'Pod Management Policy': 'OrderedReady',
    });
    const ds = daemonSetSummary({ metadata: { name: 'x' }, spec: { template }, status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, updatedNumberScheduled: 2, numberAvailable: 2, numberMisscheduled: 1 } });
    expect(rows(ds.rows)).toMatchObject({ 'Desired Number of Nodes Scheduled': '3', 'Number of Nodes Scheduled with Available Pods': '2', 'Number of Nodes Misscheduled': '1' });
    expect(ds.rows.find((r) => r.label === 'Number of Nodes Misscheduled')?.tone).toBe('bad');
  });
  it('Job: completions, parallelism, pods statuses; CronJob: schedule, last schedule, suspend', () => {
    expect(
      rows(jobSummary({ metadata: { name: 'j' }, spec: { completions: 5, parallelism: 2, backoffLimit: 4, template }, status: { active: 2, ready: 1, succeeded: 3, failed: 0, startTime: 't0' } }).rows),
    ).toMatchObject({ Status: 'Running', Completions: '5', Parallelism: '2', 'Pods Statuses': '2 Active (1 Ready) / 3 Succeeded / 0 Failed', 'Backoff Limit': '4', 'Start Time': 't0', Suspend: 'false' });
    const done = jobSummary({ metadata: { name: 'j' }, spec: {}, status: { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] } });
    expect(done.rows[0]).toMatchObject({ value: 'Complete', tone: 'ok' });
    expect(rows(done.rows).Completions).toBe('<unset>');
    expect(
      rows(cronJobSummary({ metadata: { name: 'c' }, spec: { schedule: '*/5 * * * *', suspend: true, jobTemplate: { spec: { template } } }, status: { lastScheduleTime: '2026-11-23T20:00:00Z', active: [{ name: 'c-1' }] } }).rows),
    ).toEqual({
      Schedule: '*/5 * * * *',
      'Concurrency Policy': 'Allow',
      Suspend: 'true',
      'Last Schedule Time': '2026-11-23T20:00:00Z',
      'Active Jobs': 'c-1',
      Images: 'busybox:1.36, nginx:1.25',
    });
  });
  it('templateImages keeps order without repeats', () => {
    expect(templateImages(template)).toEqual(['busybox:1.36', 'nginx:1.25']);
    expect(templateImages(undefined)).toEqual([]);
  });
});
