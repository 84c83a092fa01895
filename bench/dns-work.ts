/**
 * The DNS benchmark's work, bundled by bench/dns.mjs: an API server over SQLite with the bootstrap
 * objects (kube-dns at 10.96.0.10), the real service proxy routing on a real cluster network, the
 * cluster DNS zone kept by informers, a CoreDNS container (the image's program, UDP 53 in its pod)
 * behind kube-dns, and a busybox client pod whose own resolver (ContainerHost.dns: resolv.conf
 * search list, ndots 5, A+AAAA per try) resolves service names. Each lookup is the whole path:
 * resolver → UDP datagram to 10.96.0.10 → service proxy → CoreDNS pod → zone → answer decoded.
 */
import { join } from 'node:path';
import { SqliteStore } from '../src-main/storage/sqlite-store';
import { createApiServer } from '../src-main/apiserver/server';
import { KubeClient, R, SharedInformerFactory, realClock } from '../src-main/client';
import { bootstrapObjects } from '../src-main/bootstrap/objects';
import { KUBEADM_COREFILE } from '../src-main/bootstrap/coredns';
import { Fabric } from '../src-main/network/fabric';
import { startServiceProxy } from '../src-main/network/service-proxy';
import { startClusterDnsZone } from '../src-main/network/dns';
import { createContainerRuntime, createEmptyDir } from '../src-main/runtime';
import type { ContainerConfig, DnsClient } from '../src-main/runtime/types';

const ADMIN = { name: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };
const COREDNS_IP = '10.244.0.2';

export interface DnsBenchOptions {
  dir: string;
  lookups: number;
  concurrency: number;
  log?: (line: string) => void;
}

export async function run(o: DnsBenchOptions): Promise<Record<string, number>> {
  const log = o.log ?? (() => {});
  const store = SqliteStore.open({ path: join(o.dir, 'kubesim.db') });
  const server = createApiServer(store);
  const client = new KubeClient(server.handler, ADMIN, { fieldManager: 'bench' });
  const stops: (() => unknown)[] = [];
  // the network's UDP timers are unref'd: keep the process alive while queries are in flight
  const keepAlive = setInterval(() => {}, 1000);
  stops.push(() => clearInterval(keepAlive));
  try {
    await bootstrapObjects(client);
    await client.create(R.endpointslices, 'kube-system', {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'kube-dns-bench', labels: { 'kubernetes.io/service-name': 'kube-dns' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: [COREDNS_IP], conditions: { ready: true } }],
      ports: [{ name: 'dns', port: 53, protocol: 'UDP' }],
    });
    for (let i = 0; i < 50; i++) {
      await client.create(R.services, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: `svc-${i}` }, spec: { selector: { app: `a${i}` }, ports: [{ name: 'http', port: 80 }] } });
    }
    const network = new Fabric();
    const proxy = await startServiceProxy({ client, network, clock: realClock });
    stops.push(() => proxy.stop());
    const informers = new SharedInformerFactory(client, { clock: realClock });
    const dns = startClusterDnsZone(informers, { start: true });
    stops.push(() => informers.stop());
    await dns.synced;

    const runtime = createContainerRuntime();
    const start = (image: string, name: string, ip: string, namespace: string, extra: Partial<ContainerConfig>) => {
      const lookup = runtime.lookup(image);
      if (!lookup.ok) throw new Error(lookup.message);
      const net = network.createPodNetwork(ip, { namespace, name, uid: name, nodeName: 'kind-worker' });
      const proc = runtime.start({
        id: name.padEnd(64, '0').slice(0, 64),
        name,
        image: lookup.image,
        env: [],
        tty: false,
        stdin: false,
        pod: { namespace, name, uid: name, hostname: name, nodeName: 'kind-worker', podIP: ip },
        net,
        clock: realClock,
        stdout: () => {},
        stderr: () => {},
        ...extra,
      });
      stops.push(() => proc.signal('SIGKILL'));
      return proc;
    };
    const corefile = createEmptyDir();
    corefile.writeFile('/Corefile', KUBEADM_COREFILE);
    start('registry.k8s.io/coredns/coredns:v1.11.3', 'coredns-bench', COREDNS_IP, 'kube-system', { args: ['-conf', '/etc/coredns/Corefile'], mounts: [{ mountPath: '/etc/coredns', fs: corefile, readOnly: true }], clusterDns: dns.zone });
    const clientPod = start('busybox:1.36', 'dns-client', '10.244.1.10', 'default', { command: ['sleep', '3600'] });
    const resolver = (clientPod as unknown as { dns: DnsClient }).dns;

    // wait until the proxy routes 10.96.0.10 and CoreDNS answers
    for (let i = 0; ; i++) {
      const r = await resolver.lookup('svc-0', []);
      if (r) break;
      if (i > 50) throw new Error('CoreDNS never answered through kube-dns');
      await new Promise((res) => setTimeout(res, 50));
    }
    const warm = await resolver.lookup('kube-dns.kube-system', []);
    log(`kube-dns.kube-system → ${warm?.fqdn} ${warm?.addresses.join(',')}`);

    let next = 0;
    let failed = 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: o.concurrency }, async () => {
        for (let i = next++; i < o.lookups; i = next++) {
          const r = await resolver.lookup(`svc-${i % 50}`, []);
          if (!r) failed++;
        }
      }),
    );
    const s = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuS = (cpu.user + cpu.system) / 1e6;
    if (failed) log(`${failed} lookups failed`);
    // on a shared machine the wall figure follows the load; CPU seconds say what the path costs
    log(`${o.lookups} lookups (A+AAAA each, first search domain) in ${s.toFixed(2)} s wall, ${cpuS.toFixed(2)} s CPU (${Math.round(o.lookups / cpuS)} lookups per CPU second)`);
    return { dns_lookups_per_s: Math.round((o.lookups - failed) / s) };
  } finally {
    for (const stop of stops.reverse()) await stop();
    server.close?.();
    store.close();
  }
}
