/**
 * The in-container tools through real `kubectl exec` against `kubesim serve --fast`: `ps aux` and
 * `netstat -tlnp` in nginx (seed 003's Debian image, with net-tools), `hostname -i` printing the
 * pod IP, and busybox `wget -qO- http://svc:port` reaching nginx through the Service by name
 * (seed 004), its errors worded as busybox words them.
 */
import { describe, expect, it } from 'vitest';
import { KUBECTL, useServe } from './harness';
import { podsRunningWithEndpoint } from './workloads-helpers';

const s = useServe();

const BUSYBOX = `apiVersion: v1
kind: Pod
metadata:
  name: bb
spec:
  containers:
  - name: bb
    image: busybox:1.36
    command: ["sleep", "3600"]
`;

describe('tools inside containers via kubectl exec', () => {
  it('setup: nginx behind a Service, a busybox pod', async () => {
    s.ok(['create', 'deployment', 'web', '--image=nginx:1.27']);
    s.ok(['expose', 'deployment', 'web', '--port=8080', '--target-port=80']);
    s.ok(['apply', '-f', '-'], { stdin: BUSYBOX });
    await podsRunningWithEndpoint(s, 2, 'web');
  });

  it('ps aux in nginx: PID 1 the master, the workers, ps itself', () => {
    const pod = s.ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}']);
    const r = s.kubectl(['exec', pod, '--', 'ps', 'aux']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('USER       PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND');
    expect(lines[1]).toMatch(/^root         1  0\.0  0\.0 +\d+ +\d+ \?        Ss   \d\d:\d\d   0:00 nginx: master process nginx -g daemon off;$/);
    expect(lines.filter((l) => l.endsWith('nginx: worker process')).length).toBeGreaterThan(0);
    expect(lines[lines.length - 1]).toMatch(/ R    \d\d:\d\d   0:00 ps aux$/);
  });

  it('netstat -tlnp in nginx (seed 003 format)', () => {
    const pod = s.ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}']);
    const r = s.kubectl(['exec', pod, '--', 'netstat', '-tlnp']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'Active Internet connections (only servers)\nProto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name    \ntcp        0      0 0.0.0.0:80              0.0.0.0:*               LISTEN      1/nginx: master pro\ntcp6       0      0 :::80                   :::*                    LISTEN      1/nginx: master pro\n',
    );
  });

  it('hostname -i prints the pod IP (kubectl 1.27 and 1.33 too)', () => {
    const ip = s.ok(['get', 'pod', 'bb', '-o', 'jsonpath={.status.podIP}']);
    expect(ip).toMatch(/^10\.244\.\d+\.\d+$/);
    for (const bin of [KUBECTL.default, KUBECTL.v127, KUBECTL.v133]) {
      expect(s.kubectl(['exec', 'bb', '--', 'hostname', '-i'], { bin })).toMatchObject({ code: 0, stdout: `${ip}\n` });
    }
  });

  it('busybox wget -qO- http://web:8080 answers with nginx; 404 and refused in busybox words', () => {
    const page = s.kubectl(['exec', 'bb', '--', 'wget', '-qO-', 'http://web:8080']);
    expect(page.code).toBe(0);
    expect(page.stdout).toContain('<title>Welcome to nginx!</title>');
    const svc = s.ok(['get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}']);
    const verbose = s.kubectl(['exec', 'bb', '--', 'wget', '-O', '/dev/null', 'http://web.default.svc.cluster.local:8080/']);
    expect(verbose.stderr).toContain(`Connecting to web.default.svc.cluster.local:8080 (${svc}:8080)\n`);
    const missing = s.kubectl(['exec', 'bb', '--', 'wget', '-qO-', 'http://web:8080/nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('wget: server returned error: HTTP/1.1 404 Not Found\ncommand terminated with exit code 1\n');
    const refused = s.kubectl(['exec', 'bb', '--', 'wget', '-qO-', `http://${svc}:9999`]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^wget: can't connect to remote host \(10\.\d+\.\d+\.\d+\): (Connection refused|No route to host)\ncommand terminated with exit code 1\n$/);
    const bad = s.kubectl(['exec', 'bb', '--', 'wget', '-qO-', 'http://no-such-service:8080']);
    expect(bad.stderr).toBe("wget: bad address 'no-such-service'\ncommand terminated with exit code 1\n");
  });
});
