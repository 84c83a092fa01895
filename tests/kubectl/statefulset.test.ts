/**
 * StatefulSets, volumes and DaemonSets with real kubectl against `kubesim serve --fast`: a
 * StatefulSet with volumeClaimTemplates gets web-0 then web-1 with claims www-web-N Bound to
 * provisioned pvc-<uid> volumes (`get pvc` / `get pv` columns), `rollout status` finishes, a
 * deleted pod comes back with its claim; a claim of the WaitForFirstConsumer `standard` class
 * stays Pending with the event until a pod uses it; a DaemonSet runs one pod per worker, not on
 * the tainted control plane. Pods are made Ready by the kubelet when it runs them; where it does
 * not (yet), the test writes what a kubelet would (pods/status: Running, Ready).
 */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { useServe, table } from './harness';

const s = useServe();

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Obj {
  metadata: { name: string; uid: string; creationTimestamp?: string; labels?: Record<string, string>; annotations?: Record<string, string>; deletionTimestamp?: string; generation?: number };
  spec: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  status?: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

function getJson<T = Obj>(args: string[]): T {
  return JSON.parse(s.ok(['get', ...args, '-o', 'json'])) as T;
}

function pods(selector: string): Obj[] {
  return getJson<{ items: Obj[] }>(['pods', '-l', selector]).items.filter((p) => !p.metadata.deletionTimestamp);
}

function isReady(p: Obj): boolean {
  return (p.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');
}

/** What a kubelet writes for a running, ready pod (used when no kubelet runs pods yet). */
function markReady(name: string): void {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const status = { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] } };
  s.kubectl(['patch', 'pod', name, '--subresource=status', '--type=merge', '-p', JSON.stringify(status)]);
}

