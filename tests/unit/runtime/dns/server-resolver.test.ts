import { describe, expect, it } from 'vitest';
import { serveDnsPacket } from '../../../../src-main/runtime/dns/server';
import { TYPE, decodeMessage, encodeMessage, makeQuery, type DnsMessage } from '../../../../src-main/runtime/dns/wire';
import { parseResolvConf } from '../../../../src-main/runtime/dns/resolv-conf';
import { StubResolver } from '../../../../src-main/runtime/dns/resolver';
import { KubernetesZone, ZoneIndex } from '../../../../src-main/network/dns';
import { createEmptyDir } from '../../../../src-main/runtime';
import type { PodNetwork } from '../../../../src-main/network/types';

function zone(): KubernetesZone {
  const index = new ZoneIndex(() => 1_700_000_000_000);
  index.upsertNamespace({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  index.upsertNamespace({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } });
  index.upsertService({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'kube-dns', namespace: 'kube-system' }, spec: { clusterIP: '10.96.0.10', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] } });
  index.upsertService({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'many', namespace: 'default' }, spec: { clusterIP: 'None' } });
  index.upsertSlice({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'many-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'many' } },
    addressType: 'IPv4',
    endpoints: Array.from({ length: 40 }, (_, i) => ({ addresses: [`10.244.1.${i + 1}`], conditions: { ready: true } })),
  });
  return new KubernetesZone(index);
}

const ask = (q: DnsMessage | Buffer, transport: 'udp' | 'tcp' = 'udp') => decodeMessage(serveDnsPacket(zone(), Buffer.isBuffer(q) ? q : encodeMessage(q), { transport })!);

describe('serveDnsPacket (CoreDNS message handling)', () => {
  it('keeps the question as asked (case), sets aa and not ra for the cluster zone', () => {
    const m = ask(makeQuery(9, 'KUBE-DNS.Kube-System.svc.cluster.local', TYPE.A));
    expect(m).toMatchObject({ id: 9, qr: true, aa: true, ra: false, rd: true, rcode: 0 });
    expect(m.questions[0]!.name).toBe('KUBE-DNS.Kube-System.svc.cluster.local');
    expect(m.answers[0]).toMatchObject({ name: 'KUBE-DNS.Kube-System.svc.cluster.local', address: '10.96.0.10' });
  });

  it('answers the apex SOA and NS, and NODATA with the SOA for AAAA', () => {
    expect(ask(makeQuery(1, 'cluster.local', TYPE.SOA)).answers[0]).toMatchObject({ type: 'SOA', mname: 'ns.dns.cluster.local', rname: 'hostmaster.cluster.local', serial: 1_700_000_000, refresh: 7200, retry: 1800, expire: 86400, minimum: 30 });
    const ns = ask(makeQuery(2, 'cluster.local', TYPE.NS));
    expect(ns.answers).toEqual([{ name: 'cluster.local', type: 'NS', ttl: 30, class: 1, target: 'ns.dns.cluster.local' }]);
    expect(ns.additionals[0]).toMatchObject({ name: 'ns.dns.cluster.local', address: '10.96.0.10' });
    const nodata = ask(makeQuery(3, 'kube-dns.kube-system.svc.cluster.local', TYPE.AAAA));
    expect([nodata.rcode, nodata.answers.length, nodata.authorities[0]?.type]).toEqual([0, 0, 'SOA']);
  });

  it('relays other names as the forward plugin would without internet: NXDOMAIN, ra, root SOA', () => {
    const m = ask(makeQuery(4, 'example.com', TYPE.A));
    expect(m).toMatchObject({ rcode: 3, aa: false, ra: true });
    expect(m.authorities[0]).toMatchObject({ name: '', type: 'SOA', mname: 'a.root-servers.net' });
  });

  it('truncates big UDP answers (TC) but not TCP ones, and honours the EDNS size', () => {
    const udp = ask(makeQuery(5, 'many.default.svc.cluster.local', TYPE.A));
    expect(udp.tc).toBe(true);
    expect(udp.answers.length).toBeLessThan(40);
    expect(ask(makeQuery(5, 'many.default.svc.cluster.local', TYPE.A), 'tcp').answers).toHaveLength(40);
    const edns = makeQuery(6, 'many.default.svc.cluster.local', TYPE.A);
    edns.additionals.push({ name: '', type: 'RAW', code: TYPE.OPT, class: 1232, ttl: 0, rdata: Buffer.alloc(0) });
    const big = ask(edns);
    expect([big.tc, big.answers.length]).toEqual([false, 40]);
    expect(big.additionals.at(-1)).toMatchObject({ type: 'RAW', code: TYPE.OPT, class: 1232 });
  });

  it('FORMERR for garbage with a header, NOTIMP for other opcodes, nothing for responses or runts', () => {
    const garbage = Buffer.from('abcd0100000100000000000005ff', 'hex');
    const f = serveDnsPacket(zone(), garbage, { transport: 'udp' })!;
    expect([f.readUInt16BE(0), f[3]! & 0xf, (f[2]! & 0x80) !== 0]).toEqual([0xabcd, 1, true]);
    expect(ask({ ...makeQuery(7, 'cluster.local', TYPE.SOA), opcode: 2 }).rcode).toBe(4);
    expect(serveDnsPacket(zone(), encodeMessage({ ...makeQuery(8, 'x', TYPE.A), qr: true }), { transport: 'udp' })).toBeUndefined();
    expect(serveDnsPacket(zone(), Buffer.from([1, 2, 3]), { transport: 'udp' })).toBeUndefined();
  });

  it('SERVFAIL instead of an exception when the zone fails or an answer cannot be encoded', () => {
    const broken = { query: () => ({ rcode: 'NOERROR' as const, answers: [{ name: 'x..y', type: 'CNAME' as const, ttl: 30, target: 'a' }] }) };
    const m = decodeMessage(serveDnsPacket(broken, encodeMessage(makeQuery(11, 'x.default.svc.cluster.local', TYPE.A)), { transport: 'udp' })!);
    expect([m.id, m.rcode, m.qr]).toEqual([11, 2, true]);
    const throwing = { query: () => { throw new Error('boom'); } };
    expect(decodeMessage(serveDnsPacket(throwing, encodeMessage(makeQuery(12, 'a.cluster.local', TYPE.A)), { transport: 'tcp' })!).rcode).toBe(2);
  });
});

