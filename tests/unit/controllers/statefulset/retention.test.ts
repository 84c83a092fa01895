/** persistentVolumeClaimRetentionPolicy with the garbage collector: Delete removes claims with the set, Retain keeps them. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { R } from '../../../../src-main/client';
import type { KubeObject } from '../../../../src-main/api/types';
import { statefulSetController } from '../../../../src-main/controllers/statefulset/controller';
import { garbageCollectorController } from '../../../../src-main/controllers/garbagecollector/garbagecollector';
import { Harness } from './harness';

function set(name: string, policy?: Record<string, string>, start?: number): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name },
    spec: {
      replicas: 2,
      podManagementPolicy: 'Parallel',
      ...(start !== undefined ? { ordinals: { start } } : {}),
      ...(policy ? { persistentVolumeClaimRetentionPolicy: policy } : {}),
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    },
  };
}

let h: Harness;
beforeEach(async () => {
  h = await new Harness().start(statefulSetController, garbageCollectorController);
});
afterEach(async () => {
  await h.stop();
});

const claimsOf = async (name: string) => (await h.names(R.persistentvolumeclaims)).filter((n) => n.startsWith(`data-${name}-`));

describe('StatefulSet claims and the garbage collector', () => {
  it('whenDeleted: Delete removes the claims with the set; the default Retain keeps them', async () => {
    await h.admin.create(R.statefulsets, 'default', set('gone', { whenDeleted: 'Delete', whenScaled: 'Retain' }));
    await h.admin.create(R.statefulsets, 'default', set('kept'));
    await h.until(async () => (await claimsOf('gone')).length === 2 && (await claimsOf('kept')).length === 2);
    await h.admin.delete(R.statefulsets, 'default', 'gone');
    await h.admin.delete(R.statefulsets, 'default', 'kept');
    await h.until(async () => (await h.names(R.pods)).length === 0, 'pods collected');
    await h.until(async () => (await claimsOf('gone')).length === 0, 'claims of gone collected');
    expect(await claimsOf('kept')).toEqual(['data-kept-0', 'data-kept-1']);
  });

  it('ordinals.start numbers pods and claims from the start ordinal', async () => {
    await h.admin.create(R.statefulsets, 'default', set('five', undefined, 5));
    await h.until(async () => (await h.names(R.pods)).length === 2);
    expect(await h.names(R.pods)).toEqual(['five-5', 'five-6']);
    expect(await claimsOf('five')).toEqual(['data-five-5', 'data-five-6']);
  });
});
