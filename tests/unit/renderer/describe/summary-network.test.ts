import { describe, expect, it } from 'vitest';
import { backendText, endpointsText, ingressSummary, readyEndpoints, serviceSummary, type EndpointSlice } from '../../../../src-renderer/features/describe/summary-network';

const rows = (rs: { label: string; value: string }[]) => Object.fromEntries(rs.map((r) => [r.label, r.value]));
const slice = (name: string, eps: [string, boolean, string?][], port = 80): EndpointSlice => ({
  metadata: { name, namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
  addressType: 'IPv4',
  endpoints: eps.map(([ip, ready, pod]) => ({ addresses: [ip], conditions: { ready }, targetRef: pod ? { kind: 'Pod', name: pod, namespace: 'default' } : undefined })),
  ports: [{ name: '', port, protocol: 'TCP' }],
});

describe('serviceSummary', () => {
  const svc = {
    metadata: { name: 'web', namespace: 'default' },
    spec: { type: 'NodePort', clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20'], selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30080, protocol: 'TCP' }], sessionAffinity: 'None' },
  };
  it('type, IP, PORT(S), selector, session affinity and the ready endpoints', () => {
    const s = serviceSummary(svc, [slice('web-a', [['10.244.1.5', true, 'p1'], ['10.244.2.6', false, 'p2']]), slice('web-b', [['10.244.3.7', true, 'p3']])]);
    expect(rows(s.rows)).toEqual({
      Type: 'NodePort',
      IP: '10.96.0.20',
      'External IP': '<none>',
      'Port(s)': '80:30080/TCP',
      Selector: 'app=web',
      'Session Affinity': 'None',
      Endpoints: '2 ready: 10.244.1.5:80,10.244.3.7:80',
    });
    expect(s.groups).toEqual([{ title: 'http', rows: [{ label: 'Port', value: 'http 80/TCP', mono: true }, { label: 'TargetPort', value: '8080/TCP', mono: true }, { label: 'NodePort', value: 'http 30080/TCP', mono: true }] }]);
  });
  it('no endpoints is a warning for a selector Service; a LoadBalancer shows its ingress IP', () => {
    const none = serviceSummary(svc, []);
    expect(none.rows.find((r) => r.label === 'Endpoints')).toMatchObject({ value: '0 ready', tone: 'warn' });
    const lb = serviceSummary({ ...svc, spec: { ...svc.spec, type: 'LoadBalancer' }, status: { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } } });
    expect(rows(lb.rows)['External IP']).toBe('127.0.0.1');
    const pending = serviceSummary({ ...svc, spec: { ...svc.spec, type: 'LoadBalancer' } });
    expect(rows(pending.rows)['External IP']).toBe('<pending>');
  });
  it('ready endpoints and the "+ N more..." cut', () => {
    expect(readyEndpoints([slice('a', [['10.0.0.2', true], ['10.0.0.1', true]], 8080)])).toEqual(['10.0.0.1:8080', '10.0.0.2:8080']);
    expect(endpointsText(['a', 'b', 'c', 'd', 'e'])).toBe('a,b,c + 2 more...');
    expect(endpointsText([])).toBe('<none>');
  });
});

describe('ingressSummary', () => {
  it('class and rules host/path → backend', () => {
    const s = ingressSummary({
      metadata: { name: 'i' },
      spec: { ingressClassName: 'nginx', rules: [{ host: 'shop.example', http: { paths: [{ path: '/api', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 8080 } } } }] } }, { http: { paths: [{ pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } }] } }] },
    });
    expect(rows(s.rows)).toMatchObject({ 'Ingress Class': 'nginx', 'Default backend': '<none>' });
    expect(s.groups.map((g) => [g.title, rows(g.rows)])).toEqual([
      ['shop.example', { '/api': '→ api:8080 (Prefix)' }],
      ['*', { '/': '→ web:http (Prefix)' }],
    ]);
    expect(backendText({ resource: { kind: 'Bucket', name: 'static' } })).toBe('Bucket/static');
  });
});
