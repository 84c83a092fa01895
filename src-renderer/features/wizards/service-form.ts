/**
 * The Expose wizard: a Deployment → the Service `kubectl expose deployment NAME --type=T
 * --port=P [--target-port=Q]` would create (name and labels from the Deployment, selector its
 * spec.selector.matchLabels, ports from its containers' ports, named port-1… when several), and
 * the 127.0.0.1 URLs a NodePort or LoadBalancer Service is reachable at in this cluster.
 */
import type { KubeObject } from '../../api/types';
import { dns1123LabelError, portNumberError, portRef, portRefError } from './validation';

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer';

export interface ServicePortRow {
  port: string;
  targetPort: string;
  protocol: 'TCP' | 'UDP';
}

export interface ServiceForm {
  name: string;
  namespace: string;
  type: ServiceType;
  ports: ServicePortRow[];
  selector: Record<string, string>;
  labels: Record<string, string>;
}

interface ContainerPort {
  containerPort: number;
  protocol?: string;
  name?: string;
}

/** What the wizard reads of a Deployment (or any workload with a pod template). */
export interface Workload extends KubeObject {
  spec?: {
    selector?: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] };
    template?: { spec?: { containers?: { ports?: ContainerPort[] }[] } };
  };
}

export interface ServicePortSpec {
  name?: string;
  port: number;
  targetPort: number | string;
  protocol?: 'UDP';
  nodePort?: number;
}

export interface ServiceObject extends KubeObject {
  apiVersion: 'v1';
  kind: 'Service';
  metadata: { name: string; namespace: string; labels?: Record<string, string> };
  spec: { type: ServiceType; selector: Record<string, string>; ports: ServicePortSpec[] };
}

/** What kubectl expose refuses: a selector it cannot turn into a Service's (matchExpressions). */
export function exposeProblem(w: Workload): string | undefined {
  const sel = w.spec?.selector;
  if (sel?.matchExpressions?.length) return `cannot expose ${w.kind ?? 'the workload'} "${w.metadata.name}": its selector has matchExpressions, which a Service selector cannot express`;
  if (!sel?.matchLabels || !Object.keys(sel.matchLabels).length) return `couldn't find a selector for ${w.kind ?? 'the workload'} "${w.metadata.name}"`;
  return undefined;
}

export function exposeFormFrom(w: Workload, type: ServiceType = 'ClusterIP'): ServiceForm {
  const ports: ServicePortRow[] = [];
  for (const c of w.spec?.template?.spec?.containers ?? [])
    for (const p of c.ports ?? []) {
      const protocol = p.protocol === 'UDP' ? 'UDP' : 'TCP';
      ports.push({ port: String(p.containerPort), targetPort: String(p.containerPort), protocol });
    }
  if (!ports.length) ports.push({ port: '', targetPort: '', protocol: 'TCP' });
  return {
    name: w.metadata.name,
    namespace: w.metadata.namespace ?? 'default',
    type,
    ports,
    selector: { ...(w.spec?.selector?.matchLabels ?? {}) },
    labels: { ...(w.metadata.labels ?? {}) },
  };
}

export function buildService(f: ServiceForm): ServiceObject {
  const many = f.ports.length > 1;
  const ports = f.ports.map((p, i): ServicePortSpec => {
    const port = Number(p.port.trim());
    const s: ServicePortSpec = { port, targetPort: p.targetPort.trim() ? portRef(p.targetPort) : port };
    if (many) s.name = `port-${i + 1}`;
    if (p.protocol === 'UDP') s.protocol = 'UDP';
    return s;
  });
  const metadata: ServiceObject['metadata'] = { name: f.name.trim(), namespace: f.namespace };
  if (Object.keys(f.labels).length) metadata.labels = { ...f.labels };
  return { apiVersion: 'v1', kind: 'Service', metadata, spec: { type: f.type, selector: { ...f.selector }, ports } };
}

export function serviceFormErrors(f: ServiceForm): Record<string, string> {
  const errs: Record<string, string> = {};
  const set = (k: string, e: string | undefined) => {
    if (e) errs[k] = e;
  };
  set('name', dns1123LabelError(f.name.trim()));
  if (!Object.keys(f.selector).length) errs.selector = 'Required value';
  const seen = new Set<string>();
  f.ports.forEach((p, i) => {
    const e = portNumberError(p.port);
    const key = `${p.port.trim()}/${p.protocol}`;
    set(`ports.${i}.port`, e ?? (seen.has(key) ? `Duplicate value: "${key}"` : undefined));
    seen.add(key);
    if (p.targetPort.trim()) set(`ports.${i}.targetPort`, portRefError(p.targetPort));
  });
  return errs;
}

/** The form field of an API cause (`spec.ports[0].port`, `metadata.name`). */
export function serviceFieldForCause(field: string | undefined): string | undefined {
  if (!field) return undefined;
  if (field === 'metadata.name') return 'name';
  const m = field.match(/^spec\.ports\[(\d+)\]\.(port|targetPort|nodePort)/);
  if (m) return `ports.${m[1]}.${m[2] === 'targetPort' ? 'targetPort' : 'port'}`;
  if (field.startsWith('spec.selector')) return 'selector';
  if (field === 'spec.type') return 'type';
  return undefined;
}

export interface ServiceUrl {
  url: string;
  via: 'LoadBalancer' | 'NodePort';
  port: number;
}

interface LiveService extends KubeObject {
  spec?: { type?: string; ports?: { port: number; nodePort?: number; protocol?: string }[] };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

/**
 * Where a Service answers from this machine: a LoadBalancer's ingress address and port (once
 * assigned), and every node port (NodePort and LoadBalancer) on 127.0.0.1. TCP ports only.
 */
export function serviceUrls(svc: LiveService): ServiceUrl[] {
  const type = svc.spec?.type;
  const ports = (svc.spec?.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP');
  const out: ServiceUrl[] = [];
  if (type === 'LoadBalancer')
    for (const ing of svc.status?.loadBalancer?.ingress ?? []) {
      const host = ing.ip ?? ing.hostname;
      if (host) for (const p of ports) out.push({ url: `http://${host.includes(':') ? `[${host}]` : host}:${p.port}`, via: 'LoadBalancer', port: p.port });
    }
  if (type === 'LoadBalancer' || type === 'NodePort') for (const p of ports) if (p.nodePort) out.push({ url: `http://127.0.0.1:${p.nodePort}`, via: 'NodePort', port: p.nodePort });
  return out;
}

/** The kubectl command that does what the form does (shown under the preview). */
export function exposeCommand(f: ServiceForm, deployment: string): string {
  const p = f.ports[0];
  const parts = ['kubectl', 'expose', 'deployment', deployment];
  if (f.name.trim() && f.name.trim() !== deployment) parts.push(`--name=${f.name.trim()}`);
  if (f.type !== 'ClusterIP') parts.push(`--type=${f.type}`);
  if (p?.port.trim()) parts.push(`--port=${p.port.trim()}`);
  if (p?.targetPort.trim() && p.targetPort.trim() !== p.port.trim()) parts.push(`--target-port=${p.targetPort.trim()}`);
  if (f.namespace !== 'default') parts.push(`-n ${f.namespace}`);
  return parts.join(' ');
}
