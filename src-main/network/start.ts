/**
 * Starts the cluster's data plane for cluster-start: the network (pod namespaces), the service
 * proxy (kube-proxy) routing service addresses in it, the 127.0.0.1 listeners for NodePort and
 * LoadBalancer services, and the API server's dialer into it (from the control-plane node).
 */
import type { ApiHandler } from '../apiserver/types';
import type { ClusterDialer } from '../apiserver/node-connections';
import { KubeClient, SharedInformerFactory, type Clock } from '../client';
import type { ClusterNetwork } from './types';
import { Fabric } from './fabric';
import { startServiceProxy, type ServiceProxy } from './service-proxy';
import { startHostListeners, type HostListeners } from './host-listeners';

/** The control-plane node's InternalIP (kubelet/node-status.ts nodeIp(0)): where the API server dials from. */
export const CONTROL_PLANE_IP = '172.18.0.2';

export interface ClusterDataPlane {
  network: ClusterNetwork & Fabric;
  proxy: ServiceProxy;
  hostListeners: HostListeners;
  dialer: ClusterDialer;
  stop(): Promise<void>;
}

export async function startNetwork(o: { handler: ApiHandler; clock: Clock; log?: (line: string) => void }): Promise<ClusterDataPlane> {
  const client = new KubeClient(
    o.handler,
    { name: 'system:kube-proxy', groups: ['system:masters', 'system:authenticated'] },
    { userAgent: 'kube-proxy/v1.32.0 (linux/amd64) kubernetes/kubesim', fieldManager: 'service-controller' },
  );
  const informers = new SharedInformerFactory(client, { clock: o.clock, log: o.log });
  const network = new Fabric();
  const proxy = await startServiceProxy({ client, network, clock: o.clock, informers });
  const hostListeners = await startHostListeners({ client, network, proxy, clock: o.clock, informers, log: o.log });
  const dialer: ClusterDialer = {
    dial: async (host, port) => (await network.connectFromNode(CONTROL_PLANE_IP, host, port)).socket,
  };
  return {
    network,
    proxy,
    hostListeners,
    dialer,
    stop: async () => {
      await hostListeners.stop();
      await proxy.stop();
      await informers.stop();
    },
  };
}
