/**
 * The cluster's nodes: one Kubelet per node (control plane + workers, as kind names them), each
 * acting as `system:node:<name>`, sharing one services informer for the containers' service
 * variables, registered with the API server's node connections for `pods/log`.
 */
import type { KubeObject } from '../api/types';
import { SharedInformerFactory, R, type Clock, type KubeClient } from '../client';
import type { ContainerRuntime } from '../runtime/types';
import type { ClusterDnsZone, ClusterNetwork } from '../network/types';
import { Kubelet } from './kubelet';
import type { VolumeFactory } from './volumes';
import { recordNodeStartEvents } from './node-events';
import { KUBELET_VERSION } from './node-status';

export interface NodesOptions {
  /** Any client of the cluster; each kubelet acts as its node's user on the same handler. */
  client: KubeClient;
  /** Number of workers besides the control plane. */
  workers: number;
  runtime: ContainerRuntime;
  /** Filesystems for pod volumes (the runtime's createEmptyDir). */
  volumeFactory?: VolumeFactory;
  clock: Clock;
  dataDir: string;
  fast: boolean;
  log: (line: string) => void;
  /** The cluster network: each pod sandbox gets its PodNetwork here (absent: pods have no sockets). */
  network?: ClusterNetwork;
  /** The cluster DNS zone, handed to every container (the CoreDNS program answers from it). */
  clusterDns?: ClusterDnsZone;
  /** Where the API server finds each kubelet (NodeConnectionRegistry). */
  register(nodeName: string, kubelet: Kubelet): void;
}

export interface Nodes {
  kubelets: Kubelet[];
  /** The nodes' start events, written in the background. */
  events: Promise<void>;
  stop(): Promise<void>;
}

/** kind's names: `kubesim-control-plane`, `kubesim-worker`, `kubesim-worker2`, … */
export function nodeNames(workers: number): string[] {
  return ['kubesim-control-plane', ...Array.from({ length: workers }, (_, i) => (i === 0 ? 'kubesim-worker' : `kubesim-worker${i + 1}`))];
}

export async function startNodes(o: NodesOptions): Promise<Nodes> {
  const shared = new SharedInformerFactory(o.client.as({ name: 'system:node:kubesim', groups: ['system:nodes', 'system:authenticated'] }), { clock: o.clock, log: o.log });
  const services = shared.informerFor(R.services);
  // The kubelets' watch-based ConfigMap/Secret cache (volumes are rewritten when these change).
  const configObjects = { configMaps: shared.informerFor(R.configmaps), secrets: shared.informerFor(R.secrets) };
  shared.start();
  await shared.waitForCacheSync();
  const servicesOf = (ns: string): KubeObject[] => {
    const list = services.list(ns);
    const api = services.get('default', 'kubernetes');
    return api && ns !== 'default' ? [...list, api] : list;
  };
  const kubelets = nodeNames(o.workers).map((name, index) => {
    const client = o.client.as({ name: `system:node:${name}`, groups: ['system:nodes', 'system:authenticated'] }, { userAgent: `kubelet/${KUBELET_VERSION} (linux/amd64) kubernetes/kubesim` });
    return new Kubelet({ client, node: { name, index, controlPlane: index === 0 }, runtime: o.runtime, volumeFactory: o.volumeFactory, clock: o.clock, dataDir: o.dataDir, fast: o.fast, log: o.log, services: servicesOf, network: o.network, clusterDns: o.clusterDns, configObjects });
  });
  try {
    await Promise.all(kubelets.map((k) => k.start()));
  } catch (e) {
    await Promise.all(kubelets.map((k) => k.stop()));
    await shared.stop();
    throw e;
  }
  for (const k of kubelets) o.register(k.name, k);
  // Node events are history, not readiness: written in the background.
  const events = Promise.all(kubelets.map((k) => recordNodeStartEvents(k.client, k.name, k.heartbeat.registeredNow)))
    .then(() => undefined)
    .catch((e: unknown) => o.log(`nodes: recording start events failed: ${e instanceof Error ? e.message : String(e)}`));
  return {
    kubelets,
    events,
    async stop() {
      await events;
      await Promise.all(kubelets.map((k) => k.stop()));
      await shared.stop();
    },
  };
}
