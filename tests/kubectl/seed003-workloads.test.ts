/**
 * Seed 003 ("Exploring Kubernetes, Part 2: Pods, Deployments, and Services"), its workload
 * commands as typed there against `kubesim serve --fast` (files in fixtures/seed003): test-pod.yml
 * with nginx:latest Running with an IP (`get pods -o wide` with NOMINATED NODE), delete/create of
 * the two-container version sharing an emptyDir, a pod with env, the labelled webapp/api-server
 * pods filtered with -l, the annotated pod in `describe pod | head`, the NodePort service finding
 * its endpoint, and the test-deployment (3 replicas, then with a liveness probe on nginx's /).
 * `kubectl exec` and curl belong to later issues (exec, network) and are not typed here.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useServe } from './harness';
import { AGE, POD_SUFFIX, TEMPLATE_HASH, WORKERS, getJson, inPodCidr, rows, waitFor } from './workloads-helpers';

const FIX = join(__dirname, 'fixtures/seed003');
const s = useServe();

const file = (f: string) => join(FIX, f);
const WIDE = ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'];

function podCidrs(): Record<string, string> {
  return Object.fromEntries(getJson(s, ['nodes']).items.map((n: { metadata: { name: string }; spec: { podCIDR: string } }) => [n.metadata.name, n.spec.podCIDR]));
}

/** Waits until `kubectl get pod <name>` shows READY `ready` and Running. */
function running(name: string, ready = '1/1'): Promise<string[]> {
  return waitFor(`${name} ${ready} Running`, () => {
    const r = rows(s, ['pod', name]);
    return r[1]?.[1] === ready && r[1][2] === 'Running' ? r[1] : undefined;
  });
}

/** Checks one `get pods -o wide` row: Running 1/1, an IP from its node's pod CIDR on a worker, <none> <none>. */
function checkWideRow(r: string[], name: string): void {
  const [n, ready, status, restarts, age, ip, node, nominated, gates] = r;
  expect([n, ready, status, restarts, nominated, gates]).toEqual([name, '1/1', 'Running', '0', '<none>', '<none>']);
  expect(age).toMatch(AGE);
  expect(WORKERS).toContain(node);
  expect(ip).toMatch(/^10\.244\.\d+\.\d+$/);
  expect(inPodCidr(ip, podCidrs()[node]), `${ip} on ${node}`).toBe(true);
  expect(ip).toBe(getJson(s, ['pod', name]).status.podIP);
}

