/**
 * Service and Ingress summaries as `kubectl describe` leads with them: type, ClusterIP(s),
 * external IPs, PORT(S), selector, session affinity and the ready endpoints (from the Service's
 * EndpointSlices); an Ingress's class and rules (host, path → backend).
 */
import type { KubeObject } from '../../api/types';
import { NONE, labelsText, servicePortsText, type ServicePort } from './format';
import type { Summary, SummaryGroup, SummaryRow } from './types';

type Obj = KubeObject & { spec?: Record<string, any>; status?: Record<string, any> };

export interface EndpointSlice extends KubeObject {
  addressType?: string;
  endpoints?: { addresses: string[]; conditions?: { ready?: boolean }; targetRef?: { kind?: string; name?: string; namespace?: string } }[];
  ports?: { name?: string; port?: number; protocol?: string }[] | null;
}

/** The ready `ip:port` endpoints of a Service's slices (kubectl's Endpoints line), sorted. */
export function readyEndpoints(slices: readonly EndpointSlice[]): string[] {
  const out = new Set<string>();
  for (const s of slices) {
    const ports = s.ports?.length ? s.ports.map((p) => p.port) : [undefined];
    for (const e of s.endpoints ?? []) {
      if (e.conditions?.ready === false) continue;
      for (const a of e.addresses ?? []) for (const p of ports) out.add(p === undefined ? a : `${a}:${p}`);
    }
  }
  return [...out].sort();
}

/** kubectl prints at most a few endpoints and `+ N more...`. */
export function endpointsText(list: readonly string[], max = 3): string {
  if (!list.length) return NONE;
  const head = list.slice(0, max).join(',');
  return list.length > max ? `${head} + ${list.length - max} more...` : head;
}

export function serviceSummary(s: Obj, slices: readonly EndpointSlice[] = []): Summary {
  const spec = s.spec ?? {};
  const type = spec.type ?? 'ClusterIP';
  const ips: string[] = spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : [];
  const lbIngress: string[] = (s.status?.loadBalancer?.ingress ?? []).map((i: { ip?: string; hostname?: string }) => i.ip ?? i.hostname ?? '').filter(Boolean);
  const external: string[] = [...(spec.externalIPs ?? []), ...lbIngress];
  const ready = readyEndpoints(slices);
  const rows: SummaryRow[] = [
    { label: 'Type', value: type, testid: 'svc-type' },
    { label: ips.length > 1 ? 'IPs' : 'IP', value: ips.join(', ') || NONE, mono: true, testid: 'svc-cluster-ip' },
  ];
  if (type === 'ExternalName') rows.push({ label: 'External Name', value: spec.externalName ?? NONE, mono: true });
  rows.push(
    { label: 'External IP', value: external.join(', ') || (type === 'LoadBalancer' ? '<pending>' : NONE), mono: true },
    { label: 'Port(s)', value: servicePortsText(spec.ports), mono: true, testid: 'svc-ports' },
    { label: 'Selector', value: labelsText(spec.selector), mono: true },
    { label: 'Session Affinity', value: spec.sessionAffinity ?? 'None' },
  );
  if (type !== 'ExternalName') {
    rows.push({
      label: 'Endpoints',
      value: `${ready.length} ready${ready.length ? `: ${endpointsText(ready)}` : ''}`,
      tone: ready.length ? 'ok' : spec.selector ? 'warn' : undefined,
      mono: true,
      testid: 'svc-endpoints',
    });
  }
  const groups: SummaryGroup[] = ((spec.ports ?? []) as ServicePort[]).map((p) => ({
    title: p.name ? `${p.name}` : `${p.port}/${p.protocol ?? 'TCP'}`,
    rows: [
      { label: 'Port', value: `${p.name ?? '<unset>'} ${p.port}/${p.protocol ?? 'TCP'}`, mono: true },
      { label: 'TargetPort', value: `${p.targetPort ?? p.port}/${p.protocol ?? 'TCP'}`, mono: true },
      ...(p.nodePort ? [{ label: 'NodePort', value: `${p.name ?? '<unset>'} ${p.nodePort}/${p.protocol ?? 'TCP'}`, mono: true }] : []),
    ],
  }));
  return { rows, groups, groupsTitle: 'Ports' };
}

interface IngressBackend {
  service?: { name: string; port?: { number?: number; name?: string } };
  resource?: { kind: string; name: string };
}

/** `web:80`, `web:http`, `Bucket/static`. */
export function backendText(b: IngressBackend | undefined): string {
  if (!b) return NONE;
  if (b.service) return `${b.service.name}:${b.service.port?.number ?? b.service.port?.name ?? ''}`;
  if (b.resource) return `${b.resource.kind}/${b.resource.name}`;
  return NONE;
}

export function ingressSummary(i: Obj): Summary {
  const spec = i.spec ?? {};
  const addr = (i.status?.loadBalancer?.ingress ?? []).map((x: { ip?: string; hostname?: string }) => x.ip ?? x.hostname).filter(Boolean);
  const rows: SummaryRow[] = [
    { label: 'Ingress Class', value: spec.ingressClassName ?? NONE },
    { label: 'Address', value: addr.join(', ') || NONE, mono: true },
    { label: 'Default backend', value: backendText(spec.defaultBackend), mono: true },
    { label: 'TLS', value: (spec.tls ?? []).map((t: { secretName?: string; hosts?: string[] }) => `${t.secretName ?? ''} terminates ${(t.hosts ?? []).join(',')}`).join('; ') || NONE },
  ];
  const groups: SummaryGroup[] = (spec.rules ?? []).map((r: { host?: string; http?: { paths?: { path?: string; pathType?: string; backend?: IngressBackend }[] } }) => ({
    title: r.host || '*',
    rows: (r.http?.paths ?? []).map((p) => ({ label: p.path || '/', value: `→ ${backendText(p.backend)}${p.pathType ? ` (${p.pathType})` : ''}`, mono: true })),
  }));
  return { rows, groups, groupsTitle: 'Rules' };
}
