import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import https from 'node:https';
import { TestServer } from '../fixture';
import { listenApi, type ApiListener } from '../../../../src-main/apiserver/http';
import { loadOrCreatePki } from '../../../../src-main/pki';
import { NodeConnectionRegistry } from '../../../../src-main/apiserver/node-connections';
import { createStreamingUpgrades } from '../../../../src-main/apiserver/streaming/upgrade';
import { FakeNode, REFUSED } from './fake-node';
import { collectWs, spdyConnect, upgradeRequest, wsConnect } from './test-client';
import { randomBytes } from 'node:crypto';
import { READY_FLOOR_MS } from '../../../../src-main/apiserver/streaming/ws-remote-command';
import { OP_BINARY, OP_CLOSE, OP_PING, OP_PONG, WsFrameParser, encodeFrame } from '../../../../src-main/apiserver/streaming/websocket/frames';
import type { SpdySession, SpdyStream } from '../../../../src-main/apiserver/streaming/spdy/session';

const TOKEN = 'test-token';
let t: TestServer;
let api: ApiListener;
let dir: string;
const node = new FakeNode();
let uid = '';

async function pod(name: string, spec: Record<string, unknown>, phase = 'Running'): Promise<string> {
  const r = await t.req('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec });
  expect(r.status).toBe(201);
  const cur = (await t.req('GET', `/api/v1/namespaces/default/pods/${name}`)).body;
  const s = await t.req('PUT', `/api/v1/namespaces/default/pods/${name}/status`, { ...cur, status: { phase } });
  expect(s.status).toBe(200);
  return cur.metadata.uid;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kubesim-streaming-'));
  t = await new TestServer().withNamespaces('default');
  const nodes = new NodeConnectionRegistry();
  nodes.register('node-1', node);
  t.server.ctx.nodes = nodes;
  uid = await pod('web', { nodeName: 'node-1', containers: [{ name: 'app', image: 'busybox' }, { name: 'stopped', image: 'busybox' }] });
  await pod('solo', { nodeName: 'node-1', containers: [{ name: 'app', image: 'busybox' }] });
  await pod('pending', { containers: [{ name: 'app', image: 'busybox' }] }, 'Pending');
  await pod('done', { nodeName: 'node-1', restartPolicy: 'Never', containers: [{ name: 'app', image: 'busybox' }] }, 'Succeeded');
  const pki = await loadOrCreatePki(dir);
  api = await listenApi({ port: 0, certPem: pki.serverCertPem, keyPem: pki.serverKeyPem, tokens: new Map([[TOKEN, { name: 'admin', groups: ['system:masters'] }]]), handler: t.server.handler, upgrade: createStreamingUpgrades(t.server.ctx) });
});

afterAll(async () => {
  await api.close();
  t.close();
  rmSync(dir, { recursive: true, force: true });
});

const execPath = (pod: string, q: string) => `/api/v1/namespaces/default/pods/${pod}/exec?${q}`;

