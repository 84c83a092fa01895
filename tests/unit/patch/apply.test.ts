import { describe, expect, it } from 'vitest';
import { patchMetaFor, zeroObject } from '../../../src-main/api/patch-meta';
import type { KubeObject } from '../../../src-main/api/types';
import { defaultFieldManager, fieldSetOf, serverSideApply, updateManagedFields } from '../../../src-main/apiserver/patch/apply';
import { applyStrategicMergePatch } from '../../../src-main/apiserver/patch/strategic-merge';
import { statusOf } from '../status-of';

const META = patchMetaFor('apps', 'v1', 'Deployment')!;
const ZERO = zeroObject('apps', 'v1', 'Deployment');
const T0 = '2024-05-01T10:00:00Z';
const T1 = '2024-05-01T10:05:00Z';
const T2 = '2024-05-01T10:10:00Z';

function applied(over: { replicas?: number; image?: string; labels?: Record<string, string> | null; env?: boolean } = {}): KubeObject {
  const container: Record<string, unknown> = { name: 'nginx', image: over.image ?? 'nginx:1.25', ports: [{ containerPort: 80 }] };
  if (over.env) container.env = [{ name: 'MODE', value: 'prod' }];
  const metadata: Record<string, unknown> = { name: 'nginx', namespace: 'default' };
  if (over.labels !== null) metadata.labels = over.labels ?? { app: 'nginx' };
  const spec: Record<string, unknown> = {
    selector: { matchLabels: { app: 'nginx' } },
    template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [container] } },
  };
  if (over.replicas !== undefined) spec.replicas = over.replicas;
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec } as KubeObject;
}

/** What the registry adds when it stores an object (system metadata and defaults). */
function stored(obj: KubeObject): KubeObject {
  const o = JSON.parse(JSON.stringify(obj)) as any;
  o.metadata.uid = o.metadata.uid ?? 'b5a2e3f4-0000-4000-8000-000000000001';
  o.metadata.resourceVersion = '1';
  o.metadata.generation = 1;
  o.metadata.creationTimestamp = o.metadata.creationTimestamp ?? T0;
  o.spec.replicas = o.spec.replicas ?? 1;
  o.spec.strategy = o.spec.strategy ?? { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } };
  for (const c of o.spec.template.spec.containers) {
    for (const p of c.ports ?? []) p.protocol = p.protocol ?? 'TCP';
    c.imagePullPolicy = c.imagePullPolicy ?? 'IfNotPresent';
  }
  return o as KubeObject;
}

function apply(live: KubeObject | undefined, cfg: KubeObject, manager = 'kubectl', force = false, now = T1): KubeObject {
  return serverSideApply(live, cfg, { manager, force, apiVersion: 'apps/v1', now, meta: META, zero: ZERO });
}

describe('defaultFieldManager', () => {
  it('takes the user agent up to its first slash', () => {
    expect(defaultFieldManager('kubectl-client-side-apply/v1.29.2 (linux/amd64) kubernetes/4b8e819')).toBe('kubectl-client-side-apply');
    expect(defaultFieldManager('kubectl/v1.29.2 (linux/amd64) kubernetes/4b8e819')).toBe('kubectl');
    expect(defaultFieldManager('kube-controller-manager/v1.29.2 (linux/amd64) kubernetes/4b8e819/system:serviceaccount:kube-system:deployment-controller')).toBe(
      'kube-controller-manager',
    );
    expect(defaultFieldManager(undefined)).toBe('unknown');
    expect(defaultFieldManager('')).toBe('unknown');
  });
});

