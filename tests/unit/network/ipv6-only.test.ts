import { describe, expect, it } from 'vitest';
import { createClusterNetwork, NetworkError, type PodIdentity } from '../../../src-main/network';

const pod = (name: string): PodIdentity => ({ namespace: 'default', name, uid: `uid-${name}`, nodeName: 'kind-worker' });

function collect(s: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    s.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
    s.on('end', () => resolve(Buffer.concat(chunks).toString()));
    s.on('error', reject);
  });
}

async function refusedBy(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(NetworkError);
    return (e as NetworkError).code;
  }
  throw new Error('expected a rejection');
}

describe('IPV6_V6ONLY binds of [::]', () => {
  it('a lone ipv6Only [::] refuses IPv4 (pod IP and 127.0.0.1) but answers ::1', async () => {
    const net = createClusterNetwork();
    const a = net.createPodNetwork('10.244.1.2', pod('a'));
    const b = a.listen(80, (c) => c.socket.end('v6'), { address: '::', ipv6Only: true });
    expect(b.ipv6Only).toBe(true);
    expect(await refusedBy(net.connectFromNode('172.18.0.3', '10.244.1.2', 80))).toBe('ECONNREFUSED');
    expect(await refusedBy(a.connect('127.0.0.1', 80))).toBe('ECONNREFUSED');
    expect(await collect((await a.connect('::1', 80)).socket)).toBe('v6');
  });

  it('with a 0.0.0.0 bind beside it IPv4 reaches the 0.0.0.0 listener (nginx listen 80 + [::]:80)', async () => {
    const net = createClusterNetwork();
    const a = net.createPodNetwork('10.244.1.2', pod('a'));
    a.listen(80, (c) => c.socket.end('v4'));
    a.listen(80, (c) => c.socket.end('v6'), { address: '::', ipv6Only: true });
    expect(await collect((await net.connectFromNode('172.18.0.3', '10.244.1.2', 80)).socket)).toBe('v4');
    expect(await collect((await a.connect('::1', 80)).socket)).toBe('v6');
  });

  it('without ipv6Only a lone [::] stays dual-stack (node server.listen(port))', async () => {
    const net = createClusterNetwork();
    const a = net.createPodNetwork('10.244.1.2', pod('a'));
    const b = a.listen(8080, (c) => c.socket.end('dual'), { address: '::' });
    expect(b.ipv6Only).toBeUndefined();
    expect(await collect((await net.connectFromNode('172.18.0.3', '10.244.1.2', 8080)).socket)).toBe('dual');
  });
});
