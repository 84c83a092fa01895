/**
 * Seed 004 (the Kubernetes 201 walkthrough), typed in its order against `kubesim serve --fast`
 * with real kubectl, for what seed004-workloads.test.ts leaves out: the traffic. The labelled pod
 * and the nginx-deployment (1.7.9, then 1.8) answer with their nginx versions; the nginx-service
 * lookups via go-template; `kubectl run busybox … --tty -i --env SERVICE_IP… --env SERVICE_PORT…`
 * on a real terminal (util-linux `script`) and `wget -qO- http://$SERVICE_IP:$SERVICE_PORT` in it:
 * refused while the walkthrough has already deleted the deployment, nginx 1.7.9's page once pods
 * back the service, load-balanced over both pods; the same wget "on a Kubernetes host" (a
 * hostNetwork busybox pod, fixtures/seed004-network/host-shell.yaml); and the health checks: the
 * HTTP probe on /_status/healthz that nginx answers 404 (after initialDelaySeconds: 30, three
 * failures, the upstream events, a restart) and the TCP probe on redis's 6379 that passes.
 * The walkthrough's https://k8s.io/… files are fixtures/seed004 (no internet).
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KUBECTL, useServe } from './harness';
import { TtySession } from './tty-session';
import { getJson, rows, waitFor } from './workloads-helpers';

const SEED = join(__dirname, 'fixtures/seed004');
const OWN = join(__dirname, 'fixtures/seed004-network');
const s = useServe();

const sessions: TtySession[] = [];
afterAll(() => {
  for (const t of sessions) t.kill();
});

/** nginx 1.7.9's (and 1.8's) index.html, 612 bytes. */
const OLD_WELCOME = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
    body {
        width: 35em;
        margin: 0 auto;
        font-family: Tahoma, Verdana, Arial, sans-serif;
    }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

let SERVICE_IP = '';
let SERVICE_PORT = '';

function nginxPods(n: number): Promise<string[]> {
  return waitFor(
    `${n} app=nginx pods Running`,
    () => {
      const r = rows(s, ['pods', '-l', 'app=nginx']).slice(1);
      return r.length === n && r.every((p) => p[1] === '1/1' && p[2] === 'Running') ? r.map((p) => p[0]) : undefined;
    },
    30_000,
    () => s.kubectl(['get', 'pods']).stdout,
  );
}

/** `wget -S` from the host-shell pod: the response headers busybox prints. */
function serverHeader(url: string): string {
  const r = s.kubectl(['exec', 'host-shell', '--', 'wget', '-S', '-O', '/dev/null', url]);
  return /^ {2}Server: (.*)$/m.exec(r.stderr)?.[1] ?? `no Server header in: ${r.stderr}`;
}

/**
 * `kubectl run busybox --image=busybox --restart=Never --tty -i --env "SERVICE_IP=…" --env
 * "SERVICE_PORT=…"` on a terminal, `wget -qO- http://$SERVICE_IP:$SERVICE_PORT`, `exit`; returns
 * what wget printed and kubectl's exit code (the container's: sh exits with wget's status), then
 * `kubectl delete pod busybox`.
 */
