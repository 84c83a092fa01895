import { describe, expect, it } from 'vitest';
import { KubernetesZone, ZoneIndex } from '../../../../src-main/network/dns';
import type { KubeObject } from '../../../../src-main/api/types';

const ns = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const svc = (name: string, namespace: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec });
const slice = (name: string, namespace: string, service: string, endpoints: unknown[], ports: unknown[] = []): KubeObject => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name, namespace, labels: { 'kubernetes.io/service-name': service } },
  addressType: 'IPv4',
  endpoints,
  ports,
});

function cluster() {
  const index = new ZoneIndex(() => 1_700_000_000_000);
  for (const n of ['default', 'kube-system']) index.upsertNamespace(ns(n));
  index.upsertService(svc('kube-dns', 'kube-system', { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }, { name: 'metrics', port: 9153, protocol: 'TCP' }] }));
  index.upsertService(svc('redis', 'default', { clusterIP: '10.97.34.93', clusterIPs: ['10.97.34.93'], ports: [{ name: 'redis', port: 6379, protocol: 'TCP' }] }));
  index.upsertSlice(slice('redis-abc', 'default', 'redis', [{ addresses: ['10.244.1.7'], hostname: 'redis-0', conditions: { ready: true } }], [{ name: 'redis', port: 6379, protocol: 'TCP' }]));
  index.upsertService(svc('web', 'default', { clusterIP: 'None', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }));
  index.upsertSlice(
    slice('web-1', 'default', 'web', [
      { addresses: ['10.244.1.5'], conditions: { ready: true } },
      { addresses: ['10.244.2.6'], conditions: { ready: true } },
      { addresses: ['10.244.2.9'], conditions: { ready: false } },
    ], [{ name: 'http', port: 8080, protocol: 'TCP' }]),
  );
  index.upsertService(svc('db', 'default', { type: 'ExternalName', externalName: 'my.database.example.com' }));
  return { index, zone: new KubernetesZone(index) };
}

