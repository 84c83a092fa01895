/**
 * Services on the host's loopback with real kubectl and node's http client against
 * `kubesim serve --fast`: a LoadBalancer shows EXTERNAL-IP 127.0.0.1 and answers on
 * 127.0.0.1:<port> from the nginx pods behind it, the NodePort answers on 127.0.0.1:<nodePort>,
 * a NodePort collision is the upstream 422, a taken LB port leaves `<pending>` with the
 * SyncLoadBalancerFailed event, the listeners close with `kubectl delete svc`, and the API
 * server's services/proxy reaches the pods.
 */
import { request } from 'node:http';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { table, useServe } from './harness';
import { getJson, waitFor } from './workloads-helpers';

const s = useServe();

function get(port: number, path = '/'): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

async function tryGet(port: number): Promise<{ status: number; body: string } | undefined> {
  try {
    return await get(port);
  } catch {
    return undefined;
  }
}

/**
 * A port free on 127.0.0.1 now, below the ephemeral range (32768-60999) so that no outgoing
 * connection on this busy machine takes it while the cluster's listener is down for a restart.
 */
async function freePort(): Promise<number> {
  for (;;) {
    const want = 20000 + Math.floor(Math.random() * 9000);
    const srv = createServer();
    const ok = await new Promise<boolean>((resolve) => {
      srv.once('error', () => resolve(false));
      srv.listen(want, '127.0.0.1', () => resolve(true));
    });
    if (ok) {
      srv.close();
      await once(srv, 'close');
      return want;
    }
  }
}

/** A NodePort-range port nothing listens on here. */
async function freeNodePort(): Promise<number> {
  for (;;) {
    const want = 30000 + Math.floor(Math.random() * 2768);
    const srv = createServer();
    const ok = await new Promise<boolean>((resolve) => {
      srv.once('error', () => resolve(false));
      srv.listen(want, '127.0.0.1', () => resolve(true));
    });
    if (ok) {
      srv.close();
      await once(srv, 'close');
      return want;
    }
  }
}

async function refused(port: number): Promise<boolean> {
  try {
    await get(port);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ECONNREFUSED';
  }
}

const blockers: Server[] = [];
afterAll(() => {
  for (const b of blockers) b.close();
});

