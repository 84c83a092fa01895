import { describe, expect, it } from 'vitest';
import { buildService, exposeCommand, exposeFormFrom, exposeProblem, serviceFieldForCause, serviceFormErrors, serviceUrls, type Workload } from '../../../../src-renderer/features/wizards/service-form';

const deploy: Workload = {
  kind: 'Deployment',
  metadata: { name: 'kubia', namespace: 'default', labels: { app: 'kubia' } },
  spec: {
    selector: { matchLabels: { app: 'kubia' } },
    template: { spec: { containers: [{ ports: [{ containerPort: 8080 }] }, { ports: [{ containerPort: 53, protocol: 'UDP' }] }] } },
  },
};

describe('expose', () => {
  it('prefills name, labels, selector and ports from the Deployment', () => {
    const f = exposeFormFrom(deploy, 'LoadBalancer');
    expect(f).toEqual({
      name: 'kubia',
      namespace: 'default',
      type: 'LoadBalancer',
      ports: [
        { port: '8080', targetPort: '8080', protocol: 'TCP' },
        { port: '53', targetPort: '53', protocol: 'UDP' },
      ],
      selector: { app: 'kubia' },
      labels: { app: 'kubia' },
    });
  });
  it('builds the Service kubectl expose creates (port-N names only with several ports)', () => {
    const one = buildService({ ...exposeFormFrom(deploy, 'LoadBalancer'), ports: [{ port: '8080', targetPort: '', protocol: 'TCP' }] });
    expect(one).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kubia', namespace: 'default', labels: { app: 'kubia' } },
      spec: { type: 'LoadBalancer', selector: { app: 'kubia' }, ports: [{ port: 8080, targetPort: 8080 }] },
    });
    const two = buildService(exposeFormFrom(deploy));
    expect(two.spec.ports).toEqual([
      { name: 'port-1', port: 8080, targetPort: 8080 },
      { name: 'port-2', port: 53, targetPort: 53, protocol: 'UDP' },
    ]);
    expect(buildService({ ...exposeFormFrom(deploy), ports: [{ port: '80', targetPort: 'http', protocol: 'TCP' }] }).spec.ports[0].targetPort).toBe('http');
  });
  it('refuses workloads without a label selector', () => {
    expect(exposeProblem(deploy)).toBeUndefined();
    expect(exposeProblem({ ...deploy, spec: { selector: { matchExpressions: [{}] } } })).toMatch(/matchExpressions/);
    expect(exposeProblem({ ...deploy, spec: {} })).toMatch(/couldn't find a selector/);
  });
  it('checks the form and maps API causes', () => {
    expect(serviceFormErrors(exposeFormFrom(deploy))).toEqual({});
    const e = serviceFormErrors({ ...exposeFormFrom(deploy), name: 'Bad', ports: [{ port: '', targetPort: 'x_', protocol: 'TCP' }], selector: {} });
    expect(Object.keys(e).sort()).toEqual(['name', 'ports.0.port', 'ports.0.targetPort', 'selector']);
    expect(serviceFieldForCause('spec.ports[1].nodePort')).toBe('ports.1.port');
    expect(serviceFieldForCause('spec.ports[0].targetPort')).toBe('ports.0.targetPort');
    expect(serviceFieldForCause('metadata.name')).toBe('name');
    expect(serviceFieldForCause('spec.clusterIP')).toBeUndefined();
  });
  it('prints the equivalent kubectl expose', () => {
    const f = { ...exposeFormFrom(deploy, 'LoadBalancer'), ports: [{ port: '8080', targetPort: '8080', protocol: 'TCP' as const }] };
    expect(exposeCommand(f, 'kubia')).toBe('kubectl expose deployment kubia --type=LoadBalancer --port=8080');
    expect(exposeCommand({ ...f, name: 'web', type: 'ClusterIP', namespace: 'shop', ports: [{ port: '80', targetPort: '8080', protocol: 'TCP' }] }, 'kubia')).toBe('kubectl expose deployment kubia --name=web --port=80 --target-port=8080 -n shop');
  });
});

describe('serviceUrls', () => {
  it('gives the load balancer and node port URLs on 127.0.0.1', () => {
    const lb = { metadata: { name: 's' }, spec: { type: 'LoadBalancer', ports: [{ port: 8080, nodePort: 30838 }] }, status: { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } } };
    expect(serviceUrls(lb)).toEqual([
      { url: 'http://127.0.0.1:8080', via: 'LoadBalancer', port: 8080 },
      { url: 'http://127.0.0.1:30838', via: 'NodePort', port: 30838 },
    ]);
    expect(serviceUrls({ ...lb, status: {} }).map((u) => u.via)).toEqual(['NodePort']);
    expect(serviceUrls({ metadata: { name: 'n' }, spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }, { port: 53, nodePort: 30053, protocol: 'UDP' }] } })).toEqual([{ url: 'http://127.0.0.1:30080', via: 'NodePort', port: 30080 }]);
    expect(serviceUrls({ metadata: { name: 'c' }, spec: { type: 'ClusterIP', ports: [{ port: 80 }] } })).toEqual([]);
  });
});