describe('exec over WebSocket', () => {
  it('v5: output on stdout, Success on the error channel, then a normal close', async () => {
    const c = await wsConnect(api.port, TOKEN, execPath('web', 'container=app&command=echo&command=hi&stdout=true&stderr=true'), ['v5.channel.k8s.io', 'v4.channel.k8s.io']);
    if (!('ws' in c)) throw new Error(c.body);
    expect(c.protocol).toBe('v5.channel.k8s.io');
    const r = await collectWs(c.ws);
    expect(r.order[0]).toBe(1); // the empty "connected" message on stdout comes first
    expect(r.channels.get(1)).toBe('hi\n');
    expect(JSON.parse(r.channels.get(3)!)).toEqual({ metadata: {}, status: 'Success' });
    expect(r.code).toBe(1000);
    expect(node.procs.at(-1)!.req).toMatchObject({ namespace: 'default', pod: 'web', uid, container: 'app', command: ['echo', 'hi'], stdin: false, stdout: true, stderr: true, tty: false });
  });

  it('no frame goes out before the client answered a ping (kubectl drops output for streams it has not made yet)', async () => {
    // A client that reads the raw frames and answers nothing yet: kubectl's reader is not running.
    const r = await upgradeRequest(api.port, execPath('web', 'container=app&command=echo&command=early&stdout=true&stderr=true'), {
      Authorization: `Bearer ${TOKEN}`,
      Upgrade: 'websocket',
      'Sec-WebSocket-Version': '13',
      'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
      'Sec-WebSocket-Protocol': 'v5.channel.k8s.io',
    });
    if (!r.upgraded) throw new Error(r.body);
    const parser = new WsFrameParser(1 << 20);
    const frames: { opcode: number; payload: Buffer }[] = [...parser.push(r.head)];
    r.socket.on('data', (c: Buffer) => frames.push(...parser.push(c)));
    // the process has long written its output and exited; the server only pinged
    await new Promise((res) => setTimeout(res, 100));
    expect(frames.map((f) => f.opcode)).toEqual([OP_PING]);
    r.socket.write(encodeFrame(OP_PONG, frames[0]!.payload, { mask: Buffer.from([1, 2, 3, 4]) }));
    for (let i = 0; i < 100 && !frames.some((f) => f.opcode === OP_CLOSE); i++) await new Promise((res) => setTimeout(res, 5));
    expect(frames.map((f) => (f.opcode === OP_BINARY ? `${f.payload[0]}:${f.payload.subarray(1).toString()}` : f.opcode))).toEqual([
      OP_PING,
      '1:',
      '1:early\n',
      '3:{"metadata":{},"status":"Success"}',
      OP_CLOSE,
    ]);
    r.socket.destroy();
  });

  it('a client answering at once still gets nothing before a few milliseconds (its other goroutine may lag)', async () => {
    // From before the upgrade request: the server's floor starts after it arrives, so this holds
    // however late this (loaded) process gets to see the 101.
    const t0 = performance.now();
    const c = await wsConnect(api.port, TOKEN, execPath('web', 'container=app&command=echo&command=soon&stdout=true'), ['v5.channel.k8s.io']);
    if (!('ws' in c)) throw new Error(c.body);
    let first = -1;
    c.ws.onMessage(() => first < 0 && (first = performance.now() - t0));
    const r = await collectWs(c.ws);
    expect(r.channels.get(1)).toBe('soon\n');
    expect(first).toBeGreaterThanOrEqual(READY_FLOOR_MS - 2);
  });

  it('a client that never answers pings still gets its output (after a short wait)', async () => {
    const r = await upgradeRequest(api.port, execPath('web', 'container=app&command=echo&command=late&stdout=true'), {
      Authorization: `Bearer ${TOKEN}`,
      Upgrade: 'websocket',
      'Sec-WebSocket-Version': '13',
      'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
      'Sec-WebSocket-Protocol': 'v4.channel.k8s.io',
    });
    if (!r.upgraded) throw new Error(r.body);
    const parser = new WsFrameParser(1 << 20);
    const frames: { opcode: number; payload: Buffer }[] = [...parser.push(r.head)];
    r.socket.on('data', (c: Buffer) => frames.push(...parser.push(c)));
    for (let i = 0; i < 200 && !frames.some((f) => f.opcode === OP_CLOSE); i++) await new Promise((res) => setTimeout(res, 5));
    expect(frames.filter((f) => f.opcode === OP_BINARY).map((f) => f.payload.subarray(1).toString())).toEqual(['', 'late\n', '{"metadata":{},"status":"Success"}']);
    r.socket.destroy();
  });

  it('a non-zero exit: NonZeroExitCode with the ExitCode cause kubectl turns into its message', async () => {
    const c = await wsConnect(api.port, TOKEN, execPath('solo', 'command=sh&command=-c&command=exit%203&stdout=true&stderr=true'), ['v4.channel.k8s.io']);
    if (!('ws' in c)) throw new Error(c.body);
    const status = JSON.parse((await collectWs(c.ws)).channels.get(3)!);
    expect(status).toMatchObject({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] } });
  });

  it('a missing executable: InternalError with the runtime text', async () => {
    const c = await wsConnect(api.port, TOKEN, execPath('solo', 'command=missing&stdout=true'), ['v5.channel.k8s.io']);
    if (!('ws' in c)) throw new Error(c.body);
    const status = JSON.parse((await collectWs(c.ws)).channels.get(3)!);
    expect(status.reason).toBe('InternalError');
    expect(status.message).toBe('Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "abc": OCI runtime exec failed: exec failed: unable to start container process: exec: "missing": executable file not found in $PATH: unknown');
  });

  it('v5 stdin, resize, and the close-stream signal half-closes stdin', async () => {
    const c = await wsConnect(api.port, TOKEN, execPath('solo', 'command=cat&stdin=true&stdout=true&stderr=true&tty=false'), ['v5.channel.k8s.io']);
    if (!('ws' in c)) throw new Error(c.body);
    const done = collectWs(c.ws);
    c.ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('abc\n')]));
    c.ws.send(Buffer.concat([Buffer.from([4]), Buffer.from('{"Width":120,"Height":40}')]));
    c.ws.send(Buffer.from([255, 0]));
    const r = await done;
    expect(r.channels.get(1)).toBe('abc\n');
    const proc = node.procs.at(-1)!;
    expect(proc.stdinClosed).toBe(true);
    expect(proc.sizes).toEqual([[120, 40]]);
  });

  it('base64 protocol: text messages with an ASCII channel digit', async () => {
    const c = await wsConnect(api.port, TOKEN, execPath('solo', 'command=echo&command=b64&stdout=true'), ['v4.base64.channel.k8s.io']);
    if (!('ws' in c)) throw new Error(c.body);
    const msgs: string[] = [];
    c.ws.onMessage((d, binary) => msgs.push(`${binary}:${d.toString()}`));
    await new Promise((r) => c.ws.onClose(r));
    expect(msgs).toContain(`false:1${Buffer.from('b64\n').toString('base64')}`);
  });

  it('the client going away closes the container stream (exec kills its process)', async () => {
    const c = await wsConnect(api.port, TOKEN, execPath('solo', 'command=sleep&stdout=true'), ['v5.channel.k8s.io']);
    if (!('ws' in c)) throw new Error(c.body);
    await new Promise((r) => setTimeout(r, 20));
    const proc = node.procs.at(-1)!;
    c.ws.destroy();
    for (let i = 0; i < 50 && !proc.closed; i++) await new Promise((r) => setTimeout(r, 10));
    expect(proc.closed).toBe(true);
  });
});

