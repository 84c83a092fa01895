/** Pods and services for the endpoint tests, driven through the API as the scheduler and kubelet would. */
import { R, type KubeClient } from '../../../../src-main/client';
import type { KubeObject, OwnerReference } from '../../../../src-main/api/types';

export async function runningPod(
  client: KubeClient,
  name: string,
  opts: { labels?: Record<string, string>; ip?: string; ready?: boolean; node?: string; ports?: { name?: string; containerPort: number }[]; hostname?: string; subdomain?: string; owners?: OwnerReference[] } = {},
): Promise<KubeObject> {
  await client.create(R.pods, 'default', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: opts.labels ?? { app: 'web' }, ownerReferences: opts.owners },
    spec: { hostname: opts.hostname, subdomain: opts.subdomain, containers: [{ name: 'c', image: 'nginx', ports: opts.ports ?? [{ name: 'http', containerPort: 8080 }] }] },
  });
  await client.bind('default', name, opts.node ?? 'kubesim-worker');
  if (opts.ip) await setStatus(client, name, opts.ip, opts.ready ?? true);
  return client.get(R.pods, 'default', name);
}

export async function setStatus(client: KubeClient, name: string, ip: string, ready: boolean): Promise<void> {
  const t = '2026-01-01T00:00:05Z';
  await client.patchStatus(R.pods, 'default', name, {
    status: {
      phase: 'Running',
      podIP: ip,
      podIPs: [{ ip }],
      conditions: [
        { type: 'PodScheduled', status: 'True', lastTransitionTime: t },
        { type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: t },
      ],
    },
  });
}

export async function service(client: KubeClient, name: string, spec: Record<string, unknown>, labels?: Record<string, string>): Promise<KubeObject> {
  return client.create(R.services, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name, labels }, spec: { ports: [{ name: 'http', port: 80, targetPort: 'http' }], ...spec } });
}