describe('resolv.conf and the search list', () => {
  it('parses nameserver, search, ndots, timeout and attempts as libc does', () => {
    expect(parseResolvConf('# kind\nsearch default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5 timeout:2 attempts:3 edns0\n')).toEqual({
      nameservers: ['10.96.0.10'],
      search: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'],
      ndots: 5,
      timeoutMs: 2000,
      attempts: 3,
    });
    expect(parseResolvConf('nameserver not-an-ip\nnameserver 1.1.1.1\n')).toMatchObject({ nameservers: ['1.1.1.1'], search: [], ndots: 1 });
  });

  it('orders candidates per ndots; a trailing dot means the name as it is', () => {
    const fs = createEmptyDir();
    fs.mkdir('/etc', { parents: true });
    fs.writeFile('/etc/resolv.conf', 'search ns1.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
    const r = new StubResolver({} as PodNetwork, fs);
    expect(r.candidates('web')).toEqual(['web.ns1.svc.cluster.local', 'web.svc.cluster.local', 'web.cluster.local', 'web']);
    expect(r.candidates('a.b.c.d.e')).toHaveLength(4); // 4 dots < ndots 5: still searched
    // glibc: ndots dots → as it is first, then the search list; musl (Alpine): as it is only
    expect(r.candidates('a.b.c.d.e.f')).toEqual(['a.b.c.d.e.f', 'a.b.c.d.e.f.ns1.svc.cluster.local', 'a.b.c.d.e.f.svc.cluster.local', 'a.b.c.d.e.f.cluster.local']);
    fs.writeFile('/etc/alpine-release', '3.20.8\n');
    expect(r.candidates('a.b.c.d.e.f')).toEqual(['a.b.c.d.e.f']);
    expect(r.candidates('web.default.svc.cluster.local.')).toEqual(['web.default.svc.cluster.local']);
    fs.writeFile('/etc/resolv.conf', 'nameserver 10.96.0.10\n');
    expect(r.candidates('web')).toEqual(['web']);
  });

  it('sends real packets to the nameserver and follows NXDOMAIN to the next candidate', async () => {
    const fs = createEmptyDir();
    fs.mkdir('/etc', { parents: true });
    fs.writeFile('/etc/resolv.conf', 'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
    const z = zone();
    const sent: string[] = [];
    const net = {
      request: async (host: string, port: number, data: Buffer) => {
        const q = decodeMessage(data);
        sent.push(`${host}:${port} ${q.questions[0]!.name} ${q.questions[0]!.type}`);
        return serveDnsPacket(z, data, { transport: 'udp' });
      },
    } as unknown as PodNetwork;
    const r = new StubResolver(net, fs);
    expect(await r.lookup('kube-dns.kube-system')).toEqual({ fqdn: 'kube-dns.kube-system.svc.cluster.local', addresses: ['10.96.0.10'] });
    expect(sent).toEqual([
      '10.96.0.10:53 kube-dns.kube-system.default.svc.cluster.local 1',
      '10.96.0.10:53 kube-dns.kube-system.default.svc.cluster.local 28',
      '10.96.0.10:53 kube-dns.kube-system.svc.cluster.local 1',
      '10.96.0.10:53 kube-dns.kube-system.svc.cluster.local 28',
    ]);
    expect(await r.srv('kube-dns.kube-system.svc.cluster.local')).toEqual([{ name: 'kube-dns.kube-system.svc.cluster.local', port: 53, priority: 0, weight: 100 }]);
    expect(await r.srv('nope.default.svc.cluster.local')).toBeUndefined();
  });
});
