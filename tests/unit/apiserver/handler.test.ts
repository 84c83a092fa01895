import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestServer, configMap, deployment } from './fixture';

let t: TestServer;
beforeEach(async () => {
  t = await new TestServer().withNamespaces('default', 'other');
});
afterEach(() => t.close());

const CM = '/api/v1/namespaces/default/configmaps';
const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';

describe('create, get, update, delete', () => {
  it('assigns uid, creationTimestamp and resourceVersion, and reads the object back', async () => {
    const c = await t.req('POST', CM, configMap('a'));
    expect(c.status).toBe(201);
    expect(c.body.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(c.body.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Number(c.body.metadata.resourceVersion)).toBeGreaterThan(0);
    const g = await t.req('GET', `${CM}/a`);
    expect(g.body).toEqual(c.body);
  });

  it('answers a second create with 409 AlreadyExists in upstream words', async () => {
    await t.req('POST', CM, configMap('a'));
    const r = await t.req('POST', CM, configMap('a'));
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ kind: 'Status', reason: 'AlreadyExists', message: 'configmaps "a" already exists', details: { name: 'a', kind: 'configmaps' } });
  });

  it('names generated objects from generateName', async () => {
    const r = await t.req('POST', CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'gen-' } });
    expect(r.body.metadata.name).toMatch(/^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('rejects an update with a stale resourceVersion with 409 Conflict and loses nothing', async () => {
    const c = await t.req('POST', CM, configMap('a'));
    const u1 = await t.req('PUT', `${CM}/a`, { ...c.body, data: { a: '2' } });
    expect(u1.status).toBe(200);
    const u2 = await t.req('PUT', `${CM}/a`, { ...c.body, data: { a: '3' } });
    expect(u2.status).toBe(409);
    expect(u2.body.message).toBe('Operation cannot be fulfilled on configmaps "a": the object has been modified; please apply your changes to the latest version and try again');
    expect((await t.req('GET', `${CM}/a`)).body.data).toEqual({ a: '2' });
  });

  it('does not write (or bump resourceVersion) for a no-op update', async () => {
    const c = await t.req('POST', CM, configMap('a'));
    const u = await t.req('PUT', `${CM}/a`, c.body);
    expect(u.body.metadata.resourceVersion).toBe(c.body.metadata.resourceVersion);
  });

  it('returns 404 NotFound for missing objects and unknown resources', async () => {
    expect((await t.req('GET', `${CM}/nope`)).body.message).toBe('configmaps "nope" not found');
    expect((await t.req('GET', `${DEPLOY}/nope`)).body.message).toBe('deployments.apps "nope" not found');
    const r = await t.req('GET', '/api/v1/namespaces/default/containers');
    expect(r.status).toBe(404);
    expect(r.body.message).toBe('the server could not find the requested resource');
  });

  it('rejects creates in a missing namespace', async () => {
    const r = await t.req('POST', '/api/v1/namespaces/missing/configmaps', configMap('a'));
    expect(r.status).toBe(404);
    expect(r.body.message).toBe('namespaces "missing" not found');
  });

  it('does not persist dry runs', async () => {
    const r = await t.req('POST', `${CM}?dryRun=All`, configMap('a'));
    expect(r.body.metadata.name).toBe('a');
    expect((await t.req('GET', `${CM}/a`)).status).toBe(404);
  });

  it('keeps an object with finalizers until the last one is removed', async () => {
    const c = await t.req('POST', CM, { ...configMap('f'), metadata: { name: 'f', finalizers: ['example.com/hold'] } });
    const d = await t.req('DELETE', `${CM}/f`);
    expect(d.status).toBe(200);
    const g = await t.req('GET', `${CM}/f`);
    expect(g.body.metadata.deletionTimestamp).toBeTruthy();
    const added = await t.req('PUT', `${CM}/f`, { ...g.body, metadata: { ...g.body.metadata, finalizers: ['example.com/hold', 'new'] } });
    expect(added.status).toBe(422);
    const cleared = await t.req('PUT', `${CM}/f`, { ...g.body, metadata: { ...g.body.metadata, finalizers: [] } });
    expect(cleared.status).toBe(200);
    expect((await t.req('GET', `${CM}/f`)).status).toBe(404);
    expect(c.status).toBe(201);
  });

  it('rejects malformed bodies with 400 and wrong content types with 415', async () => {
    const bad = await t.req('POST', CM, '{"apiVersion": "v1", ');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/line 1, column \d+/);
    const ct = await t.req('POST', CM, 'x', { 'content-type': 'text/plain' });
    expect(ct.status).toBe(415);
    const kind = await t.req('POST', CM, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } });
    expect(kind.status).toBe(400);
  });

  it('rejects unknown fields with fieldValidation=Strict and warns by default', async () => {
    const body = { ...configMap('u'), spec: { nope: 1 } };
    const strict = await t.req('POST', `${CM}?fieldValidation=Strict`, body);
    expect(strict.status).toBe(400);
    expect(strict.body.message).toBe('ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "spec"');
    const warn = await t.req('POST', CM, body);
    expect(warn.status).toBe(201);
    expect(warn.headers?.warning).toBe('299 - "unknown field \\"spec\\""');
  });
});

