import { describe, expect, it } from 'vitest';
import { INDEX_HTML } from '../../../src-main/runtime/images/nginx';
import type { HttpRequest } from '../../../src-main/runtime/types';
import { settle, start } from './harness';

const get = (path: string, extra: Partial<HttpRequest> = {}): HttpRequest => ({
  method: 'GET',
  path,
  headers: { host: '10.244.1.5', 'user-agent': 'curl/8.5.0', accept: '*/*' },
  remoteAddress: '::ffff:10.244.0.1',
  ...extra,
});

describe('nginx serving HTTP', () => {
  it('serves the welcome page (615 bytes) and logs the request in the main format', async () => {
    const c = start('nginx:1.27');
    await settle();
    const before = c.out.length;
    const [v4, v6] = c.proc.listeners!();
    expect([v4!.address, v6!.address, v4!.port]).toEqual(['0.0.0.0', '::', 80]);
    const res = await v4!.http!(get('/'));
    expect(res.status).toBe(200);
    expect(res.body).toBe(INDEX_HTML);
    expect(res.headers).toEqual({
      Server: 'nginx/1.27.5',
      Date: 'Mon, 23 Nov 2026 10:00:00 GMT',
      'Content-Type': 'text/html',
      'Content-Length': '615',
      'Last-Modified': 'Wed, 16 Apr 2025 12:55:34 GMT',
      Connection: 'keep-alive',
      ETag: '"67ffa8c6-267"',
      'Accept-Ranges': 'bytes',
    });
    expect(c.out.slice(before).join('')).toBe('10.244.0.1 - - [23/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 615 "-" "curl/8.5.0" "-"\n');
    c.proc.signal('SIGKILL');
  });

  it('404 with the stock page and an error log line; 301 for a directory without slash; 405', async () => {
    const c = start('nginx:1.27');
    await settle();
    const http = c.proc.listeners!()[0]!.http!;
    const errBefore = c.err.length;
    const res = await http(get('/nope'));
    expect(res.status).toBe(404);
    expect(res.body).toBe('<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.27.5</center>\r\n</body>\r\n</html>\r\n');
    expect(c.err.slice(errBefore).join('')).toBe(
      '2026/11/23 10:00:00 [error] 29#29: *1 open() "/usr/share/nginx/html/nope" failed (2: No such file or directory), client: 10.244.0.1, server: localhost, request: "GET /nope HTTP/1.1", host: "10.244.1.5"\n',
    );
    expect(c.out[c.out.length - 1]).toBe('10.244.0.1 - - [23/Nov/2026:10:00:00 +0000] "GET /nope HTTP/1.1" 404 153 "-" "curl/8.5.0" "-"\n');
    expect((await http(get('/', { method: 'POST' }))).status).toBe(405);
    c.proc.signal('SIGKILL');
  });

  it('serves files written into the container (kubectl exec … > index.html)', async () => {
    const c = start('nginx:1.27');
    await settle();
    c.clock.advance(5000);
    await c.proc.exec!(['sh', '-c', 'echo hello from pod > /usr/share/nginx/html/index.html'], { stdout: () => {}, stderr: () => {} });
    const res = await c.proc.listeners!()[0]!.http!(get('/'));
    expect(res.body).toBe('hello from pod\n');
    expect(res.headers!['Last-Modified']).toBe('Mon, 23 Nov 2026 10:00:05 GMT');
    c.proc.signal('SIGKILL');
  });
});

describe('busybox wget (seed 004)', () => {
  it('without a network: connection refused', async () => {
    const c = start('busybox', { command: ['wget', '-qO-', 'http://10.96.0.9'] });
    expect(await c.exit()).toEqual({ exitCode: 1, reason: 'Error' });
    expect(c.text()).toBe("wget: can't connect to remote host (10.96.0.9): Connection refused\n");
  });
});

describe('gcr.io/google-samples/hello-app', () => {
  it('logs its port and answers Hello, world! with its version and hostname', async () => {
    const c = start('gcr.io/google-samples/hello-app:2.0', { hostname: 'hello-7d9b4c' });
    await settle();
    const res = await c.proc.listeners!()[0]!.http!(get('/'));
    expect(res.body).toBe('Hello, world!\nVersion: 2.0.0\nHostname: hello-7d9b4c\n');
    expect(c.text()).toBe('2026/11/23 10:00:00 Server listening on port 8080\n2026/11/23 10:00:00 Serving request: /\n');
    c.proc.signal('SIGKILL');
  });
});
