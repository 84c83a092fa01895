import { describe, expect, it } from 'vitest';
import { formatResolvConf, parseHostResolvConf, podDnsConfig, podHostsFile, podUtsHostname, type PodDnsSpec } from '../../../src-main/kubelet/pod-dns';

const NODE = { name: 'kubesim-worker', ip: '172.18.0.3' };
const pod = (spec: PodDnsSpec['spec'] = {}, name = 'web', namespace = 'default'): PodDnsSpec => ({ metadata: { name, namespace }, spec });
const resolv = (p: PodDnsSpec) => formatResolvConf(podDnsConfig(p).config);

const LOCAL = '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n';

describe('pod /etc/hosts (kubelet managedHostsFileContent / nodeHostsFileContent)', () => {
  it('a plain pod: the localhost lines and <podIP>\\t<pod name>', () => {
    expect(podHostsFile(pod(), ['10.244.1.5'], NODE)).toBe(`# Kubernetes-managed hosts file.\n${LOCAL}10.244.1.5\tweb\n`);
  });

  it('hostname + subdomain (a StatefulSet pod): the FQDN, then the short name', () => {
    const p = pod({ hostname: 'redis-0', subdomain: 'redis' }, 'redis-0', 'shop');
    expect(podHostsFile(p, ['10.244.2.7'], NODE)).toBe(`# Kubernetes-managed hosts file.\n${LOCAL}10.244.2.7\tredis-0.redis.shop.svc.cluster.local\tredis-0\n`);
  });

  it('hostAliases: one line per IP after a blank line and the HostAliases header', () => {
    const p = pod({ hostAliases: [{ ip: '127.0.0.1', hostnames: ['foo.local', 'bar.local'] }, { ip: '10.1.2.3', hostnames: ['foo.remote'] }] });
    expect(podHostsFile(p, ['10.244.1.5'], NODE)).toBe(
      `# Kubernetes-managed hosts file.\n${LOCAL}10.244.1.5\tweb\n\n# Entries added by HostAliases.\n127.0.0.1\tfoo.local\tbar.local\n10.1.2.3\tfoo.remote\n`,
    );
  });

  it('hostNetwork: the node file (Docker-written) under the host-network header, aliases appended', () => {
    const p = pod({ hostNetwork: true, hostAliases: [{ ip: '1.2.3.4', hostnames: ['x'] }] });
    expect(podHostsFile(p, ['172.18.0.3'], NODE)).toBe(
      '# Kubernetes-managed hosts file (host network).\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n172.18.0.3\tkubesim-worker\n\n# Entries added by HostAliases.\n1.2.3.4\tx\n',
    );
  });

  it('a pod name over 63 characters is cut, trailing dashes dropped', () => {
    const long = 'a'.repeat(62) + '-b';
    expect(podHostsFile(pod({}, long), ['10.0.0.1'], NODE)).toContain(`10.0.0.1\t${'a'.repeat(62)}\n`);
  });
});

describe('pod hostname (UTS namespace)', () => {
  it('pod name, spec.hostname, node name on the host network', () => {
    expect(podUtsHostname(pod(), 'kubesim-worker')).toBe('web');
    expect(podUtsHostname(pod({ hostname: 'h1' }), 'kubesim-worker')).toBe('h1');
    expect(podUtsHostname(pod({ hostname: 'h1', hostNetwork: true }), 'kubesim-worker')).toBe('kubesim-worker');
  });

  it('setHostnameAsFQDN: the FQDN with a subdomain, the short name without', () => {
    expect(podUtsHostname(pod({ hostname: 'h1', subdomain: 'sub', setHostnameAsFQDN: true }), 'n')).toBe('h1.sub.default.svc.cluster.local');
    expect(podUtsHostname(pod({ hostname: 'h1', subdomain: 'sub' }), 'n')).toBe('h1');
    expect(podUtsHostname(pod({ hostname: 'h1', setHostnameAsFQDN: true }), 'n')).toBe('h1');
  });

  it('an FQDN over 64 characters: the kubelet error text', () => {
    const p = pod({ hostname: 'h'.repeat(40), subdomain: 'sub', setHostnameAsFQDN: true });
    const fqdn = `${'h'.repeat(40)}.sub.default.svc.cluster.local`;
    expect(() => podUtsHostname(p, 'n')).toThrow(
      `failed to construct FQDN from pod hostname and cluster domain, FQDN ${fqdn} is too long (64 characters is the max, ${fqdn.length} characters requested)`,
    );
  });
});

