/** The decision annotation: bounded lists, the fields README.md documents. */
import { describe, expect, it } from 'vitest';
import { buildDecision, decisionFingerprint, MAX_FILTERED, MAX_SCORED } from '../../../src-main/scheduler/decision';
import { unresolvable, unschedulable, type Status } from '../../../src-main/scheduler/framework';
import { node, nodeInfo } from './helpers';

describe('buildDecision', () => {
  it('lists at most MAX_FILTERED rejected nodes and counts the rest', () => {
    const statuses = new Map<string, Status>();
    for (let i = 0; i < 30; i++) statuses.set(`n${i}`, i % 2 ? unschedulable('NodeResourcesFit', 'Insufficient cpu') : unresolvable('NodeAffinity', "node(s) didn't match Pod's node affinity/selector"));
    const d = buildDecision({ diagnosis: { numAllNodes: 30, nodeStatuses: statuses, postFilterMsg: 'preemption: x.' }, time: 't', attempts: 3, message: 'm' });
    expect(d.filtered).toHaveLength(MAX_FILTERED);
    expect(d.filteredOmitted).toBe(30 - MAX_FILTERED);
    expect(d.reasons).toEqual(['15 Insufficient cpu', "15 node(s) didn't match Pod's node affinity/selector"]); // byte order: 'I' < 'n'
    expect(d).toMatchObject({ result: 'Unschedulable', message: 'm', nodes: 30, feasible: 0, attempts: 3, preemption: 'preemption: x.', scores: [] });
    expect(d.filtered[1]).toEqual({ node: 'n1', plugin: 'NodeResourcesFit', code: 'Unschedulable', reasons: ['Insufficient cpu'] });
  });

  it('keeps the MAX_SCORED best nodes of a scheduled pod', () => {
    const nodes = Array.from({ length: 8 }, (_, i) => nodeInfo(node(`n${i}`, i + 1)));
    const totals = [5, 80, 10, 70, 60, 0, 90, 20];
    const d = buildDecision({ diagnosis: { numAllNodes: 8, nodeStatuses: new Map() }, time: 't', attempts: 1, node: 'n6', feasible: 8, scores: { nodes, plugins: ['P'], values: [totals], totals } });
    expect(d.scores.map((s) => s.node)).toEqual(['n6', 'n1', 'n3', 'n4', 'n7'].slice(0, MAX_SCORED));
    expect(d.scoredOmitted).toBe(8 - MAX_SCORED);
    expect(d).toMatchObject({ result: 'Scheduled', node: 'n6', feasible: 8, filtered: [] });
  });

  it('fingerprints ignore the time and attempt count', () => {
    const base = { diagnosis: { numAllNodes: 1, nodeStatuses: new Map([['a', unschedulable('X', 'r')]]) }, message: 'm' };
    expect(decisionFingerprint(buildDecision({ ...base, time: 't1', attempts: 1 }))).toBe(decisionFingerprint(buildDecision({ ...base, time: 't2', attempts: 7 })));
  });
});
