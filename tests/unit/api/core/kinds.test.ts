import { describe, expect, it } from 'vitest';
import { coreKinds } from '../../../../src-main/api/core';
import { nodesDef } from '../../../../src-main/api/core/node';
import { namespacesDef } from '../../../../src-main/api/core/namespace';
import { configMapsDef } from '../../../../src-main/api/core/configmap';
import { secretsDef } from '../../../../src-main/api/core/secret';
import { serviceAccountsDef } from '../../../../src-main/api/core/serviceaccount';
import { persistentVolumesDef } from '../../../../src-main/api/core/persistentvolume';
import { persistentVolumeClaimsDef } from '../../../../src-main/api/core/persistentvolumeclaim';
import { eventsDef } from '../../../../src-main/api/core/event';
import { limitRangesDef } from '../../../../src-main/api/core/limitrange';
import { resourceQuotasDef } from '../../../../src-main/api/core/resourcequota';
import { replicationControllersDef } from '../../../../src-main/api/core/replicationcontroller';
import { podTemplatesDef } from '../../../../src-main/api/core/podtemplate';
import { ALL_VERBS, servedVerbs } from '../../../../src-main/api/resource';
import { NOW, create, errorsOf, obj, rowOf, update } from './helpers';

describe('core kinds as api-resources lists them', () => {
  it('names, short names, scope and categories', () => {
    const rows = coreKinds.map((k) => [k.plural, (k.shortNames ?? []).join(','), k.namespaced, k.kind, (k.categories ?? []).join(',')]);
    expect(rows).toEqual([
      ['configmaps', 'cm', true, 'ConfigMap', ''],
      ['endpoints', 'ep', true, 'Endpoints', ''],
      ['events', 'ev', true, 'Event', ''],
      ['limitranges', 'limits', true, 'LimitRange', ''],
      ['namespaces', 'ns', false, 'Namespace', ''],
      ['nodes', 'no', false, 'Node', ''],
      ['persistentvolumeclaims', 'pvc', true, 'PersistentVolumeClaim', ''],
      ['persistentvolumes', 'pv', false, 'PersistentVolume', ''],
      ['pods', 'po', true, 'Pod', 'all'],
      ['podtemplates', '', true, 'PodTemplate', ''],
      ['replicationcontrollers', 'rc', true, 'ReplicationController', 'all'],
      ['resourcequotas', 'quota', true, 'ResourceQuota', ''],
      ['secrets', '', true, 'Secret', ''],
      ['serviceaccounts', 'sa', true, 'ServiceAccount', ''],
      ['services', 'svc', true, 'Service', 'all'],
    ]);
    for (const k of coreKinds) {
      if (k.plural === 'namespaces') expect(servedVerbs(k)).toEqual(ALL_VERBS.filter((v) => v !== 'deletecollection'));
      else expect(servedVerbs(k)).toEqual(ALL_VERBS);
      if (k.table) for (const cell of [k.table.columns.length]) expect(k.table.row(obj(k.kind, 'x'), NOW)).toHaveLength(cell);
    }
    expect(replicationControllersDef.generation).toBe(true);
    expect(replicationControllersDef.scale?.specReplicasPath).toBe('spec.replicas');
  });
});

