import { describe, expect, it } from 'vitest';
import type { ApiResource } from '../../../src-renderer/api/types';
import { buildCatalog } from '../../../src-renderer/util/catalog';

const r = (group: string, resource: string, kind: string, verbs = ['get', 'list', 'watch']): ApiResource => ({ group, version: group ? 'v1' : 'v1', resource, kind, namespaced: true, verbs });

describe('buildCatalog', () => {
  const served = [
    r('', 'pods', 'Pod'),
    r('', 'nodes', 'Node'),
    r('apps', 'deployments', 'Deployment'),
    r('', 'services', 'Service'),
    r('coordination.k8s.io', 'leases', 'Lease'),
    r('scheduling.k8s.io', 'priorityclasses', 'PriorityClass'),
    r('events.k8s.io', 'events', 'Event'),
    r('authentication.k8s.io', 'tokenreviews', 'TokenReview', ['create']),
    r('example.com', 'widgets', 'Widget'),
  ];
  const cat = buildCatalog(served);

  it('groups the known kinds like Headlamp/Lens, only those served', () => {
    expect(cat.map((s) => s.title)).toEqual(['Cluster', 'Workloads', 'Network', 'More']);
    expect(cat[0].items.map((i) => i.label)).toEqual(['Nodes']);
    expect(cat[1].items.map((i) => i.label)).toEqual(['Pods', 'Deployments']);
  });
  it('puts every other listable kind under More, sorted by kind, without the events.k8s.io duplicate', () => {
    const more = cat.find((s) => s.title === 'More')!;
    expect(more.items.map((i) => i.kind)).toEqual(['Lease', 'PriorityClass', 'Widget']);
  });
  it('leaves out what cannot be listed and watched', () => {
    expect(cat.flatMap((s) => s.items).some((i) => i.resource === 'tokenreviews')).toBe(false);
  });
  it('keeps the version discovery reports', () => {
    const c = buildCatalog([{ ...r('batch', 'cronjobs', 'CronJob'), version: 'v1beta1' }]);
    expect(c[0].items[0]).toMatchObject({ group: 'batch', version: 'v1beta1', resource: 'cronjobs' });
  });
});