describe('cluster DNS zone (CoreDNS kubernetes plugin)', () => {
  it('answers a ClusterIP service with its cluster IP, TTL 30', () => {
    const { zone } = cluster();
    expect(zone.query('redis.default.svc.cluster.local', 'A')).toEqual({ rcode: 'NOERROR', answers: [{ name: 'redis.default.svc.cluster.local', type: 'A', ttl: 30, address: '10.97.34.93' }] });
    expect(zone.query('KUBE-DNS.kube-system.svc.cluster.local.', 'A').answers[0]).toMatchObject({ address: '10.96.0.10' });
  });

  it('gives a headless service its ready endpoints only, and each endpoint its own name', () => {
    const { zone } = cluster();
    expect(zone.query('web.default.svc.cluster.local', 'A').answers.map((a) => (a as { address: string }).address)).toEqual(['10.244.1.5', '10.244.2.6']);
    expect(zone.query('10-244-2-6.web.default.svc.cluster.local', 'A').answers).toEqual([{ name: '10-244-2-6.web.default.svc.cluster.local', type: 'A', ttl: 30, address: '10.244.2.6' }]);
    expect(zone.query('10-244-2-9.web.default.svc.cluster.local', 'A').rcode).toBe('NXDOMAIN');
  });

  it('resolves StatefulSet pod names through the endpoint hostname (redis-0.redis.default.svc.cluster.local)', () => {
    const { zone } = cluster();
    expect(zone.query('redis-0.redis.default.svc.cluster.local', 'A').answers).toEqual([{ name: 'redis-0.redis.default.svc.cluster.local', type: 'A', ttl: 30, address: '10.244.1.7' }]);
    expect(zone.query('redis-1.redis.default.svc.cluster.local', 'A')).toEqual({ rcode: 'NXDOMAIN', answers: [], authority: 'cluster.local' });
  });

  it('serves SRV for named ports: the service for ClusterIP, each endpoint for headless, with A additionals', () => {
    const { zone } = cluster();
    expect(zone.query('_redis._tcp.redis.default.svc.cluster.local', 'SRV')).toEqual({
      rcode: 'NOERROR',
      answers: [{ name: '_redis._tcp.redis.default.svc.cluster.local', type: 'SRV', ttl: 30, priority: 0, weight: 100, port: 6379, target: 'redis.default.svc.cluster.local' }],
      additionals: [{ name: 'redis.default.svc.cluster.local', type: 'A', ttl: 30, address: '10.97.34.93' }],
    });
    const web = zone.query('_http._tcp.web.default.svc.cluster.local', 'SRV');
    expect(web.answers).toEqual([
      { name: '_http._tcp.web.default.svc.cluster.local', type: 'SRV', ttl: 30, priority: 0, weight: 50, port: 8080, target: '10-244-1-5.web.default.svc.cluster.local' },
      { name: '_http._tcp.web.default.svc.cluster.local', type: 'SRV', ttl: 30, priority: 0, weight: 50, port: 8080, target: '10-244-2-6.web.default.svc.cluster.local' },
    ]);
    expect(zone.query('_http._udp.web.default.svc.cluster.local', 'SRV').rcode).toBe('NXDOMAIN');
    // the service name itself: one SRV per port; kube-dns's three ports weigh 33 each, and
    // dns/dns-tcp (same target and port) are one record, as CoreDNS drops duplicates
    expect(zone.query('kube-dns.kube-system.svc.cluster.local', 'SRV').answers.map((a) => [(a as { port: number }).port, (a as { weight: number }).weight])).toEqual([[53, 33], [9153, 33]]);
  });

  it('answers PTR for cluster IPs and endpoint IPs; unknown addresses are NXDOMAIN', () => {
    const { zone } = cluster();
    expect(zone.query('10.0.96.10.in-addr.arpa', 'PTR').answers).toEqual([{ name: '10.0.96.10.in-addr.arpa', type: 'PTR', ttl: 30, target: 'kube-dns.kube-system.svc.cluster.local' }]);
    expect(zone.query('5.1.244.10.in-addr.arpa', 'PTR').answers).toEqual([{ name: '5.1.244.10.in-addr.arpa', type: 'PTR', ttl: 30, target: '10-244-1-5.web.default.svc.cluster.local' }]);
    expect(zone.query('7.1.244.10.in-addr.arpa', 'PTR').answers[0]).toMatchObject({ target: 'redis-0.redis.default.svc.cluster.local' });
    expect(zone.query('9.9.9.10.in-addr.arpa', 'PTR').rcode).toBe('NXDOMAIN');
  });

  it('turns ExternalName into a CNAME, and pod names into their dashed IPs', () => {
    const { zone } = cluster();
    expect(zone.query('db.default.svc.cluster.local', 'A').answers).toEqual([{ name: 'db.default.svc.cluster.local', type: 'CNAME', ttl: 30, target: 'my.database.example.com' }]);
    expect(zone.query('10-244-1-5.default.pod.cluster.local', 'A').answers).toEqual([{ name: '10-244-1-5.default.pod.cluster.local', type: 'A', ttl: 30, address: '10.244.1.5' }]);
    expect(zone.query('10-244-1-5.nope.pod.cluster.local', 'A').rcode).toBe('NXDOMAIN');
    expect(zone.query('not-an-ip.default.pod.cluster.local', 'A').rcode).toBe('NXDOMAIN');
  });

  it('distinguishes NODATA (name exists) from NXDOMAIN, and sends other domains upstream (NXDOMAIN, root authority)', () => {
    const { zone } = cluster();
    expect(zone.query('redis.default.svc.cluster.local', 'AAAA')).toEqual({ rcode: 'NOERROR', answers: [], authority: 'cluster.local' });
    expect(zone.query('default.svc.cluster.local', 'A')).toEqual({ rcode: 'NOERROR', answers: [], authority: 'cluster.local' });
    expect(zone.query('nope.svc.cluster.local', 'A').rcode).toBe('NXDOMAIN');
    expect(zone.query('redis.svc.cluster.local', 'A').rcode).toBe('NXDOMAIN');
    expect(zone.query('redis.default.cluster.local', 'A').rcode).toBe('NXDOMAIN');
    expect(zone.query('a.b.c.redis.default.svc.cluster.local', 'A').rcode).toBe('NXDOMAIN');
    expect(zone.query('example.com', 'A')).toEqual({ rcode: 'NXDOMAIN', answers: [], authority: '' });
    expect(zone.query('dns-version.cluster.local', 'TXT').answers).toEqual([{ name: 'dns-version.cluster.local', type: 'TXT', ttl: 28800, text: '1.1.0' }]);
  });

  it('follows changes incrementally: new endpoints, deleted services and slices', () => {
    const { index, zone } = cluster();
    index.upsertSlice(slice('web-1', 'default', 'web', [{ addresses: ['10.244.3.3'], conditions: { ready: true } }], [{ name: 'http', port: 8080, protocol: 'TCP' }]));
    expect(zone.query('web.default.svc.cluster.local', 'A').answers.map((a) => (a as { address: string }).address)).toEqual(['10.244.3.3']);
    expect(zone.query('5.1.244.10.in-addr.arpa', 'PTR').rcode).toBe('NXDOMAIN');
    index.deleteService(svc('redis', 'default', {}));
    expect(zone.query('redis.default.svc.cluster.local', 'A').rcode).toBe('NXDOMAIN');
    expect(zone.query('93.34.97.10.in-addr.arpa', 'PTR').rcode).toBe('NXDOMAIN');
    // endpoints keep their reverse records while their slice exists
    expect(zone.query('7.1.244.10.in-addr.arpa', 'PTR').answers[0]).toMatchObject({ target: 'redis-0.redis.default.svc.cluster.local' });
    index.deleteSlice(slice('redis-abc', 'default', 'redis', []));
    expect(zone.query('7.1.244.10.in-addr.arpa', 'PTR').rcode).toBe('NXDOMAIN');
  });
});
