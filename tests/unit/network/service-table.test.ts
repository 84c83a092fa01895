import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src-main/api/types';
import { ServiceTable } from '../../../src-main/network/service-table';

const svc = (name: string, spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec, ...(status ? { status } : {}) }) as KubeObject;

type Ep = { ip: string; node?: string; ready?: boolean; terminating?: boolean };
const slice = (name: string, service: string, ports: { name?: string; port: number; protocol?: string }[], eps: Ep[]): KubeObject =>
  ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, namespace: 'default', labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4',
    ports: ports.map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' })),
    endpoints: eps.map((e) => ({
      addresses: [e.ip],
      conditions: { ready: e.ready ?? true, serving: e.ready ?? true, terminating: e.terminating ?? false },
      ...(e.node ? { nodeName: e.node } : {}),
    })),
  }) as unknown as KubeObject;

const client = { address: '10.244.2.9', port: 40001 };

/** A table with a scripted random source; `now` is moved by the test. */
function table(randoms: number[] = []) {
  let now = 1_000_000;
  const seq = [...randoms];
  const t = new ServiceTable(
    () => now,
    () => seq.shift() ?? 0,
  );
  t.setNode('kind-control-plane', '172.18.0.2');
  t.setNode('kind-worker', '172.18.0.3');
  t.setNode('kind-worker2', '172.18.0.4');
  return { t, advance: (ms: number) => (now += ms) };
}

