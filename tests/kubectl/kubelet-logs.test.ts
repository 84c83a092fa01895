/**
 * The kubelet through real kubectl against `kubesim serve --fast`: pods bound to a node run
 * (busybox `sh -c` scripts in the simulated runtime), `kubectl logs` with -f, --tail,
 * --timestamps, --previous, -l/--prefix/--all-containers, describe shows the kubelet's events,
 * and `kubectl delete pod` finishes; probes against nginx and a configMap volume read by a shell.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { KUBECTL, eventually, useServe } from './harness';

const s = useServe();

function podYaml(name: string, script: string, extra: { labels?: string; containers?: string } = {}): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: {${extra.labels ?? `app: ${name}`}}
spec:
  nodeName: kubesim-worker
  terminationGracePeriodSeconds: 5
  containers:
  - name: main
    image: busybox:1.36
    command: ["sh", "-c", ${JSON.stringify(script)}]
${extra.containers ?? ''}`;
}

const jsonpath = (pod: string, path: string) => s.kubectl(['get', 'pod', pod, '-o', `jsonpath=${path}`]).stdout;

describe('kubelet with kubectl', () => {
  it('a pod with nodeName runs; logs, --tail, --timestamps; describe shows the kubelet events', async () => {
    s.ok(['apply', '-f', '-'], { stdin: podYaml('ticker', 'i=0; while true; do i=$((i+1)); echo "tick $i"; sleep 1; done') });
    await eventually('ticker Running', () => jsonpath('ticker', '{.status.phase}') === 'Running');
    expect(jsonpath('ticker', '{.status.podIP}')).toMatch(/^10\.244\.1\.\d+$/);
    await eventually('two ticks', () => s.kubectl(['logs', 'ticker']).stdout.includes('tick 2'));
    expect(s.ok(['logs', 'ticker'])).toMatch(/^tick 1\ntick 2\n/);
    expect(s.ok(['logs', 'ticker', '--tail=1'])).toMatch(/^tick \d+\n$/);
    expect(s.ok(['logs', 'ticker', '--tail=1', '--timestamps'])).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z tick \d+\n$/);
    const describe = s.ok(['describe', 'pod', 'ticker']);
    expect(describe).toMatch(/Normal\s+Pulled\s+\S+\s+kubelet\s+Successfully pulled image "busybox:1.36" in /);
    expect(describe).toMatch(/Normal\s+Created\s+\S+\s+kubelet\s+Created container main/);
    expect(describe).toMatch(/Normal\s+Started\s+\S+\s+kubelet\s+Started container main/);
    expect(describe).toMatch(/Status:\s+Running/);
  });

  it('logs -f streams lines as they are printed', async () => {
    const child = spawn(KUBECTL.default, ['--kubeconfig', s.kubeconfig, '--cache-dir', s.cacheDir, 'logs', '-f', 'ticker', '--tail=1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await eventually('the first line', () => out.split('\n').length >= 2, 10_000);
      const first = Number(/tick (\d+)/.exec(out)![1]);
      await eventually('two more lines', () => out.split('\n').filter(Boolean).length >= 3, 10_000);
      const lines = out.split('\n').filter(Boolean);
      expect(lines.slice(0, 3)).toEqual([`tick ${first}`, `tick ${first + 1}`, `tick ${first + 2}`]);
    } finally {
      child.kill();
    }
  });

  it('a crashing container restarts; logs --previous shows the last run; RESTARTS grows', async () => {
    s.ok(['apply', '-f', '-'], { stdin: podYaml('crasher', 'echo "run at $(date +%s)"; echo boom; exit 1') });
    await eventually('a restart', () => Number(jsonpath('crasher', '{.status.containerStatuses[0].restartCount}') || '0') >= 1);
    expect(s.ok(['logs', 'crasher', '--previous'])).toMatch(/^run at \d+\nboom\n$/);
    await eventually('CrashLoopBackOff', () => jsonpath('crasher', '{.status.containerStatuses[0].state.waiting.reason}') === 'CrashLoopBackOff');
    const row = s.ok(['get', 'pod', 'crasher', '--no-headers']);
    expect(row).toMatch(/^crasher\s+0\/1\s+CrashLoopBackOff\s+[12] \(\S+ ago\)\s+/);
    expect(jsonpath('crasher', '{.status.containerStatuses[0].lastState.terminated.exitCode}')).toBe('1');
  });

  it('several containers: a name is required; --all-containers, -l with --prefix', async () => {
    const two = `  - name: side
    image: busybox:1.36
    command: ["sh", "-c", "echo side here; sleep 3600"]
`;
    s.ok(['apply', '-f', '-'], { stdin: podYaml('duo', 'echo main here; sleep 3600', { labels: 'app: duo', containers: two }) });
    await eventually('duo Running', () => jsonpath('duo', '{.status.phase}') === 'Running');
    await eventually('both printed', () => s.kubectl(['logs', 'duo', '-c', 'side']).stdout.includes('side here'));
    // kubectl picks the first container itself and says so; the API server insists on a name.
    const r = s.kubectl(['logs', 'duo']);
    expect(r.stdout).toBe('main here\n');
    expect(r.stderr).toContain('Defaulted container "main" out of: main, side');
    const raw = s.kubectl(['get', '--raw', '/api/v1/namespaces/default/pods/duo/log']);
    expect(raw.code).not.toBe(0);
    expect(raw.stderr).toContain('a container name must be specified for pod duo, choose one of: [main side]');
    // kubectl keeps one request per container in a Go map: the containers come in either order.
    expect(s.ok(['logs', 'duo', '--all-containers']).split('\n').filter(Boolean).sort()).toEqual(['main here', 'side here']);
    const prefixed = s.ok(['logs', '-l', 'app=duo', '--all-containers', '--prefix']);
    expect(prefixed.split('\n').filter(Boolean).sort()).toEqual(['[pod/duo/main] main here', '[pod/duo/side] side here']);
  });

  it('logs of a container still being created: the upstream BadRequest', async () => {
    s.ok(['apply', '-f', '-'], { stdin: podYaml('nopull', 'echo hi').replace('busybox:1.36', 'busybox:does-not-exist') });
    await eventually('a pull error', () => /ErrImagePull|ImagePullBackOff/.test(jsonpath('nopull', '{.status.containerStatuses[0].state.waiting.reason}')));
    const r = s.kubectl(['logs', 'nopull']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Error from server \(BadRequest\): container "main" in pod "nopull" is waiting to start: (image can't be pulled|trying and failing to pull image)/);
  });

  it('nginx with readiness and liveness probes on port 80 becomes Ready; a probe on a closed port restarts it', async () => {
    const probes = (port: number) => `apiVersion: v1
kind: Pod
metadata:
  name: web${port}
spec:
  nodeName: kubesim-worker2
  containers:
  - name: web
    image: nginx:1.25
    ports: [{containerPort: 80}]
    readinessProbe: {httpGet: {path: /, port: ${port}}, periodSeconds: 1}
    livenessProbe: {httpGet: {path: /, port: ${port}}, periodSeconds: 1, failureThreshold: 2}
`;
    s.ok(['apply', '-f', '-'], { stdin: probes(80) });
    s.ok(['apply', '-f', '-'], { stdin: probes(81) });
    await eventually('web80 Ready', () => jsonpath('web80', '{.status.conditions[?(@.type=="Ready")].status}') === 'True');
    await eventually('web81 restarted', () => Number(jsonpath('web81', '{.status.containerStatuses[0].restartCount}') || '0') >= 1);
    const events = s.ok(['get', 'events', '--field-selector', 'involvedObject.name=web81', '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}']);
    expect(events).toMatch(/^Unhealthy: Liveness probe failed: Get "http:\/\/10\.244\.2\.\d+:81\/": dial tcp 10\.244\.2\.\d+:81: connect: connection refused$/m);
    expect(events).toContain('Killing: Container web failed liveness probe, will be restarted');
    expect(jsonpath('web81', '{.status.containerStatuses[0].ready}')).toBe('false');
    s.ok(['delete', 'pod', 'web80', 'web81', '--grace-period=1']);
  });

  it('a configMap volume is readable in the container', async () => {
    s.ok(['create', 'configmap', 'greeting', '--from-literal=message=hello from a volume']);
    s.ok(['apply', '-f', '-'], {
      stdin: `apiVersion: v1
kind: Pod
metadata:
  name: reader
spec:
  nodeName: kubesim-worker
  restartPolicy: Never
  containers:
  - name: main
    image: busybox:1.36
    command: ["sh", "-c", "cat /config/message; echo; ls /var/run/secrets/kubernetes.io/serviceaccount"]
    volumeMounts: [{name: config, mountPath: /config}]
  volumes:
  - name: config
    configMap: {name: greeting}
`,
    });
    await eventually('reader Succeeded', () => jsonpath('reader', '{.status.phase}') === 'Succeeded');
    expect(s.ok(['logs', 'reader'])).toBe('hello from a volume\nca.crt\nnamespace\ntoken\n');
    s.ok(['delete', 'pod', 'reader']);
  });

  it('kubectl delete pod finishes (the kubelet completes the deletion)', async () => {
    const t0 = Date.now();
    s.ok(['delete', 'pod', 'ticker', 'crasher', 'duo', 'nopull']);
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(s.kubectl(['get', 'pod', 'ticker']).stderr).toContain('pods "ticker" not found');
  });
});
