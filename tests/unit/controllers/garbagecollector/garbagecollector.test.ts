/**
 * Garbage collector, golden style: owners and dependents written through the API, the cascade
 * checked on what the API holds afterwards.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { R } from '../../../../src-main/client';
import type { KubeObject, OwnerReference } from '../../../../src-main/api/types';
import { garbageCollectorController } from '../../../../src-main/controllers/garbagecollector/garbagecollector';
import { Harness } from './harness';

let h: Harness;
afterEach(async () => h.stop());

function ownerRef(o: KubeObject, block = true): OwnerReference {
  return { apiVersion: o.apiVersion!, kind: o.kind!, name: o.metadata.name!, uid: o.metadata.uid!, controller: true, blockOwnerDeletion: block };
}

async function deployment(name: string): Promise<KubeObject> {
  return h.admin.create(R.deployments, 'default', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  });
}

async function replicaSet(name: string, owner?: KubeObject): Promise<KubeObject> {
  return h.admin.create(R.replicasets, 'default', {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, ownerReferences: owner ? [ownerRef(owner)] : undefined },
    spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  });
}

async function pod(name: string, owners: OwnerReference[]): Promise<KubeObject> {
  return h.admin.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name, ownerReferences: owners }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
}

const exists = (ref: typeof R.pods, name: string) => async () => (await h.admin.tryGet(ref, 'default', name)) !== undefined;
const gone = (ref: typeof R.pods, name: string) => async () => (await h.admin.tryGet(ref, 'default', name)) === undefined;

describe('garbage collector', () => {
  it('deletes dependents in the background once their owner is gone (deployment → rs → pods)', async () => {
    h = await new Harness().start(garbageCollectorController);
    const d = await deployment('web');
    const rs = await replicaSet('web-abc', d);
    await pod('web-abc-1', [ownerRef(rs)]);
    await pod('web-abc-2', [ownerRef(rs)]);
    const unrelated = await pod('other', []);
    await h.settle();
    await h.admin.delete(R.deployments, 'default', 'web', { propagationPolicy: 'Background' });
    await h.until(gone(R.replicasets, 'web-abc'), 'rs deleted');
    await h.until(gone(R.pods, 'web-abc-1'), 'pod 1 deleted');
    await h.until(gone(R.pods, 'web-abc-2'), 'pod 2 deleted');
    expect((await h.admin.get(R.pods, 'default', 'other')).metadata.uid).toBe(unrelated.metadata.uid);
  });

  it('checks the owner by uid: a new owner with the same name does not keep old dependents', async () => {
    h = await new Harness().start(garbageCollectorController);
    const old = await replicaSet('rs');
    await h.admin.delete(R.replicasets, 'default', 'rs');
    await replicaSet('rs');
    await pod('orphaned', [ownerRef(old)]);
    await h.until(gone(R.pods, 'orphaned'), 'pod of the old uid deleted');
    expect(await exists(R.replicasets, 'rs')()).toBe(true);
  });

  it('keeps a dependent that still has a live owner and drops the reference to the dead one', async () => {
    h = await new Harness().start(garbageCollectorController);
    const a = await replicaSet('a');
    const b = await replicaSet('b');
    const second = { ...ownerRef(b, false), controller: false };
    await pod('shared', [ownerRef(a), second]);
    await h.settle();
    await h.admin.delete(R.replicasets, 'default', 'a');
    await h.until(async () => (await h.admin.get(R.pods, 'default', 'shared')).metadata.ownerReferences?.length === 1, 'reference dropped');
    expect((await h.admin.get(R.pods, 'default', 'shared')).metadata.ownerReferences).toEqual([second]);
  });

  it('foreground: the owner waits (foregroundDeletion finalizer) until its blocking dependents are gone', async () => {
    h = await new Harness().start(garbageCollectorController);
    const d = await deployment('fg');
    const rs = await replicaSet('fg-1', d);
    await pod('fg-1-a', [ownerRef(rs)]);
    await h.settle();
    const res = await h.admin.delete(R.deployments, 'default', 'fg', { propagationPolicy: 'Foreground' });
    expect((res as KubeObject).metadata.finalizers).toEqual(['foregroundDeletion']);
    await h.until(gone(R.pods, 'fg-1-a'), 'pod deleted');
    await h.until(gone(R.replicasets, 'fg-1'), 'rs deleted');
    await h.until(gone(R.deployments, 'fg'), 'deployment deleted last');
  });

  it('foreground with a dependent that is not deleted at once: the owner stays until it goes', async () => {
    h = await new Harness().start(garbageCollectorController);
    const rs = await replicaSet('slow');
    // A finalizer someone else owns holds the pod.
    await h.admin.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'held', finalizers: ['example.com/hold'], ownerReferences: [ownerRef(rs)] }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    await h.settle();
    await h.admin.delete(R.replicasets, 'default', 'slow', { propagationPolicy: 'Foreground' });
    await h.until(async () => !!(await h.admin.get(R.pods, 'default', 'held')).metadata.deletionTimestamp, 'pod being deleted');
    await h.settle();
    const waiting = await h.admin.get(R.replicasets, 'default', 'slow');
    expect(waiting.metadata.finalizers).toEqual(['foregroundDeletion']);
    await h.admin.patch(R.pods, 'default', 'held', 'merge', { metadata: { finalizers: null } });
    await h.until(gone(R.replicasets, 'slow'), 'rs deleted after its pod');
  });

  it('orphan: dependents lose the ownerReference and stay; the owner goes', async () => {
    h = await new Harness().start(garbageCollectorController);
    const d = await deployment('keep');
    const rs = await replicaSet('keep-1', d);
    await pod('keep-1-a', [ownerRef(rs)]);
    await h.settle();
    await h.admin.delete(R.deployments, 'default', 'keep', { propagationPolicy: 'Orphan' });
    await h.until(gone(R.deployments, 'keep'), 'deployment deleted');
    const left = await h.admin.get(R.replicasets, 'default', 'keep-1');
    expect(left.metadata.ownerReferences).toBeUndefined();
    await h.settle();
    expect((await h.admin.get(R.pods, 'default', 'keep-1-a')).metadata.ownerReferences).toEqual([ownerRef(rs)]);
  });

  it('owners of kinds it does not watch are read live; an owner of a kind the server does not serve keeps its dependent', async () => {
    h = await new Harness().start(garbageCollectorController);
    const role = await h.admin.create({ group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'roles' }, 'default', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r' }, rules: [] });
    await h.admin.create(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', ownerReferences: [ownerRef(role)] } });
    await h.admin.create(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'unmapped', ownerReferences: [{ apiVersion: 'example.com/v1', kind: 'Nope', name: 'x', uid: 'u-1' }] } });
    await h.admin.create(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'gone', ownerReferences: [{ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', name: 'never', uid: 'u-2' }] } });
    await h.until(gone(R.configmaps, 'gone'), 'dependent of a missing Role deleted');
    await h.settle();
    expect(await exists(R.configmaps, 'cm')()).toBe(true);
    expect(await exists(R.configmaps, 'unmapped')()).toBe(true);
  });
});

describe('garbage collector over discovered kinds', () => {
  it('collects dependents of kinds outside its built-in list (a Role owned by a deleted ConfigMap)', async () => {
    h = await new Harness().start(garbageCollectorController);
    const roles = { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'roles' };
    const owner = await h.admin.create(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner' } });
    await h.admin.create(roles, 'default', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'dep', ownerReferences: [ownerRef(owner)] }, rules: [] });
    await h.settle();
    expect(await h.admin.tryGet(roles, 'default', 'dep')).toBeDefined();
    await h.admin.delete(R.configmaps, 'default', 'owner');
    await h.until(async () => (await h.admin.tryGet(roles, 'default', 'dep')) === undefined, 'role collected');
  });
});
