/**
 * HTTP/1.1 on a socket taken over by an upgrade: the 101 answers (WebSocket, SPDY/3.1) and the
 * error answers written before a switch (a Status as JSON, or the kubelet's plain text).
 */
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { StatusError } from '../../api/errors';
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
