import { afterEach, describe, expect, it } from 'vitest';
import { R } from '../../../src-main/client';
import { createClusterNetwork, NetworkError } from '../../../src-main/network';
import { startServiceProxy, type ServiceProxy } from '../../../src-main/network/service-proxy';
import { ControllerTestbed } from '../controllers/harness';

async function until<T>(f: () => Promise<T | undefined> | T | undefined, ms = 3000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      const v = await f();
      if (v !== undefined) return v;
    } catch {
      // not yet
    }
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function read(s: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    s.on('data', (c: Buffer) => (text += c.toString()));
    s.on('end', () => resolve(text));
  });
}

describe('service proxy from informers', () => {
  let bed: ControllerTestbed | undefined;
  let proxy: ServiceProxy | undefined;
  afterEach(async () => {
    await proxy?.stop();
    await bed?.stop();
  });

  it('routes a ClusterIP to the endpoints of the API’s EndpointSlices and follows their changes', async () => {
    bed = new ControllerTestbed({ start: Date.parse('2026-11-23T10:00:00Z') });
    await bed.ensureNamespaces('default');
    const network = createClusterNetwork();
    proxy = await startServiceProxy({ client: bed.controllerClient, network, clock: bed.clock, informers: bed.factory });
    const web = network.createPodNetwork('10.244.1.5', { namespace: 'default', name: 'web', uid: 'u1', nodeName: 'kind-worker' });
    web.listen(8080, (c) => c.socket.end(`hi ${c.remote.address}`));
    const curl = network.createPodNetwork('10.244.2.9', { namespace: 'default', name: 'curl', uid: 'u2', nodeName: 'kind-worker2' });
    const svc = await bed.admin.create(R.services, 'default', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    });
    const ip = (svc.spec as unknown as { clusterIP: string }).clusterIP;
    await until(async () => {
      try {
        await curl.connect(ip, 80);
      } catch (e) {
        return (e as NetworkError).code === 'ECONNREFUSED' ? true : undefined;
      }
      return undefined;
    });
    await bed.admin.create(R.endpointslices, 'default', {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'web-x1', labels: { 'kubernetes.io/service-name': 'web' } },
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      endpoints: [{ addresses: ['10.244.1.5'], conditions: { ready: true }, nodeName: 'kind-worker' }],
    });
    const conn = await until(() => curl.connect(ip, 80));
    expect(await read(conn.socket)).toBe('hi 10.244.2.9');
    await bed.admin.delete(R.endpointslices, 'default', 'web-x1');
    await until(async () => {
      try {
        await curl.connect(ip, 80);
      } catch (e) {
        return (e as NetworkError).code === 'ECONNREFUSED' ? true : undefined;
      }
      return undefined;
    });
    await bed.admin.delete(R.services, 'default', 'web');
    await until(async () => {
      try {
        await curl.connect(ip, 80);
      } catch (e) {
        return (e as NetworkError).code === 'EHOSTUNREACH' ? true : undefined;
      }
      return undefined;
    });
  });
});
