/** Endpoints controller, golden style: services and pods in, the Endpoints object out. */
import { afterEach, describe, expect, it } from 'vitest';
import { R } from '../../../../src-main/client';
import { endpointsController, truncateSubsets, type EndpointSubset } from '../../../../src-main/controllers/endpoints';
import { Harness } from '../garbagecollector/harness';
import { runningPod, service, setStatus } from './pods';

let h: Harness;
afterEach(async () => h.stop());

const ep = async (name: string) => h.admin.tryGet(R.endpoints, 'default', name);

describe('endpoints controller', () => {
  it('lists ready pods under addresses and the others under notReadyAddresses, with the named port resolved per pod', async () => {
    h = await new Harness().start(endpointsController);
    const a = await runningPod(h.admin, 'web-a', { ip: '10.244.1.5', node: 'kubesim-worker' });
    await runningPod(h.admin, 'web-b', { ip: '10.244.2.7', ready: false, node: 'kubesim-worker2' });
    await runningPod(h.admin, 'web-pending'); // no IP yet
    await runningPod(h.admin, 'other', { ip: '10.244.1.9', labels: { app: 'db' } });
    await service(h.admin, 'web', { selector: { app: 'web' } }, { app: 'web' });
    await h.until(async () => !!(await ep('web'))?.subsets, 'endpoints written');
    const e = (await ep('web'))!;
    expect(e.metadata.labels).toEqual({ app: 'web' });
    expect(e.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time']).toMatch(/^2026-01-01T00:00:0\dZ$/);
    expect(e.subsets).toEqual([
      {
        addresses: [{ ip: '10.244.1.5', nodeName: 'kubesim-worker', targetRef: { kind: 'Pod', namespace: 'default', name: 'web-a', uid: a.metadata.uid } }],
        notReadyAddresses: [{ ip: '10.244.2.7', nodeName: 'kubesim-worker2', targetRef: { kind: 'Pod', namespace: 'default', name: 'web-b', uid: expect.any(String) } }],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
    ]);

    // Readiness flips move the address; a deleted pod leaves.
    await setStatus(h.admin, 'web-b', '10.244.2.7', true);
    await h.until(async () => ((await ep('web'))!.subsets as { addresses: unknown[] }[])[0].addresses.length === 2, 'web-b ready');
    expect(((await ep('web'))!.subsets as Record<string, unknown>[])[0].notReadyAddresses).toBeUndefined();
    await h.admin.delete(R.pods, 'default', 'web-a', { gracePeriodSeconds: 0 });
    await h.until(async () => ((await ep('web'))!.subsets as { addresses: { ip: string }[] }[])[0].addresses.map((x) => x.ip).join() === '10.244.2.7', 'web-a gone');
  });

  it('groups pods by the ports they resolve and publishes not-ready addresses when asked', async () => {
    h = await new Harness().start(endpointsController);
    await runningPod(h.admin, 'a', { ip: '10.244.1.2', ports: [{ name: 'http', containerPort: 8080 }] });
    await runningPod(h.admin, 'b', { ip: '10.244.1.3', ready: false, ports: [{ name: 'http', containerPort: 9090 }] });
    await runningPod(h.admin, 'c', { ip: '10.244.1.4', ports: [{ name: 'metrics', containerPort: 9100 }] });
    await service(h.admin, 'web', { selector: { app: 'web' }, publishNotReadyAddresses: true });
    await h.until(async () => !!(await ep('web'))?.subsets, 'endpoints written');
    const subsets = (await ep('web'))!.subsets as { addresses: { ip: string }[]; ports: unknown[] }[];
    expect(subsets.map((s) => [s.addresses.map((x) => x.ip), s.ports])).toEqual([
      [['10.244.1.2'], [{ name: 'http', port: 8080, protocol: 'TCP' }]],
      [['10.244.1.3'], [{ name: 'http', port: 9090, protocol: 'TCP' }]],
    ]);
  });

  it('sets hostname for pods whose subdomain is the (headless) service, and labels it headless', async () => {
    h = await new Harness().start(endpointsController);
    await runningPod(h.admin, 'db-0', { ip: '10.244.1.2', hostname: 'db-0', subdomain: 'db', labels: { app: 'db' }, ports: [{ containerPort: 6379 }] });
    await service(h.admin, 'db', { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 6379 }] });
    await h.until(async () => !!(await ep('db'))?.subsets, 'endpoints written');
    const e = (await ep('db'))!;
    expect(e.metadata.labels).toEqual({ 'service.kubernetes.io/headless': '' });
    expect(e.subsets).toEqual([{ addresses: [{ ip: '10.244.1.2', hostname: 'db-0', nodeName: 'kubesim-worker', targetRef: expect.objectContaining({ name: 'db-0' }) }], ports: [{ port: 6379, protocol: 'TCP' }] }]);
  });

  it('writes empty Endpoints for a selector with no pods, leaves selector-less services alone, deletes with the service', async () => {
    h = await new Harness().start(endpointsController);
    await service(h.admin, 'empty', { selector: { app: 'none' } });
    await service(h.admin, 'manual', {});
    await h.admin.create(R.endpoints, 'default', { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'manual' }, subsets: [{ addresses: [{ ip: '192.168.1.1' }], ports: [{ port: 80 }] }] });
    await h.until(async () => !!(await ep('empty')), 'empty endpoints');
    expect((await ep('empty'))!.subsets).toBeUndefined();
    await h.settle();
    expect(((await ep('manual'))!.subsets as unknown[]).length).toBe(1);
    await h.admin.delete(R.services, 'default', 'empty');
    await h.until(async () => !(await ep('empty')), 'endpoints deleted with the service');
  });

  it('puts a deleted Endpoints object back', async () => {
    h = await new Harness().start(endpointsController);
    await runningPod(h.admin, 'a', { ip: '10.244.1.2' });
    await service(h.admin, 'web', { selector: { app: 'web' } });
    await h.until(async () => !!(await ep('web'))?.subsets, 'endpoints written');
    await h.admin.delete(R.endpoints, 'default', 'web');
    await h.until(async () => !!(await ep('web'))?.subsets, 'endpoints recreated');
  });
});

