/**
 * Seed 000 ("Running your first application on Kubernetes"), its commands as typed there, with
 * kubectl 1.32 (default), 1.27 and 1.33: create deployment, get deployments (0/1, then 1/1 once
 * the kubelet runs the pod), get containers, get pods (`kubia-<hash>-<5>  1/1  Running  0`),
 * describe pod (the events of listing 3.12, in that order), expose as a LoadBalancer, get svc,
 * scale to 3 (3/3, three Running pods), get pods -o wide (pod IPs from the nodes' 10.244.x.0/24,
 * spread over both workers, never on the control plane). The load balancer's address comes from
 * the network, so that cell is checked against the Service's own status.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { KUBECTL, table, useServe } from './harness';
import { AGE, POD_SUFFIX, TEMPLATE_HASH, WORKERS, describeEvents, getJson, inPodCidr, waitFor } from './workloads-helpers';

const s = useServe();

/** 10.96.0.0/12: 10.96.0.0 – 10.111.255.255. */
function inServiceCidr(ip: string): boolean {
  const m = /^10\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  return !!m && Number(m[1]) >= 96 && Number(m[1]) <= 111 && Number(m[2]) <= 255 && Number(m[3]) <= 255;
}

for (const [label, bin, ns] of [
  ['1.32', KUBECTL.default, 'default'],
  ['1.27', KUBECTL.v127, 'seed127'],
  ['1.33', KUBECTL.v133, 'seed133'],
] as const) {
  describe(`seed 000 with kubectl ${label}`, () => {
    const k = (args: string[]) => s.kubectl(ns === 'default' ? args : [...args, '-n', ns], { bin });
    const ok = (args: string[]) => {
      const r = k(args);
      if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}${r.stdout}`);
      return r.stdout;
    };

    beforeAll(() => {
      if (ns !== 'default') s.ok(['create', '-f', '-'], { stdin: `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n` });
    });

    it('$ kubectl create deployment kubia --image=luksa/kubia:1.0', () => {
      const r = k(['create', 'deployment', 'kubia', '--image=luksa/kubia:1.0']);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('deployment.apps/kubia created\n');
    });

    it('$ kubectl get deployments → 0/1 while the pod starts, then kubia 1/1 1 1', async () => {
      const rows = table(ok(['get', 'deployments']));
      expect(rows[0]).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
      expect(rows).toHaveLength(2);
      const [name, ready, upToDate, available, age] = rows[1];
      expect(name).toBe('kubia');
      // The first look may catch it before the pod is ready (the seed's `0/1 1 0`): the cells
      // must be what the Deployment's status says at that moment.
      expect(ready).toMatch(/^[01]\/1$/);
      expect(upToDate).toMatch(/^[01]$/);
      expect(available).toBe(ready === '1/1' ? '1' : '0');
      expect(age).toMatch(AGE);
      const d = JSON.parse(ok(['get', 'deployment', 'kubia', '-o', 'json']));
      expect(d.spec.replicas).toBe(1);
      expect(d.spec.template.spec.containers).toEqual([expect.objectContaining({ name: 'kubia', image: 'luksa/kubia:1.0' })]);
      const settled = await waitFor('kubia 1/1', () => {
        const r = table(ok(['get', 'deployments']))[1];
        return r[1] === '1/1' && r[3] === '1' ? r : undefined;
      });
      expect(settled.slice(0, 4)).toEqual(['kubia', '1/1', '1', '1']);
      expect(settled[4]).toMatch(AGE);
    });

    it('$ kubectl get containers', () => {
      const r = k(['get', 'containers']);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('error: the server doesn\'t have a resource type "containers"\n');
    });

    let firstPod = '';
    let hash = '';

    it('$ kubectl get pods → kubia-<hash>-<5>  1/1  Running  0', async () => {
      const rs = JSON.parse(ok(['get', 'rs', '-l', 'app=kubia', '-o', 'json'])).items;
      expect(rs).toHaveLength(1);
      hash = rs[0].metadata.labels['pod-template-hash'];
      expect(hash).toMatch(new RegExp(`^${TEMPLATE_HASH}$`));
      expect(rs[0].metadata.name).toBe(`kubia-${hash}`);
      const rows = await waitFor('the pod Running', () => {
        const r = table(ok(['get', 'pods']));
        return r.length === 2 && r[1][2] === 'Running' ? r : undefined;
      });
      expect(rows[0]).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
      const [name, ready, status, restarts, age] = rows[1];
      expect(name).toMatch(new RegExp(`^kubia-${hash}-${POD_SUFFIX}$`));
      expect([ready, status, restarts]).toEqual(['1/1', 'Running', '0']);
      expect(age).toMatch(AGE);
      firstPod = name;
    });

    it('$ kubectl describe pod → the events of listing 3.12: Scheduled, Pulling, Pulled, Created, Started', () => {
      const out = ok(['describe', 'pod', firstPod]);
      const node = JSON.parse(ok(['get', 'pod', firstPod, '-o', 'json'])).spec.nodeName;
      expect(WORKERS).toContain(node);
      const events = describeEvents(out);
      const header = out.slice(out.indexOf('\nEvents:') + 1).split('\n').slice(1, 3).map((l) => l.trim().split(/\s+/));
      expect(header).toEqual([
        ['Type', 'Reason', 'Age', 'From', 'Message'],
        ['----', '------', '----', '----', '-------'],
      ]);
      const mine = `${ns}/${firstPod}`;
      // The first pod pulls the image; a node that already has it (a later namespace) says so instead.
      const pulled = events.find((e) => e[1] === 'Pulled')?.[4] ?? '';
      const fresh = pulled.startsWith('Successfully pulled');
      expect(events.map((e) => [e[0], e[1], e[3], e[4]])).toEqual([
        ['Normal', 'Scheduled', 'default-scheduler', `Successfully assigned ${mine} to ${node}`],
        ...(fresh ? [['Normal', 'Pulling', 'kubelet', 'Pulling image "luksa/kubia:1.0"']] : []),
        ['Normal', 'Pulled', 'kubelet', pulled],
        ['Normal', 'Created', 'kubelet', 'Created container kubia'],
        ['Normal', 'Started', 'kubelet', 'Started container kubia'],
      ]);
      if (ns === 'default') expect(fresh).toBe(true);
      expect(pulled).toMatch(/^(Successfully pulled image "luksa\/kubia:1\.0" in [\d.]+(ns|µs|ms|s) \([\d.]+(ns|µs|ms|s) including waiting\)\. Image size: \d+ bytes\.|Container image "luksa\/kubia:1\.0" already present on machine)$/);
      for (const e of events) expect(e[2]).toMatch(AGE);
      expect(out).toMatch(/^Status:\s+Running$/m);
      expect(out).toMatch(new RegExp(`^Node:\\s+${node}/\\d+\\.\\d+\\.\\d+\\.\\d+$`, 'm'));
    });

    it('$ kubectl expose deployment kubia --type=LoadBalancer --port 8080', () => {
      const r = k(['expose', 'deployment', 'kubia', '--type=LoadBalancer', '--port', '8080']);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('service/kubia exposed\n');
    });

    it('$ kubectl get svc', () => {
      const rows = table(ok(['get', 'svc']));
      expect(rows[0]).toEqual(['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE']);
      if (ns === 'default') expect(rows[1].slice(0, 5)).toEqual(['kubernetes', 'ClusterIP', '10.96.0.1', '<none>', '443/TCP']);
      const row = rows.find((r) => r[0] === 'kubia')!;
      expect(row).toBeDefined();
      const svc = JSON.parse(ok(['get', 'svc', 'kubia', '-o', 'json']));
      expect(svc.spec.type).toBe('LoadBalancer');
      expect(svc.spec.selector).toEqual({ app: 'kubia' });
      expect(svc.spec.ports).toEqual([expect.objectContaining({ port: 8080, targetPort: 8080, protocol: 'TCP' })]);
      const nodePort = svc.spec.ports[0].nodePort;
      expect(nodePort).toBeGreaterThanOrEqual(30000);
      expect(nodePort).toBeLessThanOrEqual(32767);

      expect(row[1]).toBe('LoadBalancer');
      expect(inServiceCidr(row[2]), row[2]).toBe(true);
      expect(row[2]).toBe(svc.spec.clusterIP);
      const ingress: { ip?: string; hostname?: string }[] = svc.status?.loadBalancer?.ingress ?? [];
      // <pending> until a load balancer is assigned; then its address (kubesim: 127.0.0.1).
      expect(row[3]).toBe(ingress.length ? ingress.map((i) => i.ip ?? i.hostname).join(',') : '<pending>');
      expect(row[3]).toMatch(/^(<pending>|127\.0\.0\.1)$/);
      expect(row[4]).toBe(`8080:${nodePort}/TCP`);
      expect(row[5]).toMatch(/^\d+s$/);

      const one = table(ok(['get', 'svc', 'kubia']));
      expect(one).toHaveLength(2);
      expect(one[1].slice(0, 5)).toEqual(row.slice(0, 5));
    });

    it('$ kubectl scale deployment kubia --replicas=3 → kubia 3/3 3 3', async () => {
      expect(ok(['scale', 'deployment', 'kubia', '--replicas=3'])).toBe('deployment.apps/kubia scaled\n');
      expect(JSON.parse(ok(['get', 'deployment', 'kubia', '-o', 'json'])).spec.replicas).toBe(3);
      const row = await waitFor('kubia 3/3', () => {
        const r = table(ok(['get', 'deploy']))[1];
        return r[1] === '3/3' && r[3] === '3' ? r : undefined;
      });
      expect(row.slice(0, 4)).toEqual(['kubia', '3/3', '3', '3']);
      expect(row[4]).toMatch(AGE);
    });

    it('$ kubectl get pods → three pods, 1/1 Running 0, the first one among them', async () => {
      const rows = await waitFor('three Running pods', () => {
        const r = table(ok(['get', 'pods']));
        return r.length === 4 && r.slice(1).every((p) => p[2] === 'Running') ? r : undefined;
      });
      expect(rows[0]).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
      for (const [name, ready, status, restarts, age] of rows.slice(1)) {
        expect(name).toMatch(new RegExp(`^kubia-${hash}-${POD_SUFFIX}$`));
        expect([ready, status, restarts]).toEqual(['1/1', 'Running', '0']);
        expect(age).toMatch(AGE);
      }
      // Sorted by name, as kubectl lists them; the pod from before the scale-out is still there.
      const names = rows.slice(1).map((r) => r[0]);
      expect([...names].sort()).toEqual(names);
      expect(names).toContain(firstPod);
    });

    it('$ kubectl get pods -o wide → pod IPs in 10.244.x.y of their node, spread over both workers', () => {
      const rows = table(ok(['get', 'pods', '-o', 'wide']));
      expect(rows[0]).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
      expect(rows).toHaveLength(4);
      const cidrs = Object.fromEntries(getJson(s, ['nodes']).items.map((n: { metadata: { name: string }; spec: { podCIDR: string } }) => [n.metadata.name, n.spec.podCIDR]));
      const ips = new Set<string>();
      for (const r of rows.slice(1)) {
        const [, ready, status, , , ip, node, nominated, gates] = r;
        expect([ready, status, nominated, gates]).toEqual(['1/1', 'Running', '<none>', '<none>']);
        expect(ip).toMatch(/^10\.244\.\d+\.\d+$/);
        expect(WORKERS).toContain(node);
        expect(inPodCidr(ip, cidrs[node]), `${ip} in ${cidrs[node]}`).toBe(true);
        ips.add(ip);
      }
      expect(ips.size).toBe(3);
      const nodes = rows.slice(1).map((r) => r[6]);
      expect(new Set(nodes)).toEqual(new Set(WORKERS));
      expect(nodes).not.toContain('kubesim-control-plane');
    });
  });
}
