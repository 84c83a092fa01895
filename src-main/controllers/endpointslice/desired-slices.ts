/**
 * A service's desired EndpointSlices: one endpoint per pod with an IP (terminating pods
 * included, flagged), conditions as upstream's podToEndpoint sets them
 * (serving = ready or publishNotReadyAddresses, terminating = deletionTimestamp set,
 * ready = publishNotReadyAddresses or serving and not terminating), grouped by the ports each
 * pod resolves, at most 100 endpoints per slice.
 */
import type { KubeObject } from '../../api/types';
import { endpointHostname, findPort, isPodEndpointCandidate, isPodReady, isTerminating, nodeNameOf, podIP, serviceSpec } from './service-pods';

export const MAX_ENDPOINTS_PER_SLICE = 100;

export interface SliceEndpoint {
  addresses: string[];
  conditions: { ready: boolean; serving: boolean; terminating: boolean };
  hostname?: string;
  targetRef: { kind: 'Pod'; namespace: string; name: string; uid: string };
  nodeName?: string;
}

export interface SlicePort {
  name: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

export interface DesiredSlice {
  ports: SlicePort[];
  endpoints: SliceEndpoint[];
}

export function portsKey(ports: readonly unknown[] | undefined): string {
  return JSON.stringify(ports ?? []);
}

export function desiredSlices(svc: KubeObject, pods: KubeObject[]): DesiredSlice[] {
  const spec = serviceSpec(svc);
  const publishNotReady = spec.publishNotReadyAddresses === true;
  const groups = new Map<string, DesiredSlice>();
  const sorted = [...pods].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  for (const pod of sorted) {
    if (!isPodEndpointCandidate(pod)) continue;
    const terminating = isTerminating(pod);
    const serving = publishNotReady || isPodReady(pod);
    const ep: SliceEndpoint = {
      addresses: [podIP(pod)!],
      conditions: { ready: publishNotReady || (serving && !terminating), serving, terminating },
      targetRef: { kind: 'Pod', namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' },
    };
    const hostname = endpointHostname(pod, svc);
    if (hostname) ep.hostname = hostname;
    const node = nodeNameOf(pod);
    if (node) ep.nodeName = node;
    const ports: SlicePort[] = [];
    for (const sp of spec.ports ?? []) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      const p: SlicePort = { name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP' };
      if (sp.appProtocol) p.appProtocol = sp.appProtocol;
      ports.push(p);
    }
    const key = portsKey(ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports, endpoints: [] }));
    g.endpoints.push(ep);
  }
  const out: DesiredSlice[] = [];
  for (const g of groups.values()) {
    for (let i = 0; i < g.endpoints.length; i += MAX_ENDPOINTS_PER_SLICE) out.push({ ports: g.ports, endpoints: g.endpoints.slice(i, i + MAX_ENDPOINTS_PER_SLICE) });
  }
  return out;
}