describe('NodePort and LoadBalancer services on 127.0.0.1', () => {
  let lbPort = 0;
  let nodePort = 0;

  it('kubectl expose --type=LoadBalancer: EXTERNAL-IP 127.0.0.1, nginx answers on 127.0.0.1:<port>', async () => {
    s.ok(['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2']);
    lbPort = await freePort();
    expect(s.ok(['expose', 'deployment', 'web', '--type=LoadBalancer', `--port=${lbPort}`, '--target-port=80'])).toBe('service/web exposed\n');
    const row = await waitFor('EXTERNAL-IP 127.0.0.1', () => {
      const r = table(s.ok(['get', 'svc', 'web']))[1];
      return r && r[3] === '127.0.0.1' ? r : undefined;
    });
    expect(row[1]).toBe('LoadBalancer');
    expect(row[4]).toMatch(new RegExp(`^${lbPort}:3\\d{4}/TCP$`));
    const svc = getJson(s, ['svc', 'web']);
    expect(svc.status.loadBalancer.ingress).toEqual([{ ip: '127.0.0.1', ipMode: 'VIP' }]);
    nodePort = svc.spec.ports[0].nodePort;
    expect(nodePort).toBeGreaterThanOrEqual(30000);
    expect(nodePort).toBeLessThanOrEqual(32767);
    const page = await (async () => {
      const end = Date.now() + 60_000;
      for (;;) {
        const r = await tryGet(lbPort);
        if (r?.status === 200) return r;
        if (Date.now() > end) throw new Error(`no 200 from 127.0.0.1:${lbPort}: ${JSON.stringify(r)}`);
        await new Promise((r2) => setTimeout(r2, 300));
      }
    })();
    expect(page.body).toContain('Welcome to nginx!');
    // The allocated NodePort answers too.
    expect((await get(nodePort)).status).toBe(200);
    const describe = s.ok(['describe', 'svc', 'web']);
    expect(describe).toMatch(/LoadBalancer Ingress:\s+127\.0\.0\.1 \(VIP\)/);
    expect(describe).toMatch(/Normal\s+EnsuringLoadBalancer\s+\S+\s+service-controller\s+Ensuring load balancer/);
    expect(describe).toMatch(/Normal\s+EnsuredLoadBalancer\s+\S+\s+service-controller\s+Ensured load balancer/);
  });

  it('a NodePort service with a chosen nodePort answers on 127.0.0.1:<nodePort>; the same nodePort again is the upstream 422', async () => {
    const np = await freeNodePort();
    const yaml = (name: string) =>
      `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  type: NodePort\n  selector:\n    app: web\n  ports:\n  - port: 80\n    targetPort: 80\n    nodePort: ${np}\n`;
    expect(s.ok(['create', '-f', '-'], { stdin: yaml('web-np') })).toBe('service/web-np created\n');
    expect(table(s.ok(['get', 'svc', 'web-np']))[1]!.slice(1, 5)).toEqual(['NodePort', expect.stringMatching(/^10\./), '<none>', `80:${np}/TCP`]);
    const end = Date.now() + 30_000;
    let r = await tryGet(np);
    while (r?.status !== 200 && Date.now() < end) {
      await new Promise((x) => setTimeout(x, 200));
      r = await tryGet(np);
    }
    expect(r?.status).toBe(200);
    const dup = s.kubectl(['create', '-f', '-'], { stdin: yaml('web-np2') });
    expect(dup.code).toBe(1);
    expect(dup.stderr).toBe(`The Service "web-np2" is invalid: spec.ports[0].nodePort: Invalid value: ${np}: provided port is already allocated\n`);
    expect(s.ok(['delete', 'svc', 'web-np'])).toBe('service "web-np" deleted\n');
    const closeBy = Date.now() + 10_000;
    while (!(await refused(np)) && Date.now() < closeBy) await new Promise((x) => setTimeout(x, 100));
    expect(await refused(np)).toBe(true);
  });

  it('kubectl get --raw …/services/http:web:<port>/proxy/ reaches nginx through the API server', () => {
    const body = s.ok(['get', '--raw', `/api/v1/namespaces/default/services/http:web:${lbPort}/proxy/`]);
    expect(body).toContain('Welcome to nginx!');
    const pods = getJson(s, ['pods', '-l', 'app=web']).items;
    const podBody = s.ok(['get', '--raw', `/api/v1/namespaces/default/pods/${pods[0].metadata.name}:80/proxy/`]);
    expect(podBody).toContain('Welcome to nginx!');
    s.ok(['create', 'service', 'clusterip', 'empty', '--tcp=80:80']);
    const none = s.kubectl(['get', '--raw', '/api/v1/namespaces/default/services/empty:80/proxy/']);
    expect(none.code).toBe(1);
    expect(none.stderr).toBe('Error from server (ServiceUnavailable): no endpoints available for service "empty"\n');
  });

  it('a taken LB port: EXTERNAL-IP <pending> and a SyncLoadBalancerFailed event naming the NodePort URL', async () => {
    const blocker = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    blockers.push(blocker);
    const taken = (blocker.address() as AddressInfo).port;
    s.ok(['expose', 'deployment', 'web', '--name=web-busy', '--type=LoadBalancer', `--port=${taken}`, '--target-port=80']);
    const np = getJson(s, ['svc', 'web-busy']).spec.ports[0].nodePort;
    const want = `Error syncing load balancer: failed to ensure load balancer: listen tcp 127.0.0.1:${taken}: bind: address already in use; the service is reachable at http://127.0.0.1:${np}`;
    await waitFor('the SyncLoadBalancerFailed event', () =>
      s.ok(['get', 'events', '--field-selector', 'involvedObject.name=web-busy', '-o', 'json']).includes(want) ? true : undefined,
    );
    const events = getJson(s, ['events', '--field-selector', 'involvedObject.name=web-busy']).items;
    expect(events.find((e: { reason: string }) => e.reason === 'SyncLoadBalancerFailed')).toMatchObject({ type: 'Warning', message: want, source: { component: 'service-controller' } });
    expect(table(s.ok(['get', 'svc', 'web-busy']))[1]![3]).toBe('<pending>');
    expect((await get(np)).status).toBe(200);
  });

  it('kubectl delete svc closes the LoadBalancer listener', async () => {
    expect(s.ok(['delete', 'svc', 'web'])).toBe('service "web" deleted\n');
    const end = Date.now() + 10_000;
    while (!(await refused(lbPort)) && Date.now() < end) await new Promise((x) => setTimeout(x, 100));
    expect(await refused(lbPort)).toBe(true);
    expect(await refused(nodePort)).toBe(true);
  });

  it('1000 connections opened and dropped on a NodePort leave it serving', async () => {
    const np = getJson(s, ['svc', 'web-busy']).spec.ports[0].nodePort;
    for (let round = 0; round < 10; round++) {
      await Promise.all(
        Array.from(
          { length: 100 },
          (_, i) =>
            new Promise<void>((resolve) => {
              const c = connect(np, '127.0.0.1');
              c.on('error', () => resolve());
              c.on('connect', () => {
                if (i % 2) c.write('GET / HTTP/1.1\r\nHost: x\r\n');
                setImmediate(() => {
                  c.destroy();
                  resolve();
                });
              });
            }),
        ),
      );
    }
    expect((await get(np)).body).toContain('Welcome to nginx!');
  });

  it('after a kubesim serve restart the listeners are back; a port freed meanwhile gets its load balancer', async () => {
    const port = await freePort();
    s.ok(['expose', 'deployment', 'web', '--name=web-again', '--type=LoadBalancer', `--port=${port}`, '--target-port=80']);
    await waitFor('web-again EXTERNAL-IP', () => (table(s.ok(['get', 'svc', 'web-again']))[1]?.[3] === '127.0.0.1' ? true : undefined));
    const busyPort = getJson(s, ['svc', 'web-busy']).spec.ports[0].port;
    await s.stop();
    for (const b of blockers.splice(0)) b.close();
    expect(await refused(port)).toBe(true);
    await s.start();
    for (const p of [port, busyPort]) {
      const end = Date.now() + 60_000;
      let r = await tryGet(p);
      while (r?.status !== 200 && Date.now() < end) {
        await new Promise((x) => setTimeout(x, 300));
        r = await tryGet(p);
      }
      if (r?.status !== 200) console.error(s.kubectl(['get', 'svc,pods,events', '-o', 'wide']).stdout);
      expect(r?.body).toContain('Welcome to nginx!');
    }
    await waitFor('web-busy EXTERNAL-IP after the restart', () => (table(s.ok(['get', 'svc', 'web-busy']))[1]?.[3] === '127.0.0.1' ? true : undefined));
  });
});
