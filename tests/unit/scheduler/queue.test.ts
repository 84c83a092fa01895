/** The scheduling queue: PrioritySort order, back-off, unschedulable pods moved by cluster events. */
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src-main/client';
import { SchedulingQueue } from '../../../src-main/scheduler/queue';
import { pod } from './helpers';

const prio = (name: string, priority: number) => pod(name, { priority });

async function drain(q: SchedulingQueue): Promise<string[]> {
  const out: string[] = [];
  for (let x = q.tryPop(); x; x = q.tryPop()) out.push(x.pod.metadata.name!);
  return out;
}

describe('SchedulingQueue', () => {
  it('pops higher priority first, then in arrival order', async () => {
    const clock = new FakeClock(1000);
    const q = new SchedulingQueue(clock);
    q.add(prio('low-1', 0));
    clock.advance(1);
    q.add(prio('high', 1000));
    q.add(prio('low-2', 0));
    clock.advance(1);
    q.add(prio('mid', 10));
    q.add(prio('critical', 2000001000));
    expect(await drain(q)).toEqual(['critical', 'high', 'mid', 'low-1', 'low-2']);
    q.close();
  });

  it('pop waits for a pod and resolves when one arrives', async () => {
    const q = new SchedulingQueue(new FakeClock());
    const next = q.pop();
    q.add(prio('late', 0));
    expect((await next)?.pod.metadata.name).toBe('late');
    q.close();
    expect(await q.pop()).toBeUndefined();
  });

  it('unschedulable pods wait for an interesting event, then back off 1 s doubling to 10 s', async () => {
    const clock = new FakeClock(0);
    const q = new SchedulingQueue(clock);
    q.add(prio('p', 0));
    let item = q.tryPop()!;
    q.addUnschedulable(item, ['NodeResourcesFit']);
    expect(q.where('default/p')).toBe('unschedulable');
    // A volume event does not help a pod that failed on resources.
    q.moveAllToActiveOrBackoff((pl) => pl === 'VolumeBinding');
    expect(q.where('default/p')).toBe('unschedulable');
    q.moveAllToActiveOrBackoff((pl) => pl === 'NodeResourcesFit');
    expect(q.where('default/p')).toBe('backoff'); // 1 s after the first failure
    clock.advance(999);
    expect(q.where('default/p')).toBe('backoff');
    clock.advance(1);
    expect(q.where('default/p')).toBe('active');
    item = q.tryPop()!;
    expect(item.attempts).toBe(2);
    q.addUnschedulable(item, ['NodeResourcesFit']);
    q.moveAllToActiveOrBackoff();
    clock.advance(1999);
    expect(q.where('default/p')).toBe('backoff'); // 2 s the second time
    clock.advance(1);
    expect(q.where('default/p')).toBe('active');
    q.close();
  });

  it('a pod that failed while an event arrived backs off instead of waiting', () => {
    const clock = new FakeClock(0);
    const q = new SchedulingQueue(clock);
    q.add(prio('p', 0));
    const item = q.tryPop()!;
    q.moveAllToActiveOrBackoff(); // e.g. a node was added during the attempt
    q.addUnschedulable(item, ['NodeResourcesFit']);
    expect(q.where('default/p')).toBe('backoff');
    q.close();
  });

  it('flushes pods unschedulable for 5 minutes, and forgets deleted ones', () => {
    const clock = new FakeClock(0);
    const q = new SchedulingQueue(clock);
    q.add(prio('p', 0));
    q.add(prio('gone', 0));
    q.addUnschedulable(q.tryPop()!, ['TaintToleration']);
    q.addUnschedulable(q.tryPop()!, ['TaintToleration']);
    q.delete('default/gone');
    clock.advance(4 * 60_000);
    expect(q.where('default/p')).toBe('unschedulable');
    clock.advance(60_000 + 30_000);
    expect(q.where('default/p')).toBe('active');
    expect(q.where('default/gone')).toBeUndefined();
    q.close();
  });

  it('a relevant update of a waiting pod retries it', () => {
    const clock = new FakeClock(0);
    const q = new SchedulingQueue(clock);
    const p = prio('p', 0);
    q.add(p);
    q.addUnschedulable(q.tryPop()!, ['TaintToleration']);
    q.update({ ...p, metadata: { ...p.metadata, annotations: { a: 'b' } } }, false);
    expect(q.where('default/p')).toBe('unschedulable');
    q.update({ ...p, spec: { ...(p.spec as object), tolerations: [{ operator: 'Exists' }] } }, true);
    expect(q.where('default/p')).toBe('backoff');
    q.close();
  });
});
