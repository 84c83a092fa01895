/**
 * Endpoints controller (upstream `endpoint-controller`): every Service with a selector gets an
 * Endpoints object of the same name listing its pods — ready ones under `addresses`, the others
 * under `notReadyAddresses` (all under `addresses` with `publishNotReadyAddresses`), each with
 * targetRef, nodeName and (for pods whose subdomain is the service) hostname — grouped into
 * subsets by the ports each pod resolves (`targetPort: http` → the container port named http).
 * Terminating pods leave (unless `publishNotReadyAddresses`). Over 1000 addresses the list is cut
 * (not-ready ones first) and annotated `endpoints.kubernetes.io/over-capacity: truncated`.
 * Services without a selector are not touched; a deleted Service's Endpoints go with it.
 */
import type { KubeObject } from '../api/types';
import { StatusError } from '../api/errors';
import { R, RateLimitingQueue, splitMetaNamespaceKey, type EventRecorder, type KubeClient, type SharedInformer } from '../client';
import type { ControllerContext, ControllerDefinition, RunningController } from './controller';
import {
  HEADLESS_LABEL,
  TRIGGER_TIME_ANNOTATION,
  endpointHostname,
  findPort,
  isHeadless,
  isPodEndpointCandidate,
  isPodReady,
  isTerminating,
  nodeNameOf,
  podIP,
  podSignature,
  serviceSelector,
  serviceSpec,
  servicesSelecting,
  triggerTime,
} from './endpointslice/service-pods';
import { runningController, queueWorkers, logSyncErrors, isConflict } from './workers';

interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef: { kind: 'Pod'; namespace: string; name: string; uid: string };
}

interface EndpointPort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

function byAddress(a: EndpointAddress, b: EndpointAddress): number {
  return a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : a.targetRef.uid < b.targetRef.uid ? -1 : a.targetRef.uid > b.targetRef.uid ? 1 : 0;
}

/** The subsets a service's Endpoints should hold, repacked (one subset per distinct port set). */
export function desiredSubsets(svc: KubeObject, pods: KubeObject[]): EndpointSubset[] {
  const spec = serviceSpec(svc);
  const publishNotReady = spec.publishNotReadyAddresses === true;
  const ports = spec.ports ?? [];
  const groups = new Map<string, { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }>();
  for (const pod of pods) {
    if (!isPodEndpointCandidate(pod)) continue;
    if (isTerminating(pod) && !publishNotReady) continue;
    const addr: EndpointAddress = { ip: podIP(pod)!, targetRef: { kind: 'Pod', namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '' } };
    const hostname = endpointHostname(pod, svc);
    if (hostname) addr.hostname = hostname;
    const node = nodeNameOf(pod);
    if (node) addr.nodeName = node;
    const epPorts: EndpointPort[] = [];
    for (const sp of ports) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      const p: EndpointPort = { port, protocol: sp.protocol ?? 'TCP' };
      if (sp.name) p.name = sp.name;
      if (sp.appProtocol) p.appProtocol = sp.appProtocol;
      epPorts.push(p);
    }
    // A pod that resolves none of the service's ports is no endpoint (headless services without ports excepted).
    if (epPorts.length === 0 && !(ports.length === 0 && isHeadless(svc))) continue;
    epPorts.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || a.port - b.port || a.protocol.localeCompare(b.protocol));
    const key = JSON.stringify(epPorts);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports: epPorts, ready: [], notReady: [] }));
    (publishNotReady || isPodReady(pod) ? g.ready : g.notReady).push(addr);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, g]) => {
      const s: EndpointSubset = {};
      if (g.ready.length) s.addresses = g.ready.sort(byAddress);
      if (g.notReady.length) s.notReadyAddresses = g.notReady.sort(byAddress);
      if (g.ports.length) s.ports = g.ports;
      return s;
    });
}

/** Endpoints hold at most this many addresses (upstream maxCapacity). */
export const MAX_ENDPOINTS_CAPACITY = 1000;
export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';

/**
 * truncateEndpoints: over 1000 addresses, not-ready ones are cut first, then ready ones, each
 * subset keeping its share (rounded up). Returns whether anything was cut.
 */
export function truncateSubsets(subsets: EndpointSubset[]): boolean {
  let ready = 0;
  let notReady = 0;
  for (const s of subsets) {
    ready += s.addresses?.length ?? 0;
    notReady += s.notReadyAddresses?.length ?? 0;
  }
  if (ready + notReady <= MAX_ENDPOINTS_CAPACITY) return false;
  const truncateReady = ready > MAX_ENDPOINTS_CAPACITY;
  const max = truncateReady ? MAX_ENDPOINTS_CAPACITY : MAX_ENDPOINTS_CAPACITY - ready;
  const total = truncateReady ? ready : notReady;
  let room = max;
  for (const s of subsets) {
    const n = (truncateReady ? s.addresses?.length : s.notReadyAddresses?.length) ?? 0;
    const take = Math.min(Math.ceil((n / total) * max), room);
    if (truncateReady) {
      s.addresses = s.addresses?.slice(0, take);
      delete s.notReadyAddresses;
      room -= s.addresses?.length ?? 0;
    } else {
      s.notReadyAddresses = s.notReadyAddresses?.slice(0, take);
      room -= s.notReadyAddresses?.length ?? 0;
    }
    if (!s.addresses?.length) delete s.addresses;
    if (!s.notReadyAddresses?.length) delete s.notReadyAddresses;
  }
  return true;
}