describe('nodes', () => {
  const node = (conds: unknown[], labels: Record<string, string> = {}, spec: Record<string, unknown> = {}) =>
    obj('Node', 'worker-1', {
      spec,
      status: {
        conditions: conds,
        addresses: [{ type: 'InternalIP', address: '172.18.0.3' }, { type: 'Hostname', address: 'worker-1' }],
        nodeInfo: { kubeletVersion: 'v1.30.0', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0', containerRuntimeVersion: 'containerd://1.7.13' },
      },
    }, { namespace: undefined, labels });
  it('Ready control-plane', () => {
    expect(nodesDef.table!.row(node([{ type: 'Ready', status: 'True' }], { 'node-role.kubernetes.io/control-plane': '' }), NOW)).toEqual([
      'worker-1', 'Ready', 'control-plane', '60m', 'v1.30.0', '172.18.0.3', '<none>', 'Debian GNU/Linux 12 (bookworm)', '6.1.0', 'containerd://1.7.13',
    ]);
  });
  it('NotReady, Unknown, SchedulingDisabled, roles', () => {
    expect(rowOf(nodesDef, node([{ type: 'Ready', status: 'Unknown' }])).STATUS).toBe('NotReady');
    expect(rowOf(nodesDef, node([])).STATUS).toBe('Unknown');
    expect(rowOf(nodesDef, node([{ type: 'Ready', status: 'True' }], { 'kubernetes.io/role': 'worker', 'node-role.kubernetes.io/infra': 'x' }, { unschedulable: true }))).toMatchObject({
      STATUS: 'Ready,SchedulingDisabled',
      ROLES: 'infra,worker',
    });
    expect(rowOf(nodesDef, node([{ type: 'Ready', status: 'True' }])).ROLES).toBe('<none>');
  });
  it('keeps the registered status on create and defaults allocatable', () => {
    const { obj: n, errors } = create(nodesDef, { metadata: { name: 'n1' }, status: { capacity: { cpu: '4' } } });
    expect(errors).toEqual([]);
    expect(n.status).toEqual({ capacity: { cpu: '4' }, allocatable: { cpu: '4' } });
  });
  it('taints', () => {
    expect(errorsOf(nodesDef, { metadata: { name: 'n' }, spec: { taints: [{ key: 'a', effect: 'Sometimes' }, { key: 'b' }] } })).toEqual([
      'spec.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoExecute", "NoSchedule", "PreferNoSchedule"',
      'spec.taints[1].effect: Required value',
    ]);
  });
  it('field selector spec.unschedulable', () => {
    expect(nodesDef.fieldSelectors!['spec.unschedulable'](node([], {}, { unschedulable: true }))).toBe('true');
  });
});

describe('namespaces', () => {
  it('label, phase and finalizer', () => {
    const { obj: ns, errors } = create(namespacesDef, { metadata: { name: 'dev' } });
    expect(errors).toEqual([]);
    expect(ns.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'dev' });
    expect(ns.status).toEqual({ phase: 'Active' });
    expect(ns.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(rowOf(namespacesDef, ns)).toEqual({ NAME: 'dev', STATUS: 'Active', AGE: '60m' });
  });
  it('names are DNS labels', () => {
    expect(errorsOf(namespacesDef, { metadata: { name: 'a.b' } })[0]).toMatch(/^metadata\.name: Invalid value: "a\.b": a lowercase RFC 1123 label must consist of/);
  });
});

describe('configmaps and secrets', () => {
  it('configmap keys and table', () => {
    expect(errorsOf(configMapsDef, { metadata: { name: 'c' }, data: { 'bad key': 'v' } })).toEqual([
      `data[bad key]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
    ]);
    expect(errorsOf(configMapsDef, { metadata: { name: 'c' }, data: { big: 'x'.repeat(1024 * 1024 + 1) } })).toEqual([': Too long: may not be more than 1048576 bytes']);
    expect(rowOf(configMapsDef, obj('ConfigMap', 'c', { data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } })).DATA).toBe(3);
  });
  it('immutable configmaps', () => {
    const { obj: cm } = create(configMapsDef, { metadata: { name: 'c' }, immutable: true, data: { a: '1' } });
    expect(update(configMapsDef, cm, (c) => ((c.data as any).a = '2')).errors).toEqual(['data: Forbidden: field is immutable when `immutable` is set']);
    expect(update(configMapsDef, cm, (c) => (c.immutable = false)).errors).toEqual(['immutable: Forbidden: field is immutable when `immutable` is set']);
  });
  it('secret defaults, stringData and table', () => {
    const { obj: sec, errors } = create(secretsDef, { metadata: { name: 's' }, stringData: { user: 'admin' }, data: { pw: 'c2VjcmV0' } });
    expect(errors).toEqual([]);
    expect(sec.type).toBe('Opaque');
    expect(sec.data).toEqual({ pw: 'c2VjcmV0', user: 'YWRtaW4=' });
    expect(sec.stringData).toBeUndefined();
    expect(rowOf(secretsDef, sec)).toEqual({ NAME: 's', TYPE: 'Opaque', DATA: 2, AGE: '60m' });
    expect(secretsDef.fieldSelectors!.type(sec)).toBe('Opaque');
  });
  it('secret type rules', () => {
    expect(errorsOf(secretsDef, { metadata: { name: 's' }, type: 'kubernetes.io/tls', data: {} })).toEqual(['data[tls.crt]: Required value', 'data[tls.key]: Required value']);
    const { obj: sec } = create(secretsDef, { metadata: { name: 's' }, data: {} });
    expect(update(secretsDef, sec, (x) => (x.type = 'kubernetes.io/tls')).errors).toContain('type: Invalid value: "kubernetes.io/tls": field is immutable');
  });
  it('service accounts', () => {
    expect(rowOf(serviceAccountsDef, obj('ServiceAccount', 'default'))).toEqual({ NAME: 'default', SECRETS: 0, AGE: '60m' });
  });
});

describe('persistent volumes and claims', () => {
  it('PV defaults, validation and table', () => {
    const { obj: pv, errors } = create(persistentVolumesDef, { metadata: { name: 'pv1' }, spec: { capacity: { storage: '1024Mi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/data' } } });
    expect(errors).toEqual([]);
    expect(pv.spec).toMatchObject({ persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem', capacity: { storage: '1Gi' }, hostPath: { path: '/data', type: '' } });
    expect((pv.status as any).phase).toBe('Pending');
    expect(rowOf(persistentVolumesDef, pv)).toEqual({
      NAME: 'pv1', CAPACITY: '1Gi', 'ACCESS MODES': 'RWO', 'RECLAIM POLICY': 'Retain', STATUS: 'Pending', CLAIM: '', STORAGECLASS: '', VOLUMEATTRIBUTESCLASS: '<unset>', REASON: '', AGE: '60m', VOLUMEMODE: 'Filesystem',
    });
    const bound = { ...pv, spec: { ...(pv.spec as object), claimRef: { namespace: 'default', name: 'data' }, accessModes: ['ReadWriteMany', 'ReadWriteOnce'] }, status: { phase: 'Bound' } };
    expect(rowOf(persistentVolumesDef, bound)).toMatchObject({ CLAIM: 'default/data', STATUS: 'Bound', 'ACCESS MODES': 'RWO,RWX' });
    expect(errorsOf(persistentVolumesDef, { metadata: { name: 'pv2' }, spec: { hostPath: { path: '/x' } } })).toEqual([
      'spec.accessModes: Required value: must specify at least 1 access mode',
      'spec.capacity: Required value',
      'spec.capacity: Unsupported value: {}: supported values: "storage"',
    ]);
  });
  it('PVC defaults, validation and table', () => {
    const { obj: pvc, errors } = create(persistentVolumeClaimsDef, { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
    expect(errors).toEqual([]);
    expect((pvc.spec as any).volumeMode).toBe('Filesystem');
    expect(pvc.status).toEqual({ phase: 'Pending' });
    expect(rowOf(persistentVolumeClaimsDef, pvc)).toEqual({
      NAME: 'data', STATUS: 'Pending', VOLUME: '', CAPACITY: '', 'ACCESS MODES': '', STORAGECLASS: '', VOLUMEATTRIBUTESCLASS: '<unset>', AGE: '60m', VOLUMEMODE: 'Filesystem',
    });
    const bound = { ...pvc, spec: { ...(pvc.spec as object), volumeName: 'pv1', storageClassName: 'standard' }, status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } } };
    expect(rowOf(persistentVolumeClaimsDef, bound)).toMatchObject({ STATUS: 'Bound', VOLUME: 'pv1', CAPACITY: '1Gi', 'ACCESS MODES': 'RWO', STORAGECLASS: 'standard' });
    expect(errorsOf(persistentVolumeClaimsDef, { metadata: { name: 'x' }, spec: {} })).toEqual([
      'spec.accessModes: Required value: at least 1 access mode is required',
      'spec.resources[storage]: Required value',
    ]);
    expect(update(persistentVolumeClaimsDef, pvc, (p) => ((p.spec as any).accessModes = ['ReadWriteMany'])).errors).toEqual([
      'spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
    ]);
    expect(update(persistentVolumeClaimsDef, pvc, (p) => ((p.spec as any).volumeName = 'pv1')).errors).toEqual([]);
  });
});

describe('events', () => {
  const ev = (rest: Record<string, unknown>) => obj('Event', 'web.17a', { involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' }, type: 'Normal', reason: 'Scheduled', message: ' Successfully assigned default/web to worker-1 ', source: { component: 'default-scheduler' }, ...rest });
  it('table', () => {
    expect(eventsDef.table!.row(ev({ firstTimestamp: '2024-01-01T00:50:00Z', lastTimestamp: '2024-01-01T00:59:00Z', count: 3 }), NOW)).toEqual([
      '60s', 'Normal', 'Scheduled', 'pod/web', '', 'default-scheduler', 'Successfully assigned default/web to worker-1', '10m', 3, 'web.17a',
    ]);
    expect(rowOf(eventsDef, ev({ eventTime: '2024-01-01T00:59:30.000000Z', reportingComponent: 'kubelet', reportingInstance: 'worker-1', source: {} }))).toMatchObject({
      'LAST SEEN': '30s', 'FIRST SEEN': '30s', COUNT: 1, SOURCE: 'kubelet, worker-1',
    });
    expect(rowOf(eventsDef, ev({ series: { count: 7, lastObservedTime: '2024-01-01T00:59:55.000000Z' }, firstTimestamp: '2024-01-01T00:00:00Z' }))).toMatchObject({ 'LAST SEEN': '5s', COUNT: 7 });
    expect(rowOf(eventsDef, ev({ involvedObject: { kind: 'Node' } })).OBJECT).toBe('node');
  });
  it('namespace must match the involved object', () => {
    expect(errorsOf(eventsDef, { metadata: { name: 'e' }, involvedObject: { kind: 'Pod', name: 'p', namespace: 'other' } })).toEqual([
      'involvedObject.namespace: Invalid value: "other": does not match event.namespace',
    ]);
    expect(errorsOf(eventsDef, { metadata: { name: 'e' }, involvedObject: { kind: 'Node', name: 'n1' } })).toEqual([]);
  });
  it('field selectors', () => {
    const e = ev({});
    expect(eventsDef.fieldSelectors!['involvedObject.name'](e)).toBe('web');
    expect(eventsDef.fieldSelectors!.source(e)).toBe('default-scheduler');
  });
});

describe('limit ranges and quotas', () => {
  it('LimitRange defaults and table', () => {
    const { obj: lr, errors } = create(limitRangesDef, { metadata: { name: 'lim' }, spec: { limits: [{ type: 'Container', max: { cpu: '1' }, min: { memory: '64Mi' } }] } });
    expect(errors).toEqual([]);
    expect((lr.spec as any).limits[0]).toEqual({ type: 'Container', max: { cpu: '1' }, min: { memory: '64Mi' }, default: { cpu: '1' }, defaultRequest: { cpu: '1', memory: '64Mi' } });
    expect(limitRangesDef.table!.columns.map((c) => c.name)).toEqual(['Name', 'Created At']);
    expect(rowOf(limitRangesDef, lr)).toEqual({ NAME: 'lim', 'CREATED AT': '2024-01-01T00:00:00Z' });
    expect(errorsOf(limitRangesDef, { metadata: { name: 'l' }, spec: { limits: [{ type: 'Container', min: { cpu: '2' }, max: { cpu: '1' } }] } })).toContain(
      'spec.limits[0].min[cpu]: Invalid value: "2": min value 2 is greater than max value 1',
    );
  });
  it('ResourceQuota table', () => {
    const rq = obj('ResourceQuota', 'q', { spec: {}, status: { hard: { pods: '10', 'requests.cpu': '1', 'limits.memory': '1Gi' }, used: { pods: '2', 'requests.cpu': '100m' } } });
    expect(rowOf(resourceQuotasDef, rq)).toEqual({ NAME: 'q', REQUEST: 'pods: 2/10, requests.cpu: 100m/1', LIMIT: 'limits.memory: 0/1Gi', AGE: '60m' });
  });
});

describe('replication controllers and pod templates', () => {
  const rcBody = { metadata: { name: 'web' }, spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } } } };
  it('defaults selector, labels, replicas and the template', () => {
    const { obj: rc, errors } = create(replicationControllersDef, rcBody);
    expect(errors).toEqual([]);
    const spec = rc.spec as any;
    expect(spec.selector).toEqual({ app: 'web' });
    expect(spec.replicas).toBe(1);
    expect(rc.metadata.labels).toEqual({ app: 'web' });
    expect(spec.template.spec.restartPolicy).toBe('Always');
    expect(spec.template.spec.containers[0].imagePullPolicy).toBe('IfNotPresent');
    expect(spec.template.spec.enableServiceLinks).toBeUndefined();
    expect(rc.status).toEqual({ replicas: 0 });
  });
  it('selector must match the template labels', () => {
    expect(errorsOf(replicationControllersDef, { ...rcBody, spec: { ...rcBody.spec, selector: { app: 'other' } } })).toEqual([
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
    ]);
    expect(errorsOf(replicationControllersDef, { metadata: { name: 'x' }, spec: { selector: { a: 'b' } } })).toEqual(['spec.template: Required value']);
    const noImage = { metadata: { name: 'x' }, spec: { template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c' }] } } } };
    expect(errorsOf(replicationControllersDef, noImage)).toEqual(['spec.template.spec.containers[0].image: Required value']);
    // The whitespace check is for Pods only.
    const spaced = { metadata: { name: 'x' }, spec: { template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: ' x' }] } } } };
    expect(errorsOf(replicationControllersDef, spaced)).toEqual([]);
    const bad = { metadata: { name: 'x' }, spec: { template: { metadata: { labels: { a: 'b' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } } } };
    expect(errorsOf(replicationControllersDef, bad)).toEqual(['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"']);
  });
  it('table', () => {
    const { obj: rc } = create(replicationControllersDef, rcBody);
    rc.status = { replicas: 1, readyReplicas: 1 };
    expect(rowOf(replicationControllersDef, rc)).toEqual({ NAME: 'web', DESIRED: 1, CURRENT: 1, READY: 1, AGE: '60m', CONTAINERS: 'nginx', IMAGES: 'nginx:1.25', SELECTOR: 'app=web' });
    expect(replicationControllersDef.fieldSelectors!['status.replicas'](rc)).toBe('1');
  });
  it('pod templates', () => {
    const { obj: pt, errors } = create(podTemplatesDef, { metadata: { name: 't' }, template: rcBody.spec.template });
    expect(errors).toEqual([]);
    expect(rowOf(podTemplatesDef, pt)).toEqual({ NAME: 't', CONTAINERS: 'nginx', IMAGES: 'nginx:1.25', 'POD LABELS': 'app=web' });
  });
});

describe('service port names', () => {
  it('are DNS-1123 labels, as `kubectl create service` generates them (80-8080)', async () => {
    const { servicesDef } = await import('../../../../src-main/api/core/service');
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'default' }, spec: { type: 'ClusterIP', ports: [{ name: '80-8080', port: 80, protocol: 'TCP', targetPort: 8080 }] } };
    servicesDef.default!(svc as never);
    expect(servicesDef.validate!(svc as never, undefined)).toEqual([]);
    const bad = { ...svc, spec: { ...svc.spec, ports: [{ ...svc.spec.ports[0], name: 'Bad_Name' }] } };
    expect(servicesDef.validate!(bad as never, undefined).map((e) => e.field)).toEqual(['spec.ports[0].name']);
  });
});
