/**
 * The cluster zone as CoreDNS's kubernetes plugin answers it with kind/kubeadm's Corefile
 * (`kubernetes cluster.local in-addr.arpa ip6.arpa { pods insecure; fallthrough in-addr.arpa
 * ip6.arpa; ttl 30 }`, then `forward . /etc/resolv.conf`):
 *
 * - `svc.ns.svc.cluster.local` A: the cluster IP; headless: every ready endpoint IP;
 *   `host.svc.ns.svc.cluster.local`: one endpoint by hostname (or dashed IP);
 *   ExternalName: a CNAME to the external name.
 * - `_port._proto.svc.ns.svc.cluster.local` SRV (`svc.ns.svc.cluster.local` SRV: every port):
 *   priority 0, weight 100/n, target the service (or each endpoint of a headless service) with
 *   its A record as additional.
 * - `a-b-c-d.ns.pod.cluster.local` A: `a.b.c.d` (pods insecure: not checked against pods, but the
 *   namespace must exist).
 * - PTR for cluster IPs (`svc.ns.svc.cluster.local`) and endpoint IPs
 *   (`host.svc.ns.svc.cluster.local`, one per service the pod backs).
 * - `dns-version.cluster.local` TXT `1.1.0`; `ns.dns.cluster.local` A: kube-dns's cluster IP.
 * - Known names without records of the asked type: NOERROR/NODATA; unknown names, namespaces,
 *   and anything invalid in the zone: NXDOMAIN, both with the zone's SOA (`authority`).
 *
 * Everything the plugin does not own (other domains, reverse names of unknown addresses) goes to
 * the `forward` plugin, whose upstream (the node's resolver) has no internet here: such names
 * are answered NXDOMAIN with the root zone as authority (`authority: ''`), as a resolver without
 * the name would. That keeps `nslookup example.com` quick and honest (no 5 s SERVFAIL timeouts).
 */
import type { ClusterDnsZone, DnsAnswer, DnsQueryType, DnsRecord } from '../types';
import type { ZoneIndex, ZoneService } from './zone-index';

export const CLUSTER_DOMAIN = 'cluster.local';
/** kubeadm's Corefile: `ttl 30` in the kubernetes block. */
export const DNS_TTL = 30;
/** The kubernetes plugin's TTL for `dns-version` TXT answers. */
const VERSION_TTL = 28800;
/** The DNS schema version (kubernetes/dns docs/specification.md). */
const SCHEMA_VERSION = '1.1.0';

/** One answer candidate, as the plugin's msg.Service: a host (IP or name), a port, and its owner name. */
interface Item {
  host: string;
  port: number;
  /** The owner name of SRV targets: `svc.ns.svc.<zone>` or `host.svc.ns.svc.<zone>`. */
  domain: string;
  cname?: boolean;
}

const NXDOMAIN = (authority: string): DnsAnswer => ({ rcode: 'NXDOMAIN', answers: [], authority });
const NODATA = (authority: string): DnsAnswer => ({ rcode: 'NOERROR', answers: [], authority });

function dashedIp(ip: string): string {
  return ip.replace(/[.:]/g, '-');
}

function isIpv4(s: string): boolean {
  let parts = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 46;
    if (c === 46) {
      if (!digits || ++parts > 4) return false;
      value = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57 && digits < 3) {
      value = value * 10 + c - 48;
      digits++;
      if (value > 255) return false;
    } else return false;
  }
  return parts === 4;
}

function isIpv6(s: string): boolean {
  return s.includes(':') && /^[0-9a-f:.]+$/i.test(s);
}

export class KubernetesZone implements ClusterDnsZone {
  constructor(
    private readonly index: ZoneIndex,
    private readonly zone = CLUSTER_DOMAIN,
    private readonly ttl = DNS_TTL,
    /** The kube-dns Service, whose cluster IP answers `ns.dns.<zone>`. */
    private readonly dnsService = { name: 'kube-dns', namespace: 'kube-system' },
  ) {}

  /** The SOA serial (seconds of the last change), for the wire side's SOA records. */
  get serial(): number {
    return this.index.modified;
  }

