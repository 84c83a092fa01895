import { createServer, request, type IncomingMessage } from 'node:http';
import { createServer as createNetServer, connect as netConnect, type AddressInfo, type Socket } from 'node:net';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createClusterNetwork, NetworkError, type Connection, type PodIdentity, type ServiceRouter } from '../../../src-main/network';

const pod = (name: string): PodIdentity => ({ namespace: 'default', name, uid: `uid-${name}`, nodeName: 'kind-worker' });

function collect(s: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    s.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
    s.on('end', () => resolve(Buffer.concat(chunks).toString()));
    s.on('error', reject);
  });
}

function httpGet(conn: Connection, path: string): Promise<{ res: IncomingMessage; body: string }> {
  return new Promise((resolve, reject) => {
    // No agent: node then takes the socket from createConnection.
    const req = request({ host: conn.remote.address, port: conn.remote.port, path, createConnection: () => conn.socket as Socket }, (res) => {
      collect(res).then((body) => resolve({ res, body }), reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function rejection(p: Promise<unknown>): Promise<NetworkError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(NetworkError);
    return e as NetworkError;
  }
  throw new Error('expected a rejection');
}

describe('cluster network fabric', () => {
  it('carries node http between pods and shows both sides the right addresses', async () => {
    const net = createClusterNetwork();
    const server = net.createPodNetwork('10.244.1.5', pod('web'));
    const client = net.createPodNetwork('10.244.2.7', pod('curl'));
    const seen: Connection[] = [];
    const http = createServer((req, res) => res.end(`hello ${req.url} from ${req.socket.remoteAddress}`));
    server.listen(80, (conn) => {
      seen.push(conn);
      http.emit('connection', conn.socket);
    });
    const conn = await client.connect('10.244.1.5', 80);
    expect(conn.remote).toEqual({ address: '10.244.1.5', port: 80 });
    expect(conn.local.address).toBe('10.244.2.7');
    expect(conn.local.port).toBeGreaterThanOrEqual(32768);
    const { res, body } = await httpGet(conn, '/x');
    expect(res.statusCode).toBe(200);
    expect(body).toBe('hello /x from 10.244.2.7');
    expect(seen[0]!.remote).toEqual(conn.local);
    expect(seen[0]!.local).toEqual({ address: '10.244.1.5', port: 80 });
    expect(server.counters().connections).toBe(1);
    expect(server.counters().rxBytes).toBeGreaterThan(20);
    expect(client.counters().rxBytes).toBe(server.counters().txBytes);
  });

  it('delivers connections asynchronously, never inside connect()', async () => {
    const net = createClusterNetwork();
    const a = net.createPodNetwork('10.244.1.2', pod('a'));
    let accepted = false;
    a.listen(8080, () => {
      accepted = true;
    });
    const p = a.connect('127.0.0.1', 8080);
    expect(accepted).toBe(false);
    await p;
    await new Promise((r) => setImmediate(r));
    expect(accepted).toBe(true);
  });

  it('localhost reaches only the own namespace; loopback binds are invisible from outside', async () => {
    const net = createClusterNetwork();
    const a = net.createPodNetwork('10.244.1.2', pod('a'));
    const b = net.createPodNetwork('10.244.1.3', pod('b'));
    a.listen(6379, (c) => c.socket.end('a-local\n'), { address: '127.0.0.1' });
    const local = await a.connect('localhost', 6379);
    expect(local.local.address).toBe('127.0.0.1');
    expect(await collect(local.socket)).toBe('a-local\n');
    expect((await rejection(b.connect('127.0.0.1', 6379))).code).toBe('ECONNREFUSED');
    const e = await rejection(b.connect('10.244.1.2', 6379));
    expect([e.code, e.message]).toEqual(['ECONNREFUSED', 'connection refused']);
  });

  it('refuses closed ports, reports no route for unknown IPs, refuses node addresses without a service', async () => {
    const net = createClusterNetwork();
    const a = net.createPodNetwork('10.244.1.2', pod('a'));
    const e1 = await rejection(a.connect('10.244.1.2', 81));
    expect([e1.code, e1.message]).toEqual(['ECONNREFUSED', 'connection refused']);
    const e2 = await rejection(a.connect('10.244.9.9', 80));
    expect([e2.code, e2.message]).toEqual(['EHOSTUNREACH', 'no route to host']);
    expect((await rejection(net.connectFromNode('172.18.0.2', '172.18.0.3', 30080))).code).toBe('ECONNREFUSED');
    expect((await rejection(net.connectFromNode('172.18.0.2', '127.0.0.1', 80))).code).toBe('ECONNREFUSED');
    expect(net.stats().refused).toBe(3);
  });

  it('EADDRINUSE for a taken port; 0.0.0.0 and [::] coexist (nginx); freed by close()', () => {
    const net = createClusterNetwork();
    const a = net.createPodNetwork('10.244.1.2', pod('a'));
    const v4 = a.listen(80, () => {});
    const v6 = a.listen(80, () => {}, { address: '::' });
    expect(() => a.listen(80, () => {})).toThrow(expect.objectContaining({ code: 'EADDRINUSE', message: 'address already in use' }));
    expect(() => a.listen(80, () => {}, { address: '127.0.0.1' })).toThrow(expect.objectContaining({ code: 'EADDRINUSE' }));
    expect(() => a.listen(80, () => {}, { address: '10.244.1.9' })).toThrow(expect.objectContaining({ code: 'EADDRNOTAVAIL' }));
    a.listen(81, () => {}, { address: '127.0.0.1' });
    a.listen(81, () => {}, { address: '10.244.1.2' });
    expect(() => a.listen(81, () => {})).toThrow(expect.objectContaining({ code: 'EADDRINUSE' }));
    expect(a.bindings().map((b) => `${b.protocol} ${b.address}:${b.port}`)).toEqual(['TCP 0.0.0.0:80', 'TCP :::80', 'TCP 127.0.0.1:81', 'TCP 10.244.1.2:81']);
    v4.close();
    v6.close();
    a.listen(80, () => {});
    a.bindUdp(53, () => {});
    expect(() => a.bindUdp(53, () => {})).toThrow(expect.objectContaining({ code: 'EADDRINUSE' }));
    expect(() => net.createPodNetwork('10.244.1.2', pod('dup'))).toThrow(expect.objectContaining({ code: 'EADDRINUSE' }));
  });

  it('a lone [::] listener (node server.listen(port)) takes IPv4 connections', async () => {
    const net = createClusterNetwork();
    const a = net.createPodNetwork('10.244.1.2', pod('a'));
    a.listen(8080, (c) => c.socket.end('dual'), { address: '::' });
    expect(await collect((await net.connectFromNode('172.18.0.3', '10.244.1.2', 8080)).socket)).toBe('dual');
  });

  it('half-close: the server reads EOF and still answers', async () => {
    const net = createClusterNetwork();
    const a = net.createPodNetwork('10.244.1.2', pod('a'));
    a.listen(7, (c) => {
      void collect(c.socket).then((text) => c.socket.end(text.toUpperCase()));
    });
    const conn = await net.connectFromNode('172.18.0.2', '10.244.1.2', 7);
    conn.socket.end('echo me');
    expect(await collect(conn.socket)).toBe('ECHO ME');
  });

  it('reset: the peer gets ECONNRESET; closing a namespace resets its connections and frees its IP', async () => {
    const net = createClusterNetwork();
    const a = net.createPodNetwork('10.244.1.2', pod('a'));
    a.listen(80, () => {});
    const c1 = await net.connectFromNode('172.18.0.2', '10.244.1.2', 80);
    const err1 = once(c1.socket, 'error');
    let server: Connection | undefined;
    a.listen(81, (c) => (server = c));
    const c2 = await net.connectFromNode('172.18.0.2', '10.244.1.2', 81);
    await new Promise((r) => setImmediate(r));
    const err2 = once(c2.socket, 'error');
    (server!.socket as unknown as { reset(): void }).reset();
    expect(((await err2)[0] as NodeJS.ErrnoException).code).toBe('ECONNRESET');
    a.close();
    expect(((await err1)[0] as NodeJS.ErrnoException).code).toBe('ECONNRESET');
    expect(net.podNetwork('10.244.1.2')).toBeUndefined();
    expect((await rejection(net.connectFromNode('172.18.0.2', '10.244.1.2', 80))).code).toBe('EHOSTUNREACH');
    const again = net.createPodNetwork('10.244.1.2', pod('a2'));
    again.listen(80, () => {});
  });

  it('back-pressure: a 16 MiB body arrives intact through node http, the writer waits for the reader', async () => {
    const net = createClusterNetwork();
    const a = net.createPodNetwork('10.244.1.2', pod('a'));
    const big = Buffer.alloc(16 * 1024 * 1024, 'k');
    let waited = 0;
    const http = createServer((_req, res) => {
      res.setHeader('content-length', big.length);
      for (let off = 0; off < big.length; off += 1 << 20) if (!res.write(big.subarray(off, off + (1 << 20)))) waited++;
      res.end();
    });
    a.listen(80, (c) => http.emit('connection', c.socket));
    const conn = await net.connectFromNode('172.18.0.2', '10.244.1.2', 80);
    const got = await new Promise<number>((resolve, reject) => {
      const req = request({ path: '/', createConnection: () => conn.socket as Socket }, (res) => {
        let n = 0;
        res.on('data', (c: Buffer) => (n += c.length));
        res.on('end', () => resolve(n));
      });
      req.on('error', reject);
      req.end();
    });
    expect(got).toBe(big.length);
    expect(waited).toBeGreaterThan(0);
  });

  it('service addresses go through the router: endpoint, SNAT source, reject → refused, unknown → no route', async () => {
    const net = createClusterNetwork();
    const web = net.createPodNetwork('10.244.1.5', pod('web'));
    const client = net.createPodNetwork('10.244.2.7', pod('curl'));
    const sources: string[] = [];
    web.listen(8080, (c) => {
      sources.push(`${c.local.address}:${c.local.port} from ${c.remote.address}`);
      c.socket.end('ok');
    });
    const router: ServiceRouter = {
      route: (_proto, dst) => {
        if (dst.address === '10.96.0.20' && dst.port === 80) return { endpoint: { address: '10.244.1.5', port: 8080 } };
        if (dst.address === '172.18.0.3' && dst.port === 30080) return { endpoint: { address: '10.244.1.5', port: 8080 }, source: { address: '172.18.0.3', port: 40000 } };
        if (dst.address === '10.96.0.21') return { reject: 'no endpoints' };
        return undefined;
      },
    };
    net.setRouter(router);
    const c = await client.connect('10.96.0.20', 80);
    expect(c.remote).toEqual({ address: '10.96.0.20', port: 80 });
    expect(await collect(c.socket)).toBe('ok');
    expect(await collect((await net.connectFromNode('172.18.0.2', '172.18.0.3', 30080)).socket)).toBe('ok');
    expect(sources).toEqual(['10.244.1.5:8080 from 10.244.2.7', '10.244.1.5:8080 from 172.18.0.3']);
    expect((await rejection(client.connect('10.96.0.21', 80))).code).toBe('ECONNREFUSED');
    expect((await rejection(client.connect('10.96.0.99', 80))).code).toBe('EHOSTUNREACH');
  });

  it('a node address with a hostNetwork namespace: NodePorts are routed first, other ports reach the node’s sockets', async () => {
    const net = createClusterNetwork();
    const node = net.createPodNetwork('172.18.0.3', { namespace: '', name: 'kind-worker', uid: '', nodeName: 'kind-worker' });
    const web = net.createPodNetwork('10.244.1.5', pod('web'));
    node.listen(10250, (c) => c.socket.end('kubelet-ish'));
    web.listen(80, (c) => c.socket.end(`web sees ${c.remote.address}`));
    net.setRouter({ route: (_p, dst) => (dst.address === '172.18.0.3' && dst.port === 30080 ? { endpoint: { address: '10.244.1.5', port: 80 }, source: { address: '172.18.0.3', port: 1 } } : undefined) });
    expect(await collect((await net.connectFromNode('172.18.0.2', '172.18.0.3', 30080)).socket)).toBe('web sees 172.18.0.3');
    expect(await collect((await net.connectFromNode('172.18.0.2', '172.18.0.3', 10250)).socket)).toBe('kubelet-ish');
    expect((await rejection(net.connectFromNode('172.18.0.2', '172.18.0.3', 81))).code).toBe('ECONNREFUSED');
  });

  it('UDP request/response from pods and nodes; silence from a closed port resolves undefined', async () => {
    const net = createClusterNetwork();
    const dns = net.createPodNetwork('10.244.0.3', pod('coredns'));
    const client = net.createPodNetwork('10.244.2.7', pod('client'));
    dns.bindUdp(53, (d) => d.reply(Buffer.from(`answer to ${d.data.toString()} from ${d.remote.address}`)));
    net.setRouter({ route: (proto, dst) => (proto === 'UDP' && dst.address === '10.96.0.10' ? { endpoint: { address: '10.244.0.3', port: 53 } } : undefined) });
    expect((await client.request('10.96.0.10', 53, Buffer.from('q1')))?.toString()).toBe('answer to q1 from 10.244.2.7');
    expect((await net.requestFromNode('172.18.0.2', '10.244.0.3', 53, Buffer.from('q2')))?.toString()).toBe('answer to q2 from 172.18.0.2');
    expect(await client.request('10.244.0.3', 54, Buffer.from('q3'), 30)).toBeUndefined();
    expect(dns.counters().rxBytes).toBe(4);
  });

  it('splice hands a real 127.0.0.1 socket to the pod listener with a cluster-side source', async () => {
    const net = createClusterNetwork();
    const web = net.createPodNetwork('10.244.1.5', pod('web'));
    const http = createServer((req, res) => res.end(`via ${req.url}`));
    const seen: Connection[] = [];
    web.listen(80, (c) => {
      seen.push(c);
      http.emit('connection', c.socket);
    });
    const outside = createNetServer((sock) => {
      net.splice({ address: '172.18.0.1', port: sock.remotePort! }, '10.244.1.5', 80, sock).catch(() => sock.resetAndDestroy());
    });
    outside.listen(0, '127.0.0.1');
    await once(outside, 'listening');
    const port = (outside.address() as AddressInfo).port;
    const body = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/spliced', agent: false }, (res) => collect(res).then(resolve, reject));
      req.on('error', reject);
      req.end();
    });
    expect(body).toBe('via /spliced');
    expect(seen[0]!.remote.address).toBe('172.18.0.1');
    expect(seen[0]!.local).toEqual({ address: '10.244.1.5', port: 80 });
    web.close();
    const refusedSock = netConnect(port, '127.0.0.1');
    const [err] = (await once(refusedSock, 'error')) as [NodeJS.ErrnoException];
    expect(err.code).toBe('ECONNRESET');
    outside.close();
    await once(outside, 'close');
  });
});