describe('pod /etc/resolv.conf per dnsPolicy (kubelet GetPodDNS, containerd layout)', () => {
  const CLUSTER = 'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n';
  const NODE_DNS = 'nameserver 172.18.0.1\noptions edns0 trust-ad ndots:0\n';

  it('ClusterFirst (also the default) and ClusterFirstWithHostNet', () => {
    expect(resolv(pod())).toBe(CLUSTER);
    expect(resolv(pod({ dnsPolicy: 'ClusterFirst' }))).toBe(CLUSTER);
    expect(resolv(pod({ dnsPolicy: 'ClusterFirstWithHostNet', hostNetwork: true }))).toBe(CLUSTER);
    expect(resolv(pod({}, 'x', 'kube-system'))).toBe(CLUSTER.replace('default.svc', 'kube-system.svc'));
  });

  it('Default and hostNetwork + ClusterFirst: the node resolv.conf (search "." dropped)', () => {
    expect(resolv(pod({ dnsPolicy: 'Default' }))).toBe(NODE_DNS);
    expect(resolv(pod({ dnsPolicy: 'ClusterFirst', hostNetwork: true }))).toBe(NODE_DNS);
    expect(parseHostResolvConf('nameserver 1.1.1.1\nsearch example.com. .\n')).toEqual({ servers: ['1.1.1.1'], searches: ['example.com'], options: [] });
  });

  it('None + dnsConfig: only what the pod asks for', () => {
    const p = pod({
      dnsPolicy: 'None',
      dnsConfig: { nameservers: ['192.0.2.1'], searches: ['ns1.svc.cluster-domain.example', 'my.dns.search.suffix'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] },
    });
    expect(resolv(p)).toBe('search ns1.svc.cluster-domain.example my.dns.search.suffix\nnameserver 192.0.2.1\noptions ndots:2 edns0\n');
  });

  it('ClusterFirst + dnsConfig: appended without duplicates, options merged by name', () => {
    const p = pod({ dnsConfig: { nameservers: ['10.96.0.10', '8.8.8.8'], searches: ['svc.cluster.local', 'corp.example'], options: [{ name: 'ndots', value: '1' }, { name: 'single-request-reopen' }] } });
    expect(resolv(p)).toBe(
      'search default.svc.cluster.local svc.cluster.local cluster.local corp.example\nnameserver 10.96.0.10\nnameserver 8.8.8.8\noptions ndots:1 single-request-reopen\n',
    );
  });

  it('limits: 3 nameservers, 32 search paths, 2048 characters, with DNSConfigForming warnings', () => {
    const ns = podDnsConfig(pod({ dnsConfig: { nameservers: ['1.1.1.1', '2.2.2.2', '3.3.3.3'] } }));
    expect(ns.config.servers).toEqual(['10.96.0.10', '1.1.1.1', '2.2.2.2']);
    expect(ns.warnings).toEqual(['Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 10.96.0.10 1.1.1.1 2.2.2.2']);
    const many = Array.from({ length: 40 }, (_, i) => `s${i}.example`);
    const s = podDnsConfig(pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'], searches: many } }));
    expect(s.config.searches).toEqual(many.slice(0, 32));
    expect(s.warnings).toEqual([`Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${many.slice(0, 32).join(' ')}`]);
    const long = Array.from({ length: 10 }, (_, i) => `${String(i)}${'x'.repeat(249)}`);
    const l = podDnsConfig(pod({ dnsPolicy: 'None', dnsConfig: { searches: [...long, 'y'.repeat(254)] } }));
    expect(l.config.searches).toEqual(long.slice(0, 8));
    expect(l.warnings).toHaveLength(1);
    expect(podDnsConfig(pod()).warnings).toEqual([]);
  });
});
