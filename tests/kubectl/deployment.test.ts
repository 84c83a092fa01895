/**
 * Deployments with real kubectl against `kubesim serve --fast`: create, rollout status, get rs,
 * scale, set image, rollout history / undo --to-revision / pause / resume / restart, and a
 * deleted pod coming back. Pods are made Ready by the kubelet when it runs them; where it does
 * not (yet), the test writes what a kubelet would (pods/status: Running, Ready) after a short
 * wait, so the controllers' behaviour is what is checked here.
 */
import { describe, expect, it } from 'vitest';
import { KUBECTL, useServe, table } from './harness';

const s = useServe();

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Obj {
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string>; ownerReferences?: { kind: string; name: string; uid: string; controller?: boolean; blockOwnerDeletion?: boolean }[]; deletionTimestamp?: string; uid: string; generation?: number };
  spec: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  status?: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

function getJson<T = Obj>(args: string[]): T {
  return JSON.parse(s.ok(['get', ...args, '-o', 'json'])) as T;
}

function activePods(selector = 'app=web', ns = 'default'): Obj[] {
  return getJson<{ items: Obj[] }>(['pods', '-l', selector, '-n', ns]).items.filter((p) => !p.metadata.deletionTimestamp);
}

function isReady(p: Obj): boolean {
  return (p.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');
}

/** Pods not Ready after ~1.5 s get the status a kubelet would write. */
async function podsReady(selector = 'app=web', ns = 'default'): Promise<void> {
  for (let i = 0; i < 6; i++) {
    if (activePods(selector, ns).every(isReady)) return;
    await sleep(250);
  }
  for (const p of activePods(selector, ns)) {
    if (isReady(p)) continue;
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const status = { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] } };
    s.kubectl(['patch', 'pod', p.metadata.name, '-n', ns, '--subresource=status', '--type=merge', '-p', JSON.stringify(status)]);
  }
}

/** Plays kubelet until the deployment reports its rollout complete. */
async function rolledOut(name = 'web', ns = 'default', selector = 'app=web'): Promise<Obj> {
  for (let i = 0; i < 80; i++) {
    const d = getJson(['deployment', name, '-n', ns]);
    const st = d.status ?? {};
    const want = d.spec.replicas;
    if ((st.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) && st.updatedReplicas === want && st.replicas === want && st.availableReplicas === want) return d;
    await podsReady(selector, ns);
    await sleep(150);
  }
  throw new Error(`deployment ${name} did not roll out: ${JSON.stringify(getJson(['deployment', name, '-n', ns]).status)}`);
}

function replicaSets(ns = 'default'): Obj[] {
  return getJson<{ items: Obj[] }>(['rs', '-l', 'app=web', '-n', ns]).items.sort((a, b) => Number(a.metadata.annotations?.['deployment.kubernetes.io/revision']) - Number(b.metadata.annotations?.['deployment.kubernetes.io/revision']));
}

