import { once } from 'node:events';
import { connect, createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { HostPort, listenErrorText } from '../../../src-main/network/host-port';

const err = (code: string): NodeJS.ErrnoException => Object.assign(new Error(code), { code });

describe('host port', () => {
  it('listen errors in Go’s words', () => {
    expect(listenErrorText('127.0.0.1', 80, err('EACCES'))).toBe('listen tcp 127.0.0.1:80: bind: permission denied');
    expect(listenErrorText('127.0.0.1', 8080, err('EADDRINUSE'))).toBe('listen tcp 127.0.0.1:8080: bind: address already in use');
    expect(listenErrorText('127.0.0.1', 53, err('EADDRINUSE'), 'udp')).toBe('listen udp 127.0.0.1:53: bind: address already in use');
  });

  it('rejects a taken port; close() also closes the connections it accepted', async () => {
    const taken = createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const busy = new HostPort((taken.address() as AddressInfo).port, () => {});
    await expect(busy.open()).rejects.toMatchObject({ code: 'EADDRINUSE' });
    expect(busy.listening).toBe(false);
    taken.close();

    const held: unknown[] = [];
    const p = new HostPort(0, (s) => held.push(s));
    await p.open();
    const port = ((p as unknown as { server: { address(): AddressInfo } }).server.address()).port;
    const c = connect(port, '127.0.0.1');
    c.on('error', () => {});
    await once(c, 'connect');
    await new Promise((r) => setTimeout(r, 20));
    expect([p.accepted, p.openConnections()]).toEqual([1, 1]);
    p.close();
    await once(c, 'close');
    expect(p.openConnections()).toBe(0);
    const again = connect(port, '127.0.0.1');
    const [e] = (await once(again, 'error')) as [NodeJS.ErrnoException];
    expect(e.code).toBe('ECONNREFUSED');
  });
});
