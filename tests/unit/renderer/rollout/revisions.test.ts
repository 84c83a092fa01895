import { describe, expect, it } from 'vitest';
import { controllerRevisions, deploymentRevisions, historyTable, replicaSetRevision } from '../../../../src-renderer/features/rollout/revisions';
import { controllerRevision, deployment, replicaSet, statefulSet } from './fixtures';

describe('deployment revisions (kubectl rollout history)', () => {
  const rs1 = replicaSet('web-aaa', '1', 'nginx:1.25', 'aaa');
  const rs2 = replicaSet('web-bbb', '2', 'nginx:1.26', 'bbb', { 'kubernetes.io/change-cause': 'kubectl set image deployment/web nginx=nginx:1.26' });
  const foreign = replicaSet('other-ccc', '7', 'redis:7', 'ccc', {}, 'someone-else');
  const noRevision = replicaSet('web-ddd', undefined, 'nginx:1.27', 'ddd');

  it('keys the ReplicaSets it controls by the revision annotation, sorted, the matching one current', () => {
    const list = deploymentRevisions(deployment('nginx:1.26'), [rs2, foreign, rs1, noRevision]);
    expect(list.map((r) => [r.revision, r.name, r.current])).toEqual([
      [1, 'web-aaa', false],
      [2, 'web-bbb', true],
    ]);
    expect(list[1].changeCause).toBe('kubectl set image deployment/web nginx=nginx:1.26');
    expect(list[0].changeCause).toBe('');
    expect(list[0].images).toEqual([{ container: 'nginx', image: 'nginx:1.25', init: false }]);
    // The template is shown without the hash label.
    expect(list[0].template.metadata?.labels).toEqual({ app: 'web' });
  });

  it('marks the old revision current after an undo put its template back', () => {
    const list = deploymentRevisions(deployment('nginx:1.25'), [rs1, rs2]);
    expect(list.filter((r) => r.current).map((r) => r.revision)).toEqual([1]);
  });

  it('prints the history table as kubectl does', () => {
    expect(historyTable(deploymentRevisions(deployment(), [rs1, rs2]))).toBe('REVISION  CHANGE-CAUSE\n1         <none>\n2         kubectl set image deployment/web nginx=nginx:1.26\n');
    expect(historyTable([])).toBe('No rollout history found.');
  });

  it('reads only integer revision annotations', () => {
    expect(replicaSetRevision(rs1)).toBe(1);
    expect(replicaSetRevision(noRevision)).toBeUndefined();
    expect(replicaSetRevision({ metadata: { name: 'x', annotations: { 'deployment.kubernetes.io/revision': 'two' } } })).toBeUndefined();
  });
});

describe('controller revisions (StatefulSet, DaemonSet)', () => {
  it('lists the ControllerRevisions the set controls, by revision, with the template without $patch', () => {
    const crs = [controllerRevision('db-2', 2, 'nginx:1.26', 's-uid', { 'kubernetes.io/change-cause': 'bump' }), controllerRevision('db-1', 1, 'nginx:1.25'), controllerRevision('x-9', 9, 'redis:7', 'other')];
    const list = controllerRevisions(statefulSet('nginx:1.25'), crs);
    expect(list.map((r) => [r.revision, r.name, r.current, r.changeCause])).toEqual([
      [1, 'db-1', true, ''],
      [2, 'db-2', false, 'bump'],
    ]);
    expect(list[1].images.map((i) => i.image)).toEqual(['nginx:1.26']);
    expect('$patch' in list[1].template).toBe(false);
    expect(historyTable(list, false)).toBe('REVISION\n1\n2\n');
  });
});
