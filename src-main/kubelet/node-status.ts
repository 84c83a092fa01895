/**
 * What a simulated node reports about itself: labels, taints, capacity, conditions, addresses and
 * nodeInfo, in the shape a kubeadm/kind node has them.
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from '../api/types';

export const KUBELET_VERSION = 'v1.32.0';
export const CONTAINER_RUNTIME = 'kubesim://0.1.0';

export interface NodeIdentity {
  name: string;
  controlPlane: boolean;
  /** 0 for the control plane, 1.. for workers. */
  index: number;
}

export function nodeIp(index: number): string {
  return `172.18.0.${index + 2}`;
}

function hexId(seed: string): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, 32);
}

function uuidFrom(seed: string): string {
  const h = hexId(seed);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function nodeObject(id: NodeIdentity): KubeObject {
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': id.name,
    'kubernetes.io/os': 'linux',
  };
  if (id.controlPlane) {
    labels['node-role.kubernetes.io/control-plane'] = '';
    labels['node.kubernetes.io/exclude-from-external-load-balancers'] = '';
  }
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: id.name,
      labels,
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      podCIDR: `10.244.${id.index}.0/24`,
      podCIDRs: [`10.244.${id.index}.0/24`],
      providerID: `kubesim://${id.name}`,
      ...(id.controlPlane ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } : {}),
    },
  };
}

export function nodeStatus(id: NodeIdentity, now: string, since: string): Record<string, unknown> {
  const resources = { cpu: '4', 'ephemeral-storage': '102626232Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: '8145280Ki', pods: '110' };
  const cond = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: now,
    lastTransitionTime: since,
    reason,
    message,
  });
  return {
    capacity: resources,
    allocatable: resources,
    conditions: [
      cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
      cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
    ],
    addresses: [
      { type: 'InternalIP', address: nodeIp(id.index) },
      { type: 'Hostname', address: id.name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID: hexId(`machine-${id.name}`),
      systemUUID: uuidFrom(`system-${id.name}`),
      bootID: uuidFrom(`boot-${id.name}-${since}`),
      kernelVersion: '6.1.0-kubesim',
      osImage: 'Debian GNU/Linux 12 (bookworm)',
      containerRuntimeVersion: CONTAINER_RUNTIME,
      kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: KUBELET_VERSION,
      operatingSystem: 'linux',
      architecture: 'amd64',
    },
    images: [],
  };
}
