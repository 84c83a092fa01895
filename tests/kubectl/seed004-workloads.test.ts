/**
 * Seed 004 (the Kubernetes 201 walkthrough), its workload commands as typed there against
 * `kubesim serve --fast`, with the walkthrough's files kept in fixtures/seed004 (no internet: the
 * https://k8s.io/docs/user-guide/walkthrough/… URLs become those files): a labelled nginx pod,
 * `get pods -l app=nginx`, `delete pod -l app=nginx`; the nginx-deployment of nginx:1.7.9 updated
 * to nginx:1.8 by `kubectl apply` (new pod names, the old pods deleted), `delete deployment`
 * taking its pods along; the nginx-service and its go-template lookups; `kubectl run busybox`
 * (the removed --generator flag refused by kubectl, then a pod that runs to Completed and is
 * deleted); the two health-checked pods running with the API's probe defaults.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useServe } from './harness';
import { AGE, POD_SUFFIX, TEMPLATE_HASH, WORKERS, getJson, rows, waitFor } from './workloads-helpers';

const FIX = join(__dirname, 'fixtures/seed004');
const s = useServe();

const file = (f: string) => join(FIX, f);
const DEPLOY_POD = new RegExp(`^nginx-deployment-(${TEMPLATE_HASH})-${POD_SUFFIX}$`);

/** `kubectl get pods -l app=nginx` once it lists exactly `n` pods, all 1/1 Running (terminating ones gone). */
function nginxPods(n: number, also: (r: string[][]) => boolean = () => true): Promise<string[][]> {
  return waitFor(
    `${n} app=nginx pods Running`,
    () => {
      const r = rows(s, ['pods', '-l', 'app=nginx']);
      return r.length === n + 1 && r.slice(1).every((p) => p[1] === '1/1' && p[2] === 'Running') && also(r) ? r : undefined;
    },
    30_000,
    () => s.kubectl(['get', 'pods', '-l', 'app=nginx']).stdout,
  );
}

describe('seed 004: labels', () => {
  it('$ kubectl create -f pod-nginx-with-label.yaml; kubectl get pods -l app=nginx', async () => {
    expect(s.ok(['create', '-f', file('pod-nginx-with-label.yaml')])).toBe('pod/nginx created\n');
    const r = await nginxPods(1);
    expect(r[0]).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(r[1].slice(0, 4)).toEqual(['nginx', '1/1', 'Running', '0']);
    expect(r[1][4]).toMatch(AGE);
    // Another pod without the label is not listed.
    s.ok(['run', 'other', '--image=nginx', '--labels=app=other']);
    expect(rows(s, ['pods', '-l', 'app=nginx']).map((x) => x[0])).toEqual(['NAME', 'nginx']);
  });

  it('$ kubectl delete pod -l app=nginx → only that pod goes', () => {
    expect(s.ok(['delete', 'pod', '-l', 'app=nginx'])).toBe('pod "nginx" deleted\n');
    const r = s.kubectl(['get', 'pods', '-l', 'app=nginx']);
    expect(r).toEqual({ code: 0, stdout: '', stderr: 'No resources found in default namespace.\n' });
    expect(rows(s, ['pods']).map((x) => x[0])).toEqual(['NAME', 'other']);
    s.ok(['delete', 'pod', 'other', '--wait=false']);
  });
});

