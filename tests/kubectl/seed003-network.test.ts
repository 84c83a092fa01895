/**
 * Seed 003 ("Exploring Kubernetes, Part 2: Pods, Deployments, and Services"), the parts on the
 * network and in the containers that seed003-workloads.test.ts leaves out, typed as the seed does
 * against `kubesim serve --fast` with real kubectl and curl: `curl -s http://<pod IP> | head`,
 * `kubectl exec -it test-pod /bin/bash` then `ps ax` and `netstat -tlpn` on a real terminal (util-
 * linux `script`), the two-container emptyDir pod (`echo … > /var/tmp/shared/test` in `-c web`,
 * `cat` at busybox's `/ # ` prompt in `-c sleep`), `echo $fromKubernetes`, the NodePort service on
 * 30080 answered by nginx through 127.0.0.1 and through the node IPs, and the test-deployment's
 * liveness probe (defaults: every 10 s, 3 failures) restarting a pod whose nginx stops listening
 * on port 80 (`connection refused`) and one whose index.html is gone (403), with the seed's events.
 * The seed's nodes (`root@kube-control01:~# curl …`) are a hostNetwork busybox pod on the
 * control-plane node (fixtures/seed003-network/node-shell.yml).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KUBECTL, useServe } from './harness';
import { TtySession } from './tty-session';
import { getJson, rows, waitFor } from './workloads-helpers';

const SEED = join(__dirname, 'fixtures/seed003');
const OWN = join(__dirname, 'fixtures/seed003-network');
const s = useServe();

const sessions: TtySession[] = [];
afterAll(() => {
  for (const t of sessions) t.kill();
});

function tty(args: string[], bin?: string): TtySession {
  const t = new TtySession(s, args, bin);
  sessions.push(t);
  return t;
}

/** The first 10 lines (`| head`) of nginx:latest's welcome page. */
const WELCOME_HEAD = [
  '<!DOCTYPE html>',
  '<html>',
  '<head>',
  '<title>Welcome to nginx!</title>',
  '<style>',
  'html { color-scheme: light dark; }',
  'body { width: 35em; margin: 0 auto;',
  'font-family: Tahoma, Verdana, Arial, sans-serif; }',
  '</style>',
  '</head>',
].join('\n');

const NETSTAT_HEADER = [
  'Active Internet connections (only servers)',
  'Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name    ',
].join('\n');
const NETSTAT_NGINX = 'tcp        0      0 0.0.0.0:80              0.0.0.0:*               LISTEN      1/nginx: master pro';

function running(name: string, ready = '1/1'): Promise<string[]> {
  return waitFor(`${name} ${ready} Running`, () => {
    const r = rows(s, ['pod', name]);
    return r[1]?.[1] === ready && r[1][2] === 'Running' ? r[1] : undefined;
  });
}

/** True when nothing listens on 127.0.0.1:<port> (a bind succeeds). */
function portFree(port: number): boolean {
  const r = spawnSync(process.execPath, ['-e', `require('net').createServer().once('error', () => process.exit(1)).listen(${port}, '127.0.0.1', function () { this.close(); })`], { timeout: 5_000 });
  return r.status === 0;
}

const podIP = (name: string): string => getJson(s, ['pod', name]).status.podIP;

/** Runs a shell pipeline in the node-shell pod (the control-plane node's network namespace). */
function onNode(cmd: string): { code: number; stdout: string; stderr: string } {
  return s.kubectl(['exec', 'node-shell', '--', 'sh', '-c', cmd]);
}

/** `ps ax` as bash shows it on the exec terminal: nginx's master and worker(s), the shell and ps on pts/0. */
function expectPsAx(out: string, shell = '/bin/bash'): void {
  const lines = out.split('\n');
  expect(lines[0]).toBe('  PID TTY      STAT   TIME COMMAND');
  expect(lines[1]).toBe('    1 ?        Ss     0:00 nginx: master process nginx -g daemon off;');
  const workers = lines.slice(2).filter((l) => / nginx: worker process$/.test(l));
  expect(workers.length).toBeGreaterThan(0);
  for (const w of workers) expect(w).toMatch(/^ {0,4}\d+ \?        S      0:00 nginx: worker process$/);
  const rest = lines.slice(2 + workers.length).filter((l) => l !== '');
  expect(rest).toHaveLength(2);
  expect(rest[0]).toMatch(new RegExp(`^ {0,4}\\d+ pts/0    Ss     0:00 ${shell}$`));
  expect(rest[1]).toMatch(/^ {0,4}\d+ pts\/0    R\+     0:00 ps ax$/);
  const [shellPid, psPid] = rest.map((l) => Number(l.trim().split(/\s+/)[0]));
  expect(psPid).toBeGreaterThan(shellPid);
}

