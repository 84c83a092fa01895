/**
 * A small real cluster network for runtime tests: the fabric from network/fabric.ts, pods started
 * in their own namespaces, services as fixed VIP → pod routes, and a name table standing in for
 * the cluster DNS.
 */
import { Fabric } from '../../../../src-main/network/fabric';
import type { Endpoint } from '../../../../src-main/network/types';
import type { DnsClient, EnvVar } from '../../../../src-main/runtime/types';
import { FakeClock } from '../../../../src-main/client/clock';
import { serveDnsPacket } from '../../../../src-main/runtime/dns/server';
import { start, type Started } from '../harness';

export interface TestCluster {
  fabric: Fabric;
  clock: FakeClock;
  names: Record<string, string>;
  dns: DnsClient;
  /** Starts `image` in a new pod with IP `ip`. */
  pod(image: string, ip: string, opts?: { command?: string[]; args?: string[]; env?: EnvVar[]; hostname?: string }): Started;
  /** A ClusterIP service: `vip:port` → `target`. */
  service(vip: string, port: number, target: Endpoint): void;
  stop(): void;
}

/**
 * `names` is served as the cluster DNS: a UDP server at 10.244.0.10:53 behind the kube-dns VIP
 * 10.96.0.10 (the runtime's resolver queries it like any pod's resolver).
 */
export function testCluster(): TestCluster {
  const fabric = new Fabric();
  const clock = new FakeClock(Date.UTC(2026, 10, 23, 10, 0, 0));
  const services = new Map<string, Endpoint>();
  fabric.setRouter({
    route: (_proto, dst) => {
      const e = services.get(`${dst.address}:${dst.port}`);
      if (e) return { endpoint: e };
      if (dst.address === '10.96.0.10' && dst.port === 53) return { endpoint: { address: '10.244.0.10', port: 53 } };
      return [...services.keys()].some((k) => k.startsWith(`${dst.address}:`)) ? { reject: 'no endpoints' } : undefined;
    },
  });
  const names: Record<string, string> = {};
  const dnsPod = fabric.createPodNetwork('10.244.0.10', { namespace: 'kube-system', name: 'coredns', uid: 'dns', nodeName: 'worker' });
  const zone = {
    query: (name: string, type: string) =>
      names[name] && (type === 'A' || type === 'ANY') ? { rcode: 'NOERROR' as const, answers: [{ name, type: 'A' as const, ttl: 30, address: names[name]! }] } : { rcode: names[name] ? ('NOERROR' as const) : ('NXDOMAIN' as const), answers: [], authority: 'cluster.local' },
  };
  dnsPod.bindUdp(53, (d) => {
    const answer = serveDnsPacket(zone, d.data, { transport: 'udp' });
    if (answer) d.reply(answer);
  });
  const dns: DnsClient = {
    lookup: async (name, search) => {
      for (const fqdn of [name, ...search.map((d) => `${name}.${d}`)]) if (names[fqdn]) return { fqdn, addresses: [names[fqdn]!] };
      return undefined;
    },
    reverse: async () => undefined,
  };
  const started: Started[] = [];
  let n = 0;
  return {
    fabric,
    clock,
    names,
    dns,
    pod(image, ip, opts = {}) {
      const hostname = opts.hostname ?? `pod-${ip.split('.').pop()}`;
      const net = fabric.createPodNetwork(ip, { namespace: 'default', name: hostname, uid: `uid-${ip}`, nodeName: 'worker' });
      const s = start(image, { ...opts, hostname, clock, net, dnsClient: dns, id: (++n).toString(16).padStart(64, 'e') });
      started.push(s);
      return s;
    },
    service(vip, port, target) {
      services.set(`${vip}:${port}`, target);
    },
    stop() {
      for (const s of started) s.proc.signal('SIGKILL');
      dnsPod.close();
    },
  };
}