describe('status and spec strategies, generation', () => {
  it('ignores status on the main resource and spec on /status; generation follows spec', async () => {
    const c = await t.req('POST', DEPLOY, { ...deployment('web'), status: { replicas: 9 } });
    expect(c.body.status).toEqual({});
    expect(c.body.metadata.generation).toBe(1);
    const s = await t.req('PUT', `${DEPLOY}/web/status`, { ...c.body, spec: { ...c.body.spec, replicas: 5 }, status: { replicas: 1, observedGeneration: 1 } });
    expect(s.body.status).toMatchObject({ replicas: 1 });
    expect(s.body.spec.replicas).toBe(1);
    expect(s.body.metadata.generation).toBe(1);
    const u = await t.req('PUT', `${DEPLOY}/web`, { ...s.body, spec: { ...s.body.spec, replicas: 3 }, status: { replicas: 42 } });
    expect(u.body.metadata.generation).toBe(2);
    expect(u.body.status.replicas).toBe(1);
    const l = await t.req('PUT', `${DEPLOY}/web`, { ...u.body, metadata: { ...u.body.metadata, labels: { app: 'web', x: 'y' } } });
    expect(l.body.metadata.generation).toBe(2);
  });

  it('validates with upstream messages', async () => {
    const d = deployment('bad');
    (d.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels = { app: 'other' };
    const r = await t.req('POST', DEPLOY, d);
    expect(r.status).toBe(422);
    expect(r.body.reason).toBe('Invalid');
    expect(r.body.message).toContain('Deployment.apps "bad" is invalid');
    expect(r.body.details.causes.some((c: { field: string }) => c.field === 'spec.template.metadata.labels')).toBe(true);
  });
});

describe('patches', () => {
  beforeEach(async () => {
    await t.req('POST', DEPLOY, deployment('web'));
  });
  it('applies strategic merge patches by merge key', async () => {
    const r = await t.req('PATCH', `${DEPLOY}/web`, { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:1.26' }] } } } }, { 'content-type': 'application/strategic-merge-patch+json' });
    expect(r.status).toBe(200);
    expect(r.body.spec.template.spec.containers).toHaveLength(1);
    expect(r.body.spec.template.spec.containers[0].image).toBe('nginx:1.26');
    expect(r.body.metadata.generation).toBe(2);
  });
  it('applies merge and JSON patches', async () => {
    const m = await t.req('PATCH', `${DEPLOY}/web`, { metadata: { labels: { tier: 'front' } } }, { 'content-type': 'application/merge-patch+json' });
    expect(m.body.metadata.labels).toEqual({ app: 'web', tier: 'front' });
    const j = await t.req('PATCH', `${DEPLOY}/web`, [{ op: 'replace', path: '/spec/replicas', value: 4 }], { 'content-type': 'application/json-patch+json' });
    expect(j.body.spec.replicas).toBe(4);
    const bad = await t.req('PATCH', `${DEPLOY}/web`, [{ op: 'test', path: '/spec/replicas', value: 9 }], { 'content-type': 'application/json-patch+json' });
    expect(bad.status).toBe(422);
  });
  it('server-side apply creates, owns fields and reports conflicts', async () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa' }, data: { a: '1' } };
    const c = await t.req('PATCH', `${CM}/ssa?fieldManager=alice`, cm, { 'content-type': 'application/apply-patch+yaml' });
    expect(c.status).toBe(201);
    expect(c.body.metadata.managedFields[0]).toMatchObject({ manager: 'alice', operation: 'Apply' });
    const conflict = await t.req('PATCH', `${CM}/ssa?fieldManager=bob`, { ...cm, data: { a: '2' } }, { 'content-type': 'application/apply-patch+yaml' });
    expect(conflict.status).toBe(409);
    expect(conflict.body.message).toBe('Apply failed with 1 conflict: conflict with "alice": .data.a');
    const forced = await t.req('PATCH', `${CM}/ssa?fieldManager=bob&force=true`, { ...cm, data: { a: '2' } }, { 'content-type': 'application/apply-patch+yaml' });
    expect(forced.body.data.a).toBe('2');
  });
  it('records managedFields for ordinary writes', async () => {
    const g = await t.req('GET', `${DEPLOY}/web`);
    expect(g.body.metadata.managedFields[0]).toMatchObject({ manager: 'kubectl', operation: 'Update', apiVersion: 'apps/v1' });
  });
});

describe('scale, binding, eviction', () => {
  it('reads and writes replicas through /scale', async () => {
    await t.req('POST', DEPLOY, deployment('web'));
    const s = await t.req('GET', `${DEPLOY}/web/scale`);
    expect(s.body).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 1 }, status: { replicas: 0, selector: 'app=web' } });
    const p = await t.req('PATCH', `${DEPLOY}/web/scale`, { spec: { replicas: 3 } }, { 'content-type': 'application/merge-patch+json' });
    expect(p.body.spec.replicas).toBe(3);
    expect((await t.req('GET', `${DEPLOY}/web`)).body.spec.replicas).toBe(3);
    const neg = await t.req('PATCH', `${DEPLOY}/web/scale`, { spec: { replicas: -1 } }, { 'content-type': 'application/merge-patch+json' });
    expect(neg.status).toBe(422);
  });
  it('binds a pod once, and evicts it', async () => {
    await t.req('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    const b = await t.req('POST', '/api/v1/namespaces/default/pods/p/binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p' }, target: { kind: 'Node', name: 'n1' } });
    expect(b.status).toBe(201);
    const pod = (await t.req('GET', '/api/v1/namespaces/default/pods/p')).body;
    expect(pod.spec.nodeName).toBe('n1');
    expect(pod.status.conditions.find((c: { type: string }) => c.type === 'PodScheduled').status).toBe('True');
    const again = await t.req('POST', '/api/v1/namespaces/default/pods/p/binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p' }, target: { kind: 'Node', name: 'n2' } });
    expect(again.status).toBe(409);
    const e = await t.req('POST', '/api/v1/namespaces/default/pods/p/eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'p' } });
    expect(e.status).toBe(201);
    // Bound and running: graceful deletion marks it Terminating.
    expect((await t.req('GET', '/api/v1/namespaces/default/pods/p')).body.metadata.deletionTimestamp).toBeTruthy();
  });
  it('answers an empty log for a pod no node has yet, as upstream', async () => {
    await t.req('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    const r = await t.req('GET', '/api/v1/namespaces/default/pods/p/log');
    expect(r.status).toBe(200);
    expect(r.body).toBe('');
    const missing = await t.req('GET', '/api/v1/namespaces/default/pods/p/log?container=nope');
    expect(missing.status).toBe(400);
  });
  it('answers a plain (non-upgrade) exec as upstream: the location checks, then `Upgrade request required`', async () => {
    await t.req('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'q' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    const unscheduled = await t.req('POST', '/api/v1/namespaces/default/pods/q/exec?command=sh&container=c&stdout=true');
    expect(unscheduled.status).toBe(400);
    expect((unscheduled.body as { message: string }).message).toBe('pod q does not have a host assigned');
    await t.req('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'r' }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox' }] } });
    const plain = await t.req('POST', '/api/v1/namespaces/default/pods/r/exec?command=sh&container=c&stdout=true');
    expect(plain.status).toBe(400);
    expect((plain.body as { message: string }).message).toBe('Upgrade request required');
    expect((await t.req('POST', '/api/v1/namespaces/default/pods/none/exec?command=sh')).status).toBe(404);
  });
});