describe('seed 003 on the network: test-pod', () => {
  it('$ kubectl create -f test-pod.yml; (on a node) curl -s http://<pod IP> | head → nginx welcome page', async () => {
    expect(s.ok(['create', '-f', join(SEED, 'test-pod.yml')])).toBe('pod/test-pod created\n');
    s.ok(['create', '-f', join(OWN, 'node-shell.yml')]);
    await running('test-pod');
    await running('node-shell');
    const node = getJson(s, ['pod', 'node-shell']);
    expect(node.spec.nodeName).toBe('kubesim-control-plane');
    expect(node.status.podIP).toBe(node.status.hostIP);
    const ip = podIP('test-pod');
    // busybox has wget rather than curl: the node reaches the pod IP on another node.
    const r = onNode(`wget -qO- http://${ip} | head`);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(`${WELCOME_HEAD}\n`);
  });

  it('curl -s http://<pod IP> | head inside the pod (nginx:latest ships curl)', () => {
    const ip = podIP('test-pod');
    const r = s.kubectl(['exec', 'test-pod', '--', 'sh', '-c', `curl -s http://${ip} | head`]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${WELCOME_HEAD}\n`);
  });

  it('$ kubectl exec -it test-pod /bin/bash (kubectl 1.27, the seed\'s form): ps ax, netstat -tlpn, exit', async () => {
    const t = tty(['exec', '-it', 'test-pod', '/bin/bash'], KUBECTL.v127);
    const first = await t.expect('root@test-pod:/# ');
    expect(first).toBe('kubectl exec [POD] [COMMAND] is DEPRECATED and will be removed in a future version. Use kubectl exec [POD] -- [COMMAND] instead.\nroot@test-pod:/# ');
    t.type('ps ax');
    const ps = await t.expect('root@test-pod:/# ');
    expect(ps.startsWith('ps ax\n')).toBe(true);
    expectPsAx(ps.slice('ps ax\n'.length, -'root@test-pod:/# '.length));
    t.type('netstat -tlpn');
    const ns = await t.expect('root@test-pod:/# ');
    const nsLines = ns.split('\n');
    expect(nsLines[0]).toBe('netstat -tlpn');
    expect(nsLines.slice(1, 3).join('\n')).toBe(NETSTAT_HEADER);
    expect(nsLines).toContain(NETSTAT_NGINX);
    t.type('exit');
    expect(await t.close()).toBe(0);
    // bash says `exit` when an interactive shell leaves by the builtin.
    expect(t.out.slice(t.out.lastIndexOf('root@test-pod:/# '))).toBe('root@test-pod:/# exit\nexit\n');
  });

  it('kubectl 1.32 refuses the seed\'s form without --; 1.32 and 1.33 with -- give the same terminal', async () => {
    const old = s.kubectl(['exec', '-it', 'test-pod', '/bin/bash']);
    expect(old.code).toBe(1);
    expect(old.stderr).toBe("error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples\n");
    for (const bin of [KUBECTL.default, KUBECTL.v133]) {
      const t = tty(['exec', '-it', 'test-pod', '--', '/bin/bash'], bin);
      expect(await t.expect('root@test-pod:/# ')).toBe('root@test-pod:/# ');
      t.type('ps ax');
      const ps = await t.expect('root@test-pod:/# ');
      expectPsAx(ps.slice('ps ax\n'.length, -'root@test-pod:/# '.length));
      t.type('netstat -tlpn');
      expect((await t.expect('root@test-pod:/# ')).split('\n')).toContain(NETSTAT_NGINX);
      t.type('exit 0');
      expect(await t.close()).toBe(0);
    }
  });

  it('Ctrl-C on the exec terminal interrupts the running command: a new prompt, $? is 130', async () => {
    const t = tty(['exec', '-it', 'test-pod', '--', '/bin/bash']);
    await t.expect('root@test-pod:/# ');
    try {
      t.type('sleep 100');
      await t.expect('sleep 100\n');
      await new Promise((r) => setTimeout(r, 300));
      t.child.stdin!.write('\x03');
      // The terminal echoes ^C, SIGINT ends sleep, bash starts a new line and prompts.
      expect(await t.expect('root@test-pod:/# ', 5_000)).toBe('^C\nroot@test-pod:/# ');
      t.type('echo $?');
      expect(await t.expect('root@test-pod:/# ')).toBe('echo $?\n130\nroot@test-pod:/# ');
      t.type('exit');
      expect(await t.close()).toBe(0);
    } finally {
      t.kill();
      // Cut off mid-command, the shell would stay in the container (as upstream): end it for the next tests.
      s.kubectl(['exec', 'test-pod', '--', 'sh', '-c', 'kill -9 $(ps ax | grep -E "pts/0 .*(bash|sleep 100)$" | grep -v grep | sed "s/^ *//" | cut -d" " -f1) 2>/dev/null; true']);
    }
  });

  it('without a terminal: commands piped into kubectl exec -i (and -it: "Unable to use a TTY")', () => {
    const r = s.kubectl(['exec', '-i', 'test-pod', '--', '/bin/bash'], { stdin: 'ps ax\nnetstat -tlpn\n' });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('  PID TTY      STAT   TIME COMMAND');
    expect(lines[1]).toBe('    1 ?        Ss     0:00 nginx: master process nginx -g daemon off;');
    // No terminal: bash and ps have no controlling tty and ps is not in a foreground group.
    // (A shell of an earlier session cut off by its client may still be there on pts/0, as upstream.)
    expect(lines.filter((l) => l.endsWith(' /bin/bash'))).toContainEqual(expect.stringMatching(/^ {0,4}\d+ \?        Ss     0:00 \/bin\/bash$/));
    expect(lines.find((l) => l.endsWith(' ps ax'))).toMatch(/^ {0,4}\d+ \?        R      0:00 ps ax$/);
    expect(r.stdout).toContain(`${NETSTAT_HEADER}\n`);
    expect(lines).toContain(NETSTAT_NGINX);
    const it2 = s.kubectl(['exec', '-it', 'test-pod', '--', '/bin/bash'], { stdin: 'echo $HOSTNAME; exit 3\n' });
    // kubectl exits with the remote command's code.
    expect(it2).toEqual({ code: 3, stdout: 'test-pod\n', stderr: 'Unable to use a TTY - input is not a terminal or the right kind of file\ncommand terminated with exit code 3\n' });
  });
});

describe('seed 003 on the network: two containers sharing an emptyDir, env', () => {
  it('$ kubectl exec -it test-pod -c web /bin/bash: echo Hello From Beyond The Wall > /var/tmp/shared/test; exit', async () => {
    expect(s.ok(['delete', '-f', join(SEED, 'test-pod.yml')])).toBe('pod "test-pod" deleted\n');
    expect(s.ok(['create', '-f', join(SEED, 'test-pod-shared.yml')])).toBe('pod/test-pod created\n');
    await running('test-pod', '2/2');
    const t = tty(['exec', '-it', 'test-pod', '-c', 'web', '/bin/bash'], KUBECTL.v127);
    await t.expect('root@test-pod:/# ');
    t.type('echo Hello From Beyond The Wall > /var/tmp/shared/test');
    expect(await t.expect('root@test-pod:/# ')).toBe('echo Hello From Beyond The Wall > /var/tmp/shared/test\nroot@test-pod:/# ');
    t.type('exit');
    expect(await t.close()).toBe(0);
  });

  it('$ kubectl exec -it test-pod -c sleep /bin/sh: / # cat /var/tmp/shared/test → Hello From Beyond The Wall', async () => {
    const t = tty(['exec', '-it', 'test-pod', '-c', 'sleep', '--', '/bin/sh']);
    expect(await t.expect('/ # ')).toBe('/ # ');
    t.type('cat /var/tmp/shared/test');
    expect(await t.expect('/ # ')).toBe('cat /var/tmp/shared/test\nHello From Beyond The Wall\n/ # ');
    t.type('exit');
    expect(await t.close()).toBe(0);
    // The same bytes, and the containers share the pod's network namespace: busybox reaches nginx on localhost.
    expect(s.ok(['exec', 'test-pod', '-c', 'sleep', '--', 'wget', '-qO-', 'http://localhost']).split('\n').slice(0, 10).join('\n')).toBe(WELCOME_HEAD);
  });

  it('$ kubectl exec -it webapp /bin/bash: echo $fromKubernetes → this value', async () => {
    expect(s.ok(['create', '-f', join(SEED, 'webapp-env.yml')])).toBe('pod/webapp created\n');
    await running('webapp');
    const t = tty(['exec', '-it', 'webapp', '--', '/bin/bash']);
    await t.expect('root@webapp:/# ');
    t.type('echo $fromKubernetes');
    expect(await t.expect('root@webapp:/# ')).toBe('echo $fromKubernetes\nthis value\nroot@webapp:/# ');
    t.type('exit');
    expect(await t.close()).toBe(0);
    s.ok(['delete', 'pod', 'webapp', '--grace-period=1']);
    await waitFor('webapp gone', () => s.kubectl(['get', 'pod', 'webapp']).code === 1);
  });
});

describe('seed 003 on the network: the NodePort service on 30080', () => {
  it('$ kubectl describe service nginx → Endpoints: the webapp pod', async () => {
    // 127.0.0.1:30080 is one port for the whole machine: wait while another cluster (a parallel test) holds it.
    await waitFor('127.0.0.1:30080 free', () => portFree(30080), 60_000);
    expect(s.ok(['create', '-f', join(SEED, 'pods-labels.yml')])).toBe('pod/webapp created\npod/api-server created\n');
    expect(s.ok(['create', '-f', join(SEED, 'service-nodeport.yml')])).toBe('service/nginx created\n');
    await running('webapp');
    await running('api-server');
    const ip = podIP('webapp');
    const d = await waitFor('the endpoint', () => {
      const out = s.ok(['describe', 'service', 'nginx']);
      return /^Endpoints:\s+\d/m.test(out) ? out : undefined;
    });
    expect(d).toMatch(new RegExp(`^Endpoints:\\s+${ip.replace(/\./g, '\\.')}:80$`, 'm'));
    expect(d).toMatch(/^NodePort:\s+<unset>  30080\/TCP$/m);
  });

  it('$ curl http://127.0.0.1:30080 | head → the page and curl\'s progress meter (615 bytes)', () => {
    const r = spawnSync('sh', ['-c', 'curl http://127.0.0.1:30080 | head'], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${WELCOME_HEAD}\n`);
    const meter = r.stderr.split(/[\r\n]/).filter((l) => l !== '');
    expect(meter[0]).toBe('  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current');
    expect(meter[meter.length - 1]).toMatch(/^100   615  100   615    0     0  +\S+      0 --:--:-- --:--:-- --:--:-- +\S+$/);
    // nginx logged it (only webapp is tier=web; api-server got nothing).
    expect(s.ok(['logs', 'webapp'])).toMatch(/^\S+ - - \[[^\]]+\] "GET \/ HTTP\/1\.1" 200 615 "-" "curl\/[\d.]+" "-"$/m);
    expect(s.ok(['logs', 'api-server'])).not.toMatch(/"GET \//);
  });

  it('tcp/30080 on every node: wget from the control-plane node to each node IP', () => {
    const nodes = getJson(s, ['nodes']).items.map((n: { status: { addresses: { type: string; address: string }[] } }) => n.status.addresses.find((a) => a.type === 'InternalIP')!.address);
    expect(nodes).toHaveLength(3);
    for (const ip of nodes) {
      const r = onNode(`wget -qO- http://${ip}:30080 | head`);
      expect(r.stdout, `node ${ip}: ${r.stderr}`).toBe(`${WELCOME_HEAD}\n`);
    }
    // The ClusterIP answers on port 80 too.
    const cip = getJson(s, ['service', 'nginx']).spec.clusterIP;
    expect(onNode(`wget -qO- http://${cip} | head`).stdout).toBe(`${WELCOME_HEAD}\n`);
  });
});

