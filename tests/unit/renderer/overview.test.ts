import { describe, expect, it } from 'vitest';
import type { Item } from '../../../src-renderer/api/kube';
import { byNode, byService, byWorkload, dots, phaseCounts, podColumns, podInfo, podPhase, podTone, type PodInfo } from '../../../src-renderer/components/overview/map-model';
import { holdsNode, requestedByNodeFrom } from '../../../src-renderer/components/overview/pod-requests';
import type { Deployment, KubeEvent, Pod } from '../../../src-renderer/api/types';
import { formatBytes, formatCpu, parseQuantity, percent } from '../../../src-renderer/util/quantity';
import { deploymentHealth, newestEvents, podRequests, podsByPhase, requestedByNode } from '../../../src-renderer/util/workloads';

describe('quantities', () => {
  it('parses cpu and memory as Kubernetes writes them', () => {
    expect(parseQuantity('100m')).toBeCloseTo(0.1);
    expect(parseQuantity('2')).toBe(2);
    expect(parseQuantity('512Mi')).toBe(512 * 2 ** 20);
    expect(parseQuantity('1G')).toBe(1e9);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity('8028160Ki')).toBe(8028160 * 1024);
    expect(parseQuantity('nope')).toBeNaN();
  });
  it('formats them short', () => {
    expect(formatCpu(0.25)).toBe('250m');
    expect(formatCpu(4)).toBe('4');
    expect(formatBytes(70 * 2 ** 20)).toBe('70Mi');
    expect(formatBytes(7.8 * 2 ** 30)).toBe('7.8Gi');
    expect(percent(1, 4)).toBe(25);
    expect(percent(1, 0)).toBe(0);
  });
});

const pod = (node: string | undefined, phase: string, cpu?: string, mem?: string, init?: string): Pod => ({
  metadata: { name: 'p' },
  spec: { nodeName: node, containers: [{ name: 'a', resources: { requests: { cpu, memory: mem } } }, { name: 'b', resources: { requests: { cpu: '50m' } } }], initContainers: init ? [{ name: 'i', resources: { requests: { cpu: init } } }] : undefined },
  status: { phase },
});

describe('overview figures', () => {
  it('sums container requests, or takes a bigger init container', () => {
    expect(podRequests(pod('n', 'Running', '100m', '64Mi')).cpu).toBeCloseTo(0.15);
    expect(podRequests(pod('n', 'Running', '100m', '64Mi', '1')).cpu).toBe(1);
  });
  it('counts what bound, non-terminal pods request per node', () => {
    const m = requestedByNode([pod('n1', 'Running', '100m', '1Mi'), pod('n1', 'Pending', '100m'), pod('n1', 'Succeeded', '5'), pod(undefined, 'Pending', '1'), pod('n2', 'Running')]);
    expect(m.get('n1')).toMatchObject({ pods: 2, memory: 2 ** 20 });
    expect(m.get('n1')!.cpu).toBeCloseTo(0.3);
    expect(m.get('n2')!.pods).toBe(1);
    expect(m.has('undefined')).toBe(false);
  });
  it('counts pods by phase', () => {
    expect(podsByPhase([pod('n', 'Running'), pod('n', 'Running'), pod('n', 'Failed'), { metadata: { name: 'x' } }])).toMatchObject({ Running: 2, Failed: 1, Pending: 1, Succeeded: 0 });
  });
  it('calls a deployment available when all its replicas are', () => {
    const d = (replicas: number, available?: number): Deployment => ({ metadata: { name: 'd' }, spec: { replicas }, status: { availableReplicas: available } });
    const h = deploymentHealth([d(3, 3), d(2, 1), d(1), d(0)]);
    expect(h).toMatchObject({ available: 2, total: 4 });
    expect(h.unhealthy).toHaveLength(2);
  });
  it('orders events newest first by their last occurrence', () => {
    const e = (name: string, last: string): KubeEvent => ({ metadata: { name }, lastTimestamp: last });
    const series: KubeEvent = { metadata: { name: 's' }, eventTime: '2024-01-01T00:00:00Z', series: { lastObservedTime: '2024-01-01T00:09:00Z' } };
    expect(newestEvents([e('a', '2024-01-01T00:01:00Z'), e('b', '2024-01-01T00:05:00Z'), series], 2).map((x) => x.metadata.name)).toEqual(['s', 'b']);
  });
});

// ---- the cluster map's model (pods from Table rows) and requests by node