describe('delete propagation defaults', () => {
  const RC = '/api/v1/namespaces/default/replicationcontrollers';
  const rc = (name: string) => ({ apiVersion: 'v1', kind: 'ReplicationController', metadata: { name }, spec: { replicas: 1, selector: { app: name }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } });
  it('orphans the pods of a v1 ReplicationController deleted without a policy, as upstream', async () => {
    await t.req('POST', RC, rc('legacy'));
    const r = await t.req('DELETE', `${RC}/legacy`);
    expect(r.status).toBe(200);
    const left = await t.req('GET', `${RC}/legacy`);
    expect(left.status).toBe(200);
    expect((left.body as { metadata: { finalizers?: string[]; deletionTimestamp?: string } }).metadata.finalizers).toEqual(['orphan']);
    await t.req('POST', RC, rc('modern'));
    await t.req('DELETE', `${RC}/modern`, { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' });
    expect((await t.req('GET', `${RC}/modern`)).status).toBe(404);
  });
  it('keeps background deletion for apps/v1 kinds', async () => {
    const D = '/apis/apps/v1/namespaces/default/replicasets';
    await t.req('POST', D, { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs' }, spec: { replicas: 1, selector: { matchLabels: { app: 'rs' } }, template: { metadata: { labels: { app: 'rs' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } });
    await t.req('DELETE', `${D}/rs`);
    expect((await t.req('GET', `${D}/rs`)).status).toBe(404);
  });
});

describe('services', () => {
  const SVC = '/api/v1/namespaces/default/services';
  const svc = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ports: [{ port: 80 }], selector: { app: name }, ...spec } });
  it('allocates cluster IPs from 10.96.0.0/12 and node ports from 30000-32767', async () => {
    const r = await t.req('POST', SVC, svc('a', { type: 'NodePort' }));
    expect(r.status).toBe(201);
    const ip = r.body.spec.clusterIP as string;
    const [a, b] = ip.split('.').map(Number);
    expect(a).toBe(10);
    expect(b).toBeGreaterThanOrEqual(96);
    expect(b).toBeLessThanOrEqual(111);
    expect(r.body.spec.clusterIPs).toEqual([ip]);
    const np = r.body.spec.ports[0].nodePort;
    expect(np).toBeGreaterThanOrEqual(30000);
    expect(np).toBeLessThanOrEqual(32767);
  });
  it('rejects a node port already allocated with 422', async () => {
    await t.req('POST', SVC, svc('a', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }));
    const r = await t.req('POST', SVC, svc('b', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }));
    expect(r.status).toBe(422);
    expect(r.body.message).toBe('Service "b" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated');
    // Deleting the first frees the port.
    await t.req('DELETE', `${SVC}/a`);
    expect((await t.req('POST', SVC, svc('b', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }))).status).toBe(201);
  });
  it('rejects a cluster IP outside the range', async () => {
    const r = await t.req('POST', SVC, svc('a', { clusterIP: '10.0.0.5' }));
    expect(r.status).toBe(422);
    expect(r.body.message).toContain('the provided IP (10.0.0.5) is not in the valid range. The range of valid IPs is 10.96.0.0/12');
  });
  it('does not leak allocations from failed or dry-run creates', async () => {
    await t.req('POST', `${SVC}?dryRun=All`, svc('a', { type: 'NodePort', ports: [{ port: 80, nodePort: 30081 }] }));
    expect((await t.req('POST', SVC, svc('b', { type: 'NodePort', ports: [{ port: 80, nodePort: 30081 }] }))).status).toBe(201);
  });
});

