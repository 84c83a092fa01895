/**
 * Garbage collection cascades, Endpoints/EndpointSlices and drain with PodDisruptionBudgets, with
 * real kubectl against `kubesim serve --fast`: `kubectl delete deployment` (background,
 * --cascade=foreground, --cascade=orphan), seed 002's `describe svc ps-lb` / `describe ep ps-lb`,
 * `get ep`, named target ports, and `kubectl drain` honouring (and waiting on) a PDB.
 */
import { describe, expect, it } from 'vitest';
import { useServe, table } from './harness';

const s = useServe();

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Obj {
  metadata: { name: string; uid: string; deletionTimestamp?: string; ownerReferences?: { kind: string; name: string; uid: string }[]; labels?: Record<string, string> };
  spec: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  status?: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

function items(args: string[]): Obj[] {
  return (JSON.parse(s.ok(['get', ...args, '-o', 'json'])) as { items: Obj[] }).items;
}

function isReady(p: Obj): boolean {
  return (p.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');
}

/** Waits for `n` Ready pods matching the selector (the kubelet runs them; if it is slow, writes what it would). */
async function readyPods(selector: string, n: number): Promise<Obj[]> {
  for (let i = 0; i < 120; i++) {
    const pods = items(['pods', '-l', selector]).filter((p) => !p.metadata.deletionTimestamp);
    if (pods.length === n && pods.every((p) => isReady(p) && p.status?.podIP)) return pods;
    if (i === 40) {
      for (const p of pods.filter((x) => !isReady(x) && x.spec.nodeName)) {
        const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
        const ip = `10.244.${p.spec.nodeName === 'kubesim-worker' ? 1 : 2}.${200 + i}`;
        s.kubectl(['patch', 'pod', p.metadata.name, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] } })]);
      }
    }
    await sleep(150);
  }
  throw new Error(`pods ${selector} not ready: ${s.ok(['get', 'pods', '-l', selector, '-o', 'wide'])}`);
}

async function until(what: string, cond: () => boolean, tries = 100): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (cond()) return;
    await sleep(150);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('garbage collection with kubectl delete', () => {
  it('$ kubectl delete deployment gc-bg → its ReplicaSet and pods go too (background)', async () => {
    s.ok(['create', 'deployment', 'gc-bg', '--image=nginx', '--replicas=2']);
    await readyPods('app=gc-bg', 2);
    expect(items(['rs', '-l', 'app=gc-bg'])).toHaveLength(1);
    expect(s.ok(['delete', 'deployment', 'gc-bg'])).toBe('deployment.apps "gc-bg" deleted\n');
    await until('rs and pods deleted', () => items(['rs', '-l', 'app=gc-bg']).length === 0 && items(['pods', '-l', 'app=gc-bg']).length === 0);
  }, 60_000);

  it('$ kubectl delete deployment gc-fg --cascade=foreground → returns once everything is gone', async () => {
    s.ok(['create', 'deployment', 'gc-fg', '--image=nginx', '--replicas=2']);
    await readyPods('app=gc-fg', 2);
    expect(s.ok(['delete', 'deployment', 'gc-fg', '--cascade=foreground', '--timeout=30s'])).toBe('deployment.apps "gc-fg" deleted\n');
    expect(s.kubectl(['get', 'deployment', 'gc-fg']).stderr).toBe('Error from server (NotFound): deployments.apps "gc-fg" not found\n');
    await until('rs and pods deleted', () => items(['rs', '-l', 'app=gc-fg']).length === 0 && items(['pods', '-l', 'app=gc-fg']).length === 0);
  }, 60_000);

  it('$ kubectl delete deployment gc-orphan --cascade=orphan → the ReplicaSet stays, without its ownerReference, and keeps its pods', async () => {
    s.ok(['create', 'deployment', 'gc-orphan', '--image=nginx', '--replicas=2']);
    const pods = await readyPods('app=gc-orphan', 2);
    expect(s.ok(['delete', 'deployment', 'gc-orphan', '--cascade=orphan'])).toBe('deployment.apps "gc-orphan" deleted\n');
    await until('owner reference removed', () => {
      const rs = items(['rs', '-l', 'app=gc-orphan']);
      return rs.length === 1 && rs[0].metadata.ownerReferences === undefined;
    });
    const rs = items(['rs', '-l', 'app=gc-orphan'])[0];
    const left = items(['pods', '-l', 'app=gc-orphan']).filter((p) => !p.metadata.deletionTimestamp);
    expect(left.map((p) => p.metadata.uid).sort()).toEqual(pods.map((p) => p.metadata.uid).sort());
    expect(left.every((p) => p.metadata.ownerReferences?.[0]?.uid === rs.metadata.uid)).toBe(true);
    s.ok(['delete', 'rs', rs.metadata.name]);
    await until('pods of the deleted rs go', () => items(['pods', '-l', 'app=gc-orphan']).length === 0);
  }, 60_000);
});

