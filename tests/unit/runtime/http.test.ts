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

describe('seed 001: frontend nginx proxying to the echo backend', () => {
  it('GET /healthz through the frontend answers ✓ and logs in the combined format', async () => {
    const backend = start('c1524db4f1/kubernetes-tutorial-backend:v0.3.0', { args: ['/bin/app'] });
    await settle();
    const backendHttp = backend.proc.listeners!()[0]!.http!;
    const urls: string[] = [];
    const frontend = start('c1524db4f1/kubernetes-tutorial-frontend:v0.2.0', {
      args: ['nginx', '-g', 'daemon off;'],
      httpClient: async (url, req) => {
        urls.push(url);
        return backendHttp(req);
      },
    });
    await settle();
    const res = await frontend.proc.listeners!()[0]!.http!(get('/healthz', { remoteAddress: '192.168.99.1', headers: { host: '10.97.210.57', 'user-agent': 'HTTPie/1.0.3' } }));
    expect(res.status).toBe(200);
    expect(res.body).toBe('✓');
    expect(urls).toEqual(['http://app:1323/healthz']);
    expect(frontend.text()).toBe('192.168.99.1 - - [23/Nov/2026:10:00:00 +0000] "GET /healthz HTTP/1.1" 200 3 "-" "HTTPie/1.0.3"\n');
    frontend.proc.signal('SIGKILL');
    backend.proc.signal('SIGKILL');
  });

  it('without a network the proxy answers 502', async () => {
    const frontend = start('c1524db4f1/kubernetes-tutorial-frontend:v0.2.0');
    await settle();
    const res = await frontend.proc.listeners!()[0]!.http!(get('/healthz'));
    expect(res.status).toBe(502);
    expect(frontend.err.join('')).toContain('connect() failed (111: Connection refused) while connecting to upstream');
    frontend.proc.signal('SIGKILL');
  });
});

describe('busybox wget (seed 004)', () => {
  it('wget -qO- prints the body; errors are worded like busybox', async () => {
    const web = start('nginx');
    await settle();
    const http = web.proc.listeners!()[0]!.http!;
    const seen: string[] = [];
    const c = start('busybox', {
      command: ['sh', '-c', 'wget -qO- http://$SERVICE_IP:$SERVICE_PORT | head -n 4; wget -q -O- http://10.96.0.5/missing; echo "exit $?"; wget http://10.96.0.5/; cat index.html | wc -c'],
      env: [
        { name: 'SERVICE_IP', value: '10.96.0.5' },
        { name: 'SERVICE_PORT', value: '80' },
      ],
      httpClient: async (url, req) => {
        seen.push(`${url} ${req.headers.host} ${req.headers['user-agent']}`);
        return http({ ...req, remoteAddress: '10.244.2.7' });
      },
    });
    expect(await c.exit()).toEqual({ exitCode: 0, reason: 'Completed' });
    expect(c.out.join('')).toBe('<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\nexit 1\n615\n');
    expect(c.err.join('')).toBe(
      "wget: server returned error: HTTP/1.1 404 Not Found\nConnecting to 10.96.0.5 (10.96.0.5:80)\nsaving to 'index.html'\nindex.html           100% |********************************|   615  0:00:00 ETA\n'index.html' saved\n",
    );
    expect(seen[0]).toBe('http://10.96.0.5:80 10.96.0.5:80 Wget');
    web.proc.signal('SIGKILL');
  });

  it('without a network: connection refused', async () => {
    const c = start('busybox', { command: ['wget', '-qO-', 'http://10.96.0.9'] });
    expect(await c.exit()).toEqual({ exitCode: 1, reason: 'Error' });
    expect(c.text()).toBe("wget: can't connect to remote host (10.96.0.9): Connection refused\n");
  });
});

