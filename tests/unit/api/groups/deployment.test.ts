import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../src-main/api/types';
import { fieldErrorMessage } from '../../../../src-main/api/field-errors';
import { deploymentsDef } from '../../../../src-main/api/apps/deployment';
import { replicaSetsDef } from '../../../../src-main/api/apps/replicaset';

const NOW = Date.parse('2024-05-01T12:00:00Z');

function deploy(extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', creationTimestamp: '2024-05-01T11:55:00Z' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } },
    },
    ...extra,
  };
}

function prepared(obj: KubeObject): KubeObject {
  deploymentsDef.default!(obj);
  return obj;
}

const messages = (obj: KubeObject, old?: KubeObject) => deploymentsDef.validate!(obj, old).map(fieldErrorMessage);

describe('apps/v1 deployments', () => {
  it('names as kubectl api-resources shows them', () => {
    expect(deploymentsDef).toMatchObject({ plural: 'deployments', singular: 'deployment', shortNames: ['deploy'], categories: ['all'], namespaced: true, kind: 'Deployment' });
    expect(deploymentsDef.subresources).toEqual(['status', 'scale']);
    expect(deploymentsDef.scale).toEqual({ specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' });
    expect(deploymentsDef.generation).toBe(true);
  });

  it('defaults a minimal deployment as SetDefaults_Deployment does', () => {
    const d = prepared(deploy());
    const spec = d.spec as Record<string, any>;
    expect(spec.replicas).toBe(1);
    expect(spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    expect(spec.revisionHistoryLimit).toBe(10);
    expect(spec.progressDeadlineSeconds).toBe(600);
    expect(spec.template.spec.restartPolicy).toBe('Always');
    expect(spec.template.spec.dnsPolicy).toBe('ClusterFirst');
    expect(spec.template.spec.containers[0].imagePullPolicy).toBe('IfNotPresent');
    expect(spec.template.spec.containers[0].terminationMessagePath).toBe('/dev/termination-log');
  });

  it('keeps a Recreate strategy without rollingUpdate', () => {
    const d = prepared(deploy({ spec: { ...(deploy().spec as object), strategy: { type: 'Recreate' } } }));
    expect((d.spec as any).strategy).toEqual({ type: 'Recreate' });
  });

  it('starts with an empty status', () => {
    const d = prepared(deploy({ status: { replicas: 5 } }));
    deploymentsDef.prepareForCreate!(d, { namespace: 'default', now: new Date(NOW) });
    expect(d.status).toEqual({});
  });

  it('accepts a valid deployment', () => {
    expect(messages(prepared(deploy()))).toEqual([]);
  });

  it('requires a selector and reports the template mismatch too', () => {
    const d = prepared(deploy());
    delete (d.spec as any).selector;
    const errs = deploymentsDef.validate!(d, undefined);
    expect(errs.map((e) => `${e.field}: ${e.type}`)).toEqual(['spec.selector: FieldValueRequired', 'spec.template.metadata.labels: FieldValueInvalid']);
    expect(fieldErrorMessage(errs[0])).toBe('spec.selector: Required value');
    expect(errs[1].detail).toBe('`selector` does not match template `labels`');
    expect(errs[1].badValue).toEqual({ app: 'web' });
  });

  it('rejects a selector that does not match the template labels', () => {
    const d = prepared(deploy());
    (d.spec as any).selector = { matchLabels: { app: 'x' } };
    const errs = deploymentsDef.validate!(d, undefined);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ field: 'spec.template.metadata.labels', type: 'FieldValueInvalid', detail: '`selector` does not match template `labels`' });
  });

  it('rejects an empty selector', () => {
    const d = prepared(deploy());
    (d.spec as any).selector = {};
    expect(messages(d)).toEqual(['spec.selector: Invalid value: {}: empty selector is invalid for deployment']);
  });

  it('rejects negative replicas', () => {
    const d = prepared(deploy());
    (d.spec as any).replicas = -1;
    expect(messages(d)).toEqual(['spec.replicas: Invalid value: -1: must be greater than or equal to 0']);
  });

  it('rejects an unknown strategy type', () => {
    const d = prepared(deploy());
    (d.spec as any).strategy = { type: 'BlueGreen' };
    const errs = deploymentsDef.validate!(d, undefined);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ field: 'spec.strategy', type: 'FieldValueNotSupported', supported: ['Recreate', 'RollingUpdate'] });
  });

  it('rejects maxSurge and maxUnavailable both 0', () => {
    const d = prepared(deploy());
    (d.spec as any).strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } };
    expect(messages(d)).toEqual(['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when `maxSurge` is 0']);
  });

  it('rejects a malformed percentage and more than 100%', () => {
    const d = prepared(deploy());
    (d.spec as any).strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25x', maxUnavailable: '120%' } };
    expect(messages(d)).toEqual([
      "spec.strategy.rollingUpdate.maxSurge: Invalid value: \"25x\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "120%": must not be greater than 100%',
    ]);
  });

  it('forbids rollingUpdate with Recreate', () => {
    const d = prepared(deploy());
    (d.spec as any).strategy = { type: 'Recreate', rollingUpdate: { maxSurge: 1 } };
    expect(messages(d)).toEqual(["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"]);
  });

  it('requires restartPolicy Always in the template', () => {
    const d = prepared(deploy());
    (d.spec as any).template.spec.restartPolicy = 'Never';
    expect(messages(d)).toEqual(['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"']);
  });

  it('reports template container errors with their full path', () => {
    const d = prepared(deploy());
    delete (d.spec as any).template.spec.containers[0].image;
    expect(messages(d)).toContain('spec.template.spec.containers[0].image: Required value');
  });

  it('makes the selector immutable on update', () => {
    const old = prepared(deploy());
    const d = prepared(deploy());
    (d.spec as any).selector = { matchLabels: { app: 'web', tier: 'fe' } };
    (d.spec as any).template.metadata.labels.tier = 'fe';
    const errs = deploymentsDef.validate!(d, old);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ field: 'spec.selector', type: 'FieldValueInvalid', detail: 'field is immutable' });
  });

  it('prints READY as ready/spec and the wide columns', () => {
    const d = prepared(deploy());
    (d.spec as any).replicas = 3;
    d.status = { replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 };
    const t = deploymentsDef.table!;
    expect(t.columns.map((c) => c.name)).toEqual(['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers', 'Images', 'Selector']);
    expect(t.columns.map((c) => c.priority)).toEqual([0, 0, 0, 0, 0, 1, 1, 1]);
    expect(t.columns[0].format).toBe('name');
    expect(t.row(d, NOW)).toEqual(['web', '2/3', 3, 2, '5m', 'nginx', 'nginx:1.25', 'app=web']);
  });

  it('prints 0/1 for a fresh deployment without status', () => {
    const d = prepared(deploy());
    expect(deploymentsDef.table!.row(d, NOW).slice(0, 4)).toEqual(['web', '0/1', 0, 0]);
  });
});

