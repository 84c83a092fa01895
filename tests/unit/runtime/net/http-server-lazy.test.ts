/** HttpServer makes node's http.Server only when a connection comes (10 000 idle pods must not pay for one each). */
import { describe, expect, it } from 'vitest';
import { socketPair } from '../../../../src-main/network/socket-pair';
import { HttpServer } from '../../../../src-main/runtime/net/http-server';

describe('HttpServer created lazily', () => {
  it('has no node server until the first connection, then serves it and the next ones with the same server', async () => {
    let requests = 0;
    const server = new HttpServer(() => ({ status: 200, headers: { 'Content-Type': 'text/plain' }, body: `n=${++requests}\n` }));
    expect(server.started).toBe(false);
    const get = async (): Promise<string> => {
      const c = { address: '10.244.1.2', port: 40000 + requests };
      const s = { address: '10.244.1.3', port: 80 };
      const { client, server: srv } = socketPair(c, s);
      server.accept({ socket: srv, local: s, remote: c }, false);
      let text = '';
      client.on('data', (b: Buffer) => (text += b.toString('utf8')));
      const done = new Promise<void>((r) => client.on('close', () => r()));
      client.on('end', () => client.end());
      client.write('GET / HTTP/1.1\r\nHost: web\r\nConnection: close\r\n\r\n');
      await done;
      return text;
    };
    expect(await get()).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nn=1\n$/);
    expect(server.started).toBe(true);
    expect(await get()).toMatch(/\r\n\r\nn=2\n$/);
  });
});
