/** The FailedScheduling text: histogram sorted like Go's sort.Strings, PreFilter and PostFilter parts. */
import { describe, expect, it } from 'vitest';
import { fitErrorMessage } from '../../../src-main/scheduler/fit-error';
import { unresolvable, unschedulable, type Status } from '../../../src-main/scheduler/framework';

const statuses = (...s: [string, Status][]) => new Map(s);

describe('fitErrorMessage', () => {
  it('counts identical reasons and sorts the "count reason" strings', () => {
    const d = {
      numAllNodes: 3,
      nodeStatuses: statuses(
        ['cp', unresolvable('TaintToleration', 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }')],
        ['w1', unschedulable('NodeResourcesFit', 'Insufficient cpu')],
        ['w2', unschedulable('NodeResourcesFit', 'Insufficient cpu')],
      ),
      postFilterMsg: 'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    };
    expect(fitErrorMessage(d)).toBe(
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    );
  });

  it('sorts as strings ("10 …" before "2 …") and counts every reason of a node', () => {
    const m = new Map<string, Status>();
    for (let i = 0; i < 10; i++) m.set(`a${i}`, unschedulable('NodeResourcesFit', 'Insufficient memory'));
    m.set('b', unschedulable('NodeResourcesFit', 'Insufficient cpu', 'Insufficient memory'));
    m.set('c', unschedulable('NodeResourcesFit', 'Insufficient cpu'));
    expect(fitErrorMessage({ numAllNodes: 12, nodeStatuses: m })).toBe('0/12 nodes are available: 11 Insufficient memory, 2 Insufficient cpu.');
  });

  it('a PreFilter rejection replaces the per-node reasons', () => {
    const pre = unresolvable('VolumeBinding', 'pod has unbound immediate PersistentVolumeClaims');
    expect(
      fitErrorMessage({ numAllNodes: 2, nodeStatuses: statuses(['a', pre], ['b', pre]), preFilter: pre, postFilterMsg: 'preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.' }),
    ).toBe('0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.');
  });

  it('preemptionPolicy Never', () => {
    expect(fitErrorMessage({ numAllNodes: 1, nodeStatuses: statuses(['a', unschedulable('NodeResourcesFit', 'Insufficient cpu')]), postFilterMsg: 'preemption: not eligible due to preemptionPolicy=Never.' })).toBe(
      '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.',
    );
  });
});
