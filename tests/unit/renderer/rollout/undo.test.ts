import { describe, expect, it } from 'vitest';
import { controllerRevisions, deploymentRevisions } from '../../../../src-renderer/features/rollout/revisions';
import { undoPlan, undoResultText } from '../../../../src-renderer/features/rollout/undo';
import { controllerRevision, deployment, replicaSet, statefulSet } from './fixtures';

describe('rollout undo (kubectl rollback.go)', () => {
  const rs1 = replicaSet('web-aaa', '1', 'nginx:1.25', 'aaa', { 'kubernetes.io/change-cause': 'first', 'deployment.kubernetes.io/revision-history': '9' });
  const rs2 = replicaSet('web-bbb', '2', 'nginx:1.26', 'bbb');

  it('deployment: a JSON patch replacing the template (no hash label) and the annotations', () => {
    const d = deployment('nginx:1.26');
    const [r1] = deploymentRevisions(d, [rs1, rs2]);
    const plan = undoPlan('deployments', d, r1);
    expect(plan).toEqual({
      action: 'patch',
      patchType: 'json',
      patch: [
        { op: 'replace', path: '/spec/template', value: { ...rs1.spec!.template, metadata: { ...rs1.spec!.template!.metadata, labels: { app: 'web' } } } },
        {
          op: 'replace',
          path: '/metadata/annotations',
          // The Deployment's own revision and last-applied, the RS's other annotations (its change-cause).
          value: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', 'deployment.kubernetes.io/revision': '2', 'kubernetes.io/change-cause': 'first' },
        },
      ],
    });
    // The frozen informer objects are not touched.
    expect(rs1.spec!.template!.metadata!.labels!['pod-template-hash']).toBe('aaa');
    expect(undoResultText('deployment.apps/web', plan)).toBe('deployment.apps/web rolled back');
  });

  it('deployment: skipped when the revision is the current template, refused while paused', () => {
    const d = deployment('nginx:1.26');
    const [, r2] = deploymentRevisions(d, [rs1, rs2]);
    const skip = undoPlan('deployments', d, r2);
    expect(undoResultText('deployment.apps/web', skip)).toBe('deployment.apps/web skipped rollback (current template already matches revision 2)');
    const paused = deployment('nginx:1.26', { paused: true });
    expect(undoPlan('deployments', paused, r2)).toEqual({ action: 'error', message: "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/web' and try again" });
  });

  it('statefulset: the ControllerRevision data as a strategic merge patch', () => {
    const s = statefulSet('nginx:1.26');
    const crs = [controllerRevision('db-1', 1, 'nginx:1.25'), controllerRevision('db-2', 2, 'nginx:1.26')];
    const [r1, r2] = controllerRevisions(s, crs);
    const plan = undoPlan('statefulsets', s, r1);
    expect(plan).toEqual({ action: 'patch', patchType: 'strategic', patch: crs[0].data });
    expect((plan as { patch: { spec: { template: { $patch: string } } } }).patch.spec.template.$patch).toBe('replace');
    expect(undoPlan('statefulsets', s, r2).action).toBe('skip');
  });
});
