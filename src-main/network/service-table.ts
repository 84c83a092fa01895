/**
 * kube-proxy's rule tables, kept incrementally: a Service or one of its EndpointSlices changing
 * recomputes that service's entries only. `route()` is what the iptables/nftables rules decide for
 * one new connection:
 * - `<clusterIP>:<port>` → a ready endpoint, at random or by ClientIP session affinity;
 * - `<nodeIP>:<nodePort>` (and externalIPs / non-loopback load-balancer IPs) → the same, but with
 *   externalTrafficPolicy `Local` only endpoints on the receiving node (client address kept) and
 *   with `Cluster` any endpoint, the source masqueraded to the node's IP;
 * - internalTrafficPolicy `Local`: ClusterIP traffic only to endpoints on the client's node;
 * - headless and ExternalName services have no virtual IP; unready or terminating endpoints never
 *   get traffic; a port without endpoints rejects (`connection refused`).
 * Named targetPorts need no work here: the EndpointSlice controller already resolved them per pod
 * (each slice carries the numbers for its endpoints under the service port's name).
 */
import type { KubeObject } from '../api/types';
import type { Endpoint } from './types';

/** Upstream's default for sessionAffinityConfig.clientIP.timeoutSeconds (3 hours). */
export const DEFAULT_AFFINITY_SECONDS = 10800;

export interface Backend extends Endpoint {
  nodeName?: string;
}

type Protocol = 'TCP' | 'UDP' | 'SCTP';

interface ServicePort {
  name: string;
  protocol: Protocol;
  port: number;
  nodePort?: number;
}

interface ServiceInfo {
  key: string;
  type: string;
  clusterIPs: string[];
  ports: ServicePort[];
  affinitySeconds?: number;
  externalLocal: boolean;
  internalLocal: boolean;
  externalIPs: string[];
}

/** One service port's rule chain. */
export interface PortEntry {
  readonly service: string;
  readonly portName: string;
  readonly protocol: Protocol;
  readonly nodePort?: number;
  readonly endpoints: Backend[];
  readonly byNode: Map<string, Backend[]>;
  readonly affinitySeconds?: number;
  readonly externalLocal: boolean;
  readonly internalLocal: boolean;
  /** ClientIP affinity: client address → backend and when the affinity ends (cluster ms). */
  readonly affinity: Map<string, { backend: Backend; until: number }>;
}

export type RouteDecision = { endpoint: Endpoint; source?: Endpoint } | { reject: string } | undefined;

interface Owned {
  entries: PortEntry[];
  keys: { table: Map<string, PortEntry>; key: string }[];
}

export class ServiceTable {
  private readonly services = new Map<string, ServiceInfo>();
  /** service key → slice name → slice. */
  private readonly slices = new Map<string, Map<string, KubeObject>>();
  /** `ns/slice` → the service key it was filed under (a slice's label may change). */
  private readonly sliceOwner = new Map<string, string>();
  private readonly vips = new Map<string, PortEntry>();
  private readonly nodePorts = new Map<string, PortEntry>();
  private readonly externalIps = new Map<string, PortEntry>();
  private readonly owned = new Map<string, Owned>();
  private readonly nodeByIp = new Map<string, string>();
  private readonly ipByNode = new Map<string, string>();
  /** How many per-service recomputes ran (tests check the tables stay incremental). */
  recomputes = 0;

  constructor(
    private readonly now: () => number,
    private readonly random: () => number = Math.random,
  ) {}

  upsertService(svc: KubeObject): void {
    const info = parseService(svc);
    this.services.set(info.key, info);
    this.recompute(info.key);
  }

  removeService(svc: KubeObject): void {
    const key = keyOf(svc);
    this.services.delete(key);
    this.recompute(key);
  }

  upsertSlice(slice: KubeObject): void {
    const ns = slice.metadata.namespace ?? '';
    const name = slice.metadata.name ?? '';
    const service = slice.metadata.labels?.['kubernetes.io/service-name'];
    const id = `${ns}/${name}`;
    const before = this.sliceOwner.get(id);
    if (before !== undefined && before !== `${ns}/${service}`) this.dropSlice(id, before);
    if (!service) return;
    const key = `${ns}/${service}`;
    let map = this.slices.get(key);
    if (!map) this.slices.set(key, (map = new Map()));
    map.set(name, slice);
    this.sliceOwner.set(id, key);
    this.recompute(key);
  }

  removeSlice(slice: KubeObject): void {
    const id = `${slice.metadata.namespace ?? ''}/${slice.metadata.name ?? ''}`;
    const owner = this.sliceOwner.get(id);
    if (owner !== undefined) this.dropSlice(id, owner);
  }

