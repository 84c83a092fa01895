/**
 * What the Endpoints and EndpointSlice controllers share: which pods of a service become
 * endpoints, whether they are ready, and which port a service port means on each pod.
 */
import type { KubeObject } from '../../api/types';
import { labelSelectorFromObject, type LabelSelector } from '../../api/selectors/labels';
import type { SharedInformer } from '../../client';

export interface ServicePort {
  name?: string;
  port: number;
  protocol?: string;
  targetPort?: number | string;
  appProtocol?: string;
}

interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: string;
}

interface PodLike {
  spec?: { containers?: { ports?: ContainerPort[] }[]; nodeName?: string; hostname?: string; subdomain?: string };
  status?: { podIP?: string; podIPs?: { ip: string }[]; phase?: string; conditions?: { type: string; status: string }[] };
}

/** `endpoints.kubernetes.io/last-change-trigger-time`. */
export const TRIGGER_TIME_ANNOTATION = 'endpoints.kubernetes.io/last-change-trigger-time';
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';

export function serviceSpec(svc: KubeObject): { selector?: Record<string, string>; ports?: ServicePort[]; clusterIP?: string; type?: string; publishNotReadyAddresses?: boolean } {
  return (svc.spec ?? {}) as ReturnType<typeof serviceSpec>;
}

/** The service's selector, or undefined when it has none (its endpoints are managed by someone else). */
export function serviceSelector(svc: KubeObject): LabelSelector | undefined {
  const spec = serviceSpec(svc);
  if (spec.type === 'ExternalName') return undefined;
  const sel = spec.selector;
  if (!sel || Object.keys(sel).length === 0) return undefined;
  return labelSelectorFromObject({ matchLabels: sel });
}

export function isHeadless(svc: KubeObject): boolean {
  return serviceSpec(svc).clusterIP === 'None';
}

export function podIP(pod: KubeObject): string | undefined {
  const s = (pod as PodLike).status;
  return s?.podIP || s?.podIPs?.[0]?.ip || undefined;
}

export function isPodReady(pod: KubeObject): boolean {
  return ((pod as PodLike).status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

export function isTerminating(pod: KubeObject): boolean {
  return !!pod.metadata.deletionTimestamp;
}

/** A pod that can be an endpoint at all: it has an IP and has not finished. */
export function isPodEndpointCandidate(pod: KubeObject): boolean {
  const phase = (pod as PodLike).status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  return podIP(pod) !== undefined;
}

/** The port a service port targets on this pod (a named targetPort is looked up in the pod's containers). */
export function findPort(pod: KubeObject, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = sp.protocol ?? 'TCP';
  for (const c of (pod as PodLike).spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
    }
  }
  return undefined;
}

/** The hostname an endpoint gets: the pod's hostname when its subdomain is this service. */
export function endpointHostname(pod: KubeObject, svc: KubeObject): string | undefined {
  const spec = (pod as PodLike).spec;
  if (spec?.hostname && spec.subdomain === svc.metadata.name && pod.metadata.namespace === svc.metadata.namespace) return spec.hostname;
  return undefined;
}

export function nodeNameOf(pod: KubeObject): string | undefined {
  return (pod as PodLike).spec?.nodeName || undefined;
}

/**
 * What about a pod can change a service's endpoints: labels, IP, readiness, termination, node,
 * hostname, phase and container ports. Updates that keep it are ignored.
 */
export function podSignature(pod: KubeObject): string {
  const p = pod as PodLike;
  return JSON.stringify([
    pod.metadata.labels ?? {},
    podIP(pod) ?? '',
    isPodReady(pod),
    !!pod.metadata.deletionTimestamp,
    p.spec?.nodeName ?? '',
    p.spec?.hostname ?? '',
    p.spec?.subdomain ?? '',
    p.status?.phase ?? '',
    (p.spec?.containers ?? []).map((c) => c.ports ?? []),
  ]);
}

/** The keys (`namespace/name`) of the services with a selector matching any of the given label sets. */
export function servicesSelecting(services: SharedInformer, namespace: string, labelSets: (Record<string, string> | undefined)[]): string[] {
  const keys: string[] = [];
  for (const svc of services.list(namespace)) {
    const sel = serviceSelector(svc);
    if (!sel) continue;
    if (labelSets.some((l) => sel.matches(l ?? {}))) keys.push(`${namespace}/${svc.metadata.name}`);
  }
  return keys;
}

/** RFC 3339 with nanoseconds, as Go's time.RFC3339Nano prints (trailing zeros dropped). */
export function rfc3339Nano(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z').replace(/(\.\d*?)0+Z$/, '$1Z');
}

/**
 * The last-change trigger time for a service's endpoints: the newest of the service's creation
 * and the pods' readiness transitions / creation (what upstream's trigger-time tracker approximates).
 */
export function triggerTime(svc: KubeObject, pods: KubeObject[]): string | undefined {
  let best = Date.parse(svc.metadata.creationTimestamp ?? '') || 0;
  for (const pod of pods) {
    const created = Date.parse(pod.metadata.creationTimestamp ?? '') || 0;
    if (created > best) best = created;
    const ready = ((pod.status ?? {}) as { conditions?: { type: string; lastTransitionTime?: string }[] }).conditions?.find((c) => c.type === 'Ready');
    const t = Date.parse(ready?.lastTransitionTime ?? '') || 0;
    if (t > best) best = t;
    const del = Date.parse(pod.metadata.deletionTimestamp ?? '') || 0;
    if (del && del - ((pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000) > best) best = del - (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
  }
  return best ? rfc3339Nano(best) : undefined;
}
