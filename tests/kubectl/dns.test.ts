/**
 * Cluster DNS end to end with real kubectl against `kubesim serve --fast`: the CoreDNS Deployment
 * kubeadm/kind creates in kube-system (2 pods `coredns-<hash>-<5>` behind kube-dns 10.96.0.10, the
 * Corefile ConfigMap, the startup log lines), and names resolved inside pods through it with
 * `kubectl exec … nslookup`: services by short name, StatefulSet pods through their headless
 * Service, reverse lookups, and NXDOMAIN for names outside the cluster (no internet).
 */
import { describe, expect, it } from 'vitest';
import { eventually, useServe } from './harness';

const s = useServe();

const PODS = `apiVersion: v1
kind: Pod
metadata:
  name: bb
spec:
  containers:
  - name: bb
    image: busybox:1.36
    command: ["sleep", "3600"]
---
apiVersion: v1
kind: Pod
metadata:
  name: bb128
spec:
  containers:
  - name: bb
    image: busybox:1.28
    command: ["sleep", "3600"]
---
apiVersion: v1
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
  serviceName: "nginx"
  replicas: 2
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
          name: web
`;

const jsonpath = (args: string[], path: string) => s.ok([...args, '-o', `jsonpath=${path}`]);

describe('cluster DNS', () => {
  it('CoreDNS runs in kube-system as kind has it: 2 ready coredns-<hash>-<5> pods behind kube-dns', async () => {
    await eventually(
      'coredns deployment available',
      () => s.kubectl(['get', 'deploy', 'coredns', '-n', 'kube-system', '-o', 'jsonpath={.status.readyReplicas}']).stdout === '2',
      60_000,
    );
    const names = jsonpath(['get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=kube-dns'], '{.items[*].metadata.name}').split(' ');
    expect(names).toHaveLength(2);
    for (const n of names) expect(n).toMatch(/^coredns-[bcdfghjklmnpqrstvwxz2456789]{8,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    const all = s.ok(['get', 'pods', '-A']);
    expect(all.split('\n').filter((l) => /^kube-system\s+coredns-\S+\s+1\/1\s+Running\s+0\s+/.test(l))).toHaveLength(2);
    expect(jsonpath(['get', 'deploy', 'coredns', '-n', 'kube-system'], '{.spec.template.spec.containers[0].image}')).toBe('registry.k8s.io/coredns/coredns:v1.11.3');
    expect(s.ok(['get', 'clusterrolebinding', 'system:coredns', '-o', 'jsonpath={.roleRef.name} {.subjects[0].name}'])).toBe('system:coredns coredns');
    expect(s.ok(['get', 'cm', 'coredns', '-n', 'kube-system', '-o', 'jsonpath={.data.Corefile}'])).toContain('kubernetes cluster.local in-addr.arpa ip6.arpa {\n       pods insecure\n');
    // kube-dns's endpoints are the CoreDNS pods, on both DNS ports
    await eventually('kube-dns endpoints', () => s.kubectl(['get', 'endpoints', 'kube-dns', '-n', 'kube-system', '-o', 'jsonpath={.subsets[0].addresses[*].ip}']).stdout.split(' ').length === 2);
    const logs = s.ok(['logs', '-n', 'kube-system', names[0]!]);
    expect(logs).toMatch(/^\.:53\n\[INFO\] plugin\/reload: Running configuration SHA512 = [0-9a-f]{128}\nCoreDNS-1\.11\.3\nlinux\/amd64, go1\.21\.11, a6338e9\n$/);
  });

  it('setup: busybox pods, a StatefulSet behind a headless Service', async () => {
    s.ok(['apply', '-f', '-'], { stdin: PODS });
    await eventually(
      'pods running and web-0/web-1 ready',
      () => {
        const phases = s.kubectl(['get', 'pods', 'bb', 'bb128', 'web-0', 'web-1', '-o', 'jsonpath={range .items[*]}{.status.phase}{"\\n"}{end}']).stdout.trim().split('\n');
        const eps = s.kubectl(['get', 'endpoints', 'nginx', '-o', 'jsonpath={.subsets[0].addresses[*].hostname}']).stdout.split(' ').filter(Boolean);
        return phases.length === 4 && phases.every((p) => p === 'Running') && eps.length === 2;
      },
      90_000,
    ).catch((e) => {
      console.log('DIAG', s.kubectl(['get', 'pods', '-o', 'wide']).stdout, s.kubectl(['get', 'endpoints', 'nginx', '-o', 'yaml']).stdout, s.kubectl(['get', 'events']).stdout);
      throw e;
    });
  });

  it('$ kubectl exec bb -- nslookup kubernetes → the search list finds kubernetes.default.svc.cluster.local', () => {
    const r = s.kubectl(['exec', 'bb', '--', 'nslookup', 'kubernetes']);
    // busybox 1.36 prints every search domain's answer; the miss for the other domains makes it exit 1
    expect(r.stdout.startsWith('Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n\n')).toBe(true);
    expect(r.stdout).toContain("** server can't find kubernetes.svc.cluster.local: NXDOMAIN\n");
  });

  it('$ kubectl exec bb128 -- nslookup web-0.nginx → the StatefulSet pod (busybox 1.28, as the StatefulSet tutorial)', () => {
    const ip = s.ok(['get', 'pod', 'web-0', '-o', 'jsonpath={.status.podIP}']);
    const r = s.kubectl(['exec', 'bb128', '--', 'nslookup', 'web-0.nginx']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      web-0.nginx\nAddress 1: ${ip} web-0.nginx.default.svc.cluster.local\n`);
    // the headless Service itself answers with both pods
    const both = s.kubectl(['exec', 'bb', '--', 'nslookup', 'nginx.default.svc.cluster.local']);
    const ips = jsonpath(['get', 'pods', '-l', 'app=nginx'], '{.items[*].status.podIP}').split(' ').sort();
    expect([...both.stdout.matchAll(/^Address: (\S+)$/gm)].map((m) => m[1]).sort()).toEqual(ips);
  });

  it('$ kubectl exec bb -- nslookup 10.96.0.10 → kube-dns.kube-system.svc.cluster.local (PTR)', () => {
    const r = s.kubectl(['exec', 'bb', '--', 'nslookup', '10.96.0.10']);
    expect(r).toMatchObject({ code: 0, stdout: 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n10.0.96.10.in-addr.arpa\tname = kube-dns.kube-system.svc.cluster.local\n\n' });
  });

  it('$ kubectl exec bb -- nslookup example.com → NXDOMAIN (no internet)', () => {
    const r = s.kubectl(['exec', 'bb', '--', 'nslookup', 'example.com']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n** server can't find example.com: NXDOMAIN\n\n** server can't find example.com: NXDOMAIN\n\n");
    expect(r.stderr).toBe('command terminated with exit code 1\n');
  });
});