describe('seed 003 on the network: the liveness probe restarts a broken nginx', () => {
  const DEPLOY_POD = /^test-deployment-[a-z0-9]+-[a-z0-9]{5}$/;
  let refused = '';
  let forbidden = '';

  it('test-deployment with the seed\'s livenessProbe (httpGet / port 80, defaults): 3 pods pass it', async () => {
    expect(s.ok(['create', '-f', join(SEED, 'test-deployment-liveness.yml')])).toBe('deployment.apps/test-deployment created\n');
    const pods = await waitFor('3 test-deployment pods Running', () => {
      const r = rows(s, ['pods']).slice(1).filter((p) => DEPLOY_POD.test(p[0]));
      return r.length === 3 && r.every((p) => p[1] === '1/1' && p[2] === 'Running') ? r : undefined;
    });
    [refused, forbidden] = pods.map((p) => p[0]);
    // The probe is a real GET from the kubelet: nginx logs it with kube-probe's User-Agent.
    await waitFor('a probe in the access log', () => /"GET \/ HTTP\/1\.1" 200 615 "-" "kube-probe\/1\.32" "-"$/m.test(s.ok(['logs', refused])), 20_000);
  });

  it('"nginx stops listening on port 80": listen 81 and nginx -s reload → netstat shows no :80', () => {
    const cmd = "sed -i 's/listen       80;/listen       81;/; s/listen  \\[::\\]:80;/listen  [::]:81;/' /etc/nginx/conf.d/default.conf && nginx -s reload";
    const r = s.kubectl(['exec', refused, '--', 'sh', '-c', cmd]);
    expect(r.code).toBe(0);
    expect(s.ok(['exec', refused, '--', 'grep', '^ *listen ', '/etc/nginx/conf.d/default.conf'])).toBe('    listen       81;\n    listen  [::]:81;\n');
    // nginx applies the new configuration: the new listen sockets open, the old ones close.
    let ns = '';
    return waitFor('port 80 closed', () => {
      ns = s.ok(['exec', refused, '--', 'netstat', '-tlpn']);
      return !ns.includes(':80 ') && ns.includes('0.0.0.0:81 ');
    }, 5_000, () => ns);
  });

  it('the other failure: rm /usr/share/nginx/html/index.html → the pod answers 403', () => {
    expect(s.kubectl(['exec', forbidden, '--', 'rm', '/usr/share/nginx/html/index.html'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(s.ok(['exec', forbidden, '--', 'ls', '/usr/share/nginx/html'])).toBe('50x.html\n');
  });

  /** The `kubectl get events` rows (without LAST SEEN) about one pod. */
  function eventsOf(pod: string): string[][] {
    return rows(s, ['events']).slice(1).filter((r) => r[3] === `pod/${pod}`).map((r) => r.slice(1));
  }

  async function restarted(pod: string): Promise<void> {
    await waitFor(`${pod} RESTARTS 1`, () => /^1 \(/.test(rows(s, ['pod', pod])[1]?.[3] ?? ''), 75_000, () => s.ok(['get', 'pod', pod]) + s.ok(['get', 'events']));
  }

  it('$ kubectl get events: Unhealthy … HTTP probe failed with statuscode: 403, Killing … will be restarted; RESTARTS 1', async () => {
    await restarted(forbidden);
    const ev = eventsOf(forbidden);
    expect(ev).toContainEqual(['Warning', 'Unhealthy', `pod/${forbidden}`, 'Liveness probe failed: HTTP probe failed with statuscode: 403']);
    expect(ev).toContainEqual(['Normal', 'Killing', `pod/${forbidden}`, 'Container web failed liveness probe, will be restarted']);
    // Three failures (the default failureThreshold) in one aggregated event.
    const unhealthy = getJson(s, ['events', '--field-selector', `involvedObject.name=${forbidden},reason=Unhealthy`]).items;
    expect(unhealthy.map((e: { count: number }) => e.count)).toEqual([3]);
    // The restarted container has a fresh filesystem: index.html is back and the probe passes again.
    await running(forbidden);
    expect(s.ok(['exec', forbidden, '--', 'ls', '/usr/share/nginx/html'])).toBe('50x.html\nindex.html\n');
    const c = getJson(s, ['pod', forbidden]).status.containerStatuses[0];
    expect(c.restartCount).toBe(1);
    expect(c.lastState.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
  }, 90_000);

  it('$ kubectl get events: Unhealthy … dial tcp <IP>:80: connect: connection refused, Killing … will be restarted; RESTARTS 1', async () => {
    const ip = podIP(refused);
    await restarted(refused);
    const ev = eventsOf(refused);
    expect(ev).toContainEqual(['Warning', 'Unhealthy', `pod/${refused}`, `Liveness probe failed: Get "http://${ip}:80/": dial tcp ${ip}:80: connect: connection refused`]);
    expect(ev).toContainEqual(['Normal', 'Killing', `pod/${refused}`, 'Container web failed liveness probe, will be restarted']);
    await running(refused);
    expect(s.ok(['exec', refused, '--', 'netstat', '-tlpn']).split('\n')).toContain(NETSTAT_NGINX);
    // The third pod was left alone.
    const others = rows(s, ['pods']).slice(1).filter((p) => DEPLOY_POD.test(p[0]) && p[0] !== refused && p[0] !== forbidden);
    expect(others.map((p) => p[3])).toEqual(['0']);
  }, 90_000);
});

describe('seed 003 on the network: the startupProbe ("copy the livenessProbe section and rename it")', () => {
  it('$ kubectl apply -f test-deployment.yml with livenessProbe and startupProbe → 3 new pods pass both, no restarts', async () => {
    const r = s.kubectl(['apply', '-f', join(OWN, 'test-deployment-startup.yml')]);
    expect(r.stdout).toBe('deployment.apps/test-deployment configured\n');
    const pods = await waitFor('3 pods with a startupProbe Running and Ready', () => {
      const items = getJson(s, ['pods', '-l', 'app=nginx']).items.filter((p: { metadata: { name: string; deletionTimestamp?: string } }) => p.metadata.name.startsWith('test-deployment-') && !p.metadata.deletionTimestamp);
      return items.length === 3 && items.every((p: { spec: { containers: { startupProbe?: object }[] }; status: { containerStatuses?: { ready: boolean; started: boolean }[] } }) => p.spec.containers[0].startupProbe && p.status.containerStatuses?.[0]?.ready && p.status.containerStatuses[0].started) ? items : undefined;
    }, 60_000, () => s.ok(['get', 'pods']));
    for (const p of pods) {
      expect(p.status.containerStatuses[0].restartCount).toBe(0);
      const d = s.ok(['describe', 'pod', p.metadata.name]);
      expect(d).toMatch(/^\s+Liveness:\s+http-get http:\/\/:80\/ delay=0s timeout=1s period=10s #success=1 #failure=3$/m);
      expect(d).toMatch(/^\s+Startup:\s+http-get http:\/\/:80\/ delay=0s timeout=1s period=10s #success=1 #failure=3$/m);
    }
  }, 70_000);

  it('a startupProbe nginx never passes → Startup probe failed … 404, Killing … failed startup probe, restarts, never Ready', async () => {
    expect(s.ok(['create', '-f', join(OWN, 'startup-broken.yml')])).toBe('pod/startup-broken created\n');
    await waitFor('a restart', () => /^[1-9]/.test(rows(s, ['pod', 'startup-broken'])[1]?.[3] ?? ''), 30_000, () => s.ok(['get', 'pod', 'startup-broken']));
    const ev = rows(s, ['events']).slice(1).filter((r) => r[3] === 'pod/startup-broken').map((r) => r.slice(1));
    expect(ev).toContainEqual(['Warning', 'Unhealthy', 'pod/startup-broken', 'Startup probe failed: HTTP probe failed with statuscode: 404']);
    expect(ev).toContainEqual(['Normal', 'Killing', 'pod/startup-broken', 'Container web failed startup probe, will be restarted']);
    const c = getJson(s, ['pod', 'startup-broken']).status.containerStatuses[0];
    expect(c.ready).toBe(false);
    expect(rows(s, ['pod', 'startup-broken'])[1][1]).toBe('0/1');
    s.ok(['delete', 'pod', 'startup-broken', '--wait=false']);
  }, 40_000);
});
