import { describe, expect, it } from 'vitest';
import type { ApiRequest, ApiResponse } from '../../../src-main/apiserver/types';
import { StatusError } from '../../../src-main/api/errors';
import { KubeClient, R, resourcePath, statusErrorFrom } from '../../../src-main/client';
import { FakeStream } from './fake-handler';

const USER = { name: 'system:kube-scheduler', groups: ['system:authenticated'] };

function recording(reply: (req: ApiRequest) => ApiResponse = () => ({ type: 'object', status: 200, body: { kind: 'X', apiVersion: 'v1', metadata: {} } })) {
  const reqs: ApiRequest[] = [];
  const client = new KubeClient(async (req) => {
    reqs.push(req);
    return reply(req);
  }, USER, { fieldManager: 'kube-scheduler' });
  return { reqs, client };
}

describe('KubeClient requests', () => {
  it('builds core and group paths', () => {
    expect(resourcePath(R.pods, 'default')).toBe('/api/v1/namespaces/default/pods');
    expect(resourcePath(R.nodes, undefined, 'n1')).toBe('/api/v1/nodes/n1');
    expect(resourcePath(R.deployments, 'prod', 'web', 'scale')).toBe('/apis/apps/v1/namespaces/prod/deployments/web/scale');
    expect(resourcePath(R.deployments)).toBe('/apis/apps/v1/deployments');
    expect(() => resourcePath(R.pods, 'default', '')).toThrow('may not be empty');
  });

  it('sends list options as query parameters', async () => {
    const { reqs, client } = recording(() => ({ type: 'object', status: 200, body: { kind: 'PodList', apiVersion: 'v1', metadata: {}, items: [] } }));
    await client.list(R.pods, 'default', { labelSelector: 'app=web', fieldSelector: 'spec.nodeName=n1', limit: 10, continue: 'tok', resourceVersion: '5', resourceVersionMatch: 'NotOlderThan', timeoutSeconds: 3 });
    const r = reqs[0];
    expect(r.method).toBe('GET');
    expect(r.path).toBe('/api/v1/namespaces/default/pods');
    expect(Object.fromEntries(r.query)).toEqual({ labelSelector: 'app=web', fieldSelector: 'spec.nodeName=n1', limit: '10', continue: 'tok', resourceVersion: '5', resourceVersionMatch: 'NotOlderThan', timeoutSeconds: '3' });
    expect(r.user).toEqual(USER);
    expect(r.headers.accept).toBe('application/json');
  });

  it('passes bodies as the same objects, with write options', async () => {
    const { reqs, client } = recording();
    const obj = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } };
    await client.create(R.pods, 'default', obj, { dryRun: true });
    expect(reqs[0].body).toBe(obj);
    expect(reqs[0].method).toBe('POST');
    expect(reqs[0].headers['content-type']).toBe('application/json');
    expect(Object.fromEntries(reqs[0].query)).toEqual({ dryRun: 'All', fieldManager: 'kube-scheduler' });
    await client.updateStatus(R.pods, 'default', obj);
    expect([reqs[1].method, reqs[1].path]).toEqual(['PUT', '/api/v1/namespaces/default/pods/p/status']);
    await client.patch(R.deployments, 'default', 'web', 'strategic', { spec: { paused: true } });
    expect(reqs[2].headers['content-type']).toBe('application/strategic-merge-patch+json');
    await client.apply(R.deployments, 'default', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } }, { fieldManager: 'me', force: true });
    expect(reqs[3].headers['content-type']).toBe('application/apply-patch+yaml');
    expect(Object.fromEntries(reqs[3].query)).toEqual({ fieldManager: 'me', force: 'true' });
    await client.scale(R.deployments, 'default', 'web', 3);
    expect([reqs[4].method, reqs[4].path, reqs[4].headers['content-type']]).toEqual(['PATCH', '/apis/apps/v1/namespaces/default/deployments/web/scale', 'application/merge-patch+json']);
    expect(reqs[4].body).toEqual({ spec: { replicas: 3 } });
    await client.bind('default', 'p', 'n1');
    expect([reqs[5].method, reqs[5].path]).toEqual(['POST', '/api/v1/namespaces/default/pods/p/binding']);
    expect(reqs[5].body).toMatchObject({ kind: 'Binding', target: { kind: 'Node', name: 'n1' } });
    await client.delete(R.pods, 'default', 'p', { gracePeriodSeconds: 0, propagationPolicy: 'Background' });
    expect(reqs[6].method).toBe('DELETE');
    expect(reqs[6].body).toEqual({ kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0, propagationPolicy: 'Background' });
    await client.deleteCollection(R.pods, 'default', { labelSelector: 'a=b' });
    expect([reqs[7].method, reqs[7].path, reqs[7].query.get('labelSelector')]).toEqual(['DELETE', '/api/v1/namespaces/default/pods', 'a=b']);
  });

  it('rebuilds the StatusError from a failed response', async () => {
    const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'pods "p" not found', reason: 'NotFound', details: { name: 'p', kind: 'pods' }, code: 404 };
    const { client } = recording(() => ({ type: 'object', status: 404, body: status }));
    const e = (await client.get(R.pods, 'default', 'p').catch((x: unknown) => x)) as StatusError;
    expect(e).toBeInstanceOf(StatusError);
    expect(e.status).toEqual(status);
    expect(await client.tryGet(R.pods, 'default', 'p')).toBeUndefined();
    expect(await client.deleteIfExists(R.pods, 'default', 'p')).toBeUndefined();
    const raw = statusErrorFrom(503, 'upstream down');
    expect([raw.code, raw.message]).toEqual([503, 'upstream down']);
  });

  it('refuses an apply patch without a field manager, as the server would', async () => {
    const client = new KubeClient(async () => ({ type: 'object', status: 200, body: {} }), USER);
    const e = (await client.patch(R.pods, 'default', 'p', 'apply', {}).catch((x: unknown) => x)) as StatusError;
    expect(e.code).toBe(422);
  });

  it('watches: query, events through the iterator, abort closes the stream', async () => {
    let stream: FakeStream | undefined;
    const { reqs, client } = recording((req) => {
      stream = new FakeStream(req);
      return { type: 'watch', status: 200, stream };
    });
    const ac = new AbortController();
    const w = await client.watch(R.pods, 'default', { resourceVersion: '7', allowWatchBookmarks: true, timeoutSeconds: 60, signal: ac.signal });
    expect(Object.fromEntries(reqs[0].query)).toEqual({ watch: 'true', resourceVersion: '7', allowWatchBookmarks: 'true', timeoutSeconds: '60' });
    stream!.push({ type: 'ADDED', object: { metadata: { name: 'a' } } });
    stream!.push({ type: 'DELETED', object: { metadata: { name: 'a' } } });
    const seen: string[] = [];
    const done = (async () => {
      for await (const ev of w) seen.push(`${ev.type} ${ev.object.metadata.name}`);
    })();
    await new Promise<void>((r) => setImmediate(r));
    ac.abort();
    await done;
    expect(seen).toEqual(['ADDED a', 'DELETED a']);
    expect(stream!.closed).toBe(true);
    expect(w.isClosed).toBe(true);
  });

  it('hands watch events over on a microtask, never inside the server push, and closes after them', async () => {
    let stream: FakeStream | undefined;
    const { client } = recording((req) => {
      stream = new FakeStream(req);
      return { type: 'watch', status: 200, stream };
    });
    const w = await client.watch(R.pods);
    const log: string[] = [];
    w.onEvent((e) => log.push(e.type));
    w.onClose(() => log.push('closed'));
    stream!.push({ type: 'ADDED', object: { metadata: { name: 'a' } } });
    stream!.push({ type: 'ERROR', object: { kind: 'Status', code: 500 } });
    stream!.close();
    expect(log).toEqual([]); // nothing ran inside push/close
    await Promise.resolve();
    expect(log).toEqual(['ADDED', 'ERROR', 'closed']);
  });

  it('throws when the server refuses a watch', async () => {
    const { client } = recording(() => ({ type: 'object', status: 410, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 410, reason: 'Expired', message: 'too old resource version: 1 (50)' } }));
    const e = (await client.watch(R.pods).catch((x: unknown) => x)) as StatusError;
    expect([e.code, e.reason]).toEqual([410, 'Expired']);
  });
});