describe('redis commands (RESP handlers) and persistence', () => {
  it('redis-cli in the container talks to the server; data survives a restart on the same volume', async () => {
    const { createEmptyDir } = await import('../../../src-main/runtime');
    const { runtime } = await import('./harness');
    const { FakeClock } = await import('../../../src-main/client/clock');
    const clock = new FakeClock(Date.UTC(2026, 10, 23, 10, 0, 0));
    const volume = createEmptyDir(() => clock.now());
    const l = runtime.lookup('redis:7.2');
    if (!l.ok) throw new Error(l.message);
    const boot = () => {
      const out: string[] = [];
      const c = runtime.startContainer({
        id: 'r'.repeat(64),
        name: 'redis',
        image: l.image,
        env: [],
        tty: false,
        stdin: false,
        pod: { namespace: 'default', name: 'redis-0', uid: 'u', hostname: 'redis-0', nodeName: 'n' },
        mounts: [{ mountPath: '/data', fs: volume }],
        clock,
        stdout: (s) => out.push(s),
        stderr: (s) => out.push(s),
      });
      return { c, out };
    };
    const first = boot();
    await settle();
    const cli = new (await import('../../../src-main/runtime/streams')).Collector();
    const io = { stdout: (s: string) => cli.write(s), stderr: (s: string) => cli.write(s) };
    expect(await first.c.exec(['redis-cli', 'ping'], io)).toBe(0);
    expect(await first.c.exec(['redis-cli', 'set', 'greeting', 'hello'], io)).toBe(0);
    expect(await first.c.exec(['redis-cli', 'incr', 'hits'], io)).toBe(0);
    expect(await first.c.exec(['redis-cli', 'get', 'nope'], io)).toBe(0);
    expect(await first.c.exec(['redis-cli', 'bogus'], io)).toBe(0);
    expect(await first.c.exec(['redis-cli', '-p', '7000', 'ping'], io)).toBe(1);
    expect(cli.text).toBe(
      "PONG\nOK\n1\n\n(error) ERR unknown command 'bogus', with args beginning with: \nCould not connect to Redis at 127.0.0.1:7000: Connection refused\n",
    );
    clock.advance(30_000);
    first.c.signal('SIGTERM');
    await first.c.exited;
    expect(first.out.join('')).toContain('* DB saved on disk\n');
    clock.advance(5_000);
    const second = boot();
    await settle();
    const t = '23 Nov 2026 10:00:35.000';
    expect(second.out.join('')).toContain(
      `1:M ${t} * Loading RDB produced by version 7.2.11\n1:M ${t} * RDB age 5 seconds\n1:M ${t} * RDB memory usage when created 0.90 Mb\n1:M ${t} * Done loading RDB, keys loaded: 2, keys expired: 0.\n1:M ${t} * DB loaded from disk: 0.000 seconds\n1:M ${t} * Ready to accept connections tcp\n`,
    );
    cli.text = '';
    await second.c.exec(['redis-cli', 'get', 'greeting'], io);
    expect(cli.text).toBe('hello\n');
    second.c.signal('SIGKILL');
  });

  it('seed 001: the backend counts users in redis through REDIS_URL', async () => {
    const redis = start('redis:6.0.3-alpine', { args: ['--appendonly', 'no', '--save', '300', '1', '--save', '30', '1000'] });
    await settle();
    const resp = redis.proc.listeners!()[0]!.resp!;
    const asked: string[] = [];
    const backend = start('c1524db4f1/kubernetes-tutorial-backend:v0.3.0', {
      args: ['/bin/app'],
      env: [{ name: 'REDIS_URL', value: 'redis:6379' }],
      respClient: async (host, port, args) => {
        asked.push(`${host}:${port}`);
        return resp(args);
      },
    });
    await settle();
    const http = backend.proc.listeners!()[0]!.http!;
    const call = async (method: string, path: string) => (await http({ method, path, headers: {}, remoteAddress: '10.244.1.3' })).body;
    expect([await call('GET', '/users/10'), await call('POST', '/users/10'), await call('GET', '/users/10'), await call('POST', '/users/10'), await call('POST', '/users/10')]).toEqual(['0', '1', '1', '2', '3']);
    expect(asked[0]).toBe('redis:6379');
    const offline = start('c1524db4f1/kubernetes-tutorial-backend:v0.3.0', { env: [{ name: 'REDIS_URL', value: 'redis:6379' }] });
    await settle();
    expect((await offline.proc.listeners!()[0]!.http!({ method: 'GET', path: '/users/1', headers: {}, remoteAddress: 'x' })).status).toBe(500);
    for (const c of [redis, backend, offline]) c.proc.signal('SIGKILL');
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

describe('busybox nslookup', () => {
  const records: Record<string, string> = { 'kubernetes.default.svc.cluster.local': '10.96.0.1' };
  const ptr: Record<string, string> = { '10.96.0.10': 'kube-dns.kube-system.svc.cluster.local', '10.96.0.1': 'kubernetes.default.svc.cluster.local' };
  const dnsClient = {
    lookup: async (name: string, search: string[]) => {
      for (const fqdn of [name, ...search.map((d) => `${name}.${d}`)]) if (records[fqdn]) return { fqdn, addresses: [records[fqdn]!] };
      return undefined;
    },
    reverse: async (ip: string) => ptr[ip],
  };

  it('busybox:1.28 prints the classic format', async () => {
    const c = start('busybox:1.28', { command: ['nslookup', 'kubernetes.default'], dnsClient });
    expect(await c.exit()).toEqual({ exitCode: 0, reason: 'Completed' });
    expect(c.text()).toBe(
      'Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      kubernetes.default\nAddress 1: 10.96.0.1 kubernetes.default.svc.cluster.local\n',
    );
    const miss = start('busybox:1.28', { command: ['nslookup', 'nope'], dnsClient });
    expect((await miss.exit()).exitCode).toBe(1);
    expect(miss.err.join('')).toBe("nslookup: can't resolve 'nope'\n");
  });

  it('newer busybox prints the new format', async () => {
    const c = start('busybox:1.36', { command: ['nslookup', 'kubernetes.default'], dnsClient });
    expect((await c.exit()).exitCode).toBe(0);
    expect(c.text()).toBe('Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n\n');
    const miss = start('busybox', { command: ['nslookup', 'nope'], dnsClient });
    expect((await miss.exit()).exitCode).toBe(1);
    expect(miss.text()).toBe("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n** server can't find nope: NXDOMAIN\n\n");
  });
});
