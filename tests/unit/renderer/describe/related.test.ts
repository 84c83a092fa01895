import { describe, expect, it } from 'vitest';
import { childKinds, childStatus, endpointPods, hasRelated, ownedBy } from '../../../../src-renderer/features/describe/related';

const owned = (name: string, uid: string) => ({ metadata: { name, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', uid }] } });

describe('related', () => {
  it('child kinds per owner; Deployments link ReplicaSets only (pods are in the wizards panel)', () => {
    expect(childKinds({ group: 'apps', resource: 'deployments' }).map((k) => k.kind)).toEqual(['ReplicaSet']);
    expect(childKinds({ group: 'apps', resource: 'statefulsets' }).map((k) => k.kind)).toEqual(['Pod', 'ControllerRevision']);
    expect(childKinds({ group: 'batch', resource: 'cronjobs' }).map((k) => k.kind)).toEqual(['Job']);
    expect(childKinds({ group: '', resource: 'configmaps' })).toEqual([]);
    expect(hasRelated({ group: '', resource: 'services' })).toBe(true);
    expect(hasRelated({ group: '', resource: 'nodes' })).toBe(true);
    expect(hasRelated({ group: '', resource: 'configmaps' })).toBe(false);
  });
  it('ownedBy matches ownerReferences by uid, sorted by name', () => {
    expect(ownedBy([owned('b', 'u1'), owned('c', 'u2'), owned('a', 'u1'), { metadata: { name: 'd' } }], 'u1').map((o) => o.metadata.name)).toEqual(['a', 'b']);
    expect(ownedBy([owned('a', 'u1')], undefined)).toEqual([]);
  });
  it("a Service's endpoint pods from slices' targetRefs, ready if any endpoint is", () => {
    const slices = [
      { metadata: { name: 's1', namespace: 'default' }, endpoints: [{ addresses: ['10.0.0.2'], conditions: { ready: false }, targetRef: { kind: 'Pod', name: 'web-b' } }, { addresses: ['10.0.0.1'], conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'web-a', namespace: 'default' } }] },
      { metadata: { name: 's2', namespace: 'default' }, endpoints: [{ addresses: ['10.0.0.9'], targetRef: { kind: 'Node', name: 'n' } }] },
    ];
    expect(endpointPods(slices)).toEqual([
      { name: 'web-a', namespace: 'default', ready: true },
      { name: 'web-b', namespace: 'default', ready: false },
    ]);
  });
  it('status pills per child kind', () => {
    expect(childStatus('ReplicaSet', { metadata: { name: 'r' }, spec: { replicas: 2 }, status: { readyReplicas: 2 } })).toEqual({ text: '2/2 ready', tone: 'ok' });
    expect(childStatus('ReplicaSet', { metadata: { name: 'r' }, spec: { replicas: 0 } })).toEqual({ text: '0/0 ready', tone: 'muted' });
    expect(childStatus('Pod', { metadata: { name: 'p' }, status: { phase: 'Running' } })).toEqual({ text: 'Running', tone: 'ok' });
    expect(childStatus('Job', { metadata: { name: 'j' }, status: { conditions: [{ type: 'Failed', status: 'True' }] } })).toEqual({ text: 'Failed', tone: 'bad' });
    expect(childStatus('ControllerRevision', { metadata: { name: 'c' }, revision: 3 })).toEqual({ text: 'revision 3', tone: 'neutral' });
  });
});
