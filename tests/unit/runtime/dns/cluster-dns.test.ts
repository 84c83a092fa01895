/**
 * DNS end to end on a real cluster network: a CoreDNS container (the image's program) bound on
 * UDP/TCP 53 of its pod, reached at 10.96.0.10 through a service router, answering from the
 * kubernetes zone; client containers resolve through their own resolver and tools.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { createClusterNetwork, type ClusterNetwork, type PodNetwork } from '../../../../src-main/network';
import { KubernetesZone, ZoneIndex } from '../../../../src-main/network/dns';
import { createContainerRuntime, createEmptyDir } from '../../../../src-main/runtime';
import type { ContainerConfig, ContainerProcess } from '../../../../src-main/runtime/types';
import { FakeClock } from '../../../../src-main/client/clock';
import { KUBEADM_COREFILE } from '../../../../src-main/bootstrap/coredns';
import { StubResolver } from '../../../../src-main/runtime/dns/resolver';
import { TYPE, decodeMessage, encodeMessage, makeQuery } from '../../../../src-main/runtime/dns/wire';
import type { KubeObject } from '../../../../src-main/api/types';

const runtime = createContainerRuntime();
const clock = new FakeClock(Date.UTC(2026, 10, 23, 10, 0, 0));
let seq = 0;

function zoneWithObjects(): { zone: KubernetesZone; asked: string[] } {
  const index = new ZoneIndex(() => clock.now());
  const o = (kind: string, name: string, namespace: string | undefined, rest: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind, metadata: { name, namespace }, ...rest });
  for (const n of ['default', 'kube-system']) index.upsertNamespace(o('Namespace', n, undefined, {}));
  index.upsertService(o('Service', 'kube-dns', 'kube-system', { spec: { clusterIP: '10.96.0.10', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] } }));
  index.upsertService(o('Service', 'redis', 'default', { spec: { clusterIP: '10.97.34.93', ports: [{ name: 'redis', port: 6379, protocol: 'TCP' }] } }));
  index.upsertSlice({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'redis-x', namespace: 'default', labels: { 'kubernetes.io/service-name': 'redis' } }, addressType: 'IPv4', endpoints: [{ addresses: ['10.244.1.7'], hostname: 'redis-0', conditions: { ready: true } }], ports: [{ name: 'redis', port: 6379, protocol: 'TCP' }] });
  index.upsertSlice({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'kube-dns-x', namespace: 'kube-system', labels: { 'kubernetes.io/service-name': 'kube-dns' } }, addressType: 'IPv4', endpoints: [{ addresses: ['10.244.0.2'], conditions: { ready: true } }], ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] });
  const zone = new KubernetesZone(index);
  const asked: string[] = [];
  const query = zone.query.bind(zone);
  zone.query = (name, type) => {
    asked.push(`${type} ${name}`);
    return query(name, type);
  };
  return { zone, asked };
}

let net: ClusterNetwork;
let procs: ContainerProcess[];
let corednsLog: string;
let asked: string[];
let clusterZone: KubernetesZone;

function startContainer(image: string, podNet: PodNetwork | undefined, extra: Partial<ContainerConfig> = {}, name = 'client'): ContainerProcess & { output: () => string } {
  const lookup = runtime.lookup(image);
  if (!lookup.ok) throw new Error(lookup.message);
  let out = '';
  const proc = runtime.start({
    id: (++seq).toString(16).padStart(64, '0'),
    name,
    image: lookup.image,
    env: [],
    tty: false,
    stdin: false,
    pod: { namespace: 'default', name, uid: `uid-${seq}`, hostname: name, nodeName: 'kind-worker', podIP: podNet?.ip },
    net: podNet,
    clock,
    command: ['sleep', '3600'],
    stdout: (c) => (out += c),
    stderr: (c) => (out += c),
    ...extra,
  });
  procs.push(proc);
  return Object.assign(proc, { output: () => out });
}

async function run(proc: ContainerProcess, argv: string[]): Promise<{ code: number; stdout: string; stderr: string; all: string }> {
  let stdout = '';
  let stderr = '';
  let all = '';
  const code = await proc.exec!(argv, { stdout: (c) => ((stdout += c), (all += c)), stderr: (c) => ((stderr += c), (all += c)) });
  return { code, stdout, stderr, all };
}

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
};

beforeEach(async () => {
  procs = [];
  net = createClusterNetwork();
  const z = zoneWithObjects();
  asked = z.asked;
  clusterZone = z.zone;
  net.setRouter({
    route: (_proto, dst) => (dst.address === '10.96.0.10' && dst.port === 53 ? { endpoint: { address: '10.244.0.2', port: 53 } } : undefined),
  });
  const config = createEmptyDir(() => clock.now());
  config.writeFile('/Corefile', KUBEADM_COREFILE);
  const dns = startContainer('registry.k8s.io/coredns/coredns:v1.11.3', net.createPodNetwork('10.244.0.2', { namespace: 'kube-system', name: 'coredns-abc', uid: 'c', nodeName: 'kind-control-plane' }), {
    command: undefined,
    args: ['-conf', '/etc/coredns/Corefile'],
    mounts: [{ mountPath: '/etc/coredns', fs: config, readOnly: true }],
    clusterDns: z.zone,
  }, 'coredns');
  await settle();
  corednsLog = dns.output();
});

afterEach(() => {
  for (const p of procs) p.signal('SIGKILL');
});

describe('CoreDNS pod', () => {
  it('logs the real startup lines, with the SHA512 of the Corefile it read', () => {
    const sha = createHash('sha512').update(KUBEADM_COREFILE).digest('hex');
    expect(corednsLog).toBe(`.:53\n[INFO] plugin/reload: Running configuration SHA512 = ${sha}\nCoreDNS-1.11.3\nlinux/amd64, go1.21.11, a6338e9\n`);
  });

  it('reloads a changed Corefile within 30 s, logging as the reload plugin does', async () => {
    const config = createEmptyDir(() => clock.now());
    config.writeFile('/Corefile', KUBEADM_COREFILE);
    const c = startContainer('registry.k8s.io/coredns/coredns:v1.11.3', net.createPodNetwork('10.244.0.3', { namespace: 'kube-system', name: 'coredns-b', uid: 'cb', nodeName: 'w' }), { command: undefined, args: ['-conf', '/etc/coredns/Corefile'], mounts: [{ mountPath: '/etc/coredns', fs: config }], clusterDns: clusterZone }, 'coredns-b');
    await settle();
    clock.advance(30_000);
    await settle();
    expect(c.output().split('\n')).toHaveLength(5); // unchanged: nothing logged
    const changed = KUBEADM_COREFILE.replace('ttl 30', 'ttl 60');
    config.writeFile('/Corefile', changed);
    clock.advance(30_000);
    await settle();
    const sha = createHash('sha512').update(changed).digest('hex');
    expect(c.output()).toMatch(new RegExp(`\\[INFO\\] Reloading\\n\\[INFO\\] plugin/reload: Running configuration SHA512 = ${sha}\\n\\[INFO\\] Reloading complete\\n$`));
    // and answers with the new ttl
    const client = net.createPodNetwork('10.244.2.30', { namespace: 'default', name: 'c', uid: 'ttl', nodeName: 'w' });
    const m = decodeMessage((await client.request('10.244.0.3', 53, encodeMessage(makeQuery(5, 'redis.default.svc.cluster.local', TYPE.A))))!);
    expect(m.answers[0]).toMatchObject({ ttl: 60, address: '10.97.34.93' });
  });

  it('logs each query with the log plugin in the Corefile (the DNS debugging docs\' step)', async () => {
    const config = createEmptyDir(() => clock.now());
    config.writeFile('/Corefile', KUBEADM_COREFILE.replace('    errors\n', '    log\n    errors\n'));
    const c = startContainer('registry.k8s.io/coredns/coredns:v1.11.3', net.createPodNetwork('10.244.0.4', { namespace: 'kube-system', name: 'coredns-c', uid: 'cc', nodeName: 'w' }), { command: undefined, args: ['-conf', '/etc/coredns/Corefile'], mounts: [{ mountPath: '/etc/coredns', fs: config }], clusterDns: clusterZone }, 'coredns-c');
    await settle();
    const client = net.createPodNetwork('10.244.2.31', { namespace: 'default', name: 'c', uid: 'log', nodeName: 'w' });
    await client.request('10.244.0.4', 53, encodeMessage(makeQuery(17617, 'kubernetes.default.svc.cluster.local', TYPE.A)));
    await client.request('10.244.0.4', 53, encodeMessage(makeQuery(4242, 'example.com', TYPE.AAAA)));
    const lines = c.output().trimEnd().split('\n').slice(4);
    expect(lines[0]).toMatch(/^\[INFO\] 10\.244\.2\.31:\d+ - 17617 "A IN kubernetes\.default\.svc\.cluster\.local\. udp 54 false 512" NXDOMAIN qr,aa,rd \d+ \d+\.\d+s$/);
    expect(lines[1]).toMatch(/^\[INFO\] 10\.244\.2\.31:\d+ - 4242 "AAAA IN example\.com\. udp 29 false 512" NXDOMAIN qr,rd,ra \d+ \d+\.\d+s$/);
  });

  it('answers UDP queries at the kube-dns service address, authoritative, with the TTL of the Corefile', async () => {
    const client = net.createPodNetwork('10.244.2.9', { namespace: 'default', name: 'c', uid: 'x', nodeName: 'w' });
    const raw = await client.request('10.96.0.10', 53, encodeMessage(makeQuery(4242, 'redis.default.svc.cluster.local', TYPE.A)));
    const m = decodeMessage(raw!);
    expect(m).toMatchObject({ id: 4242, qr: true, aa: true, ra: false, rcode: 0 });
    expect(m.answers).toEqual([{ name: 'redis.default.svc.cluster.local', type: 'A', ttl: 30, class: 1, address: '10.97.34.93' }]);
    const nx = decodeMessage((await client.request('10.96.0.10', 53, encodeMessage(makeQuery(7, 'nope.default.svc.cluster.local', TYPE.A))))!);
    expect(nx.rcode).toBe(3);
    expect(nx.authorities[0]).toMatchObject({ type: 'SOA', name: 'cluster.local', mname: 'ns.dns.cluster.local', rname: 'hostmaster.cluster.local', minimum: 30 });
  });

  it('answers length-framed queries over TCP 53, several on one connection', async () => {
    const client = net.createPodNetwork('10.244.2.10', { namespace: 'default', name: 'c', uid: 'y', nodeName: 'w' });
    const conn = await client.connect('10.244.0.2', 53);
    const frame = (id: number, name: string) => {
      const q = encodeMessage(makeQuery(id, name, TYPE.A));
      return Buffer.concat([Buffer.from([q.length >> 8, q.length & 0xff]), q]);
    };
    const got: Buffer[] = [];
    conn.socket.on('data', (c: Buffer) => got.push(c));
    conn.socket.write(Buffer.concat([frame(1, 'redis.default.svc.cluster.local'), frame(2, 'kube-dns.kube-system.svc.cluster.local')]));
    await settle();
    const all = Buffer.concat(got);
    const first = all.readUInt16BE(0);
    const a = decodeMessage(all.subarray(2, 2 + first));
    const b = decodeMessage(all.subarray(4 + first, 4 + first + all.readUInt16BE(2 + first)));
    expect([a.id, (a.answers[0] as { address: string }).address]).toEqual([1, '10.97.34.93']);
    expect([b.id, (b.answers[0] as { address: string }).address]).toEqual([2, '10.96.0.10']);
    conn.socket.destroy();
  });
});

describe('a pod resolver (musl rules) over the network', () => {
  it('tries the search list first for names with fewer dots than ndots, A and AAAA together', async () => {
    const client = startContainer('busybox:1.36', net.createPodNetwork('10.244.2.11', { namespace: 'default', name: 'client', uid: 'z', nodeName: 'w' }));
    // the container's own resolver (ContainerHost.dns), reading its /etc/resolv.conf and /etc/hosts
    const resolver = (client as unknown as { dns: StubResolver }).dns;
    expect(resolver).toBeInstanceOf(StubResolver);
    asked.length = 0;
    expect(await resolver.lookup('redis.default')).toEqual({ fqdn: 'redis.default.svc.cluster.local', addresses: ['10.97.34.93'] });
    expect(asked).toEqual(['A redis.default.default.svc.cluster.local', 'AAAA redis.default.default.svc.cluster.local', 'A redis.default.svc.cluster.local', 'AAAA redis.default.svc.cluster.local']);
    // glibc (busybox's libc here): a name with ndots dots is tried as it is first, then searched
    asked.length = 0;
    expect(await resolver.lookup('a.b.c.d.example.com')).toBeUndefined();
    expect(asked.filter((a) => a.startsWith('A '))).toEqual(['A a.b.c.d.example.com', 'A a.b.c.d.example.com.default.svc.cluster.local', 'A a.b.c.d.example.com.svc.cluster.local', 'A a.b.c.d.example.com.cluster.local']);
    // musl (Alpine): only as it is
    const alpine = startContainer('alpine:3.20', net.createPodNetwork('10.244.2.18', { namespace: 'default', name: 'alp', uid: 'al', nodeName: 'w' }));
    asked.length = 0;
    expect(await (alpine as unknown as { dns: StubResolver }).dns.lookup('a.b.c.d.example.com')).toBeUndefined();
    expect(asked).toEqual(['A a.b.c.d.example.com', 'AAAA a.b.c.d.example.com']);
    expect(await resolver.lookup('client')).toEqual({ fqdn: 'client', addresses: ['10.244.2.11'] }); // /etc/hosts
    expect(await resolver.reverse('10.96.0.10')).toBe('kube-dns.kube-system.svc.cluster.local');
  });
});

describe('busybox nslookup through CoreDNS', () => {
  it('busybox 1.28 (uclibc): the Server/Address 1 format the Kubernetes docs show', async () => {
    const c = startContainer('busybox:1.28', net.createPodNetwork('10.244.2.12', { namespace: 'default', name: 'bb', uid: 'q', nodeName: 'w' }));
    await settle();
    const r = await run(c, ['nslookup', 'redis']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe('Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      redis\nAddress 1: 10.97.34.93 redis.default.svc.cluster.local\n');
    const nx = await run(c, ['nslookup', 'example.com']);
    expect(nx.code).toBe(1);
    expect(nx.stderr).toBe("nslookup: can't resolve 'example.com'\n");
  });

  it("the seed 001 backend (Alpine, musl): can't resolve '(null)' then the answer", async () => {
    const c = startContainer('c1524db4f1/kubernetes-tutorial-backend:v0.3.0', net.createPodNetwork('10.244.2.13', { namespace: 'default', name: 'backend', uid: 'b', nodeName: 'w' }));
    await settle();
    const r = await run(c, ['nslookup', 'redis']);
    expect(r.code).toBe(0);
    expect(r.all).toBe("nslookup: can't resolve '(null)': Name does not resolve\n\nName:      redis\nAddress 1: 10.97.34.93 redis.default.svc.cluster.local\n");
  });

  it('busybox 1.36: every search domain, A and AAAA, each reply as it comes', async () => {
    const c = startContainer('busybox:1.36', net.createPodNetwork('10.244.2.14', { namespace: 'default', name: 'bb2', uid: 'r', nodeName: 'w' }));
    await settle();
    const r = await run(c, ['nslookup', 'redis']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n' +
        'Name:\tredis.default.svc.cluster.local\nAddress: 10.97.34.93\n\n' +
        "** server can't find redis.svc.cluster.local: NXDOMAIN\n\n" +
        "** server can't find redis.cluster.local: NXDOMAIN\n\n" +
        '\n' +
        "** server can't find redis.svc.cluster.local: NXDOMAIN\n\n" +
        "** server can't find redis.cluster.local: NXDOMAIN\n\n",
    );
    const fq = await run(c, ['nslookup', 'redis-0.redis.default.svc.cluster.local']);
    expect(fq).toMatchObject({ code: 0, stdout: 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tredis-0.redis.default.svc.cluster.local\nAddress: 10.244.1.7\n\n\n' });
    const ptr = await run(c, ['nslookup', '10.96.0.10']);
    expect(ptr.stdout).toBe('Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n10.0.96.10.in-addr.arpa\tname = kube-dns.kube-system.svc.cluster.local\n\n');
    const nx = await run(c, ['nslookup', 'example.com']);
    // a name with a dot is sent as typed (no search list); busybox prints no "Non-authoritative" for errors
    expect(nx).toMatchObject({ code: 1, stdout: "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n** server can't find example.com: NXDOMAIN\n\n** server can't find example.com: NXDOMAIN\n\n" });
    const srv = await run(c, ['nslookup', '-type=srv', '_redis._tcp.redis.default.svc.cluster.local']);
    expect(srv.stdout).toContain('_redis._tcp.redis.default.svc.cluster.local\tservice = 0 100 6379 redis.default.svc.cluster.local\n');
  });

  it('busybox 1.29 (no search list, exit 0) and 1.32 (No answer for NODATA) as their releases print', async () => {
    const old = startContainer('busybox:1.29', net.createPodNetwork('10.244.2.16', { namespace: 'default', name: 'bb129', uid: 't', nodeName: 'w' }));
    await settle();
    expect(await run(old, ['nslookup', 'redis'])).toMatchObject({ code: 0, stdout: "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n** server can't find redis: NXDOMAIN\n\n** server can't find redis: NXDOMAIN\n\n" });
    const mid = startContainer('busybox:1.32', net.createPodNetwork('10.244.2.17', { namespace: 'default', name: 'bb132', uid: 'u', nodeName: 'w' }));
    await settle();
    const r = await run(mid, ['nslookup', 'redis']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("Name:\tredis.default.svc.cluster.local\nAddress: 10.97.34.93\n\n** server can't find redis.svc.cluster.local: NXDOMAIN\n\n** server can't find redis.cluster.local: NXDOMAIN\n\n*** Can't find redis.default.svc.cluster.local: No answer\n\n");
  });

  it('times out like busybox when no DNS server answers', async () => {
    net.setRouter({ route: () => ({ reject: 'no endpoints' }) });
    const c = startContainer('busybox:1.36', net.createPodNetwork('10.244.2.15', { namespace: 'default', name: 'bb3', uid: 's', nodeName: 'w' }));
    await settle();
    c.exec!(['sh', '-c', 'echo'], { stdout: () => {}, stderr: () => {} });
    const t0 = Date.now();
    const fsys = (c as unknown as { fs: import('../../../../src-main/runtime/vfs').ContainerFs }).fs;
    fsys.writeFile('/etc/resolv.conf', 'search default.svc.cluster.local\nnameserver 10.96.0.10\noptions ndots:5 timeout:1 attempts:1\n');
    const r = await run(c, ['nslookup', '-timeout=1', '-retry=1', 'redis']);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(r).toMatchObject({ code: 1, stdout: ';; connection timed out; no servers could be reached\n\n' });
  });
});

describe('getent, dig, host and BIND nslookup through CoreDNS', () => {
  it('getent hosts/ahosts in Debian (files, then DNS with the search list)', async () => {
    const c = startContainer('debian:12', net.createPodNetwork('10.244.2.20', { namespace: 'default', name: 'deb', uid: 'd', nodeName: 'w' }));
    await settle();
    expect(await run(c, ['getent', 'hosts', 'redis'])).toMatchObject({ code: 0, stdout: '10.97.34.93     redis.default.svc.cluster.local\n' });
    expect(await run(c, ['getent', 'hosts', 'localhost'])).toMatchObject({ code: 0, stdout: '::1             localhost ip6-localhost ip6-loopback\n' });
    expect(await run(c, ['getent', 'ahostsv4', 'kube-dns.kube-system'])).toMatchObject({ code: 0, stdout: '10.96.0.10      STREAM kube-dns.kube-system.svc.cluster.local\n10.96.0.10      DGRAM  \n10.96.0.10      RAW    \n' });
    expect(await run(c, ['getent', 'hosts', '10.96.0.10'])).toMatchObject({ code: 0, stdout: '10.96.0.10      kube-dns.kube-system.svc.cluster.local\n' });
    expect(await run(c, ['getent', 'hosts', 'example.com'])).toMatchObject({ code: 2, stdout: '' });
    expect((await run(c, ['dig', 'redis'])).code).toBe(127); // no dnsutils in debian:12
  });

  it('the docs dnsutils image: BIND nslookup, dig and host', async () => {
    const c = startContainer('registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3', net.createPodNetwork('10.244.2.21', { namespace: 'default', name: 'dnsutils', uid: 'e', nodeName: 'w' }), { command: ['sleep', 'infinity'] });
    await settle();
    expect(await run(c, ['nslookup', 'kube-dns.kube-system'])).toMatchObject({ code: 0, stdout: 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tkube-dns.kube-system.svc.cluster.local\nAddress: 10.96.0.10\n\n' });
    expect(await run(c, ['nslookup', 'nothing-here'])).toMatchObject({ code: 1, stdout: "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n** server can't find nothing-here: NXDOMAIN\n\n" });
    const d = await run(c, ['dig', 'redis.default.svc.cluster.local']);
    expect(d.code).toBe(0);
    expect(d.stdout).toContain('; <<>> DiG 9.9.5-9+deb8u19-Debian <<>> redis.default.svc.cluster.local\n');
    expect(d.stdout).toContain(';; WARNING: recursion requested but not available\n');
    expect(d.stdout).toMatch(/;; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: \d+\n;; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 0\n/);
    // BIND's columns: 24 (TTL), 32 (class), 40 (type), 48 (data); a tab reaches one, a space follows a field past it
    expect(d.stdout).toContain(';; QUESTION SECTION:\n;redis.default.svc.cluster.local. IN\tA\n\n;; ANSWER SECTION:\nredis.default.svc.cluster.local. 30 IN\tA\t10.97.34.93\n');
    expect(d.stdout).toContain(';; SERVER: 10.96.0.10#53(10.96.0.10)\n');
    expect(await run(c, ['dig', '+short', 'SRV', '_redis._tcp.redis.default.svc.cluster.local'])).toMatchObject({ code: 0, stdout: '0 100 6379 redis.default.svc.cluster.local.\n' });
    expect(await run(c, ['dig', '+short', '-x', '10.96.0.10'])).toMatchObject({ stdout: 'kube-dns.kube-system.svc.cluster.local.\n' });
    const nx = await run(c, ['dig', 'nope.default.svc.cluster.local']);
    expect(nx.stdout).toContain('status: NXDOMAIN');
    expect(nx.stdout).toMatch(/;; AUTHORITY SECTION:\ncluster\.local\.\t\t30\tIN\tSOA\tns\.dns\.cluster\.local\. hostmaster\.cluster\.local\. \d+ 7200 1800 86400 30\n/);
    expect(await run(c, ['host', 'redis'])).toMatchObject({ code: 0, stdout: 'redis.default.svc.cluster.local has address 10.97.34.93\n' });
    expect(await run(c, ['host', '10.96.0.10'])).toMatchObject({ code: 0, stdout: '10.0.96.10.in-addr.arpa domain name pointer kube-dns.kube-system.svc.cluster.local.\n' });
    expect(await run(c, ['host', 'example.com'])).toMatchObject({ code: 1, stdout: 'Host example.com not found: 3(NXDOMAIN)\n' });
  });
});
