/** Which pods a ReplicaSet deletes first (upstream ActivePodsWithRanks with LogarithmicScaleDown). */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src-main/api/types';
import { podsToDelete } from '../../../src-main/controllers/pod-util';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

function pod(name: string, o: { node?: string; phase?: string; readySince?: number; restarts?: number; created?: number; cost?: string } = {}): KubeObject {
  const conditions = o.readySince !== undefined ? [{ type: 'Ready', status: 'True', lastTransitionTime: ago(o.readySince) }] : [{ type: 'Ready', status: 'False' }];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, uid: name, creationTimestamp: ago(o.created ?? 3600), annotations: o.cost ? { 'controller.kubernetes.io/pod-deletion-cost': o.cost } : undefined },
    spec: { nodeName: o.node ?? '' },
    status: { phase: o.phase ?? 'Running', conditions, containerStatuses: [{ restartCount: o.restarts ?? 0 }] },
  };
}

const order = (pods: KubeObject[], related = pods) => podsToDelete(pods, related, pods.length - 1, NOW).map((p) => p.metadata.name);

describe('delete preference', () => {
  it('unscheduled < scheduled; Pending < Unknown < Running; not ready < ready', () => {
    expect(order([pod('running', { node: 'a', readySince: 100 }), pod('unscheduled', { phase: 'Pending' }), pod('pending', { node: 'b', phase: 'Pending' }), pod('unknown', { node: 'c', phase: 'Unknown' })])).toEqual(['unscheduled', 'pending', 'unknown']);
    expect(order([pod('ready', { node: 'a', readySince: 100 }), pod('notready', { node: 'b' }), pod('ready2', { node: 'c', readySince: 100 })]).slice(0, 1)).toEqual(['notready']);
  });

  it('lower deletion cost first, then doubled-up nodes, then shorter readiness (log buckets), more restarts, newer', () => {
    expect(order([pod('a', { node: 'n1', readySince: 10, cost: '5' }), pod('b', { node: 'n2', readySince: 10, cost: '-1' }), pod('c', { node: 'n3', readySince: 10 })])).toEqual(['b', 'c']);
    expect(order([pod('alone', { node: 'n1', readySince: 10 }), pod('double1', { node: 'n2', readySince: 10 }), pod('double2', { node: 'n2', readySince: 10 })])[0]).toMatch(/^double/);
    // Ready 10 s vs 1000 s: different log2 buckets, the newer goes first.
    expect(order([pod('old', { node: 'n1', readySince: 1000 }), pod('new', { node: 'n2', readySince: 10 })])).toEqual(['new']);
    // Same readiness bucket: more restarts first.
    expect(order([pod('calm', { node: 'n1', readySince: 100 }), pod('crashy', { node: 'n2', readySince: 100, restarts: 4 })])).toEqual(['crashy']);
    // Same everything but creation time: the newer goes first.
    expect(order([pod('older', { node: 'n1', readySince: 100, created: 100_000 }), pod('newer', { node: 'n2', readySince: 100, created: 100 })])).toEqual(['newer']);
  });

  it('deleting all needs no order', () => {
    const pods = [pod('x'), pod('y')];
    expect(podsToDelete(pods, pods, 2, NOW)).toEqual(pods);
  });
});
