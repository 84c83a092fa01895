import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../src-main/api/types';
import { fieldErrorMessage } from '../../../../src-main/api/field-errors';
import { Registry } from '../../../../src-main/api/registry';
import { formatLabelSelector, labelSelectorString } from '../../../../src-main/api/apps/util/selector-format';
import { statefulSetsDef } from '../../../../src-main/api/apps/statefulset';
import { daemonSetsDef } from '../../../../src-main/api/apps/daemonset';
import { controllerRevisionsDef } from '../../../../src-main/api/apps/controllerrevision';
import { storageClassesDef } from '../../../../src-main/api/storage/storageclass';
import { endpointSlicesDef } from '../../../../src-main/api/discovery/endpointslice';
import { leasesDef } from '../../../../src-main/api/coordination/lease';
import { podDisruptionBudgetsDef } from '../../../../src-main/api/policy/pdb';
import { ingressesDef, ingressClassesDef, networkPoliciesDef } from '../../../../src-main/api/networking/ingress';
import { clusterRoleBindingsDef, clusterRolesDef, roleBindingsDef } from '../../../../src-main/api/rbac/rbac';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const ctx = { namespace: 'default', now: new Date(NOW) };
const meta = (name: string, namespace?: string) => ({ name, ...(namespace ? { namespace } : {}), creationTimestamp: '2024-05-01T11:00:00Z' });
const msgs = (errs: { field: string }[]) => errs.map((e) => fieldErrorMessage(e as never));

describe('formatLabelSelector', () => {
  it('prints requirements sorted by key', () => {
    expect(formatLabelSelector({ matchLabels: { tier: 'fe', app: 'nginx' } })).toBe('app=nginx,tier=fe');
    expect(formatLabelSelector({ matchExpressions: [{ key: 'env', operator: 'In', values: ['b', 'a'] }, { key: 'canary', operator: 'DoesNotExist' }] })).toBe('!canary,env in (a,b)');
    expect(formatLabelSelector({ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['x'] }, { key: 'app', operator: 'Exists' }] })).toBe('app,env notin (x)');
    expect(formatLabelSelector({})).toBe('<none>');
    expect(formatLabelSelector(undefined)).toBe('<none>');
    expect(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] })).toBe('<error>');
    expect(labelSelectorString({ matchExpressions: [{ key: 'a', operator: 'Bad' }] })).toBeNull();
  });
});

describe('every kind is registered once with api-resources names', () => {
  const reg = new Registry();
  it.each([
    ['apps', 'v1', 'deployments', 'deploy', true],
    ['apps', 'v1', 'replicasets', 'rs', true],
    ['apps', 'v1', 'statefulsets', 'sts', true],
    ['apps', 'v1', 'daemonsets', 'ds', true],
    ['apps', 'v1', 'controllerrevisions', undefined, true],
    ['batch', 'v1', 'jobs', undefined, true],
    ['batch', 'v1', 'cronjobs', 'cj', true],
    ['discovery.k8s.io', 'v1', 'endpointslices', undefined, true],
    ['storage.k8s.io', 'v1', 'storageclasses', 'sc', false],
    ['storage.k8s.io', 'v1', 'csidrivers', undefined, false],
    ['coordination.k8s.io', 'v1', 'leases', undefined, true],
    ['events.k8s.io', 'v1', 'events', 'ev', true],
    ['policy', 'v1', 'poddisruptionbudgets', 'pdb', true],
    ['networking.k8s.io', 'v1', 'ingresses', 'ing', true],
    ['networking.k8s.io', 'v1', 'networkpolicies', 'netpol', true],
    ['networking.k8s.io', 'v1', 'ingressclasses', undefined, false],
    ['autoscaling', 'v2', 'horizontalpodautoscalers', 'hpa', true],
    ['autoscaling', 'v1', 'horizontalpodautoscalers', 'hpa', true],
    ['rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', undefined, false],
    ['rbac.authorization.k8s.io', 'v1', 'roles', undefined, true],
  ])('%s/%s %s', (group, version, plural, short, namespaced) => {
    const d = reg.get(group as string, version as string, plural as string);
    expect(d).toBeDefined();
    expect(d!.shortNames?.[0]).toBe(short);
    expect(d!.namespaced).toBe(namespaced);
    if (d!.table) for (const o of [{ apiVersion: 'x', kind: d!.kind, metadata: meta('x', 'default') }]) expect(d!.table.row(o, NOW)).toHaveLength(d!.table.columns.length);
  });
});

