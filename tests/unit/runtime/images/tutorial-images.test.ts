/** Golden tests of the tutorial / hello-world images: start-up logs, HTTP answers, files. */
import { describe, expect, it } from 'vitest';
import { advance, runtime, settle, start } from '../harness';
import { FakeClock } from '../../../../src-main/client/clock';
import { createClusterNetwork } from '../../../../src-main/network';
import type { HttpRequest, Listener } from '../../../../src-main/runtime/types';

const req = (path = '/', extra: Partial<HttpRequest> = {}): HttpRequest => ({
  method: 'GET',
  path,
  headers: { host: '192.168.49.2:31234', 'user-agent': 'curl/8.5.0', accept: '*/*' },
  remoteAddress: '::ffff:10.244.0.1',
  httpVersion: '1.1',
  ...extra,
});

function listener(c: ReturnType<typeof start>, port: number): Listener {
  const l = c.proc.listeners!().find((x) => x.port === port);
  if (!l) throw new Error(`nothing listens on ${port}: ${c.text()}`);
  return l;
}

describe('catalog entries', () => {
  it.each([
    ['gcr.io/google-samples/kubernetes-bootcamp:v1', 'gcr.io/google-samples/kubernetes-bootcamp:v1', ['8080/tcp']],
    ['docker.io/jocatalin/kubernetes-bootcamp:v2', 'docker.io/jocatalin/kubernetes-bootcamp:v2', ['8080/tcp']],
    ['registry.k8s.io/echoserver:1.4', 'registry.k8s.io/echoserver:1.4', []],
    ['k8s.gcr.io/echoserver:1.10', 'k8s.gcr.io/echoserver:1.10', []],
    ['kicbase/echo-server:1.0', 'docker.io/kicbase/echo-server:1.0', ['8080/tcp']],
    ['hashicorp/http-echo', 'docker.io/hashicorp/http-echo:latest', ['5678/tcp']],
    ['traefik/whoami', 'docker.io/traefik/whoami:latest', ['80/tcp']],
    ['registry.k8s.io/e2e-test-images/agnhost:2.39', 'registry.k8s.io/e2e-test-images/agnhost:2.39', ['80/tcp', '8080/tcp', '8081/udp']],
    ['registry.k8s.io/hpa-example', 'registry.k8s.io/hpa-example:latest', ['80/tcp']],
    ['gcr.io/google_samples/gb-frontend:v5', 'gcr.io/google_samples/gb-frontend:v5', ['80/tcp']],
    ['stefanprodan/podinfo:6.9.2', 'docker.io/stefanprodan/podinfo:6.9.2', ['9898/tcp']],
  ])('%s is simulated (not generic)', (image, ref, ports) => {
    const r = runtime.lookup(image);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.image.ref).toBe(ref);
    expect(r.image.generic).toBeFalsy();
    expect(r.image.exposedPorts).toEqual(ports);
    expect(r.image.imageID).toMatch(/@sha256:[0-9a-f]{64}$/);
  });

  it('mirrors share a digest; unknown tags are NotFound', () => {
    const a = runtime.lookup('registry.k8s.io/echoserver:1.4');
    const b = runtime.lookup('k8s.gcr.io/echoserver:1.4');
    expect(a.ok && b.ok && a.image.imageID.split('@')[1] === b.image.imageID.split('@')[1]).toBe(true);
    const missing = runtime.lookup('gcr.io/google-samples/kubernetes-bootcamp:v9');
    expect(missing.ok).toBe(false);
  });
});

