/**
 * Watches and pod logs over WebSocket, as kube-apiserver also serves them (watch: one JSON event
 * per text message; logs: the wsstream reader protocols — none or `binary.k8s.io` for binary
 * messages, `base64.binary.k8s.io` for base64 text). The UI needs this: a browser keeps at most
 * six HTTP/1.1 connections per host, and every followed log or watch holds one, so a merged log
 * of a few pods next to the app's own watches would queue behind them. WebSockets do not count
 * against that limit. The framing is the API server's (apiserver/streaming/websocket).
 */
import type { Duplex } from 'node:stream';
import type { ApiRequest, ApiResponse } from '../apiserver/types';
import { WsConnection } from '../apiserver/streaming/websocket/connection';
import { writeTextError, writeWebSocketAccept } from '../apiserver/streaming/handshake';

export const LOG_PROTOCOLS = ['binary.k8s.io', 'base64.binary.k8s.io'] as const;

const BAD_HANDSHAKE = 'websocket: the client is not using the websocket protocol: missing Sec-WebSocket-Key or Sec-WebSocket-Version 13';

function offered(header: string | undefined): string[] {
  return (header ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Answers a WebSocket upgrade with a watch or byte stream response: the 101, then the stream's
 * events or chunks as messages, a normal close (1000) when the stream ends, and the stream closed
 * when the client goes. Returns false (nothing written) for other responses.
 */
export function serveStreamOverWebSocket(apiReq: ApiRequest, socket: Duplex, head: Buffer, r: ApiResponse): boolean {
  if (r.type !== 'watch' && r.type !== 'stream') return false;
  const key = apiReq.headers['sec-websocket-key'];
  if (!key || apiReq.headers['sec-websocket-version'] !== '13') {
    r.stream.close();
    writeTextError(socket, 400, BAD_HANDSHAKE);
    return true;
  }
  const protocols = offered(apiReq.headers['sec-websocket-protocol']);
  if (r.type === 'watch') {
    // Upstream's watch WebSocket negotiates no subprotocol: a client offering one is refused.
    if (protocols.length) {
      r.stream.close();
      writeTextError(socket, 400, `unable to upgrade: watch streams speak no subprotocol; requested [${protocols.join(' ')}]`);
      return true;
    }
    writeWebSocketAccept(socket, key, '');
    const ws = new WsConnection(socket, head);
    const stream = r.stream;
    ws.onClose(() => stream.close());
    stream.onClose(() => ws.close(1000));
    stream.onEvent((ev) => ws.send(JSON.stringify(ev), false));
    return true;
  }
  const protocol = protocols.length === 0 ? '' : LOG_PROTOCOLS.find((p) => protocols.includes(p));
  if (protocol === undefined) {
    r.stream.close();
    writeTextError(socket, 400, `unable to upgrade: requested protocol(s) are not supported: [${protocols.join(' ')}]; supports [${LOG_PROTOCOLS.join(' ')}]`);
    return true;
  }
  writeWebSocketAccept(socket, key, protocol);
  const ws = new WsConnection(socket, head);
  const stream = r.stream;
  const base64 = protocol === 'base64.binary.k8s.io';
  ws.onClose(() => stream.close());
  stream.onEnd(() => ws.close(1000));
  stream.onData((chunk) => {
    const bytes = Buffer.from(chunk);
    if (base64) ws.send(bytes.toString('base64'), false);
    else ws.send(bytes, true);
  });
  return true;
}