/** kubectl's SPDY client: the error stream first, then the others, each waiting for its reply. */
async function spdyStreams(session: SpdySession, types: string[]): Promise<Map<string, { s: SpdyStream; data: string; ended: Promise<void> }>> {
  const out = new Map<string, { s: SpdyStream; data: string; ended: Promise<void> }>();
  for (const type of types) {
    const s = await session.openStream([['streamType', type]]);
    const e = { s, data: '', ended: new Promise<void>((r) => s.onEnd(r)) };
    s.onData((d) => (e.data += d.toString()));
    out.set(type, e);
  }
  return out;
}

describe('exec over SPDY/3.1', () => {
  it('v4: streams by streamtype, stderr output, FINs and the Status on the error stream', async () => {
    const c = await spdyConnect(api.port, TOKEN, execPath('solo', 'command=fail&stdout=true&stderr=true'), ['v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io']);
    if (!('session' in c)) throw new Error(c.body);
    expect(c.protocol).toBe('v4.channel.k8s.io');
    const streams = await spdyStreams(c.session, ['error', 'stdout', 'stderr']);
    await Promise.all([...streams.values()].map((e) => e.ended));
    expect(streams.get('stderr')!.data).toBe('boom\n');
    expect(streams.get('stdout')!.data).toBe('');
    expect(JSON.parse(streams.get('error')!.data)).toMatchObject({ reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '2' }] } });
    await new Promise<void>((r) => c.session.onClose(r));
  });

  it('stdin FIN ends the input (`echo abc | kubectl exec -i … -- cat`)', async () => {
    const c = await spdyConnect(api.port, TOKEN, execPath('solo', 'command=cat&stdin=true&stdout=true&stderr=true'), ['v4.channel.k8s.io']);
    if (!('session' in c)) throw new Error(c.body);
    const streams = await spdyStreams(c.session, ['error', 'stdin', 'stdout', 'stderr']);
    streams.get('stdin')!.s.write(Buffer.from('abc\n'));
    streams.get('stdin')!.s.end();
    await streams.get('error')!.ended;
    await streams.get('stdout')!.ended;
    expect(streams.get('stdout')!.data).toBe('abc\n');
    expect(JSON.parse(streams.get('error')!.data)).toEqual({ metadata: {}, status: 'Success' });
  });

  it('large output arrives whole', async () => {
    const c = await spdyConnect(api.port, TOKEN, execPath('solo', 'command=big&command=1000000&stdout=true'), ['v4.channel.k8s.io']);
    if (!('session' in c)) throw new Error(c.body);
    const streams = await spdyStreams(c.session, ['error', 'stdout']);
    await streams.get('stdout')!.ended;
    expect(streams.get('stdout')!.data.length).toBe(1_000_000);
  });

  it('v2: the error stream carries text, nothing on success', async () => {
    const c = await spdyConnect(api.port, TOKEN, execPath('solo', 'command=sh&command=-c&command=exit%205&stdout=true'), ['v2.channel.k8s.io']);
    if (!('session' in c)) throw new Error(c.body);
    const streams = await spdyStreams(c.session, ['error', 'stdout']);
    await streams.get('error')!.ended;
    expect(streams.get('error')!.data).toMatch(/^command terminated with non-zero exit code: .*exit code 5$/);
  });
});