describe('apps/v1 replicasets', () => {
  const rs = (): KubeObject => {
    const d = deploy();
    return { ...d, kind: 'ReplicaSet', metadata: { ...d.metadata, name: 'web-7d9c5' } };
  };
  it('names, scale and field selector', () => {
    expect(replicaSetsDef).toMatchObject({ plural: 'replicasets', singular: 'replicaset', shortNames: ['rs'], categories: ['all'] });
    expect(replicaSetsDef.scale?.specReplicasPath).toBe('spec.replicas');
    const o = rs();
    o.status = { replicas: 2 };
    expect(replicaSetsDef.fieldSelectors!['status.replicas'](o)).toBe('2');
  });
  it('defaults replicas and starts with status.replicas 0', () => {
    const o = rs();
    replicaSetsDef.default!(o);
    replicaSetsDef.prepareForCreate!(o, { namespace: 'default', now: new Date(NOW) });
    expect((o.spec as any).replicas).toBe(1);
    expect(o.status).toEqual({ replicas: 0 });
    expect(replicaSetsDef.validate!(o, undefined)).toEqual([]);
  });
  it('prints DESIRED/CURRENT/READY', () => {
    const o = rs();
    replicaSetsDef.default!(o);
    (o.spec as any).replicas = 3;
    o.status = { replicas: 3, readyReplicas: 1 };
    expect(replicaSetsDef.table!.row(o, NOW)).toEqual(['web-7d9c5', 3, 3, 1, '5m', 'nginx', 'nginx:1.25', 'app=web']);
  });
});