  query(rawName: string, type: DnsQueryType): DnsAnswer {
    const name = rawName.toLowerCase().replace(/\.$/, '');
    if (name.endsWith('.in-addr.arpa') || name.endsWith('.ip6.arpa') || name === 'in-addr.arpa' || name === 'ip6.arpa') return this.reverse(name, type);
    if (name !== this.zone && !name.endsWith(`.${this.zone}`)) return NXDOMAIN('');
    const base = name === this.zone ? '' : name.slice(0, -(this.zone.length + 1));
    const auth = this.zone;

    if (base === '') return NODATA(auth); // NS/SOA at the apex are the wire side's (see coredns program)
    if (base === 'dns-version') return type === 'TXT' ? { rcode: 'NOERROR', answers: [{ name, type: 'TXT', ttl: VERSION_TTL, text: SCHEMA_VERSION }], authority: auth } : NODATA(auth);
    if (base === 'ns.dns') {
      if (type !== 'A') return NODATA(auth);
      const svc = this.index.service(this.dnsService.name, this.dnsService.namespace);
      return { rcode: 'NOERROR', answers: (svc?.clusterIPs ?? []).filter(isIpv4).map((address) => ({ name, type: 'A', ttl: this.ttl, address })), authority: auth };
    }

    // parseRequest: [[_port._proto | endpoint].]service.namespace.(svc|pod)
    const segs = base.split('.');
    const kind = segs[segs.length - 1];
    if (kind !== 'svc' && kind !== 'pod') return NXDOMAIN(auth);
    if (segs.length === 1) return NODATA(auth);
    const namespace = segs[segs.length - 2]!;
    if (!this.index.hasNamespace(namespace)) return NXDOMAIN(auth);
    if (segs.length === 2) return NODATA(auth);
    const service = segs[segs.length - 3]!;
    let endpoint = '';
    let port = '';
    let proto = '';
    if (segs.length === 4) endpoint = segs[0]!;
    else if (segs.length === 5) {
      port = segs[0]!.replace(/^_/, '');
      proto = segs[1]!.replace(/^_/, '');
    } else if (segs.length > 5) return NXDOMAIN(auth);

    const items = kind === 'pod' ? this.findPod(service, namespace) : this.findServices(service, namespace, endpoint, port, proto);
    if (!items) return NXDOMAIN(auth);
    return this.answer(name, type, items, auth);
  }

  private findPod(podName: string, namespace: string): Item[] | undefined {
    const ip = podName.split('-').length === 4 && !podName.includes('--') ? podName.replace(/-/g, '.') : podName.replace(/-/g, ':');
    if (!isIpv4(ip) && !isIpv6(ip)) return undefined;
    return [{ host: ip, port: 0, domain: `${podName}.${namespace}.pod.${this.zone}` }];
  }

  /** findServices: undefined is the plugin's errNoItems (NXDOMAIN). */
  private findServices(name: string, namespace: string, endpoint: string, port: string, proto: string): Item[] | undefined {
    const svc = this.index.service(name, namespace);
    if (!svc) return undefined;
    const svcDomain = `${svc.name}.${svc.namespace}.svc.${this.zone}`;
    const match = (a: string, b: string) => a === '' || a === b.toLowerCase();
    if (svc.type === 'ExternalName') {
      if (endpoint || !svc.externalName || isIpv4(svc.externalName)) return undefined;
      return [{ host: svc.externalName, port: 0, domain: svcDomain, cname: true }];
    }
    const items: Item[] = [];
    if (svc.headless || endpoint) {
      for (const slice of this.index.slicesOf(svc.name, svc.namespace)) {
        const ports = slice.ports.length ? slice.ports : [{ name: '', port: -1, protocol: '' }];
        for (const ep of slice.endpoints) {
          const host = ep.hostname ?? dashedIp(ep.ip);
          if (endpoint && endpoint !== host) continue;
          for (const p of ports) {
            if (!(match(port, p.name) && match(proto, p.protocol))) continue;
            items.push({ host: ep.ip, port: p.port, domain: `${host}.${svcDomain}` });
          }
        }
      }
      return items.length ? items : undefined;
    }
    let found = false;
    for (const p of svc.ports) {
      if (!(match(port, p.name) && match(proto, p.protocol))) continue;
      found = true;
      for (const ip of svc.clusterIPs) items.push({ host: ip, port: p.port, domain: svcDomain });
    }
    return found ? items : undefined;
  }

