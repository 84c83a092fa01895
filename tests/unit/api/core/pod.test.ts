import { describe, expect, it } from 'vitest';
import { admitPriority, admitServiceAccount, podsDef } from '../../../../src-main/api/core/pod';
import { defaultPodSpec, podQOSClass } from '../../../../src-main/api/core/pod-spec';
import type { KubeObject } from '../../../../src-main/api/types';
import { NOW, create, errorsOf, obj, rowOf, update } from './helpers';

const minimal = { metadata: { name: 'web' }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } };

describe('pod defaults', () => {
  it('gives a minimal pod the upstream defaults and admission additions', () => {
    const { obj: pod, errors } = create(podsDef, minimal);
    expect(errors).toEqual([]);
    const spec = pod.spec as Record<string, any>;
    // Defaults only: the ServiceAccount and Priority admission plugins add the rest.
    expect(spec.serviceAccountName).toBeUndefined();
    expect(spec.volumes).toBeUndefined();
    expect(spec.priority).toBeUndefined();
    admitServiceAccount(pod);
    admitPriority(pod);
    expect(spec.restartPolicy).toBe('Always');
    expect(spec.dnsPolicy).toBe('ClusterFirst');
    expect(spec.schedulerName).toBe('default-scheduler');
    expect(spec.terminationGracePeriodSeconds).toBe(30);
    expect(spec.securityContext).toEqual({});
    expect(spec.enableServiceLinks).toBe(true);
    expect(spec.serviceAccountName).toBe('default');
    expect(spec.serviceAccount).toBe('default');
    expect(spec.priority).toBe(0);
    expect(spec.preemptionPolicy).toBe('PreemptLowerPriority');
    // The not-ready/unreachable tolerations come from the DefaultTolerationSeconds admission plugin.
    expect(spec.tolerations).toBeUndefined();
    const c = spec.containers[0];
    expect(c.imagePullPolicy).toBe('Always');
    expect(c.terminationMessagePath).toBe('/dev/termination-log');
    expect(c.terminationMessagePolicy).toBe('File');
    expect(spec.volumes).toHaveLength(1);
    const vol = spec.volumes[0];
    expect(vol.name).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(vol.projected.defaultMode).toBe(420);
    expect(vol.projected.sources[0]).toEqual({ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } });
    expect(c.volumeMounts).toEqual([{ name: vol.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }]);
    expect(pod.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });

  it('is idempotent: defaulting again adds nothing', () => {
    const { obj: pod } = create(podsDef, minimal);
    const again = structuredClone(pod);
    podsDef.default!(again);
    expect(again).toEqual(pod);
  });

  it('chooses imagePullPolicy from the tag', () => {
    const spec: Record<string, any> = { containers: [{ name: 'a', image: 'nginx:1.25' }, { name: 'b', image: 'nginx:latest' }, { name: 'c', image: 'reg:5000/x' }, { name: 'd', image: 'x@sha256:abc' }] };
    defaultPodSpec(spec, { template: true });
    expect(spec.containers.map((c: any) => c.imagePullPolicy)).toEqual(['IfNotPresent', 'Always', 'Always', 'IfNotPresent']);
    expect(spec.enableServiceLinks).toBeUndefined();
  });

  it('copies limits into requests and computes QoS', () => {
    const { obj: pod } = create(podsDef, { metadata: { name: 'g' }, spec: { containers: [{ name: 'a', image: 'x:1', resources: { limits: { cpu: '0.5', memory: '128Mi' } } }] } });
    const c = (pod.spec as any).containers[0];
    expect(c.resources.requests).toEqual({ cpu: '500m', memory: '128Mi' });
    expect(c.resources.limits.cpu).toBe('500m');
    expect((pod.status as any).qosClass).toBe('Guaranteed');
    expect(podQOSClass({ containers: [{ resources: { requests: { cpu: '100m' } } }] })).toBe('Burstable');
  });

  it('does not mount the token when automountServiceAccountToken is false', () => {
    const { obj: pod } = create(podsDef, { metadata: { name: 'x' }, spec: { automountServiceAccountToken: false, containers: [{ name: 'a', image: 'x' }] } });
    expect((pod.spec as any).volumes).toBeUndefined();
  });

  it('defaults probes and volumes', () => {
    const { obj: pod } = create(podsDef, {
      metadata: { name: 'p' },
      spec: {
        volumes: [{ name: 'cfg', configMap: { name: 'c' } }, { name: 'scratch' }],
        containers: [{ name: 'a', image: 'x', livenessProbe: { httpGet: { port: 80 } } }],
      },
    });
    const spec = pod.spec as any;
    expect(spec.volumes[0].configMap.defaultMode).toBe(420);
    expect(spec.volumes[1].emptyDir).toEqual({});
    expect(spec.containers[0].livenessProbe).toEqual({ httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
  });
});

describe('pod validation', () => {
  it('reports the typical mistakes with upstream paths and messages', () => {
    expect(errorsOf(podsDef, { metadata: { name: 'x' }, spec: { containers: [{ name: 'a' }] } })).toEqual(['spec.containers[0].image: Required value']);
    expect(errorsOf(podsDef, { metadata: { name: 'x' }, spec: {} })).toEqual(['spec.containers: Required value']);
    expect(errorsOf(podsDef, { metadata: { name: 'Bad_Name' }, spec: { containers: [{ name: 'a', image: 'x' }] } })[0]).toMatch(
      /^metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of/,
    );
    expect(errorsOf(podsDef, { metadata: { name: 'x' }, spec: { containers: [{ name: 'a', image: 'x' }, { name: 'a', image: 'y' }] } })).toEqual(['spec.containers[1].name: Duplicate value: "a"']);
    expect(errorsOf(podsDef, { metadata: { name: 'x' }, spec: { containers: [{ name: 'A', image: 'x' }] } })[0]).toMatch(/^spec\.containers\[0\]\.name: Invalid value: "A": a lowercase RFC 1123 label/);
    expect(errorsOf(podsDef, { metadata: { name: 'x' }, spec: { containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 70000 }] }] } })).toEqual([
      'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    ]);
    expect(errorsOf(podsDef, { metadata: { name: 'x' }, spec: { containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 80, protocol: 'HTTP' }] }] } })).toEqual([
      'spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
    ]);
    expect(errorsOf(podsDef, { metadata: { name: 'x' }, spec: { restartPolicy: 'Sometimes', containers: [{ name: 'a', image: 'x' }] } })).toEqual([
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ]);
    expect(errorsOf(podsDef, { metadata: { name: 'x' }, spec: { containers: [{ name: 'a', image: 'x', volumeMounts: [{ name: 'data', mountPath: '/d' }] }] } })).toEqual([
      'spec.containers[0].volumeMounts[0].name: Not found: "data"',
    ]);
    expect(errorsOf(podsDef, { metadata: { name: 'x' }, spec: { volumes: [{ name: 'v', emptyDir: {} }, { name: 'v', emptyDir: {} }], containers: [{ name: 'a', image: 'x' }] } })).toEqual([
      'spec.volumes[1].name: Duplicate value: "v"',
    ]);
    expect(errorsOf(podsDef, { metadata: { name: 'x' }, spec: { containers: [{ name: 'a', image: 'x', resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } }] } })).toEqual([
      'spec.containers[0].resources.requests[cpu]: Invalid value: "2": must be less than or equal to cpu limit of 1',
    ]);
    expect(errorsOf(podsDef, { metadata: { name: 'x' }, spec: { containers: [{ name: 'a', image: 'x', env: [{ name: '1BAD', value: 'v' }] }] } })[0]).toMatch(
      /^spec\.containers\[0\]\.env\[0\]\.name: Invalid value: "1BAD": a valid environment variable name must consist of/,
    );
  });

  it('allows image changes but forbids other spec changes', () => {
    const { obj: pod } = create(podsDef, minimal);
    expect(update(podsDef, pod, (p) => ((p.spec as any).containers[0].image = 'nginx:1.25')).errors).toEqual([]);
    const errs = update(podsDef, pod, (p) => ((p.spec as any).containers[0].ports = [{ containerPort: 8080 }])).errors;
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(
      /^spec: Forbidden: pod updates may not change fields other than `spec\.containers\[\*\]\.image`,`spec\.initContainers\[\*\]\.image`,`spec\.activeDeadlineSeconds`,`spec\.tolerations` \(only additions to existing tolerations\),`spec\.terminationGracePeriodSeconds` \(allow it to be set to 1 if it was previously negative\)\n/,
    );
    expect(update(podsDef, pod, (p) => (p.spec as any).containers.push({ name: 'b', image: 'x' })).errors).toEqual(['spec.containers: Forbidden: pod updates may not add or remove containers']);
    expect(update(podsDef, pod, (p) => (p.metadata.labels = { a: 'b' })).errors).toEqual([]);
  });
});

