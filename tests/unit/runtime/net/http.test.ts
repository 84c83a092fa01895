import { afterEach, describe, expect, it } from 'vitest';
import { Fabric } from '../../../../src-main/network/fabric';
import type { Connection } from '../../../../src-main/network/types';
import type { Container } from '../../../../src-main/runtime/container';
import { SocketError } from '../../../../src-main/runtime/net/errors';
import { settle, start } from '../harness';
import { testCluster, type TestCluster } from './cluster';

/** Reads from a raw connection until `done(text)` says the answer is complete. */
function readUntil(conn: Connection, done: (text: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    conn.socket.on('data', (c: Buffer) => {
      text += c.toString('utf8');
      if (done(text)) resolve(text);
    });
    conn.socket.on('end', () => resolve(text));
    conn.socket.on('error', reject);
  });
}

async function exec(c: { proc: { exec?: Container['exec'] } }, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await c.proc.exec!(argv, { stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
  return { code, out: out.join(''), err: err.join('') };
}

let cluster: TestCluster;
afterEach(() => cluster?.stop());

describe('HTTP servers on pod sockets', () => {
  it('busybox wget reaches nginx through a service VIP; busybox texts for 404, refused and bad names', async () => {
    cluster = testCluster();
    const web = cluster.pod('nginx:1.27', '10.244.1.5');
    const bb = cluster.pod('busybox:1.36', '10.244.2.7', { command: ['sleep', '3600'] });
    cluster.service('10.96.0.5', 80, { address: '10.244.1.5', port: 80 });
    cluster.names['web.default.svc.cluster.local'] = '10.96.0.5';
    await settle();
    const ok = await exec(bb, ['wget', '-qO-', 'http://10.96.0.5']);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('<title>Welcome to nginx!</title>');
    expect(web.out.join('')).toContain('10.244.2.7 - - [23/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 615 "-" "Wget" "-"\n');
    const named = await exec(bb, ['wget', '-O-', 'http://web/']);
    expect(named.err).toBe('Connecting to web (10.96.0.5:80)\nwriting to stdout\n-                    100% |********************************|   615  0:00:00 ETA\nwritten to stdout\n');
    const missing = await exec(bb, ['wget', '-q', '-O', '-', 'http://web/missing']);
    expect([missing.code, missing.err]).toEqual([1, 'wget: server returned error: HTTP/1.1 404 Not Found\n']);
    const refused = await exec(bb, ['wget', '-qO-', 'http://10.244.1.5:81/']);
    expect([refused.code, refused.err]).toEqual([1, "wget: can't connect to remote host (10.244.1.5): Connection refused\n"]);
    const bad = await exec(bb, ['wget', '-qO-', 'http://nope/']);
    expect([bad.code, bad.err]).toEqual([1, "wget: bad address 'nope'\n"]);
    const saved = await exec(bb, ['sh', '-c', 'cd /tmp && wget http://web:80/ && wc -c index.html']);
    expect(saved.err).toBe("Connecting to web:80 (10.96.0.5:80)\nsaving to 'index.html'\nindex.html           100% |********************************|   615  0:00:00 ETA\n'index.html' saved\n");
    expect(saved.out.trim()).toBe('615 index.html');
    const spider = await exec(bb, ['wget', '--spider', '-S', 'http://10.244.1.5/']);
    expect(spider.code).toBe(0);
    expect(spider.err).toContain('  HTTP/1.1 200 OK\n  Server: nginx/1.27.5\n');
    expect(spider.err.endsWith('remote file exists\n')).toBe(true);
  });

  it('keep-alive, pipelined requests, HEAD, chunked request bodies and HTTP/1.0 over one raw connection', async () => {
    cluster = testCluster();
    cluster.pod('nginx:1.27', '10.244.1.5');
    const kubia = cluster.pod('luksa/kubia', '10.244.1.6');
    await settle();
    const conn = await cluster.fabric.connectFromNode('172.18.0.2', '10.244.1.5', 80);
    const two = readUntil(conn, (t) => (t.match(/HTTP\/1\.1 /g) ?? []).length >= 2 && t.includes('</html>') && /HTTP\/1\.1 200 OK[\s\S]*HTTP\/1\.1 /.test(t));
    conn.socket.write('HEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n');
    const text = await two;
    const [head, get] = text.split(/(?=HTTP\/1\.1 200 OK)/).filter(Boolean);
    expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\nServer: nginx\/1\.27\.5\r\n[\s\S]*Content-Length: 615\r\n[\s\S]*\r\n\r\n$/);
    expect(get).toContain('<title>Welcome to nginx!</title>');
    conn.socket.destroy();

    // a chunked POST to kubia (node) is read whole; kubia sees the client as ::ffff:<ip>
    const c2 = await cluster.fabric.connectFromNode('172.18.0.2', '10.244.1.6', 8080);
    const answer = readUntil(c2, (t) => t.includes("You've hit"));
    c2.socket.write('POST / HTTP/1.1\r\nHost: k\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n');
    expect(await answer).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*You've hit pod-6\n$/);
    expect(kubia.out.join('')).toContain('Received request from ::ffff:172.18.0.2\n');
    c2.socket.destroy();

    // HTTP/1.0 without keep-alive: nginx answers and closes
    const c3 = await cluster.fabric.connectFromNode('172.18.0.2', '10.244.1.5', 80);
    const closed = readUntil(c3, () => false);
    c3.socket.write('GET /nope HTTP/1.0\r\n\r\n');
    const t3 = await closed;
    expect(t3).toMatch(/^HTTP\/1\.1 404 Not Found\r\n[\s\S]*Connection: close\r\n/);
  });

  it('a port taken in the pod: the second bind fails with EADDRINUSE (98); killing the container frees it and resets its connections', async () => {
    const fabric = new Fabric();
    const net = fabric.createPodNetwork('10.244.3.3', { namespace: 'default', name: 'two', uid: 'u2', nodeName: 'w' });
    const web = start('nginx:1.27', { net });
    const side = start('busybox', { net, command: ['sleep', '3600'] });
    await settle();
    let err: unknown;
    try {
      (side.proc as Container).listen(80, 'TCP', { http: () => ({ status: 200, body: '' }) });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SocketError);
    expect(err).toMatchObject({ code: 'EADDRINUSE', errno: 98, message: 'Address already in use' });
    // the busybox container sees nginx's sockets: same network namespace
    const ns = await exec(side, ['netstat', '-tln']);
    expect(ns.out).toContain('tcp        0      0 0.0.0.0:80              0.0.0.0:*               LISTEN      \n');
    // and reaches it on localhost
    expect((await exec(side, ['wget', '-qO-', 'http://localhost/'])).out).toContain('Welcome to nginx!');

    const conn = await fabric.connectFromNode('172.18.0.2', '10.244.3.3', 80);
    const ended = new Promise<string>((resolve) => {
      conn.socket.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      conn.socket.on('close', () => resolve('close'));
    });
    await settle();
    web.proc.signal('SIGKILL');
    expect(await ended).toBe('ECONNRESET');
    expect(net.bindings()).toEqual([]);
    await expect(fabric.connectFromNode('172.18.0.2', '10.244.3.3', 80)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    const l = (side.proc as Container).listen(80, 'TCP', { http: () => ({ status: 204, body: '' }) });
    expect(net.bindings().map((b) => `${b.address}:${b.port}`)).toEqual(['0.0.0.0:80']);
    l.close();
    expect(net.bindings()).toEqual([]);
    side.proc.signal('SIGKILL');
  });

  it('outbound errors carry errno and libc text; without a network only the container itself answers', async () => {
    cluster = testCluster();
    const bb = cluster.pod('busybox', '10.244.4.4', { command: ['sleep', '3600'] });
    await settle();
    const host = bb.proc as Container;
    await expect(host.httpRequest('http://10.244.9.9/', { method: 'GET', path: '/', headers: {}, remoteAddress: '' })).rejects.toMatchObject({ code: 'EHOSTUNREACH', errno: 113, message: 'No route to host', host: '10.244.9.9' });
    await expect(host.httpRequest('http://10.244.4.4:8080/', { method: 'GET', path: '/', headers: {}, remoteAddress: '' })).rejects.toMatchObject({ code: 'ECONNREFUSED', errno: 111, message: 'Connection refused' });
    await expect(host.respRequest('nope', 6379, ['PING'])).rejects.toMatchObject({ code: 'ENOTFOUND', host: 'nope' });

    const lonely = start('nginx:1.27');
    await settle();
    const local = await exec(lonely, ['sh', '-c', 'echo hi > /usr/share/nginx/html/x.txt']);
    expect(local.code).toBe(0);
    const r = await (lonely.proc as Container).httpRequest('http://localhost/x.txt', { method: 'GET', path: '/x.txt', headers: {}, remoteAddress: '' });
    expect(r.body).toBe('hi\n');
    await expect((lonely.proc as Container).httpRequest('http://10.0.0.1/', { method: 'GET', path: '/', headers: {}, remoteAddress: '' })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    lonely.proc.signal('SIGKILL');
  });

  it('requests served add CPU that decays; cumulative CPU only grows', async () => {
    cluster = testCluster();
    const web = cluster.pod('nginx:1.27', '10.244.1.5');
    await settle();
    const idle = web.proc.usage!();
    for (let i = 0; i < 200; i++) {
      const conn = await cluster.fabric.connectFromNode('172.18.0.2', '10.244.1.5', 80);
      const done = readUntil(conn, (t) => t.includes('</html>'));
      conn.socket.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      await done;
    }
    const busy = web.proc.usage!();
    // 200 requests within one instant: load 200 over τ = 10 s → 20 req/s × 0.5 ms = 10m
    expect(busy.cpuMillicores - idle.cpuMillicores).toBe(10);
    expect(busy.cpuCoreNanoseconds! - idle.cpuCoreNanoseconds!).toBe(200 * 500_000);
    cluster.clock.advance(60_000);
    const later = web.proc.usage!();
    expect(later.cpuMillicores).toBe(idle.cpuMillicores);
    expect(later.cpuCoreNanoseconds!).toBeGreaterThanOrEqual(busy.cpuCoreNanoseconds!);
  });
});
