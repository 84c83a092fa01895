/**
 * The host terminal (`serve --host-terminal`): without the option the gateway says it is not
 * offered (/ui/features) and the WebSocket is a 404; with it, a shell in a real pseudo-terminal
 * (node-pty) whose KUBECONFIG is this cluster's kubeconfig, behind the session cookie and Origin
 * check, speaking the exec channel protocol: stdin, stdout, resize, the exit Status on channel 3.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { TestServer } from '../apiserver/fixture';
import { WsConnection } from '../../../src-main/apiserver/streaming/websocket/connection';
import { startUiGateway, type UiGateway } from '../../../src-main/gateway';

const USER = { name: 'kubernetes-admin', groups: ['system:masters'] };
const KUBECONFIG = '/tmp/kubesim-host-terminal-test/kubeconfig';
let t: TestServer;
let off: UiGateway;
let on: UiGateway;

beforeAll(async () => {
  t = await new TestServer().withNamespaces('default');
  off = await startUiGateway({ port: 0, handler: t.server.handler, user: USER });
  on = await startUiGateway({ port: 0, handler: t.server.handler, user: USER, hostTerminal: { kubeconfigPath: KUBECONFIG, shell: '/bin/sh' } });
});

afterAll(async () => {
  await off.close();
  await on.close();
  t.close();
});

const secretOf = (g: UiGateway) => new URL(g.url).searchParams.get('session')!;

type Upgraded = { upgraded: true; socket: Duplex; head: Buffer; protocol: string } | { upgraded: false; status: number; body: string };

function wsUpgrade(g: UiGateway, path: string, headers: Record<string, string> = {}): Promise<Upgraded> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port: g.port,
      path,
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': randomBytes(16).toString('base64'),
        'sec-websocket-protocol': 'v5.channel.k8s.io, v4.channel.k8s.io',
        cookie: `kubesim_session=${secretOf(g)}`,
        origin: g.origin,
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

function features(g: UiGateway): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: g.port, path: '/ui/features', headers: { cookie: `kubesim_session=${secretOf(g)}` } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
      })
      .on('error', reject);
  });
}

describe('host terminal', () => {
  it('is not offered without --host-terminal: features say so, the WebSocket is a 404 Status', async () => {
    expect((await features(off)).body).toMatchObject({ kind: 'UiFeatures', hostTerminal: false, portForwards: true });
    const r = await wsUpgrade(off, '/ui/host-terminal');
    expect(r.upgraded).toBe(false);
    if (r.upgraded) return;
    expect(r.status).toBe(404);
    expect(JSON.parse(r.body)).toMatchObject({ kind: 'Status', code: 404, reason: 'NotFound' });
  });

  it('with it: no cookie → 401, another origin → 403', async () => {
    expect((await features(on)).body).toMatchObject({ hostTerminal: true });
    const anon = await wsUpgrade(on, '/ui/host-terminal', { cookie: '' });
    expect(anon.upgraded ? 101 : anon.status).toBe(401);
    const cross = await wsUpgrade(on, '/ui/host-terminal', { origin: 'http://127.0.0.1:1' });
    expect(cross.upgraded ? 101 : cross.status).toBe(403);
  });

  it('runs a shell in a pty with KUBECONFIG set: echo comes back, resize reaches the pty, exit code on channel 3', async () => {
    const r = await wsUpgrade(on, '/ui/host-terminal?cols=90&rows=20');
    if (!r.upgraded) throw new Error(`${r.status} ${r.body}`);
    expect(r.protocol).toBe('v5.channel.k8s.io');
    const ws = new WsConnection(r.socket, r.head, 'client');
    let out = '';
    let status = '';
    ws.onMessage((d) => {
      if (d[0] === 1) out += d.subarray(1).toString();
      if (d[0] === 3) status += d.subarray(1).toString();
    });
    const closed = new Promise<number>((res) => ws.onClose(res));
    const send = (channel: number, text: string) => ws.send(Buffer.concat([Buffer.from([channel]), Buffer.from(text)]));
    const until = async (re: RegExp) => {
      const end = Date.now() + 10_000;
      while (!re.test(out)) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${re} in ${JSON.stringify(out)}`);
        await new Promise((res) => setTimeout(res, 20));
      }
    };
    send(0, 'echo "KC=[$KUBECONFIG]"\n');
    await until(/KC=\[\/tmp\/kubesim-host-terminal-test\/kubeconfig\]/);
    send(0, 'stty size\n');
    await until(/\b20 90\b/);
    send(4, JSON.stringify({ Width: 120, Height: 33 }));
    await new Promise((res) => setTimeout(res, 50));
    send(0, 'stty size; exit 3\n');
    await until(/\b33 120\b/);
    expect(await closed).toBe(1000);
    expect(JSON.parse(status)).toMatchObject({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] } });
  });

  it('a second terminal is its own shell and closes cleanly', async () => {
    const r = await wsUpgrade(on, '/ui/host-terminal');
    if (!r.upgraded) throw new Error(`${r.status} ${r.body}`);
    const ws = new WsConnection(r.socket, r.head, 'client');
    let out = '';
    ws.onMessage((d) => d[0] === 1 && (out += d.subarray(1).toString()));
    ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('echo ready-$((40+2))\n')]));
    const end = Date.now() + 10_000;
    while (!out.includes('ready-42') && Date.now() < end) await new Promise((res) => setTimeout(res, 20));
    expect(out).toContain('ready-42');
    ws.close(1000);
    await new Promise<number>((res) => ws.onClose(res));
  });
});
