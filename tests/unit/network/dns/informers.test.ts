/** The zone kept by real informers over the in-process API: bootstrap objects, then changes. */
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../../../src-main/storage/sqlite-store';
import { createApiServer } from '../../../../src-main/apiserver/server';
import { KubeClient, R, SharedInformerFactory } from '../../../../src-main/client';
import { bootstrapObjects } from '../../../../src-main/bootstrap/objects';
import { startClusterDnsZone } from '../../../../src-main/network/dns';

const ADMIN = { name: 'admin', groups: ['system:masters', 'system:authenticated'] };
const stops: (() => unknown)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0).reverse()) await s();
});

async function eventually(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
}

describe('startClusterDnsZone', () => {
  it('answers from the API objects and follows their changes', async () => {
    const store = SqliteStore.open({ path: ':memory:' });
    const server = createApiServer(store);
    stops.push(() => store.close(), () => server.close());
    const client = new KubeClient(server.handler, ADMIN);
    await bootstrapObjects(client);
    const factory = new SharedInformerFactory(client);
    const dns = startClusterDnsZone(factory, { start: true });
    stops.push(() => factory.stop(), () => dns.stop());
    expect(await dns.synced).toBe(true);

    // the bootstrap's kube-dns and kubernetes Services
    expect(dns.zone.query('kube-dns.kube-system.svc.cluster.local', 'A').answers).toEqual([{ name: 'kube-dns.kube-system.svc.cluster.local', type: 'A', ttl: 30, address: '10.96.0.10' }]);
    expect(dns.zone.query('1.0.96.10.in-addr.arpa', 'PTR').answers[0]).toMatchObject({ target: 'kubernetes.default.svc.cluster.local' });
    expect(dns.zone.query('_https._tcp.kubernetes.default.svc.cluster.local', 'SRV').answers[0]).toMatchObject({ port: 443, target: 'kubernetes.default.svc.cluster.local' });

    // a new namespace, a service in it, then its deletion
    await client.create(R.namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    const svc = await client.create(R.services, 'shop', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'cart' }, spec: { ports: [{ name: 'http', port: 80 }] } });
    const ip = (svc.spec as unknown as { clusterIP: string }).clusterIP;
    await eventually(() => dns.zone.query('cart.shop.svc.cluster.local', 'A').answers.length === 1);
    expect(dns.zone.query('cart.shop.svc.cluster.local', 'A').answers[0]).toMatchObject({ address: ip });
    await client.delete(R.services, 'shop', 'cart');
    await eventually(() => dns.zone.query('cart.shop.svc.cluster.local', 'A').rcode === 'NXDOMAIN');
  });
});