describe('seed 004: deployments', () => {
  let oldNames: string[] = [];
  let oldHash = '';

  it('$ kubectl create -f deployment.yaml; kubectl get deployment; kubectl get pods -l app=nginx', async () => {
    expect(s.ok(['create', '-f', file('deployment.yaml')])).toBe('deployment.apps/nginx-deployment created\n');
    const d = await waitFor('nginx-deployment 2/2', () => {
      const t = rows(s, ['deployment']);
      return t[1]?.[1] === '2/2' && t[1][3] === '2' ? t : undefined;
    });
    expect(d[0]).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    expect(d[1].slice(0, 4)).toEqual(['nginx-deployment', '2/2', '2', '2']);
    const pods = await nginxPods(2);
    for (const p of pods.slice(1)) {
      expect(p[0]).toMatch(DEPLOY_POD);
      expect(p.slice(1, 4)).toEqual(['1/1', 'Running', '0']);
    }
    oldNames = pods.slice(1).map((p) => p[0]);
    oldHash = DEPLOY_POD.exec(oldNames[0])![1];
    const pod = getJson(s, ['pod', oldNames[0]]);
    expect(pod.status.containerStatuses[0].image).toBe('docker.io/library/nginx:1.7.9');
    expect(WORKERS).toContain(pod.spec.nodeName);
  });

  it('$ kubectl apply -f deployment-update.yaml → pods with new names, the old ones deleted', async () => {
    const r = s.kubectl(['apply', '-f', file('deployment-update.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('deployment.apps/nginx-deployment configured\n');
    // The Deployment was made by `create`, so apply warns (and patches the annotation in).
    expect(r.stderr).toContain('Warning: resource deployments/nginx-deployment is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply.');
    const pods = await nginxPods(2, (t) => t.slice(1).every((p) => !oldNames.includes(p[0])));
    const newNames = pods.slice(1).map((p) => p[0]);
    for (const n of newNames) {
      const m = DEPLOY_POD.exec(n)!;
      expect(m).not.toBeNull();
      expect(m[1]).not.toBe(oldHash);
      expect(getJson(s, ['pod', n]).status.containerStatuses[0].image).toBe('docker.io/library/nginx:1.8');
    }
    for (const old of oldNames) expect(s.kubectl(['get', 'pod', old]).stderr).toBe(`Error from server (NotFound): pods "${old}" not found\n`);
    const rs = rows(s, ['rs']);
    expect(rs.slice(1).map((x) => [x[0].replace(/-[^-]+$/, ''), x[1]]).sort()).toEqual([
      ['nginx-deployment', '0'],
      ['nginx-deployment', '2'],
    ]);
  });

  it('$ kubectl delete deployment nginx-deployment → its ReplicaSets and pods go too', async () => {
    expect(s.ok(['delete', 'deployment', 'nginx-deployment'])).toBe('deployment.apps "nginx-deployment" deleted\n');
    await waitFor('no app=nginx pods', () => s.kubectl(['get', 'pods', '-l', 'app=nginx']).stderr === 'No resources found in default namespace.\n', 30_000, () => s.ok(['get', 'pods']));
    await waitFor('no ReplicaSets', () => s.ok(['get', 'rs']) === '');
  });
});

describe('seed 004: services and kubectl run busybox', () => {
  let ip = '';
  let port = '';

  it('$ kubectl create -f service.yaml; kubectl get services; the go-template lookups', () => {
    expect(s.ok(['create', '-f', file('service.yaml')])).toBe('service/nginx-service created\n');
    const t = rows(s, ['services']);
    expect(t[0]).toEqual(['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    const row = t.find((x) => x[0] === 'nginx-service')!;
    expect(row.slice(1, 2)).toEqual(['ClusterIP']);
    expect(row.slice(3, 5)).toEqual(['<none>', '8000/TCP']);
    ip = s.ok(['get', 'service', 'nginx-service', '-o', 'go-template={{.spec.clusterIP}}']);
    port = s.ok(['get', 'service', 'nginx-service', '-o', 'go-template={{(index .spec.ports 0).port}}']);
    expect(ip).toBe(row[2]);
    expect(ip).toMatch(/^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/);
    expect(port).toBe('8000');
  });

  it('$ kubectl run busybox --generator=run-pod/v1 … → kubectl no longer has the flag', () => {
    const r = s.kubectl(['run', 'busybox', '--generator=run-pod/v1', '--image=busybox', '--restart=Never', '--env', `SERVICE_IP=${ip}`, '--env', `SERVICE_PORT=${port}`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unknown flag: --generator');
    expect(s.kubectl(['get', 'pod', 'busybox']).code).toBe(1);
  });

  it('$ kubectl run busybox --image=busybox --restart=Never --env … → runs sh, Completed; $ kubectl delete pod busybox', async () => {
    expect(s.ok(['run', 'busybox', '--image=busybox', '--restart=Never', '--env', `SERVICE_IP=${ip}`, '--env', `SERVICE_PORT=${port}`])).toBe('pod/busybox created\n');
    const row = await waitFor('busybox Completed', () => {
      const t = rows(s, ['pod', 'busybox']);
      return t[1]?.[2] === 'Completed' ? t[1] : undefined;
    });
    expect(row.slice(0, 4)).toEqual(['busybox', '0/1', 'Completed', '0']);
    const pod = getJson(s, ['pod', 'busybox']);
    expect(pod.metadata.labels).toEqual({ run: 'busybox' });
    expect(pod.spec.restartPolicy).toBe('Never');
    expect(pod.spec.containers[0].env).toEqual([
      { name: 'SERVICE_IP', value: ip },
      { name: 'SERVICE_PORT', value: port },
    ]);
    expect(pod.status.phase).toBe('Succeeded');
    expect(pod.status.containerStatuses[0].state.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    const describe = s.ok(['describe', 'pod', 'busybox']);
    expect(describe).toMatch(/^Status:\s+Succeeded$/m);
    expect(describe).toMatch(/^\s+State:\s+Terminated\n\s+Reason:\s+Completed\n\s+Exit Code:\s+0$/m);
    expect(s.ok(['delete', 'pod', 'busybox'])).toBe('pod "busybox" deleted\n');
    expect(s.kubectl(['get', 'pod', 'busybox']).stderr).toBe('Error from server (NotFound): pods "busybox" not found\n');
  });

  it('$ kubectl delete service nginx-service', () => {
    expect(s.ok(['delete', 'service', 'nginx-service'])).toBe('service "nginx-service" deleted\n');
  });
});

describe('seed 004: health checking', () => {
  it('pod-with-http-healthcheck.yaml and pod-with-tcp-socket-healthcheck.yaml run, with the probe defaults filled in', async () => {
    expect(s.ok(['create', '-f', file('pod-with-http-healthcheck.yaml')])).toBe('pod/pod-with-http-healthcheck created\n');
    expect(s.ok(['create', '-f', file('pod-with-tcp-socket-healthcheck.yaml')])).toBe('pod/pod-with-tcp-socket-healthcheck created\n');
    for (const name of ['pod-with-http-healthcheck', 'pod-with-tcp-socket-healthcheck']) {
      await waitFor(`${name} Running`, () => rows(s, ['pod', name])[1]?.slice(1, 4).join(' ') === '1/1 Running 0');
    }
    expect(getJson(s, ['pod', 'pod-with-http-healthcheck']).spec.containers[0].livenessProbe).toEqual({
      httpGet: { path: '/_status/healthz', port: 80, scheme: 'HTTP' },
      initialDelaySeconds: 30,
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    });
    expect(getJson(s, ['pod', 'pod-with-tcp-socket-healthcheck']).spec.containers[0].livenessProbe).toEqual({
      tcpSocket: { port: 6379 },
      initialDelaySeconds: 30,
      timeoutSeconds: 1,
      periodSeconds: 10,
      successThreshold: 1,
      failureThreshold: 3,
    });
  });
});
