/**
 * The localhost listeners: what makes Services reachable from the host, as kind's port mappings
 * and a cloud's load balancer (the service controller's job) would.
 *
 * - every NodePort of a NodePort or LoadBalancer service: a real listener on `127.0.0.1:<nodePort>`;
 * - every port of a LoadBalancer service: a listener on `127.0.0.1:<port>`, and the service's
 *   `status.loadBalancer.ingress` becomes `[{ip: 127.0.0.1, ipMode: VIP}]` with the service
 *   controller's events (`EnsuringLoadBalancer`, `EnsuredLoadBalancer`) and its cleanup finalizer.
 *   A port that cannot be bound (privileged, or taken) leaves the ingress empty (`<pending>`),
 *   records `SyncLoadBalancerFailed` naming the NodePort URL that works, and is retried with
 *   back-off on the cluster clock.
 * - a NodePort that cannot be bound records kubesim's own Warning `NodePortUnavailable` (from
 *   `kubesim`: there is no upstream counterpart) naming the port and the OS error, and is retried.
 *
 * Each accepted socket enters the cluster as NodePort traffic (from the docker-bridge gateway, as
 * in kind) on a node the service proxy picks, and is spliced into the chosen pod's listener: the
 * pod reads the real socket, sees a cluster-side source address, and a refused or unroutable
 * backend resets the client.
 */
import type { Socket } from 'node:net';
import type { KubeObject } from '../api/types';
import {
  EventRecorder,
  ItemExponentialFailureRateLimiter,
  KubeClient,
  R,
  RateLimitingQueue,
  SharedInformerFactory,
  metaNamespaceKey,
  runWorker,
  type Clock,
  type HandlerRegistration,
  type SharedInformer,
} from '../client';
import type { ClusterNetwork } from './types';
import type { ServiceProxy } from './service-proxy';
import { HOST_GATEWAY_IP } from './addresses';
import { HOST_ADDRESS, HostPort, listenErrorText } from './host-port';
import { HostUdpPort } from './host-udp-port';

export const LB_CLEANUP_FINALIZER = 'service.kubernetes.io/load-balancer-cleanup';
/** The service controller's retry delays (upstream minRetryDelay 5 s, maxRetryDelay 300 s). */
const MIN_RETRY_MS = 5_000;
const MAX_RETRY_MS = 300_000;

export interface HostListenersOptions {
  client: KubeClient;
  network: ClusterNetwork;
  proxy: ServiceProxy;
  clock: Clock;
  informers?: SharedInformerFactory;
  log?: (line: string) => void;
}

export interface HostListenerInfo {
  service: string;
  kind: 'NodePort' | 'LoadBalancer';
  protocol: 'TCP' | 'UDP';
  port: number;
  nodePort: number;
  listening: boolean;
  openConnections: number;
}

export interface HostListeners {
  /** What is bound (or wanted) now, per service port. */
  list(): HostListenerInfo[];
  stop(): Promise<void>;
}

interface WantedPort {
  id: string;
  kind: 'NodePort' | 'LoadBalancer';
  protocol: 'TCP' | 'UDP';
  port: number;
  nodePort: number;
}

interface Bound {
  want: WantedPort;
  port: HostPort | HostUdpPort;
}