function pod(status: Record<string, unknown>, spec: Record<string, unknown> = { containers: [{ name: 'app' }] }, meta: Record<string, unknown> = {}): KubeObject {
  return obj('Pod', 'p', { spec, status }, meta);
}

const running = { running: { startedAt: '2024-01-01T00:00:05Z' } };

describe('pod table', () => {
  it('has the upstream columns', () => {
    expect(podsDef.table!.columns.map((c) => [c.name, c.priority])).toEqual([
      ['Name', 0], ['Ready', 0], ['Status', 0], ['Restarts', 0], ['Age', 0], ['IP', 1], ['Node', 1], ['Nominated Node', 1], ['Readiness Gates', 1],
    ]);
    expect(podsDef.table!.columns[0].format).toBe('name');
  });

  it('running pod', () => {
    const p = pod(
      { phase: 'Running', podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }], conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: running }] },
      { nodeName: 'worker-1', containers: [{ name: 'app' }] },
    );
    expect(podsDef.table!.row(p, NOW)).toEqual(['p', '1/1', 'Running', '0', '60m', '10.244.1.5', 'worker-1', '<none>', '<none>']);
  });

  it('pending pod without statuses', () => {
    expect(rowOf(podsDef, pod({ phase: 'Pending' }))).toMatchObject({ READY: '0/1', STATUS: 'Pending', RESTARTS: '0', IP: '<none>', NODE: '<none>' });
  });

  it('ContainerCreating and image pull errors', () => {
    expect(rowOf(podsDef, pod({ phase: 'Pending', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] })).STATUS).toBe('ContainerCreating');
    expect(rowOf(podsDef, pod({ phase: 'Pending', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff' } } }] })).STATUS).toBe('ImagePullBackOff');
  });

  it('CrashLoopBackOff with restarts and the last restart time', () => {
    const p = pod({
      phase: 'Running',
      containerStatuses: [
        { name: 'app', ready: false, restartCount: 5, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2024-01-01T00:59:50Z' } } },
      ],
    });
    expect(rowOf(podsDef, p)).toMatchObject({ READY: '0/1', STATUS: 'CrashLoopBackOff', RESTARTS: '5 (10s ago)' });
  });

  it('terminating and completed', () => {
    const t = pod({ phase: 'Running', containerStatuses: [{ name: 'app', ready: true, state: running }] }, undefined, { deletionTimestamp: '2024-01-01T00:59:00Z' });
    expect(rowOf(podsDef, t).STATUS).toBe('Terminating');
    const done = pod({ phase: 'Succeeded', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] });
    expect(rowOf(podsDef, done)).toMatchObject({ READY: '0/1', STATUS: 'Completed' });
    expect(podsDef.table!.conditions!(done)).toEqual([{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]);
    // A finished pod being deleted keeps its terminal status.
    const doneDeleting = pod({ phase: 'Succeeded', containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }, undefined, { deletionTimestamp: '2024-01-01T00:59:00Z' });
    expect(rowOf(podsDef, doneDeleting).STATUS).toBe('Completed');
    const failed = pod({ phase: 'Failed', containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 2 } } }] });
    expect(rowOf(podsDef, failed).STATUS).toBe('ExitCode:2');
    expect(podsDef.table!.conditions!(failed)?.[0].reason).toBe('Failed');
    expect(rowOf(podsDef, pod({ phase: 'Failed', reason: 'Evicted' })).STATUS).toBe('Evicted');
  });

  it('init containers', () => {
    const spec = { initContainers: [{ name: 'init' }], containers: [{ name: 'app' }] };
    expect(rowOf(podsDef, pod({ phase: 'Pending', initContainerStatuses: [{ name: 'init', state: { running: {} } }] }, spec)).STATUS).toBe('Init:0/1');
    expect(rowOf(podsDef, pod({ phase: 'Pending', initContainerStatuses: [{ name: 'init', restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } } }] }, spec))).toMatchObject({
      STATUS: 'Init:CrashLoopBackOff',
      RESTARTS: '3',
    });
    expect(rowOf(podsDef, pod({ phase: 'Pending', initContainerStatuses: [{ name: 'init', state: { terminated: { exitCode: 1, reason: 'Error' } } }] }, spec)).STATUS).toBe('Init:Error');
    const after = pod(
      { phase: 'Pending', initContainerStatuses: [{ name: 'init', state: { terminated: { exitCode: 0, reason: 'Completed' } } }], containerStatuses: [{ name: 'app', state: { waiting: { reason: 'PodInitializing' } } }] },
      spec,
    );
    expect(rowOf(podsDef, after).STATUS).toBe('PodInitializing');
  });

  it('counts sidecars in READY', () => {
    const spec = { initContainers: [{ name: 'proxy', restartPolicy: 'Always' }], containers: [{ name: 'app' }] };
    const p = pod(
      {
        phase: 'Running',
        conditions: [{ type: 'Initialized', status: 'True' }],
        initContainerStatuses: [{ name: 'proxy', started: true, ready: true, restartCount: 1, state: running, lastState: { terminated: { finishedAt: '2024-01-01T00:58:00Z' } } }],
        containerStatuses: [{ name: 'app', ready: true, restartCount: 0, state: running }],
      },
      spec,
    );
    expect(rowOf(podsDef, p)).toMatchObject({ READY: '2/2', STATUS: 'Running', RESTARTS: '1 (2m ago)' });
  });

  it('readiness gates', () => {
    const p = pod({ phase: 'Running', conditions: [{ type: 'example.com/ok', status: 'True' }] }, { containers: [{ name: 'app' }], readinessGates: [{ conditionType: 'example.com/ok' }, { conditionType: 'example.com/other' }] });
    expect(rowOf(podsDef, p)['READINESS GATES']).toBe('1/2');
  });

  it('field selectors', () => {
    const p = pod({ phase: 'Running', podIPs: [{ ip: '10.0.0.1' }] }, { nodeName: 'n1', containers: [] });
    expect(podsDef.fieldSelectors!['spec.nodeName'](p)).toBe('n1');
    expect(podsDef.fieldSelectors!['status.phase'](p)).toBe('Running');
    expect(podsDef.fieldSelectors!['status.podIP'](p)).toBe('10.0.0.1');
    expect(podsDef.fieldSelectors!['spec.hostNetwork'](p)).toBe('false');
  });
});
