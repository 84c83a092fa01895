import { request } from 'node:http';
import { createServer as createNetServer, connect, type AddressInfo, type Server } from 'node:net';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { R } from '../../../src-main/client';
import type { KubeObject } from '../../../src-main/api/types';
import { createClusterNetwork, type PodNetwork } from '../../../src-main/network';
import { startServiceProxy, type ServiceProxy } from '../../../src-main/network/service-proxy';
import { startHostListeners, LB_CLEANUP_FINALIZER, type HostListeners } from '../../../src-main/network/host-listeners';
import { ControllerTestbed } from '../controllers/harness';

async function until<T>(f: () => Promise<T | undefined> | T | undefined, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await f();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function get(port: number, path = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A port that is free on 127.0.0.1 now (in the NodePort range when asked). */
async function freePort(nodePortRange = false): Promise<number> {
  for (;;) {
    const s = createNetServer();
    const want = nodePortRange ? 30000 + Math.floor(Math.random() * 2768) : 0;
    const ok = await new Promise<boolean>((resolve) => {
      s.once('error', () => resolve(false));
      s.listen(want, '127.0.0.1', () => resolve(true));
    });
    if (!ok) continue;
    const port = (s.address() as AddressInfo).port;
    await new Promise((r) => s.close(r));
    return port;
  }
}

describe('localhost listeners for NodePort and LoadBalancer services', () => {
  let bed: ControllerTestbed;
  let proxy: ServiceProxy;
  let hosts: HostListeners;
  let web: PodNetwork;
  const blockers: Server[] = [];
  afterEach(async () => {
    await hosts?.stop();
    await proxy?.stop();
    await bed?.stop();
    for (const b of blockers.splice(0)) b.close();
  });

  async function setUp(): Promise<void> {
    bed = new ControllerTestbed({ start: Date.parse('2026-11-23T10:00:00Z') });
    await bed.ensureNamespaces('default');
    for (const [i, name] of ['kind-control-plane', 'kind-worker'].entries()) {
      await bed.admin.create(R.nodes, undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { addresses: [{ type: 'InternalIP', address: `172.18.0.${i + 2}` }] } });
    }
    const network = createClusterNetwork();
    proxy = await startServiceProxy({ client: bed.controllerClient, network, clock: bed.clock, informers: bed.factory });
    hosts = await startHostListeners({ client: bed.controllerClient, network, proxy, clock: bed.clock, informers: bed.factory });
    web = network.createPodNetwork('10.244.1.5', { namespace: 'default', name: 'web', uid: 'u1', nodeName: 'kind-worker' });
    // The pod's view of the client: the Connection's remote, never the real socket's 127.0.0.1.
    const sources = new WeakMap<object, string>();
    const http = createServer((req, res) => res.end(`hello from web, you are ${sources.get(req.socket) ?? '?'}`));
    web.listen(8080, (c) => {
      c.socket.on('error', () => {});
      sources.set(c.socket, c.remote.address);
      http.emit('connection', c.socket);
    });
  }

  async function service(name: string, spec: Record<string, unknown>): Promise<KubeObject> {
    const svc = await bed.admin.create(R.services, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec });
    await bed.admin.create(R.endpointslices, 'default', {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: `${name}-x`, labels: { 'kubernetes.io/service-name': name } },
      addressType: 'IPv4',
      ports: [{ name: '', port: 8080, protocol: 'TCP' }],
      endpoints: [{ addresses: ['10.244.1.5'], conditions: { ready: true }, nodeName: 'kind-worker' }],
    });
    return svc;
  }

  const events = async (name: string): Promise<string[]> =>
    (await bed.admin.list(R.events, 'default')).items
      .filter((e) => (e as unknown as { involvedObject: { name: string } }).involvedObject.name === name)
      .map((e) => {
        const ev = e as unknown as { type: string; reason: string; message: string; source: { component: string } };
        return `${ev.type} ${ev.reason} ${ev.message} (${ev.source.component})`;
      });

  it('NodePort: 127.0.0.1:<nodePort> reaches the pod, which sees the node IP (Cluster) or the bridge gateway (Local)', async () => {
    await setUp();
    const nodePort = await freePort(true);
    await service('np', { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, nodePort }] });
    const res = await until(() => get(nodePort));
    expect(res.status).toBe(200);
    expect(res.body).toMatch(/^hello from web, you are 172\.18\.0\.[23]$/);
    await bed.admin.patch(R.services, 'default', 'np', 'merge', { spec: { externalTrafficPolicy: 'Local' } });
    expect((await until(async () => ((await get(nodePort)).body.endsWith('172.18.0.1') ? get(nodePort) : undefined))).body).toBe('hello from web, you are 172.18.0.1');
    expect(hosts.list()).toEqual([{ service: 'default/np', kind: 'NodePort', protocol: 'TCP', port: nodePort, nodePort, listening: true, openConnections: expect.any(Number) }]);
    await bed.admin.delete(R.services, 'default', 'np');
    await until(() => hosts.list().length === 0);
    await expect(get(nodePort)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('LoadBalancer: 127.0.0.1:<port>, ingress 127.0.0.1/VIP, service-controller events and finalizer; deleted with the service', async () => {
    await setUp();
    const port = await freePort();
    await service('lb', { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port, targetPort: 8080 }] });
    const svc = await until(async () => {
      const s = await bed.admin.get(R.services, 'default', 'lb');
      return JSON.stringify((s.status as { loadBalancer?: { ingress?: unknown } }).loadBalancer?.ingress) === '[{"ip":"127.0.0.1","ipMode":"VIP"}]' ? s : undefined;
    });
    expect(svc.metadata.finalizers).toEqual([LB_CLEANUP_FINALIZER]);
    expect((await get(port)).body).toMatch(/^hello from web/);
    const nodePort = (svc.spec as unknown as { ports: { nodePort: number }[] }).ports[0]!.nodePort;
    expect((await get(nodePort)).status).toBe(200);
    await until(async () => (await events('lb')).length >= 2);
    expect(await events('lb')).toEqual(['Normal EnsuringLoadBalancer Ensuring load balancer (service-controller)', 'Normal EnsuredLoadBalancer Ensured load balancer (service-controller)']);
    await bed.admin.delete(R.services, 'default', 'lb');
    await until(async () => !(await bed.admin.tryGet(R.services, 'default', 'lb')));
    await until(() => hosts.list().length === 0);
    await expect(get(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await until(async () => (await events('lb')).length >= 4);
    expect((await events('lb')).slice(2)).toEqual(['Normal DeletingLoadBalancer Deleting load balancer (service-controller)', 'Normal DeletedLoadBalancer Deleted load balancer (service-controller)']);
  });

  it('a taken LB port leaves EXTERNAL-IP pending with a Warning naming the NodePort URL, and is retried with back-off', async () => {
    await setUp();
    const blocker = createNetServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    blockers.push(blocker);
    const port = (blocker.address() as AddressInfo).port;
    const svc = await service('busy', { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port, targetPort: 8080 }] });
    const nodePort = (svc.spec as unknown as { ports: { nodePort: number }[] }).ports[0]!.nodePort;
    const warning = `Warning SyncLoadBalancerFailed Error syncing load balancer: failed to ensure load balancer: listen tcp 127.0.0.1:${port}: bind: address already in use; the service is reachable at http://127.0.0.1:${nodePort} (service-controller)`;
    await until(async () => (await events('busy')).includes(warning));
    const pending = await bed.admin.get(R.services, 'default', 'busy');
    expect((pending.status as { loadBalancer?: { ingress?: unknown } }).loadBalancer?.ingress).toBeUndefined();
    expect((await get(nodePort)).status).toBe(200);
    blocker.close();
    await once(blocker, 'close');
    bed.clock.advance(5_000);
    await until(async () => {
      const s = await bed.admin.get(R.services, 'default', 'busy');
      return (s.status as { loadBalancer?: { ingress?: unknown[] } }).loadBalancer?.ingress?.length === 1;
    });
    expect((await get(port)).status).toBe(200);
  });

  it('a taken NodePort records kubesim\'s Warning NodePortUnavailable naming the port and the OS error, and is retried', async () => {
    await setUp();
    const nodePort = await freePort(true);
    const blocker = createNetServer();
    blocker.listen(nodePort, '127.0.0.1');
    await once(blocker, 'listening');
    blockers.push(blocker);
    await service('np-busy', { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, nodePort }] });
    const warning = `Warning NodePortUnavailable 127.0.0.1:${nodePort} is taken by another program on this computer (listen tcp 127.0.0.1:${nodePort}: bind: address already in use); retrying (kubesim)`;
    await until(async () => (await events('np-busy')).includes(warning));
    expect(hosts.list()).toEqual([expect.objectContaining({ service: 'default/np-busy', kind: 'NodePort', nodePort, listening: false })]);
    blocker.close();
    await once(blocker, 'close');
    bed.clock.advance(5_000);
    expect((await until(() => get(nodePort).catch(() => undefined))).status).toBe(200);
    expect(hosts.list()[0]!.listening).toBe(true);
  });

  it('two LoadBalancers on one port: the second is pending until the first goes, then gets it without waiting for its back-off', async () => {
    await setUp();
    const port = await freePort();
    await service('first', { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port, targetPort: 8080 }] });
    const ingress = async (name: string) => (((await bed.admin.get(R.services, 'default', name)).status as { loadBalancer?: { ingress?: unknown[] } }).loadBalancer?.ingress ?? []).length;
    await until(async () => (await ingress('first')) === 1);
    await service('second', { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port, targetPort: 8080 }] });
    await until(async () => (await events('second')).some((e) => e.includes('SyncLoadBalancerFailed')));
    expect(await ingress('second')).toBe(0);
    await bed.admin.delete(R.services, 'default', 'first');
    await until(async () => (await ingress('second')) === 1);
    expect((await get(port)).status).toBe(200);
  });

  it('a UDP NodePort relays datagrams from 127.0.0.1 into the pod and its answers back', async () => {
    await setUp();
    web.bindUdp(5353, (d) => d.reply(Buffer.from(`${d.data.toString()} from ${d.remote.address}`)));
    const nodePort = await freePort(true);
    await bed.admin.create(R.services, 'default', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'dns' },
      spec: { type: 'NodePort', selector: { app: 'dns' }, externalTrafficPolicy: 'Local', ports: [{ name: 'dns', protocol: 'UDP', port: 53, targetPort: 5353, nodePort }] },
    });
    await bed.admin.create(R.endpointslices, 'default', {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'dns-x', labels: { 'kubernetes.io/service-name': 'dns' } },
      addressType: 'IPv4',
      ports: [{ name: 'dns', port: 5353, protocol: 'UDP' }],
      endpoints: [{ addresses: ['10.244.1.5'], conditions: { ready: true }, nodeName: 'kind-worker' }],
    });
    const client = createSocket('udp4');
    client.bind(0, '127.0.0.1');
    await once(client, 'listening');
    const answer = await until(async () => {
      client.send('ping', nodePort, '127.0.0.1');
      const got = await Promise.race([once(client, 'message').then(([m]) => String(m)), new Promise<undefined>((r) => setTimeout(() => r(undefined), 100))]);
      return got;
    });
    client.close();
    expect(answer).toBe('ping from 172.18.0.1');
    expect(hosts.list()).toEqual([expect.objectContaining({ kind: 'NodePort', protocol: 'UDP', port: nodePort, listening: true })]);
  });

  it('a LoadBalancer with a loadBalancerClass is left to that implementation: only its NodePort listens', async () => {
    await setUp();
    const port = await freePort();
    const svc = await service('classy', { type: 'LoadBalancer', loadBalancerClass: 'example.com/lb', selector: { app: 'web' }, ports: [{ port, targetPort: 8080 }] });
    const nodePort = (svc.spec as unknown as { ports: { nodePort: number }[] }).ports[0]!.nodePort;
    expect((await until(() => get(nodePort))).status).toBe(200);
    expect(hosts.list().map((l) => l.kind)).toEqual(['NodePort']);
    await expect(get(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    const s = await bed.admin.get(R.services, 'default', 'classy');
    expect([s.metadata.finalizers, (s.status as { loadBalancer?: { ingress?: unknown } }).loadBalancer?.ingress]).toEqual([undefined, undefined]);
    expect(await events('classy')).toEqual([]);
  });

  it('no endpoints → the client is reset; 1000 connections opened and dropped leave nothing behind', async () => {
    await setUp();
    const nodePort = await freePort(true);
    await service('drops', { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, nodePort }] });
    await until(() => get(nodePort));
    for (let round = 0; round < 10; round++) {
      await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          new Promise<void>((resolve) => {
            const s = connect(nodePort, '127.0.0.1');
            s.on('error', () => resolve());
            s.on('connect', () => {
              if (i % 2) s.write('GET / HTTP/1.1\r\nHost: x\r\n');
              setImmediate(() => {
                s.destroy();
                resolve();
              });
            });
          }),
        ),
      );
    }
    await until(() => hosts.list()[0]!.openConnections === 0);
    await until(() => web.counters().connections >= 1000);
    await until(() => (web as unknown as { openConnections(): number }).openConnections() === 0);
    expect((await get(nodePort)).status).toBe(200);
    await bed.admin.delete(R.endpointslices, 'default', 'drops-x');
    const err = await until(async () => {
      try {
        await get(nodePort);
      } catch (e) {
        return e as NodeJS.ErrnoException;
      }
      return undefined;
    });
    expect(err.code).toBe('ECONNRESET');
  });
});