  /** A node's InternalIP (undefined: the node is gone). */
  setNode(name: string, ip: string | undefined): void {
    const old = this.ipByNode.get(name);
    if (old !== undefined) this.nodeByIp.delete(old);
    if (ip) {
      this.ipByNode.set(name, ip);
      this.nodeByIp.set(ip, name);
    } else this.ipByNode.delete(name);
  }

  nodeIp(name: string): string | undefined {
    return this.ipByNode.get(name);
  }

  /** `clientNode`: the connecting pod's node (node sources are found by their IP). */
  route(protocol: 'TCP' | 'UDP', dst: Endpoint, client: Endpoint, clientNode?: string): RouteDecision {
    const at = `${protocol} ${dst.address}:${dst.port}`;
    const vip = this.vips.get(at);
    if (vip) {
      if (!vip.internalLocal) return this.choose(vip, vip.endpoints, client, undefined);
      const node = clientNode ?? this.nodeByIp.get(client.address);
      const local = node === undefined ? [] : (vip.byNode.get(node) ?? []);
      return local.length ? this.choose(vip, local, client, undefined) : { reject: `${describe(vip)} has no local endpoints` };
    }
    const node = this.nodeByIp.get(dst.address);
    if (node !== undefined) {
      const np = this.nodePorts.get(`${protocol} ${dst.port}`);
      return np ? this.external(np, node, dst.address, client) : undefined;
    }
    const ext = this.externalIps.get(at);
    if (ext) return this.choose(ext, ext.endpoints, client, undefined);
    return undefined;
  }

  /**
   * Where a load balancer sends a connection for `<service>`'s `nodePort`: the IP of a node that
   * can serve it (externalTrafficPolicy Local: a node with a ready local endpoint, as the cloud
   * LB's health check finds; Cluster: any node), or undefined when nothing can.
   */
  entryNode(service: string, protocol: 'TCP' | 'UDP', nodePort: number): string | undefined {
    const entry = this.nodePorts.get(`${protocol} ${nodePort}`);
    if (!entry || entry.service !== service || entry.endpoints.length === 0) return undefined;
    const nodes = entry.externalLocal ? [...entry.byNode.keys()] : [...this.ipByNode.keys()];
    const ips = nodes.map((n) => this.ipByNode.get(n)).filter((ip): ip is string => ip !== undefined);
    return ips.length ? ips[Math.floor(this.random() * ips.length)] : undefined;
  }

  /** The current entry of one service port (tests, diagnostics). */
  entry(service: string, portName: string): PortEntry | undefined {
    return this.owned.get(service)?.entries.find((e) => e.portName === portName);
  }

  private external(entry: PortEntry, node: string, nodeIp: string, client: Endpoint): RouteDecision {
    if (entry.externalLocal) {
      const local = entry.byNode.get(node) ?? [];
      if (!local.length) return { reject: `${describe(entry)} has no local endpoints` };
      return this.choose(entry, local, client, undefined);
    }
    return this.choose(entry, entry.endpoints, client, { address: nodeIp, port: client.port });
  }

  private choose(entry: PortEntry, candidates: Backend[], client: Endpoint, source: Endpoint | undefined): RouteDecision {
    if (!candidates.length) return { reject: `${describe(entry)} has no endpoints` };
    let backend: Backend | undefined;
    const now = this.now();
    if (entry.affinitySeconds !== undefined) {
      const sticky = entry.affinity.get(client.address);
      if (sticky && sticky.until > now && candidates.some((c) => c.address === sticky.backend.address && c.port === sticky.backend.port)) backend = sticky.backend;
    }
    backend ??= candidates[Math.floor(this.random() * candidates.length)]!;
    if (entry.affinitySeconds !== undefined) entry.affinity.set(client.address, { backend, until: now + entry.affinitySeconds * 1000 });
    const endpoint = { address: backend.address, port: backend.port };
    return source ? { endpoint, source } : { endpoint };
  }

  private dropSlice(id: string, owner: string): void {
    this.sliceOwner.delete(id);
    const map = this.slices.get(owner);
    if (!map) return;
    map.delete(id.slice(id.indexOf('/') + 1));
    if (!map.size) this.slices.delete(owner);
    this.recompute(owner);
  }

