/**
 * kubectl 1.32 (/usr/bin/kubectl) and 1.33 send typed-client writes (`kubectl create deployment`,
 * `create configmap`, `autoscale`, ...) as `Content-Type: application/vnd.kubernetes.protobuf`.
 * Each command here must succeed, print what a real cluster prints, and the object read back
 * must hold exactly what was asked for (so the protobuf body was decoded field for field).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBECTL, Serve } from './harness';

let s: Serve;
let files: string;
const BINARY = Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80, 10]);

beforeAll(async () => {
  s = new Serve();
  await s.start();
  files = mkdtempSync(join(tmpdir(), 'kubesim-pb-'));
  writeFileSync(join(files, 'bin'), BINARY);
});
afterAll(async () => {
  await s?.stop();
  s?.cleanup();
  if (files) rmSync(files, { recursive: true, force: true });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON read back from kubectl
type Obj = Record<string, any>;

const VERSIONS = [
  { label: '1.32', bin: KUBECTL.default, suffix: '132' },
  { label: '1.33', bin: KUBECTL.v133, suffix: '133' },
];

/** The response status kubectl -v=6 logged for a request (1.32: `POST url 201 Created`; 1.33: `verb="POST" url="..." status="201 Created"`). */
function requested(log: string, verb: string, pathSuffix: string): string | undefined {
  for (const line of log.split('\n')) {
    const a = /\b([A-Z]+) (https:\/\/\S+) (\d{3}.*?) in \d+ milliseconds/.exec(line);
    const b = /verb="([A-Z]+)" url="([^"]+)" status="([^"]+)"/.exec(line);
    const m = a ?? b;
    if (m && m[1] === verb && m[2].split('?')[0].endsWith(pathSuffix)) return m[3];
  }
  return undefined;
}