  private answer(qname: string, type: DnsQueryType, items: Item[], auth: string): DnsAnswer {
    const answers: DnsRecord[] = [];
    const additionals: DnsRecord[] = [];
    const seen = new Set<string>();
    const once = (key: string) => (seen.has(key) ? false : (seen.add(key), true));
    switch (type) {
      case 'A':
      case 'AAAA':
      case 'ANY':
        for (const it of items) {
          if (it.cname) {
            if (once(`c ${it.host}`)) answers.push({ name: qname, type: 'CNAME', ttl: this.ttl, target: it.host });
          } else if (type !== 'AAAA' && isIpv4(it.host)) {
            if (once(`a ${it.host}`)) answers.push({ name: qname, type: 'A', ttl: this.ttl, address: it.host });
          } else if (type !== 'A' && isIpv6(it.host)) {
            if (once(`aaaa ${it.host}`)) answers.push({ name: qname, type: 'AAAA', ttl: this.ttl, address: it.host });
          }
        }
        break;
      case 'CNAME':
        for (const it of items) if (it.cname && once(it.host)) answers.push({ name: qname, type: 'CNAME', ttl: this.ttl, target: it.host });
        break;
      case 'SRV': {
        const srv = items.filter((it) => !it.cname && it.port >= 0);
        // backend_lookup.SRV: every item weighs 100 within its priority (0): weight = 100 / n
        const weight = Math.floor((100 / (100 * items.filter((it) => !it.cname).length)) * 100);
        for (const it of srv) {
          if (once(`srv ${it.domain} ${it.port}`)) answers.push({ name: qname, type: 'SRV', ttl: this.ttl, priority: 0, weight, port: it.port, target: it.domain });
          if (once(`add ${it.domain} ${it.host}`)) additionals.push(isIpv4(it.host) ? { name: it.domain, type: 'A', ttl: this.ttl, address: it.host } : { name: it.domain, type: 'AAAA', ttl: this.ttl, address: it.host });
        }
        break;
      }
      default:
        break;
    }
    return answers.length ? { rcode: 'NOERROR', answers, additionals: additionals.length ? additionals : undefined } : NODATA(auth);
  }

  private reverse(name: string, type: DnsQueryType): DnsAnswer {
    const ip = addressOf(name);
    if (!ip) return NXDOMAIN('');
    const targets: string[] = [];
    const services = this.index.servicesAt(ip);
    if (services.length) targets.push(svcName(services[0]!, this.zone));
    else {
      for (const slice of this.index.slicesAt(ip)) {
        for (const ep of slice.endpoints) if (ep.ip === ip) targets.push(`${ep.hostname ?? dashedIp(ip)}.${slice.service}.${slice.namespace}.svc.${this.zone}`);
      }
    }
    // fallthrough in-addr.arpa: addresses the cluster does not know go upstream (NXDOMAIN here)
    if (!targets.length) return NXDOMAIN('');
    if (type !== 'PTR' && type !== 'ANY') return NODATA(name.endsWith('.ip6.arpa') ? 'ip6.arpa' : 'in-addr.arpa');
    return { rcode: 'NOERROR', answers: [...new Set(targets)].map((target) => ({ name, type: 'PTR', ttl: this.ttl, target })) };
  }
}

function svcName(s: ZoneService, zone: string): string {
  return `${s.name}.${s.namespace}.svc.${zone}`;
}

function addressOf(reverse: string): string | undefined {
  if (reverse.endsWith('.in-addr.arpa')) {
    const parts = reverse.slice(0, -'.in-addr.arpa'.length).split('.');
    if (parts.length !== 4) return undefined;
    const ip = parts.reverse().join('.');
    return isIpv4(ip) ? ip : undefined;
  }
  if (reverse.endsWith('.ip6.arpa')) {
    const nib = reverse.slice(0, -'.ip6.arpa'.length).split('.');
    if (nib.length !== 32 || !nib.every((x) => /^[0-9a-f]$/.test(x))) return undefined;
    const hex = nib.reverse().join('');
    const groups = hex.match(/.{4}/g)!.map((g) => g.replace(/^0+(?=.)/, ''));
    // RFC 5952 shortening of the longest zero run
    const text = groups.join(':');
    const runs = [...text.matchAll(/(?:^|:)0(?::0)+(?::|$)/g)].sort((a, b) => b[0].length - a[0].length);
    return runs.length ? text.replace(runs[0]![0], '::') : text;
  }
  return undefined;
}
