import { describe, expect, it } from 'vitest';
import { servicesDef } from '../../../../src-main/api/core/service';
import { endpointsDef } from '../../../../src-main/api/core/endpoints';
import { create, errorsOf, obj, rowOf, update } from './helpers';

describe('service defaults', () => {
  it('ClusterIP service', () => {
    const { obj: svc, errors } = create(servicesDef, { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    expect(errors).toEqual([]);
    expect(svc.spec).toEqual({
      selector: { app: 'web' },
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
    });
    expect(svc.status).toEqual({ loadBalancer: {} });
  });

  it('LoadBalancer and NodePort', () => {
    const lb = create(servicesDef, { metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', ports: [{ port: 80, targetPort: 8080 }] } }).obj.spec as any;
    expect(lb).toMatchObject({ externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Cluster', allocateLoadBalancerNodePorts: true });
    expect(lb.ports[0].targetPort).toBe(8080);
    const np = create(servicesDef, { metadata: { name: 'np' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } }).obj.spec as any;
    expect(np.externalTrafficPolicy).toBe('Cluster');
    expect(np.allocateLoadBalancerNodePorts).toBeUndefined();
  });

  it('ClientIP affinity timeout and headless selectorless services', () => {
    const s1 = create(servicesDef, { metadata: { name: 's' }, spec: { sessionAffinity: 'ClientIP', selector: { a: 'b' }, ports: [{ port: 80 }] } }).obj.spec as any;
    expect(s1.sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 10800 } });
    const h = create(servicesDef, { metadata: { name: 'h' }, spec: { clusterIP: 'None' } }).obj.spec as any;
    expect(h.ipFamilyPolicy).toBe('RequireDualStack');
    expect(h.clusterIPs).toEqual(['None']);
    const en = create(servicesDef, { metadata: { name: 'ext' }, spec: { type: 'ExternalName', externalName: 'example.com' } });
    expect(en.errors).toEqual([]);
    expect((en.obj.spec as any).ipFamilies).toBeUndefined();
  });
});

describe('service validation', () => {
  it('names are DNS-1035 labels', () => {
    expect(errorsOf(servicesDef, { metadata: { name: '1web' }, spec: { ports: [{ port: 80 }] } })).toEqual([
      `metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    ]);
  });
  it('ports', () => {
    expect(errorsOf(servicesDef, { metadata: { name: 's' }, spec: { ports: [{ port: 0 }] } })).toContain('spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive');
    expect(errorsOf(servicesDef, { metadata: { name: 's' }, spec: { ports: [{ port: 80 }, { port: 443 }] } })).toEqual(['spec.ports[0].name: Required value', 'spec.ports[1].name: Required value']);
    expect(errorsOf(servicesDef, { metadata: { name: 's' }, spec: { ports: [{ name: 'a', port: 80 }, { name: 'a', port: 443 }] } })).toEqual(['spec.ports[1].name: Duplicate value: "a"']);
    expect(errorsOf(servicesDef, { metadata: { name: 's' }, spec: {} })).toEqual(['spec.ports: Required value']);
  });
  it('type and selector', () => {
    expect(errorsOf(servicesDef, { metadata: { name: 's' }, spec: { type: 'Bogus', ports: [{ port: 80 }] } })).toContain(
      'spec.type: Unsupported value: "Bogus": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
    );
    expect(errorsOf(servicesDef, { metadata: { name: 's' }, spec: { selector: { app: 'bad value' }, ports: [{ port: 80 }] } })[0]).toMatch(/^spec\.selector: Invalid value: "bad value"/);
  });
  it('clusterIP is immutable', () => {
    const { obj: svc } = create(servicesDef, { metadata: { name: 's' }, spec: { ports: [{ port: 80 }] } });
    (svc.spec as any).clusterIP = '10.96.0.20';
    (svc.spec as any).clusterIPs = ['10.96.0.20'];
    expect(update(servicesDef, svc, (s) => ((s.spec as any).clusterIP = '10.96.0.21')).errors).toEqual(['spec.clusterIP: Invalid value: "10.96.0.21": field is immutable']);
    expect(update(servicesDef, svc, (s) => ((s.spec as any).ports[0].port = 81)).errors).toEqual([]);
  });
});

describe('service table', () => {
  const svc = (spec: Record<string, unknown>, status: Record<string, unknown> = { loadBalancer: {} }) => obj('Service', 'web', { spec, status });
  it('NodePort', () => {
    const row = servicesDef.table!.row(svc({ type: 'NodePort', clusterIP: '10.96.12.34', clusterIPs: ['10.96.12.34'], selector: { app: 'web', tier: 'fe' }, ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }] }), Date.parse('2024-01-01T00:05:00Z'));
    expect(row).toEqual(['web', 'NodePort', '10.96.12.34', '<none>', '80:30080/TCP', '5m', 'app=web,tier=fe']);
  });
  it('LoadBalancer pending and with ingress', () => {
    const spec = { type: 'LoadBalancer', clusterIPs: ['10.96.0.50'], ports: [{ port: 80, nodePort: 31000, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] };
    expect(rowOf(servicesDef, svc(spec))).toMatchObject({ 'EXTERNAL-IP': '<pending>', 'PORT(S)': '80:31000/TCP,53/UDP', SELECTOR: '<none>' });
    expect(rowOf(servicesDef, svc(spec, { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } }))['EXTERNAL-IP']).toBe('127.0.0.1');
    expect(rowOf(servicesDef, svc({ ...spec, externalIPs: ['1.2.3.4'] }, { loadBalancer: { ingress: [{ hostname: 'lb.example.com' }, { ip: '10.0.0.9' }] } }))['EXTERNAL-IP']).toBe('10.0.0.9,lb.example.com,1.2.3.4');
  });
  it('headless, ExternalName, no ports', () => {
    expect(rowOf(servicesDef, svc({ type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'] }))).toMatchObject({ 'CLUSTER-IP': 'None', 'PORT(S)': '<none>' });
    expect(rowOf(servicesDef, svc({ type: 'ExternalName', externalName: 'example.com' }))).toMatchObject({ 'CLUSTER-IP': '<none>', 'EXTERNAL-IP': 'example.com' });
  });
});

describe('endpoints', () => {
  it('defaults port protocol and prints ip:port pairs with + N more', () => {
    const { obj: ep, errors } = create(endpointsDef, { metadata: { name: 'web' }, subsets: [{ addresses: [{ ip: '10.244.1.5' }, { ip: '10.244.2.7' }], ports: [{ port: 80 }] }] });
    expect(errors).toEqual([]);
    expect((ep as any).subsets[0].ports[0].protocol).toBe('TCP');
    expect(rowOf(endpointsDef, ep).ENDPOINTS).toBe('10.244.1.5:80,10.244.2.7:80');
    const many = obj('Endpoints', 'web', { subsets: [{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 80 }, { port: 443 }] }] });
    expect(rowOf(endpointsDef, many).ENDPOINTS).toBe('10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...');
    expect(rowOf(endpointsDef, obj('Endpoints', 'e')).ENDPOINTS).toBe('<none>');
    expect(rowOf(endpointsDef, obj('Endpoints', 'e', { subsets: [{ notReadyAddresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }] })).ENDPOINTS).toBe('');
  });
  it('rejects bad addresses', () => {
    expect(errorsOf(endpointsDef, { metadata: { name: 'e' }, subsets: [{ addresses: [{ ip: 'nope' }], ports: [{ port: 80 }] }] })).toEqual([
      'subsets[0].addresses[0].ip: Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ]);
  });
});
