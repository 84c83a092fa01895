import { describe, expect, it } from 'vitest';
import { advance, settle, start } from './harness';

const NGINX_ENTRYPOINT = `/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration
/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/
/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh
10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf
10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf
/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh
/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh
/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh
/docker-entrypoint.sh: Configuration complete; ready for start up
`;

const T = '2026/11/23 10:00:00';

describe('nginx', () => {
  it('prints the entrypoint lines (stdout) and nginx notices (stderr), listens on 80', async () => {
    const c = start('nginx:1.27');
    await settle();
    expect(c.out.join('')).toBe(NGINX_ENTRYPOINT);
    expect(c.err.join('')).toBe(
      [
        `${T} [notice] 1#1: using the "epoll" event method`,
        `${T} [notice] 1#1: nginx/1.27.5`,
        `${T} [notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14) `,
        `${T} [notice] 1#1: OS: Linux 6.8.0-85-generic`,
        `${T} [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576`,
        `${T} [notice] 1#1: start worker processes`,
        `${T} [notice] 1#1: start worker process 29`,
        `${T} [notice] 1#1: start worker process 30`,
        '',
      ].join('\n'),
    );
    expect(c.clock.pending()).toBe(0);
    c.proc.signal('SIGKILL');
  });

  it('the kubelet\'s SIGTERM becomes the image STOPSIGNAL (SIGQUIT): graceful shutdown, exit 0', async () => {
    const c = start('nginx:1.27.5');
    await settle();
    const before = c.err.length;
    c.clock.advance(61_000);
    c.proc.signal('SIGTERM');
    expect(await c.exit()).toEqual({ exitCode: 0, reason: 'Completed' });
    const t = '2026/11/23 10:01:01';
    expect(c.err.slice(before).join('')).toBe(
      [
        `${t} [notice] 1#1: signal 3 (SIGQUIT) received, shutting down`,
        `${t} [notice] 29#29: gracefully shutting down`,
        `${t} [notice] 30#30: gracefully shutting down`,
        `${t} [notice] 29#29: exiting`,
        `${t} [notice] 30#30: exiting`,
        `${t} [notice] 29#29: exit`,
        `${t} [notice] 30#30: exit`,
        `${t} [notice] 1#1: signal 17 (SIGCHLD) received from 30`,
        `${t} [notice] 1#1: worker process 30 exited with code 0`,
        `${t} [notice] 1#1: signal 17 (SIGCHLD) received from 29`,
        `${t} [notice] 1#1: worker process 29 exited with code 0`,
        `${t} [notice] 1#1: exit`,
        '',
      ].join('\n'),
    );
  });

  it('SIGINT is a fast shutdown', async () => {
    const c = start('nginx:1.25');
    await settle();
    c.proc.signal('SIGINT');
    expect((await c.exit()).exitCode).toBe(0);
    expect(c.err.join('')).toContain(`${T} [notice] 1#1: signal 2 (SIGINT) received, exiting\n`);
    expect(c.err.join('')).toContain(`${T} [notice] 1#1: nginx/1.25.5\n`);
  });

  it('alpine variant: built by the Alpine gcc, workers 24+', async () => {
    const c = start('nginx:alpine');
    await settle();
    expect(c.err.join('')).toContain(`${T} [notice] 1#1: built by gcc 14.2.0 (Alpine 14.2.0) \n`);
    expect(c.err.join('')).toContain(`${T} [notice] 1#1: start worker process 24\n`);
    c.proc.signal('SIGKILL');
  });

  it('args replace CMD: the entrypoint execs them quietly', async () => {
    const c = start('nginx', { args: ['sh', '-c', 'echo custom; exit 2'] });
    expect(await c.exit()).toEqual({ exitCode: 2, reason: 'Error' });
    expect(c.text()).toBe('custom\n');
  });

  it('NGINX_ENTRYPOINT_QUIET_LOGS silences the entrypoint', async () => {
    const c = start('nginx', { env: [{ name: 'NGINX_ENTRYPOINT_QUIET_LOGS', value: '1' }] });
    await settle();
    expect(c.out.join('')).toBe('');
    expect(c.err.join('')).toContain('start worker processes');
    c.proc.signal('SIGKILL');
  });

  it('`nginx` without `daemon off;` daemonizes: PID 1 exits 0 at once', async () => {
    const c = start('nginx', { command: ['nginx'] });
    expect(await c.exit()).toEqual({ exitCode: 0, reason: 'Completed' });
  });
});

