/**
 * HTTP/1.1 on a socket taken over by an upgrade: the 101 answers (WebSocket, SPDY/3.1) and the
 * error answers written before a switch (a Status as JSON, or the kubelet's plain text).
 */
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { StatusError } from '../../api/errors';
import type { ApiResponse } from '../types';
import { acceptKey } from './websocket/frames';

function head(code: number, headers: [string, string][]): string {
  return `HTTP/1.1 ${code} ${STATUS_CODES[code] ?? ''}\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
}

/** Answers and closes: the response of a request that does not switch protocols. */
export function writeResponse(socket: Duplex, code: number, contentType: string, body: string | Buffer): void {
  if (socket.destroyed || socket.writableEnded) return;
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  socket.write(head(code, [['Cache-Control', 'no-cache, private'], ['Content-Type', contentType], ['Content-Length', String(bytes.length)], ['Connection', 'close']]));
  socket.end(bytes);
}

export function writeStatusResponse(socket: Duplex, e: StatusError): void {
  writeResponse(socket, e.status.code, 'application/json', JSON.stringify(e.status));
}

/**
 * An upgrade request no streaming subresource took: the handler's ordinary answer on the raw
 * socket, and a stream (watch, logs) refused with 400 since it is not served over this upgrade.
 */
export function writeNonUpgradeResponse(socket: Duplex, r: ApiResponse): void {
  if (r.type === 'object') writeResponse(socket, r.status, 'application/json', JSON.stringify(r.body));
  else if (r.type === 'raw') writeResponse(socket, r.status, r.contentType, r.body);
  else {
    r.stream.close();
    writeStatusResponse(socket, new StatusError(400, 'BadRequest', 'Upgrade is not supported on this path'));
  }
}

/** A failed upgrade request: its Status, or a logged 500 for anything unexpected. */
export function writeUpgradeFailure(socket: Duplex, e: unknown, log: ((line: string) => void) | undefined, who: string): void {
  if (e instanceof StatusError) return writeStatusResponse(socket, e);
  log?.(`${who}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  writeStatusResponse(socket, new StatusError(500, 'InternalError', `Internal error occurred: ${e instanceof Error ? e.message : String(e)}`));
}

/** The kubelet's errors travel through the API server's proxy as they are: plain text. */
export function writeTextError(socket: Duplex, code: number, text: string): void {
  writeResponse(socket, code, 'text/plain; charset=utf-8', `${text}\n`);
}

export function writeWebSocketAccept(socket: Duplex, key: string, protocol: string): void {
  const h: [string, string][] = [
    ['Upgrade', 'websocket'],
    ['Connection', 'Upgrade'],
    ['Sec-WebSocket-Accept', acceptKey(key)],
  ];
  if (protocol) h.push(['Sec-WebSocket-Protocol', protocol]);
  socket.write(head(101, h));
}

export function writeSpdyAccept(socket: Duplex, protocol: string): void {
  const h: [string, string][] = [
    ['Connection', 'Upgrade'],
    ['Upgrade', 'SPDY/3.1'],
  ];
  if (protocol) h.push(['X-Stream-Protocol-Version', protocol]);
  socket.write(head(101, h));
}
