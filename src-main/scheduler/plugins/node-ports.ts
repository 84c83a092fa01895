/** NodePorts: a pod's hostPorts must be free on the node (same protocol and port, overlapping IP). */
import { unschedulable, type FilterPlugin } from '../framework';
import type { NodeInfo } from '../node-info';
import type { HostPort } from '../pod-info';

export const NODE_PORTS = 'NodePorts';
export const ERR_NODE_PORTS = "node(s) didn't have free ports for the requested pod ports";

export function portConflicts(want: readonly HostPort[], node: NodeInfo): boolean {
  for (const hp of want) {
    const ips = node.usedPorts.get(`${hp.protocol}/${hp.port}`);
    if (!ips) continue;
    if (hp.ip === '0.0.0.0' || ips.has('0.0.0.0') || ips.has(hp.ip)) return true;
  }
  return false;
}

export const nodePorts: FilterPlugin = {
  name: NODE_PORTS,
  preFilter: (state) => (state.pod.hostPorts.length ? undefined : 'skip'),
  filter: (state, node) => (portConflicts(state.pod.hostPorts, node) ? unschedulable(NODE_PORTS, ERR_NODE_PORTS) : undefined),
};
