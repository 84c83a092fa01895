import type { KubeObject } from '../../../src-main/api/types';

/** A Deployment as the API server stores it after `kubectl create deployment` (trimmed). */
export function deployment(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'default',
      uid: '6f1c7c3e-0000-4000-8000-000000000001',
      resourceVersion: '100',
      generation: 1,
      creationTimestamp: '2024-01-01T00:00:00Z',
      labels: { app: 'web', tier: 'frontend' },
    },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'nginx',
              image: 'nginx:1.24',
              ports: [{ containerPort: 80, protocol: 'TCP' }],
              env: [
                { name: 'A', value: '1' },
                { name: 'B', value: '2' },
              ],
            },
            { name: 'sidecar', image: 'busybox:1.36', command: ['sh', '-c', 'sleep 3600'] },
          ],
          volumes: [{ name: 'data', emptyDir: {} }],
        },
      },
    },
    status: { replicas: 2, readyReplicas: 2 },
  };
}

export function containers(obj: KubeObject): Record<string, unknown>[] {
  return ((obj.spec as any).template.spec.containers ?? []) as Record<string, unknown>[];
}
