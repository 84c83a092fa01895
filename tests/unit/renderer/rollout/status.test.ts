import { describe, expect, it } from 'vitest';
import { rolloutStatus } from '../../../../src-renderer/features/rollout/status';
import { deployment, statefulSet } from './fixtures';
import type { Workload } from '../../../../src-renderer/features/rollout/types';

const withStatus = (w: Workload, status: Workload['status'], generation = w.metadata.generation): Workload => ({ ...w, metadata: { ...w.metadata, generation }, status: { ...w.status, ...status } });

describe('rollout status texts (kubectl rollout status)', () => {
  const d = deployment();
  it.each([
    [withStatus(d, {}, 3), 'Waiting for deployment spec update to be observed...', false],
    [withStatus(d, { updatedReplicas: 1 }), 'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...', false],
    [withStatus(d, { replicas: 4, updatedReplicas: 3 }), 'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...', false],
    [withStatus(d, { availableReplicas: 1 }), 'Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...', false],
    [d, 'deployment "web" successfully rolled out', true],
  ])('deployment %#', (obj, text, done) => {
    expect(rolloutStatus('deployments', obj)).toEqual({ text, done });
  });

  it('reports an exceeded progress deadline as kubectl errors', () => {
    const s = rolloutStatus('deployments', withStatus(d, { conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] }));
    expect(s).toEqual({ text: 'deployment "web" exceeded its progress deadline', done: false, error: true });
  });

  it('statefulset: ready, then partitioned roll out', () => {
    const s = statefulSet('nginx:1.25');
    expect(rolloutStatus('statefulsets', withStatus(s, { readyReplicas: 1 })).text).toBe('Waiting for 1 pods to be ready...');
    expect(rolloutStatus('statefulsets', withStatus(s, { updatedReplicas: 1 })).text).toBe('Waiting for partitioned roll out to finish: 1 out of 2 new pods have been updated...');
    expect(rolloutStatus('statefulsets', s)).toEqual({ text: 'partitioned roll out complete: 2 new pods have been updated...', done: true });
    expect(rolloutStatus('statefulsets', withStatus(s, { observedGeneration: 0 })).text).toBe('Waiting for statefulset spec update to be observed...');
    const onDelete: Workload = { ...s, spec: { ...s.spec, updateStrategy: { type: 'OnDelete' } } };
    expect(rolloutStatus('statefulsets', onDelete)).toEqual({ text: 'rollout status is only available for RollingUpdate strategy type', done: true, error: true });
  });

  it('daemonset', () => {
    const ds: Workload = { metadata: { name: 'agent', generation: 1 }, spec: { updateStrategy: { type: 'RollingUpdate' } }, status: { observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 2, numberAvailable: 2 } };
    expect(rolloutStatus('daemonsets', ds).text).toBe('Waiting for daemon set "agent" rollout to finish: 2 out of 3 new pods have been updated...');
    expect(rolloutStatus('daemonsets', withStatus(ds, { updatedNumberScheduled: 3 })).text).toBe('Waiting for daemon set "agent" rollout to finish: 2 of 3 updated pods are available...');
    expect(rolloutStatus('daemonsets', withStatus(ds, { updatedNumberScheduled: 3, numberAvailable: 3 }))).toEqual({ text: 'daemon set "agent" successfully rolled out', done: true });
  });
});
