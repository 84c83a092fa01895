/**
 * Core kinds through the real API handler (in-memory store): the hooks in the order the
 * server calls them, as kubectl's requests take them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../../../src-main/storage/sqlite-store';
import { Registry } from '../../../../src-main/api/registry';
import { createApiHandler } from '../../../../src-main/apiserver/handler';
import { namespaceLifecycle } from '../../../../src-main/apiserver/admission/namespace-lifecycle';
import { serviceAccountAdmission } from '../../../../src-main/apiserver/admission/service-account';
import { priorityAdmission } from '../../../../src-main/apiserver/admission/priority';
import type { ServerContext } from '../../../../src-main/apiserver/context';
import { StatusError } from '../../../../src-main/api/errors';
import type { KubeObject } from '../../../../src-main/api/types';
import { KubeClient, R } from '../../../../src-main/client';

const ADMIN = { name: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };

let store: SqliteStore;
let ctx: ServerContext;
let client: KubeClient;

beforeEach(async () => {
  store = SqliteStore.open({ path: ':memory:', historyWindow: 0 });
  ctx = {
    store,
    registry: new Registry(),
    admission: [namespaceLifecycle, serviceAccountAdmission, priorityAdmission],
    now: () => new Date(),
    version: { major: '1', minor: '33', gitVersion: 'v1.33.0', gitCommit: '', gitTreeState: 'clean', buildDate: '', goVersion: '', compiler: 'gc', platform: 'linux/amd64' },
    watches: new Set(),
  };
  client = new KubeClient(createApiHandler(ctx), ADMIN, { fieldManager: 'kubectl-client-side-apply' });
  await client.create<KubeObject>(R.namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
});

afterEach(() => {
  for (const w of [...ctx.watches]) w.close();
  store.close();
});

async function failure(p: Promise<unknown>): Promise<StatusError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } };

describe('core kinds through the API handler', () => {
  it('pods: defaults, status, image updates, forbidden spec updates', async () => {
    const created = await client.create(R.pods, 'default', pod);
    const spec = created.spec as any;
    expect(spec.serviceAccountName).toBe('default');
    // As upstream: the field manager records the defaulted request, before admission adds the
    // service account, its token volume and the priority (owned by nobody).
    const owned = (created.metadata.managedFields as any[])[0].fieldsV1['f:spec'];
    expect(owned['f:restartPolicy']).toEqual({});
    expect(owned['f:containers']['k:{"name":"nginx"}']['f:imagePullPolicy']).toEqual({});
    expect(owned['f:volumes']).toBeUndefined();
    expect(owned['f:serviceAccountName']).toBeUndefined();
    expect(owned['f:priority']).toBeUndefined();
    expect(owned['f:containers']['k:{"name":"nginx"}']['f:volumeMounts']).toBeUndefined();
    expect(spec.containers[0].volumeMounts[0].mountPath).toBe('/var/run/secrets/kubernetes.io/serviceaccount');
    expect(created.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });

    const patched = await client.patch(R.pods, 'default', 'web', 'strategic', { spec: { containers: [{ name: 'nginx', image: 'nginx:1.26' }] } });
    expect((patched.spec as any).containers[0].image).toBe('nginx:1.26');
    expect((patched.spec as any).volumes).toEqual(spec.volumes);

    const labelled = await client.patch(R.pods, 'default', 'web', 'merge', { metadata: { labels: { tier: 'fe' } } });
    expect(labelled.metadata.labels).toEqual({ app: 'web', tier: 'fe' });

    const err = await failure(client.patch(R.pods, 'default', 'web', 'strategic', { spec: { containers: [{ name: 'nginx', ports: [{ containerPort: 80 }] }] } }));
    expect(err.code).toBe(422);
    expect(err.status.details?.causes?.[0].field).toBe('spec');
    expect(err.status.message).toMatch(/^Pod "web" is invalid: spec: Forbidden: pod updates may not change fields other than/);

    const bad = await failure(client.create(R.pods, 'default', { ...pod, metadata: { name: 'bad' }, spec: { containers: [{ name: 'c' }] } }));
    expect(bad.status.message).toBe('Pod "bad" is invalid: spec.containers[0].image: Required value');
  });

  it('pod table through the server', async () => {
    await client.create(R.pods, 'default', pod);
    const res = await client.raw({ method: 'GET', path: '/api/v1/namespaces/default/pods', headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' } });
    const table = (res as { body: any }).body;
    expect(table.columnDefinitions.map((c: any) => c.name)).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Nominated Node', 'Readiness Gates']);
    expect(table.rows[0].cells.slice(0, 4)).toEqual(['web', '0/1', 'Pending', '0']);
  });

  it('namespaces, secrets, replication controllers', async () => {
    const ns = await client.create<KubeObject>(R.namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' } });
    expect(ns.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'dev' });
    expect(ns.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(ns.status).toEqual({ phase: 'Active' });

    const sec = await client.create<KubeObject>(R.secrets, 'default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { a: 'b' } });
    expect(sec).toMatchObject({ type: 'Opaque', data: { a: 'Yg==' } });

    const rc = await client.create<KubeObject>(R.replicationcontrollers, 'default', {
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: { name: 'web' },
      spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } } },
    });
    expect(rc.metadata.generation).toBe(1);
    expect((rc.spec as any).selector).toEqual({ app: 'web' });
    const scaled = await client.scale(R.replicationcontrollers, 'default', 'web', 3);
    expect(scaled.spec?.replicas).toBe(3);
    const after = await client.get(R.replicationcontrollers, 'default', 'web');
    expect(after.metadata.generation).toBe(2);
  });
});
