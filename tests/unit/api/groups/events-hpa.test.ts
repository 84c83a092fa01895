import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../src-main/api/types';
import { fieldErrorMessage } from '../../../../src-main/api/field-errors';
import { eventFromCore, eventToCore, eventsV1Def } from '../../../../src-main/api/events/event';
import { hpaV1Def, hpaV1ToV2, hpaV2Def, hpaV2ToV1, METRIC_SPECS_ANNOTATION } from '../../../../src-main/api/autoscaling/hpa';

const NOW = Date.parse('2024-05-01T12:00:00Z');

const kubeletEvent = (): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'web-1.17c9', namespace: 'default', creationTimestamp: '2024-05-01T11:50:00Z' },
  involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-1', uid: 'u1', apiVersion: 'v1', fieldPath: 'spec.containers{nginx}' },
  reason: 'Pulled',
  message: 'Container image "nginx:1.25" already present on machine ',
  source: { component: 'kubelet', host: 'worker-1' },
  firstTimestamp: '2024-05-01T11:50:00Z',
  lastTimestamp: '2024-05-01T11:58:00Z',
  count: 3,
  type: 'Normal',
  eventTime: null,
  reportingComponent: 'kubelet',
  reportingInstance: 'worker-1',
});

describe('events.k8s.io/v1 events', () => {
  it('shares storage with core events', () => {
    expect(eventsV1Def).toMatchObject({ plural: 'events', singular: 'event', shortNames: ['ev'], namespaced: true });
    expect(eventsV1Def.storage).toMatchObject({ group: '', resource: 'events', version: 'v1' });
  });

  it('converts a core event to events.k8s.io/v1', () => {
    const ev = eventFromCore(kubeletEvent());
    expect(ev).toEqual({
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: kubeletEvent().metadata,
      eventTime: null,
      reportingController: 'kubelet',
      reportingInstance: 'worker-1',
      reason: 'Pulled',
      regarding: kubeletEvent().involvedObject,
      note: 'Container image "nginx:1.25" already present on machine ',
      type: 'Normal',
      deprecatedSource: { component: 'kubelet', host: 'worker-1' },
      deprecatedFirstTimestamp: '2024-05-01T11:50:00Z',
      deprecatedLastTimestamp: '2024-05-01T11:58:00Z',
      deprecatedCount: 3,
    });
  });

  it('round-trips core → events.k8s.io → core', () => {
    expect(eventToCore(eventFromCore(kubeletEvent()))).toEqual(kubeletEvent());
  });

  it('round-trips a new-style event and its series', () => {
    const ev: KubeObject = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'x.1', namespace: 'default' },
      eventTime: '2024-05-01T11:59:00.000000Z',
      series: { count: 4, lastObservedTime: '2024-05-01T11:59:30.000000Z' },
      reportingController: 'example.com/ctrl',
      reportingInstance: 'ctrl-0',
      action: 'Sync',
      reason: 'Synced',
      regarding: { kind: 'Deployment', name: 'web', namespace: 'default' },
      note: 'synced',
      type: 'Normal',
      deprecatedSource: {},
      deprecatedFirstTimestamp: null,
      deprecatedLastTimestamp: null,
    };
    const core = eventToCore(ev);
    expect(core).toMatchObject({ involvedObject: ev.regarding, message: 'synced', reportingComponent: 'example.com/ctrl', source: {}, firstTimestamp: null });
    expect(core).not.toHaveProperty('count');
    expect(eventFromCore(core)).toEqual(ev);
    expect(eventsV1Def.validate!(ev, undefined)).toEqual([]);
  });

  it('validates new events strictly', () => {
    const ev: KubeObject = { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'x.1', namespace: 'default' }, eventTime: '2024-05-01T11:59:00.000000Z', type: 'Info', deprecatedCount: 2 };
    const msgs = eventsV1Def.validate!(ev, undefined).map(fieldErrorMessage);
    // Upstream also runs the qualified-name check on the empty controller name.
    expect(msgs.filter((m) => m.startsWith('reportingController: Invalid value'))).toHaveLength(2);
    expect(msgs.filter((m) => !m.startsWith('reportingController: Invalid value'))).toEqual([
      'reportingController: Required value',
      'reportingInstance: Required value',
      'action: Required value',
      'reason: Required value',
      'type: Invalid value: "": has invalid value: Info',
      'deprecatedCount: Invalid value: "": needs to be unset',
    ]);
  });

  it('prints the core event table, wide cells included', () => {
    const row = eventsV1Def.table!.row(eventFromCore(kubeletEvent()), NOW);
    expect(eventsV1Def.table!.columns.map((c) => c.name)).toEqual(['Last Seen', 'Type', 'Reason', 'Object', 'Subobject', 'Source', 'Message', 'First Seen', 'Count', 'Name']);
    expect(row).toEqual(['2m', 'Normal', 'Pulled', 'pod/web-1', 'spec.containers{nginx}', 'kubelet, worker-1', 'Container image "nginx:1.25" already present on machine', '10m', 3, 'web-1.17c9']);
  });

  it('maps field selectors to the events.k8s.io names', () => {
    const ev = eventFromCore(kubeletEvent());
    expect(eventsV1Def.fieldSelectors!['regarding.name'](ev)).toBe('web-1');
    expect(eventsV1Def.fieldSelectors!['reportingController'](ev)).toBe('kubelet');
    expect(eventsV1Def.fieldSelectors!.type(ev)).toBe('Normal');
  });
});