export function endpointsLabels(svc: KubeObject): Record<string, string> {
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
  if (isHeadless(svc)) labels[HEADLESS_LABEL] = '';
  return labels;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export class EndpointsController {
  constructor(
    private readonly client: KubeClient,
    private readonly services: SharedInformer,
    private readonly pods: SharedInformer,
    private readonly endpoints: SharedInformer,
    private readonly recorder?: EventRecorder,
  ) {}

  /** FailedToCreateEndpoint / FailedToUpdateEndpoint on the Endpoints, as upstream (conflicts are only retried). */
  private failed(ep: KubeObject, created: boolean, e: unknown): never {
    if (this.recorder && !(e instanceof StatusError && e.code === 409)) {
      const { namespace, name } = ep.metadata;
      const err = e instanceof Error ? e.message : String(e);
      const message = created ? `Failed to create endpoint for service ${namespace}/${name}: ${err}` : `Failed to update endpoint ${namespace}/${name}: ${err}`;
      void this.recorder.record({ regarding: { apiVersion: 'v1', kind: 'Endpoints', metadata: ep.metadata }, type: 'Warning', reason: created ? 'FailedToCreateEndpoint' : 'FailedToUpdateEndpoint', message }).catch(() => undefined);
    }
    throw e;
  }

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const svc = this.services.get(namespace, name);
    if (!svc) {
      // The service is gone: so are its endpoints.
      await this.client.deleteIfExists(R.endpoints, namespace, name);
      return;
    }
    const selector = serviceSelector(svc);
    if (!selector) return;
    const pods = this.pods.list(namespace, selector);
    const subsets = desiredSubsets(svc, pods);
    const truncated = truncateSubsets(subsets);
    const labels = endpointsLabels(svc);
    const current = this.endpoints.get(namespace, name);
    const trigger = triggerTime(svc, pods);
    if (current) {
      const currentSubsets = current.subsets as unknown[] | undefined;
      const subsetsSame = same(currentSubsets?.length ? currentSubsets : undefined, subsets.length ? subsets : undefined);
      const capacitySame = (current.metadata.annotations?.[OVER_CAPACITY_ANNOTATION] === 'truncated') === truncated;
      if (subsetsSame && capacitySame && same(current.metadata.labels ?? {}, labels)) return;
      const next = structuredClone(current) as KubeObject;
      next.metadata.labels = labels;
      const annotations = { ...(next.metadata.annotations ?? {}) };
      if (!subsetsSame && trigger) annotations[TRIGGER_TIME_ANNOTATION] = trigger;
      if (truncated) annotations[OVER_CAPACITY_ANNOTATION] = 'truncated';
      else delete annotations[OVER_CAPACITY_ANNOTATION];
      next.metadata.annotations = Object.keys(annotations).length ? annotations : undefined;
      next.subsets = subsets.length ? subsets : undefined;
      await this.client.update(R.endpoints, namespace, next).catch((e: unknown) => this.failed(next, false, e));
      return;
    }
    const annotations: Record<string, string> = {};
    if (trigger) annotations[TRIGGER_TIME_ANNOTATION] = trigger;
    if (truncated) annotations[OVER_CAPACITY_ANNOTATION] = 'truncated';
    const ep: KubeObject = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name, namespace, labels, ...(Object.keys(annotations).length ? { annotations } : {}) },
    };
    if (subsets.length) ep.subsets = subsets;
    try {
      await this.client.create(R.endpoints, namespace, ep);
    } catch (e) {
      // The namespace is going away: nothing to keep up to date.
      if (e instanceof StatusError && (e.code === 403 || e.code === 404)) return;
      this.failed(ep, true, e);
    }
  }
}

export const endpointsController: ControllerDefinition = {
  name: 'endpoint',
  start(ctx: ControllerContext): RunningController {
    const services = ctx.informers.informerFor(R.services);
    const pods = ctx.informers.informerFor(R.pods);
    const endpoints = ctx.informers.informerFor(R.endpoints);
    const queue = new RateLimitingQueue<string>({ name: 'endpoint', clock: ctx.clock });
    wireServiceQueue(queue, services, pods);
    endpoints.addEventHandler({
      onUpdate: (_o, ep) => queue.add(`${ep.metadata.namespace}/${ep.metadata.name}`),
      onDelete: (ep) => {
        if (services.get(ep.metadata.namespace, ep.metadata.name ?? '')) queue.add(`${ep.metadata.namespace}/${ep.metadata.name}`);
      },
    });
    const controller = new EndpointsController(ctx.client, services, pods, endpoints, ctx.events('endpoint-controller'));
    return runningController(queueWorkers(queue, 5, (k) => controller.sync(k), logSyncErrors(ctx, 'endpoint-controller', isConflict)));
  },
};

/** Queues a service's key when it changes, and the services a pod change concerns. */
export function wireServiceQueue(queue: { add(key: string): void }, services: SharedInformer, pods: SharedInformer): void {
  const key = (o: KubeObject) => `${o.metadata.namespace}/${o.metadata.name}`;
  services.addEventHandler({
    onAdd: (s) => queue.add(key(s)),
    onUpdate: (_o, s) => queue.add(key(s)),
    onDelete: (s) => queue.add(key(s)),
  });
  const forPod = (labelSets: (Record<string, string> | undefined)[], pod: KubeObject) => {
    for (const k of servicesSelecting(services, pod.metadata.namespace ?? '', labelSets)) queue.add(k);
  };
  pods.addEventHandler({
    onAdd: (p) => forPod([p.metadata.labels], p),
    onUpdate: (old, p) => {
      if (podSignature(old) !== podSignature(p)) forPod([old.metadata.labels, p.metadata.labels], p);
    },
    onDelete: (p) => forPod([p.metadata.labels], p),
  });
}
