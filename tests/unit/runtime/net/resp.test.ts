import { afterEach, describe, expect, it } from 'vitest';
import { encodeCommand, encodeReply, RespParser, RespProtocolError, splitInline } from '../../../../src-main/runtime/net/resp';
import { serveResp } from '../../../../src-main/runtime/net/resp-server';
import { RespClient } from '../../../../src-main/runtime/net/resp-client';
import { socketPair } from '../../../../src-main/network/socket-pair';
import type { Connection } from '../../../../src-main/network/types';
import type { RespValue } from '../../../../src-main/runtime/program';
import { settle } from '../harness';
import { testCluster, type TestCluster } from './cluster';

function pair(): { client: Connection; server: Connection } {
  const c = { address: '10.244.1.2', port: 40000 };
  const s = { address: '10.244.1.3', port: 6379 };
  const { client, server } = socketPair(c, s);
  return { client: { socket: client, local: c, remote: s }, server: { socket: server, local: s, remote: c } };
}

function collect(conn: Connection): { text: () => string; ended: Promise<void> } {
  let text = '';
  conn.socket.on('data', (c: Buffer) => (text += c.toString('utf8')));
  const ended = new Promise<void>((r) => conn.socket.on('end', () => r()));
  return { text: () => text, ended };
}

describe('RESP codec', () => {
  it('encodes every reply type as redis does', () => {
    expect(encodeReply({ status: 'OK' })).toBe('+OK\r\n');
    expect(encodeReply({ error: 'ERR bad\nthing' })).toBe('-ERR bad thing\r\n');
    expect(encodeReply(42)).toBe(':42\r\n');
    expect(encodeReply(null)).toBe('$-1\r\n');
    expect(encodeReply('héllo')).toBe('$6\r\nhéllo\r\n');
    expect(encodeReply(['a', 1, null, []])).toBe('*4\r\n$1\r\na\r\n:1\r\n$-1\r\n*0\r\n');
    expect(encodeCommand(['SET', 'k', 'v v'])).toBe('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\nv v\r\n');
  });

  it('parses pipelined commands fed one byte at a time, inline commands and empty lines', () => {
    const wire = Buffer.from(encodeCommand(['SET', 'k', 'a\r\nb']) + 'PING\r\n\r\n' + 'set "x y" \'z\'\n' + encodeCommand(['GET', 'k']));
    const p = new RespParser('server');
    const got: string[][] = [];
    for (const byte of wire) {
      p.push(Buffer.from([byte]));
      for (let c = p.nextCommand(); c; c = p.nextCommand()) got.push(c);
    }
    expect(got).toEqual([['SET', 'k', 'a\r\nb'], ['PING'], ['set', 'x y', 'z'], ['GET', 'k']]);
    expect(p.pending).toBe(0);
  });

  it('rejects protocol violations with redis texts', () => {
    const bad = (text: string) => {
      const p = new RespParser('server');
      p.push(Buffer.from(text));
      try {
        p.nextCommand();
      } catch (e) {
        return e instanceof RespProtocolError ? e.message : 'other';
      }
      return 'none';
    };
    expect(bad('*1\r\n:1\r\n')).toBe("expected '$', got ':'");
    expect(bad('*x\r\n')).toBe('invalid multibulk length');
    expect(bad('*1\r\n$-5\r\n')).toBe('invalid bulk length');
    expect(bad('SET "a\r\n')).toBe('unbalanced quotes in request');
    expect(splitInline('get "a\\x41\\n"')).toEqual(['get', 'aA\n']);
    expect(splitInline('"a"b')).toBeUndefined();
  });

  it('parses every reply type split anywhere', () => {
    const wire = Buffer.from('+OK\r\n-ERR no\r\n:7\r\n$-1\r\n$3\r\nabc\r\n*2\r\n$1\r\nx\r\n*1\r\n:2\r\n*-1\r\n');
    for (let cut = 1; cut < wire.length; cut++) {
      const p = new RespParser('client');
      const got: RespValue[] = [];
      for (const part of [wire.subarray(0, cut), wire.subarray(cut)]) {
        p.push(part);
        for (let r = p.nextReply(); r; r = p.nextReply()) got.push(r.value);
      }
      expect(got).toEqual([{ status: 'OK' }, { error: 'ERR no' }, 7, null, 'abc', ['x', [2]], null]);
    }
  });
});