describe('statefulsets', () => {
  const sts = (): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: meta('web', 'default'),
    spec: {
      serviceName: 'web',
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    },
  });
  it('defaults', () => {
    const s = sts();
    statefulSetsDef.default!(s);
    statefulSetsDef.prepareForCreate!(s, ctx);
    expect(s.spec).toMatchObject({
      replicas: 1,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      revisionHistoryLimit: 10,
    });
    expect((s.spec as any).volumeClaimTemplates[0]).toMatchObject({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', spec: { volumeMode: 'Filesystem' }, status: { phase: 'Pending' } });
    expect(s.status).toEqual({ replicas: 0, availableReplicas: 0 });
    expect(statefulSetsDef.validate!(s, undefined)).toEqual([]);
  });
  it('forbids changing other spec fields', () => {
    const old = sts();
    statefulSetsDef.default!(old);
    const s = structuredClone(old);
    (s.spec as any).serviceName = 'other';
    (s.spec as any).replicas = 3;
    expect(msgs(statefulSetsDef.validate!(s, old))).toEqual([
      "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ]);
  });
  it('prints READY', () => {
    const s = sts();
    statefulSetsDef.default!(s);
    (s.spec as any).replicas = 3;
    s.status = { replicas: 3, readyReplicas: 2 };
    expect(statefulSetsDef.table!.row(s, NOW)).toEqual(['web', '2/3', '60m', 'nginx', 'nginx']);
  });
});

describe('daemonsets', () => {
  const ds = (): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: meta('agent', 'kube-system'),
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { nodeSelector: { 'kubernetes.io/os': 'linux' }, containers: [{ name: 'agent', image: 'agent:1' }] } },
    },
  });
  it('defaults and template generation', () => {
    const d = ds();
    daemonSetsDef.default!(d);
    daemonSetsDef.prepareForCreate!(d, ctx);
    expect((d.spec as any).updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    expect(d.metadata.annotations).toEqual({ 'deprecated.daemonset.template.generation': '1' });
    expect(daemonSetsDef.validate!(d, undefined)).toEqual([]);
    const next = structuredClone(d);
    (next.spec as any).template.spec.containers[0].image = 'agent:2';
    daemonSetsDef.prepareForUpdate!(next, d, ctx);
    expect(next.metadata.annotations!['deprecated.daemonset.template.generation']).toBe('2');
  });
  it('rejects maxSurge and maxUnavailable both set', () => {
    const d = ds();
    (d.spec as any).updateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } };
    daemonSetsDef.default!(d);
    expect(msgs(daemonSetsDef.validate!(d, undefined))).toEqual(['spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero']);
  });
  it('prints NODE SELECTOR', () => {
    const d = ds();
    daemonSetsDef.default!(d);
    d.status = { desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 1, updatedNumberScheduled: 2, numberAvailable: 1 };
    expect(daemonSetsDef.table!.row(d, NOW)).toEqual(['agent', 2, 2, 1, 2, 1, 'kubernetes.io/os=linux', '60m', 'agent', 'agent:1', 'app=agent']);
  });
});

describe('controllerrevisions', () => {
  it('prints CONTROLLER from the owner reference', () => {
    const cr: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: { ...meta('web-5d7b9', 'default'), ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u', controller: true }] },
      data: {},
      revision: 2,
    };
    expect(controllerRevisionsDef.table!.row(cr, NOW)).toEqual(['web-5d7b9', 'statefulset.apps/web', 2, '60m']);
    expect(msgs(controllerRevisionsDef.validate!({ ...cr, data: undefined }, undefined))).toEqual(['data: Required value: data is mandatory']);
  });
});