describe('kubernetes-bootcamp', () => {
  it('v1 logs its start and answers per request (HOSTNAME env)', async () => {
    const c = start('gcr.io/google-samples/kubernetes-bootcamp:v1', { env: [{ name: 'HOSTNAME', value: 'kubernetes-bootcamp-5c69669756-jwzln' }] });
    await settle();
    expect(c.text()).toBe('Kubernetes Bootcamp App Started At: 2026-11-23T10:00:00.000Z | Running On:  kubernetes-bootcamp-5c69669756-jwzln \n\n');
    await advance(c.clock, 2500, 500);
    const r = await listener(c, 8080).http!(req());
    expect(r).toEqual({ status: 200, headers: { 'Content-Type': 'text/plain' }, body: 'Hello Kubernetes bootcamp! | Running on: kubernetes-bootcamp-5c69669756-jwzln | v=1\n' });
    expect(c.out.at(-1)).toBe('Running On: kubernetes-bootcamp-5c69669756-jwzln | Total Requests: 1 | App Uptime: 2.5 seconds | Log Time: 2026-11-23T10:00:02.500Z\n');
    const cat = start('gcr.io/google-samples/kubernetes-bootcamp:v1', { command: ['cat', '/server.js'] });
    await cat.exit();
    expect(cat.text()).toContain('response.write("Hello Kubernetes bootcamp! | Running on: ");');
    c.proc.signal('SIGKILL');
  });

  it('v2 says v=2', async () => {
    const c = start('jocatalin/kubernetes-bootcamp:v2', { env: [{ name: 'HOSTNAME', value: 'kb-1' }] });
    await settle();
    expect((await listener(c, 8080).http!(req())).body).toBe('Hello Kubernetes bootcamp! | Running on: kb-1 | v=2\n');
    c.proc.signal('SIGKILL');
  });
});

describe('echoserver', () => {
  it('1.10 prints the request page and an access-log line', async () => {
    const c = start('registry.k8s.io/echoserver:1.10', { hostname: 'hello-minikube-7c77b68cff-8wdzq' });
    await settle();
    expect(c.out.join('')).toBe('Generating self-signed cert\nStarting nginx\n');
    const r = await listener(c, 8080).http!(req());
    expect(r.status).toBe(200);
    expect(r.headers).toMatchObject({ Server: 'nginx/1.13.3', 'Content-Type': 'text/plain' });
    expect(r.body).toBe(
      '\n\nHostname: hello-minikube-7c77b68cff-8wdzq\n\nPod Information:\n\t-no pod information available-\n\nServer values:\n\tserver_version=nginx: 1.13.3 - lua: 10008\n\n' +
        'Request Information:\n\tclient_address=10.244.0.1\n\tmethod=GET\n\treal path=/\n\tquery=\n\trequest_version=1.1\n\trequest_scheme=http\n\trequest_uri=http://192.168.49.2:8080/\n\n' +
        'Request Headers:\n\taccept=*/*\n\thost=192.168.49.2:31234\n\tuser-agent=curl/8.5.0\n\nRequest Body:\n\t-no body in request-\n\n',
    );
    expect(c.out.at(-1)).toBe(`10.244.0.1 - - [23/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 ${Buffer.byteLength(r.body)} "-" "curl/8.5.0"\n`);
    expect(listener(c, 8443)).toBeTruthy();
    c.proc.signal('SIGKILL');
  });

  it('1.10 shows pod information from the downward-API env vars', async () => {
    const env = [
      { name: 'NODE_NAME', value: 'minikube' },
      { name: 'POD_NAME', value: 'echo-1' },
      { name: 'POD_NAMESPACE', value: 'default' },
      { name: 'POD_IP', value: '10.244.0.7' },
    ];
    const c = start('registry.k8s.io/echoserver:1.10', { env });
    await settle();
    expect((await listener(c, 8080).http!(req('/a?b=c'))).body).toContain('Pod Information:\n\tnode name:\tminikube\n\tpod name:\techo-1\n\tpod namespace:\tdefault\n\tpod IP:\t10.244.0.7\n\n');
    c.proc.signal('SIGKILL');
  });

  it('1.4 prints the old CLIENT VALUES page', async () => {
    const c = start('k8s.gcr.io/echoserver:1.4');
    await settle();
    const r = await listener(c, 8080).http!(req('/x?y=1'));
    expect(r.body).toBe(
      'CLIENT VALUES:\nclient_address=10.244.0.1\ncommand=GET\nreal path=/x\nquery=y=1\nrequest_version=1.1\nrequest_uri=http://192.168.49.2:8080/x?y=1\n\nSERVER VALUES:\nserver_version=nginx: 1.10.0 - lua: 10001\n\nHEADERS RECEIVED:\naccept=*/*\nhost=192.168.49.2:31234\nuser-agent=curl/8.5.0\nBODY:\n-no body in request-',
    );
    c.proc.signal('SIGKILL');
  });
});

