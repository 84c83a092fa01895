/**
 * The kubernetes plugin's caches, kept incrementally from informer events: namespaces, services
 * (by `name.namespace` and by cluster IP) and endpoint slices (by service and by endpoint IP).
 * A query reads only the entries of the name or address it asks for; nothing is rescanned.
 */
import type { KubeObject } from '../../api/types';

export interface ZonePort {
  name: string;
  port: number;
  protocol: string;
}

export interface ZoneService {
  name: string;
  namespace: string;
  /** `ClusterIP`, `NodePort`, `LoadBalancer` or `ExternalName`. */
  type: string;
  /** Cluster IPs (empty for headless and ExternalName services). */
  clusterIPs: string[];
  headless: boolean;
  externalName?: string;
  ports: ZonePort[];
}

/** One ready address of an endpoint slice (CoreDNS only serves ready ones). */
export interface ZoneEndpoint {
  ip: string;
  /** `endpoints[].hostname` (pods whose `subdomain` is the service), if any. */
  hostname?: string;
}

export interface ZoneSlice {
  key: string;
  serviceKey: string;
  namespace: string;
  service: string;
  endpoints: ZoneEndpoint[];
  /** Empty when the slice has no ports (CoreDNS's port -1 sentinel: A records but no SRV). */
  ports: ZonePort[];
}

/** `name.namespace`, the kubernetes plugin's service index key. */
export function serviceKey(name: string, namespace: string): string {
  return `${name}.${namespace}`.toLowerCase();
}

interface ServiceShape {
  metadata: { name?: string; namespace?: string };
  spec?: { type?: string; clusterIP?: string; clusterIPs?: string[]; externalName?: string; ports?: { name?: string; port?: number; protocol?: string }[] };
}

interface SliceShape {
  metadata: { name?: string; namespace?: string; labels?: Record<string, string> };
  addressType?: string;
  endpoints?: { addresses?: string[]; hostname?: string; conditions?: { ready?: boolean } }[];
  ports?: { name?: string; port?: number; protocol?: string }[];
}

function toService(obj: KubeObject): ZoneService {
  const o = obj as unknown as ServiceShape;
  const spec = o.spec ?? {};
  const type = spec.type ?? 'ClusterIP';
  const headless = spec.clusterIP === 'None';
  const ips = headless || type === 'ExternalName' ? [] : (spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : []).filter((ip) => ip && ip !== 'None');
  return {
    name: (o.metadata.name ?? '').toLowerCase(),
    namespace: (o.metadata.namespace ?? '').toLowerCase(),
    type,
    clusterIPs: ips,
    headless,
    externalName: type === 'ExternalName' ? spec.externalName?.replace(/\.$/, '').toLowerCase() : undefined,
    ports: (spec.ports ?? []).map((p) => ({ name: p.name ?? '', port: p.port ?? 0, protocol: p.protocol ?? 'TCP' })),
  };
}

function toSlice(obj: KubeObject): ZoneSlice | undefined {
  const o = obj as unknown as SliceShape;
  const service = o.metadata.labels?.['kubernetes.io/service-name'];
  if (!service || (o.addressType && o.addressType !== 'IPv4' && o.addressType !== 'IPv6')) return undefined;
  const namespace = (o.metadata.namespace ?? '').toLowerCase();
  const endpoints: ZoneEndpoint[] = [];
  for (const ep of o.endpoints ?? []) {
    // EndpointSliceToEndpoints: a nil ready condition counts as ready
    if (ep.conditions?.ready === false) continue;
    for (const ip of ep.addresses ?? []) endpoints.push(ep.hostname ? { ip, hostname: ep.hostname.toLowerCase() } : { ip });
  }
  return {
    key: `${namespace}/${o.metadata.name ?? ''}`,
    serviceKey: serviceKey(service, namespace),
    namespace,
    service: service.toLowerCase(),
    endpoints,
    ports: (o.ports ?? []).map((p) => ({ name: p.name ?? '', port: p.port ?? 0, protocol: p.protocol ?? 'TCP' })),
  };
}

