/** EndpointSlice controller, golden style: services and pods in, the service's slices out. */
import { afterEach, describe, expect, it } from 'vitest';
import { R } from '../../../../src-main/client';
import type { KubeObject } from '../../../../src-main/api/types';
import { endpointSliceController } from '../../../../src-main/controllers/endpointslice/endpointslice';
import { garbageCollectorController } from '../../../../src-main/controllers/garbagecollector/garbagecollector';
import { Harness } from '../garbagecollector/harness';
import { runningPod, service, setStatus } from '../endpoints/pods';

let h: Harness;
afterEach(async () => h.stop());

const slicesOf = async (svc: string): Promise<KubeObject[]> => (await h.admin.list(R.endpointslices, 'default', { labelSelector: `kubernetes.io/service-name=${svc}` })).items;

describe('endpointslice controller', () => {
  it('writes one IPv4 slice named <svc>-<5 random> with conditions, targetRef, nodeName and resolved ports', async () => {
    h = await new Harness().start(endpointSliceController);
    const a = await runningPod(h.admin, 'web-a', { ip: '10.244.1.5' });
    await runningPod(h.admin, 'web-b', { ip: '10.244.2.7', ready: false, node: 'kubesim-worker2' });
    const svc = await service(h.admin, 'web', { selector: { app: 'web' } }, { app: 'web' });
    await h.until(async () => (await slicesOf('web')).some((s) => (s.endpoints as unknown[] | undefined)?.length === 2), 'slice written');
    const [slice] = await slicesOf('web');
    expect(slice.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
    expect(slice.metadata.labels).toEqual({ app: 'web', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    expect(slice.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(slice.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time']).toBeTruthy();
    expect(slice.addressType).toBe('IPv4');
    expect(slice.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(slice.endpoints).toEqual([
      { addresses: ['10.244.1.5'], conditions: { ready: true, serving: true, terminating: false }, targetRef: { kind: 'Pod', namespace: 'default', name: 'web-a', uid: a.metadata.uid }, nodeName: 'kubesim-worker' },
      { addresses: ['10.244.2.7'], conditions: { ready: false, serving: false, terminating: false }, targetRef: expect.objectContaining({ name: 'web-b' }), nodeName: 'kubesim-worker2' },
    ]);

    // Changes update the same slice; a terminating pod stays, flagged.
    await setStatus(h.admin, 'web-b', '10.244.2.7', true);
    await h.until(async () => ((await slicesOf('web'))[0].endpoints as { conditions: { ready: boolean } }[]).every((e) => e.conditions.ready), 'web-b ready');
    await h.admin.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    await h.admin.patch(R.pods, 'default', 'web-a', 'merge', { metadata: { finalizers: ['example.com/hold'] } });
    await h.admin.delete(R.pods, 'default', 'web-a');
    await h.until(async () => ((await slicesOf('web'))[0].endpoints as { conditions: { terminating: boolean } }[])[0].conditions.terminating, 'web-a terminating');
    const after = await slicesOf('web');
    expect(after.map((s) => s.metadata.name)).toEqual([slice.metadata.name]);
    expect((after[0].endpoints as { conditions: unknown }[])[0].conditions).toEqual({ ready: false, serving: true, terminating: true });
  });

  it('splits endpoints by port set and at 100 per slice; deletes slices no longer needed', async () => {
    h = await new Harness().start(endpointSliceController);
    for (let i = 0; i < 101; i++) await runningPod(h.admin, `p${String(i).padStart(3, '0')}`, { ip: `10.244.1.${i + 2}` });
    await runningPod(h.admin, 'q', { ip: '10.244.3.2', ports: [{ name: 'http', containerPort: 9090 }] });
    await service(h.admin, 'web', { selector: { app: 'web' } });
    await h.until(async () => (await slicesOf('web')).reduce((n, s) => n + ((s.endpoints as unknown[]) ?? []).length, 0) === 102, 'all endpoints');
    const slices = await slicesOf('web');
    expect(slices.map((s) => [((s.endpoints as unknown[]) ?? []).length, (s.ports as { port: number }[])[0].port]).sort()).toEqual([[1, 8080], [1, 9090], [100, 8080]].sort());
    await h.admin.delete(R.pods, 'default', 'q', { gracePeriodSeconds: 0 });
    await h.until(async () => (await slicesOf('web')).length === 2, 'the 9090 slice is deleted');
  });

  it('keeps one empty placeholder slice for a service without endpoints; ignores selector-less services and slices others manage', async () => {
    h = await new Harness().start(endpointSliceController);
    await service(h.admin, 'empty', { selector: { app: 'none' } });
    await service(h.admin, 'manual', {});
    await h.admin.create(R.endpointslices, 'default', { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'manual-1', labels: { 'kubernetes.io/service-name': 'manual' } }, addressType: 'IPv4', endpoints: [{ addresses: ['192.168.0.1'] }], ports: [] });
    await h.until(async () => (await slicesOf('empty')).length === 1, 'placeholder');
    expect((await slicesOf('empty'))[0].endpoints ?? []).toEqual([]);
    await h.settle();
    expect((await slicesOf('manual')).map((s) => s.metadata.name)).toEqual(['manual-1']);
  });

  it('the slices go with their service (garbage collector, through the ownerReference)', async () => {
    h = await new Harness().start(endpointSliceController, garbageCollectorController);
    await runningPod(h.admin, 'a', { ip: '10.244.1.2' });
    await service(h.admin, 'web', { selector: { app: 'web' } });
    await h.until(async () => (await slicesOf('web')).length === 1, 'slice');
    await h.admin.delete(R.services, 'default', 'web');
    await h.until(async () => (await slicesOf('web')).length === 0, 'slice collected');
  });
});