describe('service table (kube-proxy rules)', () => {
  it('ClusterIP:port → a ready endpoint chosen at random; unready and terminating never', () => {
    const { t } = table([0, 0.99, 0.5]);
    t.upsertService(svc('web', { type: 'ClusterIP', clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20'], ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] }));
    t.upsertSlice(
      slice('web-abc', 'web', [{ port: 8080 }], [
        { ip: '10.244.1.5', node: 'kind-worker' },
        { ip: '10.244.1.6', node: 'kind-worker', ready: false },
        { ip: '10.244.2.5', node: 'kind-worker2', ready: false, terminating: true },
        { ip: '10.244.2.6', node: 'kind-worker2' },
      ]),
    );
    const dst = { address: '10.96.0.20', port: 80 };
    expect(t.route('TCP', dst, client)).toEqual({ endpoint: { address: '10.244.1.5', port: 8080 } });
    expect(t.route('TCP', dst, client)).toEqual({ endpoint: { address: '10.244.2.6', port: 8080 } });
    expect(t.route('UDP', dst, client)).toBeUndefined();
    expect(t.route('TCP', { address: '10.96.0.20', port: 81 }, client)).toBeUndefined();
  });

  it('no ready endpoints → reject; the VIP goes away with the service', () => {
    const { t } = table();
    const web = svc('web', { clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80 }] });
    t.upsertService(web);
    expect(t.route('TCP', { address: '10.96.0.20', port: 80 }, client)).toEqual({ reject: 'default/web:http has no endpoints' });
    t.upsertSlice(slice('web-1', 'web', [{ name: 'http', port: 80 }], [{ ip: '10.244.1.5', ready: false }]));
    expect(t.route('TCP', { address: '10.96.0.20', port: 80 }, client)).toEqual({ reject: 'default/web:http has no endpoints' });
    t.removeService(web);
    expect(t.route('TCP', { address: '10.96.0.20', port: 80 }, client)).toBeUndefined();
  });

  it('named targetPorts resolve per endpoint through each slice’s ports', () => {
    const { t } = table([0, 0.6]);
    t.upsertService(svc('api', { clusterIP: '10.96.5.5', ports: [{ name: 'http', port: 80, targetPort: 'web' }, { name: 'metrics', port: 9090, targetPort: 9090 }] }));
    t.upsertSlice(slice('api-a', 'api', [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9090 }], [{ ip: '10.244.1.5' }]));
    t.upsertSlice(slice('api-b', 'api', [{ name: 'http', port: 3000 }], [{ ip: '10.244.2.5' }]));
    const dst = { address: '10.96.5.5', port: 80 };
    expect(t.route('TCP', dst, client)).toEqual({ endpoint: { address: '10.244.1.5', port: 8080 } });
    expect(t.route('TCP', dst, client)).toEqual({ endpoint: { address: '10.244.2.5', port: 3000 } });
    expect(t.entry('default/api', 'metrics')?.endpoints).toEqual([{ address: '10.244.1.5', port: 9090 }]);
  });

  it('headless and ExternalName services get no virtual IP', () => {
    const { t } = table();
    t.upsertService(svc('redis', { clusterIP: 'None', clusterIPs: ['None'], ports: [{ port: 6379 }] }));
    t.upsertSlice(slice('redis-1', 'redis', [{ port: 6379 }], [{ ip: '10.244.1.7' }]));
    t.upsertService(svc('ext', { type: 'ExternalName', externalName: 'example.com', ports: [{ port: 80 }] }));
    expect(t.route('TCP', { address: 'None', port: 6379 }, client)).toBeUndefined();
    expect(t.entry('default/ext', '')).toBeUndefined();
    expect(t.entry('default/redis', '')?.endpoints).toEqual([{ address: '10.244.1.7', port: 6379 }]);
  });

  it('sessionAffinity ClientIP sticks per client until the timeout (default 10800 s), and leaves a backend that goes away', () => {
    const { t, advance } = table([0, 0.99, 0.99, 0.99, 0]);
    const spec = { clusterIP: '10.96.0.30', ports: [{ port: 80 }], sessionAffinity: 'ClientIP' };
    t.upsertService(svc('sticky', spec));
    t.upsertSlice(slice('sticky-1', 'sticky', [{ port: 80 }], [{ ip: '10.244.1.5' }, { ip: '10.244.1.6' }]));
    const dst = { address: '10.96.0.30', port: 80 };
    expect(t.route('TCP', dst, client)).toEqual({ endpoint: { address: '10.244.1.5', port: 80 } });
    advance(10_799_000);
    expect(t.route('TCP', dst, { address: client.address, port: 50000 })).toEqual({ endpoint: { address: '10.244.1.5', port: 80 } });
    expect(t.route('TCP', dst, { address: '10.244.3.3', port: 1 })).toEqual({ endpoint: { address: '10.244.1.6', port: 80 } });
    advance(10_800_001);
    expect(t.route('TCP', dst, client)).toEqual({ endpoint: { address: '10.244.1.6', port: 80 } });
    // 10.244.1.6 loses readiness: the client moves on, affinity is kept across the recompute.
    t.upsertSlice(slice('sticky-1', 'sticky', [{ port: 80 }], [{ ip: '10.244.1.5' }, { ip: '10.244.1.6', ready: false }]));
    expect(t.route('TCP', dst, client)).toEqual({ endpoint: { address: '10.244.1.5', port: 80 } });
    t.upsertService(svc('sticky', { ...spec, sessionAffinityConfig: { clientIP: { timeoutSeconds: 5 } } }));
    expect(t.entry('default/sticky', '')?.affinitySeconds).toBe(5);
  });

  it('NodePort from any node: Cluster policy masquerades to the node IP; Local keeps the client and uses local endpoints only', () => {
    const { t } = table();
    const spec = { type: 'NodePort', clusterIP: '10.96.0.40', ports: [{ port: 80, nodePort: 30080 }] };
    t.upsertService(svc('np', spec));
    t.upsertSlice(slice('np-1', 'np', [{ port: 8080 }], [{ ip: '10.244.1.5', node: 'kind-worker' }]));
    const outside = { address: '172.18.0.1', port: 51000 };
    expect(t.route('TCP', { address: '172.18.0.4', port: 30080 }, outside)).toEqual({
      endpoint: { address: '10.244.1.5', port: 8080 },
      source: { address: '172.18.0.4', port: 51000 },
    });
    expect(t.route('TCP', { address: '172.18.0.2', port: 30081 }, outside)).toBeUndefined();
    expect(t.route('TCP', { address: '10.96.0.40', port: 80 }, client)).toEqual({ endpoint: { address: '10.244.1.5', port: 8080 } });
    t.upsertService(svc('np', { ...spec, externalTrafficPolicy: 'Local' }));
    expect(t.route('TCP', { address: '172.18.0.3', port: 30080 }, outside)).toEqual({ endpoint: { address: '10.244.1.5', port: 8080 } });
    expect(t.route('TCP', { address: '172.18.0.4', port: 30080 }, outside)).toEqual({ reject: 'default/np has no local endpoints' });
    expect(t.entryNode('default/np', 'TCP', 30080)).toBe('172.18.0.3');
    expect(t.entryNode('default/other', 'TCP', 30080)).toBeUndefined();
  });

  it('internalTrafficPolicy Local: ClusterIP traffic stays on the client’s node', () => {
    const { t } = table();
    t.upsertService(svc('local', { clusterIP: '10.96.0.60', internalTrafficPolicy: 'Local', ports: [{ port: 80 }] }));
    t.upsertSlice(slice('local-1', 'local', [{ port: 80 }], [{ ip: '10.244.1.5', node: 'kind-worker' }]));
    const dst = { address: '10.96.0.60', port: 80 };
    expect(t.route('TCP', dst, client, 'kind-worker')).toEqual({ endpoint: { address: '10.244.1.5', port: 80 } });
    expect(t.route('TCP', dst, client, 'kind-worker2')).toEqual({ reject: 'default/local has no local endpoints' });
    expect(t.route('TCP', dst, { address: '172.18.0.3', port: 1 })).toEqual({ endpoint: { address: '10.244.1.5', port: 80 } });
  });

  it('load balancer ingress IPs (not loopback) and externalIPs route as external traffic', () => {
    const { t } = table();
    t.upsertService(
      svc('lb', { type: 'LoadBalancer', clusterIP: '10.96.0.50', externalIPs: ['192.168.1.10'], ports: [{ port: 80, nodePort: 31000 }] }, { loadBalancer: { ingress: [{ ip: '127.0.0.1', ipMode: 'VIP' }, { ip: '203.0.113.7' }] } }),
    );
    t.upsertSlice(slice('lb-1', 'lb', [{ port: 80 }], [{ ip: '10.244.1.5', node: 'kind-worker' }]));
    const want = { endpoint: { address: '10.244.1.5', port: 80 } };
    expect(t.route('TCP', { address: '203.0.113.7', port: 80 }, client)).toEqual(want);
    expect(t.route('TCP', { address: '192.168.1.10', port: 80 }, client)).toEqual(want);
    expect(t.route('TCP', { address: '127.0.0.1', port: 80 }, client)).toBeUndefined();
  });

  it('stays incremental: one change recomputes one service; a slice moving between services updates both', () => {
    const { t } = table();
    for (let i = 0; i < 50; i++) t.upsertService(svc(`s${i}`, { clusterIP: `10.96.1.${i + 1}`, ports: [{ port: 80 }] }));
    const before = t.recomputes;
    t.upsertSlice(slice('s7-x', 's7', [{ port: 80 }], [{ ip: '10.244.1.5' }]));
    expect(t.recomputes - before).toBe(1);
    expect(t.route('TCP', { address: '10.96.1.8', port: 80 }, client)).toEqual({ endpoint: { address: '10.244.1.5', port: 80 } });
    t.upsertSlice(slice('s7-x', 's8', [{ port: 80 }], [{ ip: '10.244.1.5' }]));
    expect(t.recomputes - before).toBe(3);
    expect(t.route('TCP', { address: '10.96.1.8', port: 80 }, client)).toEqual({ reject: 'default/s7 has no endpoints' });
    expect(t.route('TCP', { address: '10.96.1.9', port: 80 }, client)).toEqual({ endpoint: { address: '10.244.1.5', port: 80 } });
    t.removeSlice(slice('s7-x', 's8', [], []));
    expect(t.route('TCP', { address: '10.96.1.9', port: 80 }, client)).toEqual({ reject: 'default/s8 has no endpoints' });
  });
});