  /** Rebuilds one service's entries from its spec and slices. */
  private recompute(key: string): void {
    this.recomputes++;
    const previous = this.owned.get(key);
    for (const { table, key: k } of previous?.keys ?? []) {
      if (table.get(k)?.service === key) table.delete(k);
    }
    this.owned.delete(key);
    const info = this.services.get(key);
    if (!info || info.type === 'ExternalName') return;
    const owned: Owned = { entries: [], keys: [] };
    const slices = [...(this.slices.get(key)?.values() ?? [])];
    const set = (table: Map<string, PortEntry>, k: string, e: PortEntry): void => {
      table.set(k, e);
      owned.keys.push({ table, key: k });
    };
    for (const port of info.ports) {
      const endpoints = readyBackends(slices, port);
      const byNode = new Map<string, Backend[]>();
      for (const b of endpoints) {
        if (b.nodeName === undefined) continue;
        const list = byNode.get(b.nodeName);
        if (list) list.push(b);
        else byNode.set(b.nodeName, [b]);
      }
      const old = previous?.entries.find((e) => e.portName === port.name);
      const entry: PortEntry = {
        service: key,
        portName: port.name,
        protocol: port.protocol,
        nodePort: port.nodePort,
        endpoints,
        byNode,
        affinitySeconds: info.affinitySeconds,
        externalLocal: info.externalLocal,
        internalLocal: info.internalLocal,
        affinity: info.affinitySeconds !== undefined && old ? old.affinity : new Map(),
      };
      owned.entries.push(entry);
      for (const ip of info.clusterIPs) set(this.vips, `${port.protocol} ${ip}:${port.port}`, entry);
      if (port.nodePort && (info.type === 'NodePort' || info.type === 'LoadBalancer')) set(this.nodePorts, `${port.protocol} ${port.nodePort}`, entry);
      for (const ip of info.externalIPs) set(this.externalIps, `${port.protocol} ${ip}:${port.port}`, entry);
    }
    this.owned.set(key, owned);
  }
}

function describe(entry: PortEntry): string {
  return entry.portName ? `${entry.service}:${entry.portName}` : entry.service;
}

function keyOf(o: KubeObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const isIpv4 = (s: string): boolean => /^\d{1,3}(\.\d{1,3}){3}$/.test(s);

function parseService(svc: KubeObject): ServiceInfo {
  const spec = obj(svc.spec);
  const type = str(spec.type) || 'ClusterIP';
  const ips = arr(spec.clusterIPs).map(str);
  if (!ips.length && str(spec.clusterIP)) ips.push(str(spec.clusterIP));
  const ports: ServicePort[] = arr(spec.ports).map((p) => {
    const o = obj(p);
    const nodePort = typeof o.nodePort === 'number' && o.nodePort > 0 ? o.nodePort : undefined;
    return { name: str(o.name), protocol: (str(o.protocol) || 'TCP') as Protocol, port: typeof o.port === 'number' ? o.port : 0, nodePort };
  });
  let affinitySeconds: number | undefined;
  if (spec.sessionAffinity === 'ClientIP') {
    const t = obj(obj(spec.sessionAffinityConfig).clientIP).timeoutSeconds;
    affinitySeconds = typeof t === 'number' && t > 0 ? t : DEFAULT_AFFINITY_SECONDS;
  }
  const ingress = arr(obj(obj(svc.status).loadBalancer).ingress).map((i) => str(obj(i).ip));
  const external = [...arr(spec.externalIPs).map(str), ...(type === 'LoadBalancer' ? ingress : [])];
  return {
    key: keyOf(svc),
    type,
    clusterIPs: type === 'ExternalName' ? [] : ips.filter(isIpv4),
    ports,
    affinitySeconds,
    externalLocal: spec.externalTrafficPolicy === 'Local',
    internalLocal: spec.internalTrafficPolicy === 'Local',
    // Loopback "load balancer" addresses are the host listeners' business, never a pod's route.
    externalIPs: [...new Set(external.filter((ip) => isIpv4(ip) && !ip.startsWith('127.')))],
  };
}

/** The ready, not terminating IPv4 endpoints of one service port across its slices. */
function readyBackends(slices: KubeObject[], port: ServicePort): Backend[] {
  const out: Backend[] = [];
  const seen = new Set<string>();
  for (const slice of slices) {
    const s = slice as unknown as Obj;
    if (s.addressType !== undefined && s.addressType !== 'IPv4') continue;
    const sp = arr(s.ports).map(obj).find((p) => str(p.name) === port.name && (str(p.protocol) || 'TCP') === port.protocol);
    const number = sp && typeof sp.port === 'number' ? sp.port : undefined;
    if (!number) continue;
    for (const e of arr(s.endpoints).map(obj)) {
      const cond = obj(e.conditions);
      if (cond.ready === false || cond.terminating === true) continue;
      const address = str(arr(e.addresses)[0]);
      if (!isIpv4(address)) continue;
      const id = `${address}:${number}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const b: Backend = { address, port: number };
      if (typeof e.nodeName === 'string') b.nodeName = e.nodeName;
      out.push(b);
    }
  }
  return out;
}
