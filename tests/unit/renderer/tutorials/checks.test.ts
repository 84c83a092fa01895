import { describe, expect, it } from 'vitest';
import * as c from '../../../../src-renderer/features/tutorials/checks';
import type { ClusterState, Obj } from '../../../../src-renderer/features/tutorials/types';

const state = (s: Partial<ClusterState>): ClusterState => ({ deployments: [], replicasets: [], pods: [], services: [], statefulsets: [], persistentvolumeclaims: [], ...s });

function deployment(name: string, o: { replicas?: number; ready?: number; image?: string; generation?: number; observed?: number; revision?: string; spec?: Record<string, unknown> } = {}): Obj {
  const replicas = o.replicas ?? 1;
  const ready = o.ready ?? replicas;
  return {
    metadata: { name, namespace: 'default', generation: o.generation ?? 1, annotations: o.revision ? { 'deployment.kubernetes.io/revision': o.revision } : undefined },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { spec: { containers: [{ name: 'c', image: o.image ?? 'nginx:1.25' }] } }, ...o.spec },
    status: { observedGeneration: o.observed ?? o.generation ?? 1, replicas, updatedReplicas: replicas, readyReplicas: ready, availableReplicas: ready },
  };
}

function pod(name: string, labels: Record<string, string>, o: { phase?: string; ready?: boolean; created?: string; deleting?: boolean; containers?: number; annotations?: Record<string, string> } = {}): Obj {
  return {
    metadata: { name, labels, annotations: o.annotations, creationTimestamp: o.created ?? '2026-01-01T00:00:00Z', deletionTimestamp: o.deleting ? '2026-01-01T00:01:00Z' : undefined },
    spec: { containers: Array.from({ length: o.containers ?? 1 }, (_, i) => ({ name: `c${i}`, image: 'nginx' })) },
    status: { phase: o.phase ?? 'Running', conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
  };
}

describe('deployment checks', () => {
  it('exists (with its image)', () => {
    const s = state({ deployments: [deployment('kubia', { image: 'luksa/kubia:1.0', ready: 0 })] });
    expect(c.deploymentExists('kubia').test(s)).toBe(true);
    expect(c.deploymentExists('kubia', 'luksa/kubia:1.0').test(s)).toBe(true);
    expect(c.deploymentExists('kubia', 'luksa/kubia:2.0').test(s)).toBe(false);
    expect(c.deploymentExists('web').test(s)).toBe(false);
  });
  it('ready n/n only when scaled to n and rolled out', () => {
    expect(c.deploymentReady('kubia', 3).test(state({ deployments: [deployment('kubia', { replicas: 3 })] }))).toBe(true);
    expect(c.deploymentReady('kubia', 3).test(state({ deployments: [deployment('kubia', { replicas: 3, ready: 2 })] }))).toBe(false);
    expect(c.deploymentReady('kubia', 3).test(state({ deployments: [deployment('kubia', { replicas: 1 })] }))).toBe(false);
    // The controller has not seen the latest spec yet.
    expect(c.deploymentReady('kubia', 3).test(state({ deployments: [deployment('kubia', { replicas: 3, generation: 2, observed: 1 })] }))).toBe(false);
  });
  it('image is v2 once rolled out, and a rollback needs a later revision', () => {
    const v2 = deployment('web', { image: 'app:2.0', revision: '2' });
    expect(c.deploymentImage('web', 'app:2.0').test(state({ deployments: [v2] }))).toBe(true);
    expect(c.deploymentImage('web', 'app:2.0').test(state({ deployments: [deployment('web', { image: 'app:2.0', replicas: 4, ready: 3 })] }))).toBe(false);
    expect(c.deploymentImage('web', 'app:1.0', 3).test(state({ deployments: [deployment('web', { image: 'app:1.0', revision: '1' })] }))).toBe(false);
    expect(c.deploymentImage('web', 'app:1.0', 3).test(state({ deployments: [deployment('web', { image: 'app:1.0', revision: '3' })] }))).toBe(true);
  });
  it('pods Running and ready, selected by the Deployment', () => {
    const d = deployment('kubia');
    const check = c.deploymentPodsRunning('kubia', 2);
    expect(check.test(state({ deployments: [d], pods: [pod('kubia-1', { app: 'kubia' }), pod('kubia-2', { app: 'kubia' }, { phase: 'Pending', ready: false })] }))).toBe(false);
    expect(check.test(state({ deployments: [d], pods: [pod('kubia-1', { app: 'kubia' }), pod('kubia-2', { app: 'kubia' })] }))).toBe(true);
    expect(check.test(state({ deployments: [d], pods: [pod('kubia-1', { app: 'kubia' }), pod('other', { app: 'other' })] }))).toBe(false);
    expect(check.test(state({ deployments: [d], pods: [pod('kubia-1', { app: 'kubia' }), pod('kubia-2', { app: 'kubia' }, { deleting: true })] }))).toBe(false);
  });
  it('a replaced pod is seen as pods created apart', () => {
    const d = deployment('web', { replicas: 2 });
    const check = c.deploymentPodReplaced('web');
    expect(check.test(state({ deployments: [d], pods: [pod('a', { app: 'web' }), pod('b', { app: 'web' }, { created: '2026-01-01T00:00:01Z' })] }))).toBe(false);
    expect(check.test(state({ deployments: [d], pods: [pod('a', { app: 'web' }), pod('b', { app: 'web' }, { created: '2026-01-01T00:00:30Z' })] }))).toBe(true);
  });
  it('strategy and other fields, ReplicaSets, deletion', () => {
    const d = deployment('frontend', { spec: { strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } } });
    expect(c.deploymentWhere('frontend', 'x', (o) => (o.spec as { strategy?: { rollingUpdate?: { maxSurge?: number } } }).strategy?.rollingUpdate?.maxSurge === 1).test(state({ deployments: [d] }))).toBe(true);
    const rs = (n: string): Obj => ({ metadata: { name: n, ownerReferences: [{ kind: 'Deployment', name: 'web' }] } });
    expect(c.replicaSetsOf('web', 2).test(state({ replicasets: [rs('a')] }))).toBe(false);
    expect(c.replicaSetsOf('web', 2).test(state({ replicasets: [rs('a'), rs('b')] }))).toBe(true);
    expect(c.deploymentGone('web').test(state({ deployments: [deployment('web')] }))).toBe(false);
    expect(c.deploymentGone('web').test(state({}))).toBe(true);
  });
});