describe('fieldSetOf', () => {
  it('renders FieldsV1 as upstream: f: fields, k: list keys with defaulted key fields, . for list items, atomic selector', () => {
    expect(fieldSetOf(applied({ replicas: 2 }), META)).toEqual({
      'f:apiVersion': {},
      'f:kind': {},
      'f:metadata': { 'f:labels': { 'f:app': {} }, 'f:name': {}, 'f:namespace': {} },
      'f:spec': {
        'f:replicas': {},
        'f:selector': {},
        'f:template': {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:containers': {
              'k:{"name":"nginx"}': {
                '.': {},
                'f:image': {},
                'f:name': {},
                'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
              },
            },
          },
        },
      },
    });
  });

  it('uses v: for set-like primitive lists (finalizers) and {} for empty objects', () => {
    const fs = fieldSetOf({ apiVersion: 'v1', kind: 'Pod', metadata: { finalizers: ['a/b'] }, spec: { volumes: [{ name: 'x', emptyDir: {} }] } }, patchMetaFor('', 'v1', 'Pod'));
    expect(fs['f:metadata']).toEqual({ 'f:finalizers': { 'v:"a/b"': {} } });
    expect((fs['f:spec'] as any)['f:volumes']).toEqual({ 'k:{"name":"x"}': { '.': {}, 'f:emptyDir': {}, 'f:name': {} } });
  });
});

