/**
 * Probes and volumes through real kubectl against `kubesim serve --fast`: a liveness probe on a
 * 404 path restarts nginx with upstream's event texts (describe and get events), readiness gates
 * the Service's endpoints, a configMap volume follows its ConfigMap (read with kubectl exec), and
 * hostPath / PVC data survive deleting the pod.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually, useServe } from './harness';

const s = useServe();

const jsonpath = (kind: string, name: string, path: string) => s.kubectl(['get', kind, name, '-o', `jsonpath=${path}`]).stdout;
const events = (name: string) => s.ok(['get', 'events', '--field-selector', `involvedObject.name=${name}`, '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}']);

describe('probes and volumes with kubectl', () => {
  it('a liveness probe on a 404 path restarts the container with upstream\'s events', async () => {
    s.ok(['apply', '-f', '-'], {
      stdin: `apiVersion: v1
kind: Pod
metadata:
  name: live
spec:
  containers:
  - name: web
    image: nginx:1.25
    ports: [{containerPort: 80}]
    livenessProbe: {httpGet: {path: /healthz, port: 80}, periodSeconds: 1, failureThreshold: 2}
`,
    });
    await eventually('live restarted', () => Number(jsonpath('pod', 'live', '{.status.containerStatuses[0].restartCount}') || '0') >= 1, 30_000);
    const ev = events('live');
    expect(ev).toContain('Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 404');
    expect(ev).toContain('Killing: Container web failed liveness probe, will be restarted');
    const describe = s.ok(['describe', 'pod', 'live']);
    expect(describe).toMatch(/Warning\s+Unhealthy\s+.*\s+Liveness probe failed: HTTP probe failed with statuscode: 404/);
    expect(describe).toMatch(/Normal\s+Killing\s+.*\s+Container web failed liveness probe, will be restarted/);
    expect(describe).toMatch(/Liveness:\s+http-get http:\/\/:80\/healthz delay=0s timeout=1s period=1s #success=1 #failure=2/);
    s.ok(['delete', 'pod', 'live', '--grace-period=1']);
  });

  it('luksa/kubia-unhealthy (Kubernetes in Action): 500 after five requests, restarted by its liveness probe', async () => {
    s.ok(['apply', '-f', '-'], {
      stdin: `apiVersion: v1
kind: Pod
metadata:
  name: kubia-liveness
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - image: luksa/kubia-unhealthy
    name: kubia
    livenessProbe:
      httpGet: {path: /, port: 8080}
      periodSeconds: 1
`,
    });
    // node app.js as PID 1 ignores SIGTERM: the restart waits for the grace period's SIGKILL.
    await eventually('kubia-liveness restarted', () => Number(jsonpath('pod', 'kubia-liveness', '{.status.containerStatuses[0].restartCount}') || '0') >= 1, 30_000);
    const ev = events('kubia-liveness');
    expect(ev).toMatch(/^Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500$/m);
    expect(ev).toContain('Killing: Container kubia failed liveness probe, will be restarted');
    expect(s.ok(['logs', 'kubia-liveness', '--previous'])).toContain('Received request from ::ffff:10.244.');
    s.ok(['delete', 'pod', 'kubia-liveness', '--grace-period=1']);
  });

  it('seed 003: nginx stops listening on port 80 → connection refused → restarted', async () => {
    s.ok(['apply', '-f', '-'], {
      stdin: `apiVersion: v1
kind: Pod
metadata:
  name: seed3
spec:
  containers:
  - name: web
    image: nginx:latest
    livenessProbe:
      httpGet: {path: "/", port: 80}
      periodSeconds: 1
`,
    });
    await eventually('seed3 Running', () => jsonpath('pod', 'seed3', '{.status.phase}') === 'Running');
    const ip = jsonpath('pod', 'seed3', '{.status.podIP}');
    // nginx is up (its entrypoint scripts done) and has answered a probe.
    await eventually('a probe in the access log', () => /"GET \/ HTTP\/1\.1" 200 \d+ "-" "kube-probe\/1\.32"/.test(s.kubectl(['logs', 'seed3']).stdout));
    s.ok(['exec', 'seed3', '--', 'sh', '-c', "sed -i 's/80;/8080;/g' /etc/nginx/conf.d/default.conf && nginx -s reload"]);
    await eventually('seed3 restarted', () => Number(jsonpath('pod', 'seed3', '{.status.containerStatuses[0].restartCount}') || '0') >= 1, 30_000);
    const ev = s.ok(['get', 'events', '--field-selector', 'involvedObject.name=seed3']);
    expect(ev).toContain(`Warning   Unhealthy   pod/seed3   Liveness probe failed: Get "http://${ip}:80/": dial tcp ${ip}:80: connect: connection refused`);
    expect(ev).toContain('Normal    Killing     pod/seed3   Container web failed liveness probe, will be restarted');
    s.ok(['delete', 'pod', 'seed3', '--grace-period=1']);
  });

  it('readiness gates the endpoints: none until the probe passes, then the pod\'s address', async () => {
    s.ok(['apply', '-f', '-'], {
      stdin: `apiVersion: v1
kind: Pod
metadata:
  name: gated
  labels: {app: gated}
spec:
  containers:
  - name: web
    image: nginx:1.25
    ports: [{containerPort: 80}]
    readinessProbe: {httpGet: {path: /ready.html, port: 80}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata:
  name: gated
spec:
  selector: {app: gated}
  ports: [{port: 80}]
`,
    });
    await eventually('gated Running', () => jsonpath('pod', 'gated', '{.status.phase}') === 'Running');
    await eventually('a failed readiness probe', () => events('gated').includes('Readiness probe failed: HTTP probe failed with statuscode: 404'));
    expect(jsonpath('pod', 'gated', '{.status.conditions[?(@.type=="Ready")].status}')).toBe('False');
    // Only a not-ready address: kubectl's ENDPOINTS column is empty (formatEndpoints lists ready ones).
    const ip = jsonpath('pod', 'gated', '{.status.podIP}');
    await eventually('the not-ready address', () => jsonpath('endpoints', 'gated', '{.subsets[0].notReadyAddresses[0].ip}') === ip);
    expect(jsonpath('endpoints', 'gated', '{.subsets[0].addresses}')).toBe('');
    expect(s.ok(['get', 'endpoints', 'gated'])).toMatch(/^NAME\s+ENDPOINTS\s+AGE\ngated\s+\d+s\n$/);
    s.ok(['exec', 'gated', '--', 'sh', '-c', 'echo ok > /usr/share/nginx/html/ready.html']);
    await eventually('gated Ready', () => jsonpath('pod', 'gated', '{.status.conditions[?(@.type=="Ready")].status}') === 'True');
    await eventually('the endpoint', () => new RegExp(`^gated\\s+${ip.replace(/\./g, '\\.')}:80\\s+`, 'm').test(s.ok(['get', 'endpoints', 'gated'])));
    s.ok(['delete', 'pod', 'gated', '--grace-period=1']);
    s.ok(['delete', 'service', 'gated']);
  });

  it('a configMap volume follows the ConfigMap (kubectl exec cat)', async () => {
    s.ok(['create', 'configmap', 'app-config', '--from-literal=mode=blue']);
    s.ok(['apply', '-f', '-'], {
      stdin: `apiVersion: v1
kind: Pod
metadata:
  name: cfgreader
spec:
  containers:
  - name: main
    image: busybox:1.36
    command: ["sleep", "3600"]
    volumeMounts: [{name: cfg, mountPath: /etc/app}]
  volumes:
  - name: cfg
    configMap: {name: app-config}
`,
    });
    await eventually('cfgreader Running', () => jsonpath('pod', 'cfgreader', '{.status.phase}') === 'Running');
    expect(s.ok(['exec', 'cfgreader', '--', 'cat', '/etc/app/mode'])).toBe('blue');
    s.ok(['patch', 'configmap', 'app-config', '--type=merge', '-p', '{"data":{"mode":"green","extra":"1"}}']);
    await eventually('the new value in the volume', () => s.kubectl(['exec', 'cfgreader', '--', 'cat', '/etc/app/mode']).stdout === 'green');
    expect(s.ok(['exec', 'cfgreader', '--', 'ls', '/etc/app'])).toBe('extra\nmode\n');
    s.ok(['delete', 'pod', 'cfgreader', '--grace-period=1']);
  });

  it('hostPath data stays on the node\'s disk when the pod is deleted; the next pod there reads it', async () => {
    const pod = (name: string, script: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  nodeName: kubesim-worker
  restartPolicy: Never
  containers:
  - name: main
    image: busybox:1.36
    command: ["sh", "-c", ${JSON.stringify(script)}]
    volumeMounts: [{name: data, mountPath: /data}]
  volumes:
  - name: data
    hostPath: {path: /srv/kubesim-test, type: DirectoryOrCreate}
`;
    s.ok(['apply', '-f', '-'], { stdin: pod('writer', 'echo "written by $HOSTNAME" > /data/note.txt') });
    await eventually('writer Succeeded', () => jsonpath('pod', 'writer', '{.status.phase}') === 'Succeeded');
    s.ok(['delete', 'pod', 'writer']);
    const onDisk = join(s.dir, 'data', 'nodes', 'kubesim-worker', 'hostpath', 'srv', 'kubesim-test', 'note.txt');
    expect(existsSync(onDisk)).toBe(true);
    expect(readFileSync(onDisk, 'utf8')).toBe('written by writer\n');
    s.ok(['apply', '-f', '-'], { stdin: pod('reader', 'cat /data/note.txt') });
    await eventually('reader Succeeded', () => jsonpath('pod', 'reader', '{.status.phase}') === 'Succeeded');
    expect(s.ok(['logs', 'reader'])).toBe('written by writer\n');
    s.ok(['delete', 'pod', 'reader']);
  });

  it('a Directory hostPath that does not exist: FailedMount with upstream\'s text', async () => {
    s.ok(['apply', '-f', '-'], {
      stdin: `apiVersion: v1
kind: Pod
metadata:
  name: nodir
spec:
  nodeName: kubesim-worker
  containers:
  - name: main
    image: busybox:1.36
    command: ["sleep", "3600"]
    volumeMounts: [{name: data, mountPath: /data}]
  volumes:
  - name: data
    hostPath: {path: /does/not/exist, type: Directory}
`,
    });
    await eventually('FailedMount', () => events('nodir').includes('FailedMount: MountVolume.SetUp failed for volume "data" : hostPath type check failed: /does/not/exist is not a directory'));
    expect(jsonpath('pod', 'nodir', '{.status.containerStatuses[0].state.waiting.reason}')).toBe('ContainerCreating');
    s.ok(['delete', 'pod', 'nodir', '--grace-period=0', '--force']);
  });

  it('PVC data survives deleting the pod', async () => {
    const pod = (name: string, script: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: busybox:1.36
    command: ["sh", "-c", ${JSON.stringify(script)}]
    volumeMounts: [{name: data, mountPath: /data}]
  volumes:
  - name: data
    persistentVolumeClaim: {claimName: keep}
`;
    s.ok(['apply', '-f', '-'], {
      stdin: `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: keep
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Mi}}
`,
    });
    s.ok(['apply', '-f', '-'], { stdin: pod('pvcwriter', 'echo kept > /data/file') });
    await eventually('pvcwriter Succeeded', () => jsonpath('pod', 'pvcwriter', '{.status.phase}') === 'Succeeded', 30_000);
    s.ok(['delete', 'pod', 'pvcwriter']);
    s.ok(['apply', '-f', '-'], { stdin: pod('pvcreader', 'cat /data/file') });
    await eventually('pvcreader Succeeded', () => jsonpath('pod', 'pvcreader', '{.status.phase}') === 'Succeeded', 30_000);
    expect(s.ok(['logs', 'pvcreader'])).toBe('kept\n');
    s.ok(['delete', 'pod', 'pvcreader']);
  });
});
