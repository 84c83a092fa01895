/**
 * The sidebar's catalog: the served resources (from discovery) grouped like Headlamp and Lens —
 * Cluster, Workloads, Network, Config, Storage, Access — and every other listable kind under
 * More, sorted by kind.
 */
import type { ApiResource } from '../api/types';

export interface CatalogItem {
  label: string;
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
}

export interface CatalogSection {
  title: string;
  items: CatalogItem[];
}

/** [section, [group, resource, label]…] in display order. */
const SECTIONS: [string, [string, string, string][]][] = [
  ['Cluster', [['', 'nodes', 'Nodes'], ['', 'namespaces', 'Namespaces'], ['', 'events', 'Events']]],
  [
    'Workloads',
    [
      ['', 'pods', 'Pods'],
      ['apps', 'deployments', 'Deployments'],
      ['apps', 'replicasets', 'ReplicaSets'],
      ['apps', 'statefulsets', 'StatefulSets'],
      ['apps', 'daemonsets', 'DaemonSets'],
      ['batch', 'jobs', 'Jobs'],
      ['batch', 'cronjobs', 'CronJobs'],
      ['', 'replicationcontrollers', 'ReplicationControllers'],
    ],
  ],
  [
    'Network',
    [
      ['', 'services', 'Services'],
      ['', 'endpoints', 'Endpoints'],
      ['discovery.k8s.io', 'endpointslices', 'EndpointSlices'],
      ['networking.k8s.io', 'ingresses', 'Ingresses'],
      ['networking.k8s.io', 'ingressclasses', 'IngressClasses'],
      ['networking.k8s.io', 'networkpolicies', 'NetworkPolicies'],
    ],
  ],
  [
    'Config',
    [
      ['', 'configmaps', 'ConfigMaps'],
      ['', 'secrets', 'Secrets'],
      ['', 'resourcequotas', 'ResourceQuotas'],
      ['', 'limitranges', 'LimitRanges'],
      ['autoscaling', 'horizontalpodautoscalers', 'HorizontalPodAutoscalers'],
      ['policy', 'poddisruptionbudgets', 'PodDisruptionBudgets'],
    ],
  ],
  [
    'Storage',
    [
      ['', 'persistentvolumeclaims', 'PersistentVolumeClaims'],
      ['', 'persistentvolumes', 'PersistentVolumes'],
      ['storage.k8s.io', 'storageclasses', 'StorageClasses'],
    ],
  ],
  [
    'Access',
    [
      ['', 'serviceaccounts', 'ServiceAccounts'],
      ['rbac.authorization.k8s.io', 'roles', 'Roles'],
      ['rbac.authorization.k8s.io', 'rolebindings', 'RoleBindings'],
      ['rbac.authorization.k8s.io', 'clusterroles', 'ClusterRoles'],
      ['rbac.authorization.k8s.io', 'clusterrolebindings', 'ClusterRoleBindings'],
    ],
  ],
];

/** Kinds in these groups are already shown elsewhere (events.k8s.io duplicates core Events). */
const HIDDEN = new Set(['events.k8s.io/events']);

/** Listable and watchable: what a browser view can show live. */
export function isBrowsable(r: ApiResource): boolean {
  return r.verbs.includes('list') && r.verbs.includes('watch');
}

export function buildCatalog(resources: readonly ApiResource[]): CatalogSection[] {
  const byKey = new Map(resources.filter(isBrowsable).map((r) => [`${r.group}/${r.resource}`, r]));
  const used = new Set<string>();
  const sections: CatalogSection[] = [];
  for (const [title, entries] of SECTIONS) {
    const items: CatalogItem[] = [];
    for (const [group, resource, label] of entries) {
      const r = byKey.get(`${group}/${resource}`);
      if (!r) continue;
      used.add(`${group}/${resource}`);
      items.push({ label, group, version: r.version, resource, kind: r.kind, namespaced: r.namespaced });
    }
    if (items.length) sections.push({ title, items });
  }
  const more = [...byKey.entries()]
    .filter(([k]) => !used.has(k) && !HIDDEN.has(k))
    .map(([, r]) => ({ label: r.kind, group: r.group, version: r.version, resource: r.resource, kind: r.kind, namespaced: r.namespaced }))
    .sort((a, b) => a.label.localeCompare(b.label) || a.group.localeCompare(b.group));
  if (more.length) sections.push({ title: 'More', items: more });
  return sections;
}