describe('list and watch', () => {
  beforeEach(async () => {
    for (let i = 0; i < 5; i++) await t.req('POST', CM, configMap(`cm${i}`, { a: String(i) }, { idx: String(i), even: String(i % 2 === 0) }));
  });
  it('filters by label and field selectors and rejects unknown fields', async () => {
    const l = await t.req('GET', `${CM}?labelSelector=even%3Dtrue`);
    expect(l.body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['cm0', 'cm2', 'cm4']);
    const f = await t.req('GET', `${CM}?fieldSelector=metadata.name%3Dcm3`);
    expect(f.body.items).toHaveLength(1);
    const bad = await t.req('GET', `${CM}?fieldSelector=spec.x%3D1`);
    expect(bad.status).toBe(400);
  });
  it('pages with limit and continue at a consistent revision', async () => {
    const p1 = await t.req('GET', `${CM}?limit=2`);
    expect(p1.body.items).toHaveLength(2);
    expect(p1.body.metadata.remainingItemCount).toBe(3);
    await t.req('POST', CM, configMap('cm9'));
    const p2 = await t.req('GET', `${CM}?limit=10&continue=${encodeURIComponent(p1.body.metadata.continue)}`);
    expect(p2.body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(['cm2', 'cm3', 'cm4']);
  });
  it('renders Tables with the kind columns', async () => {
    const r = await t.req('GET', CM, undefined, { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' });
    expect(r.body.kind).toBe('Table');
    expect(r.body.columnDefinitions.map((c: { name: string }) => c.name)).toEqual(['Name', 'Data', 'Age']);
    expect(r.body.rows[0].cells.slice(0, 2)).toEqual(['cm0', 1]);
    expect(r.body.rows[0].object.kind).toBe('PartialObjectMetadata');
  });
  it('delivers changes in order, and selection changes as ADDED/DELETED', async () => {
    const list = await t.req('GET', CM);
    const w = await t.watch(`${CM}?watch=1&resourceVersion=${list.body.metadata.resourceVersion}&labelSelector=even%3Dtrue`);
    const cm1 = (await t.req('GET', `${CM}/cm1`)).body;
    await t.req('PUT', `${CM}/cm1`, { ...cm1, metadata: { ...cm1.metadata, labels: { even: 'true' } } }); // enters
    await t.req('PATCH', `${CM}/cm0`, { data: { a: 'x' } }, { 'content-type': 'application/merge-patch+json' }); // stays
    await t.req('PATCH', `${CM}/cm2`, { metadata: { labels: { even: 'false' } } }, { 'content-type': 'application/merge-patch+json' }); // leaves
    await t.req('DELETE', `${CM}/cm4`);
    await t.req('DELETE', `${CM}/cm3`); // never selected
    const seen = w.events.map((e) => `${e.type} ${(e.object as { metadata: { name: string } }).metadata.name}`);
    expect(seen).toEqual(['ADDED cm1', 'MODIFIED cm0', 'DELETED cm2', 'DELETED cm4']);
    const rvs = w.events.map((e) => Number((e.object as { metadata: { resourceVersion: string } }).metadata.resourceVersion));
    expect([...rvs].sort((a, b) => a - b)).toEqual(rvs);
    w.close();
  });
  it('starts watches without resourceVersion with the current state', async () => {
    const w = await t.watch(`${CM}?watch=1`);
    expect(w.events.filter((e) => e.type === 'ADDED')).toHaveLength(5);
    w.close();
  });
  it('sends a bookmark at the current revision 2 s before the timeout, even when nothing it selects changed', async () => {
    const list = await t.req('GET', CM);
    const w = await t.watch(`${CM}?watch=1&resourceVersion=${list.body.metadata.resourceVersion}&allowWatchBookmarks=true&timeoutSeconds=3&labelSelector=idx%3D9`);
    await t.req('PATCH', `${CM}/cm1`, { data: { a: 'changed' } }, { 'content-type': 'application/merge-patch+json' });
    const now = Number((await t.req('GET', CM)).body.metadata.resourceVersion);
    expect(w.events).toEqual([]);
    await new Promise((r) => setTimeout(r, 1300));
    expect(w.events).toEqual([{ type: 'BOOKMARK', object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: String(now) } } }]);
    w.close();
  });
  it('answers a watch from a compacted revision with 410 Expired', async () => {
    for (let i = 0; i < 80; i++) await t.req('PATCH', `${CM}/cm0`, { data: { a: String(i) } }, { 'content-type': 'application/merge-patch+json' });
    t.store.compact();
    const w = await t.watch(`${CM}?watch=1&resourceVersion=2`);
    expect(w.status).toBe(410);
    expect(w.body).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
    expect((w.body as { message: string }).message).toMatch(/^too old resource version: 2 \(\d+\)$/);
  });
});

describe('discovery', () => {
  it('serves aggregated discovery v2 and v2beta1 with the right content type', async () => {
    for (const v of ['v2', 'v2beta1']) {
      const r = await t.req('GET', '/apis', undefined, { accept: `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList,application/json` });
      expect(r.headers?.['content-type']).toBe(`application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList`);
      expect(r.body.kind).toBe('APIGroupDiscoveryList');
      const apps = r.body.items.find((i: { metadata: { name: string } }) => i.metadata.name === 'apps');
      const deploy = apps.versions[0].resources.find((x: { resource: string }) => x.resource === 'deployments');
      expect(deploy).toMatchObject({ scope: 'Namespaced', shortNames: ['deploy'], responseKind: { kind: 'Deployment' } });
      expect(deploy.subresources.map((s: { subresource: string }) => s.subresource).sort()).toEqual(['scale', 'status']);
    }
  });
  it('serves the legacy discovery documents', async () => {
    expect((await t.req('GET', '/api')).body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const core = await t.req('GET', '/api/v1');
    expect(core.body.resources.find((r: { name: string }) => r.name === 'pods')).toMatchObject({ shortNames: ['po'], kind: 'Pod', namespaced: true });
    expect(core.body.resources.find((r: { name: string }) => r.name === 'pods/log')).toBeTruthy();
    expect(core.body.resources.find((r: { name: string }) => r.name === 'containers')).toBeUndefined();
  });
});
