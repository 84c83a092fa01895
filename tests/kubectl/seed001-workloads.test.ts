/**
 * Seed 001 ("A complete Kubernetes tutorial, part II"), its workload commands as typed there
 * against `kubesim serve --fast`: kubectl apply of the frontend and backend Deployments (files in
 * fixtures/seed001 with the tutorial's contents), get deployments / get pods with every pod
 * Running, kubectl logs of the backend (echo's banner) and of the silent frontend, the
 * redis-data claim (Pending under the WaitForFirstConsumer `standard` class, Bound once the redis
 * StatefulSet's pod uses it), get pv with RECLAIM POLICY Delete, the services, and kube-dns in
 * kube-system. The tutorial's second apply changes the Deployment's selector, which a real API
 * server refuses (apps/v1 selectors are immutable): that refusal is checked, then the Deployment is
 * re-created as a user would.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { table, useServe } from './harness';
import { AGE, POD_SUFFIX, TEMPLATE_HASH, WORKERS, getJson, rows, waitFor } from './workloads-helpers';

const FIX = join(__dirname, 'fixtures/seed001');
const s = useServe();

const apply = (file: string) => s.kubectl(['apply', '-f', join(FIX, file)]);

/** Waits until `get pods` lists exactly `n` pods (no terminating ones left), all 1/1 Running; returns the rows. */
function runningPods(n: number): Promise<string[][]> {
  return waitFor(
    `${n} Running pods`,
    () => {
      const r = rows(s, ['pods']);
      return r.length === n + 1 && r.slice(1).every((p) => p[1] === '1/1' && p[2] === 'Running') ? r : undefined;
    },
    30_000,
    () => s.ok(['get', 'pods']),
  );
}