interface ServiceState {
  ports: Map<string, Bound>;
  /** The LB port set last ensured by this process (re-ensured after a restart, as upstream). */
  ensured?: string;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** kubesim's reason (no upstream equivalent) when `127.0.0.1:<nodePort>` cannot be bound. */
export const NODE_PORT_UNAVAILABLE = 'NodePortUnavailable';

function nodePortUnavailable(want: WantedPort, error: string): string {
  const at = `${HOST_ADDRESS}:${want.nodePort}${want.protocol === 'UDP' ? '/UDP' : ''}`;
  const why = error.endsWith('address already in use') ? `${at} is taken by another program on this computer` : `${at} cannot be opened on this computer`;
  return `${why} (${error}); retrying`;
}

function wantedPorts(svc: KubeObject | undefined): WantedPort[] {
  if (!svc || svc.metadata.deletionTimestamp) return [];
  const spec = obj(svc.spec);
  const type = spec.type;
  if (type !== 'NodePort' && type !== 'LoadBalancer') return [];
  const out: WantedPort[] = [];
  for (const p of arr(spec.ports).map(obj)) {
    const protocol = p.protocol ?? 'TCP';
    if (protocol !== 'TCP' && protocol !== 'UDP') continue;
    const nodePort = typeof p.nodePort === 'number' ? p.nodePort : 0;
    const port = typeof p.port === 'number' ? p.port : 0;
    if (!nodePort) continue;
    const proto = protocol === 'UDP' ? 'udp:' : '';
    out.push({ id: `np:${proto}${nodePort}`, kind: 'NodePort', protocol, port: nodePort, nodePort });
    if (type === 'LoadBalancer' && port && !hasLbClass(svc)) out.push({ id: `lb:${proto}${port}>${nodePort}`, kind: 'LoadBalancer', protocol, port, nodePort });
  }
  return out;
}

/** A service with spec.loadBalancerClass belongs to another load-balancer implementation (upstream's controller skips it). */
function hasLbClass(svc: KubeObject): boolean {
  const c = obj(svc.spec).loadBalancerClass;
  return typeof c === 'string' && c !== '';
}

const LB_INGRESS = [{ ip: HOST_ADDRESS, ipMode: 'VIP' }];

function ingressOf(svc: KubeObject): unknown[] {
  return arr(obj(obj(svc.status).loadBalancer).ingress);
}

function hasOurIngress(svc: KubeObject): boolean {
  return JSON.stringify(ingressOf(svc)) === JSON.stringify(LB_INGRESS);
}

export async function startHostListeners(o: HostListenersOptions): Promise<HostListeners> {
  const log = o.log ?? (() => {});
  const factory = o.informers ?? new SharedInformerFactory(o.client, { clock: o.clock });
  const services: SharedInformer = factory.informerFor(R.services);
  const events = new EventRecorder(o.client, { component: 'service-controller' }, o.clock);
  /** kubesim's own reporter: a NodePort listener on this computer has no upstream counterpart. */
  const hostEvents = new EventRecorder(o.client, { component: 'kubesim' }, o.clock);
  const queue = new RateLimitingQueue<string>({
    name: 'host-listeners',
    clock: o.clock,
    rateLimiter: new ItemExponentialFailureRateLimiter<string>(MIN_RETRY_MS, MAX_RETRY_MS),
  });
  const states = new Map<string, ServiceState>();
  /** Services with a port that could not be bound: retried at once when another service frees a port. */
  const failing = new Set<string>();
  let stopped = false;

  const registration: HandlerRegistration = services.addEventHandler({
    onAdd: (s) => queue.add(metaNamespaceKey(s)),
    onUpdate: (_old, s) => queue.add(metaNamespaceKey(s)),
    onDelete: (s) => queue.add(metaNamespaceKey(s)),
  });

  const record = (svc: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): void => {
    void events.record({ regarding: svc, type, reason, message }).catch(() => undefined);
  };

  const accept = (service: string, nodePort: number) => (socket: Socket) => {
    const nodeIp = o.proxy.entryNode(service, 'TCP', nodePort);
    if (!nodeIp) {
      socket.resetAndDestroy();
      return;
    }
    o.network.splice({ address: HOST_GATEWAY_IP, port: socket.remotePort ?? 0 }, nodeIp, nodePort, socket).catch(() => {
      if (!socket.destroyed) socket.resetAndDestroy();
    });
  };

  /** A UDP datagram from the host: sent into the cluster as NodePort traffic, the first answer returned. */
  const relay = (service: string, nodePort: number) => async (data: Buffer): Promise<Buffer | undefined> => {
    const nodeIp = o.proxy.entryNode(service, 'UDP', nodePort);
    if (!nodeIp) return undefined;
    return o.network.requestFromNode(HOST_GATEWAY_IP, nodeIp, nodePort, data);
  };

  /** Opens and closes this service's host ports; returns the ports that could not be bound. */
  const syncPorts = async (key: string, state: ServiceState, wanted: WantedPort[]): Promise<{ want: WantedPort; error: string }[]> => {
    const ids = new Set(wanted.map((w) => w.id));
    let freed = false;
    for (const [id, b] of state.ports) {
      if (ids.has(id)) continue;
      freed ||= b.port.listening;
      b.port.close();
      state.ports.delete(id);
    }
    if (freed) for (const k of failing) if (k !== key) queue.add(k);
    const failures: { want: WantedPort; error: string }[] = [];
    for (const want of wanted) {
      let b = state.ports.get(want.id);
      if (!b) {
        const port = want.protocol === 'UDP' ? new HostUdpPort(want.port, relay(key, want.nodePort)) : new HostPort(want.port, accept(key, want.nodePort));
        state.ports.set(want.id, (b = { want, port }));
      }
      if (b.port.listening) continue;
      try {
        await b.port.open();
        if (stopped) b.port.close();
      } catch (e) {
        failures.push({ want, error: listenErrorText(HOST_ADDRESS, want.port, e, want.protocol === 'UDP' ? 'udp' : 'tcp') });
      }
    }
    return failures;
  };

  const setFinalizer = async (svc: KubeObject, present: boolean): Promise<void> => {
    const current = (svc.metadata.finalizers ?? []) as string[];
    if (current.includes(LB_CLEANUP_FINALIZER) === present) return;
    const finalizers = present ? [...current, LB_CLEANUP_FINALIZER] : current.filter((f) => f !== LB_CLEANUP_FINALIZER);
    await o.client.patch(R.services, svc.metadata.namespace, svc.metadata.name ?? '', 'merge', {
      metadata: { finalizers, resourceVersion: svc.metadata.resourceVersion },
    });
  };

  const setIngress = async (svc: KubeObject, ingress: unknown[]): Promise<void> => {
    if (JSON.stringify(ingressOf(svc)) === JSON.stringify(ingress)) return;
    await o.client.patchStatus(R.services, svc.metadata.namespace, svc.metadata.name ?? '', {
      status: { loadBalancer: ingress.length ? { ingress } : { ingress: null } },
    });
  };

  const reconcile = async (key: string): Promise<void> => {
    if (stopped) return;
    const svc = services.getByKey(key);
    const state = states.get(key) ?? { ports: new Map<string, Bound>() };
    states.set(key, state);
    const wanted = wantedPorts(svc);
    const failures = await syncPorts(key, state, wanted);
    if (failures.length && svc) failing.add(key);
    else failing.delete(key);
    if (!svc) {
      states.delete(key);
      return;
    }
    for (const f of failures) if (f.want.kind === 'NodePort') hostEvents.record({ regarding: svc, type: 'Warning', reason: NODE_PORT_UNAVAILABLE, message: nodePortUnavailable(f.want, f.error) }).catch(() => undefined);
    const wantsLb = obj(svc.spec).type === 'LoadBalancer' && !svc.metadata.deletionTimestamp && !hasLbClass(svc);
    if (wantsLb) {
      const lbPorts = wanted.filter((w) => w.kind === 'LoadBalancer');
      const signature = lbPorts.map((w) => w.id).join(',');
      const lbFailures = failures.filter((f) => f.want.kind === 'LoadBalancer');
      if (state.ensured !== signature || lbFailures.length || !hasOurIngress(svc)) {
        record(svc, 'Normal', 'EnsuringLoadBalancer', 'Ensuring load balancer');
        await setFinalizer(svc, true);
        if (lbFailures.length) {
          state.ensured = undefined;
          await setIngress(svc, []);
          const f = lbFailures[0]!;
          const works = state.ports.get(`np:${f.want.nodePort}`)?.port.listening ? `; the service is reachable at http://${HOST_ADDRESS}:${f.want.nodePort}` : '';
          const message = `Error syncing load balancer: failed to ensure load balancer: ${f.error}${works}`;
          record(svc, 'Warning', 'SyncLoadBalancerFailed', message);
          throw new Error(message);
        }
        await setIngress(svc, LB_INGRESS);
        state.ensured = signature;
        record(svc, 'Normal', 'EnsuredLoadBalancer', 'Ensured load balancer');
      }
    } else if ((svc.metadata.finalizers ?? []).includes(LB_CLEANUP_FINALIZER) || hasOurIngress(svc)) {
      // No longer a load balancer (type changed, or the service is being deleted).
      record(svc, 'Normal', 'DeletingLoadBalancer', 'Deleting load balancer');
      state.ensured = undefined;
      if (!svc.metadata.deletionTimestamp) await setIngress(svc, []);
      await setFinalizer(svc, false);
      record(svc, 'Normal', 'DeletedLoadBalancer', 'Deleted load balancer');
    }
    if (failures.length) throw new Error(failures.map((f) => f.error).join('; '));
  };

  factory.start();
  await factory.waitForCacheSync();
  const worker = runWorker(queue, reconcile, {
    onError: (item, err, n) => {
      log(`host-listeners: ${String(item)}: ${err instanceof Error ? err.message : String(err)} (retry ${n + 1})`);
    },
  });

  return {
    list: () => {
      const out: HostListenerInfo[] = [];
      for (const [service, st] of states) {
        for (const b of st.ports.values()) {
          out.push({ service, kind: b.want.kind, protocol: b.want.protocol, port: b.want.port, nodePort: b.want.nodePort, listening: b.port.listening, openConnections: b.port.openConnections() });
        }
      }
      return out;
    },
    stop: async () => {
      stopped = true;
      registration.remove();
      queue.shutDown();
      await worker;
      for (const st of states.values()) for (const b of st.ports.values()) b.port.close();
      states.clear();
      if (!o.informers) await factory.stop();
    },
  };
}
