/**
 * The UI's port-forwards (/ui/port-forwards) against a real API handler and the API server's own
 * streaming upgrade handler: a node whose pods' port 80 is a real HTTP server. A forward to a pod
 * or a service port listens on 127.0.0.1, node's http client gets the pod's page through it (one
 * pods/portforward SPDY session, one stream pair per connection), it is listed, and after DELETE
 * the port refuses connections. Port in use (409), pod not running, missing pod/port, bad bodies
 * (422/400/415), no cookie (401), foreign Origin (403), and the gateway's close ending forwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { TestServer } from '../apiserver/fixture';
import { NodeConnectionRegistry, type ByteStream, type NodeConnection, type PortForwardRequest } from '../../../src-main/apiserver/node-connections';
import { createStreamingUpgrades } from '../../../src-main/apiserver/streaming/upgrade';
import { startUiGateway, type UiGateway } from '../../../src-main/gateway';

/** A kubelet whose pods serve HTTP on port 80 (a real server on 127.0.0.1), nothing elsewhere. */
class HttpNode implements NodeConnection {
  forwards: PortForwardRequest[] = [];
  constructor(private readonly httpPort: () => number) {}
  containerLogs(): Promise<ByteStream> {
    return Promise.reject(new Error('not in this test'));
  }
  /** Pods this kubelet no longer runs (deleted). */
  gone = new Set<string>();
  portForward(req: PortForwardRequest): Promise<Duplex> {
    this.forwards.push(req);
    if (this.gone.has(req.pod)) return Promise.reject(new Error(`error forwarding port ${req.port} to pod ${req.uid}, uid : pod not found ("${req.pod}_default")`));
    if (req.port !== 80) return Promise.reject(new Error(`error forwarding port ${req.port} to pod ${req.uid}, uid : failed to connect to localhost:${req.port} inside namespace "${req.pod}": connect: connection refused`));
    return new Promise((resolve, reject) => {
      const s = net.connect(this.httpPort(), '127.0.0.1', () => resolve(s));
      s.once('error', reject);
    });
  }
}

let t: TestServer;
let gw: UiGateway;
let secret = '';
let pageServer: http.Server;
let node: HttpNode;
const USER = { name: 'kubernetes-admin', groups: ['system:masters'] };

async function runningPod(name: string, labels: Record<string, string>, phase = 'Running'): Promise<void> {
  const r = await t.req('POST', '/api/v1/namespaces/default/pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    spec: { nodeName: 'node-1', containers: [{ name: 'web', image: 'nginx', ports: [{ name: 'http', containerPort: 80 }] }] },
  });
  expect(r.status).toBe(201);
  const cur = (await t.req('GET', `/api/v1/namespaces/default/pods/${name}`)).body as object;
  const ready = phase === 'Running' ? 'True' : 'False';
  const status = { phase, conditions: [{ type: 'Ready', status: ready, lastTransitionTime: '2026-01-01T00:00:00Z' }] };
  expect((await t.req('PUT', `/api/v1/namespaces/default/pods/${name}/status`, { ...cur, status })).status).toBe(200);
}

