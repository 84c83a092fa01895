/** Objects as the API server returns them for a Deployment `web` after `kubectl set image` (two ReplicaSets). */
import type { ControllerRevision, ReplicaSet, Workload } from '../../../../src-renderer/features/rollout/types';

export const template = (image: string, hash?: string) => ({
  metadata: { labels: { app: 'web', ...(hash ? { 'pod-template-hash': hash } : {}) }, creationTimestamp: null },
  spec: {
    containers: [{ name: 'nginx', image, imagePullPolicy: 'IfNotPresent', resources: {}, terminationMessagePath: '/dev/termination-log' }],
    restartPolicy: 'Always',
    dnsPolicy: 'ClusterFirst',
  },
});

export const deployment = (image = 'nginx:1.26', extra: Partial<Workload['spec']> = {}): Workload => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    namespace: 'shop',
    uid: 'd-uid',
    generation: 2,
    annotations: { 'deployment.kubernetes.io/revision': '2', 'kubernetes.io/change-cause': 'kubectl set image deployment/web nginx=nginx:1.26', 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
  },
  spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: template(image) as never, ...extra },
  status: { observedGeneration: 2, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 },
});

const owner = (uid: string, kind = 'Deployment', name = 'web') => [{ apiVersion: 'apps/v1', kind, name, uid, controller: true }];

export const replicaSet = (name: string, revision: string | undefined, image: string, hash: string, extraAnnotations: Record<string, string> = {}, ownerUid = 'd-uid'): ReplicaSet => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    name,
    namespace: 'shop',
    uid: `${name}-uid`,
    creationTimestamp: '2026-11-23T10:00:00Z',
    annotations: { ...(revision !== undefined ? { 'deployment.kubernetes.io/revision': revision } : {}), 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4', ...extraAnnotations },
    ownerReferences: owner(ownerUid),
  },
  spec: { replicas: 0, selector: { matchLabels: { app: 'web', 'pod-template-hash': hash } }, template: template(image, hash) as never },
  status: { replicas: 0 },
});

export const controllerRevision = (name: string, revision: number, image: string, ownerUid = 's-uid', annotations: Record<string, string> = {}): ControllerRevision => ({
  apiVersion: 'apps/v1',
  kind: 'ControllerRevision',
  metadata: { name, namespace: 'shop', uid: `${name}-uid`, creationTimestamp: '2026-11-23T10:00:00Z', ownerReferences: owner(ownerUid, 'StatefulSet', 'db'), annotations },
  revision,
  data: { spec: { template: { $patch: 'replace', ...template(image) } } },
});

export const statefulSet = (image: string): Workload => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'db', namespace: 'shop', uid: 's-uid', generation: 1 },
  spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: template(image) as never, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } } },
  status: { observedGeneration: 1, replicas: 2, readyReplicas: 2, updatedReplicas: 2, currentReplicas: 2, currentRevision: 'db-1', updateRevision: 'db-1' },
});