describe('redis', () => {
  it('7.2: startup lines with pid, role and redis timestamps; SIGTERM saves and exits 0', async () => {
    const c = start('redis:7.2');
    await settle();
    const t = '23 Nov 2026 10:00:00.000';
    expect(c.text()).toBe(
      [
        `1:C ${t} * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo`,
        `1:C ${t} * Redis version=7.2.11, bits=64, commit=00000000, modified=0, pid=1, just started`,
        `1:C ${t} # Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf`,
        `1:M ${t} * monotonic clock: POSIX clock_gettime`,
        `1:M ${t} * Running mode=standalone, port=6379.`,
        `1:M ${t} * Server initialized`,
        `1:M ${t} * Ready to accept connections tcp`,
        '',
      ].join('\n'),
    );
    c.clock.advance(90_250);
    const before = c.out.length;
    c.proc.signal('SIGTERM');
    expect(await c.exit()).toEqual({ exitCode: 0, reason: 'Completed' });
    const s = '23 Nov 2026 10:01:30.250';
    expect(c.out.slice(before).join('')).toBe(
      [
        `1:signal-handler (1795428090) Received SIGTERM scheduling shutdown...`,
        `1:M ${s} * User requested shutdown...`,
        `1:M ${s} * Saving the final RDB snapshot before exiting.`,
        `1:M ${s} * DB saved on disk`,
        `1:M ${s} # Redis is now ready to exit, bye bye...`,
        '',
      ].join('\n'),
    );
  });

  it('6.2 logs at its own levels; --port and --appendonly are honoured', async () => {
    const c = start('redis:6.2', { args: ['--port', '7000'] });
    await settle();
    const t = '23 Nov 2026 10:00:00.000';
    expect(c.text()).toContain(`1:C ${t} # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo\n`);
    expect(c.text()).toContain(`1:M ${t} * Running mode=standalone, port=7000.\n`);
    expect(c.text()).toContain(`1:M ${t} # Server initialized\n1:M ${t} * Ready to accept connections\n`);
    c.proc.signal('SIGKILL');
    const a = start('redis:7.4', { args: ['redis-server', '--appendonly', 'yes'] });
    await settle();
    expect(a.text()).toContain(`1:M ${t} * Creating AOF base file appendonly.aof.1.base.rdb on server start\n`);
    a.proc.signal('SIGKILL');
  });
});

describe('luksa/kubia', () => {
  it.each(['luksa/kubia', 'luksa/kubia:v2', 'luksa/kubia:v3', 'luksa/kubia:unhealthy', 'luksa/kubia-unhealthy'])('%s (1st edition) logs "Kubia server starting..." and keeps running', async (image) => {
    const c = start(image);
    let done = false;
    void c.exit().then(() => (done = true));
    await settle();
    await advance(c.clock, 60_000, 10_000);
    expect(c.text()).toBe('Kubia server starting...\n');
    expect(done).toBe(false);
    c.proc.signal('SIGKILL');
  });

  it('luksa/kubia:1.0 (2nd edition, seed 000) logs its hostname and port and answers "Hey there"', async () => {
    const c = start('luksa/kubia:1.0', { hostname: 'kubia-9d785b578-p449x' });
    await settle();
    expect(c.text()).toBe('Kubia server starting...\nLocal hostname is kubia-9d785b578-p449x\nListening on port 8080\n');
    const [l] = c.proc.listeners!();
    expect(l).toMatchObject({ port: 8080, protocol: 'TCP', address: '::', pid: 1 });
    const res = await l!.http!({ method: 'GET', path: '/', headers: {}, remoteAddress: '::ffff:172.17.0.1' });
    expect(res).toEqual({ status: 200, body: 'Hey there, this is kubia-9d785b578-p449x. Your IP is ::ffff:172.17.0.1. \n' });
    expect(c.text().endsWith('Received request for / from ::ffff:172.17.0.1\n')).toBe(true);
    c.proc.signal('SIGKILL');
    expect(c.proc.listeners!()).toEqual([]);
  });

  it.each([
    ['luksa/kubia', [200, 200, 200, 200, 200, 200], "You've hit web-1\n"],
    ['luksa/kubia:v2', [200], 'This is v2 running in pod web-1\n'],
    ['luksa/kubia:v3', [200, 200, 200, 200, 500], 'Some internal error has occurred! This is pod web-1\n'],
    ['luksa/kubia-unhealthy', [200, 200, 200, 200, 200, 500], "I'm not well. Please restart me!"],
  ])('%s answers HTTP like the book', async (image, statuses, lastBody) => {
    const c = start(image, { hostname: 'web-1' });
    await settle();
    const http = c.proc.listeners!()[0]!.http!;
    let last = { status: 0, body: '' };
    const seen: number[] = [];
    for (let i = 0; i < statuses.length; i++) {
      last = await http({ method: 'GET', path: '/', headers: {}, remoteAddress: '::ffff:10.244.0.1' });
      seen.push(last.status);
    }
    expect(seen).toEqual(statuses);
    expect(last.body).toBe(lastBody);
    expect(c.out.filter((l) => l === 'Received request from ::ffff:10.244.0.1\n')).toHaveLength(statuses.length);
    c.proc.signal('SIGKILL');
  });

  it('node with a missing script fails like node 7 (exit 1)', async () => {
    const c = start('luksa/kubia', { command: ['node', 'server.js'] });
    expect(await c.exit()).toEqual({ exitCode: 1, reason: 'Error' });
    expect(c.err.join('')).toContain("Error: Cannot find module '/server.js'");
  });
});

