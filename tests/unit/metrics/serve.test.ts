import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestServer } from '../apiserver/fixture';
import type { NodeMetricsReading, PodMetricsReading, ResourceMetricsSource } from '../../../src-main/apiserver/metrics/types';

const NOW = Date.UTC(2024, 4, 1, 12, 0, 0);
const MI = 1024 * 1024;

/** A metrics source with fixed readings. */
class FixedSource implements ResourceMetricsSource {
  nodes = new Map<string, NodeMetricsReading>();
  pods = new Map<string, PodMetricsReading>();
  nodeMetrics(name: string) {
    return this.nodes.get(name);
  }
  podMetrics(ns: string, name: string) {
    return this.pods.get(`${ns}/${name}`);
  }
}

let t: TestServer;
let source: FixedSource;

async function pod(name: string, labels: Record<string, string>, phase: string, ns = 'default'): Promise<void> {
  const r = await t.req('POST', `/api/v1/namespaces/${ns}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { containers: [{ name: 'app', image: 'nginx' }] } });
  expect(r.status).toBe(201);
  const cur = r.body;
  const s = await t.req('PUT', `/api/v1/namespaces/${ns}/pods/${name}/status`, { ...cur, status: { phase } });
  expect(s.status).toBe(200);
}

beforeEach(async () => {
  t = new TestServer();
  await t.withNamespaces('default', 'kube-system');
  source = new FixedSource();
  t.server.ctx.metrics = source;
  t.server.ctx.now = () => new Date(NOW + 30_000);
  for (const name of ['kubesim-control-plane', 'kubesim-worker', 'kubesim-worker2']) {
    const r = await t.req('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(name.includes('control') ? { 'node-role.kubernetes.io/control-plane': '' } : {}) } } });
    expect(r.status).toBe(201);
  }
  source.nodes.set('kubesim-control-plane', { timestamp: NOW, windowMs: 15_000, usage: { cpuNanoCores: 137_263_395, memoryBytes: 1_046_616 * 1024 } });
  source.nodes.set('kubesim-worker', { timestamp: NOW, windowMs: 15_000, usage: { cpuNanoCores: 31_000_000, memoryBytes: 262_144_000 } });
  await pod('web', { app: 'web' }, 'Running');
  await pod('redis-0', { app: 'redis' }, 'Running');
  await pod('pending', { app: 'web' }, 'Pending');
  await pod('coredns', { 'k8s-app': 'kube-dns' }, 'Running', 'kube-system');
  source.pods.set('default/web', { timestamp: NOW, windowMs: 15_000, containers: [{ name: 'app', usage: { cpuNanoCores: 123_456, memoryBytes: 3_235_840 } }] });
  source.pods.set('default/redis-0', { timestamp: NOW, windowMs: 15_000, containers: [{ name: 'redis', usage: { cpuNanoCores: 1_500_000, memoryBytes: 3 * MI } }, { name: 'exporter', usage: { cpuNanoCores: 500_000, memoryBytes: 2 * MI } }] });
  source.pods.set('kube-system/coredns', { timestamp: NOW, windowMs: 12_500, containers: [{ name: 'coredns', usage: { cpuNanoCores: 2_100_000, memoryBytes: 12 * MI } }] });
  source.pods.set('default/pending', { timestamp: NOW, windowMs: 15_000, containers: [{ name: 'app', usage: { cpuNanoCores: 1, memoryBytes: 4096 } }] });
});

afterEach(() => t.close());

describe('metrics.k8s.io discovery', () => {
  it('lists the group in /apis, plain and aggregated, and serves the group and resource list', async () => {
    const plain = await t.req('GET', '/apis');
    const g = plain.body.groups.find((x: { name: string }) => x.name === 'metrics.k8s.io');
    expect(g).toMatchObject({ name: 'metrics.k8s.io', versions: [{ groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' }], preferredVersion: { groupVersion: 'metrics.k8s.io/v1beta1', version: 'v1beta1' } });
    for (const v of ['v2', 'v2beta1']) {
      const agg = await t.req('GET', '/apis', undefined, { accept: `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList,application/json` });
      const item = agg.body.items.find((x: { metadata: { name: string } }) => x.metadata.name === 'metrics.k8s.io');
      expect(item.versions[0].version).toBe('v1beta1');
      expect(item.versions[0].resources).toEqual([
        { resource: 'nodes', responseKind: { group: 'metrics.k8s.io', version: 'v1beta1', kind: 'NodeMetrics' }, scope: 'Cluster', singularResource: '', verbs: ['get', 'list'] },
        { resource: 'pods', responseKind: { group: 'metrics.k8s.io', version: 'v1beta1', kind: 'PodMetrics' }, scope: 'Namespaced', singularResource: '', verbs: ['get', 'list'] },
      ]);
    }
    const core = await t.req('GET', '/api', undefined, { accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' });
    expect(core.body.items.map((x: { metadata: { name?: string } }) => x.metadata.name)).not.toContain('metrics.k8s.io');
    expect((await t.req('GET', '/apis/metrics.k8s.io')).body).toMatchObject({ kind: 'APIGroup', name: 'metrics.k8s.io' });
    expect((await t.req('GET', '/')).body.paths).toEqual(expect.arrayContaining(['/apis/metrics.k8s.io', '/apis/metrics.k8s.io/v1beta1']));
    expect((await t.req('GET', '/apis/metrics.k8s.io/v1beta1')).body).toEqual({
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: 'metrics.k8s.io/v1beta1',
      resources: [
        { name: 'nodes', singularName: '', namespaced: false, kind: 'NodeMetrics', verbs: ['get', 'list'] },
        { name: 'pods', singularName: '', namespaced: true, kind: 'PodMetrics', verbs: ['get', 'list'] },
      ],
    });
  });

  it('is not served at all without a metrics source (no metrics-server)', async () => {
    t.server.ctx.metrics = undefined;
    const plain = await t.req('GET', '/apis');
    expect(plain.body.groups.map((x: { name: string }) => x.name)).not.toContain('metrics.k8s.io');
    expect((await t.req('GET', '/apis/metrics.k8s.io/v1beta1/nodes')).status).toBe(404);
  });
});

describe('NodeMetrics', () => {
  it('lists the nodes that have readings, sorted by name, as metrics-server encodes them', async () => {
    const r = await t.req('GET', '/apis/metrics.k8s.io/v1beta1/nodes');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      kind: 'NodeMetricsList',
      apiVersion: 'metrics.k8s.io/v1beta1',
      metadata: {},
      items: [
        {
          metadata: { name: 'kubesim-control-plane', creationTimestamp: '2024-05-01T12:00:30Z', labels: { 'kubernetes.io/hostname': 'kubesim-control-plane', 'node-role.kubernetes.io/control-plane': '' } },
          timestamp: '2024-05-01T12:00:00Z',
          window: '15s',
          usage: { cpu: '137263395n', memory: '1046616Ki' },
        },
        {
          metadata: { name: 'kubesim-worker', creationTimestamp: '2024-05-01T12:00:30Z', labels: { 'kubernetes.io/hostname': 'kubesim-worker' } },
          timestamp: '2024-05-01T12:00:00Z',
          window: '15s',
          usage: { cpu: '31m', memory: '250Mi' },
        },
      ],
    });
    expect(JSON.stringify(r.body.items[0])).toBe(
      '{"metadata":{"name":"kubesim-control-plane","creationTimestamp":"2024-05-01T12:00:30Z","labels":{"kubernetes.io/hostname":"kubesim-control-plane","node-role.kubernetes.io/control-plane":""}},"timestamp":"2024-05-01T12:00:00Z","window":"15s","usage":{"cpu":"137263395n","memory":"1046616Ki"}}',
    );
  });

  it('gets one node, with the upstream 404s for a node without metrics and an unknown node', async () => {
    const r = await t.req('GET', '/apis/metrics.k8s.io/v1beta1/nodes/kubesim-worker');
    expect(r.body).toMatchObject({ kind: 'NodeMetrics', apiVersion: 'metrics.k8s.io/v1beta1', metadata: { name: 'kubesim-worker' }, usage: { cpu: '31m' } });
    const noMetrics = await t.req('GET', '/apis/metrics.k8s.io/v1beta1/nodes/kubesim-worker2');
    expect(noMetrics.status).toBe(404);
    expect(noMetrics.body).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'nodemetrics.metrics.k8s.io "kubesim-worker2" not found', details: { name: 'kubesim-worker2', group: 'metrics.k8s.io', kind: 'nodemetrics' } });
    const unknown = await t.req('GET', '/apis/metrics.k8s.io/v1beta1/nodes/nope');
    expect(unknown.body).toMatchObject({ code: 404, message: 'node "nope" not found' });
  });

  it('filters by label selector and metadata.name field selector; other fields are a 400', async () => {
    const cp = await t.req('GET', '/apis/metrics.k8s.io/v1beta1/nodes?labelSelector=node-role.kubernetes.io%2Fcontrol-plane');
    expect(cp.body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['kubesim-control-plane']);
    const byName = await t.req('GET', '/apis/metrics.k8s.io/v1beta1/nodes?fieldSelector=metadata.name%3Dkubesim-worker');
    expect(byName.body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['kubesim-worker']);
    const bad = await t.req('GET', '/apis/metrics.k8s.io/v1beta1/nodes?fieldSelector=spec.unschedulable%3Dfalse');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('"spec.unschedulable" is not a known field selector: only "metadata.name", "metadata.namespace"');
    const badLabel = await t.req('GET', '/apis/metrics.k8s.io/v1beta1/nodes?labelSelector=a%20in%20b');
    expect(badLabel.status).toBe(400);
  });

  it('renders metrics-server\'s Table for kubectl get', async () => {
    const r = await t.req('GET', '/apis/metrics.k8s.io/v1beta1/nodes', undefined, { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' });
    expect(r.body.kind).toBe('Table');
    expect(r.body.columnDefinitions.map((c: { name: string }) => c.name)).toEqual(['Name', 'cpu', 'memory', 'Window']);
    expect(r.body.rows.map((row: { cells: unknown[] }) => row.cells)).toEqual([
      ['kubesim-control-plane', '137263395n', '1046616Ki', '15s'],
      ['kubesim-worker', '31m', '250Mi', '15s'],
    ]);
    expect(r.body.rows[0].object).toMatchObject({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { name: 'kubesim-control-plane' } });
  });
});

describe('PodMetrics', () => {
  it('lists Running pods of a namespace that have readings, with their containers', async () => {
    const r = await t.req('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods');
    expect(r.body.kind).toBe('PodMetricsList');
    expect(r.body.items).toEqual([
      {
        metadata: { name: 'redis-0', namespace: 'default', creationTimestamp: '2024-05-01T12:00:30Z', labels: { app: 'redis' } },
        timestamp: '2024-05-01T12:00:00Z',
        window: '15s',
        containers: [
          { name: 'redis', usage: { cpu: '1500u', memory: '3Mi' } },
          { name: 'exporter', usage: { cpu: '500u', memory: '2Mi' } },
        ],
      },
      {
        metadata: { name: 'web', namespace: 'default', creationTimestamp: '2024-05-01T12:00:30Z', labels: { app: 'web' } },
        timestamp: '2024-05-01T12:00:00Z',
        window: '15s',
        containers: [{ name: 'app', usage: { cpu: '123456n', memory: '3160Ki' } }],
      },
    ]);
  });

  it('lists across namespaces sorted by namespace then name, and filters by labels', async () => {
    const all = await t.req('GET', '/apis/metrics.k8s.io/v1beta1/pods');
    expect(all.body.items.map((i: { metadata: { namespace: string; name: string } }) => `${i.metadata.namespace}/${i.metadata.name}`)).toEqual(['default/redis-0', 'default/web', 'kube-system/coredns']);
    expect(all.body.items[2].window).toBe('12.5s');
    const web = await t.req('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?labelSelector=app%3Dweb');
    expect(web.body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['web']);
    const ns = await t.req('GET', '/apis/metrics.k8s.io/v1beta1/pods?fieldSelector=metadata.namespace%3Dkube-system');
    expect(ns.body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['coredns']);
    const none = await t.req('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?labelSelector=app%3Dnope');
    expect(none.body).toEqual({ kind: 'PodMetricsList', apiVersion: 'metrics.k8s.io/v1beta1', metadata: {}, items: [] });
  });

  it('gets one pod; a pod without readings, a missing pod and a pod that is not Running get the upstream 404s', async () => {
    const ok = await t.req('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/web');
    expect(ok.body).toMatchObject({ kind: 'PodMetrics', apiVersion: 'metrics.k8s.io/v1beta1', metadata: { name: 'web', namespace: 'default' }, containers: [{ name: 'app' }] });
    source.pods.delete('default/web');
    const notYet = await t.req('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/web');
    expect(notYet.body).toMatchObject({ code: 404, reason: 'NotFound', message: 'podmetrics.metrics.k8s.io "default/web" not found' });
    const missing = await t.req('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/nope');
    expect(missing.body).toMatchObject({ code: 404, message: 'pods "nope" not found' });
    const pending = await t.req('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/pending');
    expect(pending.body).toMatchObject({ code: 404, message: 'pods "pending" not found' });
  });

  it('pod Table sums the containers', async () => {
    const r = await t.req('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/redis-0', undefined, { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
    expect(r.body.rows[0].cells).toEqual(['redis-0', '2m', '5Mi', '15s']);
  });

  it('refuses what metrics-server does not serve', async () => {
    const watch = await t.req('GET', '/apis/metrics.k8s.io/v1beta1/pods?watch=true');
    expect(watch.body).toMatchObject({ code: 405, reason: 'MethodNotAllowed', message: 'watch is not supported on resources of kind "pods.metrics.k8s.io"' });
    const del = await t.req('DELETE', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/web');
    expect(del.body).toMatchObject({ code: 405, message: 'the server does not allow this method on the requested resource' });
    expect((await t.req('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/nodes')).status).toBe(404);
    expect((await t.req('GET', '/apis/metrics.k8s.io/v1beta1/services')).status).toBe(404);
    expect((await t.req('GET', '/apis/metrics.k8s.io/v1/nodes')).status).toBe(404);
    expect((await t.req('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/web/status')).status).toBe(404);
  });
});