for (const v of VERSIONS) {
  describe(`kubectl ${v.label} protobuf request bodies`, () => {
    const ns = `pb-${v.suffix}`;
    const run = (args: string[]): string => s.ok(args, { bin: v.bin });
    const get = (args: string[]): Obj => JSON.parse(run(['get', ...args, '-o', 'json'])) as Obj;

    it('sends protobuf (so these tests exercise the decoder) and creates a namespace', () => {
      const r = s.kubectl(['create', 'namespace', ns, '-v=8'], { bin: v.bin });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('Content-Type: application/vnd.kubernetes.protobuf');
      expect(r.stdout.trim()).toBe(`namespace/${ns} created`);
      const o = get(['namespace', ns]);
      expect(o.metadata.name).toBe(ns);
      expect(o.status.phase).toBe('Active');
    });

    it('create deployment kubia --image=luksa/kubia:1.0', () => {
      expect(run(['create', 'deployment', 'kubia', '--image=luksa/kubia:1.0', '-n', ns]).trim()).toBe('deployment.apps/kubia created');
      const d = get(['deploy', 'kubia', '-n', ns]);
      expect(d.metadata.labels).toEqual({ app: 'kubia' });
      expect(d.spec.replicas).toBe(1);
      expect(d.spec.selector).toEqual({ matchLabels: { app: 'kubia' } });
      expect(d.spec.template.metadata.labels).toEqual({ app: 'kubia' });
      expect(d.spec.template.spec.containers).toHaveLength(1);
      expect(d.spec.template.spec.containers[0]).toMatchObject({ name: 'kubia', image: 'luksa/kubia:1.0' });
      expect(d.spec.template.spec.containers[0].ports).toBeUndefined();
    });

    it('create deployment with --replicas=0 (a pointer set to zero stays zero), two images and a port', () => {
      run(['create', 'deployment', 'web', '--image=nginx:1.25', '--image=redis', '--replicas=0', '--port=80', '-n', ns]);
      const d = get(['deploy', 'web', '-n', ns]);
      expect(d.spec.replicas).toBe(0);
      expect(d.spec.template.spec.containers.map((c: Obj) => [c.name, c.image])).toEqual([
        ['nginx', 'nginx:1.25'],
        ['redis', 'redis'],
      ]);
      expect(d.spec.template.spec.containers[0].ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
    });

    it('create configmap (empty values kept)', () => {
      expect(run(['create', 'configmap', 'c1', '--from-literal=a=b', '--from-literal=empty=', '-n', ns]).trim()).toBe('configmap/c1 created');
      expect(get(['configmap', 'c1', '-n', ns]).data).toEqual({ a: 'b', empty: '' });
    });

    it('create secret generic (bytes arrive intact, base64 in JSON)', () => {
      expect(run(['create', 'secret', 'generic', 's', '--from-literal=a=b', '--from-literal=utf=été', `--from-file=bin=${join(files, 'bin')}`, '-n', ns]).trim()).toBe('secret/s created');
      const o = get(['secret', 's', '-n', ns]);
      expect(o.type).toBe('Opaque');
      expect(o.data).toEqual({ a: Buffer.from('b').toString('base64'), utf: Buffer.from('été').toString('base64'), bin: BINARY.toString('base64') });
    });

    it('create service externalname and a headless clusterip service', () => {
      expect(run(['create', 'service', 'externalname', 'ext', '--external-name=example.com', '-n', ns]).trim()).toBe('service/ext created');
      expect(get(['svc', 'ext', '-n', ns]).spec).toMatchObject({ type: 'ExternalName', externalName: 'example.com' });
      expect(run(['create', 'service', 'clusterip', 'headless', '--clusterip=None', '-n', ns]).trim()).toBe('service/headless created');
      expect(get(['svc', 'headless', '-n', ns]).spec).toMatchObject({ type: 'ClusterIP', clusterIP: 'None', selector: { app: 'headless' } });
    });

    it('create service nodeport x --tcp=80:8080 (targetPort is an int-or-string)', () => {
      expect(run(['create', 'service', 'nodeport', 'x', '--tcp=80:8080', '-n', ns]).trim()).toBe('service/x created');
      const o = get(['svc', 'x', '-n', ns]);
      expect(o.spec.type).toBe('NodePort');
      expect(o.spec.selector).toEqual({ app: 'x' });
      expect(o.spec.ports).toHaveLength(1);
      expect(o.spec.ports[0]).toMatchObject({ name: '80-8080', port: 80, targetPort: 8080, protocol: 'TCP' });
      expect(o.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
    });

    it('create job (command after --)', () => {
      expect(run(['create', 'job', 'j', '--image=busybox', '-n', ns, '--', 'echo', 'hi']).trim()).toBe('job.batch/j created');
      const t = get(['job', 'j', '-n', ns]).spec.template.spec;
      expect(t.restartPolicy).toBe('Never');
      expect(t.containers[0]).toMatchObject({ name: 'j', image: 'busybox', command: ['echo', 'hi'] });
    });

    it('create cronjob', () => {
      expect(run(['create', 'cronjob', 'cj', '--image=busybox', '--schedule=*/1 * * * *', '-n', ns, '--', 'date']).trim()).toBe('cronjob.batch/cj created');
      const o = get(['cronjob', 'cj', '-n', ns]);
      expect(o.spec.schedule).toBe('*/1 * * * *');
      expect(o.spec.jobTemplate.metadata.name).toBe('cj');
      expect(o.spec.jobTemplate.spec.template.spec.restartPolicy).toBe('OnFailure');
      expect(o.spec.jobTemplate.spec.template.spec.containers[0]).toMatchObject({ name: 'cj', image: 'busybox', command: ['date'] });
    });

    it('create job --from=cronjob (owner reference, annotations)', () => {
      expect(run(['create', 'job', 'from-cj', '--from=cronjob/cj', '-n', ns]).trim()).toBe('job.batch/from-cj created');
      const o = get(['job', 'from-cj', '-n', ns]);
      const cj = get(['cronjob', 'cj', '-n', ns]);
      expect(o.metadata.annotations).toMatchObject({ 'cronjob.kubernetes.io/instantiate': 'manual' });
      expect(o.metadata.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'cj', uid: cj.metadata.uid, controller: true }]);
      expect(o.spec.template.spec.containers[0].command).toEqual(['date']);
    });

    it('create role and rolebinding', () => {
      expect(run(['create', 'role', 'r', '--verb=get,list', '--resource=pods,deployments.apps', '--resource-name=a', '-n', ns]).trim()).toBe('role.rbac.authorization.k8s.io/r created');
      expect(get(['role', 'r', '-n', ns]).rules).toEqual([
        { apiGroups: [''], resources: ['pods'], resourceNames: ['a'], verbs: ['get', 'list'] },
        { apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['a'], verbs: ['get', 'list'] },
      ]);
      expect(run(['create', 'rolebinding', 'rb', '--role=r', '--user=alice', `--serviceaccount=${ns}:sa`, '--group=g', '-n', ns]).trim()).toBe('rolebinding.rbac.authorization.k8s.io/rb created');
      const rb = get(['rolebinding', 'rb', '-n', ns]);
      expect(rb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' });
      // toMatchObject: the server may default a ServiceAccount subject's apiGroup to "".
      expect(rb.subjects).toHaveLength(3);
      expect(rb.subjects).toMatchObject([
        { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' },
        { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'g' },
        { kind: 'ServiceAccount', name: 'sa', namespace: ns },
      ]);
    });

    it('create clusterrole and clusterrolebinding', () => {
      const cr = `cr-${v.suffix}`;
      expect(run(['create', 'clusterrole', cr, '--verb=get', '--non-resource-url=/healthz']).trim()).toBe(`clusterrole.rbac.authorization.k8s.io/${cr} created`);
      expect(get(['clusterrole', cr]).rules).toEqual([{ nonResourceURLs: ['/healthz'], verbs: ['get'] }]);
      expect(run(['create', 'clusterrolebinding', `crb-${v.suffix}`, `--clusterrole=${cr}`, '--user=bob']).trim()).toBe(`clusterrolebinding.rbac.authorization.k8s.io/crb-${v.suffix} created`);
      expect(get(['clusterrolebinding', `crb-${v.suffix}`]).roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: cr });
    });

    it('create poddisruptionbudget (int-or-string as string and as int)', () => {
      expect(run(['create', 'pdb', 'pdb', '--selector=app=kubia', '--min-available=50%', '-n', ns]).trim()).toBe('poddisruptionbudget.policy/pdb created');
      expect(get(['pdb', 'pdb', '-n', ns]).spec).toEqual({ minAvailable: '50%', selector: { matchLabels: { app: 'kubia' } } });
      run(['create', 'pdb', 'pdb2', '--selector=app=kubia', '--max-unavailable=1', '-n', ns]);
      expect(get(['pdb', 'pdb2', '-n', ns]).spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { app: 'kubia' } } });
    });

    it('create ingress', () => {
      expect(run(['create', 'ingress', 'ing', '--rule=foo.com/bar=svc1:8080,tls=my-cert', '--class=nginx', '--annotation=a=b', '-n', ns]).trim()).toBe('ingress.networking.k8s.io/ing created');
      const o = get(['ingress', 'ing', '-n', ns]);
      expect(o.metadata.annotations).toEqual({ a: 'b' });
      expect(o.spec.ingressClassName).toBe('nginx');
      expect(o.spec.rules).toEqual([{ host: 'foo.com', http: { paths: [{ path: '/bar', pathType: 'Exact', backend: { service: { name: 'svc1', port: { number: 8080 } } } }] } }]);
      expect(o.spec.tls).toEqual([{ hosts: ['foo.com'], secretName: 'my-cert' }]);
    });

    it('create quota (quantities)', () => {
      expect(run(['create', 'quota', 'q', '--hard=cpu=1,memory=1G,pods=2,requests.cpu=500m', '--scopes=BestEffort', '-n', ns]).trim()).toBe('resourcequota/q created');
      const o = get(['quota', 'q', '-n', ns]);
      expect(o.spec.hard).toEqual({ cpu: '1', memory: '1G', pods: '2', 'requests.cpu': '500m' });
      expect(o.spec.scopes).toEqual(['BestEffort']);
    });

    it('create serviceaccount', () => {
      expect(run(['create', 'serviceaccount', 'sa', '-n', ns]).trim()).toBe('serviceaccount/sa created');
      expect(get(['sa', 'sa', '-n', ns]).metadata.name).toBe('sa');
    });

    it('autoscale deployment (autoscaling/v2 HorizontalPodAutoscaler)', () => {
      expect(run(['autoscale', 'deployment', 'kubia', '--min=2', '--max=5', '--cpu-percent=60', '-n', ns]).trim()).toBe('horizontalpodautoscaler.autoscaling/kubia autoscaled');
      const o = JSON.parse(run(['get', 'hpa.v2.autoscaling', 'kubia', '-n', ns, '-o', 'json'])) as Obj;
      expect(o.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'kubia' });
      expect(o.spec.minReplicas).toBe(2);
      expect(o.spec.maxReplicas).toBe(5);
      expect(o.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }]);
    });

    it('drain evicts through policy/v1 Eviction and deletes with DeleteOptions, both sent as protobuf', () => {
      const node = 'kubesim-worker';
      for (const name of ['ev-a', 'ev-b']) {
        const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels: { drain: v.suffix, which: name } }, spec: { nodeName: node, containers: [{ name: 'c', image: 'nginx' }] } };
        s.ok(['apply', '-f', '-'], { bin: KUBECTL.v127, stdin: JSON.stringify(pod) });
      }
      try {
        // Pods may take longer to go than the timeout (that part is the kubelet's): only the requests matter here.
        // One pod per drain: kubelets now finish deletions, so a drain of both would leave nothing for the second.
        const evict = s.kubectl(['drain', node, '--ignore-daemonsets', '--force', `--pod-selector=drain=${v.suffix},which=ev-a`, '--timeout=2s', '-v=6'], { bin: v.bin });
        expect(evict.stderr).not.toMatch(/unknown format|BadRequest| 415 Unsupported Media Type| 400 Bad Request/);
        expect(requested(evict.stderr, 'POST', `/namespaces/${ns}/pods/ev-a/eviction`)).toMatch(/^20[01]/);
        expect(evict.stdout + evict.stderr).toContain(`evicting pod ${ns}/ev-a`);
        const del = s.kubectl(['drain', node, '--ignore-daemonsets', '--force', '--disable-eviction', `--pod-selector=drain=${v.suffix},which=ev-b`, '--timeout=2s', '-v=6'], { bin: v.bin });
        expect(del.stderr).not.toMatch(/unknown format|BadRequest| 415 Unsupported Media Type| 400 Bad Request/);
        expect(requested(del.stderr, 'DELETE', `/namespaces/${ns}/pods/ev-b`)).toMatch(/^200/);
        for (const name of ['ev-a', 'ev-b']) {
          const r = s.kubectl(['get', 'pod', name, '-n', ns, '-o', 'json'], { bin: v.bin });
          if (r.code === 0) expect(JSON.parse(r.stdout).metadata.deletionTimestamp).toBeTruthy();
          else expect(r.stderr).toContain('NotFound');
        }
      } finally {
        s.ok(['uncordon', node], { bin: v.bin });
      }
    });

    it('a malformed protobuf body is a 400 naming the problem, not a crash', async () => {
      const token = /token: (\S+)/.exec(s.ok(['config', 'view', '--raw']))?.[1];
      expect(token).toBeTruthy();
      const body = Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from([0x0a, 0x05, 0x0a, 0x02, 0x76, 0x31, 0x12, 0x12, 0x09])]);
      const { request } = await import('node:https');
      const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(`${s.apiUrl}/api/v1/namespaces/${ns}/configmaps`, { method: 'POST', rejectUnauthorized: false, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/vnd.kubernetes.protobuf' } }, (r) => {
          let b = '';
          r.on('data', (d: Buffer) => (b += d.toString()));
          r.on('end', () => resolve({ status: r.statusCode ?? 0, body: b }));
        });
        req.on('error', reject);
        req.end(body);
      });
      expect(res.status).toBe(400);
      const st = JSON.parse(res.body) as Obj;
      expect(st.kind).toBe('Status');
      expect(st.reason).toBe('BadRequest');
      expect(st.message).toMatch(/protobuf/);
    });
  });
}