describe('port-forward', () => {
  const pfPath = '/api/v1/namespaces/default/pods/web/portforward';

  async function forward(session: SpdySession, port: number, requestId: number, send: string) {
    const headers: [string, string][] = [
      ['streamType', 'error'],
      ['port', String(port)],
      ['requestID', String(requestId)],
    ];
    const error = await session.openStream(headers);
    error.end();
    let errText = '';
    error.onData((d) => (errText += d.toString()));
    const errorEnded = new Promise<void>((r) => error.onEnd(r));
    headers[0] = ['streamType', 'data'];
    const data = await session.openStream(headers);
    let got = '';
    data.onData((d) => (got += d.toString()));
    const dataEnded = new Promise<void>((r) => data.onEnd(r));
    data.write(Buffer.from(send));
    data.end();
    await Promise.all([errorEnded, dataEnded]);
    return { got, errText };
  }

  it('SPDY (kubectl ≤1.30): concurrent connections each reach the pod port', async () => {
    const c = await spdyConnect(api.port, TOKEN, pfPath, ['portforward.k8s.io']);
    if (!('session' in c)) throw new Error(c.body);
    expect(c.protocol).toBe('portforward.k8s.io');
    const [a, b] = await Promise.all([forward(c.session, 80, 0, 'first'), forward(c.session, 80, 1, 'second')]);
    expect(a).toEqual({ got: 'FIRST', errText: '' });
    expect(b).toEqual({ got: 'SECOND', errText: '' });
    expect(node.forwards.at(-1)).toMatchObject({ namespace: 'default', pod: 'web', uid, port: 80 });
    c.session.close();
  });

  it('two megabytes each way through one forwarded connection', async () => {
    const c = await spdyConnect(api.port, TOKEN, pfPath, ['portforward.k8s.io']);
    if (!('session' in c)) throw new Error(c.body);
    const big = 'abcdefghij'.repeat(200_000);
    const r = await forward(c.session, 80, 0, big);
    expect(r.got.length).toBe(big.length);
    expect(r.got === big.toUpperCase()).toBe(true);
    c.session.close();
  });

  it('nothing listening: the kubelet text on the error stream, and the session goes on', async () => {
    const c = await spdyConnect(api.port, TOKEN, pfPath, ['portforward.k8s.io']);
    if (!('session' in c)) throw new Error(c.body);
    const bad = await forward(c.session, 81, 0, 'x');
    expect(bad.errText).toBe(`error forwarding port 81 to pod ${uid}, uid : ${REFUSED(81)}`);
    const good = await forward(c.session, 80, 1, 'still');
    expect(good.got).toBe('STILL');
    c.session.close();
  });

  it('WebSocket-tunnelled SPDY (kubectl 1.31+: SPDY/3.1+portforward.k8s.io)', async () => {
    const c = await wsConnect(api.port, TOKEN, pfPath, ['SPDY/3.1+portforward.k8s.io']);
    if (!('ws' in c)) throw new Error(c.body);
    expect(c.protocol).toBe('SPDY/3.1+portforward.k8s.io');
    const { WsByteStream } = await import('../../../../src-main/apiserver/streaming/ws-tunnel');
    const { SpdySession } = await import('../../../../src-main/apiserver/streaming/spdy/session');
    const session = new SpdySession(new WsByteStream(c.ws), { role: 'client' });
    const [a, b] = await Promise.all([forward(session, 80, 0, 'one'), forward(session, 80, 1, 'two')]);
    expect([a.got, b.got]).toEqual(['ONE', 'TWO']);
    session.close();
  });

  it('a client that drops mid-stream leaves no pod connection open', async () => {
    const c = await spdyConnect(api.port, TOKEN, pfPath, ['portforward.k8s.io']);
    if (!('session' in c)) throw new Error(c.body);
    const headers: [string, string][] = [['streamType', 'error'], ['port', '80'], ['requestID', '0']];
    await c.session.openStream(headers);
    headers[0] = ['streamType', 'data'];
    const data = await c.session.openStream(headers);
    data.write(Buffer.from('x'));
    await new Promise((r) => setTimeout(r, 20));
    const sock = node.podSockets.at(-1)!;
    expect(sock.destroyed).toBe(false);
    c.session.destroy();
    for (let i = 0; i < 50 && !sock.destroyed; i++) await new Promise((r) => setTimeout(r, 10));
    expect(sock.destroyed).toBe(true);
  });
});

