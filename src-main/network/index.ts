/** The cluster network's entry points (see README.md). */
import { Fabric } from './fabric';
import type { ClusterNetwork } from './types';

export type * from './types';
export { NetworkError } from './types';
export { VirtualSocket, socketPair } from './socket-pair';
export { Fabric } from './fabric';
export { HOST_GATEWAY_IP } from './addresses';

/** A fresh cluster network with no pods and no service router yet. */
export function createClusterNetwork(): ClusterNetwork & Fabric {
  return new Fabric();
}
