/**
 * Where a Service is reachable from this machine (pure): kubesim serves every LoadBalancer port on
 * `127.0.0.1:<port>` once its status shows the 127.0.0.1 ingress, and every NodePort (of NodePort
 * and LoadBalancer services) on `127.0.0.1:<nodePort>` (src-main/network/host-listeners.ts). TCP
 * only; `https` for port 443 or a port named https.
 */

export interface ServicePortLike {
  name?: string;
  protocol?: string;
  port?: number;
  nodePort?: number;
  targetPort?: number | string;
}

export interface ServiceLike {
  metadata?: { name?: string; namespace?: string };
  spec?: { type?: string; ports?: ServicePortLike[] };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

export interface ServiceUrl {
  url: string;
  /** LoadBalancer (the service port) or NodePort. */
  via: 'LoadBalancer' | 'NodePort';
  /** The service port this reaches. */
  port: number;
  portName?: string;
  localPort: number;
}

function scheme(p: ServicePortLike): string {
  return p.port === 443 || /^https/i.test(p.name ?? '') ? 'https' : 'http';
}

/** True when the service's load balancer is up on 127.0.0.1 (not `<pending>`). */
export function loadBalancerReady(svc: ServiceLike): boolean {
  return (svc.status?.loadBalancer?.ingress ?? []).some((i) => i.ip === '127.0.0.1' || i.hostname === 'localhost');
}

export function serviceUrls(svc: ServiceLike): ServiceUrl[] {
  const type = svc.spec?.type ?? 'ClusterIP';
  if (type !== 'LoadBalancer' && type !== 'NodePort') return [];
  const out: ServiceUrl[] = [];
  const lb = type === 'LoadBalancer' && loadBalancerReady(svc);
  for (const p of svc.spec?.ports ?? []) {
    if ((p.protocol ?? 'TCP') !== 'TCP' || !p.port) continue;
    if (lb) out.push({ url: `${scheme(p)}://127.0.0.1:${p.port}`, via: 'LoadBalancer', port: p.port, portName: p.name, localPort: p.port });
    if (p.nodePort) out.push({ url: `${scheme(p)}://127.0.0.1:${p.nodePort}`, via: 'NodePort', port: p.port, portName: p.name, localPort: p.nodePort });
  }
  return out;
}

/** The ports a forward can target: a service's ports, or a pod's declared container ports. */
export interface ForwardablePort {
  value: number | string;
  label: string;
}

export function servicePorts(svc: ServiceLike): ForwardablePort[] {
  return (svc.spec?.ports ?? [])
    .filter((p) => (p.protocol ?? 'TCP') === 'TCP' && p.port)
    .map((p) => ({ value: p.port!, label: `${p.port}${p.name ? ` (${p.name})` : ''} → ${p.targetPort ?? p.port}` }));
}

export interface PodLike {
  spec?: { containers?: { name?: string; ports?: { name?: string; containerPort?: number; protocol?: string }[] }[] };
}

export function podPorts(pod: PodLike): ForwardablePort[] {
  const out: ForwardablePort[] = [];
  for (const c of pod.spec?.containers ?? [])
    for (const p of c.ports ?? []) {
      if ((p.protocol ?? 'TCP') !== 'TCP' || !p.containerPort || out.some((o) => o.value === p.containerPort)) continue;
      out.push({ value: p.containerPort, label: `${p.containerPort}${p.name ? ` (${p.name})` : ''} · ${c.name ?? ''}` });
    }
  return out;
}
