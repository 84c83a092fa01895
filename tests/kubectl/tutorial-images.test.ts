/**
 * Tutorial images end to end with real kubectl against `kubesim serve --fast`:
 * - "Learn Kubernetes Basics": kubernetes-bootcamp v1 exposed as a NodePort, curl'd on
 *   127.0.0.1:<nodePort>, logs, then `kubectl set image` to jocatalin's v2 answering `v=2`;
 * - "Hello Minikube": agnhost netexec behind a LoadBalancer service, reached on its NodePort;
 * - minikube's quick start: kicbase/echo-server:1.0 reached through `kubectl port-forward`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { KUBECTL, useServe } from './harness';
import { getJson, waitFor } from './workloads-helpers';

const s = useServe();

function httpGet(port: number, path = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, headers: { Connection: 'close', 'User-Agent': 'curl/8.5.0', Accept: '*/*' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.setTimeout(10_000, () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** Retries an async GET until it answers (the listener may lag the endpoints by a moment). */
async function getWhenUp(port: number, path = '/', ms = 30_000): Promise<{ status: number; body: string }> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return await httpGet(port, path);
    } catch (e) {
      if (Date.now() > end) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

function readyReplicas(name: string): number {
  return getJson(s, ['deployment', name]).status?.readyReplicas ?? 0;
}

describe('kubernetes-bootcamp (Learn Kubernetes Basics)', () => {
  it('NodePort answers "Hello Kubernetes bootcamp! | Running on: <pod> | v=1"; set image moves it to v=2', async () => {
    expect(s.ok(['create', 'deployment', 'kubernetes-bootcamp', '--image=gcr.io/google-samples/kubernetes-bootcamp:v1'])).toBe('deployment.apps/kubernetes-bootcamp created\n');
    await waitFor('bootcamp ready', () => readyReplicas('kubernetes-bootcamp') === 1, 60_000);
    expect(s.ok(['expose', 'deployment/kubernetes-bootcamp', '--type=NodePort', '--port', '8080'])).toBe('service/kubernetes-bootcamp exposed\n');
    const nodePort = s.ok(['get', 'services/kubernetes-bootcamp', '-o', 'go-template={{(index .spec.ports 0).nodePort}}']);
    expect(nodePort).toMatch(/^3\d{4}$/);
    const pod = s.ok(['get', 'pods', '-l', 'app=kubernetes-bootcamp', '-o', 'jsonpath={.items[0].metadata.name}']);
    const first = await getWhenUp(Number(nodePort));
    expect(first).toEqual({ status: 200, body: `Hello Kubernetes bootcamp! | Running on: ${pod} | v=1\n` });
    const log = s.ok(['logs', pod]);
    expect(log).toMatch(new RegExp(`^Kubernetes Bootcamp App Started At: \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z \\| Running On:  ${pod} \\n\\n`));
    expect(log).toMatch(new RegExp(`Running On: ${pod} \\| Total Requests: 1 \\| App Uptime: [\\d.]+ seconds \\| Log Time: `));

    expect(s.ok(['set', 'image', 'deployments/kubernetes-bootcamp', 'kubernetes-bootcamp=docker.io/jocatalin/kubernetes-bootcamp:v2'])).toBe('deployment.apps/kubernetes-bootcamp image updated\n');
    let last = '';
    const end = Date.now() + 60_000;
    while (!/\| v=2\n$/.test(last) && Date.now() < end) {
      last = await httpGet(Number(nodePort)).then(
        (x) => x.body,
        () => last,
      );
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(last).toMatch(/^Hello Kubernetes bootcamp! \| Running on: kubernetes-bootcamp-[a-z0-9]+-[a-z0-9]{5} \| v=2\n$/);
  });
});

describe('agnhost netexec (Hello Minikube)', () => {
  it('kubectl create deployment hello-node … -- /agnhost netexec --http-port=8080; expose; NodePort answers NOW:', async () => {
    expect(s.ok(['create', 'deployment', 'hello-node', '--image=registry.k8s.io/e2e-test-images/agnhost:2.39', '--', '/agnhost', 'netexec', '--http-port=8080'])).toBe('deployment.apps/hello-node created\n');
    await waitFor('hello-node ready', () => readyReplicas('hello-node') === 1, 60_000);
    expect(s.ok(['expose', 'deployment', 'hello-node', '--type=LoadBalancer', '--port=8080'])).toBe('service/hello-node exposed\n');
    const nodePort = getJson(s, ['svc', 'hello-node']).spec.ports[0].nodePort as number;
    const res = await getWhenUp(nodePort);
    expect(res.status).toBe(200);
    expect(res.body).toMatch(/^NOW: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9} \+0000 UTC m=\+\d+\.\d{9}$/);
    const pod = s.ok(['get', 'pods', '-l', 'app=hello-node', '-o', 'jsonpath={.items[0].metadata.name}']);
    expect((await httpGet(nodePort, '/hostname')).body).toBe(pod);
    const log = s.ok(['logs', pod]);
    expect(log).toMatch(/^I\d{4} \d\d:\d\d:\d\d\.\d{6} {7}1 log\.go:195\] Started HTTP server on port 8080\n/);
    expect(log).toContain('log.go:195] GET /hostname\n');
  });
});

describe('kicbase/echo-server (minikube quick start) through kubectl port-forward', () => {
  it('kubectl port-forward deploy/hello-minikube :8080 → "Request served by hello-minikube-…"', async () => {
    expect(s.ok(['create', 'deployment', 'hello-minikube', '--image=kicbase/echo-server:1.0'])).toBe('deployment.apps/hello-minikube created\n');
    await waitFor('hello-minikube ready', () => readyReplicas('hello-minikube') === 1, 60_000);
    const pod = s.ok(['get', 'pods', '-l', 'app=hello-minikube', '-o', 'jsonpath={.items[0].metadata.name}']);
    const pf = spawn(KUBECTL.default, ['--kubeconfig', s.kubeconfig, '--cache-dir', s.cacheDir, 'port-forward', 'deployment/hello-minikube', ':8080'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      pf.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      pf.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      const local = await waitFor('port-forward to listen', () => /Forwarding from 127\.0\.0\.1:(\d+) -> 8080/.exec(out)?.[1], 30_000, () => out);
      const r = await httpGet(Number(local));
      expect(r.status).toBe(200);
      expect(r.body).toBe(`Request served by ${pod}\n\nGET / HTTP/1.1\n\nHost: 127.0.0.1:${local}\nAccept: */*\nConnection: close\nUser-Agent: curl/8.5.0\n`);
      const curl = spawnSync('curl', ['-sS', '--max-time', '10', `http://127.0.0.1:${local}/hello`], { encoding: 'utf8' });
      expect(curl.stdout).toMatch(new RegExp(`^Request served by ${pod}\\n\\nGET /hello HTTP/1\\.1\\n\\nHost: 127\\.0\\.0\\.1:${local}\\nAccept: \\*/\\*\\nUser-Agent: curl/`));
    } finally {
      pf.kill('SIGTERM');
    }
  });
});
