/**
 * Service ClusterIP (10.96.0.0/12) and NodePort (30000-32767) allocation, as the service REST
 * storage does upstream: requested values are checked and reserved, others allocated; deletes and
 * type changes release them. The allocation state is rebuilt from stored Services at start.
 */
import type { KubeObject } from '../../api/types';
import { asArray, isObject } from '../../api/types';
import { invalid } from '../../api/errors';
import type { FieldError } from '../../api/field-errors';
import type { AdmissionAttributes, AdmissionPlugin, ServerContext } from '../context';

const CIDR_BASE = (10 << 24) | (96 << 16); // 10.96.0.0
const CIDR_SIZE = 1 << 20; // /12
export const SERVICE_CIDR = '10.96.0.0/12';
export const NODE_PORT_MIN = 30000;
export const NODE_PORT_MAX = 32767;

function ipToInt(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

function intToIp(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

interface SvcSpec {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  ports?: { nodePort?: number; port?: number }[];
}

function specOf(o: KubeObject | undefined): SvcSpec {
  return (o && isObject(o.spec) ? o.spec : {}) as SvcSpec;
}

function wantsClusterIP(s: SvcSpec): boolean {
  return s.type !== 'ExternalName' && s.clusterIP !== 'None';
}

function wantsNodePorts(s: SvcSpec): boolean {
  return s.type === 'NodePort' || s.type === 'LoadBalancer';
}

export class ServiceAllocator {
  readonly ips = new Set<number>();
  readonly ports = new Set<number>();
  private nextIp = 0;

  /** Rebuilds the state from the services in the store. */
  load(services: KubeObject[]): void {
    this.ips.clear();
    this.ports.clear();
    for (const s of services) {
      const spec = specOf(s);
      for (const ip of spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])) {
        const n = ipToInt(ip);
        if (n !== undefined) this.ips.add(n);
      }
      for (const p of spec.ports ?? []) if (p.nodePort) this.ports.add(p.nodePort);
    }
  }

  inRange(n: number): boolean {
    return n > CIDR_BASE && n < CIDR_BASE + CIDR_SIZE - 1;
  }

  allocateIp(): string {
    // Upstream prefers the upper part of the range for dynamic allocation; a rotating cursor over
    // a random start gives the same look (10.96.x.y) without collisions.
    if (this.nextIp === 0) this.nextIp = 16 + Math.floor(Math.random() * (CIDR_SIZE - 32));
    for (let i = 0; i < CIDR_SIZE; i++) {
      const n = CIDR_BASE + ((this.nextIp + i) % (CIDR_SIZE - 2)) + 1;
      if (n === CIDR_BASE + 1 || n === CIDR_BASE + 10) continue; // kubernetes, kube-dns
      if (!this.ips.has(n)) {
        this.ips.add(n);
        this.nextIp = this.nextIp + i + 1;
        return intToIp(n);
      }
    }
    throw new Error('range is full');
  }

  /** Gives back what a deleted Service held. */
  releaseDeleted(svc: KubeObject): void {
    const spec = specOf(svc);
    for (const ip of spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])) {
      const n = ipToInt(ip);
      if (n !== undefined) this.ips.delete(n);
    }
    for (const p of spec.ports ?? []) if (p.nodePort) this.ports.delete(p.nodePort);
  }

  allocatePort(): number {
    const span = NODE_PORT_MAX - NODE_PORT_MIN + 1;
    const start = Math.floor(Math.random() * span);
    for (let i = 0; i < span; i++) {
      const p = NODE_PORT_MIN + ((start + i) % span);
      if (!this.ports.has(p)) {
        this.ports.add(p);
        return p;
      }
    }
    throw new Error('range is full');
  }
}

/** Per-request reservations, released if the write does not happen. */
const reservations = new WeakMap<AdmissionAttributes, { ips: number[]; ports: number[]; releaseIps: number[]; releasePorts: number[] }>();