const COLS = podColumns(['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Nominated Node', 'Readiness Gates'].map((name) => ({ name, type: 'string' })));
let seq = 0;
const row = (name: string, status: string, node: string, opts: { ns?: string; ready?: string; owner?: { kind: string; name: string; uid: string }; labels?: Record<string, string>; conditions?: Item['conditions'] } = {}): Item => ({
  object: {
    metadata: {
      name,
      namespace: opts.ns ?? 'shop',
      uid: `u-${name}`,
      creationTimestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, seq++)).toISOString(),
      labels: opts.labels,
      ownerReferences: opts.owner ? [{ apiVersion: 'apps/v1', ...opts.owner, controller: true }] : undefined,
    },
  },
  cells: [name, opts.ready ?? '1/1', status, '0', '1m', '10.0.0.1', node || '<none>', '<none>', '<none>'],
  conditions: opts.conditions,
});
const info = (...a: Parameters<typeof row>): PodInfo => podInfo(row(...a), COLS);

describe('cluster map model', () => {
  it('finds the STATUS, READY and NODE cells by column name', () => {
    expect(COLS).toEqual({ status: 2, ready: 1, node: 6 });
    expect(podColumns([{ name: 'NAME', type: 'string' }, { name: 'NODE', type: 'string' }])).toMatchObject({ node: 1 });
  });
  it('derives the phase: terminal pods from the row condition, Pending from the status or no node', () => {
    const done = (reason: string) => [{ type: 'Completed', status: 'True', reason }];
    expect(podPhase('Completed', 'n1', done('Succeeded'))).toBe('Succeeded');
    expect(podPhase('Error', 'n1', done('Failed'))).toBe('Failed');
    // A running pod whose container just failed (it restarts): still Running.
    expect(podPhase('Error', 'n1')).toBe('Running');
    expect(podPhase('CrashLoopBackOff', 'n1')).toBe('Running');
    expect(podPhase('Pending', '')).toBe('Pending');
    expect(podPhase('ContainerCreating', 'n1')).toBe('Pending');
    expect(podPhase('ImagePullBackOff', 'n1')).toBe('Pending');
    expect(podPhase('Init:0/1', 'n1')).toBe('Pending');
    expect(podPhase('Running', 'n1')).toBe('Running');
    expect(podPhase('Evicted', 'n1')).toBe('Failed');
  });
  it('colours: ok when Running and ready, warn when not ready or starting, bad when failing, muted when finished', () => {
    expect(podTone('Running', '1/1')).toBe('ok');
    expect(podTone('Running', '1/2')).toBe('warn');
    expect(podTone('ContainerCreating', '0/1')).toBe('warn');
    expect(podTone('CrashLoopBackOff', '0/1')).toBe('bad');
    expect(podTone('Terminating', '1/1')).toBe('muted');
    expect(podTone('SomethingNew', '0/1')).toBe('warn');
  });
  it('reads a Table row into what the map needs (no spec)', () => {
    const p = info('web-1', 'Running', 'n1', { owner: { kind: 'ReplicaSet', name: 'web-5d', uid: 'rs1' }, labels: { app: 'web' } });
    expect(p).toMatchObject({ key: 'shop/web-1', uid: 'u-web-1', node: 'n1', status: 'Running', ready: '1/1', phase: 'Running', tone: 'ok', owner: { kind: 'ReplicaSet', name: 'web-5d', uid: 'rs1' }, labels: { app: 'web' } });
    expect(info('x', 'Pending', '').node).toBe('');
    expect(phaseCounts([p, info('x', 'Pending', ''), info('y', 'Completed', 'n1', { conditions: [{ type: 'Completed', status: 'True', reason: 'Succeeded' }] })])).toMatchObject({ Running: 1, Pending: 1, Succeeded: 1 });
  });
  it('puts pods in their node, unscheduled ones in the Pending lane, unknown nodes in their own box', () => {
    const pods = [info('a', 'Running', 'n2'), info('b', 'Pending', ''), info('c', 'Running', 'ghost'), info('d', 'Completed', '', { conditions: [{ type: 'Completed', status: 'True', reason: 'Succeeded' }] })];
    const l = byNode(
      [
        { name: 'n2', ready: true, roles: '<none>' },
        { name: 'n1', ready: false, roles: 'control-plane' },
      ],
      pods,
    );
    expect(l.nodes.map((n) => [n.name, n.known, n.pods.map((p) => p.name)])).toEqual([
      ['n1', true, []],
      ['n2', true, ['a']],
      ['ghost', false, ['c']],
    ]);
    expect(l.pending.map((p) => p.name)).toEqual(['b']);
  });
  it('draws the oldest pods first and counts the rest', () => {
    const pods = Array.from({ length: 5 }, (_, i) => info(`p${i}`, i % 2 ? 'Running' : 'CrashLoopBackOff', 'n1'));
    const d = dots([...pods].reverse(), 3);
    expect(d.shown.map((p) => p.name)).toEqual(['p0', 'p1', 'p2']);
    expect(d).toMatchObject({ more: 2, total: 5, tones: { ok: 2, bad: 3 } });
  });
  it('links services to their endpoints and the pods behind them', () => {
    const pods = [info('web-1', 'Running', 'n1'), info('web-2', 'Running', 'n1', { ready: '0/1' })];
    const groups = byService(
      [
        { metadata: { name: 'web', namespace: 'shop' }, spec: { type: 'ClusterIP', clusterIP: '10.96.0.5', selector: { app: 'web' }, ports: [{ port: 80 }] } },
        { metadata: { name: 'kubernetes', namespace: 'default' }, spec: { clusterIP: '10.96.0.1', ports: [{ port: 443 }] } },
        { metadata: { name: 'lonely', namespace: 'shop' }, spec: { selector: { app: 'none' } } },
      ],
      [
        {
          metadata: { name: 'web', namespace: 'shop' },
          subsets: [
            { addresses: [{ ip: '10.0.0.1', targetRef: { kind: 'Pod', name: 'web-1', namespace: 'shop' } }], notReadyAddresses: [{ ip: '10.0.0.2', targetRef: { kind: 'Pod', name: 'web-2', namespace: 'shop' } }], ports: [{ port: 80 }] },
            { addresses: [{ ip: '10.0.0.1', targetRef: { kind: 'Pod', name: 'web-1', namespace: 'shop' } }], ports: [{ port: 81 }] },
          ],
        },
        { metadata: { name: 'kubernetes', namespace: 'default' }, subsets: [{ addresses: [{ ip: '172.18.0.2' }] }] },
      ],
      pods,
    );
    expect(groups.map((g) => g.name)).toEqual(['kubernetes', 'lonely', 'web']);
    const web = groups[2];
    expect(web).toMatchObject({ type: 'ClusterIP', ports: '80/TCP', selector: 'app=web', hasEndpoints: true, ready: 1 });
    expect(web.endpoints.map((e) => [e.pod?.name, e.ready])).toEqual([
      ['web-1', true],
      ['web-2', false],
    ]);
    expect(groups[0].endpoints).toEqual([{ ip: '172.18.0.2', ready: true, pod: undefined, target: undefined }]);
    expect(groups[1]).toMatchObject({ hasEndpoints: false, endpoints: [] });
  });
  it('nests replicasets under their deployment (newest revision first) and pods under their owner', () => {
    const dep = { metadata: { name: 'web', namespace: 'shop', uid: 'd1' }, spec: { replicas: 2 }, status: { readyReplicas: 1 } };
    const rs = (name: string, uid: string, rev: string, replicas: number, owner = 'd1') => ({ metadata: { name, namespace: 'shop', uid, annotations: { 'deployment.kubernetes.io/revision': rev }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: owner, controller: true }] }, spec: { replicas } });
    const pods = [
      info('web-new-1', 'Running', 'n1', { owner: { kind: 'ReplicaSet', name: 'web-new', uid: 'rs2' } }),
      info('web-old-1', 'Terminating', 'n1', { owner: { kind: 'ReplicaSet', name: 'web-old', uid: 'rs1' } }),
      info('db-0', 'Running', 'n1', { owner: { kind: 'StatefulSet', name: 'db', uid: 's1' } }),
      info('solo', 'Running', 'n1'),
    ];
    const groups = byWorkload([dep], [rs('web-old', 'rs1', '1', 0), rs('web-new', 'rs2', '2', 2), rs('web-older', 'rs0', '0', 0)], pods);
    expect(groups.map((g) => [g.kind, g.name])).toEqual([
      ['Deployment', 'web'],
      ['StatefulSet', 'db'],
      ['Pod', '(no controller)'],
    ]);
    const web = groups[0];
    expect(web.replicaSets.map((r) => [r.name, r.revision, r.pods.map((p) => p.name)])).toEqual([
      ['web-new', '2', ['web-new-1']],
      ['web-old', '1', ['web-old-1']],
    ]);
    expect(web.oldReplicaSets).toBe(1);
    expect(groups[1].pods.map((p) => p.name)).toEqual(['db-0']);
    expect(groups[2].pods.map((p) => p.name)).toEqual(['solo']);
  });
  it('sums known requests of bound, unfinished pods per node', () => {
    const pods = [info('a', 'Running', 'n1'), info('b', 'Pending', 'n1'), info('c', 'Pending', ''), info('d', 'Completed', 'n1', { conditions: [{ type: 'Completed', status: 'True', reason: 'Succeeded' }] }), info('e', 'Running', 'n2')];
    expect(pods.map(holdsNode)).toEqual([true, true, false, false, true]);
    const req = new Map([
      ['u-a', { cpu: 0.1, memory: 100 }],
      ['u-b', { cpu: 0.25, memory: 50 }],
      ['u-c', { cpu: 9, memory: 9 }],
      ['u-d', { cpu: 9, memory: 9 }],
    ]);
    const m = requestedByNodeFrom(pods, req);
    expect(m.get('n1')).toEqual({ cpu: 0.35, memory: 150, pods: 2 });
    // e's requests are not known yet: it counts as a pod.
    expect(m.get('n2')).toEqual({ cpu: 0, memory: 0, pods: 1 });
  });
});
