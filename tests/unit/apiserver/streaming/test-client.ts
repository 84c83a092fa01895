/** Test clients of the streaming upgrades: raw HTTPS upgrade, WebSocket and SPDY sessions. */
import https from 'node:https';
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { WsConnection } from '../../../../src-main/apiserver/streaming/websocket/connection';
import { SpdySession } from '../../../../src-main/apiserver/streaming/spdy/session';

export type UpgradeResult =
  | { upgraded: true; socket: Duplex; head: Buffer; headers: Record<string, string | string[] | undefined> }
  | { upgraded: false; status: number; body: string; contentType: string };

export function upgradeRequest(port: number, path: string, headers: Record<string, string | string[]>, method = 'GET'): Promise<UpgradeResult> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port, path, method, headers: { Connection: 'Upgrade', ...headers }, rejectUnauthorized: false });
    req.on('upgrade', (res, socket, head) => resolve({ upgraded: true, socket, head, headers: res.headers }));
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ upgraded: false, status: res.statusCode ?? 0, body, contentType: String(res.headers['content-type'] ?? '') }));
    });
    req.on('error', reject);
    req.end();
  });
}

export async function wsConnect(port: number, token: string, path: string, protocols: string[]): Promise<{ ws: WsConnection; protocol: string } | { status: number; body: string }> {
  const r = await upgradeRequest(port, path, {
    Authorization: `Bearer ${token}`,
    Upgrade: 'websocket',
    'Sec-WebSocket-Version': '13',
    'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
    'Sec-WebSocket-Protocol': protocols.join(', '),
  });
  if (!r.upgraded) return { status: r.status, body: r.body };
  return { ws: new WsConnection(r.socket, r.head, 'client'), protocol: String(r.headers['sec-websocket-protocol'] ?? '') };
}

export async function spdyConnect(port: number, token: string, path: string, protocols: string[], method = 'POST'): Promise<{ session: SpdySession; protocol: string } | { status: number; body: string }> {
  const r = await upgradeRequest(port, path, { Authorization: `Bearer ${token}`, Upgrade: 'SPDY/3.1', 'X-Stream-Protocol-Version': protocols }, method);
  if (!r.upgraded) return { status: r.status, body: r.body };
  return { session: new SpdySession(r.socket, { role: 'client' }, r.head), protocol: String(r.headers['x-stream-protocol-version'] ?? '') };
}

/** Collects channel messages until the WebSocket closes. */
export function collectWs(ws: WsConnection): Promise<{ channels: Map<number, string>; order: number[]; code: number }> {
  const channels = new Map<number, string>();
  const order: number[] = [];
  ws.onMessage((d) => {
    order.push(d[0]);
    channels.set(d[0], (channels.get(d[0]) ?? '') + d.subarray(1).toString());
  });
  return new Promise((r) => ws.onClose((code) => r({ channels, order, code })));
}