describe('Deployments with kubectl', () => {
  let firstRS = '';

  it('$ kubectl create deployment web --image=nginx:1.25 --replicas=3 → a ReplicaSet <deploy>-<hash> and 3 pods', async () => {
    expect(s.ok(['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=3'])).toBe('deployment.apps/web created\n');
    const d = await rolledOut();
    const rss = replicaSets();
    expect(rss).toHaveLength(1);
    const rs = rss[0];
    const hash = rs.metadata.labels?.['pod-template-hash'] ?? '';
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    firstRS = rs.metadata.name;
    expect(firstRS).toBe(`web-${hash}`);
    expect(rs.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(rs.metadata.annotations).toMatchObject({ 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' });
    const pods = activePods();
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      expect(p.metadata.name).toMatch(new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      expect(p.metadata.labels).toEqual({ app: 'web', 'pod-template-hash': hash });
      expect(p.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: firstRS, uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    }
  }, 60_000);

  it('$ kubectl rollout status deployment/web', () => {
    const out = s.ok(['rollout', 'status', 'deployment/web', '--timeout=30s']);
    expect(out.trimEnd().split('\n').at(-1)).toBe('deployment "web" successfully rolled out');
  });

  it('$ kubectl get deploy / get rs', () => {
    expect(table(s.ok(['get', 'deploy']))).toEqual([
      ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
      ['web', '3/3', '3', '3', expect.stringMatching(/^\d+s$/)],
    ]);
    expect(table(s.ok(['get', 'rs']))).toEqual([
      ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'],
      [firstRS, '3', '3', '3', expect.stringMatching(/^\d+s$/)],
    ]);
    const d = getJson(['deployment', 'web']);
    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    expect(d.status?.conditions.map((c: { type: string; status: string; reason: string; message: string }) => [c.type, c.status, c.reason, c.message])).toEqual([
      ['Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'],
      ['Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${firstRS}" has successfully progressed.`],
    ]);
  });

  it('$ kubectl scale deployment web --replicas=5', async () => {
    expect(s.ok(['scale', 'deployment', 'web', '--replicas=5'])).toBe('deployment.apps/web scaled\n');
    await rolledOut();
    expect(table(s.ok(['get', 'deploy', 'web']))[1].slice(0, 4)).toEqual(['web', '5/5', '5', '5']);
    const events = s.ok(['get', 'events', '--field-selector', 'involvedObject.kind=Deployment', '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}']);
    expect(events).toContain(`ScalingReplicaSet: Scaled up replica set ${firstRS} from 0 to 3\n`);
    expect(events).toContain(`ScalingReplicaSet: Scaled up replica set ${firstRS} from 3 to 5\n`);
  }, 60_000);

  it('$ kubectl set image deployment/web nginx=nginx:1.26 → a new ReplicaSet, the old one scaled to 0; rollout history', async () => {
    expect(s.ok(['set', 'image', 'deployment/web', 'nginx=nginx:1.26'])).toBe('deployment.apps/web image updated\n');
    expect(s.ok(['annotate', 'deployment', 'web', 'kubernetes.io/change-cause=image updated to 1.26'])).toBe('deployment.apps/web annotated\n');
    await rolledOut();
    const rss = replicaSets();
    expect(rss.map((r) => [r.metadata.name === firstRS, r.spec.replicas, r.metadata.annotations?.['deployment.kubernetes.io/revision']])).toEqual([
      [true, 0, '1'],
      [false, 5, '2'],
    ]);
    expect(rss[1].metadata.annotations?.['kubernetes.io/change-cause']).toBe('image updated to 1.26');
    expect(activePods().every((p) => p.metadata.name.startsWith(`${rss[1].metadata.name}-`))).toBe(true);
    expect(s.ok(['rollout', 'history', 'deployment/web'])).toBe('deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         image updated to 1.26\n\n');
  }, 90_000);

  it('$ kubectl rollout undo deployment/web --to-revision=1 → the first ReplicaSet again, as revision 3', async () => {
    expect(s.ok(['rollout', 'undo', 'deployment/web', '--to-revision=1'])).toBe('deployment.apps/web rolled back\n');
    await rolledOut();
    const rss = replicaSets();
    expect(rss.map((r) => [r.metadata.name === firstRS, r.spec.replicas, r.metadata.annotations?.['deployment.kubernetes.io/revision'], r.metadata.annotations?.['deployment.kubernetes.io/revision-history']])).toEqual([
      [false, 0, '2', undefined],
      [true, 5, '3', '1'],
    ]);
    expect(s.ok(['rollout', 'history', 'deployment/web'])).toBe('deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         image updated to 1.26\n3         <none>\n\n');
    expect(getJson(['deployment', 'web']).spec.template.spec.containers[0].image).toBe('nginx:1.25');
  }, 90_000);

  it('$ kubectl rollout pause / set image / resume', async () => {
    expect(s.ok(['rollout', 'pause', 'deployment/web'])).toBe('deployment.apps/web paused\n');
    s.ok(['set', 'image', 'deployment/web', 'nginx=nginx:1.27']);
    await sleep(1500);
    expect(replicaSets()).toHaveLength(2);
    const paused = getJson(['deployment', 'web']);
    expect(paused.status?.conditions.find((c: { type: string }) => c.type === 'Progressing')).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' });
    expect(s.ok(['rollout', 'resume', 'deployment/web'])).toBe('deployment.apps/web resumed\n');
    await rolledOut();
    const rss = replicaSets();
    expect(rss).toHaveLength(3);
    expect(rss[2].spec.template.spec.containers[0].image).toBe('nginx:1.27');
  }, 90_000);

  it('$ kubectl rollout restart deployment/web → a new ReplicaSet with the restartedAt template annotation', async () => {
    expect(s.ok(['rollout', 'restart', 'deployment/web'])).toBe('deployment.apps/web restarted\n');
    await rolledOut();
    const rss = replicaSets();
    expect(rss).toHaveLength(4);
    expect(rss[3].spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt']).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(rss[3].metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('5');
  }, 90_000);

  it('$ kubectl delete pod <one of them> → a replacement is created', async () => {
    const before = activePods();
    expect(before).toHaveLength(5);
    const victim = before[0].metadata.name;
    expect(s.ok(['delete', 'pod', victim, '--wait=false'])).toBe(`pod "${victim}" deleted\n`);
    let after: Obj[] = [];
    for (let i = 0; i < 40; i++) {
      after = activePods();
      if (after.length === 5 && !after.some((p) => p.metadata.name === victim)) break;
      await sleep(150);
    }
    expect(after).toHaveLength(5);
    expect(after.map((p) => p.metadata.name)).not.toContain(victim);
    await rolledOut();
    expect(table(s.ok(['get', 'deploy', 'web']))[1].slice(0, 4)).toEqual(['web', '5/5', '5', '5']);
  }, 60_000);
});

describe('rollout status during a rollout', () => {
  it('$ kubectl rollout status prints the upstream progress lines and finishes (pods made ready by the kubelet)', async () => {
    s.ok(['create', 'deployment', 'slow', '--image=nginx:1.25', '--replicas=2']);
    s.ok(['patch', 'deployment', 'slow', '-p', '{"spec":{"minReadySeconds":2}}']);
    await rolledOut('slow', 'default', 'app=slow');
    s.ok(['set', 'image', 'deployment/slow', 'nginx=nginx:1.26']);
    const r = s.kubectl(['rollout', 'status', 'deployment/slow', '--timeout=90s']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('deployment "slow" successfully rolled out');
    const allowed = [
      /^Waiting for deployment spec update to be observed\.\.\.$/,
      /^Waiting for deployment "slow" rollout to finish: [0-2] out of 2 new replicas have been updated\.\.\.$/,
      /^Waiting for deployment "slow" rollout to finish: [1-3] old replicas are pending termination\.\.\.$/,
      /^Waiting for deployment "slow" rollout to finish: [0-2] of 2 updated replicas are available\.\.\.$/,
    ];
    for (const l of lines.slice(0, -1)) expect(allowed.some((re) => re.test(l)), l).toBe(true);
    // minReadySeconds keeps new pods unavailable for 2 s: the rollout is seen in progress.
    expect(lines.length).toBeGreaterThan(1);
  }, 120_000);
});

describe('a rollout that cannot finish', () => {
  it('$ kubectl rollout status waits on available replicas, then reports the exceeded progress deadline', async () => {
    // Pods of an image tag that does not exist never get ready (ErrImagePull; without kubelet: Pending).
    s.ok(['create', 'deployment', 'stuck', '--image=nginx:no-such-tag', '--replicas=2']);
    await sleep(1500);
    const r = s.kubectl(['rollout', 'status', 'deployment/stuck', '--timeout=2s']);
    expect(r.code).toBe(1);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('Waiting for deployment "stuck" rollout to finish: 0 of 2 updated replicas are available...');
    expect(r.stderr).toBe('error: timed out waiting for the condition\n');

    s.ok(['patch', 'deployment', 'stuck', '-p', '{"spec":{"progressDeadlineSeconds":3}}']);
    let cond: { status: string; reason: string; message: string } | undefined;
    for (let i = 0; i < 40 && cond?.reason !== 'ProgressDeadlineExceeded'; i++) {
      await sleep(250);
      cond = getJson(['deployment', 'stuck']).status?.conditions?.find((c: { type: string }) => c.type === 'Progressing');
    }
    const rs = getJson<{ items: Obj[] }>(['rs', '-l', 'app=stuck']).items[0];
    expect(cond).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${rs.metadata.name}" has timed out progressing.` });
    const r2 = s.kubectl(['rollout', 'status', 'deployment/stuck', '--timeout=10s']);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toBe('error: deployment "stuck" exceeded its progress deadline\n');
  }, 60_000);
});

describe('seed 002: kubectl apply of a deployment, scaling and a rolling update by re-applying, rollback', () => {
  const manifest = (replicas: number, image: string, strategy = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-deploy
  labels:
    app: web
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: web
${strategy}  template:
    metadata:
      labels:
        app: web
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: hello-pod
        image: ${image}
        imagePullPolicy: Always
        ports:
        - containerPort: 8080
`;
  const strategy = `  minReadySeconds: 1
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 0
      maxSurge: 1
`;
  const ns = 'seed002';
  const k = (args: string[], stdin?: string) => s.ok([...args, '-n', ns], { stdin });

  it('$ kubectl apply -f deploy.yml; get deploy; get rs', async () => {
    s.ok(['create', 'namespace', ns]);
    expect(k(['apply', '-f', '-'], manifest(3, 'nigelpoulton/getting-started-k8s:1.0'))).toBe('deployment.apps/web-deploy created\n');
    await rolledOut('web-deploy', ns);
    expect(table(k(['get', 'deploy']))[1].slice(0, 4)).toEqual(['web-deploy', '3/3', '3', '3']);
    const rs = table(k(['get', 'rs']));
    expect(rs).toHaveLength(2);
    expect(rs[1][0]).toMatch(/^web-deploy-[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    expect(rs[1].slice(1, 4)).toEqual(['3', '3', '3']);
  }, 60_000);

  it('scaling by re-applying with more replicas', async () => {
    expect(k(['apply', '-f', '-'], manifest(5, 'nigelpoulton/getting-started-k8s:1.0'))).toBe('deployment.apps/web-deploy configured\n');
    await rolledOut('web-deploy', ns);
    expect(activePods('app=web', ns)).toHaveLength(5);
    expect(replicaSets(ns)).toHaveLength(1);
  }, 60_000);

  it('a rolling update by re-applying a new image with maxSurge 1 / maxUnavailable 0 / minReadySeconds', async () => {
    expect(k(['apply', '-f', '-'], manifest(5, 'nigelpoulton/getting-started-k8s:2.0', strategy))).toBe('deployment.apps/web-deploy configured\n');
    // Never more than replicas + maxSurge pods, never fewer than replicas available.
    for (let i = 0; i < 200; i++) {
      const d = getJson(['deployment', 'web-deploy', '-n', ns]);
      const st = d.status ?? {};
      expect(st.replicas ?? 0).toBeLessThanOrEqual(6);
      if ((st.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)) expect(st.availableReplicas ?? 0).toBeGreaterThanOrEqual(5);
      if ((st.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) && st.updatedReplicas === 5 && st.replicas === 5 && st.availableReplicas === 5) break;
      await podsReady('app=web', ns);
      await sleep(150);
    }
    const rss = replicaSets(ns);
    expect(rss.map((r) => [r.spec.replicas, r.spec.template.spec.containers[0].image])).toEqual([
      [0, 'nigelpoulton/getting-started-k8s:1.0'],
      [5, 'nigelpoulton/getting-started-k8s:2.0'],
    ]);
    const rows = table(k(['get', 'rs']));
    expect(rows.slice(1).map((r) => r.slice(1, 4)).sort()).toEqual([
      ['0', '0', '0'],
      ['5', '5', '5'],
    ]);
  }, 120_000);

  it('$ kubectl rollout undo deploy web-deploy --to-revision=1', async () => {
    expect(k(['rollout', 'undo', 'deploy', 'web-deploy', '--to-revision=1'])).toBe('deployment.apps/web-deploy rolled back\n');
    await rolledOut('web-deploy', ns);
    const rss = replicaSets(ns);
    expect(rss.map((r) => [r.spec.replicas, r.spec.template.spec.containers[0].image, r.metadata.annotations?.['deployment.kubernetes.io/revision']])).toEqual([
      [0, 'nigelpoulton/getting-started-k8s:2.0', '2'],
      [5, 'nigelpoulton/getting-started-k8s:1.0', '3'],
    ]);
  }, 120_000);
});

for (const [label, bin, ns] of [
  ['1.27', KUBECTL.v127, 'k127'],
  ['1.33', KUBECTL.v133, 'k133'],
] as const) {
  describe(`rollout commands with kubectl ${label}`, () => {
    const k = (args: string[]) => s.ok([...args, '-n', ns], { bin });

    it('create, set image, rollout status / history / undo / restart', async () => {
      s.ok(['create', 'namespace', ns]);
      expect(k(['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=2'])).toBe('deployment.apps/web created\n');
      await rolledOut('web', ns);
      expect(k(['rollout', 'status', 'deployment/web', '--timeout=30s']).trimEnd().split('\n').at(-1)).toBe('deployment "web" successfully rolled out');
      expect(k(['set', 'image', 'deployment/web', 'nginx=nginx:1.26'])).toBe('deployment.apps/web image updated\n');
      await rolledOut('web', ns);
      expect(k(['rollout', 'history', 'deployment/web'])).toBe('deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n');
      expect(k(['rollout', 'undo', 'deployment/web'])).toBe('deployment.apps/web rolled back\n');
      await rolledOut('web', ns);
      expect(k(['rollout', 'history', 'deployment/web'])).toBe('deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n');
      expect(getJson(['deployment', 'web', '-n', ns]).spec.template.spec.containers[0].image).toBe('nginx:1.25');
      expect(k(['rollout', 'restart', 'deployment/web'])).toBe('deployment.apps/web restarted\n');
      await rolledOut('web', ns);
      expect(replicaSets(ns).map((r) => [r.metadata.annotations?.['deployment.kubernetes.io/revision'], r.spec.replicas])).toEqual([
        ['2', 0],
        ['3', 0],
        ['4', 2],
      ]);
    }, 120_000);
  });
}
