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

    // The victim goes away (its kubelet would finish it); the preemptor waits out its back-off.
    await c.client.delete(R.pods, 'default', 'victim', { gracePeriodSeconds: 0 });
    await c.until(() => c.running!.scheduler.queue.where('default/vip') === 'backoff');
    // A lower-priority pod arriving meanwhile does not get the room kept for the preemptor.
    await c.createPod(pod('sneaky', withRequests('600m')));
    await c.until(async () => (await c.events('sneaky')).some((e) => e.reason === 'FailedScheduling'));
    for (let t = 0; t < 10; t++) {
      c.clock.advance(1000);
      for (let i = 0; i < 50; i++) await new Promise<void>((r) => setImmediate(r));
    }
    await c.until(async () => ((await c.getPod('vip')).spec as { nodeName?: string }).nodeName === 'only');
    expect(((await c.getPod('sneaky')).spec as { nodeName?: string }).nodeName).toBeUndefined();
    expect((await c.events('sneaky')).filter((e) => e.reason === 'FailedScheduling').map((e) => e.message)).toContain('0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.');
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

  it('a higher-priority pod takes over the nomination of a lower-priority one; victims get DisruptionTarget', async () => {
    c = await new SchedulerCluster().start([node('only', 1, { allocatable: { cpu: '1' } })]);
    for (const [name, value] of [['mid', 100], ['top', 1000]] as const) {
      await c.client.create(R.priorityclasses, undefined, { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value });
    }
    await c.createPod(pod('victim', withRequests('800m')));
    await c.until(async () => !!((await c.getPod('victim')).spec as { nodeName?: string }).nodeName);
    const nominated = async (name: string) => ((await c.getPod(name)).status as { nominatedNodeName?: string }).nominatedNodeName;
    await c.createPod(pod('mid', { ...withRequests('500m'), priorityClassName: 'mid' }));
    await c.until(async () => (await nominated('mid')) === 'only');
    const victim = await c.getPod('victim');
    expect(victim.metadata.deletionTimestamp).toBeTruthy();
    expect((victim.status as { conditions: unknown[] }).conditions).toContainEqual(
      expect.objectContaining({ type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler', message: 'default-scheduler: preempting to accommodate a higher priority pod' }),
    );

    await c.createPod(pod('top', { ...withRequests('500m'), priorityClassName: 'top' }));
    await c.until(async () => (await nominated('top')) === 'only');
    await c.until(async () => (await nominated('mid')) === undefined);
  });
});
