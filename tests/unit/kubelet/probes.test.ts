import { afterEach, describe, expect, it } from 'vitest';
import { Node } from './harness';

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
});