async function busyboxWget(bin?: string): Promise<{ out: string; code: number }> {
  const t = new TtySession(s, ['run', 'busybox', '--image=busybox', '--restart=Never', '--tty', '-i', '--env', `SERVICE_IP=${SERVICE_IP}`, '--env', `SERVICE_PORT=${SERVICE_PORT}`], bin);
  sessions.push(t);
  try {
    // kubectl attaches after sh printed its first prompt, so it says how to get one.
    await t.expect("If you don't see a command prompt, try pressing enter.\n");
    t.type('');
    await t.expect('/ # ');
    t.type('wget -qO- http://$SERVICE_IP:$SERVICE_PORT');
    const out = await t.expect(/\n\/ # $/);
    expect(out.startsWith('wget -qO- http://$SERVICE_IP:$SERVICE_PORT\n')).toBe(true);
    t.type('exit');
    const code = await t.close();
    return { out: out.slice('wget -qO- http://$SERVICE_IP:$SERVICE_PORT\n'.length, -'/ # '.length), code };
  } finally {
    t.kill();
    expect(s.ok(['delete', 'pod', 'busybox'])).toBe('pod "busybox" deleted\n');
    await waitFor('busybox gone', () => s.kubectl(['get', 'pod', 'busybox']).code === 1);
  }
}

describe('seed 004: pods, deployments and their nginx versions on the network', () => {
  it('host-shell (a hostNetwork busybox on kubesim-worker) for the requests a node makes', async () => {
    s.ok(['create', '-f', join(OWN, 'host-shell.yaml')]);
    await waitFor('host-shell Running', () => rows(s, ['pod', 'host-shell'])[1]?.[2] === 'Running');
    const p = getJson(s, ['pod', 'host-shell']);
    expect(p.status.podIP).toBe(p.status.hostIP);
  });

  it('a hostNetwork pod sees the node: hostname prints the node name', () => {
    // The sandbox shares the node's UTS namespace, so the hostname is the node's, not the pod's.
    expect(s.ok(['exec', 'host-shell', '--', 'hostname'])).toBe('kubesim-worker\n');
  });

  it('$ kubectl create -f pod-nginx-with-label.yaml → nginx:latest answers on its pod IP; $ kubectl delete pod -l app=nginx', async () => {
    expect(s.ok(['create', '-f', join(SEED, 'pod-nginx-with-label.yaml')])).toBe('pod/nginx created\n');
    const [name] = await nginxPods(1);
    expect(name).toBe('nginx');
    const ip = getJson(s, ['pod', 'nginx']).status.podIP;
    expect(serverHeader(`http://${ip}`)).toMatch(/^nginx\/1\.\d+\.\d+$/);
    expect(s.ok(['delete', 'pod', '-l', 'app=nginx'])).toBe('pod "nginx" deleted\n');
    await waitFor('nginx gone', () => s.kubectl(['get', 'pod', 'nginx']).code === 1);
  });

  it('$ kubectl create -f deployment.yaml → two pods answering as nginx/1.7.9 with its 612-byte page', async () => {
    expect(s.ok(['create', '-f', join(SEED, 'deployment.yaml')])).toBe('deployment.apps/nginx-deployment created\n');
    for (const pod of await nginxPods(2)) {
      const ip = getJson(s, ['pod', pod]).status.podIP;
      expect(serverHeader(`http://${ip}`)).toBe('nginx/1.7.9');
      expect(s.ok(['exec', 'host-shell', '--', 'wget', '-qO-', `http://${ip}`])).toBe(OLD_WELCOME);
    }
  });

  it('$ kubectl apply -f deployment-update.yaml → the new pods answer as nginx/1.8.1; $ kubectl delete deployment nginx-deployment', async () => {
    const old = await nginxPods(2);
    expect(s.kubectl(['apply', '-f', join(SEED, 'deployment-update.yaml')]).stdout).toBe('deployment.apps/nginx-deployment configured\n');
    const fresh = await waitFor('2 new pods Running', () => {
      const r = rows(s, ['pods', '-l', 'app=nginx']).slice(1);
      return r.length === 2 && r.every((p) => !old.includes(p[0]) && p[1] === '1/1' && p[2] === 'Running') ? r.map((p) => p[0]) : undefined;
    });
    for (const pod of fresh) expect(serverHeader(`http://${getJson(s, ['pod', pod]).status.podIP}`)).toBe('nginx/1.8.1');
    expect(s.ok(['delete', 'deployment', 'nginx-deployment'])).toBe('deployment.apps "nginx-deployment" deleted\n');
    await waitFor('no app=nginx pods', () => s.kubectl(['get', 'pods', '-l', 'app=nginx']).stderr === 'No resources found in default namespace.\n', 30_000);
  });
});

describe('seed 004: the service and wget from busybox', () => {
  it('$ kubectl create -f service.yaml; export SERVICE_IP=$(kubectl get service nginx-service -o go-template=…); echo "$SERVICE_IP:$SERVICE_PORT"', () => {
    expect(s.ok(['create', '-f', join(SEED, 'service.yaml')])).toBe('service/nginx-service created\n');
    SERVICE_IP = s.ok(['get', 'service', 'nginx-service', '-o', 'go-template={{.spec.clusterIP}}']);
    SERVICE_PORT = s.ok(['get', 'service', 'nginx-service', '-o', 'go-template={{(index .spec.ports 0).port}}']);
    expect(`${SERVICE_IP}:${SERVICE_PORT}`).toMatch(/^10\.(9[6-9]|1[01]\d)\.\d+\.\d+:8000$/);
  });

  it('$ kubectl run busybox … --tty -i; wget -qO- http://$SERVICE_IP:$SERVICE_PORT with the deployment already deleted → Connection refused', async () => {
    // The walkthrough deleted nginx-deployment before creating the service: no endpoints, kube-proxy rejects.
    expect(getJson(s, ['endpoints', 'nginx-service']).subsets).toBeUndefined();
    expect(await busyboxWget()).toEqual({ out: `wget: can't connect to remote host (${SERVICE_IP}): Connection refused\n`, code: 1 });
    expect(getJson(s, ['pods']).items).toHaveLength(1); // host-shell
  });

  it('with nginx-deployment back: the same busybox session prints nginx 1.7.9\'s page (kubectl 1.32 and 1.27)', async () => {
    expect(s.ok(['create', '-f', join(SEED, 'deployment.yaml')])).toBe('deployment.apps/nginx-deployment created\n');
    await nginxPods(2);
    await waitFor('2 endpoints', () => (getJson(s, ['endpoints', 'nginx-service']).subsets?.[0]?.addresses?.length ?? 0) === 2);
    expect(await busyboxWget()).toEqual({ out: OLD_WELCOME, code: 0 });
    expect(await busyboxWget(KUBECTL.v127)).toEqual({ out: OLD_WELCOME, code: 0 });
  });

  it('"load-balanced out to some Pod": requests to the service reach both pods (their access logs)', () => {
    const script = `for i in $(seq 1 20); do wget -qO- -U seed004-lb http://${SERVICE_IP}:${SERVICE_PORT} > /dev/null || echo fail; done`;
    expect(s.ok(['exec', 'host-shell', '--', 'sh', '-c', script])).toBe('');
    const pods = rows(s, ['pods', '-l', 'app=nginx']).slice(1).map((p) => p[0]);
    const counts = pods.map((p) => s.ok(['logs', p]).split('\n').filter((l) => /"GET \/ HTTP\/1\.1" 200 612 "-" "seed004-lb" "-"$/.test(l)).length);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(20);
    for (const c of counts) expect(c).toBeGreaterThan(0);
  });

  it('wget -qO- http://$SERVICE_IP:$SERVICE_PORT # Run on a Kubernetes host', () => {
    expect(s.ok(['exec', 'host-shell', '--', 'wget', '-qO-', `http://${SERVICE_IP}:${SERVICE_PORT}`])).toBe(OLD_WELCOME);
    // By name through the cluster DNS from a pod (the service's point: no IPs to configure).
    s.ok(['run', 'client', '--image=busybox', '--restart=Never', '--', 'sleep', '3600']);
    return waitFor('client Running', () => rows(s, ['pod', 'client'])[1]?.[2] === 'Running').then(() => {
      expect(s.ok(['exec', 'client', '--', 'wget', '-qO-', 'http://nginx-service:8000'])).toBe(OLD_WELCOME);
      s.ok(['delete', 'pod', 'client', '--grace-period=1', '--wait=false']);
    });
  });

  it('$ kubectl delete service nginx-service', () => {
    expect(s.ok(['delete', 'service', 'nginx-service'])).toBe('service "nginx-service" deleted\n');
  });
});

describe('seed 004: health checking', () => {
  const HTTP = 'pod-with-http-healthcheck';
  const TCP = 'pod-with-tcp-socket-healthcheck';

  /** The `kubectl get events` rows (without LAST SEEN) about one pod. */
  function eventsOf(pod: string): string[][] {
    return rows(s, ['events']).slice(1).filter((r) => r[3] === `pod/${pod}`).map((r) => r.slice(1));
  }

  it('$ kubectl create -f pod-with-http-healthcheck.yaml -f pod-with-tcp-socket-healthcheck.yaml → both Running', async () => {
    expect(s.ok(['create', '-f', join(SEED, 'pod-with-http-healthcheck.yaml')])).toBe(`pod/${HTTP} created\n`);
    expect(s.ok(['create', '-f', join(SEED, 'pod-with-tcp-socket-healthcheck.yaml')])).toBe(`pod/${TCP} created\n`);
    for (const p of [HTTP, TCP]) await waitFor(`${p} Running`, () => rows(s, ['pod', p])[1]?.slice(1, 4).join(' ') === '1/1 Running 0');
  });

  it('nginx has no /_status/healthz: after initialDelaySeconds 30, three 404s → Unhealthy, Killing, RESTARTS 1', async () => {
    await waitFor(`${HTTP} RESTARTS 1`, () => /^1 \(/.test(rows(s, ['pod', HTTP])[1]?.[3] ?? ''), 90_000, () => s.ok(['get', 'pod', HTTP]) + s.ok(['get', 'events']));
    const ev = eventsOf(HTTP);
    expect(ev).toContainEqual(['Warning', 'Unhealthy', `pod/${HTTP}`, 'Liveness probe failed: HTTP probe failed with statuscode: 404']);
    expect(ev).toContainEqual(['Normal', 'Killing', `pod/${HTTP}`, 'Container nginx failed liveness probe, will be restarted']);
    const unhealthy = getJson(s, ['events', '--field-selector', `involvedObject.name=${HTTP},reason=Unhealthy`]).items;
    expect(unhealthy).toHaveLength(1);
    expect(unhealthy[0].count).toBe(3);
    // The first probe came 30 s after the container started; then one every 10 s.
    const started = Date.parse(getJson(s, ['pod', HTTP]).status.containerStatuses[0].lastState.terminated.startedAt);
    const first = Date.parse(unhealthy[0].firstTimestamp);
    const last = Date.parse(unhealthy[0].lastTimestamp);
    expect((first - started) / 1000).toBeGreaterThanOrEqual(30);
    expect((first - started) / 1000).toBeLessThan(33);
    expect(Math.round((last - first) / 1000)).toBe(20);
    // The previous container's log has the kubelet's requests and nginx's error lines.
    const logs = s.ok(['logs', HTTP, '--previous']);
    const probes = logs.split('\n').filter((l) => / "GET \/_status\/healthz HTTP\/1\.1" 404 153 "-" "kube-probe\/1\.32" "-"$/.test(l));
    expect(probes).toHaveLength(3);
    expect(logs).toMatch(/\[error\] \d+#\d+: \*1 open\(\) "\/usr\/share\/nginx\/html\/_status\/healthz" failed \(2: No such file or directory\), client: [\d.]+, server: localhost, request: "GET \/_status\/healthz HTTP\/1\.1", host: "[\d.]+:80"/);
    // describe shows the probe and the restart.
    const d = s.ok(['describe', 'pod', HTTP]);
    expect(d).toMatch(/^\s+Liveness:\s+http-get http:\/\/:80\/_status\/healthz delay=30s timeout=1s period=10s #success=1 #failure=3$/m);
    expect(d).toMatch(/^\s+Restart Count:\s+1$/m);
  }, 100_000);

  it('redis answers the TCP probe on 6379: no Unhealthy events, RESTARTS 0', () => {
    expect(rows(s, ['pod', TCP])[1].slice(1, 4)).toEqual(['1/1', 'Running', '0']);
    expect(eventsOf(TCP).filter((e) => e[0] === 'Warning')).toEqual([]);
    expect(s.ok(['describe', 'pod', TCP])).toMatch(/^\s+Liveness:\s+tcp-socket :6379 delay=30s timeout=1s period=10s #success=1 #failure=3$/m);
  });
});
