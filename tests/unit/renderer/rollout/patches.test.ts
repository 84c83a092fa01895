import { describe, expect, it } from 'vitest';
import { canPause, canScale, canSetImage, hasRollout, kubectlName, kubectlTarget, targetFromRoute } from '../../../../src-renderer/features/rollout/kinds';
import { parseReplicas, pausePatch, restartPatch, restartRefusal, scalePatch, setImageCommand, setImagePatch } from '../../../../src-renderer/features/rollout/patches';
import { labelSelectorString } from '../../../../src-renderer/features/rollout/selector';
import { templateImages } from '../../../../src-renderer/features/rollout/template';
import { deployment } from './fixtures';
import type { Workload } from '../../../../src-renderer/features/rollout/types';

const deploy = { group: 'apps', version: 'v1', resource: 'deployments' };

describe('which kinds get which action', () => {
  it('follows kubectl', () => {
    expect(hasRollout(deploy)).toBe(true);
    expect(hasRollout({ group: 'apps', version: 'v1', resource: 'replicasets' })).toBe(false);
    expect(canPause({ group: 'apps', version: 'v1', resource: 'statefulsets' })).toBe(false);
    expect(canScale({ group: '', version: 'v1', resource: 'replicationcontrollers' })).toBe(true);
    expect(canScale({ group: 'apps', version: 'v1', resource: 'daemonsets' })).toBe(false);
    expect(canSetImage({ group: 'batch', version: 'v1', resource: 'jobs' })).toBe(false);
    expect(canSetImage({ group: '', version: 'v1', resource: 'pods' })).toBe(true);
    expect(kubectlName(deploy, 'web')).toBe('deployment.apps/web');
    expect(kubectlName({ group: '', version: 'v1', resource: 'replicationcontrollers' }, 'rc')).toBe('replicationcontroller/rc');
    expect(kubectlTarget({ group: 'apps', version: 'v1', resource: 'statefulsets' }, 'db')).toBe('statefulset/db');
  });

  it('reads the target of a details route (palette commands)', () => {
    expect(targetFromRoute('resource-details', { group: 'apps', version: 'v1', resource: 'deployments', namespace: 'shop', name: 'web' })).toEqual({ resource: deploy, namespace: 'shop', name: 'web' });
    expect(targetFromRoute('resource-details', { group: 'core', version: 'v1', resource: 'replicationcontrollers', namespace: 'a', name: 'rc' })?.resource.group).toBe('');
    expect(targetFromRoute('resource-details', { group: 'core', version: 'v1', resource: 'nodes', name: 'n1' })?.namespace).toBeUndefined();
    expect(targetFromRoute('resource-list', { group: 'apps', version: 'v1', resource: 'deployments' })).toBeUndefined();
  });
});

describe('workload patches', () => {
  it('pause, resume, restart, scale as kubectl sends them', () => {
    expect(pausePatch(true)).toEqual({ spec: { paused: true } });
    expect(pausePatch(false)).toEqual({ spec: { paused: null } });
    expect(restartPatch(new Date('2026-11-23T19:40:05.123Z'))).toEqual({ spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-23T19:40:05Z' } } } } });
    expect(restartRefusal(deployment('x', { paused: true }))).toBe("can't restart paused deployment (run rollout resume first)");
    expect(restartRefusal(deployment())).toBeUndefined();
    expect(scalePatch(5)).toEqual({ spec: { replicas: 5 } });
  });

  it('parses replica counts', () => {
    expect(parseReplicas(' 4 ')).toEqual({ replicas: 4 });
    expect(parseReplicas('0')).toEqual({ replicas: 0 });
    for (const bad of ['-1', '1.5', '', 'x', '99999999999']) expect(parseReplicas(bad)).toHaveProperty('error');
  });

  it('set image: only changed containers, merged by name, at the kind’s pod spec', () => {
    const d = deployment('nginx:1.25');
    expect(setImagePatch(deploy, d, { nginx: 'nginx:1.26' })).toEqual({ spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.26' }] } } } });
    expect(setImagePatch(deploy, d, { nginx: 'nginx:1.25' })).toBeUndefined();
    expect(setImagePatch(deploy, d, { nginx: 'nginx:1.26' }, 'why')).toEqual({ metadata: { annotations: { 'kubernetes.io/change-cause': 'why' } }, spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.26' }] } } } });
    const pod: Workload = { metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'x:1' }], initContainers: [{ name: 'i', image: 'busybox' }] } };
    expect(setImagePatch({ group: '', version: 'v1', resource: 'pods' }, pod, { i: 'busybox:1.36' })).toEqual({ spec: { initContainers: [{ name: 'i', image: 'busybox:1.36' }] } });
    const cj: Workload = { metadata: { name: 'c' }, spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } } } } } };
    expect(setImagePatch({ group: 'batch', version: 'v1', resource: 'cronjobs' }, cj, { c: 'alpine' })).toEqual({ spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'alpine' }] } } } } } });
    expect(setImageCommand('deployment/web', templateImages(d.spec!.template), { nginx: 'nginx:1.26' })).toBe('kubectl set image deployment/web nginx=nginx:1.26');
  });

  it('label selectors as the server parses them', () => {
    expect(labelSelectorString({ matchLabels: { tier: 'db', app: 'web' } })).toBe('app=web,tier=db');
    expect(labelSelectorString({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'dev'] }, { key: 'x', operator: 'DoesNotExist' }] })).toBe('app=web,env in (dev,prod),!x');
    expect(labelSelectorString({ app: 'rc' })).toBe('app=rc');
    expect(labelSelectorString(undefined)).toBe('');
  });
});
