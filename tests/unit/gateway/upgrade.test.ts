/**
 * The gateway's streaming paths against a real API handler and the API server's own streaming
 * upgrade handler (a fake kubelet behind it): exec and port-forward WebSockets need the session
 * cookie (401), this origin (403) and host, then bytes flow both ways; pod logs with follow=true
 * arrive chunk by chunk before the stream ends; /openapi is forwarded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { TestServer } from '../apiserver/fixture';
import { FakeNode } from '../apiserver/streaming/fake-node';
import { collectWs } from '../apiserver/streaming/test-client';
import { NodeConnectionRegistry, type ByteStream, type ContainerLogRequest } from '../../../src-main/apiserver/node-connections';
import { createStreamingUpgrades } from '../../../src-main/apiserver/streaming/upgrade';
import { WsConnection } from '../../../src-main/apiserver/streaming/websocket/connection';
import { startUiGateway, type UiGateway } from '../../../src-main/gateway';

/** A log stream the test feeds by hand. */
class ManualLog implements ByteStream {
  private dataCb?: (c: string) => void;
  private endCb?: () => void;
  closed = false;
  onData(cb: (c: string) => void): void {
    this.dataCb = cb;
  }
  onEnd(cb: () => void): void {
    this.endCb = cb;
  }
  push(c: string): void {
    this.dataCb?.(c);
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.endCb?.();
  }
}

class LoggingNode extends FakeNode {
  logs: { req: ContainerLogRequest; stream: ManualLog }[] = [];
  override containerLogs(req: ContainerLogRequest): Promise<ByteStream> {
    const stream = new ManualLog();
    this.logs.push({ req, stream });
    return Promise.resolve(stream);
  }
}

let t: TestServer;
let gw: UiGateway;
let secret = '';
const node = new LoggingNode();

beforeAll(async () => {
  t = await new TestServer().withNamespaces('default');
  const nodes = new NodeConnectionRegistry();
  nodes.register('node-1', node);
  t.server.ctx.nodes = nodes;
  const r = await t.req('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'busybox' }] } });
  expect(r.status).toBe(201);
  const cur = (await t.req('GET', '/api/v1/namespaces/default/pods/web')).body;
  expect((await t.req('PUT', '/api/v1/namespaces/default/pods/web/status', { ...cur, status: { phase: 'Running', containerStatuses: [{ name: 'app', ready: true, restartCount: 0, image: 'busybox', imageID: '', state: { running: { startedAt: '2026-01-01T00:00:00Z' } } }] } })).status).toBe(200);
  gw = await startUiGateway({ port: 0, handler: t.server.handler, user: { name: 'kubernetes-admin', groups: ['system:masters'] }, upgrade: createStreamingUpgrades(t.server.ctx) });
  secret = new URL(gw.url).searchParams.get('session')!;
});

afterAll(async () => {
  await gw.close();
  t.close();
});

type Upgraded = { upgraded: true; socket: Duplex; head: Buffer; protocol: string } | { upgraded: false; status: number; body: string };

function wsUpgrade(path: string, headers: Record<string, string>, protocols: string[]): Promise<Upgraded> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port: gw.port,
      path,
      headers: {
        host: `127.0.0.1:${gw.port}`,
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': randomBytes(16).toString('base64'),
        'sec-websocket-protocol': protocols.join(', '),
        ...headers,
      },
    });
    req.on('upgrade', (res, socket, head) => resolve({ upgraded: true, socket, head, protocol: String(res.headers['sec-websocket-protocol'] ?? '') }));
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ upgraded: false, status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const cookie = () => `kubesim_session=${secret}`;
const origin = () => `http://127.0.0.1:${gw.port}`;
const exec = (q: string) => `/api/v1/namespaces/default/pods/web/exec?${q}`;

