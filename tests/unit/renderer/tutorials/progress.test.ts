import { describe, expect, it } from 'vitest';
import { deploymentExists, deploymentImage } from '../../../../src-renderer/features/tutorials/checks';
import { currentStep, newlyDone, parseProgress, watchedKinds, withoutTutorial, withStep } from '../../../../src-renderer/features/tutorials/progress';
import type { ClusterState, Obj, Tutorial } from '../../../../src-renderer/features/tutorials/types';

const dep = (image: string, revision: string): Obj => ({
  metadata: { name: 'web', generation: 1, annotations: { 'deployment.kubernetes.io/revision': revision } },
  spec: { replicas: 1, template: { spec: { containers: [{ image }] } } },
  status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 },
});
const state = (deployments: Obj[]): ClusterState => ({ deployments, replicasets: [], pods: [], services: [], statefulsets: [], persistentvolumeclaims: [] });

const t: Tutorial = {
  id: 't',
  title: 'T',
  source: 's',
  summary: '',
  namespace: 'default',
  steps: [
    { id: 'create', title: 'create', text: '', check: deploymentExists('web') },
    { id: 'look', title: 'look', text: '' },
    { id: 'v2', title: 'v2', text: '', check: deploymentImage('web', 'app:2') },
    { id: 'undo', title: 'undo', text: '', check: deploymentImage('web', 'app:1', 3) },
  ],
};

describe('progress', () => {
  it('parses what it stored and survives garbage', () => {
    const p = withStep(withStep({}, 't', 'create', true), 't', 'look', true);
    expect(parseProgress(JSON.stringify(p))).toEqual({ t: ['create', 'look'] });
    expect(parseProgress('not json')).toEqual({});
    expect(parseProgress('[1]')).toEqual({});
    expect(parseProgress('{"t":["a",2],"u":"x"}')).toEqual({ t: ['a'] });
    expect(parseProgress(null)).toEqual({});
    expect(withStep(p, 't', 'look', false)).toEqual({ t: ['create'] });
    expect(withoutTutorial({ ...p, u: ['x'] }, 't')).toEqual({ u: ['x'] });
  });
  it('ticks checked steps in order, skipping manual ones, each unlocking the next', () => {
    expect(newlyDone(t, state([]), new Set())).toEqual([]);
    expect(newlyDone(t, state([dep('app:1', '1')]), new Set())).toEqual(['create']);
    // v2 rolled out: create and v2 tick together (the manual step does not block).
    expect(newlyDone(t, state([dep('app:2', '2')]), new Set())).toEqual(['create', 'v2']);
    // The rollback's state does not tick "undo" before "v2" did.
    expect(newlyDone(t, state([dep('app:1', '3')]), new Set(['create']))).toEqual([]);
    expect(newlyDone(t, state([dep('app:1', '3')]), new Set(['create', 'v2']))).toEqual(['undo']);
  });
  it('knows the current step and the kinds to watch', () => {
    expect(currentStep(t, new Set(['create']))).toBe('look');
    expect(currentStep(t, new Set(['create', 'look', 'v2', 'undo']))).toBeUndefined();
    expect(watchedKinds(t)).toEqual(['deployments']);
  });
});