describe('storageclasses', () => {
  it('defaults and prints the default class', () => {
    const sc: KubeObject = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { ...meta('standard'), annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'rancher.io/local-path', volumeBindingMode: 'WaitForFirstConsumer' };
    storageClassesDef.default!(sc);
    expect(sc.reclaimPolicy).toBe('Delete');
    expect(storageClassesDef.validate!(sc, undefined)).toEqual([]);
    expect(storageClassesDef.table!.row(sc, NOW)).toEqual(['standard (default)', 'rancher.io/local-path', 'Delete', 'WaitForFirstConsumer', false, '60m']);
    const changed = { ...sc, provisioner: 'other.io/x' };
    expect(msgs(storageClassesDef.validate!(changed, sc))).toEqual(['provisioner: Forbidden: updates to provisioner are forbidden.']);
  });
  it('rejects a bad reclaim policy', () => {
    const sc: KubeObject = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: meta('fast'), provisioner: 'x.io/y', reclaimPolicy: 'Recycle' };
    storageClassesDef.default!(sc);
    expect(msgs(storageClassesDef.validate!(sc, undefined))).toEqual(['reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"']);
  });
});

describe('endpointslices', () => {
  it('defaults ports and prints ADDRESSTYPE/PORTS/ENDPOINTS', () => {
    const es: KubeObject = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: meta('web-abc12', 'default'),
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 80 }],
      endpoints: ['10.244.1.5', '10.244.2.7', '10.244.1.9', '10.244.2.3'].map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
    };
    endpointSlicesDef.default!(es);
    expect((es.ports as any)[0].protocol).toBe('TCP');
    expect(endpointSlicesDef.validate!(es, undefined)).toEqual([]);
    expect(endpointSlicesDef.table!.row(es, NOW)).toEqual(['web-abc12', 'IPv4', '80', '10.244.1.5,10.244.2.7,10.244.1.9 + 1 more...', '60m']);
    expect(endpointSlicesDef.table!.row({ ...es, ports: [], endpoints: [] }, NOW).slice(2, 4)).toEqual(['<unset>', '<unset>']);
  });
});

describe('leases', () => {
  it('prints HOLDER', () => {
    const l: KubeObject = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: meta('worker-1', 'kube-node-lease'), spec: { holderIdentity: 'worker-1', leaseDurationSeconds: 40 } };
    expect(leasesDef.validate!(l, undefined)).toEqual([]);
    expect(leasesDef.table!.row(l, NOW)).toEqual(['worker-1', 'worker-1', '60m']);
  });
});

describe('poddisruptionbudgets', () => {
  const pdb = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta('web', 'default'), spec: { selector: { matchLabels: { app: 'web' } }, ...spec } });
  it('minAvailable and maxUnavailable are exclusive', () => {
    const errs = podDisruptionBudgetsDef.validate!(pdb({ minAvailable: 1, maxUnavailable: '20%' }), undefined);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ field: 'spec', type: 'FieldValueInvalid', detail: 'minAvailable and maxUnavailable cannot be both set' });
  });
  it('prints N/A for the unset bound', () => {
    const p = pdb({ minAvailable: 2 });
    podDisruptionBudgetsDef.prepareForCreate!(p, ctx);
    expect(p.status).toEqual({ disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 });
    expect(podDisruptionBudgetsDef.table!.row(p, NOW)).toEqual(['web', '2', 'N/A', 0, '60m']);
  });
});