/** Waits for `cond`, playing kubelet for pods matching `selector` that stay un-Ready for a while. */
async function until(cond: () => boolean, selector: string | undefined, what: string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    if (cond()) return;
    if (selector && i % 6 === 5) for (const p of pods(selector)) if (!isReady(p)) markReady(p.metadata.name);
    await sleep(150);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const STS = `apiVersion: v1
kind: Service
metadata:
  name: nginx
  labels:
    app: nginx
spec:
  ports:
  - port: 80
    name: web
  clusterIP: None
  selector:
    app: nginx
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: nginx
  serviceName: nginx
  replicas: 2
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        ports:
        - containerPort: 80
          name: web
        volumeMounts:
        - name: www
          mountPath: /usr/share/nginx/html
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: [ "ReadWriteOnce" ]
      resources:
        requests:
          storage: 1Gi
`;

describe('StatefulSets and volumes with kubectl', () => {
  it('$ kubectl get storageclass → standard (default), WaitForFirstConsumer', () => {
    const rows = table(s.ok(['get', 'storageclass']));
    expect(rows[0]).toEqual(['NAME', 'PROVISIONER', 'RECLAIMPOLICY', 'VOLUMEBINDINGMODE', 'ALLOWVOLUMEEXPANSION', 'AGE']);
    expect(rows[1].slice(0, 5)).toEqual(['standard (default)', 'kubesim.io/hostpath', 'Delete', 'WaitForFirstConsumer', 'false']);
  });

  it('a StatefulSet with volumeClaimTemplates: web-0 then web-1, claims Bound to provisioned volumes, rollout status finishes', async () => {
    expect(s.ok(['apply', '-f', '-'], { stdin: STS })).toBe('service/nginx created\nstatefulset.apps/web created\n');
    await until(() => pods('app=nginx').length === 2 && pods('app=nginx').every(isReady), 'app=nginx', 'web-0 and web-1 ready');
    const web0 = getJson(['pod', 'web-0']);
    // OrderedReady: web-1 was created only once web-0 was Running and Ready.
    const web0Ready = (web0.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready').lastTransitionTime as string;
    const web1Created = getJson(['pod', 'web-1']).metadata.creationTimestamp ?? '';
    expect(Date.parse(web1Created)).toBeGreaterThanOrEqual(Date.parse(web0Ready));
    expect(web0.spec.hostname).toBe('web-0');
    expect(web0.spec.subdomain).toBe('nginx');
    expect(web0.spec.volumes[0]).toEqual({ name: 'www', persistentVolumeClaim: { claimName: 'www-web-0' } });
    expect(web0.metadata.labels?.['statefulset.kubernetes.io/pod-name']).toBe('web-0');
    expect(web0.metadata.labels?.['apps.kubernetes.io/pod-index']).toBe('0');

    const rollout = s.kubectl(['rollout', 'status', 'sts/web', '--timeout=30s']);
    expect(rollout.code).toBe(0);
    expect(rollout.stdout.trimEnd().split('\n').at(-1)).toBe('partitioned roll out complete: 2 new pods have been updated...');

    const sts = table(s.ok(['get', 'sts']));
    expect(sts[0]).toEqual(['NAME', 'READY', 'AGE']);
    expect(sts[1].slice(0, 2)).toEqual(['web', '2/2']);

    // Claims: Bound once the scheduler picked nodes (WaitForFirstConsumer) and the provisioner made volumes.
    await until(() => table(s.ok(['get', 'pvc'])).slice(1).filter((r) => r[1] === 'Bound').length === 2, undefined, 'claims Bound');
    const pvc = table(s.ok(['get', 'pvc']));
    expect(pvc[0]).toEqual(['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE']);
    const claims = getJson<{ items: Obj[] }>(['pvc']).items;
    for (const [i, row] of pvc.slice(1).entries()) {
      const c = claims[i];
      expect(row.slice(0, 7)).toEqual([`www-web-${i}`, 'Bound', `pvc-${c.metadata.uid}`, '1Gi', 'RWO', 'standard', '<unset>']);
      expect(c.metadata.annotations?.['volume.kubernetes.io/selected-node']).toMatch(/^kubesim-worker2?$/);
      expect(c.metadata.annotations?.['pv.kubernetes.io/bind-completed']).toBe('yes');
    }
    const pv = table(s.ok(['get', 'pv']));
    expect(pv[0]).toEqual(['NAME', 'CAPACITY', 'ACCESS MODES', 'RECLAIM POLICY', 'STATUS', 'CLAIM', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'REASON', 'AGE']);
    expect(pv.slice(1).map((r) => r.slice(0, 8)).sort()).toEqual(claims.map((c, i) => [`pvc-${c.metadata.uid}`, '1Gi', 'RWO', 'Delete', 'Bound', `default/www-web-${i}`, 'standard', '<unset>']).sort());
    const vol = getJson(['pv', `pvc-${claims[0].metadata.uid}`]);
    expect(vol.spec.hostPath.path).toBe(join(s.dir, 'data', 'volumes', `pvc-${claims[0].metadata.uid}`));
    expect(existsSync(vol.spec.hostPath.path)).toBe(true);
    expect(vol.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0]).toEqual({ key: 'kubernetes.io/hostname', operator: 'In', values: [claims[0].metadata.annotations?.['volume.kubernetes.io/selected-node']] });

    const events = s.ok(['get', 'events', '--field-selector', 'involvedObject.kind=StatefulSet', '-o', 'custom-columns=REASON:.reason,MESSAGE:.message', '--no-headers']);
    expect(events).toContain('create Claim www-web-0 Pod web-0 in StatefulSet web success');
    expect(events).toContain('create Pod web-0 in StatefulSet web successful');
    expect(events).toContain('create Pod web-1 in StatefulSet web successful');

    const revs = table(s.ok(['get', 'controllerrevisions']));
    expect(revs[0]).toEqual(['NAME', 'CONTROLLER', 'REVISION', 'AGE']);
    expect(revs[1].slice(0, 3)).toEqual([getJson(['sts', 'web']).status?.currentRevision, 'statefulset.apps/web', '1']);
  });

  it('$ kubectl delete pod web-0 → web-0 comes back with the same claim', async () => {
    const before = getJson(['pod', 'web-0']).metadata.uid;
    const claimBefore = getJson(['pvc', 'www-web-0']).spec.volumeName;
    expect(s.ok(['delete', 'pod', 'web-0', '--wait=false'])).toBe('pod "web-0" deleted\n');
    await until(() => {
      const p = pods('statefulset.kubernetes.io/pod-name=web-0');
      return p.length === 1 && p[0].metadata.uid !== before && isReady(p[0]);
    }, 'app=nginx', 'web-0 back');
    const web0 = getJson(['pod', 'web-0']);
    expect(web0.spec.volumes[0]).toEqual({ name: 'www', persistentVolumeClaim: { claimName: 'www-web-0' } });
    expect(getJson(['pvc', 'www-web-0']).spec.volumeName).toBe(claimBefore);
    expect(table(s.ok(['get', 'pvc', 'www-web-0']))[1][1]).toBe('Bound');
  });

  it('$ kubectl set image sts/web → rolling update from web-1 down; rollout history and undo', async () => {
    const rev1 = getJson(['sts', 'web']).status?.currentRevision as string;
    expect(s.ok(['set', 'image', 'sts/web', 'nginx=nginx:1.26'])).toBe('statefulset.apps/web image updated\n');
    await until(() => {
      const st = getJson(['sts', 'web']).status ?? {};
      return st.updatedReplicas === 2 && st.readyReplicas === 2 && st.currentRevision === st.updateRevision;
    }, 'app=nginx', 'rolled out');
    const rollout = s.kubectl(['rollout', 'status', 'sts/web', '--timeout=30s']);
    expect(rollout.code).toBe(0);
    expect(rollout.stdout).toContain('partitioned roll out complete: 2 new pods have been updated...');
    const rev2 = getJson(['sts', 'web']).status?.currentRevision as string;
    expect(rev2).not.toBe(rev1);
    expect(pods('app=nginx').map((p) => p.metadata.labels?.['controller-revision-hash'])).toEqual([rev2, rev2]);
    // web-1 (the highest ordinal) was replaced first.
    const deletes = s.ok(['get', 'events', '--field-selector', 'involvedObject.kind=StatefulSet,reason=SuccessfulDelete', '--sort-by=.lastTimestamp', '-o', 'custom-columns=MESSAGE:.message', '--no-headers']);
    expect(deletes.indexOf('delete Pod web-1 in StatefulSet web successful')).toBeLessThan(deletes.indexOf('delete Pod web-0 in StatefulSet web successful'));

    expect(table(s.ok(['rollout', 'history', 'sts/web'])).slice(1)).toEqual([['REVISION', 'CHANGE-CAUSE'], ['1', '<none>'], ['2', '<none>']]);
    expect(s.ok(['rollout', 'undo', 'sts/web'])).toBe('statefulset.apps/web rolled back\n');
    await until(() => {
      const st = getJson(['sts', 'web']).status ?? {};
      return st.updateRevision === rev1 && st.currentRevision === rev1 && st.updatedReplicas === 2 && st.readyReplicas === 2;
    }, 'app=nginx', 'rolled back');
    expect(getJson(['sts', 'web']).spec.template.spec.containers[0].image).toBe('nginx:1.25');
    expect(table(s.ok(['rollout', 'history', 'sts/web'])).slice(1)).toEqual([['REVISION', 'CHANGE-CAUSE'], ['2', '<none>'], ['3', '<none>']]);
  });

  it('a claim of the standard class stays Pending with WaitForFirstConsumer until a pod uses it', async () => {
    const claim = `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  labels:
    service: redis
  name: redis-data
spec:
  accessModes:
  - ReadWriteOnce
  resources:
    requests:
      storage: 10Gi
`;
    expect(s.ok(['apply', '-f', '-'], { stdin: claim })).toBe('persistentvolumeclaim/redis-data created\n');
    await until(() => s.ok(['describe', 'pvc', 'redis-data']).includes('WaitForFirstConsumer'), undefined, 'the event');
    const row = table(s.ok(['get', 'pvc', 'redis-data']))[1];
    expect(row.slice(0, 4)).toEqual(['redis-data', 'Pending', 'standard', '<unset>']);
    const describe = s.ok(['describe', 'pvc', 'redis-data']);
    expect(describe).toMatch(/Normal\s+WaitForFirstConsumer\s+.*\s+persistentvolume-controller\s+waiting for first consumer to be created before binding/);
    expect(describe).toMatch(/Finalizers:\s+\[kubernetes.io\/pvc-protection\]/);

    const pod = `apiVersion: v1
kind: Pod
metadata:
  name: redis
spec:
  containers:
  - name: redis
    image: redis:6.0.3-alpine
    volumeMounts:
    - mountPath: /data
      name: redis-data
  volumes:
  - name: redis-data
    persistentVolumeClaim:
      claimName: redis-data
`;
    s.ok(['apply', '-f', '-'], { stdin: pod });
    await until(() => table(s.ok(['get', 'pvc', 'redis-data']))[1][1] === 'Bound', undefined, 'redis-data Bound');
    const c = getJson(['pvc', 'redis-data']);
    const r = table(s.ok(['get', 'pvc', 'redis-data']))[1];
    expect(r.slice(0, 6)).toEqual(['redis-data', 'Bound', `pvc-${c.metadata.uid}`, '10Gi', 'RWO', 'standard']);
    const pvRow = table(s.ok(['get', 'pv', `pvc-${c.metadata.uid}`]))[1];
    expect(pvRow.slice(0, 7)).toEqual([`pvc-${c.metadata.uid}`, '10Gi', 'RWO', 'Delete', 'Bound', 'default/redis-data', 'standard']);
    const events = s.ok(['get', 'events', '--field-selector', 'involvedObject.name=redis-data', '-o', 'custom-columns=REASON:.reason,MESSAGE:.message', '--no-headers']);
    expect(events).toContain(`Successfully provisioned volume pvc-${c.metadata.uid}`);

    // Reclaim Delete: deleting the pod and the claim removes the volume and its directory.
    const dir = getJson(['pv', `pvc-${c.metadata.uid}`]).spec.hostPath.path as string;
    s.ok(['delete', 'pod', 'redis', '--grace-period=0', '--force']);
    s.ok(['delete', 'pvc', 'redis-data', '--wait=false']);
    await until(() => s.kubectl(['get', 'pv', `pvc-${c.metadata.uid}`]).code !== 0, undefined, 'volume deleted');
    expect(existsSync(dir)).toBe(false);
  });
});

describe('DaemonSets with kubectl', () => {
  it('one pod per worker, none on the tainted control plane; rollout status finishes', async () => {
    const ds = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels:
      app: agent
  template:
    metadata:
      labels:
        app: agent
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: agent
        image: busybox:1.36
        command: ["sh", "-c", "while true; do sleep 3600; done"]
`;
    expect(s.ok(['apply', '-f', '-'], { stdin: ds })).toBe('daemonset.apps/agent created\n');
    await until(() => {
      const d = getJson(['ds', 'agent']);
      return d.status?.numberAvailable === 2;
    }, 'app=agent', 'agent pods available');
    const nodes = pods('app=agent')
      .map((p) => p.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values[0] as string)
      .sort();
    expect(nodes).toEqual(['kubesim-worker', 'kubesim-worker2']);
    const rows = table(s.ok(['get', 'ds']));
    expect(rows[0]).toEqual(['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE']);
    expect(rows[1].slice(0, 7)).toEqual(['agent', '2', '2', '2', '2', '2', '<none>']);
    const rollout = s.kubectl(['rollout', 'status', 'ds/agent', '--timeout=30s']);
    expect(rollout.code).toBe(0);
    expect(rollout.stdout.trimEnd().split('\n').at(-1)).toBe('daemon set "agent" successfully rolled out');
  });

  it('$ kubectl set image ds/agent → one node at a time; rollout history and undo', async () => {
    expect(s.ok(['set', 'image', 'ds/agent', 'agent=busybox:1.37'])).toBe('daemonset.apps/agent image updated\n');
    await until(() => {
      const d = getJson(['ds', 'agent']);
      return (d.status?.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) && d.status?.updatedNumberScheduled === 2 && d.status?.numberAvailable === 2;
    }, 'app=agent', 'agent updated');
    const rollout = s.kubectl(['rollout', 'status', 'ds/agent', '--timeout=30s']);
    expect(rollout.code).toBe(0);
    expect(rollout.stdout.trimEnd().split('\n').at(-1)).toBe('daemon set "agent" successfully rolled out');
    expect(pods('app=agent').map((p) => p.spec.containers[0].image)).toEqual(['busybox:1.37', 'busybox:1.37']);
    expect(table(s.ok(['rollout', 'history', 'ds/agent'])).slice(1)).toEqual([['REVISION', 'CHANGE-CAUSE'], ['1', '<none>'], ['2', '<none>']]);
    expect(s.ok(['rollout', 'undo', 'ds/agent'])).toBe('daemonset.apps/agent rolled back\n');
    await until(() => {
      const d = getJson(['ds', 'agent']);
      return (d.status?.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) && d.status?.updatedNumberScheduled === 2 && d.status?.numberAvailable === 2 && pods('app=agent').every((p) => p.spec.containers[0].image === 'busybox:1.36');
    }, 'app=agent', 'agent rolled back');
    expect(table(s.ok(['rollout', 'history', 'ds/agent'])).slice(1)).toEqual([['REVISION', 'CHANGE-CAUSE'], ['2', '<none>'], ['3', '<none>']]);
  });
});
