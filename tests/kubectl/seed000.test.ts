/**
 * Seed 000 ("Running your first application on Kubernetes"), its first commands as typed there,
 * with kubectl 1.32 (default), 1.27 and 1.33: create deployment, get deployments, get containers,
 * expose as a LoadBalancer, get svc, scale. Pods, readiness and the load balancer's address come
 * from controllers and the network, so the table cells are checked against the objects' own
 * status: what `get` prints must be what the server holds, whichever stage it has reached.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBECTL, Serve, table } from './harness';

let s: Serve;

beforeAll(async () => {
  s = new Serve();
  await s.start();
});
afterAll(async () => {
  await s?.stop();
  s?.cleanup();
});

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

    it('$ kubectl get deployments', () => {
      const rows = table(ok(['get', 'deployments']));
      expect(rows[0]).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
      expect(rows).toHaveLength(2);
      const [name, ready, upToDate, available, age] = rows[1];
      expect(name).toBe('kubia');
      const d = JSON.parse(ok(['get', 'deployment', 'kubia', '-o', 'json']));
      expect(d.spec.replicas).toBe(1);
      expect(d.spec.template.spec.containers).toEqual([expect.objectContaining({ name: 'kubia', image: 'luksa/kubia:1.0' })]);
      expect(ready).toBe(`${d.status?.readyReplicas ?? 0}/1`);
      expect(upToDate).toBe(String(d.status?.updatedReplicas ?? 0));
      expect(available).toBe(String(d.status?.availableReplicas ?? 0));
      expect(age).toMatch(/^\d+s$/);
    });

    it('$ kubectl get containers', () => {
      const r = k(['get', 'containers']);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('error: the server doesn\'t have a resource type "containers"\n');
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

    it('$ kubectl scale deployment kubia --replicas=3', () => {
      expect(ok(['scale', 'deployment', 'kubia', '--replicas=3'])).toBe('deployment.apps/kubia scaled\n');
      const rows = table(ok(['get', 'deploy']));
      const d = JSON.parse(ok(['get', 'deployment', 'kubia', '-o', 'json']));
      expect(d.spec.replicas).toBe(3);
      expect(rows[1][0]).toBe('kubia');
      expect(rows[1][1]).toBe(`${d.status?.readyReplicas ?? 0}/3`);
    });
  });
}
