/** Preemption end to end: a higher-priority pod evicts a lower-priority one and is then placed. */
import { afterEach, describe, expect, it } from 'vitest';
import { R } from '../../../src-main/client';
import { node, pod, SchedulerCluster, withRequests } from './helpers';

let c: SchedulerCluster;
afterEach(async () => c?.stop());

describe('preemption', () => {
  it('evicts the lower-priority pod, nominates the node, then binds there', async () => {
    c = await new SchedulerCluster().start([node('only', 1, { allocatable: { cpu: '1' } })]);
    await c.client.create(R.priorityclasses, undefined, { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 });
    await c.createPod(pod('victim', withRequests('800m')));
    await c.until(async () => !!((await c.getPod('victim')).spec as { nodeName?: string }).nodeName);
    const preemptor = await c.createPod(pod('vip', { ...withRequests('500m'), priorityClassName: 'high' }));

    await c.until(async () => ((await c.getPod('vip')).status as { nominatedNodeName?: string }).nominatedNodeName === 'only');
    await c.until(async () => (await c.events('victim')).some((e) => e.reason === 'Preempted'));
    const ev = (await c.events('victim')).find((e) => e.reason === 'Preempted')!;
    expect(ev.message).toBe(`Preempted by pod ${preemptor.metadata.uid} on node only`);
    expect((await c.getPod('victim')).metadata.deletionTimestamp).toBeTruthy();
    const failed = (await c.events('vip')).find((e) => e.reason === 'FailedScheduling')!;
    expect(failed.message).toBe('0/1 nodes are available: 1 Insufficient cpu.');

    // The victim goes away (its kubelet would finish it): the preemptor gets the node.
    await c.client.delete(R.pods, 'default', 'victim', { gracePeriodSeconds: 0 });
    await c.until(() => c.running!.scheduler.queue.where('default/vip') !== 'unschedulable');
    c.clock.advance(5000);
    await c.until(async () => ((await c.getPod('vip')).spec as { nodeName?: string }).nodeName === 'only');
  });

  it('preemptionPolicy Never never evicts', async () => {
    c = await new SchedulerCluster().start([node('only', 1, { allocatable: { cpu: '1' } })]);
    await c.client.create(R.priorityclasses, undefined, { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'polite' }, value: 1000, preemptionPolicy: 'Never' });
    await c.createPod(pod('victim', withRequests('800m')));
    await c.until(async () => !!((await c.getPod('victim')).spec as { nodeName?: string }).nodeName);
    await c.createPod(pod('vip', { ...withRequests('500m'), priorityClassName: 'polite' }));
    await c.until(async () => (await c.events('vip')).some((e) => e.reason === 'FailedScheduling'));
    expect((await c.events('vip')).find((e) => e.reason === 'FailedScheduling')!.message).toBe('0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.');
    expect((await c.getPod('victim')).metadata.deletionTimestamp).toBeUndefined();
  });
});
