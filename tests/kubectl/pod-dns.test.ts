/**
 * What a pod sees of its own name and resolver, as the kubelet sets it up (kubelet_pods.go's
 * hosts file, network/dns/dns.go's resolv.conf per dnsPolicy), read with real `kubectl exec`:
 * hostAliases, hostname/subdomain/setHostnameAsFQDN, dnsPolicy None + dnsConfig, Default (the kind
 * node's resolv.conf), hostNetwork + ClusterFirstWithHostNet, and a StatefulSet pod resolving its
 * own stable name (`redis-0.redis`) through the search path.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useServe } from './harness';
import { getJson, rows, waitFor } from './workloads-helpers';

const OWN = join(__dirname, 'fixtures/pod-dns');
const s = useServe();

const LOCAL = '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n';
const CLUSTER_FIRST = 'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n';
const NODE_RESOLV = 'nameserver 172.18.0.1\noptions edns0 trust-ad ndots:0\n';

const exec = (pod: string, ...cmd: string[]): string => s.ok(['exec', pod, '--', ...cmd]);
const running = (pod: string) => waitFor(`${pod} Running`, () => rows(s, ['pod', pod])[1]?.[2] === 'Running', 60_000);

describe('pod hostname, /etc/hosts and /etc/resolv.conf', () => {
  it('creates the pods', async () => {
    s.ok(['create', '-f', join(OWN, 'pods.yaml')]);
    for (const p of ['aliases', 'fqdn', 'dflt', 'hostnet']) await running(p);
  });

  it('a ClusterFirst pod with hostAliases: the managed hosts file and the cluster search path', () => {
    const ip = getJson(s, ['pod', 'aliases']).status.podIP as string;
    expect(exec('aliases', 'cat', '/etc/hosts')).toBe(
      `# Kubernetes-managed hosts file.\n${LOCAL}${ip}\taliases\n\n# Entries added by HostAliases.\n127.0.0.1\tfoo.local\tbar.local\n10.1.2.3\tfoo.remote\n`,
    );
    expect(exec('aliases', 'cat', '/etc/resolv.conf')).toBe(CLUSTER_FIRST);
    expect(exec('aliases', 'hostname')).toBe('aliases\n');
    expect(exec('aliases', 'cat', '/etc/hostname')).toBe('aliases\n');
    expect(exec('aliases', 'hostname', '-f')).toBe('aliases\n');
    expect(exec('aliases', 'hostname', '-d')).toBe('');
  });

  it('hostname + subdomain + setHostnameAsFQDN, dnsPolicy None with dnsConfig', () => {
    const ip = getJson(s, ['pod', 'fqdn']).status.podIP as string;
    expect(exec('fqdn', 'hostname')).toBe('h1.sub.default.svc.cluster.local\n');
    expect(exec('fqdn', 'sh', '-c', 'echo $HOSTNAME')).toBe('h1.sub.default.svc.cluster.local\n');
    expect(exec('fqdn', 'hostname', '-s')).toBe('h1\n');
    expect(exec('fqdn', 'hostname', '-d')).toBe('sub.default.svc.cluster.local\n');
    expect(exec('fqdn', 'cat', '/etc/hosts')).toBe(`# Kubernetes-managed hosts file.\n${LOCAL}${ip}\th1.sub.default.svc.cluster.local\th1\n`);
    expect(exec('fqdn', 'cat', '/etc/resolv.conf')).toBe('search ns1.svc.cluster-domain.example my.dns.search.suffix\nnameserver 192.0.2.1\noptions ndots:2 edns0\n');
  });

  it('dnsPolicy Default: the node resolv.conf (kind: the docker network gateway)', () => {
    expect(exec('dflt', 'cat', '/etc/resolv.conf')).toBe(NODE_RESOLV);
    const r = s.kubectl(['exec', 'dflt', '--', 'nslookup', 'kubernetes.default']);
    // In kind, Docker's DNS answers at the gateway; kubesim has no upstream there: busybox times out.
    expect([r.code, r.stdout]).toEqual([1, ';; connection timed out; no servers could be reached\n\n']);
  });

  it('setHostnameAsFQDN with an FQDN over 64 characters: the sandbox is not created (FailedCreatePodSandBox)', async () => {
    const fqdn = `${'h'.repeat(40)}.sub.default.svc.cluster.local`;
    await waitFor('FailedCreatePodSandBox', () =>
      s.ok(['get', 'events', '--field-selector', 'involvedObject.name=toolong', '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}']).includes(
        `FailedCreatePodSandBox: Failed to create pod sandbox: failed to construct FQDN from pod hostname and cluster domain, FQDN ${fqdn} is too long (64 characters is the max, ${fqdn.length} characters requested)\n`,
      ),
    );
    expect(rows(s, ['pod', 'toolong'])[1]?.[2]).toBe('ContainerCreating');
  });

  it('hostNetwork: the node name, the node hosts file; ClusterFirstWithHostNet keeps the cluster resolver', () => {
    const hostIP = getJson(s, ['pod', 'hostnet']).status.hostIP as string;
    expect(exec('hostnet', 'hostname')).toBe('kubesim-worker\n');
    expect(exec('hostnet', 'cat', '/etc/hosts')).toBe(
      `# Kubernetes-managed hosts file (host network).\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n${hostIP}\tkubesim-worker\n`,
    );
    expect(exec('hostnet', 'hostname', '-i')).toBe(`${hostIP}\n`);
    expect(exec('hostnet', 'cat', '/etc/resolv.conf')).toBe(CLUSTER_FIRST);
  });

  it('a StatefulSet pod: its FQDN in /etc/hosts, `nslookup redis-0.redis` through the search path', async () => {
    s.ok(['create', '-f', join(OWN, 'redis-statefulset.yaml')]);
    await waitFor('redis-0 2/2 Running', () => rows(s, ['pod', 'redis-0'])[1]?.[1] === '2/2', 60_000);
    const ip = getJson(s, ['pod', 'redis-0']).status.podIP as string;
    const sh = (cmd: string) => s.kubectl(['exec', 'redis-0', '-c', 'shell', '--', 'sh', '-c', cmd]);
    expect(sh('cat /etc/hosts').stdout).toBe(`# Kubernetes-managed hosts file.\n${LOCAL}${ip}\tredis-0.redis.default.svc.cluster.local\tredis-0\n`);
    expect(sh('hostname; hostname -f; hostname -d').stdout).toBe('redis-0\nredis-0.redis.default.svc.cluster.local\nredis.default.svc.cluster.local\n');
    // the endpoint (hostname redis-0 under the headless service) is published once the pod is ready
    let r = sh('nslookup redis-0.redis');
    await waitFor('redis-0.redis resolves', () => (r = sh('nslookup redis-0.redis')).code === 0, 30_000, () => r.stdout + r.stderr);
    expect(r.stdout).toContain(`Name:      redis-0.redis\nAddress 1: ${ip} redis-0.redis.default.svc.cluster.local\n`);
  });
});
