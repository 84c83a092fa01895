/** Deployment arithmetic and naming as upstream: fenceposts, proportions, hash, annotations, conditions. */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../src-main/api/types';
import { computeHash, fnv32a, safeEncodeString } from '../../../../src-main/controllers/deployment/hash';
import { maxSurge, maxUnavailable, resolveFenceposts, scaledValue, equalIgnoreHash, roundHalfAway } from '../../../../src-main/controllers/deployment/util';
import { newRSNewReplicas, setNewReplicaSetAnnotations } from '../../../../src-main/controllers/deployment/history';
import { findActiveOrLatest, proportion } from '../../../../src-main/controllers/deployment/scale';
import { newCondition, setCondition } from '../../../../src-main/controllers/deployment/conditions';

function dep(replicas: number, surge: unknown, unavailable: unknown, annotations: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', annotations }, spec: { replicas, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } } } };
}

function rs(name: string, replicas: number, annotations: Record<string, string> = {}, created = '2026-01-01T00:00:00Z'): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name, annotations, creationTimestamp: created }, spec: { replicas } };
}

describe('fenceposts', () => {
  it('rounds maxSurge up and maxUnavailable down; both 0 makes maxUnavailable 1', () => {
    expect(resolveFenceposts(dep(10, '25%', '25%'))).toEqual({ surge: 3, unavailable: 2 });
    expect(resolveFenceposts(dep(3, '25%', '25%'))).toEqual({ surge: 1, unavailable: 0 });
    expect(resolveFenceposts(dep(1, '25%', '25%'))).toEqual({ surge: 1, unavailable: 0 });
    expect(resolveFenceposts(dep(3, 0, '10%'))).toEqual({ surge: 0, unavailable: 1 });
    expect(resolveFenceposts(dep(5, 2, 1))).toEqual({ surge: 2, unavailable: 1 });
    expect(maxUnavailable(dep(2, 0, 5))).toBe(2);
    expect(maxUnavailable(dep(0, 1, 1))).toBe(0);
    expect(maxSurge({ ...dep(3, 1, 1), spec: { replicas: 3, strategy: { type: 'Recreate' } } })).toBe(0);
    expect(scaledValue('50%', 5, true)).toBe(3);
    expect(scaledValue('50%', 5, false)).toBe(2);
    expect(() => scaledValue('abc', 5, true)).toThrow('invalid value for IntOrString: invalid type: string is not a percentage');
  });

  it('NewRSNewReplicas: up to replicas + maxSurge in total, never above replicas', () => {
    const d = dep(10, 3, 2);
    expect(newRSNewReplicas(d, [rs('old', 10), rs('new', 0)], rs('new', 0))).toBe(3);
    expect(newRSNewReplicas(d, [rs('old', 8), rs('new', 5)], rs('new', 5))).toBe(5);
    expect(newRSNewReplicas(d, [rs('old', 1), rs('new', 9)], rs('new', 9))).toBe(10);
  });

  it('proportions and Go rounding', () => {
    const d = dep(15, 3, 2);
    expect(proportion(rs('a', 8, { 'deployment.kubernetes.io/max-replicas': '13' }), d, 5, 0)).toBe(3);
    expect(proportion(rs('b', 5, { 'deployment.kubernetes.io/max-replicas': '13' }), d, 5, 3)).toBe(2);
    expect(roundHalfAway(-2.5)).toBe(-3);
    expect(roundHalfAway(2.5)).toBe(3);
  });

  it('FindActiveOrLatest: the only active one, else the newest', () => {
    const old = rs('old', 0, {}, '2026-01-01T00:00:00Z');
    const older = rs('older', 0, {}, '2025-01-01T00:00:00Z');
    expect(findActiveOrLatest(undefined, [older, old])?.metadata.name).toBe('old');
    expect(findActiveOrLatest(rs('new', 0), [old])?.metadata.name).toBe('new');
    expect(findActiveOrLatest(rs('new', 0), [rs('x', 2)])?.metadata.name).toBe('x');
    expect(findActiveOrLatest(rs('new', 1), [rs('x', 2)])).toBeUndefined();
  });
});