function addTo<K, V>(m: Map<K, Set<V>>, k: K, v: V): void {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Set()));
  s.add(v);
}

function removeFrom<K, V>(m: Map<K, Set<V>>, k: K, v: V): void {
  const s = m.get(k);
  if (!s) return;
  s.delete(v);
  if (!s.size) m.delete(k);
}

export class ZoneIndex {
  private readonly namespaces = new Set<string>();
  private readonly services = new Map<string, ZoneService>();
  private readonly servicesByIp = new Map<string, Set<string>>();
  private readonly slices = new Map<string, ZoneSlice>();
  private readonly slicesByService = new Map<string, Set<ZoneSlice>>();
  private readonly slicesByIp = new Map<string, Set<ZoneSlice>>();
  /** Seconds since the epoch of the last change (the SOA serial, as CoreDNS's `Modified`). */
  modified: number;

  constructor(private readonly now: () => number = Date.now) {
    this.modified = Math.floor(now() / 1000);
  }

  private touch(): void {
    this.modified = Math.floor(this.now() / 1000);
  }

  // ---- informer events ---------------------------------------------------------------------

  upsertNamespace(obj: KubeObject): void {
    if (obj.metadata.name) this.namespaces.add(obj.metadata.name.toLowerCase());
    this.touch();
  }

  deleteNamespace(obj: KubeObject): void {
    if (obj.metadata.name) this.namespaces.delete(obj.metadata.name.toLowerCase());
    this.touch();
  }

  upsertService(obj: KubeObject): void {
    const svc = toService(obj);
    const key = serviceKey(svc.name, svc.namespace);
    this.removeServiceKey(key);
    this.services.set(key, svc);
    for (const ip of svc.clusterIPs) addTo(this.servicesByIp, ip, key);
    this.touch();
  }

  deleteService(obj: KubeObject): void {
    this.removeServiceKey(serviceKey(obj.metadata.name ?? '', obj.metadata.namespace ?? ''));
    this.touch();
  }

  private removeServiceKey(key: string): void {
    const old = this.services.get(key);
    if (!old) return;
    for (const ip of old.clusterIPs) removeFrom(this.servicesByIp, ip, key);
    this.services.delete(key);
  }

  upsertSlice(obj: KubeObject): void {
    const key = `${(obj.metadata.namespace ?? '').toLowerCase()}/${obj.metadata.name ?? ''}`;
    this.removeSliceKey(key);
    const slice = toSlice(obj);
    if (slice) {
      this.slices.set(key, slice);
      addTo(this.slicesByService, slice.serviceKey, slice);
      for (const ep of slice.endpoints) addTo(this.slicesByIp, ep.ip, slice);
    }
    this.touch();
  }

  deleteSlice(obj: KubeObject): void {
    this.removeSliceKey(`${(obj.metadata.namespace ?? '').toLowerCase()}/${obj.metadata.name ?? ''}`);
    this.touch();
  }

  private removeSliceKey(key: string): void {
    const old = this.slices.get(key);
    if (!old) return;
    removeFrom(this.slicesByService, old.serviceKey, old);
    for (const ep of old.endpoints) removeFrom(this.slicesByIp, ep.ip, old);
    this.slices.delete(key);
  }

  // ---- reads -------------------------------------------------------------------------------

  hasNamespace(ns: string): boolean {
    return this.namespaces.has(ns);
  }

  service(name: string, namespace: string): ZoneService | undefined {
    return this.services.get(serviceKey(name, namespace));
  }

  slicesOf(name: string, namespace: string): Iterable<ZoneSlice> {
    return this.slicesByService.get(serviceKey(name, namespace)) ?? [];
  }

  /** Services whose cluster IP is `ip`. */
  servicesAt(ip: string): ZoneService[] {
    return [...(this.servicesByIp.get(ip) ?? [])].map((k) => this.services.get(k)!).filter(Boolean);
  }

  /** Endpoint slices holding a ready endpoint at `ip`. */
  slicesAt(ip: string): Iterable<ZoneSlice> {
    return this.slicesByIp.get(ip) ?? [];
  }
}