describe('generic images', () => {
  it('say they are simulated and keep running', async () => {
    const c = start('myorg/api:2.1');
    await settle();
    expect(c.text()).toBe('kubesim: image "docker.io/myorg/api:2.1" is not in the simulated image catalog; running a generic placeholder program\n');
    await advance(c.clock, 10_000, 5000);
    c.proc.signal('SIGTERM');
    let done = false;
    void c.exit().then(() => (done = true));
    await settle();
    expect(done).toBe(false);
    c.proc.signal('SIGKILL');
    expect((await c.exit()).exitCode).toBe(137);
  });

  it('answer HTTP on the pod spec\'s ports', async () => {
    const c = start('myorg/api:2.1', { ports: [{ containerPort: 8080 }], hostname: 'api-1' });
    await settle();
    const [l] = c.proc.listeners!();
    expect(l!.port).toBe(8080);
    const res = await l!.http!({ method: 'GET', path: '/health', headers: {}, remoteAddress: '10.0.0.1' });
    expect(res.body).toBe('kubesim generic responder\nimage: docker.io/myorg/api:2.1\nhostname: api-1\nport: 8080\nrequest: GET /health\n');
    c.proc.signal('SIGKILL');
  });

  it('run shell commands with their busybox userland', async () => {
    const c = start('myorg/tools', { command: ['sh', '-c', 'echo from generic; exit 4'] });
    expect(await c.exit()).toEqual({ exitCode: 4, reason: 'Error' });
    expect(c.text()).toBe('from generic\n');
  });
});

describe('busybox', () => {
  it('the multi-call binary and its applets', async () => {
    const c = start('busybox:1.36', { command: ['busybox', 'echo', 'hi'] });
    await c.exit();
    expect(c.text()).toBe('hi\n');
    const b = start('busybox:1.36', { command: ['busybox'] });
    await b.exit();
    expect(b.text().split('\n')[0]).toBe('BusyBox v1.36.1 (2024-09-26 21:31:42 UTC) multi-call binary.');
  });
});

describe('seed tutorial images', () => {
  it('kubernetes-tutorial-backend prints the echo banner (seed 001 `kubectl logs backend-…`)', async () => {
    const c = start('c1524db4f1/kubernetes-tutorial-backend:v0.3.0', { args: ['/bin/app'], env: [{ name: 'REDIS_URL', value: 'redis:6379' }] });
    await settle();
    expect(c.text()).toBe(
      '\n   ____    __\n  / __/___/ /  ___\n / _// __/ _ \\/ _ \\\n/___/\\__/_//_/\\___/ v3.3.10-dev\nHigh performance, minimalist Go web framework\nhttps://echo.labstack.com\n____________________________________O/_______\n                                    O\\\n⇨ http server started on [::]:1323\n',
    );
    c.proc.signal('SIGKILL');
  });

  it('kubernetes-tutorial-frontend (nginx 1.17, error log at warn) starts silently', async () => {
    const c = start('c1524db4f1/kubernetes-tutorial-frontend:v0.2.0', { args: ['nginx', '-g', 'daemon off;'] });
    let done = false;
    void c.exit().then(() => (done = true));
    await settle();
    expect(c.text()).toBe('');
    expect(done).toBe(false);
    c.proc.signal('SIGTERM');
    expect(await c.exit()).toEqual({ exitCode: 0, reason: 'Completed' });
  });

  it('redis:6.0.3-alpine with args says "Configuration loaded" and has no monotonic clock line', async () => {
    const c = start('redis:6.0.3-alpine', { args: ['--appendonly', 'no', '--save', '300', '1', '--save', '30', '1000'] });
    await settle();
    const t = '23 Nov 2026 10:00:00.000';
    expect(c.text()).toBe(
      [
        `1:C ${t} # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo`,
        `1:C ${t} # Redis version=6.0.3, bits=64, commit=00000000, modified=0, pid=1, just started`,
        `1:C ${t} # Configuration loaded`,
        `1:M ${t} * Running mode=standalone, port=6379.`,
        `1:M ${t} # Server initialized`,
        `1:M ${t} * Ready to accept connections`,
        '',
      ].join('\n'),
    );
    c.proc.signal('SIGKILL');
  });

  it('busybox `sleep 99999999999` (seed 003) sleeps past the 2^31 ms timer limit', async () => {
    const c = start('busybox:latest', { args: ['sleep', '99999999999'] });
    let done = false;
    void c.exit().then(() => (done = true));
    await settle();
    c.clock.advance(30 * 86_400_000);
    await settle();
    c.clock.advance(30 * 86_400_000);
    await settle();
    expect(done).toBe(false);
    expect(c.clock.pending()).toBe(1);
    c.proc.signal('SIGKILL');
    expect((await c.exit()).exitCode).toBe(137);
    expect(c.clock.pending()).toBe(0);
  });

  it.each(['nigelpoulton/getting-started-k8s:1.0', 'adritasharma/getting-started-k8s:1.0'])('%s runs its node app silently on 8080', async (image) => {
    const c = start(image);
    let done = false;
    void c.exit().then(() => (done = true));
    await settle();
    expect(done).toBe(false);
    expect(c.text()).toBe('');
    c.proc.signal('SIGKILL');
  });
});