describe('exec WebSocket through the gateway', () => {
  it('without the session cookie: 401 Status, no process started', async () => {
    const before = node.procs.length;
    const r = await wsUpgrade(exec('command=echo&command=hi&stdout=true'), { origin: origin() }, ['v5.channel.k8s.io']);
    expect(r.upgraded).toBe(false);
    if (r.upgraded) return;
    expect(r.status).toBe(401);
    expect(JSON.parse(r.body)).toMatchObject({ kind: 'Status', code: 401, reason: 'Unauthorized' });
    expect(node.procs.length).toBe(before);
  });

  it('from a page of another origin (even another 127.0.0.1 port): 403, no process started', async () => {
    const before = node.procs.length;
    for (const o of ['http://127.0.0.1:1', 'http://evil.example', `https://127.0.0.1:${gw.port}`, 'null']) {
      const r = await wsUpgrade(exec('command=echo&command=hi&stdout=true'), { cookie: cookie(), origin: o }, ['v5.channel.k8s.io']);
      expect(r.upgraded).toBe(false);
      if (r.upgraded) return;
      expect(r.status).toBe(403);
      expect(JSON.parse(r.body).message).toContain(`cross-origin requests from "${o}" are not allowed`);
    }
    expect(node.procs.length).toBe(before);
  });

  it('with a foreign Host (DNS rebinding): 403', async () => {
    const r = await wsUpgrade(exec('command=echo&command=hi&stdout=true'), { cookie: cookie(), origin: 'http://attacker.example:80', host: 'attacker.example' }, ['v5.channel.k8s.io']);
    expect(r.upgraded).toBe(false);
    if (!r.upgraded) expect(r.status).toBe(403);
  });

  it('with the cookie and this origin: 101 v5.channel.k8s.io, stdout, the Status on channel 3, as the session user', async () => {
    const r = await wsUpgrade(exec('container=app&command=echo&command=hi&stdout=true&stderr=true'), { cookie: cookie(), origin: origin() }, ['v5.channel.k8s.io', 'v4.channel.k8s.io']);
    if (!r.upgraded) throw new Error(`${r.status} ${r.body}`);
    expect(r.protocol).toBe('v5.channel.k8s.io');
    const got = await collectWs(new WsConnection(r.socket, r.head, 'client'));
    expect(got.channels.get(1)).toBe('hi\n');
    expect(JSON.parse(got.channels.get(3)!)).toEqual({ metadata: {}, status: 'Success' });
    expect(node.procs.at(-1)!.req).toMatchObject({ pod: 'web', container: 'app', command: ['echo', 'hi'] });
  });

  it('stdin and resize flow from the client to the process', async () => {
    const r = await wsUpgrade(exec('command=cat&stdin=true&stdout=true&tty=false'), { cookie: cookie(), origin: origin() }, ['v5.channel.k8s.io']);
    if (!r.upgraded) throw new Error(`${r.status} ${r.body}`);
    const ws = new WsConnection(r.socket, r.head, 'client');
    const done = collectWs(ws);
    ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('typed\n')]));
    ws.send(Buffer.concat([Buffer.from([4]), Buffer.from('{"Width":100,"Height":30}')]));
    ws.send(Buffer.from([255, 0]));
    const got = await done;
    expect(got.channels.get(1)).toBe('typed\n');
    expect(node.procs.at(-1)!.sizes).toEqual([[100, 30]]);
  });

  it('the session cookie is not passed on to the API (only the session user)', async () => {
    const seen: Record<string, string | undefined>[] = [];
    const upgrade = createStreamingUpgrades(t.server.ctx);
    const g = await startUiGateway({
      port: 0,
      handler: t.server.handler,
      user: { name: 'kubernetes-admin', groups: ['system:masters'] },
      secret: 'x'.repeat(43),
      upgrade: (apiReq, req, socket, head) => {
        seen.push(apiReq.headers);
        expect(apiReq.user.name).toBe('kubernetes-admin');
        return upgrade(apiReq, req, socket, head);
      },
    });
    try {
      const res = await new Promise<number>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port: g.port, path: exec('command=true&stdout=true'), headers: { host: `127.0.0.1:${g.port}`, cookie: `kubesim_session=${'x'.repeat(43)}`, connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': randomBytes(16).toString('base64'), 'sec-websocket-protocol': 'v5.channel.k8s.io' } });
        req.on('upgrade', (m, socket) => {
          socket.destroy();
          resolve(m.statusCode ?? 0);
        });
        req.on('response', (m) => resolve(m.statusCode ?? 0));
        req.on('error', reject);
        req.end();
      });
      expect(res).toBe(101);
      expect(seen[0].cookie).toBeUndefined();
    } finally {
      await g.close();
    }
  });
});