describe('truncateSubsets (over 1000 addresses)', () => {
  const addrs = (n: number, base: string) => Array.from({ length: n }, (_, i) => ({ ip: `${base}.${Math.floor(i / 250)}.${i % 250}`, targetRef: { kind: 'Pod' as const, namespace: 'default', name: `p${i}`, uid: `u${i}` } }));
  const count = (subsets: EndpointSubset[]) => subsets.map((s) => [s.addresses?.length ?? 0, s.notReadyAddresses?.length ?? 0]);

  it('leaves up to 1000 addresses alone', () => {
    const s: EndpointSubset[] = [{ addresses: addrs(900, '10.1'), notReadyAddresses: addrs(100, '10.2') }];
    expect(truncateSubsets(s)).toBe(false);
    expect(count(s)).toEqual([[900, 100]]);
  });

  it('cuts not-ready addresses first', () => {
    const s: EndpointSubset[] = [{ addresses: addrs(900, '10.1'), notReadyAddresses: addrs(300, '10.2') }];
    expect(truncateSubsets(s)).toBe(true);
    expect(count(s)).toEqual([[900, 100]]);
  });

  it('then ready ones, each subset keeping its share, dropping every not-ready address', () => {
    const s: EndpointSubset[] = [
      { addresses: addrs(900, '10.1'), notReadyAddresses: addrs(10, '10.2'), ports: [{ port: 80, protocol: 'TCP' }] },
      { addresses: addrs(300, '10.3'), ports: [{ port: 81, protocol: 'TCP' }] },
    ];
    expect(truncateSubsets(s)).toBe(true);
    expect(count(s)).toEqual([
      [750, 0],
      [250, 0],
    ]);
  });
});