describe('Endpoints and EndpointSlices (seed 002)', () => {
  const deploy = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-deploy
  labels:
    app: web
spec:
  replicas: 5
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: hello-pod
        image: nigelpoulton/getting-started-k8s:1.0
        imagePullPolicy: Always
        ports:
        - containerPort: 8080
          name: http
`;
  const svc = `apiVersion: v1
kind: Service
metadata:
  name: ps-lb
spec:
  type: LoadBalancer
  ports:
  - port: 80
    targetPort: http
  selector:
    app: web
`;
  let ips: string[] = [];

  it('$ kubectl describe svc ps-lb → Endpoints lists the pods (named targetPort resolved)', async () => {
    s.ok(['apply', '-f', '-'], { stdin: svc });
    s.ok(['apply', '-f', '-'], { stdin: deploy });
    const pods = await readyPods('app=web', 5);
    ips = pods.map((p) => p.status!.podIP as string);
    // describe prints three endpoints and `+ N more...`.
    let out = '';
    await until('5 endpoints', () => {
      out = s.ok(['describe', 'svc', 'ps-lb']);
      return / \+ 2 more\.\.\.$/m.test(/^Endpoints:.*$/m.exec(out)?.[0] ?? '');
    });
    const shown = /^Endpoints:\s+(\S+) \+ 2 more\.\.\.$/m.exec(out)![1].split(',');
    expect(shown).toHaveLength(3);
    for (const e of shown) expect(ips.map((ip) => `${ip}:8080`)).toContain(e);
    expect(out).toMatch(/^TargetPort:\s+http\/TCP$/m);
  }, 90_000);

  it('$ kubectl get ep ps-lb / describe ep ps-lb → the Addresses are the IPs of the 5 replicas', () => {
    const rows = table(s.ok(['get', 'ep', 'ps-lb']));
    expect(rows[0]).toEqual(['NAME', 'ENDPOINTS', 'AGE']);
    expect(rows[1][0]).toBe('ps-lb');
    expect(rows[1][1]).toMatch(/^(\d+\.\d+\.\d+\.\d+:8080,){2}\d+\.\d+\.\d+\.\d+:8080 \+ 2 more\.\.\.$/);
    const out = s.ok(['describe', 'ep', 'ps-lb']);
    expect(out).toMatch(/^Name:\s+ps-lb$/m);
    expect(out).toMatch(/^Annotations:\s+endpoints\.kubernetes\.io\/last-change-trigger-time: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/m);
    const addrs = /^\s+Addresses:\s+(\S+)$/m.exec(out)![1].split(',');
    expect(addrs.sort()).toEqual([...ips].sort());
    expect(out).toMatch(/^\s+NotReadyAddresses:\s+<none>$/m);
    expect(out).toMatch(/^\s+<unset>\s+8080\s+TCP$/m);
  });

  it('$ kubectl get endpointslices -l kubernetes.io/service-name=ps-lb', () => {
    const rows = table(s.ok(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=ps-lb']));
    expect(rows[0]).toEqual(['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE']);
    expect(rows).toHaveLength(2);
    expect(rows[1][0]).toMatch(/^ps-lb-[a-z0-9]{5}$/);
    expect(rows[1].slice(1, 3)).toEqual(['IPv4', '8080']);
    expect(rows[1][3]).toMatch(/ \+ 2 more\.\.\.$/);
  });

  it('a deleted pod leaves the endpoints and its replacement joins', async () => {
    const victim = items(['pods', '-l', 'app=web'])[0];
    s.ok(['delete', 'pod', victim.metadata.name]);
    const pods = await readyPods('app=web', 5);
    const now = pods.map((p) => p.status!.podIP as string).sort();
    await until('endpoints follow', () => {
      const ep = JSON.parse(s.ok(['get', 'ep', 'ps-lb', '-o', 'json'])) as { subsets?: { addresses?: { ip: string }[] }[] };
      return JSON.stringify((ep.subsets?.[0]?.addresses ?? []).map((a) => a.ip).sort()) === JSON.stringify(now);
    });
    s.ok(['delete', 'deployment', 'web-deploy']);
    await until('pods gone', () => items(['pods', '-l', 'app=web']).length === 0);
    s.ok(['delete', 'svc', 'ps-lb']);
    await until('endpoints and slices go with the service', () => s.kubectl(['get', 'ep', 'ps-lb']).code !== 0 && items(['endpointslices', '-l', 'kubernetes.io/service-name=ps-lb']).length === 0);
  }, 90_000);
});

describe('kubectl drain with a PodDisruptionBudget', () => {
  it('$ kubectl drain kubesim-worker --ignore-daemonsets --delete-emptydir-data succeeds when the budget allows', async () => {
    s.ok(['create', 'deployment', 'dr', '--image=nginx', '--replicas=4']);
    s.ok(['create', 'pdb', 'dr', '--selector=app=dr', '--min-available=2']);
    await readyPods('app=dr', 4);
    await until('pdb computed', () => (JSON.parse(s.ok(['get', 'pdb', 'dr', '-o', 'json'])) as Obj).status?.currentHealthy === 4);
    expect(table(s.ok(['get', 'pdb', 'dr']))).toEqual([
      ['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE'],
      ['dr', '2', 'N/A', '2', expect.stringMatching(/^\d+s$/)],
    ]);
    const r = s.kubectl(['drain', 'kubesim-worker', '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=60s']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^node\/kubesim-worker cordoned$/m);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('node/kubesim-worker drained');
    const onWorker = items(['pods', '-l', 'app=dr']).filter((p) => p.spec.nodeName === 'kubesim-worker' && !p.metadata.deletionTimestamp);
    expect(onWorker).toEqual([]);
    expect(table(s.ok(['get', 'node', 'kubesim-worker']))[1][1]).toBe('Ready,SchedulingDisabled');
    const node = JSON.parse(s.ok(['get', 'node', 'kubesim-worker', '-o', 'json'])) as Obj;
    expect(node.spec.taints).toContainEqual({ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' });
    await readyPods('app=dr', 4);
  }, 120_000);

  it('a budget that allows no disruption makes drain retry with the 429 message until it times out', async () => {
    s.ok(['uncordon', 'kubesim-worker']);
    s.ok(['delete', 'pdb', 'dr']);
    s.ok(['create', 'pdb', 'dr-strict', '--selector=app=dr', '--min-available=4']);
    // Put pods back on the worker: move one from worker2.
    const onWorker2 = items(['pods', '-l', 'app=dr']).filter((p) => p.spec.nodeName === 'kubesim-worker2');
    s.ok(['cordon', 'kubesim-worker2']);
    s.ok(['delete', 'pod', onWorker2[0].metadata.name]);
    await readyPods('app=dr', 4);
    s.ok(['uncordon', 'kubesim-worker2']);
    await until('strict pdb computed', () => {
      const st = (JSON.parse(s.ok(['get', 'pdb', 'dr-strict', '-o', 'json'])) as Obj).status;
      return st?.currentHealthy === 4 && st.disruptionsAllowed === 0;
    });
    const r = s.kubectl(['drain', 'kubesim-worker', '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=7s']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/error when evicting pods\/"dr-[a-z0-9]+-[a-z0-9]+" -n "default" \(will retry after 5s\): Cannot evict pod as it would violate the pod's disruption budget\./);
    expect(items(['pods', '-l', 'app=dr']).filter((p) => p.metadata.deletionTimestamp)).toEqual([]);
    s.ok(['uncordon', 'kubesim-worker']);
  }, 60_000);
});

describe('aggregated events', () => {
  it('$ kubectl describe pdb lonely → repeated NoPods events show as one line (xN over …)', async () => {
    s.ok(['create', 'pdb', 'lonely', '--selector=app=nobody', '--max-unavailable=1']);
    for (const v of ['a', 'b', 'c']) {
      s.ok(['label', 'pdb', 'lonely', `touch=${v}`, '--overwrite']);
      await sleep(300);
    }
    let out = '';
    await until('aggregated NoPods', () => {
      out = s.ok(['describe', 'pdb', 'lonely']);
      return /NoPods/.test(out);
    });
    const lines = out.split('\n').filter((l) => l.includes('NoPods'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\s+Normal\s+NoPods\s+\d+s \(x[2-9] over \d+s\)\s+controllermanager\s+No matching pods found$/);
    const ev = JSON.parse(s.ok(['get', 'events', '--field-selector', 'involvedObject.name=lonely,reason=NoPods', '-o', 'json'])) as { items: { count: number }[] };
    expect(ev.items).toHaveLength(1);
    expect(ev.items[0].count).toBeGreaterThanOrEqual(4);
  }, 30_000);
});