describe('errors before the upgrade', () => {
  const ws = (path: string, protocols = ['v5.channel.k8s.io']) => wsConnect(api.port, TOKEN, path, protocols) as Promise<{ status: number; body: string }>;

  it('missing pod: 404 Status', async () => {
    const r = await ws(execPath('nope', 'command=ls&stdout=true'));
    expect(r.status).toBe(404);
    expect(JSON.parse(r.body)).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'pods "nope" not found' });
  });

  it('missing container: 400 `container foo is not valid for pod web`', async () => {
    const r = await ws(execPath('web', 'container=foo&command=ls&stdout=true'));
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).message).toBe('container foo is not valid for pod web');
  });

  it('no container named on a two-container pod', async () => {
    const r = await ws(execPath('web', 'command=ls&stdout=true'));
    expect(JSON.parse(r.body).message).toBe('a container name must be specified for pod web, choose one of: [app stopped]');
  });

  it('unscheduled pod, completed pod', async () => {
    expect(JSON.parse((await ws(execPath('pending', 'command=ls&stdout=true'))).body).message).toBe('pod pending does not have a host assigned');
    const done = await ws(execPath('done', 'command=ls&stdout=true'));
    expect(done.status).toBe(400);
    expect(JSON.parse(done.body).message).toBe('cannot exec into a container in a completed pod; current phase is Succeeded');
  });

  it('the kubelet refusing (container not running) passes through as text', async () => {
    const r = await ws(execPath('web', 'container=stopped&command=ls&stdout=true'));
    expect(r.status).toBe(400);
    expect(r.body.trim()).toBe('container not found ("stopped")');
  });

  it('no stream selected: the kubelet 400', async () => {
    const r = await ws(execPath('solo', 'command=ls'));
    expect(r.status).toBe(400);
    expect(r.body.trim()).toBe('you must specify at least 1 of stdin, stdout, stderr');
  });

  it('no bearer token: 401, nothing opened', async () => {
    const before = node.procs.length;
    const r = await wsConnect(api.port, 'wrong', execPath('solo', 'command=echo&stdout=true'), ['v5.channel.k8s.io']);
    expect('status' in r && r.status).toBe(401);
    expect(node.procs.length).toBe(before);
  });

  it('unsupported protocols are refused', async () => {
    expect((await ws(execPath('solo', 'command=ls&stdout=true'), ['v9.channel.k8s.io'])).status).toBe(400);
    const s = await spdyConnect(api.port, TOKEN, execPath('solo', 'command=ls&stdout=true'), ['v9.channel.k8s.io']);
    expect('status' in s && s.status).toBe(403);
  });

  it('a plain request: `Upgrade request required`; other methods 405', async () => {
    const plain = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = https.request({ host: '127.0.0.1', port: api.port, path: execPath('solo', 'command=ls&stdout=true'), method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` }, rejectUnauthorized: false }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
    expect(plain.status).toBe(400);
    expect(JSON.parse(plain.body).message).toBe('Upgrade request required');
    const put = await upgradeRequest(api.port, execPath('solo', 'command=ls&stdout=true'), { Authorization: `Bearer ${TOKEN}`, Upgrade: 'SPDY/3.1' }, 'PUT');
    expect(!put.upgraded && put.status).toBe(405);
  });
});

describe('output back-pressure', () => {
  it('a client that does not read pauses the process output, and reading resumes it', async () => {
    const c = await wsConnect(api.port, TOKEN, execPath('solo', 'command=flood&stdout=true'), ['v5.channel.k8s.io']);
    if (!('ws' in c)) throw new Error(c.body);
    // the session starts (the client answered the server's ping), then the client stops reading
    await new Promise<void>((r) => c.ws.onMessage(() => r()));
    c.ws.socket.pause();
    await new Promise((r) => setTimeout(r, 300));
    const proc = node.procs.at(-1)!;
    expect(proc.pauses).toBeGreaterThan(0);
    const held = proc.produced;
    expect(held).toBeLessThan(32 << 20);
    await new Promise((r) => setTimeout(r, 100));
    expect(proc.produced).toBe(held);
    c.ws.socket.resume();
    for (let i = 0; i < 100 && proc.resumes === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(proc.resumes).toBeGreaterThan(0);
    c.ws.destroy();
  });
});

describe('teardown over SPDY', () => {
  it('kubectl going away mid-exec closes the container stream', async () => {
    const c = await spdyConnect(api.port, TOKEN, execPath('solo', 'command=sleep&stdout=true&stdin=true'), ['v4.channel.k8s.io']);
    if (!('session' in c)) throw new Error(c.body);
    await spdyStreams(c.session, ['error', 'stdin', 'stdout']);
    await new Promise((r) => setTimeout(r, 20));
    const proc = node.procs.at(-1)!;
    expect(proc.req.command).toEqual(['sleep']);
    expect(proc.closed).toBe(false);
    c.session.destroy();
    for (let i = 0; i < 50 && !proc.closed; i++) await new Promise((r) => setTimeout(r, 10));
    expect(proc.closed).toBe(true);
  });
});

describe('port-forward over WebSocket channels (client libraries: v4.channel.k8s.io, ports in the query)', () => {
  const pfPath = '/api/v1/namespaces/default/pods/web/portforward';

  it('each port: data channel 2i and error channel 2i+1, both starting with the port (LE)', async () => {
    const c = await wsConnect(api.port, TOKEN, `${pfPath}?ports=80&ports=81`, ['v4.channel.k8s.io']);
    if (!('ws' in c)) throw new Error(c.body);
    expect(c.protocol).toBe('v4.channel.k8s.io');
    const done = collectWs(c.ws);
    c.ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('hello')]));
    await new Promise((r) => setTimeout(r, 50));
    // The pod answers; then its side ends and, with port 81 already failed, the WebSocket closes.
    node.podSockets.at(-1)!.end();
    const r = await done;
    const le = (p: number) => Buffer.from([p & 0xff, p >> 8]).toString();
    expect(r.channels.get(0)).toBe(`${le(80)}HELLO`);
    expect(r.channels.get(1)).toBe(le(80));
    expect(r.channels.get(2)).toBe(le(81));
    expect(r.channels.get(3)).toBe(`${le(81)}error forwarding port 81 to pod ${uid}, uid : ${REFUSED(81)}`);
    expect(r.code).toBe(1000);
  });

  it('ports are required and must parse, as the kubelet says', async () => {
    const none = await wsConnect(api.port, TOKEN, pfPath, ['v4.channel.k8s.io']);
    expect('body' in none && none.body.trim()).toBe('query parameter "port" is required');
    const bad = await wsConnect(api.port, TOKEN, `${pfPath}?ports=http`, ['v4.channel.k8s.io']);
    expect('body' in bad && bad.body.trim()).toBe('unable to parse "http" as a port: strconv.ParseUint: parsing "http": invalid syntax');
  });
});

describe('bad input after the switch', () => {
  it('garbage on a SPDY session: GOAWAY and close; the server goes on serving', async () => {
    const r = await upgradeRequest(api.port, execPath('solo', 'command=sleep&stdout=true'), { Authorization: `Bearer ${TOKEN}`, Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': 'v4.channel.k8s.io' }, 'POST');
    if (!r.upgraded) throw new Error(r.body);
    const closed = new Promise<void>((res) => r.socket.on('close', () => res()));
    r.socket.on('data', () => undefined);
    r.socket.write(Buffer.from('ffff0001000000040000000100000000', 'hex')); // a control frame of SPDY version 0x7fff
    await closed;
    const proc = node.procs.at(-1)!;
    for (let i = 0; i < 50 && !proc.closed; i++) await new Promise((res) => setTimeout(res, 10));
    expect(proc.closed).toBe(true);
    const c = await wsConnect(api.port, TOKEN, execPath('solo', 'command=echo&command=still&stdout=true'), ['v5.channel.k8s.io']);
    if (!('ws' in c)) throw new Error(c.body);
    expect((await collectWs(c.ws)).channels.get(1)).toBe('still\n');
  });

  it('a corrupt compressed header block closes the session', async () => {
    const r = await upgradeRequest(api.port, '/api/v1/namespaces/default/pods/web/portforward', { Authorization: `Bearer ${TOKEN}`, Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': 'portforward.k8s.io' }, 'POST');
    if (!r.upgraded) throw new Error(r.body);
    const closed = new Promise<void>((res) => r.socket.on('close', () => res()));
    r.socket.on('data', () => undefined);
    const { encodeSynStream } = await import('../../../../src-main/apiserver/streaming/spdy/frames');
    r.socket.write(encodeSynStream(1, Buffer.from('not zlib at all')));
    await closed;
  });
});
