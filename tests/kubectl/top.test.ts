/**
 * `kubectl top` against `kubesim serve --fast`: metrics.k8s.io served from the in-process
 * metrics-server (scrapes every 15 s of cluster time; a pod shows after two scrapes). kubectl
 * formats the tables itself; these tests check what it prints from what the API serves.
 */
import { describe, expect, it } from 'vitest';
import { KUBECTL, eventually, table, useServe } from './harness';

const s = useServe();

const PODS = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: nginx, image: "nginx:1.25"}
---
apiVersion: v1
kind: Pod
metadata: {name: redis, labels: {app: redis}}
spec:
  containers:
  - {name: redis, image: "redis:7"}
---
apiVersion: v1
kind: Pod
metadata: {name: sleeper, labels: {app: sleeper}}
spec:
  containers:
  - {name: sleep, image: "busybox:1.36", command: ["sleep", "3600"]}
  - {name: kubia, image: "luksa/kubia:1.0"}
`;

/** How many pods have metrics over a whole scrape interval (not a fresh container's shorter first window). */
function steadyPods(): number {
  const r = s.kubectl(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods']);
  if (r.code !== 0) return 0;
  const items = (JSON.parse(r.stdout) as { items: { window: string }[] }).items;
  return items.filter((i) => parseFloat(i.window) >= 15).length;
}

const milli = (v: string) => Number(/^(\d+)m$/.exec(v)![1]);
const mebi = (v: string) => Number(/^(\d+)Mi$/.exec(v)![1]);

describe('kubectl top', () => {
  it('before two scrapes: metrics not available yet (list) and the podmetrics NotFound (named pod)', async () => {
    s.ok(['apply', '-f', '-'], { stdin: PODS });
    await eventually('pods Running', () => (s.kubectl(['get', 'pods', '--no-headers']).stdout.match(/Running/g) ?? []).length === 4);
    const list = s.kubectl(['top', 'pods']);
    expect(list.code).toBe(1);
    expect(list.stderr).toBe('error: metrics not available yet\n');
    const one = s.kubectl(['top', 'pod', 'redis']);
    expect(one.code).toBe(1);
    expect(one.stderr).toBe('Error from server (NotFound): podmetrics.metrics.k8s.io "default/redis" not found\n');
  });

  it('top nodes: every node with CPU and memory against its allocatable', async () => {
    await eventually('node metrics', () => s.kubectl(['top', 'nodes']).code === 0, 40_000);
    const out = s.ok(['top', 'nodes']);
    const rows = table(out);
    expect(rows[0]).toEqual(['NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)']);
    expect(rows.slice(1).map((r) => r[0])).toEqual(['kubesim-control-plane', 'kubesim-worker', 'kubesim-worker2']);
    for (const r of rows.slice(1)) {
      expect(r[1]).toMatch(/^\d+m$/);
      expect(r[2]).toMatch(/^\d+%$/);
      expect(r[3]).toMatch(/^\d+Mi$/);
      expect(r[4]).toMatch(/^\d+%$/);
      // allocatable: 4 CPUs, 8145280Ki
      expect(Number(r[2].slice(0, -1))).toBe(Math.floor((milli(r[1]) / 4000) * 100));
    }
    const cp = rows[1];
    expect(milli(cp[1])).toBeGreaterThanOrEqual(70);
    expect(milli(cp[1])).toBeLessThanOrEqual(140);
    expect(mebi(cp[3])).toBeGreaterThanOrEqual(490);
    expect(milli(rows[2][1])).toBeGreaterThanOrEqual(20);
    expect(mebi(rows[2][3])).toBeGreaterThanOrEqual(240);
    // one node, a label selector, and the node lister's NotFound
    expect(table(s.ok(['top', 'node', 'kubesim-worker'])).map((r) => r[0])).toEqual(['NAME', 'kubesim-worker']);
    expect(table(s.ok(['top', 'nodes', '-l', 'node-role.kubernetes.io/control-plane'])).map((r) => r[0])).toEqual(['NAME', 'kubesim-control-plane']);
    const missing = s.kubectl(['top', 'node', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('Error from server (NotFound): node "nope" not found\n');
  });

  it('top pods: per pod, --containers, -A, -l, --sort-by, a named pod', async () => {
    // past the first window (a container's first one counts its start-up CPU): every window a full 15 s
    await eventually('steady pod metrics', () => steadyPods() === 4, 50_000);
    const rows = table(s.ok(['top', 'pods']));
    expect(rows[0]).toEqual(['NAME', 'CPU(cores)', 'MEMORY(bytes)']);
    const by = new Map(rows.slice(1).map((r) => [r[0], r]));
    expect([...by.keys()].sort()).toEqual(rows.slice(1).map((r) => r[0]));
    const web = rows.slice(1).filter((r) => r[0].startsWith('web-'));
    expect(web).toHaveLength(2);
    for (const r of web) {
      expect(r[1]).toBe('1m'); // nginx idling
      expect(mebi(r[2])).toBeGreaterThanOrEqual(3);
      expect(mebi(r[2])).toBeLessThanOrEqual(12);
    }
    expect(by.get('redis')![1]).toMatch(/^[12]m$/);
    expect(mebi(by.get('redis')![2])).toBe(3);
    // busybox sleep (0) + kubia (node.js, ~10Mi)
    expect(by.get('sleeper')![1]).toBe('1m');
    expect(mebi(by.get('sleeper')![2])).toBeGreaterThanOrEqual(9);

    const containers = table(s.ok(['top', 'pod', 'sleeper', '--containers']));
    expect(containers[0]).toEqual(['POD', 'NAME', 'CPU(cores)', 'MEMORY(bytes)']);
    expect(containers.slice(1).map((r) => [r[0], r[1], r[2]])).toEqual([
      ['sleeper', 'kubia', '1m'],
      ['sleeper', 'sleep', '0m'],
    ]);
    expect(containers[2][3]).toBe('0Mi');

    const all = table(s.ok(['top', 'pods', '-A']));
    expect(all[0]).toEqual(['NAMESPACE', 'NAME', 'CPU(cores)', 'MEMORY(bytes)']);
    // default's four, and whatever kube-system runs (CoreDNS), sorted by namespace then name
    expect(all.slice(1).filter((r) => r[0] === 'default')).toHaveLength(4);
    expect(all.slice(1).map((r) => `${r[0]}/${r[1]}`)).toEqual(all.slice(1).map((r) => `${r[0]}/${r[1]}`).sort());
    for (const r of all.slice(1)) expect(`${r[2]} ${r[3]}`).toMatch(/^\d+m \d+Mi$/);

    expect(table(s.ok(['top', 'pods', '-l', 'app=web'])).slice(1).map((r) => r[0].replace(/-[a-z0-9]+-[a-z0-9]+$/, ''))).toEqual(['web', 'web']);
    const byMemory = table(s.ok(['top', 'pods', '--sort-by=memory'])).slice(1).map((r) => mebi(r[2]));
    expect(byMemory).toEqual([...byMemory].sort((a, b) => b - a));
    const byCpu = table(s.ok(['top', 'pods', '--sort-by=cpu'])).slice(1).map((r) => milli(r[1]));
    expect(byCpu).toEqual([...byCpu].sort((a, b) => b - a));
    expect(table(s.ok(['top', 'pod', 'redis'])).map((r) => r[0])).toEqual(['NAME', 'redis']);

    const missing = s.kubectl(['top', 'pod', 'nope']);
    expect(missing.stderr).toBe('Error from server (NotFound): pods "nope" not found\n');
    const none = s.kubectl(['top', 'pods', '-n', 'kube-public']);
    expect(none.code).toBe(0);
    expect(none.stderr).toBe('No resources found in kube-public namespace.\n');
  });

  it('get --raw and kubectl get show the objects as metrics-server serves them', () => {
    const raw = JSON.parse(s.ok(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/redis']));
    expect(Object.keys(raw)).toEqual(['kind', 'apiVersion', 'metadata', 'timestamp', 'window', 'containers']);
    expect(raw).toMatchObject({ kind: 'PodMetrics', apiVersion: 'metrics.k8s.io/v1beta1', metadata: { name: 'redis', namespace: 'default', labels: { app: 'redis' } } });
    expect(raw.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(raw.window).toMatch(/^1[0-5](\.\d{1,3})?s$/);
    expect(raw.containers).toHaveLength(1);
    expect(raw.containers[0].usage.cpu).toMatch(/^(\d+n|\d+u|\d+m|0)$/);
    expect(raw.containers[0].usage.memory).toMatch(/^\d+Ki$/);
    const nodes = JSON.parse(s.ok(['get', '--raw', '/apis/metrics.k8s.io/v1beta1/nodes']));
    expect(nodes.kind).toBe('NodeMetricsList');
    expect(nodes.items.map((n: { metadata: { name: string } }) => n.metadata.name)).toEqual(['kubesim-control-plane', 'kubesim-worker', 'kubesim-worker2']);
    const resources = JSON.parse(s.ok(['get', '--raw', '/apis/metrics.k8s.io/v1beta1']));
    expect(resources.resources.map((r: { name: string; kind: string }) => `${r.name}:${r.kind}`)).toEqual(['nodes:NodeMetrics', 'pods:PodMetrics']);
    expect(s.ok(['api-resources', '--api-group=metrics.k8s.io'])).toMatch(/nodes\s+metrics\.k8s\.io\/v1beta1\s+false\s+NodeMetrics\n.*pods\s+metrics\.k8s\.io\/v1beta1\s+true\s+PodMetrics/s);
    const got = table(s.ok(['get', 'podmetrics', 'redis']));
    expect(got[0]).toEqual(['NAME', 'CPU', 'MEMORY', 'WINDOW']);
    expect(got[1][0]).toBe('redis');
  });

  it('kubectl 1.27 and 1.33 find the group through their aggregated discovery', () => {
    const old = table(s.ok(['top', 'nodes'], { bin: KUBECTL.v127 }));
    expect(old[0]).toEqual(['NAME', 'CPU(cores)', 'CPU%', 'MEMORY(bytes)', 'MEMORY%']);
    expect(old).toHaveLength(4);
    const recent = table(s.ok(['top', 'pods', '-l', 'app=redis'], { bin: KUBECTL.v133 }));
    expect(recent.map((r) => r[0])).toEqual(['NAME', 'redis']);
  });
});