describe('server-side apply', () => {
  it('creates the object with one Apply entry as upstream renders it', () => {
    const out = apply(undefined, applied({ replicas: 2 }));
    expect((out.spec as any).replicas).toBe(2);
    expect(out.metadata.managedFields).toEqual([
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: T1,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:selector': {},
            'f:template': {
              'f:metadata': { 'f:labels': { 'f:app': {} } },
              'f:spec': {
                'f:containers': {
                  'k:{"name":"nginx"}': {
                    '.': {},
                    'f:image': {},
                    'f:name': {},
                    'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
                  },
                },
              },
            },
          },
        },
      },
    ]);
  });

  it('re-applying the same configuration changes nothing, time stamp included', () => {
    const live = stored(apply(undefined, applied({ replicas: 2 })));
    const again = apply(live, applied({ replicas: 2 }), 'kubectl', false, T2);
    expect(again).toEqual(live);
  });

  it('changes what the configuration changes and keeps fields others set', () => {
    const live = stored(apply(undefined, applied({ replicas: 2 })));
    const out = apply(live, applied({ replicas: 2, image: 'nginx:1.26' }), 'kubectl', false, T2) as any;
    expect(out.spec.template.spec.containers[0].image).toBe('nginx:1.26');
    expect(out.spec.template.spec.containers[0].imagePullPolicy).toBe('IfNotPresent');
    expect(out.spec.strategy.type).toBe('RollingUpdate');
    expect(out.metadata.uid).toBe(live.metadata.uid);
    expect(out.metadata.managedFields[0].time).toBe(T2);
  });

  it('removes a field dropped from the configuration (labels), and env added then dropped', () => {
    const live = stored(apply(undefined, applied({ replicas: 2, env: true })));
    expect((live.spec as any).template.spec.containers[0].env).toHaveLength(1);
    const out = apply(live, applied({ replicas: 2, labels: null }), 'kubectl', false, T2) as any;
    expect(out.metadata.labels).toBeUndefined();
    expect(out.metadata.name).toBe('nginx');
    expect(out.spec.template.spec.containers[0].env).toBeUndefined();
    expect(out.metadata.managedFields[0].fieldsV1['f:metadata']).toBeUndefined();
  });

  it('keeps a dropped field another manager also owns', () => {
    let live = stored(apply(undefined, applied({ replicas: 2 })));
    live = stored(apply(live, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nginx', labels: { app: 'nginx' } } } as KubeObject, 'other'));
    const out = apply(live, applied({ replicas: 2, labels: null }), 'kubectl', false, T2) as any;
    expect(out.metadata.labels).toEqual({ app: 'nginx' });
  });

  it('reports a conflict with a client-side-apply owner exactly as upstream', () => {
    // created by `kubectl apply` (client-side): an Update entry of kubectl-client-side-apply
    const created = stored(applied({ replicas: 2 }));
    const live = updateManagedFields(undefined, created, { manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'apps/v1', now: T0, meta: META, zero: ZERO });
    const e = statusOf(() => apply(live, applied({ replicas: 3 })));
    expect(e.code).toBe(409);
    expect(e.status.reason).toBe('Conflict');
    expect(e.status.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
    expect(e.status.details).toEqual({
      causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' }],
    });
  });

  it('lists several conflicts grouped by manager', () => {
    const created = stored(applied({ replicas: 2 }));
    const live = updateManagedFields(undefined, created, { manager: 'kubectl-edit', operation: 'Update', apiVersion: 'apps/v1', now: T0, meta: META, zero: ZERO });
    const e = statusOf(() => apply(live, applied({ replicas: 3, image: 'nginx:1.26' })));
    expect(e.status.message).toBe(
      'Apply failed with 2 conflicts: conflicts with "kubectl-edit" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name="nginx"].image',
    );
    expect(e.status.details?.causes?.map((c) => c.field)).toEqual(['.spec.replicas', '.spec.template.spec.containers[name="nginx"].image']);
  });

  it('names an Apply owner without its version', () => {
    const live = stored(apply(undefined, applied({ replicas: 2 }), 'alice'));
    const e = statusOf(() => apply(live, applied({ replicas: 5 }), 'bob'));
    expect(e.status.message).toBe('Apply failed with 1 conflict: conflict with "alice": .spec.replicas');
  });

  it('no conflict when the value is the same: both managers own the field', () => {
    const live = stored(apply(undefined, applied({ replicas: 2 }), 'alice'));
    const out = apply(live, applied({ replicas: 2 }), 'bob');
    // bob's apply changed nothing in the object, so (as upstream) his entry gets no time stamp and sorts first
    expect(out.metadata.managedFields!.map((m) => [m.manager, m.time])).toEqual([
      ['bob', undefined],
      ['alice', T1],
    ]);
    for (const m of out.metadata.managedFields!) expect((m.fieldsV1 as any)['f:spec']['f:replicas']).toEqual({});
  });

  it('with force, the fields move to the applier', () => {
    const created = stored(applied({ replicas: 2 }));
    const live = updateManagedFields(undefined, created, { manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'apps/v1', now: T0, meta: META, zero: ZERO });
    const out = apply(live, applied({ replicas: 3 }), 'kubectl', true) as any;
    expect(out.spec.replicas).toBe(3);
    const csa = out.metadata.managedFields.find((m: any) => m.manager === 'kubectl-client-side-apply');
    const mine = out.metadata.managedFields.find((m: any) => m.manager === 'kubectl');
    expect(csa.fieldsV1['f:spec']['f:replicas']).toBeUndefined();
    expect(mine.fieldsV1['f:spec']['f:replicas']).toEqual({});
    expect(out.metadata.managedFields.map((m: any) => m.operation)).toEqual(['Apply', 'Update']);
  });

  it('refuses a body with managedFields or with another apiVersion (400)', () => {
    const withMF = { ...applied(), metadata: { name: 'nginx', managedFields: [] } } as KubeObject;
    expect(statusOf(() => apply(undefined, withMF)).status.message).toBe('metadata.managedFields must be nil');
    const wrong = { ...applied(), apiVersion: 'apps/v1beta1' } as KubeObject;
    const e = statusOf(() => apply(undefined, wrong));
    expect(e.code).toBe(400);
    expect(e.status.message).toBe('Incorrect version specified in apply patch. Specified patch version: apps/v1beta1, expected: apps/v1');
  });

  it('ignores status in an apply to the main resource', () => {
    const cfg = { ...applied({ replicas: 1 }), status: { replicas: 7 } } as KubeObject;
    const out = apply(undefined, cfg) as any;
    expect(out.status).toBeUndefined();
    expect(out.metadata.managedFields[0].fieldsV1['f:status']).toBeUndefined();
  });

  it('answers a list item without its key', () => {
    const cfg = applied() as any;
    delete cfg.spec.template.spec.containers[0].name;
    const e = statusOf(() => apply(undefined, cfg));
    expect(e.code).toBe(500);
    expect(e.status.message).toContain('associative list with keys has an element that omits key field "name"');
  });

  it('takes existing untracked fields into a before-first-apply entry', () => {
    const live = stored(applied({ replicas: 2 }));
    const e = statusOf(() => apply(live, applied({ replicas: 4 })));
    expect(e.status.message).toBe('Apply failed with 1 conflict: conflict with "before-first-apply" using apps/v1: .spec.replicas');
  });
});

describe('managed fields of ordinary writes', () => {
  const opts = (manager: string, now: string, subresource?: string) => ({ manager, operation: 'Update' as const, apiVersion: 'apps/v1', now, meta: META, zero: ZERO, subresource });

  it('creates from one template share one entry (memo); what is owned still tells them apart', () => {
    const a = stored(applied({ replicas: 2 }));
    const b = stored(applied({ replicas: 2 }));
    b.metadata = { ...b.metadata, name: 'other', uid: 'u-2', creationTimestamp: T1 };
    (b as any).status = { replicas: 7 };
    const outA = updateManagedFields(undefined, a, opts('kubectl-create', T0));
    const outB = updateManagedFields(undefined, b, opts('kubectl-create', T1));
    const fa = outA.metadata.managedFields![0];
    const fb = outB.metadata.managedFields![0];
    expect(fb.time).toBe(T1);
    expect(fb.fieldsV1).toBe(fa.fieldsV1);
    expect(Object.isFrozen(fa.fieldsV1)).toBe(true);
    // Another container name, another manager, another label: other entries, as the slow path gives.
    const c = stored(applied({ replicas: 2 }));
    (c as any).spec.template.spec.containers[0].name = 'web';
    const fc = updateManagedFields(undefined, c, opts('kubectl-create', T0)).metadata.managedFields![0].fieldsV1 as any;
    expect(Object.keys(fc['f:spec']['f:template']['f:spec']['f:containers'])).toEqual(['.', 'k:{"name":"web"}']);
    const fd = updateManagedFields(undefined, stored(applied({ replicas: 2 })), opts('helm', T0)).metadata.managedFields![0];
    expect(fd.manager).toBe('helm');
    const fe = updateManagedFields(undefined, stored(applied({ replicas: 2, labels: { app: 'x', tier: 'y' } })), opts('kubectl-create', T0)).metadata.managedFields![0].fieldsV1 as any;
    expect(fe['f:metadata']).toEqual({ 'f:labels': { '.': {}, 'f:app': {}, 'f:tier': {} } });
  });

  it('records a create as upstream (kubectl create): `.` on objects that did not exist in the zero object', () => {
    const created = stored(applied({ replicas: 2 }));
    const out = updateManagedFields(undefined, created, opts('kubectl-create', T0));
    expect(out.metadata.managedFields).toHaveLength(1);
    const e = out.metadata.managedFields![0] as any;
    expect(e).toMatchObject({ manager: 'kubectl-create', operation: 'Update', apiVersion: 'apps/v1', time: T0, fieldsType: 'FieldsV1' });
    expect(e.fieldsV1['f:metadata']).toEqual({ 'f:labels': { '.': {}, 'f:app': {} } });
    expect(e.fieldsV1['f:spec']['f:strategy']).toEqual({ 'f:rollingUpdate': { '.': {}, 'f:maxSurge': {}, 'f:maxUnavailable': {} }, 'f:type': {} });
    expect(e.fieldsV1['f:spec']['f:selector']).toEqual({});
    expect(e.fieldsV1['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"nginx"}']).toEqual({
      '.': {},
      'f:image': {},
      'f:imagePullPolicy': {},
      'f:name': {},
      'f:ports': { '.': {}, 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} } },
    });
    expect(e.fieldsV1['f:status']).toBeUndefined();
  });

  it('moves changed fields to the writer and keeps times of untouched managers', () => {
    const created = updateManagedFields(undefined, stored(applied({ replicas: 2 })), opts('kubectl-create', T0));
    const scaled = JSON.parse(JSON.stringify(created));
    scaled.spec.replicas = 5;
    const out = updateManagedFields(created, scaled, opts('kubectl-scale', T1, 'scale'));
    expect(out.metadata.managedFields!.map((m) => [m.manager, m.time, m.subresource])).toEqual([
      ['kubectl-create', T0, undefined],
      ['kubectl-scale', T1, 'scale'],
    ]);
    expect((out.metadata.managedFields![1].fieldsV1 as any)).toEqual({ 'f:spec': { 'f:replicas': {} } });
    expect((out.metadata.managedFields![0].fieldsV1 as any)['f:spec']['f:replicas']).toBeUndefined();
  });

  it('merges repeated writes of one manager into one entry and leaves no-op writes alone', () => {
    const created = updateManagedFields(undefined, stored(applied({ replicas: 2 })), opts('kubectl-create', T0));
    const a = JSON.parse(JSON.stringify(created));
    a.metadata.labels.env = 'prod';
    const once = updateManagedFields(created, a, opts('kubectl-label', T1));
    const b = JSON.parse(JSON.stringify(once));
    b.metadata.labels.team = 'web';
    const twice = updateManagedFields(once, b, opts('kubectl-label', T2));
    const label = twice.metadata.managedFields!.filter((m) => m.manager === 'kubectl-label');
    expect(label).toHaveLength(1);
    expect(label[0].time).toBe(T2);
    expect(label[0].fieldsV1).toEqual({ 'f:metadata': { 'f:labels': { 'f:env': {}, 'f:team': {} } } });
    const same = updateManagedFields(twice, JSON.parse(JSON.stringify(twice)), opts('kubectl-label', '2030-01-01T00:00:00Z'));
    expect(same.metadata.managedFields).toEqual(twice.metadata.managedFields);
  });

  it('drops removed fields from their owners, status writes own status only', () => {
    const created = updateManagedFields(undefined, stored(applied({ replicas: 2 })), opts('kubectl-create', T0));
    const withStatus = JSON.parse(JSON.stringify(created));
    withStatus.status = { replicas: 2, readyReplicas: 2 };
    const st = updateManagedFields(created, withStatus, opts('kube-controller-manager', T1, 'status'));
    const kcm = st.metadata.managedFields!.find((m) => m.manager === 'kube-controller-manager')!;
    expect(kcm.subresource).toBe('status');
    expect(kcm.fieldsV1).toEqual({ 'f:status': { 'f:readyReplicas': {}, 'f:replicas': {} } });
    const unlabeled = JSON.parse(JSON.stringify(st));
    delete unlabeled.metadata.labels;
    const out = updateManagedFields(st, unlabeled, opts('kubectl-label', T2));
    const create = out.metadata.managedFields!.find((m) => m.manager === 'kubectl-create')!;
    expect((create.fieldsV1 as any)['f:metadata']).toBeUndefined();
    expect(out.metadata.managedFields!.some((m) => m.manager === 'kubectl-label')).toBe(false);
  });

  it('does not start tracking objects stored without managed fields, and clears them on request', () => {
    const untracked = stored(applied({ replicas: 2 }));
    const next = JSON.parse(JSON.stringify(untracked));
    next.spec.replicas = 3;
    expect(updateManagedFields(untracked, next, opts('kubectl-edit', T1)).metadata.managedFields).toBeUndefined();
    const tracked = updateManagedFields(undefined, stored(applied()), opts('kubectl-create', T0));
    const cleared = { ...JSON.parse(JSON.stringify(tracked)), metadata: { ...tracked.metadata, managedFields: [] } };
    expect(updateManagedFields(tracked, cleared, opts('kubectl-edit', T1)).metadata.managedFields).toBeUndefined();
  });

  it('records a strategic merge patch (kubectl set image) and an apply afterwards sees the conflict', () => {
    const created = updateManagedFields(undefined, stored(apply(undefined, applied({ replicas: 2 }))), opts('kubectl', T0));
    const patched = applyStrategicMergePatch(created, { spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } } }, META);
    const out = updateManagedFields(created, patched, opts('kubectl-set', T1));
    const e = statusOf(() => apply(out, applied({ replicas: 2, image: 'nginx:1.25' }), 'kubectl', false, T2));
    expect(e.status.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-set" using apps/v1: .spec.template.spec.containers[name="nginx"].image');
  });
});
