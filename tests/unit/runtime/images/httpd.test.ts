import { describe, expect, it } from 'vitest';
import { boot, settle } from './helpers';

const T = 'Mon Nov 23 10:00:00.000000 2026';

describe('httpd', () => {
  it('starts as httpd -DFOREGROUND with Apache\'s startup lines and serves It works!', async () => {
    const c = boot('httpd:2.4.62');
    await settle();
    const ah558 = "AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using 127.0.1.1. Set the 'ServerName' directive globally to suppress this message\n";
    expect(c.err.join('')).toMatch(
      new RegExp(
        `^${(ah558 + ah558).replace(/[.()'?]/g, '\\$&')}\\[${T}\\] \\[mpm_event:notice\\] \\[pid 1:tid \\d+\\] AH00489: Apache/2\\.4\\.62 \\(Unix\\) configured -- resuming normal operations\n\\[${T}\\] \\[core:notice\\] \\[pid 1:tid \\d+\\] AH00094: Command line: 'httpd -D FOREGROUND'\n$`,
      ),
    );
    const res = await c.http({ path: '/' });
    expect(res.body).toBe('<html><body><h1>It works!</h1></body></html>\n');
    expect(res.headers).toEqual({
      Date: 'Mon, 23 Nov 2026 10:00:00 GMT',
      Server: 'Apache/2.4.62 (Unix)',
      'Last-Modified': 'Mon, 11 Jun 2007 18:53:14 GMT',
      ETag: '"2d-432a5e4a73a80"',
      'Accept-Ranges': 'bytes',
      'Content-Length': '45',
      'Content-Type': 'text/html',
    });
    expect(c.out.join('')).toBe('10.244.0.1 - - [23/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 45\n');
    const nf = await c.http({ path: '/nope' });
    expect(nf.status).toBe(404);
    expect(nf.body).toBe('<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n');
    expect(nf.headers!['Content-Type']).toBe('text/html; charset=iso-8859-1');
    expect(c.out[c.out.length - 1]).toBe('10.244.0.1 - - [23/Nov/2026:10:00:00 +0000] "GET /nope HTTP/1.1" 404 196\n');
    // like the real image, there is no ps (procps is not installed)
    expect(await c.proc.exec!(['ps', 'ax'], { stdout: () => {}, stderr: () => {} })).toBe(127);
    c.proc.signal('SIGTERM');
    expect((await c.exit()).exitCode).toBe(0);
    expect(c.err.join('')).toMatch(/\[mpm_event:notice\] \[pid 1:tid \d+\] AH00491: caught SIGTERM, shutting down\n$/);
  });

  it('serves files written into htdocs; 301 for a directory without its slash; latest is 2.4.65', async () => {
    const c = boot('httpd');
    await settle();
    await c.proc.exec!(['sh', '-c', 'mkdir /usr/local/apache2/htdocs/docs && echo hello > /usr/local/apache2/htdocs/docs/index.html'], { stdout: () => {}, stderr: () => {} });
    const dir = await c.http({ path: '/docs', headers: { host: 'web' } });
    expect([dir.status, dir.headers!.Location, dir.headers!.Server]).toEqual([301, 'http://web/docs/', 'Apache/2.4.65 (Unix)']);
    expect((await c.http({ path: '/docs/' })).body).toBe('hello\n');
    c.proc.signal('SIGKILL');
  });
});