describe('ingresses', () => {
  const ing = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: meta('web', 'default'), spec });
  const rule = (path: Record<string, unknown>) => ({ host: 'web.example.com', http: { paths: [{ path: '/', backend: { service: { name: 'web', port: { number: 80 } } }, ...path }] } });
  it('requires pathType', () => {
    expect(msgs(ingressesDef.validate!(ing({ rules: [rule({})] }), undefined))).toEqual(['spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified']);
  });
  it('checks paths and backends', () => {
    const errs = msgs(ingressesDef.validate!(ing({ rules: [rule({ pathType: 'Prefix', path: 'api', backend: { service: { name: 'web', port: {} } } })] }), undefined));
    expect(errs).toEqual(['spec.rules[0].http.paths[0].path: Invalid value: "api": must be an absolute path', 'spec.rules[0].http.paths[0].backend: Required value: port name or number is required']);
    expect(msgs(ingressesDef.validate!(ing({}), undefined))).toEqual(['spec: Invalid value: null: either `defaultBackend` or `rules` must be specified']);
  });
  it('prints CLASS/HOSTS/ADDRESS/PORTS', () => {
    const i = ing({ ingressClassName: 'nginx', rules: [rule({ pathType: 'Prefix' })], tls: [{ hosts: ['web.example.com'] }] });
    expect(ingressesDef.validate!(i, undefined)).toEqual([]);
    i.status = { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } };
    expect(ingressesDef.table!.row(i, NOW)).toEqual(['web', 'nginx', 'web.example.com', '127.0.0.1', '80, 443', '60m']);
    expect(ingressesDef.table!.row(ing({ defaultBackend: { service: { name: 'x', port: { number: 80 } } } }), NOW)).toEqual(['web', '<none>', '*', '', '80', '60m']);
  });
  it('ingress classes', () => {
    const c: KubeObject = { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: meta('nginx'), spec: { controller: 'k8s.io/ingress-nginx' } };
    expect(ingressClassesDef.validate!(c, undefined)).toEqual([]);
    expect(ingressClassesDef.table!.row(c, NOW)).toEqual(['nginx', 'k8s.io/ingress-nginx', '<none>', '60m']);
  });
});

describe('networkpolicies', () => {
  it('defaults policyTypes and prints POD-SELECTOR', () => {
    const np: KubeObject = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta('deny', 'default'), spec: { podSelector: { matchLabels: { app: 'db' } }, egress: [{ ports: [{ port: 5432 }] }] } };
    networkPoliciesDef.default!(np);
    expect((np.spec as any).policyTypes).toEqual(['Ingress', 'Egress']);
    expect((np.spec as any).egress[0].ports[0].protocol).toBe('TCP');
    expect(networkPoliciesDef.validate!(np, undefined)).toEqual([]);
    expect(networkPoliciesDef.table!.row(np, NOW)).toEqual(['deny', 'app=db', '60m']);
    expect(networkPoliciesDef.table!.row({ ...np, spec: { podSelector: {} } }, NOW)[1]).toBe('<none>');
  });
});

describe('rbac', () => {
  it('bindings default apiGroups and print ROLE and subjects', () => {
    const rb: KubeObject = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta('read-pods', 'default'),
      roleRef: { kind: 'Role', name: 'pod-reader' },
      subjects: [{ kind: 'User', name: 'jane' }, { kind: 'ServiceAccount', name: 'ci', namespace: 'default' }, { kind: 'Group', name: 'devs' }],
    };
    roleBindingsDef.default!(rb);
    expect((rb.roleRef as any).apiGroup).toBe('rbac.authorization.k8s.io');
    expect((rb.subjects as any[]).map((s) => s.apiGroup)).toEqual(['rbac.authorization.k8s.io', '', 'rbac.authorization.k8s.io']);
    expect(roleBindingsDef.validate!(rb, undefined)).toEqual([]);
    expect(roleBindingsDef.table!.row(rb, NOW)).toEqual(['read-pods', 'Role/pod-reader', '60m', 'jane', 'devs', 'default/ci']);
    const changed = structuredClone(rb);
    (changed.roleRef as any).name = 'admin';
    expect(roleBindingsDef.validate!(changed, rb).map((e) => `${e.field}: ${e.detail}`)).toEqual(['roleRef: cannot change roleRef']);
  });
  it('cluster role bindings only reference ClusterRoles', () => {
    const crb: KubeObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: meta('x'), roleRef: { kind: 'Role', name: 'r' } };
    clusterRoleBindingsDef.default!(crb);
    expect(msgs(clusterRoleBindingsDef.validate!(crb, undefined))).toEqual(['roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"']);
  });
  it('roles print NAME and CREATED AT; rules need verbs', () => {
    const cr: KubeObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: meta('view'), rules: [{ apiGroups: [''], resources: ['pods'] }] };
    expect(clusterRolesDef.table!.columns.map((c) => [c.name, c.type])).toEqual([['Name', 'string'], ['Created At', 'date']]);
    expect(clusterRolesDef.table!.row(cr, NOW)).toEqual(['view', '2024-05-01T11:00:00Z']);
    expect(msgs(clusterRolesDef.validate!(cr, undefined))).toEqual(['rules[0].verbs: Required value: verbs must contain at least one value']);
  });
});