describe('RESP over a socket', () => {
  it('the server answers pipelined and inline commands in order, one write per read; QUIT closes', async () => {
    const { client, server } = pair();
    const seen: string[][] = [];
    let counted = 0;
    serveResp(server, (args) => (seen.push(args), args[0] === 'PING' ? { status: 'PONG' } : args.length), () => counted++);
    const out = collect(client);
    client.socket.write(encodeCommand(['PING']) + encodeCommand(['A', 'b', 'c']).slice(0, 7));
    client.socket.write(encodeCommand(['A', 'b', 'c']).slice(7) + 'INLINE one two\r\nQUIT\r\nPING\r\n');
    await out.ended;
    expect(out.text()).toBe('+PONG\r\n:3\r\n:3\r\n+OK\r\n');
    expect(seen).toEqual([['PING'], ['A', 'b', 'c'], ['INLINE', 'one', 'two']]);
    expect(counted).toBe(4);
  });

  it('a protocol error is answered and the connection closed', async () => {
    const { client, server } = pair();
    serveResp(server, () => 'x');
    const out = collect(client);
    client.socket.write('*1\r\n:5\r\n');
    await out.ended;
    expect(out.text()).toBe("-ERR Protocol error: expected '$', got ':'\r\n");
  });

  it('the client matches pipelined replies to commands; a dropped server rejects what is waiting', async () => {
    const { client, server } = pair();
    let n = 0;
    serveResp(server, (args) => (args[0] === 'ERR' ? { error: 'ERR nope' } : ++n));
    const c = new RespClient(client, '10.244.1.3');
    const replies = await Promise.all([c.command(['INCR']), c.command(['ERR']), c.command(['INCR'])]);
    expect(replies).toEqual([1, { error: 'ERR nope' }, 2]);
    const hanging = pair();
    hanging.server.socket.on('data', () => {});
    const c2 = new RespClient(hanging.client, 'redis');
    const waiting = c2.command(['GET', 'k']);
    await settle();
    (hanging.server.socket as unknown as { reset(): void }).reset();
    await expect(waiting).rejects.toMatchObject({ code: 'ECONNRESET', errno: 104 });
    expect(c2.open).toBe(false);
  });
});

let cluster: TestCluster;
afterEach(() => cluster?.stop());

describe('redis on the pod network', () => {
  it('redis-cli -h reaches another pod; the seed 001 backend counts users through REDIS_URL=redis:6379', async () => {
    cluster = testCluster();
    const redis = cluster.pod('redis:6.0.3-alpine', '10.244.1.7', { hostname: 'redis-0' });
    cluster.service('10.96.0.7', 6379, { address: '10.244.1.7', port: 6379 });
    cluster.names['redis.default.svc.cluster.local'] = '10.96.0.7';
    const other = cluster.pod('redis:7.2', '10.244.2.8');
    const backend = cluster.pod('c1524db4f1/kubernetes-tutorial-backend:v0.3.0', '10.244.2.9', { env: [{ name: 'REDIS_URL', value: 'redis:6379' }] });
    await settle(10);
    const out: string[] = [];
    const io = { stdout: (s: string) => out.push(s), stderr: (s: string) => out.push(s) };
    expect(await other.proc.exec!(['redis-cli', '-h', 'redis', 'set', 'greeting', 'hello'], io)).toBe(0);
    expect(await other.proc.exec!(['redis-cli', '-h', '10.244.1.7', 'get', 'greeting'], io)).toBe(0);
    expect(out.join('')).toBe('OK\nhello\n');
    const ask = async (method: string) => {
      const conn = await cluster.fabric.connectFromNode('172.18.0.2', '10.244.2.9', 1323);
      const body = new Promise<string>((resolve) => {
        let text = '';
        conn.socket.on('data', (c: Buffer) => (text += c.toString('utf8')));
        conn.socket.on('error', () => {});
        conn.socket.on('end', () => {
          conn.socket.end();
          resolve(text.slice(text.indexOf('\r\n\r\n') + 4));
        });
      });
      conn.socket.write(`${method} /users/10 HTTP/1.1\r\nHost: app\r\nConnection: close\r\n\r\n`);
      return body;
    };
    expect([await ask('GET'), await ask('POST'), await ask('POST'), await ask('GET')]).toEqual(['0', '1', '2', '2']);
    // the counter lives in the redis pod
    out.length = 0;
    await redis.proc.exec!(['redis-cli', 'get', 'user:10'], io);
    expect(out.join('')).toBe('2\n');
    // redis goes away: the backend's pooled connection is reset and it answers 500
    redis.proc.signal('SIGKILL');
    await settle();
    const down = await ask('GET');
    expect(down).toContain('Internal Server Error');
    void backend;
  });
});
