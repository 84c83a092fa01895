import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Node } from './harness';
import { loadOrCreatePki } from '../../../src-main/pki';

// Time moves in 250 ms steps here: shorter than a probe's 1 s timeout, so a probe's answer
// (a microtask) is in before its timeout timer could fire on the fake clock.

let node: Node;
afterEach(async () => {
  await node?.stop();
});

const ready = (st: Record<string, any>) => `${st.containerStatuses[0].started}/${st.containerStatuses[0].ready}/${st.conditions.find((c: any) => c.type === 'Ready').status}`;

describe('kubelet: probes', () => {
  it('readinessProbe (httpGet): not ready until it passes, not ready again after failureThreshold failures', async () => {
    node = await new Node(true).start();
    await node.createPod('web', [{ name: 'web', command: ['serve', '8080'], ports: [{ name: 'http', containerPort: 8080 }], readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, initialDelaySeconds: 5, periodSeconds: 10 } }]);
    expect(ready(await node.status('web'))).toBe('true/false/False');
    await node.advance(5000, 250);
    expect(ready(await node.status('web'))).toBe('true/true/True');
    node.runtime.httpStatus = 500;
    await node.advance(20_000, 250);
    expect(ready(await node.status('web'))).toBe('true/true/True');
    await node.advance(10_000, 250);
    expect(ready(await node.status('web'))).toBe('true/false/False');
    expect(await node.events('web')).toContain('Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 500 (x3)');
    node.runtime.httpStatus = 200;
    await node.advance(10_000, 250);
    expect(ready(await node.status('web'))).toBe('true/true/True');
  });

  it('livenessProbe: three failures kill the container ("failed liveness probe, will be restarted"), which restarts', async () => {
    node = await new Node(true).start();
    await node.createPod('live', [{ name: 'app', command: ['serve', '80'], livenessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 10 } }]);
    await node.advance(10_000, 250);
    node.runtime.httpStatus = 503;
    await node.advance(30_000, 250);
    const st = await node.status('live');
    expect(st.containerStatuses[0].restartCount).toBe(1);
    expect(st.containerStatuses[0].lastState.terminated).toMatchObject({ exitCode: 143, reason: 'Error' });
    const events = await node.events('live');
    expect(events.some((e) => /^Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 503 \(x\d+\)$/.test(e))).toBe(true);
    expect(events).toContain('Killing: Container app failed liveness probe, will be restarted');
  });

  it('a liveness probe on a port nobody listens on: connection refused, with the pod IP', async () => {
    node = await new Node(true).start();
    await node.createPod('deaf', [{ name: 'app', command: ['sleep-forever'], livenessProbe: { tcpSocket: { port: 3306 }, periodSeconds: 5, failureThreshold: 1 } }], { restartPolicy: 'Never' });
    await node.advance(1000, 250);
    const events = await node.events('deaf');
    expect(events).toContain('Unhealthy: Liveness probe failed: dial tcp 10.244.1.2:3306: connect: connection refused');
    expect(events).toContain('Killing: Container app failed liveness probe');
    expect((await node.status('deaf')).phase).toBe('Failed');
  });

  it('startupProbe (exec) holds back started, liveness and readiness until it passes', async () => {
    node = await new Node(true).start();
    node.runtime.execOk = false;
    await node.createPod('slow', [{ name: 'app', command: ['serve', '80'], startupProbe: { exec: { command: ['check'] }, periodSeconds: 5, failureThreshold: 10 }, livenessProbe: { exec: { command: ['check'] } } }]);
    await node.advance(10_000, 250);
    expect(ready(await node.status('slow'))).toBe('false/false/False');
    expect((await node.events("slow")).some((e) => /^Unhealthy: Startup probe failed: unhealthy\n \(x\d+\)$/.test(e))).toBe(true);
    node.runtime.execOk = true;
    await node.advance(5000, 250);
    expect(ready(await node.status('slow'))).toBe('true/true/True');
    expect((await node.status('slow')).containerStatuses[0].restartCount).toBe(0);
  });

  it('httpGet goes over the network from the node: path and query, named port, headers, Host override, kube-probe user agent', async () => {
    node = await new Node(true).start();
    await node.createPod('h', [{ name: 'web', command: ['serve', '8080'], ports: [{ name: 'http', containerPort: 8080 }], readinessProbe: { httpGet: { path: '/healthz?full=1', port: 'http', httpHeaders: [{ name: 'X-Probe', value: 'yes' }, { name: 'Host', value: 'example.test' }] }, periodSeconds: 5 } }]);
    await node.advance(1000, 250);
    expect(node.runtime.requests[0]).toMatchObject({
      method: 'GET',
      url: '/healthz?full=1',
      remote: '10.244.1.1',
      headers: { host: 'example.test', 'user-agent': 'kube-probe/1.32', accept: '*/*', 'x-probe': 'yes', connection: 'close' },
    });
    expect(ready(await node.status('h'))).toBe('true/true/True');
  });

  it('HTTPS to a plain HTTP server fails with Go\'s text; a failed startup probe kills the container', async () => {
    node = await new Node(true).start();
    node.runtime.httpHandler = (req, res) => {
      if (req.url === '/slow') return; // never answers
      res.end('ok');
    };
    await node.createPod('r', [
      {
        name: 'web',
        command: ['serve', '8080'],
        readinessProbe: { httpGet: { path: '/', port: 8081 }, periodSeconds: 10, failureThreshold: 1 },
        livenessProbe: { httpGet: { path: '/slow', port: 8080 }, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 5 },
        startupProbe: { httpGet: { path: '/', port: 8080, scheme: 'HTTPS' }, periodSeconds: 3, failureThreshold: 1 },
      },
    ], { restartPolicy: 'Never' });
    await node.advance(2000, 250);
    const events = await node.events('r');
    expect(events).toContain('Unhealthy: Startup probe failed: Get "https://10.244.1.2:8080/": http: server gave HTTP response to HTTPS client');
    expect(events).toContain('Killing: Container web failed startup probe');
  });

  it('a refused readiness probe and a liveness probe that times out', async () => {
    node = await new Node(true).start();
    node.runtime.httpHandler = (req, res) => {
      if (req.url === '/slow') return;
      res.end('ok');
    };
    await node.createPod('t', [
      {
        name: 'web',
        command: ['serve', '8080'],
        readinessProbe: { httpGet: { path: '/', port: 8081 }, periodSeconds: 10, failureThreshold: 1 },
        livenessProbe: { httpGet: { path: '/slow', port: 8080 }, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 5 },
      },
    ]);
    await node.advance(2000, 250);
    const events = await node.events('t');
    expect(events).toContain('Unhealthy: Readiness probe failed: Get "http://10.244.1.2:8081/": dial tcp 10.244.1.2:8081: connect: connection refused');
    expect(events).toContain('Unhealthy: Liveness probe failed: Get "http://10.244.1.2:8080/slow": context deadline exceeded (Client.Timeout exceeded while awaiting headers)');
    expect(ready(await node.status('t'))).toBe('true/false/False');
  });

  it('redirects: followed on the same host; to another host the probe ends with a ProbeWarning and counts as success', async () => {
    node = await new Node(true).start();
    node.runtime.httpHandler = (req, res) => {
      if (req.url === '/a') res.writeHead(302, { location: '/b' }).end();
      else if (req.url === '/b') res.end('ok');
      else if (req.url === '/away') res.writeHead(301, { location: 'http://elsewhere.test/' }).end('moved');
      else res.writeHead(404).end();
    };
    await node.createPod('rd', [
      { name: 'web', command: ['serve', '8080'], readinessProbe: { httpGet: { path: '/a', port: 8080 }, periodSeconds: 10 }, livenessProbe: { httpGet: { path: '/away', port: 8080 }, periodSeconds: 10 } },
    ]);
    await node.advance(1000, 250);
    expect(node.runtime.requests.map((r) => r.url).sort()).toEqual(['/a', '/away', '/b']);
    expect(ready(await node.status('rd'))).toBe('true/true/True');
    const events = await node.events('rd');
    expect(events).toContain('ProbeWarning: Liveness probe warning: Probe terminated redirects, Response body: moved');
    expect((await node.status('rd')).containerStatuses[0].restartCount).toBe(0);
  });

  it('tcpSocket connects over the network', async () => {
    node = await new Node(true).start();
    await node.createPod('tcp', [{ name: 'db', command: ['serve', '5432'], readinessProbe: { tcpSocket: { port: 5432 }, periodSeconds: 5 } }]);
    await node.advance(1000, 250);
    expect(ready(await node.status('tcp'))).toBe('true/true/True');
  });

  it('an HTTPS probe talks TLS to the server (certificates not verified, as upstream)', async () => {
    node = await new Node(true).start();
    const pki = await loadOrCreatePki(join(node.dataDir, 'pki'));
    node.runtime.tlsOptions = { key: pki.serverKeyPem, cert: pki.serverCertPem };
    await node.createPod('tls', [{ name: 'web', command: ['serve-tls', '8443'], readinessProbe: { httpGet: { path: '/secure', port: 8443, scheme: 'HTTPS' }, periodSeconds: 5 } }]);
    await node.advance(1000, 250);
    expect(node.runtime.requests[0]).toMatchObject({ url: '/secure', headers: { host: '10.244.1.2:8443' } });
    expect(ready(await node.status('tls'))).toBe('true/true/True');
  });
});