const hpa = (): KubeObject => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'default', creationTimestamp: '2024-05-01T11:59:00Z' },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 5 },
});

describe('autoscaling horizontalpodautoscalers', () => {
  it('names: v2 stored, v1 converted', () => {
    expect(hpaV2Def).toMatchObject({ plural: 'horizontalpodautoscalers', shortNames: ['hpa'], categories: ['all'], version: 'v2' });
    expect(hpaV2Def.storage).toBeUndefined();
    expect(hpaV1Def.storage).toMatchObject({ group: 'autoscaling', resource: 'horizontalpodautoscalers', version: 'v2' });
  });

  it('defaults minReplicas and an 80% cpu metric', () => {
    const h = hpa();
    hpaV2Def.default!(h);
    expect(h.spec).toMatchObject({ minReplicas: 1, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] });
    expect((h.spec as any).behavior).toBeUndefined();
    expect(hpaV2Def.validate!(h, undefined)).toEqual([]);
  });

  it('fills behavior defaults when behavior is given', () => {
    const h = hpa();
    (h.spec as any).behavior = { scaleDown: { stabilizationWindowSeconds: 60 } };
    hpaV2Def.default!(h);
    expect((h.spec as any).behavior).toEqual({
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
      scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
    });
  });

  it('prints cpu: <unknown>/80% before metrics arrive', () => {
    const h = hpa();
    hpaV2Def.default!(h);
    hpaV2Def.prepareForCreate!(h, { namespace: 'default', now: new Date(NOW) });
    expect(h.status).toEqual({ desiredReplicas: 0 });
    expect(hpaV2Def.table!.row(h, NOW)).toEqual(['web', 'Deployment/web', 'cpu: <unknown>/80%', '1', 5, 0, '60s']);
    h.status = { currentReplicas: 2, desiredReplicas: 2, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 45, averageValue: '45m' } } }] };
    expect(hpaV2Def.table!.row(h, NOW).slice(2, 6)).toEqual(['cpu: 45%/80%', '1', 5, 2]);
  });

  it('converts targetCPUUtilizationPercentage both ways and keeps other metrics in the annotation', () => {
    const h = hpa();
    (h.spec as any).metrics = [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
      { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } },
    ];
    hpaV2Def.default!(h);
    const v1 = hpaV2ToV1(h);
    expect(v1.apiVersion).toBe('autoscaling/v1');
    expect(v1.spec).toEqual({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 50 });
    expect(JSON.parse(v1.metadata.annotations![METRIC_SPECS_ANNOTATION])).toEqual([{ type: 'Pods', pods: { metricName: 'qps', targetAverageValue: '10' } }]);
    const back = hpaV1ToV2(v1);
    expect(back.spec).toEqual(h.spec);
    expect(back.metadata.annotations).toBeUndefined();
  });

  it('a v1 HPA without a cpu target is stored with the 80% default', () => {
    const v1: KubeObject = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'default' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 3 } };
    hpaV1Def.default!(v1);
    expect(hpaV1Def.validate!(v1, undefined)).toEqual([]);
    const stored = hpaV1Def.storage!.toStorage(v1);
    expect((stored.spec as any).metrics[0].resource.target.averageUtilization).toBe(80);
    expect((hpaV1Def.storage!.fromStorage(stored).spec as any).targetCPUUtilizationPercentage).toBe(80);
  });

  it('validates replicas bounds', () => {
    const h = hpa();
    (h.spec as any).minReplicas = 0;
    (h.spec as any).maxReplicas = 0;
    expect(hpaV2Def.validate!(h, undefined).map(fieldErrorMessage)).toEqual([
      'spec.minReplicas: Invalid value: 0: must be greater than or equal to 1',
      'spec.maxReplicas: Invalid value: 0: must be greater than 0',
    ]);
    const k = hpa();
    (k.spec as any).minReplicas = 4;
    (k.spec as any).maxReplicas = 2;
    expect(hpaV2Def.validate!(k, undefined).map(fieldErrorMessage)).toEqual(['spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`']);
  });
});
