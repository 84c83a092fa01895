import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { R } from '../../../src-main/client';
import type { ApiResponse } from '../../../src-main/apiserver/types';
import { StatusError } from '../../../src-main/api/errors';
import { createClusterNetwork } from '../../../src-main/network';
import { CONTROL_PLANE_IP } from '../../../src-main/network/start';
import { splitSchemeNamePort } from '../../../src-main/apiserver/rest/proxy';
import { ControllerTestbed } from '../controllers/harness';

const ADMIN = { name: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };

describe('services/proxy and pods/proxy through the cluster network', () => {
  let bed: ControllerTestbed | undefined;
  afterEach(async () => bed?.stop());

  async function setUp() {
    bed = new ControllerTestbed({ start: Date.parse('2026-11-23T10:00:00Z') });
    await bed.ensureNamespaces('default');
    const network = createClusterNetwork();
    bed.server.ctx.dialer = { dial: async (host, port) => (await network.connectFromNode(CONTROL_PLANE_IP, host, port)).socket };
    const web = network.createPodNetwork('10.244.1.5', { namespace: 'default', name: 'web', uid: 'u', nodeName: 'kind-worker' });
    const http = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        res.setHeader('x-seen', `${req.method} ${req.url} host=${req.headers.host} auth=${req.headers.authorization ?? '-'}`);
        res.setHeader('content-type', 'text/plain');
        res.end(`hello${body ? ` ${body}` : ''}`);
      });
    });
    const sources: string[] = [];
    web.listen(8080, (c) => {
      sources.push(c.remote.address);
      http.emit('connection', c.socket);
    });
    await bed.admin.create(R.services, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] } });
    await bed.admin.create(R.endpoints, 'default', {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'web' },
      subsets: [{ addresses: [{ ip: '10.244.1.5' }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }],
    });
    const pod = await bed.admin.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'web', image: 'x', ports: [{ containerPort: 8080 }] }] } });
    await bed.admin.patchStatus(R.pods, 'default', pod.metadata.name!, { status: { podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }] } });
    return { sources };
  }

  async function call(method: 'GET' | 'POST', path: string, body?: string): Promise<ApiResponse> {
    return bed!.server.handler({ method, path, query: new URLSearchParams('a=1'), headers: { authorization: 'Bearer secret', 'content-type': 'text/plain' }, user: ADMIN, body: body === undefined ? undefined : Buffer.from(body) });
  }

  async function failure(p: Promise<ApiResponse>): Promise<{ code: number; message: string }> {
    const r = await p.catch((e: unknown) => e);
    if (r instanceof StatusError) return { code: r.status.code ?? 0, message: r.status.message ?? '' };
    const res = r as ApiResponse;
    if (res.type === 'object') return { code: res.status, message: String((res.body as { message?: string }).message) };
    throw new Error(`expected a failure, got ${res.type} ${res.status}`);
  }

  it('relays method, path, query and body to a service endpoint, without the client credentials', async () => {
    const { sources } = await setUp();
    const r = await call('POST', '/api/v1/namespaces/default/services/http:web:80/proxy/some/path', 'data');
    expect(r.type).toBe('raw');
    if (r.type !== 'raw') return;
    expect([r.status, r.body.toString(), r.contentType]).toEqual([200, 'hello data', 'text/plain']);
    expect(r.headers?.['x-seen']).toBe('POST /some/path?a=1 host=10.244.1.5:8080 auth=-');
    expect(sources).toEqual([CONTROL_PLANE_IP]);
    const byName = await call('GET', '/api/v1/namespaces/default/services/web:http/proxy/');
    expect(byName.type === 'raw' && byName.body.toString()).toBe('hello');
    const pod = await call('GET', '/api/v1/namespaces/default/pods/web/proxy/x');
    expect(pod.type === 'raw' && pod.headers?.['x-seen']).toBe('GET /x?a=1 host=10.244.1.5:8080 auth=-');
    const redirect = await call('GET', '/api/v1/namespaces/default/pods/web:8080/proxy');
    expect(redirect.type === 'raw' && [redirect.status, redirect.headers?.location]).toEqual([301, '/api/v1/namespaces/default/pods/web:8080/proxy/?a=1']);
  });

  it('upstream errors: unknown port, no endpoints, refused backend, pod without IP, bad id', async () => {
    await setUp();
    expect(await failure(call('GET', '/api/v1/namespaces/default/services/web:81/proxy/'))).toEqual({ code: 503, message: 'no service port 81 found for service "web"' });
    expect(await failure(call('GET', '/api/v1/namespaces/default/services/nope/proxy/'))).toEqual({ code: 404, message: 'endpoints "nope" not found' });
    await bed!.admin.update(R.endpoints, 'default', { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web' } });
    expect(await failure(call('GET', '/api/v1/namespaces/default/services/web/proxy/'))).toEqual({ code: 503, message: 'no endpoints available for service "web"' });
    expect(await failure(call('GET', '/api/v1/namespaces/default/pods/web:9999/proxy/'))).toEqual({ code: 503, message: 'error trying to reach service: dial tcp 10.244.1.5:9999: connect: connection refused' });
    await bed!.admin.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pending' }, spec: { containers: [{ name: 'c', image: 'x' }] } });
    expect(await failure(call('GET', '/api/v1/namespaces/default/pods/pending/proxy/'))).toEqual({ code: 400, message: 'address not allowed' });
    expect(await failure(call('GET', '/api/v1/namespaces/default/pods/ftp:web:80/proxy/'))).toEqual({ code: 400, message: 'invalid pod request "ftp:web:80"' });
  });

  it('splits scheme:name:port as utilnet does', () => {
    expect(splitSchemeNamePort('web')).toEqual({ scheme: '', name: 'web', port: '' });
    expect(splitSchemeNamePort('https:web:443')).toEqual({ scheme: 'https', name: 'web', port: '443' });
    expect(splitSchemeNamePort('a:b:c:d')).toBeUndefined();
    expect(splitSchemeNamePort(':80')).toBeUndefined();
  });
});