export function serviceAllocation(alloc: ServiceAllocator): AdmissionPlugin {
  return {
    name: 'ServiceIPAllocation',
    validate(a: AdmissionAttributes, _ctx: ServerContext) {
      if (a.def.group !== '' || a.def.plural !== 'services' || a.subresource) return;
      const r = { ips: [] as number[], ports: [] as number[], releaseIps: [] as number[], releasePorts: [] as number[] };
      reservations.set(a, r);
      const oldSpec = specOf(a.old);
      // Deleted services give their IPs and ports back through `releaseDeleted` (the store's watch),
      // whichever path removed them (a direct delete or the last finalizer going).
      if (a.operation === 'DELETE') return;
      const obj = a.object!;
      const spec = (isObject(obj.spec) ? obj.spec : (obj.spec = {})) as SvcSpec;
      const errs: FieldError[] = [];
      // Cluster IP
      const oldIps = new Set((oldSpec.clusterIPs ?? []).map(ipToInt).filter((n): n is number => n !== undefined));
      if (wantsClusterIP(spec)) {
        const requested = spec.clusterIPs?.[0] ?? spec.clusterIP;
        if (requested && requested !== '') {
          const n = ipToInt(requested);
          if (n === undefined) {
            // Validation of the IP's syntax is the kind's; leave it.
          } else if (!oldIps.has(n)) {
            if (!alloc.inRange(n)) {
              errs.push({ type: 'FieldValueInvalid', field: 'spec.clusterIPs', badValue: [requested], detail: `failed to allocate IP ${requested}: the provided IP (${requested}) is not in the valid range. The range of valid IPs is ${SERVICE_CIDR}` });
            } else if (alloc.ips.has(n)) {
              errs.push({ type: 'FieldValueInvalid', field: 'spec.clusterIPs', badValue: [requested], detail: `failed to allocate IP ${requested}: provided IP is already allocated` });
            } else {
              alloc.ips.add(n);
              r.ips.push(n);
            }
          }
          spec.clusterIP = requested;
          spec.clusterIPs = [requested];
        } else if (a.operation === 'CREATE' || !oldSpec.clusterIP || oldSpec.clusterIP === 'None') {
          const ip = alloc.allocateIp();
          r.ips.push(ipToInt(ip)!);
          spec.clusterIP = ip;
          spec.clusterIPs = [ip];
        }
      } else if (spec.type === 'ExternalName') {
        delete spec.clusterIP;
        delete spec.clusterIPs;
      } else {
        spec.clusterIP = 'None';
        spec.clusterIPs = ['None'];
      }
      for (const n of oldIps) {
        const keep = (spec.clusterIPs ?? []).some((ip) => ipToInt(ip) === n);
        if (!keep) r.releaseIps.push(n);
      }
      // Node ports
      const oldPorts = new Set((oldSpec.ports ?? []).map((p) => p.nodePort).filter((p): p is number => !!p));
      const ports = asArray(spec.ports) as { nodePort?: number }[];
      const seen = new Set<number>();
      if (wantsNodePorts(spec)) {
        ports.forEach((p, i) => {
          if (!isObject(p)) return;
          if (p.nodePort) {
            const np = p.nodePort;
            if (seen.has(np)) {
              errs.push({ type: 'FieldValueDuplicate', field: `spec.ports[${i}].nodePort`, badValue: np });
              return;
            }
            seen.add(np);
            if (oldPorts.has(np)) return;
            if (np < NODE_PORT_MIN || np > NODE_PORT_MAX) {
              errs.push({ type: 'FieldValueInvalid', field: `spec.ports[${i}].nodePort`, badValue: np, detail: `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_MIN}-${NODE_PORT_MAX}` });
            } else if (alloc.ports.has(np)) {
              errs.push({ type: 'FieldValueInvalid', field: `spec.ports[${i}].nodePort`, badValue: np, detail: 'provided port is already allocated' });
            } else {
              alloc.ports.add(np);
              r.ports.push(np);
              seen.add(np);
            }
          } else {
            const np = alloc.allocatePort();
            r.ports.push(np);
            p.nodePort = np;
            seen.add(np);
          }
        });
      } else {
        for (const p of ports) if (isObject(p)) delete p.nodePort;
      }
      for (const np of oldPorts) if (!seen.has(np)) r.releasePorts.push(np);
      if (errs.length) {
        this.aborted?.(a, _ctx);
        reservations.delete(a);
        throw invalid('', 'Service', a.name, errs);
      }
    },
    committed(a) {
      const r = reservations.get(a);
      if (!r) return;
      for (const n of r.releaseIps) alloc.ips.delete(n);
      for (const p of r.releasePorts) alloc.ports.delete(p);
      reservations.delete(a);
    },
    aborted(a) {
      const r = reservations.get(a);
      if (!r) return;
      for (const n of r.ips) alloc.ips.delete(n);
      for (const p of r.ports) alloc.ports.delete(p);
      reservations.delete(a);
    },
  };
}
