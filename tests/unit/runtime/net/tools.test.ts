/** Golden outputs of the in-container network and process tools, on a real pod network. */
import { afterEach, describe, expect, it } from 'vitest';
import type { Container } from '../../../../src-main/runtime/container';
import { EXTRA_TOOLS } from '../../../../src-main/runtime/tools';
import { Input } from '../../../../src-main/runtime/streams';
import { settle } from '../harness';
import { testCluster, type TestCluster } from './cluster';

let cluster: TestCluster;
afterEach(() => cluster?.stop());

async function run(c: { proc: unknown }, argv: string[], stdin?: string): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await (c.proc as Container).exec(argv, { stdin, stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
  return { code, out: out.join(''), err: err.join('') };
}

/** Runs a tool of EXTRA_TOOLS (curl, ss) in a container as an image that ships it would. */
async function extra(c: { proc: unknown }, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const host = c.proc as Container;
  let out = '';
  let err = '';
  const code = await EXTRA_TOOLS[argv[0]!]!(
    { argv, pid: 4242, host, exe: `/usr/bin/${argv[0]}`, env: new Map(), cwd: '/', stdin: Input.empty(), stdout: { write: (s) => (out += s) }, stderr: { write: (s) => (err += s) } },
    'gnu',
  );
  return { code, out, err };
}

describe('process and socket tools', () => {
  it('netstat (net-tools and busybox), ss and ps show the pod as the real tools format it', async () => {
    cluster = testCluster();
    const web = cluster.pod('nginx:1.27', '10.244.1.5', { hostname: 'test-pod' });
    const redis = cluster.pod('redis:7.2-alpine', '10.244.1.6');
    await settle(10);
    expect((await run(web, ['netstat', '-tlpn'])).out).toBe(
      'Active Internet connections (only servers)\nProto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name    \ntcp        0      0 0.0.0.0:80              0.0.0.0:*               LISTEN      1/nginx: master pro\ntcp6       0      0 :::80                   :::*                    LISTEN      1/nginx: master pro\n',
    );
    expect((await run(web, ['netstat', '-tl'])).out).toBe(
      'Active Internet connections (only servers)\nProto Recv-Q Send-Q Local Address           Foreign Address         State       \ntcp        0      0 0.0.0.0:http            0.0.0.0:*               LISTEN     \ntcp6       0      0 :::http                 :::*                    LISTEN     \n',
    );
    const bb = await run(redis, ['netstat', '-tulpn']);
    // busybox prints `tcp` for IPv6 sockets too
    expect(bb.out).toMatch(
      /^Active Internet connections \(only servers\)\nProto Recv-Q Send-Q Local Address           Foreign Address         State       PID\/Program name    \ntcp        0      0 0\.0\.0\.0:6379            0\.0\.0\.0:\*               LISTEN      1\/redis-server[^\n]*\ntcp        0      0 :::6379                 :::\*                    LISTEN      1\/redis-server[^\n]*\n$/,
    );
    // an open connection shows as ESTABLISHED with -a or without -l
    const conn = await cluster.fabric.connectFromNode('172.18.0.2', '10.244.1.5', 80);
    conn.socket.on('error', () => {});
    await settle();
    const est = await run(web, ['netstat', '-tn']);
    expect(est.out).toBe(
      `Active Internet connections (w/o servers)\nProto Recv-Q Send-Q Local Address           Foreign Address         State       \ntcp        0      0 10.244.1.5:80           ${`172.18.0.2:${conn.local.port}`.padEnd(23)} ESTABLISHED\n`,
    );
    expect((await extra(web, ['ss', '-tn'])).out).toBe(`State Recv-Q Send-Q Local Address:Port Peer Address:Port Process\nESTAB 0      0         10.244.1.5:80     172.18.0.2:${conn.local.port}\n`);
    expect((await run(web, ['netstat', '-anp'])).out.split('\n').filter((l) => l.includes('LISTEN') || l.includes('ESTABLISHED'))).toHaveLength(3);
    conn.socket.destroy();
    await settle();
    expect((await run(web, ['netstat', '-tn'])).out).not.toContain('ESTABLISHED');
    const ss = await extra(web, ['ss', '-tlnp']);
    expect(ss.out).toBe(
      'State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\nLISTEN 0      4096         0.0.0.0:80        0.0.0.0:*    users:(("nginx",pid=1,fd=5))\nLISTEN 0      4096            [::]:80           [::]:*    users:(("nginx",pid=1,fd=6))\n',
    );
    const aux = await run(web, ['ps', 'aux']);
    expect(aux.out.split('\n')[0]).toBe('USER       PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND');
    expect(aux.out).toContain('\nroot         1  0.0  0.0  22092  7364 ?        Ss   10:00   0:00 nginx: master process nginx -g daemon off;\n');
    expect(aux.out).toMatch(/\nroot        \d+  0\.0  0\.0   4560  1520 \?        R    10:00   0:00 ps aux\n$/);
    const ef = await run(web, ['ps', '-ef']);
    expect(ef.out.split('\n').slice(0, 2)).toEqual(['UID        PID  PPID  C STIME TTY          TIME CMD', 'root         1     0  0 10:00 ?        00:00:00 nginx: master process nginx -g daemon off;']);
    expect((await run(redis, ['ps'])).out).toMatch(/^PID   USER     TIME  COMMAND\n    1 root      0:00 redis-server[^\n]*\n[\s\S]*ps\n$/);
  });

  it('an exec -it shell and its ps are on pts/0 (seed 003)', async () => {
    cluster = testCluster();
    const web = cluster.pod('nginx:1.27', '10.244.1.5', { hostname: 'test-pod' });
    await settle(10);
    let out = '';
    const session = (web.proc as Container).execInteractive(['/bin/bash'], { tty: true, stdout: (s) => (out += s), stderr: (s) => (out += s) });
    session.write('ps ax\r');
    for (let i = 0; i < 50 && !out.includes('R+'); i++) await settle();
    session.write('exit\r');
    await session.exited;
    const lines = out.split('\r\n');
    const bash = lines.find((l) => l.endsWith('/bin/bash'));
    const ps = lines.find((l) => /^ +\d+ .*ps ax$/.test(l));
    expect(lines).toContain('  PID TTY      STAT   TIME COMMAND');
    expect(bash).toMatch(/^ +\d+ pts\/0    Ss     0:00 \/bin\/bash$/);
    expect(ps).toMatch(/^ +\d+ pts\/0    R\+     0:00 ps ax$/);
  });

  it('ip addr / ip route / hostname -i show the pod IP on eth0', async () => {
    cluster = testCluster();
    const bb = cluster.pod('busybox:1.36', '10.244.2.7', { command: ['sleep', '3600'], hostname: 'bb' });
    await settle();
    expect((await run(bb, ['ip', 'a'])).out).toBe(
      '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue qlen 1000\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n    inet 127.0.0.1/8 scope host lo\n       valid_lft forever preferred_lft forever\n    inet6 ::1/128 scope host \n       valid_lft forever preferred_lft forever\n2: eth0@if11: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu 1500 qdisc noqueue \n    link/ether 0a:58:0a:f4:02:07 brd ff:ff:ff:ff:ff:ff\n    inet 10.244.2.7/24 brd 10.244.2.255 scope global eth0\n       valid_lft forever preferred_lft forever\n',
    );
    expect((await run(bb, ['ip', 'route'])).out).toBe('default via 10.244.2.1 dev eth0 \n10.244.2.0/24 dev eth0 scope link  src 10.244.2.7 \n');
    expect((await run(bb, ['hostname', '-i'])).out).toBe('10.244.2.7\n');
  });

  it('nc: -zv probes, a client talking to redis, a one-shot server', async () => {
    cluster = testCluster();
    cluster.pod('redis:7.2', '10.244.1.6');
    const bb = cluster.pod('busybox:1.36', '10.244.2.7', { command: ['sleep', '3600'] });
    const srv = cluster.pod('busybox:1.36', '10.244.2.8', { command: ['sh', '-c', 'echo hello from nc | nc -l -p 9000'] });
    cluster.names['redis.default.svc.cluster.local'] = '10.244.1.6';
    await settle(10);
    expect(await run(bb, ['nc', '-zv', 'redis', '6379'])).toEqual({ code: 0, out: '', err: 'redis (10.244.1.6:6379) open\n' });
    expect(await run(bb, ['nc', '-zv', '10.244.1.6', '6380'])).toEqual({ code: 1, out: '', err: 'nc: 10.244.1.6 (10.244.1.6:6380): Connection refused\n' });
    expect(await run(bb, ['nc', '-z', '10.244.1.6', '6380'])).toEqual({ code: 1, out: '', err: '' });
    expect(await run(bb, ['nc', 'nowhere', '1'])).toEqual({ code: 1, out: '', err: "nc: bad address 'nowhere'\n" });
    const talk = await run(bb, ['nc', '10.244.1.6', '6379'], 'PING\r\nSET a 1\r\nINCR a\r\nQUIT\r\n');
    expect(talk).toEqual({ code: 0, out: '+PONG\r\n+OK\r\n:2\r\n+OK\r\n', err: '' });
    const got = await run(bb, ['nc', '10.244.2.8', '9000'], '');
    expect(got.out).toBe('hello from nc\n');
    expect((await srv.exit()).exitCode).toBe(0);
  });

  it('nc carries bytes exactly both ways (random bytes, invalid UTF-8 included)', async () => {
    cluster = testCluster();
    const bb = cluster.pod('busybox:1.36', '10.244.1.7', { command: ['sleep', '3600'] });
    const srv = cluster.pod('busybox:1.36', '10.244.2.9', {
      command: ['sh', '-c', 'head -c 30000 /dev/urandom > /tmp/r; nc -l -p 9001 < /tmp/r; nc -l -p 9002 > /tmp/in; sleep 3600'],
    });
    await settle(10);
    const sent = await run(srv, ['sha256sum', '/tmp/r']);
    expect(sent.out).toMatch(/^[0-9a-f]{64} {2}\/tmp\/r\n$/);
    // server → client
    const got = await run(bb, ['sh', '-c', 'nc 10.244.2.9 9001 | sha256sum']);
    expect(got.out).toBe(sent.out.replace('/tmp/r', '-'));
    // client → server
    await settle(10);
    const mine = await run(bb, ['sh', '-c', 'head -c 20000 /dev/urandom > /tmp/mine; nc 10.244.2.9 9002 < /tmp/mine; sha256sum < /tmp/mine']);
    await settle(10);
    expect(mine.out).toMatch(/^[0-9a-f]{64} {2}-\n$/);
    expect((await run(srv, ['sha256sum', '/tmp/in'])).out).toBe(mine.out.replace('-', '/tmp/in'));
  });

  it('curl: body, -I, -v, -f, -L and its exit codes 6, 7, 22', async () => {
    cluster = testCluster();
    const web = cluster.pod('nginx:1.27', '10.244.1.5');
    const client = cluster.pod('nginx:1.27', '10.244.1.9');
    cluster.names['web.default.svc.cluster.local'] = '10.244.1.5';
    await settle(10);
    const body = await extra(client, ['curl', '-s', 'http://web/']);
    expect(body.code).toBe(0);
    expect(body.out).toContain('<title>Welcome to nginx!</title>');
    expect(web.out.join('')).toContain('"GET / HTTP/1.1" 200 615 "-" "curl/7.88.1" "-"');
    const head = await extra(client, ['curl', '-sI', 'http://web/']);
    expect(head.out).toMatch(/^HTTP\/1\.1 200 OK\r\nServer: nginx\/1\.27\.5\r\n[\s\S]*Content-Length: 615\r\n[\s\S]*\r\n\r\n$/);
    const meter = await extra(client, ['curl', 'http://web/']);
    expect(meter.err).toBe(
      '  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n100   615  100   615    0     0    615      0 --:--:-- --:--:-- --:--:--    615\n',
    );
    const verbose = await extra(client, ['curl', '-v', '-o', '/dev/null', 'http://web/nope']);
    expect(verbose.err).toContain('*   Trying 10.244.1.5:80...\n* Connected to web (10.244.1.5) port 80 (#0)\n> GET /nope HTTP/1.1\n> Host: web\n> User-Agent: curl/7.88.1\n> Accept: */*\n> \n< HTTP/1.1 404 Not Found\n< Server: nginx/1.27.5\n');
    expect(await extra(client, ['curl', '-sf', 'http://web/nope'])).toMatchObject({ code: 22, err: '' });
    expect(await extra(client, ['curl', '-sSf', 'http://web/nope'])).toMatchObject({ code: 22, err: 'curl: (22) The requested URL returned error: 404\n' });
    expect(await extra(client, ['curl', '-sS', 'http://nowhere/'])).toMatchObject({ code: 6, err: 'curl: (6) Could not resolve host: nowhere\n' });
    expect(await extra(client, ['curl', '-sS', 'http://web:81/'])).toMatchObject({ code: 7, err: 'curl: (7) Failed to connect to web port 81 after 0 ms: Connection refused\n' });
    expect(await extra(client, ['curl', '-s', '-o', '/dev/null', '-w', '%{http_code} %{size_download}\\n', 'http://web/nope'])).toEqual({ code: 0, out: '404 153\n', err: '' });
    const moved = await extra(client, ['curl', '-sSL', 'http://web/docs']);
    expect(moved.code).toBe(0);
  });
});