describe('seed 003: pods', () => {
  it('$ kubectl create -f test-pod.yml; kubectl get pods -o wide → Running with an IP, NOMINATED NODE <none>', async () => {
    expect(s.ok(['create', '-f', file('test-pod.yml')])).toBe('pod/test-pod created\n');
    await running('test-pod');
    const t = rows(s, ['pods', '-o', 'wide']);
    expect(t[0]).toEqual(WIDE);
    expect(t).toHaveLength(2);
    checkWideRow(t[1], 'test-pod');
    const c = getJson(s, ['pod', 'test-pod']).status.containerStatuses[0];
    expect(c).toMatchObject({ name: 'web', image: 'docker.io/library/nginx:latest', ready: true, started: true, restartCount: 0 });
  });

  it('$ kubectl delete -f test-pod.yml; kubectl create -f test-pod.yml (two containers sharing an emptyDir) → 2/2 Running', async () => {
    expect(s.ok(['delete', '-f', file('test-pod.yml')])).toBe('pod "test-pod" deleted\n');
    expect(s.kubectl(['get', 'pod', 'test-pod']).code).toBe(1);
    expect(s.ok(['create', '-f', file('test-pod-shared.yml')])).toBe('pod/test-pod created\n');
    const row = await running('test-pod', '2/2');
    expect(row.slice(0, 4)).toEqual(['test-pod', '2/2', 'Running', '0']);
    const p = getJson(s, ['pod', 'test-pod']);
    expect(p.status.containerStatuses.map((c: { name: string; ready: boolean; state: object }) => [c.name, c.ready, Object.keys(c.state)])).toEqual([
      ['sleep', true, ['running']],
      ['web', true, ['running']],
    ]);
    expect(p.spec.volumes[0]).toEqual({ name: 'shared-directory', emptyDir: {} });
    const describe = s.ok(['describe', 'pod', 'test-pod']);
    expect(describe).toMatch(/^\s+\/var\/tmp\/shared from shared-directory \(rw\)$/m);
    expect(describe).toMatch(/^\s+shared-directory:\n\s+Type:\s+EmptyDir \(a temporary directory that shares a pod's lifetime\)$/m);
    expect(describe).toMatch(/Normal\s+Started\s+\S+\s+kubelet\s+Started container sleep/);
  });

  it('a pod with env (webapp): created and Running, the variable in its spec', async () => {
    expect(s.ok(['create', '-f', file('webapp-env.yml')])).toBe('pod/webapp created\n');
    await running('webapp');
    expect(getJson(s, ['pod', 'webapp']).spec.containers[0].env).toEqual([{ name: 'fromKubernetes', value: 'this value' }]);
    expect(s.ok(['describe', 'pod', 'webapp'])).toMatch(/^\s+Environment:\n\s+fromKubernetes:\s+this value$/m);
    expect(s.ok(['delete', 'pod', 'webapp'])).toBe('pod "webapp" deleted\n');
  });

  it('labels: $ kubectl get pods -o wide -l app=nginx / -l app=nginx,tier=web / -l app=nginx,tier=api', async () => {
    expect(s.ok(['create', '-f', file('pods-labels.yml')])).toBe('pod/webapp created\npod/api-server created\n');
    await running('webapp');
    await running('api-server');
    const all = rows(s, ['pods', '-o', 'wide', '-l', 'app=nginx']);
    expect(all[0]).toEqual(WIDE);
    expect(all.slice(1).map((r) => r[0])).toEqual(['api-server', 'webapp']);
    checkWideRow(all[1], 'api-server');
    checkWideRow(all[2], 'webapp');
    const web = rows(s, ['pods', '-o', 'wide', '-l', 'app=nginx,tier=web']);
    expect(web.map((r) => r[0])).toEqual(['NAME', 'webapp']);
    const api = rows(s, ['pods', '-o', 'wide', '-l', 'app=nginx,tier=api']);
    expect(api.map((r) => r[0])).toEqual(['NAME', 'api-server']);
  });

  it('annotations: $ kubectl describe pod test-pod | head', async () => {
    // busybox's sleep (PID 1) ignores SIGTERM and would hold the pod for its 30 s grace period.
    s.ok(['delete', 'pod', 'test-pod', '--grace-period=1']);
    expect(s.ok(['create', '-f', file('test-pod-annotated.yml')])).toBe('pod/test-pod created\n');
    await running('test-pod');
    const p = getJson(s, ['pod', 'test-pod']);
    const head = s.ok(['describe', 'pod', 'test-pod']).split('\n').slice(0, 10);
    expect(head[0]).toBe('Name:             test-pod');
    expect(head[1]).toBe('Namespace:        default');
    expect(head[2]).toBe('Priority:         0');
    expect(head[3]).toBe('Service Account:  default');
    expect(head[4]).toBe(`Node:             ${p.spec.nodeName}/${p.status.hostIP}`);
    expect(WORKERS).toContain(p.spec.nodeName);
    expect(head[5]).toMatch(/^Start Time:       (Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d \+0000$/);
    expect(head.slice(6)).toEqual([
      'Labels:           <none>',
      'Annotations:      note:',
      '                    this is a really long bit of text.',
      '                    This is a useful place to put a description.',
    ]);
  });

  it('$ kubectl describe service nginx (NodePort 30080) → Endpoints: the webapp pod', async () => {
    expect(s.ok(['create', '-f', file('service-nodeport.yml')])).toBe('service/nginx created\n');
    const ip = getJson(s, ['pod', 'webapp']).status.podIP;
    const out = await waitFor('the endpoint', () => {
      const d = s.ok(['describe', 'service', 'nginx']);
      return /^Endpoints:\s+\S+/m.test(d) ? d : undefined;
    });
    expect(out).toMatch(/^Selector:\s+app=nginx,tier=web$/m);
    expect(out).toMatch(/^Type:\s+NodePort$/m);
    expect(out).toMatch(/^Port:\s+<unset>  80\/TCP$/m);
    expect(out).toMatch(/^TargetPort:\s+80\/TCP$/m);
    expect(out).toMatch(/^NodePort:\s+<unset>  30080\/TCP$/m);
    expect(out).toMatch(new RegExp(`^Endpoints:\\s+${ip.replace(/\./g, '\\.')}:80$`, 'm'));
  });
});

describe('seed 003: deployments', () => {
  const DEPLOY_POD = new RegExp(`^test-deployment-(${TEMPLATE_HASH})-${POD_SUFFIX}$`);

  /** The Deployment's pods once there are exactly 3, all Running 1/1, all from the ReplicaSet with `hash` (any if omitted). */
  function deployPods(hash?: string): Promise<string[][]> {
    return waitFor(
      '3 test-deployment pods Running',
      () => {
        const r = rows(s, ['pods', '-o', 'wide']).slice(1).filter((p) => DEPLOY_POD.test(p[0]));
        return r.length === 3 && r.every((p) => p[1] === '1/1' && p[2] === 'Running' && (!hash || DEPLOY_POD.exec(p[0])![1] === hash)) ? r : undefined;
      },
      30_000,
      () => s.ok(['get', 'pods']),
    );
  }

  let firstHash = '';

  it('test-deployment (3 × nginx:latest): 3/3, pods on both workers', async () => {
    expect(s.ok(['create', '-f', file('test-deployment.yml')])).toBe('deployment.apps/test-deployment created\n');
    const pods = await deployPods();
    for (const p of pods) checkWideRow(p, p[0]);
    expect(new Set(pods.map((p) => p[6]))).toEqual(new Set(WORKERS));
    firstHash = DEPLOY_POD.exec(pods[0][0])![1];
    const d = await waitFor('3/3', () => {
      const t = rows(s, ['deployment', 'test-deployment', '--show-labels']);
      return t[1]?.[1] === '3/3' ? t : undefined;
    });
    expect(d[0]).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'LABELS']);
    expect(d[1].slice(0, 4)).toEqual(['test-deployment', '3/3', '3', '3']);
    expect(d[1][5]).toBe('type=custom');
    // The bare app=nginx pods from before are not adopted.
    expect(getJson(s, ['pod', 'webapp']).metadata.ownerReferences).toBeUndefined();
  });

  it('with a livenessProbe (httpGet / on port 80): rolled out, the probe passes, no restarts', async () => {
    const r = s.kubectl(['apply', '-f', file('test-deployment-liveness.yml')]);
    expect(r.stdout).toBe('deployment.apps/test-deployment configured\n');
    const pods = await deployPods();
    await waitFor('the new ReplicaSet', () => (rows(s, ['pods']).slice(1).filter((p) => DEPLOY_POD.test(p[0])).every((p) => DEPLOY_POD.exec(p[0])![1] !== firstHash) ? true : undefined));
    const now = await deployPods(DEPLOY_POD.exec(rows(s, ['pods']).slice(1).find((p) => DEPLOY_POD.test(p[0]) && DEPLOY_POD.exec(p[0])![1] !== firstHash)![0])![1]);
    expect(pods).toHaveLength(3);
    for (const p of now) {
      const pod = getJson(s, ['pod', p[0]]);
      expect(pod.spec.containers[0].livenessProbe).toEqual({ httpGet: { path: '/', port: 80, scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
      expect(p[3]).toBe('0');
    }
    const events = s.ok(['get', 'events', '--field-selector', 'type=Warning', '-o', 'jsonpath={range .items[*]}{.reason}{" "}{.involvedObject.name}{"\\n"}{end}']);
    expect(events).not.toMatch(/^Unhealthy test-deployment/m);
  });

  it('a failing liveness probe: $ kubectl get events shows Unhealthy (connection refused) and Killing, and the container restarts', async () => {
    expect(s.ok(['create', '-f', file('test-pod-liveness-broken.yml')])).toBe('pod/broken created\n');
    await waitFor('a restart', () => /^[1-9]/.test(rows(s, ['pod', 'broken'])[1]?.[3] ?? ''), 45_000, () => s.ok(['get', 'pod', 'broken']));
    const ip = getJson(s, ['pod', 'broken']).status.podIP;
    const t = rows(s, ['events', '--field-selector', 'involvedObject.name=broken']);
    expect(t[0]).toEqual(['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']);
    const ev = t.slice(1).map((r) => r.slice(1));
    expect(ev).toContainEqual(['Warning', 'Unhealthy', 'pod/broken', `Liveness probe failed: Get "http://${ip}:81/": dial tcp ${ip}:81: connect: connection refused`]);
    expect(ev).toContainEqual(['Normal', 'Killing', 'pod/broken', 'Container web failed liveness probe, will be restarted']);
    s.ok(['delete', 'pod', 'broken', '--grace-period=1']);
  }, 60_000);
});