describe('seed 001: deploying the application', () => {
  it('$ kubectl apply -f deploy/frontend/20-deployment.yaml; get deployments → frontend 2/2 2 2', async () => {
    const r = apply('frontend-first.yaml');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('deployment.apps/frontend created\n');
    const row = await waitFor('frontend 2/2', () => {
      const d = rows(s, ['deployments']);
      return d.length === 2 && d[1][1] === '2/2' && d[1][3] === '2' ? d : undefined;
    });
    expect(row[0]).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    expect(row[1].slice(0, 4)).toEqual(['frontend', '2/2', '2', '2']);
    expect(row[1][4]).toMatch(AGE);
  });

  it('$ kubectl get pods → frontend-<hash>-<5>  1/1  Running  0 (twice)', async () => {
    const r = await runningPods(2);
    expect(r[0]).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    for (const [name, ready, status, restarts, age] of r.slice(1)) {
      expect(name).toMatch(new RegExp(`^frontend-${TEMPLATE_HASH}-${POD_SUFFIX}$`));
      expect([ready, status, restarts]).toEqual(['1/1', 'Running', '0']);
      expect(age).toMatch(AGE);
    }
    // Both pods belong to the one ReplicaSet; they are placed on the workers only.
    const pods = getJson(s, ['pods']).items;
    expect(new Set(pods.map((p: { metadata: { ownerReferences: { kind: string; name: string }[] } }) => `${p.metadata.ownerReferences[0].kind}/${p.metadata.ownerReferences[0].name}`)).size).toBe(1);
    for (const p of pods) expect(WORKERS).toContain(p.spec.nodeName);
  });

  it('the final 20-deployment.yaml changes the selector: refused as immutable, so the Deployment is re-created', async () => {
    const r = apply('deploy/frontend/20-deployment.yaml');
    expect(r.code).toBe(1);
    // The selector as Go's %#v prints a metav1.LabelSelector, as field errors show it.
    expect(r.stderr).toBe(
      'The Deployment "frontend" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "service":"nginx"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable\n',
    );
    expect(s.ok(['delete', '-f', join(FIX, 'frontend-first.yaml')])).toBe('deployment.apps "frontend" deleted\n');
    await waitFor('the old pods gone', () => s.ok(['get', 'pods']) === '', 30_000, () => s.ok(['get', 'pods']));
    expect(apply('deploy/frontend/20-deployment.yaml').stdout).toBe('deployment.apps/frontend created\n');
    const r2 = await runningPods(2);
    const d = getJson(s, ['deployment', 'frontend']);
    expect(d.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    for (const [name] of r2.slice(1)) {
      const p = getJson(s, ['pod', name]);
      expect(p.metadata.labels).toEqual({ app: 'web', service: 'nginx', 'pod-template-hash': expect.stringMatching(new RegExp(`^${TEMPLATE_HASH}$`)) });
    }
  });

  it('$ kubectl apply -f deploy/backend/20-deployment.yaml; get pods → 2 backend + 2 frontend Running; get deployments', async () => {
    expect(apply('deploy/backend/20-deployment.yaml').stdout).toBe('deployment.apps/backend created\n');
    const r = await runningPods(4);
    expect(r.slice(1).map((p) => p[0].replace(new RegExp(`-${TEMPLATE_HASH}-${POD_SUFFIX}$`), ''))).toEqual(['backend', 'backend', 'frontend', 'frontend']);
    for (const p of r.slice(1)) expect(p.slice(1, 4)).toEqual(['1/1', 'Running', '0']);
    const d = await waitFor('both 2/2', () => {
      const t = rows(s, ['deployments']);
      return t.length === 3 && t.slice(1).every((x) => x[1] === '2/2' && x[2] === '2' && x[3] === '2') ? t : undefined;
    });
    expect(d.slice(1).map((x) => x.slice(0, 4))).toEqual([
      ['backend', '2/2', '2', '2'],
      ['frontend', '2/2', '2', '2'],
    ]);
    const env = getJson(s, ['deployment', 'backend']).spec.template.spec.containers[0].env;
    expect(env).toEqual([{ name: 'REDIS_URL', value: 'redis:6379' }]);
  });

  it('$ kubectl apply -f deploy/{frontend,backend}/30-service.yaml; get svc', () => {
    expect(apply('deploy/frontend/30-service.yaml').stdout).toBe('service/nginx created\n');
    expect(apply('deploy/backend/30-service.yaml').stdout).toBe('service/app created\n');
    const t = rows(s, ['svc']);
    expect(t[0]).toEqual(['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    const app = t.find((x) => x[0] === 'app')!;
    const nginx = t.find((x) => x[0] === 'nginx')!;
    expect(app[1]).toBe('ClusterIP');
    expect(app[3]).toBe('<none>');
    expect(app[4]).toBe('1323/TCP');
    expect(nginx[1]).toBe('LoadBalancer');
    expect(nginx[4]).toMatch(/^80:3\d{4}\/TCP$/);
  });

  it('$ kubectl logs <frontend pods> → nothing; $ kubectl logs <backend pod> → the echo banner', async () => {
    const pods = getJson(s, ['pods']).items.map((p: { metadata: { name: string } }) => p.metadata.name) as string[];
    for (const fe of pods.filter((n) => n.startsWith('frontend-'))) expect(s.kubectl(['logs', fe])).toEqual({ code: 0, stdout: '', stderr: '' });
    const be = pods.find((n) => n.startsWith('backend-'))!;
    const banner = `
   ____    __
  / __/___/ /  ___
 / _// __/ _ \\/ _ \\
/___/\\__/_//_/\\___/ v3.3.10-dev
High performance, minimalist Go web framework
https://echo.labstack.com
____________________________________O/_______
                                    O\\
⇨ http server started on [::]:1323
`;
    await waitFor('the banner', () => s.ok(['logs', be]).includes('http server started'));
    expect(s.ok(['logs', be])).toBe(banner);
  });
});

describe('seed 001: adding persistence', () => {
  let volume = '';

  it('$ kubectl apply -f deploy/redis/10-persistentvolumeclaim.yaml; get pvc → Pending until a pod uses it (WaitForFirstConsumer)', () => {
    expect(apply('deploy/redis/10-persistentvolumeclaim.yaml').stdout).toBe('persistentvolumeclaim/redis-data created\n');
    const t = rows(s, ['pvc']);
    expect(t[0]).toEqual(['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE']);
    expect(t[1].slice(0, 3)).toEqual(['redis-data', 'Pending', 'standard']);
    const pvc = getJson(s, ['pvc', 'redis-data']);
    expect(pvc.spec.storageClassName).toBe('standard');
    expect(pvc.metadata.labels).toEqual({ service: 'redis' });
  });

  it('$ kubectl apply -f deploy/redis/20-statefulset.yaml → redis-0 Running; the claim Bound to a provisioned volume', async () => {
    expect(apply('deploy/redis/20-statefulset.yaml').stdout).toBe('statefulset.apps/redis created\n');
    const pvcRow = await waitFor('redis-data Bound', () => {
      const t = rows(s, ['pvc']);
      return t[1]?.[1] === 'Bound' ? t[1] : undefined;
    });
    const [name, status, vol, capacity, modes, sc, vac, age] = pvcRow;
    expect([name, status, capacity, modes, sc, vac]).toEqual(['redis-data', 'Bound', '10Gi', 'RWO', 'standard', '<unset>']);
    expect(vol).toMatch(/^pvc-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(age).toMatch(AGE);
    expect(vol).toBe(`pvc-${getJson(s, ['pvc', 'redis-data']).metadata.uid}`);
    volume = vol;
    await waitFor('redis-0 Running', () => rows(s, ['pods', 'redis-0'])[1]?.slice(1, 4).join(' ') === '1/1 Running 0', 30_000, () => s.ok(['get', 'pods']));
    const pod = getJson(s, ['pod', 'redis-0']);
    expect(pod.spec.volumes[0]).toEqual({ name: 'redis-data', persistentVolumeClaim: { claimName: 'redis-data' } });
    expect(pod.spec.containers[0].args).toEqual(['--appendonly', 'no', '--save', '300', '1', '--save', '30', '1000']);
    await waitFor('redis ready', () => s.ok(['logs', 'redis-0']).includes('Ready to accept connections'));
    expect(table(s.ok(['get', 'sts']))[1].slice(0, 2)).toEqual(['redis', '1/1']);
  });

  it('$ kubectl get pv <volume> → 10Gi RWO Delete Bound default/redis-data standard', () => {
    const out = s.ok(['get', 'pv', volume]);
    const [header, line] = out.trimEnd().split('\n');
    expect(header.split(/\s{2,}/)).toEqual(['NAME', 'CAPACITY', 'ACCESS MODES', 'RECLAIM POLICY', 'STATUS', 'CLAIM', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'REASON', 'AGE']);
    const cells = line.split(/\s{2,}/);
    // REASON is empty, so table() would merge its padding: compare by column position instead.
    expect(cells.slice(0, 8)).toEqual([volume, '10Gi', 'RWO', 'Delete', 'Bound', 'default/redis-data', 'standard', '<unset>']);
    expect(line.slice(header.indexOf('REASON'), header.indexOf('AGE')).trim()).toBe('');
    expect(cells.at(-1)).toMatch(AGE);
  });

  it('$ kubectl apply -f deploy/redis/30-service.yaml; get svc -n kube-system → kube-dns', () => {
    expect(apply('deploy/redis/30-service.yaml').stdout).toBe('service/redis created\n');
    const t = rows(s, ['svc', '-n', 'kube-system']);
    expect(t[0]).toEqual(['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
    expect(t[1].slice(0, 5)).toEqual(['kube-dns', 'ClusterIP', '10.96.0.10', '<none>', '53/UDP,53/TCP,9153/TCP']);
  });
});
