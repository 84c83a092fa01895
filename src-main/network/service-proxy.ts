/**
 * The service proxy (kube-proxy): keeps a ServiceTable from shared informers on Services,
 * EndpointSlices and Nodes and installs it as the cluster network's ServiceRouter. Every informer
 * event recomputes one service's entries (see service-table.ts); nothing rescans the cluster.
 */
import type { KubeObject } from '../api/types';
import { KubeClient, R, SharedInformerFactory, type Clock } from '../client';
import type { ClusterNetwork, Endpoint, ServiceRouter } from './types';
import { ServiceTable, type RouteDecision } from './service-table';

export interface ServiceProxyOptions {
  client: KubeClient;
  network: ClusterNetwork;
  /** The cluster clock (session affinity timeouts). */
  clock: Clock;
  /** Shared with other network components; one is made (and stopped) here otherwise. */
  informers?: SharedInformerFactory;
  random?: () => number;
}

export interface ServiceProxy extends ServiceRouter {
  readonly table: ServiceTable;
  /** See ServiceTable.entryNode: the node a load balancer sends this service's nodePort traffic to. */
  entryNode(service: string, protocol: 'TCP' | 'UDP', nodePort: number): string | undefined;
  stop(): Promise<void>;
}

export function internalIpOf(node: KubeObject): string | undefined {
  const addresses = (node.status as { addresses?: { type?: string; address?: string }[] } | undefined)?.addresses ?? [];
  return addresses.find((a) => a.type === 'InternalIP')?.address;
}

export async function startServiceProxy(o: ServiceProxyOptions): Promise<ServiceProxy> {
  const table = new ServiceTable(() => o.clock.now(), o.random);
  const factory = o.informers ?? new SharedInformerFactory(o.client, { clock: o.clock });
  const registrations = [
    factory.informerFor(R.services).addEventHandler({
      onAdd: (svc) => table.upsertService(svc),
      onUpdate: (_old, svc) => table.upsertService(svc),
      onDelete: (svc) => table.removeService(svc),
    }),
    factory.informerFor(R.endpointslices).addEventHandler({
      onAdd: (s) => table.upsertSlice(s),
      onUpdate: (_old, s) => table.upsertSlice(s),
      onDelete: (s) => table.removeSlice(s),
    }),
    factory.informerFor(R.nodes).addEventHandler({
      onAdd: (n) => table.setNode(n.metadata.name ?? '', internalIpOf(n)),
      onUpdate: (_old, n) => table.setNode(n.metadata.name ?? '', internalIpOf(n)),
      onDelete: (n) => table.setNode(n.metadata.name ?? '', undefined),
    }),
  ];
  factory.start();
  await factory.waitForCacheSync();
  const proxy: ServiceProxy = {
    table,
    route: (protocol: 'TCP' | 'UDP', dst: Endpoint, client: Endpoint, clientNode?: string): RouteDecision => table.route(protocol, dst, client, clientNode),
    entryNode: (service, protocol, nodePort) => table.entryNode(service, protocol, nodePort),
    stop: async () => {
      for (const r of registrations) r.remove();
      if (!o.informers) await factory.stop();
    },
  };
  o.network.setRouter(proxy);
  return proxy;
}