describe('pod checks', () => {
  it('running with labels, container count or a predicate; gone', () => {
    const s = state({ pods: [pod('test-pod', { app: 'nginx' }, { containers: 2, annotations: { note: 'x' } })] });
    expect(c.podRunning('test-pod').test(s)).toBe(true);
    expect(c.podRunning('test-pod', { labels: { app: 'nginx' }, containers: 2 }).test(s)).toBe(true);
    expect(c.podRunning('test-pod', { containers: 1 }).test(s)).toBe(false);
    expect(c.podRunning('test-pod', { pred: (p) => !!p.metadata.annotations?.note }).test(s)).toBe(true);
    expect(c.podRunning('test-pod', { labels: { app: 'web' } }).test(s)).toBe(false);
    expect(c.podGone('test-pod').test(s)).toBe(false);
    expect(c.podGone('nginx').test(s)).toBe(true);
    expect(c.labelledPodsRunning({ app: 'nginx' }, 1).test(s)).toBe(true);
    expect(c.labelledPodsRunning({ app: 'nginx' }, 2).test(s)).toBe(false);
  });
});

describe('service and storage checks', () => {
  const svc = (name: string, spec: Record<string, unknown>, status: Record<string, unknown> = {}): Obj => ({ metadata: { name }, spec, status });
  it('exposed with type, port, node port and target port', () => {
    const s = state({ services: [svc('kubia', { type: 'LoadBalancer', ports: [{ port: 8080, targetPort: 8080, nodePort: 30838 }] }), svc('app', { ports: [{ port: 1323 }] })] });
    expect(c.serviceExposed('kubia', { type: 'LoadBalancer', port: 8080 }).test(s)).toBe(true);
    expect(c.serviceExposed('kubia', { type: 'NodePort' }).test(s)).toBe(false);
    expect(c.serviceExposed('kubia', { nodePort: 30080 }).test(s)).toBe(false);
    expect(c.serviceExposed('kubia', { targetPort: 8080 }).test(s)).toBe(true);
    expect(c.serviceExposed('app', { type: 'ClusterIP', port: 1323, targetPort: 1323 }).test(s)).toBe(true);
    expect(c.serviceHasExternalIp('kubia').test(s)).toBe(false);
    expect(c.serviceHasExternalIp('kubia').test(state({ services: [svc('kubia', { type: 'LoadBalancer' }, { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } })] }))).toBe(true);
    expect(c.serviceGone('app').test(s)).toBe(false);
  });
  it('claims and StatefulSets; all()', () => {
    const s = state({ persistentvolumeclaims: [{ metadata: { name: 'redis-data' }, status: { phase: 'Pending' } }], statefulsets: [{ metadata: { name: 'redis' }, status: { readyReplicas: 1 } }] });
    expect(c.pvcPhase('redis-data').test(s)).toBe(true);
    expect(c.pvcPhase('redis-data', 'Bound').test(s)).toBe(false);
    expect(c.statefulSetReady('redis', 1).test(s)).toBe(true);
    const both = c.all(c.pvcPhase('redis-data'), c.statefulSetReady('redis', 1));
    expect(both.needs.sort()).toEqual(['persistentvolumeclaims', 'statefulsets']);
    expect(both.test(s)).toBe(true);
    expect(c.all(both, c.pvcPhase('redis-data', 'Bound')).test(s)).toBe(false);
  });
});
