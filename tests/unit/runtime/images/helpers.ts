/** Containers of the runtime with a pod network, volumes and a terminal, for the image tests. */
import { request } from 'node:http';
import { FakeClock } from '../../../../src-main/client/clock';
import { createClusterNetwork } from '../../../../src-main/network';
import type { ClusterDnsZone, ClusterNetwork, PodNetwork } from '../../../../src-main/network/types';
import { createEmptyDir } from '../../../../src-main/runtime';
import type { ContainerConfig, ContainerExit, ContainerProcess, EnvVar, VolumeMount } from '../../../../src-main/runtime/types';
import type { HttpRequest, HttpResponse } from '../../../../src-main/runtime/types';
import { runtime, settle } from '../harness';

export { settle, advance } from '../harness';

export interface Box {
  proc: ContainerProcess;
  clock: FakeClock;
  out: string[];
  err: string[];
  text(): string;
  exit(): Promise<ContainerExit>;
  /** Calls the container's HTTP handler on `port` (the first listener on it). */
  http(req: Partial<HttpRequest> & { path: string }, port?: number): Promise<HttpResponse>;
}

let seq = 0;
export const T0 = Date.UTC(2026, 10, 23, 10, 0, 0);

export function boot(
  image: string,
  opts: {
    command?: string[];
    args?: string[];
    env?: EnvVar[];
    clock?: FakeClock;
    hostname?: string;
    mounts?: VolumeMount[];
    net?: PodNetwork;
    clusterDns?: ContainerConfig['clusterDns'];
    dnsClient?: ContainerConfig['dnsClient'];
    ports?: ContainerConfig['ports'];
    tty?: boolean;
  } = {},
): Box {
  const lookup = runtime.lookup(image);
  if (!lookup.ok) throw new Error(lookup.message);
  const clock = opts.clock ?? new FakeClock(T0);
  const out: string[] = [];
  const err: string[] = [];
  const all: string[] = [];
  const proc = runtime.start({
    id: (++seq).toString(16).padStart(64, 'a'),
    name: 'c',
    image: lookup.image,
    command: opts.command,
    args: opts.args,
    env: opts.env ?? [],
    tty: opts.tty ?? false,
    stdin: false,
    pod: { namespace: 'default', name: opts.hostname ?? 'mypod', uid: 'u', hostname: opts.hostname ?? 'mypod', nodeName: 'worker', podIP: opts.net?.ip },
    mounts: opts.mounts,
    net: opts.net,
    clusterDns: opts.clusterDns,
    dnsClient: opts.dnsClient,
    ports: opts.ports,
    clock,
    stdout: (c) => {
      out.push(c);
      all.push(c);
    },
    stderr: (c) => {
      err.push(c);
      all.push(c);
    },
  });
  return {
    proc,
    clock,
    out,
    err,
    text: () => all.join(''),
    exit: () => proc.exited,
    http: (req, port = 80) => {
      const l = proc.listeners!().find((x) => x.port === port && x.http);
      if (!l) throw new Error(`nothing answers HTTP on ${port}`);
      return Promise.resolve(l.http!({ method: 'GET', headers: { host: '10.244.1.5', 'user-agent': 'curl/8.5.0', accept: '*/*' }, remoteAddress: '::ffff:10.244.0.1', httpVersion: '1.1', ...req }));
    },
  };
}

/** A cluster network with pod namespaces on demand. */
export function network(): { fabric: ClusterNetwork; pod(ip: string, name: string): PodNetwork } {
  const fabric = createClusterNetwork();
  return { fabric, pod: (ip, name) => fabric.createPodNetwork(ip, { namespace: 'default', name, uid: name, nodeName: 'worker' }) };
}

/**
 * Cluster DNS for a test network: the CoreDNS image on 10.244.0.10 answering `names` (FQDN → IP)
 * and the service route 10.96.0.10:53 → it, so containers' resolvers (resolv.conf) work.
 */
export function clusterDns(net: ReturnType<typeof network>, names: Record<string, string>): Box {
  const corefile = createEmptyDir();
  corefile.writeFile('/Corefile', '.:53 {\n    kubernetes cluster.local in-addr.arpa ip6.arpa\n}\n');
  const zone: ClusterDnsZone = {
    query: (name, type) => {
      const ip = names[name];
      if (!ip) return { rcode: 'NXDOMAIN', answers: [], authority: 'cluster.local' };
      return { rcode: 'NOERROR', answers: type === 'A' ? [{ name, type: 'A', ttl: 30, address: ip }] : [], authority: 'cluster.local' };
    },
  };
  net.fabric.setRouter({
    route: (_proto, dst) => (dst.address === '10.96.0.10' && dst.port === 53 ? { endpoint: { address: '10.244.0.10', port: 53 } } : undefined),
  });
  return boot('registry.k8s.io/coredns/coredns:v1.11.3', { args: ['-conf', '/etc/coredns/Corefile'], mounts: [{ mountPath: '/etc/coredns', fs: corefile }], net: net.pod('10.244.0.10', 'coredns'), clusterDns: zone, hostname: 'coredns' });
}

/** A real HTTP/1.1 request over the cluster network from a node (node's http client on the virtual socket). */
export async function wireGet(fabric: ClusterNetwork, host: string, port: number, path: string, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const conn = await fabric.connectFromNode('10.0.0.1', host, port);
  return new Promise((resolve, reject) => {
    const req = request({ method, path, host, port, createConnection: () => conn.socket as never, headers: { 'user-agent': 'curl/8.5.0', accept: '*/*' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        conn.socket.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Waits until `cond` holds, letting programs run. */
export async function until(cond: () => boolean, rounds = 200): Promise<void> {
  for (let i = 0; i < rounds && !cond(); i++) {
    await settle(2);
    await new Promise((r) => setTimeout(r, 2));
  }
  if (!cond()) throw new Error('condition not reached');
}