beforeAll(async () => {
  pageServer = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<h1>Welcome to nginx!</h1> ${req.method} ${req.url}`);
  });
  await new Promise<void>((r) => pageServer.listen(0, '127.0.0.1', () => r()));
  node = new HttpNode(() => (pageServer.address() as net.AddressInfo).port);
  t = await new TestServer().withNamespaces('default');
  const nodes = new NodeConnectionRegistry();
  nodes.register('node-1', node);
  t.server.ctx.nodes = nodes;
  await runningPod('web-1', { app: 'web' });
  await runningPod('waiting', { app: 'waiting' }, 'Pending');
  const svc = (name: string, selector: Record<string, string>) =>
    t.req('POST', '/api/v1/namespaces/default/services', { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector, ports: [{ name: 'http', port: 8080, targetPort: 'http' }] } });
  expect((await svc('web', { app: 'web' })).status).toBe(201);
  expect((await svc('empty', { app: 'nobody' })).status).toBe(201);
  gw = await startUiGateway({ port: 0, handler: t.server.handler, user: USER, upgrade: createStreamingUpgrades(t.server.ctx) });
  secret = new URL(gw.url).searchParams.get('session')!;
});

afterAll(async () => {
  await gw.close();
  t.close();
  await new Promise<void>((r) => pageServer.close(() => r()));
});

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

function call(g: UiGateway, method: string, path: string, body?: unknown, headers: Record<string, string> = {}, cookie = true): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    const req = http.request(
      {
        host: '127.0.0.1',
        port: g.port,
        method,
        path,
        agent: false,
        headers: {
          ...(cookie ? { cookie: `kubesim_session=${new URL(g.url).searchParams.get('session')}` } : {}),
          origin: g.origin,
          ...(data ? { 'content-type': 'application/json', 'content-length': String(data.length) } : {}),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

/** node's http client against 127.0.0.1:port (a fresh connection each time). */
function get(port: number, path = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error('timed out')));
  });
}

function connectError(port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('connect', () => {
      s.destroy();
      resolve('connected');
    });
    s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

describe('port-forwards through the UI gateway', () => {
  it('a pod port: listens on 127.0.0.1, forwards HTTP through pods/portforward, is listed, and stops', async () => {
    const r = await call(gw, 'POST', '/ui/port-forwards', { namespace: 'default', resource: 'pods', name: 'web-1', port: 80 });
    expect(r.status).toBe(201);
    const pf = r.body as { id: string; localPort: number; url: string; pod: string; podPort: number; address: string };
    expect(pf).toMatchObject({ pod: 'web-1', podPort: 80, address: '127.0.0.1' });
    expect(pf.localPort).toBeGreaterThan(0);
    expect(pf.url).toBe(`http://127.0.0.1:${pf.localPort}`);
    const before = node.forwards.length;
    const page = await get(pf.localPort, '/hello');
    expect(page.status).toBe(200);
    expect(page.body).toBe('<h1>Welcome to nginx!</h1> GET /hello');
    // Two connections at once, each its own stream pair to the pod.
    const [a, b] = await Promise.all([get(pf.localPort, '/a'), get(pf.localPort, '/b')]);
    expect([a.body, b.body]).toEqual(['<h1>Welcome to nginx!</h1> GET /a', '<h1>Welcome to nginx!</h1> GET /b']);
    expect(node.forwards.slice(before)).toEqual([0, 1, 2].map(() => expect.objectContaining({ namespace: 'default', pod: 'web-1', port: 80 })));

    const list = await call(gw, 'GET', '/ui/port-forwards');
    expect(list.status).toBe(200);
    const items = list.body.items as { id: string; totalConnections: number }[];
    expect(items.map((i) => i.id)).toContain(pf.id);
    expect(items.find((i) => i.id === pf.id)!.totalConnections).toBe(3);
    expect((await call(gw, 'GET', `/ui/port-forwards/${pf.id}`)).body).toMatchObject({ id: pf.id, localPort: pf.localPort });

    const del = await call(gw, 'DELETE', `/ui/port-forwards/${pf.id}`);
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ kind: 'Status', status: 'Success' });
    expect(await connectError(pf.localPort)).toBe('ECONNREFUSED');
    expect(((await call(gw, 'GET', '/ui/port-forwards')).body.items as { id: string }[]).map((i) => i.id)).not.toContain(pf.id);
    const again = await call(gw, 'DELETE', `/ui/port-forwards/${pf.id}`);
    expect(again.status).toBe(404);
    expect(again.body).toMatchObject({ kind: 'Status', reason: 'NotFound' });
  });

  it('a service port by number: the ready pod behind the selector, the named targetPort resolved, on the chosen local port', async () => {
    const free = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const r = await call(gw, 'POST', '/ui/port-forwards', { namespace: 'default', resource: 'services', name: 'web', port: '8080', localPort: free });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ resource: 'services', name: 'web', port: 8080, pod: 'web-1', podPort: 80, localPort: free });
    expect((await get(free, '/svc')).body).toContain('GET /svc');
    expect((await call(gw, 'DELETE', `/ui/port-forwards/${String(r.body.id)}`)).status).toBe(200);
  });

  it("a service forward follows the service to another pod when its pod went away", async () => {
    await runningPod('roll-1', { app: 'roll' });
    await runningPod('roll-2', { app: 'roll' });
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'roll' }, spec: { selector: { app: 'roll' }, ports: [{ port: 8080, targetPort: 80 }] } };
    expect((await t.req('POST', '/api/v1/namespaces/default/services', svc)).status).toBe(201);
    const r = await call(gw, 'POST', '/ui/port-forwards', { namespace: 'default', resource: 'services', name: 'roll', port: 8080 });
    expect(r.status).toBe(201);
    const id = String(r.body.id);
    const first = String(r.body.pod);
    expect((await get(r.body.localPort as number)).status).toBe(200);
    // The kubelet no longer has that pod and the API no longer lists it.
    node.gone.add(first);
    expect((await t.req('DELETE', `/api/v1/namespaces/default/pods/${first}?gracePeriodSeconds=0`)).status).toBe(200);
    await expect(get(r.body.localPort as number)).rejects.toThrow();
    const page = await get(r.body.localPort as number);
    expect(page.status).toBe(200);
    const info = (await call(gw, 'GET', `/ui/port-forwards/${id}`)).body;
    expect(info.pod).not.toBe(first);
    expect(String(info.pod)).toMatch(/^roll-/);
    expect(node.forwards.at(-1)?.pod).toBe(info.pod);
    await call(gw, 'DELETE', `/ui/port-forwards/${id}`);
  });

  it('a local port already in use: 409 with a clear message, nothing started', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const before = (await call(gw, 'GET', '/ui/port-forwards')).body.items as unknown[];
      const r = await call(gw, 'POST', '/ui/port-forwards', { namespace: 'default', resource: 'pods', name: 'web-1', port: 80, localPort: port });
      expect(r.status).toBe(409);
      expect(r.body).toMatchObject({ kind: 'Status', status: 'Failure', code: 409, reason: 'Conflict' });
      expect(String(r.body.message)).toContain(`unable to listen on port ${port}: 127.0.0.1:${port} is already in use`);
      expect((await call(gw, 'GET', '/ui/port-forwards')).body.items).toEqual(before);
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()));
    }
  });

  it("refuses what kubectl refuses, with kubectl's words", async () => {
    const post = (b: object) => call(gw, 'POST', '/ui/port-forwards', { namespace: 'default', ...b });
    const notRunning = await post({ resource: 'pods', name: 'waiting', port: 80 });
    expect([notRunning.status, notRunning.body.message]).toEqual([400, 'unable to forward port because pod is not running. Current status=Pending']);
    const missing = await post({ resource: 'pods', name: 'nope', port: 80 });
    expect([missing.status, missing.body.message]).toEqual([404, 'pods "nope" not found']);
    const named = await post({ resource: 'pods', name: 'web-1', port: 'metrics' });
    expect([named.status, named.body.message]).toEqual([400, "Pod 'web-1' does not have a named port 'metrics'"]);
    const svcPort = await post({ resource: 'services', name: 'web', port: 9999 });
    expect([svcPort.status, svcPort.body.message]).toEqual([400, 'Service web does not have a service port 9999']);
    const noPods = await post({ resource: 'services', name: 'empty', port: 8080 });
    expect(noPods.status).toBe(404);
    expect(String(noPods.body.message)).toContain('no pods found for service empty');
  });

  it('a pod port nothing listens on: the forward runs, the connection closes, the error is kept for the list', async () => {
    const r = await call(gw, 'POST', '/ui/port-forwards', { namespace: 'default', resource: 'pods', name: 'web-1', port: 81 });
    expect(r.status).toBe(201);
    const id = String(r.body.id);
    await expect(get(r.body.localPort as number)).rejects.toThrow();
    const info = (await call(gw, 'GET', `/ui/port-forwards/${id}`)).body as { lastError?: { message: string } };
    expect(info.lastError?.message).toContain(`an error occurred forwarding ${String(r.body.localPort)} -> 81: error forwarding port 81 to pod`);
    expect(info.lastError?.message).toContain('connection refused');
    await call(gw, 'DELETE', `/ui/port-forwards/${id}`);
  });

  it('bad requests: 422 with field causes, 400 for bad JSON, 415, 401 without the cookie, 403 from another origin', async () => {
    const bad = await call(gw, 'POST', '/ui/port-forwards', { namespace: 'default', resource: 'deployments', name: 'x', port: 0, localPort: 70000 });
    expect(bad.status).toBe(422);
    expect(bad.body.reason).toBe('Invalid');
    const fields = ((bad.body.details as { causes: { field: string }[] }).causes ?? []).map((c) => c.field);
    expect(fields).toEqual(['resource', 'port', 'localPort']);
    expect((await call(gw, 'POST', '/ui/port-forwards', '{nope')).status).toBe(400);
    expect((await call(gw, 'POST', '/ui/port-forwards', 'a=b', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await call(gw, 'GET', '/ui/port-forwards', undefined, {}, false)).status).toBe(401);
    const cross = await call(gw, 'POST', '/ui/port-forwards', { namespace: 'default', resource: 'pods', name: 'web-1', port: 80 }, { origin: 'http://127.0.0.1:1' });
    expect(cross.status).toBe(403);
    expect((await call(gw, 'PUT', '/ui/port-forwards', {})).status).toBe(405);
  });

  it('forwards end when the gateway stops', async () => {
    const g = await startUiGateway({ port: 0, handler: t.server.handler, user: USER, upgrade: createStreamingUpgrades(t.server.ctx) });
    const r = await call(g, 'POST', '/ui/port-forwards', { namespace: 'default', resource: 'pods', name: 'web-1', port: 80 });
    expect(r.status).toBe(201);
    const port = r.body.localPort as number;
    expect((await get(port)).status).toBe(200);
    await g.close();
    expect(await connectError(port)).toBe('ECONNREFUSED');
  });
});