describe('pod-template-hash', () => {
  it('FNV-32a and the safe encoding alphabet', () => {
    expect(fnv32a(Buffer.from(''))).toBe(0x811c9dc5);
    expect(fnv32a(Buffer.from('a'))).toBe(0xe40c292c);
    expect(safeEncodeString('0123456789')).toBe('456789bcdf');
  });

  it('is stable for a template, changes with it and with the collision count', () => {
    const t = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'x', image: 'nginx' }] } };
    const h = computeHash(t);
    expect(h).toMatch(/^[456789bcdf]{1,10}$/);
    expect(computeHash(structuredClone(t))).toBe(h);
    expect(computeHash({ spec: t.spec, metadata: t.metadata })).toBe(h);
    expect(computeHash({ ...t, spec: { containers: [{ name: 'x', image: 'nginx:2' }] } })).not.toBe(h);
    expect(computeHash(t, 1)).not.toBe(h);
    expect(computeHash(t, 1)).not.toBe(computeHash(t, 2));
  });

  it('template equality ignores the hash label and nil-vs-empty', () => {
    const a = { metadata: { labels: { app: 'x', 'pod-template-hash': 'abc' } }, spec: { containers: [{ name: 'c', image: 'i', env: [] }] } };
    const b = { metadata: { labels: { app: 'x' }, annotations: {} }, spec: { containers: [{ name: 'c', image: 'i' }] } };
    expect(equalIgnoreHash(a, b)).toBe(true);
    expect(equalIgnoreHash(a, { ...b, spec: { containers: [{ name: 'c', image: 'j' }] } })).toBe(false);
  });
});

describe('SetNewReplicaSetAnnotations', () => {
  it('copies annotations except the skipped ones, sets revision and replica annotations on create', () => {
    const d = dep(3, '25%', '25%', { 'kubernetes.io/change-cause': 'why', 'deployment.kubernetes.io/revision': '7', 'kubectl.kubernetes.io/last-applied-configuration': '{}' });
    const r = rs('n', 0);
    expect(setNewReplicaSetAnnotations(d, r, 2, false)).toBe(true);
    expect(r.metadata.annotations).toEqual({ 'kubernetes.io/change-cause': 'why', 'deployment.kubernetes.io/revision': '2', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' });
  });

  it('a reused ReplicaSet gets the new revision and keeps its old ones in revision-history', () => {
    const d = dep(3, 1, 0);
    const r = rs('n', 0, { 'deployment.kubernetes.io/revision': '1' });
    expect(setNewReplicaSetAnnotations(d, r, 3, true)).toBe(true);
    expect(r.metadata.annotations).toEqual({ 'deployment.kubernetes.io/revision': '3', 'deployment.kubernetes.io/revision-history': '1' });
    setNewReplicaSetAnnotations(d, r, 5, true);
    expect(r.metadata.annotations?.['deployment.kubernetes.io/revision-history']).toBe('1,3');
    expect(setNewReplicaSetAnnotations(d, r, 5, true)).toBe(false);
  });
});

describe('SetDeploymentCondition', () => {
  it('keeps lastTransitionTime for the same status, ignores same status+reason, appends the new condition', () => {
    const st: Record<string, unknown> = {};
    setCondition(st, newCondition('Progressing', 'True', 'NewReplicaSetCreated', 'a', Date.parse('2026-01-01T00:00:00Z')));
    setCondition(st, newCondition('Available', 'False', 'MinimumReplicasUnavailable', 'b', Date.parse('2026-01-01T00:00:01Z')));
    setCondition(st, newCondition('Progressing', 'True', 'NewReplicaSetAvailable', 'c', Date.parse('2026-01-01T00:00:09Z')));
    setCondition(st, newCondition('Available', 'False', 'MinimumReplicasUnavailable', 'b2', Date.parse('2026-01-01T00:00:10Z')));
    expect(st.conditions).toEqual([
      { type: 'Available', status: 'False', lastUpdateTime: '2026-01-01T00:00:01Z', lastTransitionTime: '2026-01-01T00:00:01Z', reason: 'MinimumReplicasUnavailable', message: 'b' },
      { type: 'Progressing', status: 'True', lastUpdateTime: '2026-01-01T00:00:09Z', lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'NewReplicaSetAvailable', message: 'c' },
    ]);
  });
});
