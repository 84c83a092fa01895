/**
 * The events a node's first start leaves, as a kubeadm/kind node shows them in
 * `kubectl describe node`: the kubelet's Starting / NodeHas… / NodeAllocatableEnforced /
 * NodeReady, and the node controller's RegisteredNode.
 */
import type { KubeClient } from '../client';
import { EventRecorder, R } from '../client';

const KUBELET_EVENTS: [string, string][] = [
  ['Starting', 'Starting kubelet.'],
  ['NodeHasSufficientMemory', 'Node {node} status is now: NodeHasSufficientMemory'],
  ['NodeHasNoDiskPressure', 'Node {node} status is now: NodeHasNoDiskPressure'],
  ['NodeHasSufficientPID', 'Node {node} status is now: NodeHasSufficientPID'],
  ['NodeAllocatableEnforced', 'Updated Node Allocatable limit across pods'],
  ['NodeReady', 'Node {node} status is now: NodeReady'],
];

/** `firstStart`: the Node was registered just now (a restart only repeats the kubelet's Starting). */
export async function recordNodeStartEvents(client: KubeClient, nodeName: string, firstStart: boolean): Promise<void> {
  const node = await client.get(R.nodes, undefined, nodeName);
  const kubelet = new EventRecorder(client, { component: 'kubelet', host: nodeName });
  // The kubelet reports about its node with the node's name as the uid, as upstream does.
  for (const [reason, message] of firstStart ? KUBELET_EVENTS : KUBELET_EVENTS.slice(0, 1)) {
    await kubelet.record({ regarding: node, uid: nodeName, type: 'Normal', reason, message: message.replace('{node}', nodeName) });
  }
  if (!firstStart) return;
  const controller = new EventRecorder(client, { component: 'node-controller' });
  await controller.record({ regarding: node, type: 'Normal', reason: 'RegisteredNode', message: `Node ${nodeName} event: Registered Node ${nodeName} in Controller` });
}
