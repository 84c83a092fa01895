/** The HTTP server wrapper and client over an in-memory socket pair: the bytes on the wire. */
import { describe, expect, it } from 'vitest';
import { socketPair } from '../../../../src-main/network/socket-pair';
import type { Connection } from '../../../../src-main/network/types';
import { HttpServer } from '../../../../src-main/runtime/net/http-server';
import { exchange, parseUrl } from '../../../../src-main/runtime/net/http-client';
import type { HttpHandler, HttpRequest } from '../../../../src-main/runtime/program';

function pair(): { client: Connection; server: Connection } {
  const c = { address: '10.244.1.2', port: 40000 };
  const s = { address: '10.244.1.3', port: 80 };
  const { client, server } = socketPair(c, s);
  return { client: { socket: client, local: c, remote: s }, server: { socket: server, local: s, remote: c } };
}

/** Sends raw request bytes to a served handler; resolves with everything read until the server closes. */
async function raw(handler: HttpHandler, bytes: string, v6 = false): Promise<string> {
  const { client, server } = pair();
  new HttpServer(handler).accept(server, v6);
  let text = '';
  client.socket.on('data', (c: Buffer) => (text += c.toString('utf8')));
  const done = new Promise<void>((r) => client.socket.on('close', () => r()));
  client.socket.on('error', () => {});
  client.socket.on('end', () => client.socket.end());
  client.socket.write(bytes);
  await done;
  return text;
}

const GET = { method: 'GET', path: '/', headers: {}, remoteAddress: '' } satisfies HttpRequest;

describe('HttpServer (node http over a pod socket)', () => {
  it('hands the program method, path, lower-case headers, body and the client address; writes status, reason and headers', async () => {
    const seen: HttpRequest[] = [];
    const text = await raw(
      (req) => {
        seen.push(req);
        return { status: 405, reason: 'Not Allowed', headers: { Server: 'nginx/1.27.5', 'Content-Type': 'text/plain' }, body: 'no\n' };
      },
      'PUT /a?b=1 HTTP/1.1\r\nHost: web\r\nX-Thing: 1\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc',
      true,
    );
    expect(seen).toEqual([{ method: 'PUT', path: '/a?b=1', headers: { host: 'web', 'x-thing': '1', 'content-length': '3', connection: 'close' }, remoteAddress: '::ffff:10.244.1.2', httpVersion: '1.1', body: 'abc' }]);
    expect(text).toMatch(/^HTTP\/1\.1 405 Not Allowed\r\nServer: nginx\/1\.27\.5\r\nContent-Type: text\/plain\r\nContent-Length: 3\r\nDate: .+ GMT\r\nConnection: close\r\n\r\nno\n$/);
  });

  it('a program saying keep-alive to a client that asked to close still closes; a throwing or rejecting handler is a 500', async () => {
    const ka = await raw(() => ({ status: 200, headers: { Connection: 'keep-alive', 'Content-Length': '2' }, body: 'ok' }), 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(ka).toContain('Connection: close\r\n');
    const boom = await raw(() => {
      throw new Error('boom');
    }, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(boom).toMatch(/^HTTP\/1\.1 500 Internal Server Error\r\n/);
    const rejected = await raw(() => Promise.reject(new Error('x')), 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(rejected).toMatch(/^HTTP\/1\.1 500 /);
    const garbage = await raw(() => ({ status: 200, body: '' }), 'NOT HTTP\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
  });
});

describe('HTTP client (node http.request over a pod socket)', () => {
  it('sends Host and Connection: close, reads a chunked response with the server-cased headers', async () => {
    const { client, server } = pair();
    let request = '';
    server.socket.on('data', (c: Buffer) => {
      request += c.toString();
      if (request.includes('\r\n\r\n')) server.socket.end('HTTP/1.1 201 Created\r\nX-Mixed-Case: v\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n');
    });
    const res = await exchange(client, 'svc:8080', { method: 'POST', path: '/x', headers: { 'user-agent': 'Wget', connection: 'keep-alive' }, remoteAddress: '', body: 'hi' });
    expect(request).toBe('POST /x HTTP/1.1\r\nuser-agent: Wget\r\nHost: svc:8080\r\nConnection: close\r\nContent-Length: 2\r\n\r\nhi');
    expect(res).toEqual({ status: 201, reason: 'Created', headers: { 'X-Mixed-Case': 'v', 'Set-Cookie': 'a=1, b=2', 'Transfer-Encoding': 'chunked' }, body: 'abcde' });
  });

  it('a server that hangs up is ECONNRESET; one that never answers times out (ETIMEDOUT)', async () => {
    const a = pair();
    a.server.socket.on('data', () => a.server.socket.destroy());
    await expect(exchange(a.client, 'x', GET)).rejects.toMatchObject({ code: 'ECONNRESET', errno: 104 });
    const b = pair();
    b.server.socket.on('data', () => {});
    await expect(exchange(b.client, 'x', GET, { timeoutMs: 50 })).rejects.toMatchObject({ code: 'ETIMEDOUT', errno: 110, message: 'Connection timed out' });
    expect(b.client.socket.destroyed).toBe(true);
  });

  it('parses URLs as wget and curl take them', () => {
    expect(parseUrl('http://web:8080/a?b')).toEqual({ scheme: 'http', host: 'web', port: 8080, path: '/a?b', authority: 'web:8080' });
    expect(parseUrl('10.96.0.5')).toEqual({ scheme: 'http', host: '10.96.0.5', port: 80, path: '/', authority: '10.96.0.5' });
    expect(parseUrl('https://[::1]/')).toMatchObject({ host: '::1', port: 443 });
    expect(parseUrl('http://web:99999/')).toBeUndefined();
    expect(parseUrl('http://we b/')).toBeUndefined();
  });
});
