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
const MAX_MESSAGE = 64 * 1024;

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
  // The kubelet hands over a log line by line; one message per line would cost the browser a
  // task each (50 000 lines: seconds). What arrives in one turn of the event loop (up to 64 KiB)
  // goes as one message, as an HTTP response's writes would share packets.
  let pending: Buffer[] = [];
  let size = 0;
  let scheduled: NodeJS.Immediate | undefined;
  const flush = () => {
    scheduled = undefined;
    if (!pending.length) return;
    const bytes = pending.length === 1 ? pending[0] : Buffer.concat(pending, size);
    pending = [];
    size = 0;
    if (base64) ws.send(bytes.toString('base64'), false);
    else ws.send(bytes, true);
  };
  ws.onClose(() => {
    if (scheduled) clearImmediate(scheduled);
    scheduled = undefined;
    pending = [];
    stream.close();
  });
  stream.onEnd(() => {
    if (scheduled) clearImmediate(scheduled);
    flush();
    ws.close(1000);
  });
  stream.onData((chunk) => {
    const bytes = Buffer.from(chunk);
    pending.push(bytes);
    size += bytes.length;
    if (size >= MAX_MESSAGE) {
      if (scheduled) clearImmediate(scheduled);
      flush();
    } else scheduled ??= setImmediate(flush);
  });
  return true;
}