describe('echo servers', () => {
  it('kicbase/echo-server:1.0 answers "Request served by"', async () => {
    const c = start('kicbase/echo-server:1.0', { hostname: 'hello-minikube-59d4768566-2bnh4' });
    await settle();
    expect(c.text()).toBe('Echo server listening on port 8080.\n');
    const r = await listener(c, 8080).http!(req());
    expect(r.body).toBe('Request served by hello-minikube-59d4768566-2bnh4\n\nGET / HTTP/1.1\n\nHost: 192.168.49.2:31234\nAccept: */*\nUser-Agent: curl/8.5.0\n');
    c.proc.signal('SIGKILL');
  });

  it('ealen/echo-server answers JSON and honours echo_code / echo_body', async () => {
    const c = start('ealen/echo-server', { env: [{ name: 'PORT', value: '8080' }] });
    await settle();
    expect(c.text()).toBe('Listening on port 8080.\n');
    const http = listener(c, 8080).http!;
    const doc = JSON.parse((await http(req('/hi?x=1'))).body);
    expect(doc.http).toEqual({ method: 'GET', baseUrl: '', originalUrl: '/hi?x=1', protocol: 'http' });
    expect(doc.request.query).toEqual({ x: '1' });
    expect(doc.request.headers['user-agent']).toBe('curl/8.5.0');
    expect(doc.environment.PORT).toBe('8080');
    expect(await http(req('/?echo_code=404&echo_body=nope'))).toMatchObject({ status: 404, body: '"nope"' });
    c.proc.signal('SIGKILL');
  });

  it('hashicorp/http-echo answers -text, /health, and logs each request', async () => {
    const c = start('hashicorp/http-echo:1.0', { args: ['-text=hello world'] });
    await settle();
    expect(c.text()).toBe('2026/11/23 10:00:00 [INFO] server is listening on :5678\n');
    const http = listener(c, 5678).http!;
    expect(await http(req('/foo'))).toEqual({ status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-App-Name': 'http-echo', 'X-App-Version': '1.0.0' }, body: 'hello world\n' });
    expect(c.out.at(-1)).toMatch(/^2026\/11\/23 10:00:00 192\.168\.49\.2:31234 10\.244\.0\.1:\d+ "GET \/foo HTTP\/1\.1" 200 12 "curl\/8\.5\.0" [\d.]+µs\n$/);
    expect((await http(req('/health'))).body).toBe('{"status":"ok"}');
    c.proc.signal('SIGKILL');
    const none = start('hashicorp/http-echo:0.2.3');
    expect(await none.exit()).toMatchObject({ exitCode: 127 });
    expect(none.err.join('')).toBe('Missing -text option!\n');
  });

  it('traefik/whoami lists hostname, IPs, RemoteAddr and the request', async () => {
    const c = start('traefik/whoami:v1.10', { hostname: 'whoami-1' });
    await settle();
    expect(c.text()).toBe('2026/11/23 10:00:00 Starting up on port 80\n');
    const r = await listener(c, 80).http!(req());
    expect(r.body).toMatch(/^Hostname: whoami-1\nIP: 127\.0\.0\.1\nIP: ::1\n(IP: .*\n)*RemoteAddr: 10\.244\.0\.1:\d+\nGET \/ HTTP\/1\.1\r\nHost: 192\.168\.49\.2:31234\r\nUser-Agent: curl\/8\.5\.0\r\nAccept: \*\/\*\r\n\r\n$/);
    expect(JSON.parse((await listener(c, 80).http!(req('/api'))).body)).toMatchObject({ hostname: 'whoami-1', method: 'GET', url: '/api' });
    c.proc.signal('SIGKILL');
  });
});

describe('agnhost', () => {
  it('netexec (Hello Minikube) logs in klog format and serves its endpoints', async () => {
    const c = start('registry.k8s.io/e2e-test-images/agnhost:2.39', { command: ['/agnhost', 'netexec', '--http-port=8080'], hostname: 'hello-node-1' });
    await settle();
    expect(c.text()).toBe('I1123 10:00:00.000000       1 log.go:195] Started HTTP server on port 8080\nI1123 10:00:00.000000       1 log.go:195] Started UDP server on port  8081\n');
    const http = listener(c, 8080).http!;
    expect((await http(req())).body).toMatch(/^NOW: 2026-11-23 10:00:00\.000000000 \+0000 UTC m=\+0\.000000000$/);
    expect((await http(req('/hostname'))).body).toBe('hello-node-1');
    expect((await http(req('/echo?msg=hi'))).body).toBe('hi');
    expect((await http(req('/clientip'))).body).toMatch(/^10\.244\.0\.1:\d+$/);
    expect(await http(req('/nope'))).toMatchObject({ status: 404, body: '404 page not found\n' });
    expect(c.err.join('')).toContain('log.go:195] GET /echo?msg=hi\n');
    c.proc.signal('SIGKILL');
  });

  it('pause is the default command', async () => {
    const c = start('registry.k8s.io/e2e-test-images/agnhost:2.53');
    await settle();
    expect(c.text()).toBe('Paused\n');
    c.proc.signal('SIGTERM');
    expect(await c.exit()).toMatchObject({ exitCode: 0 });
  });
});

describe('hello pages', () => {
  it('nginxdemos/hello:plain-text', async () => {
    const c = start('nginxdemos/hello:plain-text', { hostname: 'hello-1' });
    await settle();
    const r = await listener(c, 80).http!(req('/x'));
    expect(r.body).toMatch(/^Server address: [\d.]+:80\nServer name: hello-1\nDate: 23\/Nov\/2026:10:00:00 \+0000\nURI: \/x\nRequest ID: [0-9a-f]{32}\n$/);
    c.proc.signal('SIGKILL');
  });

  it('paulbouwer/hello-kubernetes renders MESSAGE and the pod name', async () => {
    const c = start('paulbouwer/hello-kubernetes:1.10', { hostname: 'hk-1', env: [{ name: 'MESSAGE', value: 'I just deployed this on Kubernetes!' }] });
    await settle();
    expect(c.text()).toContain('Listening on: http://hk-1:8080\n');
    const r = await listener(c, 8080).http!(req());
    expect(r.body).toContain('I just deployed this on Kubernetes!');
    expect(r.body).toContain('<td>hk-1</td>');
    c.proc.signal('SIGKILL');
  });

  it('podinfo answers its runtime JSON, /healthz and /status/{code}', async () => {
    const c = start('ghcr.io/stefanprodan/podinfo:6.9.2', { hostname: 'podinfo-1', command: ['./podinfo', '--port=9898', '--port-metrics=9797'] });
    await settle();
    expect(JSON.parse(c.out[0]!)).toMatchObject({ level: 'info', msg: 'Starting podinfo', version: '6.9.2', port: '9898' });
    const http = listener(c, 9898).http!;
    expect(JSON.parse((await http(req())).body)).toMatchObject({ hostname: 'podinfo-1', version: '6.9.2', message: 'greetings from podinfo v6.9.2' });
    expect(JSON.parse((await http(req('/healthz'))).body)).toEqual({ status: 'OK' });
    expect((await http(req('/status/503'))).status).toBe(503);
    expect((await listener(c, 9797).http!(req('/metrics'))).body).toContain('podinfo_info{version="6.9.2"} 1');
    c.proc.signal('SIGKILL');
  });
});

describe('hpa-example (php-apache)', () => {
  it('answers OK! after burning CPU, logs apache lines', async () => {
    const c = start('registry.k8s.io/hpa-example');
    await settle();
    expect(c.err.join('')).toContain('AH00163: Apache/2.4.10 (Debian) PHP/5.6.40 configured -- resuming normal operations');
    const pending = listener(c, 80).http!(req());
    await settle();
    expect(c.proc.usage!().cpuMillicores).toBeGreaterThanOrEqual(1000);
    await advance(c.clock, 100, 20);
    expect(await pending).toMatchObject({ status: 200, body: 'OK!' });
    expect(c.proc.usage!().cpuMillicores).toBeLessThan(1000);
    expect(c.out.at(-1)).toBe('10.244.0.1 - - [23/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 3 "-" "curl/8.5.0"\n');
    c.proc.signal('SIGTERM');
    expect(await c.exit()).toMatchObject({ exitCode: 0 });
  });
});

describe('guestbook', () => {
  /** A frontend pod, a redis leader and a follower on a real fabric; names through /etc/hosts. */
  async function cluster() {
    const fabric = createClusterNetwork();
    const pod = (name: string, ip: string) => fabric.createPodNetwork(ip, { namespace: 'default', name, uid: name, nodeName: 'worker' });
    const clock = new FakeClock(Date.UTC(2026, 10, 23, 10, 0, 0));
    const leader = start('redis:6.0.20', { net: pod('redis-leader-0', '10.244.1.3'), clock, hostname: 'redis-leader-0' });
    const follower = start('gcr.io/google_samples/gb-redis-follower:v2', { net: pod('redis-follower-0', '10.244.1.4'), clock, hostname: 'redis-follower-0' });
    const frontend = start('gcr.io/google_samples/gb-frontend:v5', { net: pod('frontend-0', '10.244.1.2'), clock, hostname: 'frontend-0' });
    await settle();
    const hosts = 'echo "10.244.1.3 redis-leader" >> /etc/hosts; echo "10.244.1.4 redis-follower" >> /etc/hosts';
    for (const c of [follower, frontend]) expect(await c.proc.exec!(['sh', '-c', hosts], { stdout: () => {}, stderr: () => {} })).toBe(0);
    return { clock, leader, follower, frontend, stop: () => [leader, follower, frontend].forEach((c) => c.proc.signal('SIGKILL')) };
  }

  it('gb-frontend v5 sets on redis-leader, the follower replicates, gets come from the follower', async () => {
    const { clock, leader, follower, frontend, stop } = await cluster();
    try {
      const http = listener(frontend, 80).http!;
      expect((await http(req('/'))).body).toContain('<h2>Guestbook</h2>');
      expect(await http(req('/guestbook.php?cmd=set&key=messages&value=,hello'))).toMatchObject({ status: 200, body: '{"message": "Updated"}' });
      expect(listener(leader, 6379).resp!(['GET', 'messages'])).toBe(',hello');
      for (let i = 0; i < 20 && !follower.text().includes('sync: Finished with success'); i++) {
        await advance(clock, 1000, 250);
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(follower.text()).toContain('* Connecting to MASTER redis-leader:6379\n');
      expect(follower.text()).toContain('* MASTER <-> REPLICA sync: Finished with success\n');
      expect(listener(follower, 6379).resp!(['GET', 'messages'])).toBe(',hello');
      expect(listener(follower, 6379).resp!(['SET', 'a', 'b'])).toEqual({ error: "READONLY You can't write against a read only replica." });
      expect((await http(req('/guestbook.php?cmd=get&key=messages'))).body).toBe('{"data": ",hello"}');
      expect(frontend.out.at(-1)).toMatch(/^10\.244\.0\.1 - - \[.*\] "GET \/guestbook\.php\?cmd=get&key=messages HTTP\/1\.1" 200 18 "-" "curl\/8\.5\.0"\n$/);
    } finally {
      stop();
    }
  });

  it('gb-frontend answers PHP\'s fatal error when redis is unreachable', async () => {
    const c = start('gcr.io/google_samples/gb-frontend:v5');
    await settle();
    const r = await listener(c, 80).http!(req('/guestbook.php?cmd=set&key=messages&value=x'));
    expect(r.body).toContain("<b>Fatal error</b>:  Uncaught exception 'Predis\\Connection\\ConnectionException'");
    c.proc.signal('SIGKILL');
  });
});