describe('port-forward WebSocket through the gateway', () => {
  it('v4.channel.k8s.io: the port on both channels, then bytes to the pod and back', async () => {
    const r = await wsUpgrade('/api/v1/namespaces/default/pods/web/portforward?ports=80', { cookie: cookie(), origin: origin() }, ['v4.channel.k8s.io']);
    if (!r.upgraded) throw new Error(`${r.status} ${r.body}`);
    const ws = new WsConnection(r.socket, r.head, 'client');
    const data: Buffer[] = [];
    const opened: number[] = [];
    const got = new Promise<string>((resolve) => {
      ws.onMessage((d) => {
        if (d.length === 3 && opened.length < 2) {
          opened.push(d[0]);
          expect(d.readUInt16LE(1)).toBe(80);
          return;
        }
        if (d[0] === 0) {
          data.push(d.subarray(1));
          if (Buffer.concat(data).toString().includes('PING')) resolve(Buffer.concat(data).toString());
        }
      });
    });
    ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('ping')]));
    expect(await got).toBe('PING');
    expect(opened).toEqual([0, 1]);
    ws.close(1000);
  });

  it('without the cookie: 401', async () => {
    const r = await wsUpgrade('/api/v1/namespaces/default/pods/web/portforward?ports=80', { origin: origin() }, ['v4.channel.k8s.io']);
    expect(r.upgraded ? 101 : r.status).toBe(401);
  });
});

describe('other streaming paths', () => {
  function get(path: string, onChunk?: (c: string) => void): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
    return new Promise((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: gw.port, path, headers: { host: `127.0.0.1:${gw.port}`, cookie: cookie() } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => {
          body += c.toString();
          onChunk?.(c.toString());
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('pod logs with follow=true: each line reaches the client as it is written, before the stream ends', async () => {
    const seen: string[] = [];
    let chunkArrived: () => void = () => {};
    const reply = get('/api/v1/namespaces/default/pods/web/log?follow=true&timestamps=true&tailLines=5', (c) => {
      seen.push(c);
      chunkArrived();
    });
    const waitChunk = () => new Promise<void>((r) => (chunkArrived = r));
    for (let i = 0; i < 50 && node.logs.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    const { req, stream } = node.logs.at(-1)!;
    expect(req.options).toMatchObject({ follow: true, timestamps: true, tailLines: 5 });
    let w = waitChunk();
    stream.push('line 1\n');
    await w;
    expect(seen.join('')).toBe('line 1\n');
    w = waitChunk();
    stream.push('line 2\n');
    await w;
    expect(seen.join('')).toBe('line 1\nline 2\n');
    stream.close();
    const r = await reply;
    expect(r.status).toBe(200);
    expect(r.headers['transfer-encoding']).toBe('chunked');
    expect(r.body).toBe('line 1\nline 2\n');
  });

  it('a client leaving a followed log closes the kubelet stream', async () => {
    const req = http.request({ host: '127.0.0.1', port: gw.port, path: '/api/v1/namespaces/default/pods/web/log?follow=true', headers: { host: `127.0.0.1:${gw.port}`, cookie: cookie() } });
    req.on('error', () => {});
    const started = new Promise<void>((r) => req.on('response', () => r()));
    req.end();
    await started;
    const { stream } = node.logs.at(-1)!;
    req.destroy();
    for (let i = 0; i < 100 && !stream.closed; i++) await new Promise((r) => setTimeout(r, 10));
    expect(stream.closed).toBe(true);
  });

  it('forwards /openapi/v2 and /openapi/v3', async () => {
    const v3 = await get('/openapi/v3');
    expect(v3.status).toBe(200);
    expect(JSON.parse(v3.body).paths['api/v1']).toBeDefined();
    const v2 = await get('/openapi/v2');
    expect(v2.status).toBe(200);
  });
});

describe('watches and logs over WebSocket (the browser’s six-connections-per-host limit does not apply)', () => {
  it('a followed log: binary messages as lines are written, a normal close when it ends, the session checks first', async () => {
    const denied = await wsUpgrade('/api/v1/namespaces/default/pods/web/log?follow=true', { origin: 'http://127.0.0.1:1', cookie: cookie() }, []);
    expect(denied.upgraded ? 101 : denied.status).toBe(403);
    const before = node.logs.length;
    const r = await wsUpgrade('/api/v1/namespaces/default/pods/web/log?follow=true&container=app', { cookie: cookie(), origin: origin() }, ['binary.k8s.io']);
    if (!r.upgraded) throw new Error(`${r.status} ${r.body}`);
    expect(r.protocol).toBe('binary.k8s.io');
    const ws = new WsConnection(r.socket, r.head, 'client');
    const msgs: string[] = [];
    let got: () => void = () => {};
    ws.onMessage((d, binary) => {
      msgs.push(`${binary}:${d.toString()}`);
      got();
    });
    const closed = new Promise<number>((res) => ws.onClose(res));
    for (let i = 0; i < 50 && node.logs.length === before; i++) await new Promise((res) => setTimeout(res, 10));
    const { stream, req } = node.logs.at(-1)!;
    expect(req.options).toMatchObject({ follow: true });
    let w = new Promise<void>((res) => (got = res));
    stream.push('one\n');
    await w;
    expect(msgs).toEqual(['true:one\n']);
    w = new Promise<void>((res) => (got = res));
    stream.push('two\n');
    await w;
    stream.close();
    expect(await closed).toBe(1000);
    expect(msgs).toEqual(['true:one\n', 'true:two\n']);
  });

  it('base64.binary.k8s.io: base64 text messages; the client leaving closes the kubelet stream', async () => {
    const before = node.logs.length;
    const r = await wsUpgrade('/api/v1/namespaces/default/pods/web/log?follow=true', { cookie: cookie(), origin: origin() }, ['base64.binary.k8s.io']);
    if (!r.upgraded) throw new Error(`${r.status} ${r.body}`);
    expect(r.protocol).toBe('base64.binary.k8s.io');
    const ws = new WsConnection(r.socket, r.head, 'client');
    const msg = new Promise<string>((res) => ws.onMessage((d, binary) => res(`${binary}:${d.toString()}`)));
    for (let i = 0; i < 50 && node.logs.length === before; i++) await new Promise((res) => setTimeout(res, 10));
    const { stream } = node.logs.at(-1)!;
    stream.push('héllo\n');
    expect(await msg).toBe(`false:${Buffer.from('héllo\n').toString('base64')}`);
    ws.destroy();
    for (let i = 0; i < 100 && !stream.closed; i++) await new Promise((res) => setTimeout(res, 10));
    expect(stream.closed).toBe(true);
  });

  it('lines written in one burst travel as one message (not one per line), in order', async () => {
    const before = node.logs.length;
    const r = await wsUpgrade('/api/v1/namespaces/default/pods/web/log?follow=true', { cookie: cookie(), origin: origin() }, ['binary.k8s.io']);
    if (!r.upgraded) throw new Error(`${r.status} ${r.body}`);
    const ws = new WsConnection(r.socket, r.head, 'client');
    const msgs: Buffer[] = [];
    ws.onMessage((d) => msgs.push(d));
    const closed = new Promise<number>((res) => ws.onClose(res));
    for (let i = 0; i < 50 && node.logs.length === before; i++) await new Promise((res) => setTimeout(res, 10));
    const { stream } = node.logs.at(-1)!;
    let want = '';
    for (let i = 1; i <= 5000; i++) {
      stream.push(`${i}\n`);
      want += `${i}\n`;
    }
    stream.close();
    expect(await closed).toBe(1000);
    expect(Buffer.concat(msgs).toString()).toBe(want);
    expect(msgs.length).toBeLessThanOrEqual(2); // 23 KB: one turn, one message
  });

  it('an unknown log subprotocol is refused before the switch', async () => {
    const r = await wsUpgrade('/api/v1/namespaces/default/pods/web/log?follow=true', { cookie: cookie(), origin: origin() }, ['v5.channel.k8s.io']);
    expect(r.upgraded).toBe(false);
    if (!r.upgraded) expect(r.body).toContain('supports [binary.k8s.io base64.binary.k8s.io]');
  });

  it('a log error (no such pod) is the API’s Status, not an upgrade', async () => {
    const r = await wsUpgrade('/api/v1/namespaces/default/pods/nope/log?follow=true', { cookie: cookie(), origin: origin() }, ['binary.k8s.io']);
    expect(r.upgraded).toBe(false);
    if (!r.upgraded) {
      expect(r.status).toBe(404);
      expect(JSON.parse(r.body).message).toBe('pods "nope" not found');
    }
  });

  it('a watch: one JSON event per text message', async () => {
    const list = await t.req('GET', '/api/v1/namespaces/default/pods');
    const rv = list.body.metadata.resourceVersion as string;
    const r = await wsUpgrade(`/api/v1/namespaces/default/pods?watch=1&resourceVersion=${rv}`, { cookie: cookie(), origin: origin() }, []);
    if (!r.upgraded) throw new Error(`${r.status} ${r.body}`);
    const ws = new WsConnection(r.socket, r.head, 'client');
    const ev = new Promise<{ type: string; object: { metadata: { name: string } } }>((res) => ws.onMessage((d, binary) => !binary && res(JSON.parse(d.toString()))));
    expect((await t.req('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'watched' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } })).status).toBe(201);
    const e = await ev;
    expect(e.type).toBe('ADDED');
    expect(e.object.metadata.name).toBe('watched');
    ws.close(1000);
  });
});

