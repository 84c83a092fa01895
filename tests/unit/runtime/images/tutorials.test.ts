import { describe, expect, it } from 'vitest';
import { createEmptyDir } from '../../../../src-main/runtime';
import { T0, boot, clusterDns, network, settle, until, wireGet } from './helpers';
import { FakeClock } from '../../../../src-main/client/clock';

const ECHO_BANNER = `
   ____    __
  / __/___/ /  ___
 / _// __/ _ \\/ _ \\
/___/\\__/_//_/\\___/ v3.3.10-dev
High performance, minimalist Go web framework
https://echo.labstack.com
____________________________________O/_______
                                    O\\
⇨ http server started on [::]:1323
`;

describe('seed 001: frontend (nginx 1.17.5) → backend (echo) → redis over the cluster network', () => {
  it('answers /healthz with ✓ through nginx, counts users in redis, keeps counts across a redis restart, logs as the seed shows', async () => {
    const net = network();
    const clock = new FakeClock(T0);
    const dns = clusterDns(net, { 'app.default.svc.cluster.local': '10.244.1.3', 'redis.default.svc.cluster.local': '10.244.1.4' });
    const data = createEmptyDir(() => clock.now());
    const redisArgs = ['--appendonly', 'no', '--save', '300', '1', '--save', '30', '1000'];
    const redisNet = net.pod('10.244.1.4', 'redis-0');
    let redis = boot('redis:6.0.3-alpine', { args: redisArgs, mounts: [{ mountPath: '/data', fs: data }], net: redisNet, clock, hostname: 'redis-0' });
    const backend = boot('c1524db4f1/kubernetes-tutorial-backend:v0.3.0', { args: ['/bin/app'], env: [{ name: 'REDIS_URL', value: 'redis:6379' }], net: net.pod('10.244.1.3', 'backend'), clock, hostname: 'backend-78d87dd74b-pk7tr' });
    const frontend = boot('c1524db4f1/kubernetes-tutorial-frontend:v0.2.0', { args: ['nginx', '-g', 'daemon off;'], net: net.pod('10.244.1.2', 'frontend'), clock, hostname: 'frontend-99d9cfbc9-dbbdj' });
    await until(() => [dns, redis, backend, frontend].every((c) => (c.proc.listeners?.() ?? []).length > 0));
    expect(frontend.text()).toBe('');
    expect(backend.text()).toBe(ECHO_BANNER);
    // $ kubectl exec -it backend-… -- nslookup redis (Alpine's busybox 1.28 on musl)
    let ns = '';
    await backend.proc.exec!(['nslookup', 'redis'], { stdout: (x) => (ns += x), stderr: (x) => (ns += x) });
    expect(ns).toBe("nslookup: can't resolve '(null)': Name does not resolve\n\nName:      redis\nAddress 1: 10.244.1.4\n");

    const hz = await frontend.http({ path: '/healthz', remoteAddress: '192.168.99.1', headers: { host: '10.97.210.57', 'user-agent': 'HTTPie/1.0.3' } });
    expect(hz.status).toBe(200);
    expect(hz.body).toBe('✓');
    expect(hz.headers).toMatchObject({ Server: 'nginx/1.17.5', 'Content-Type': 'text/plain; charset=UTF-8', 'Content-Length': '3', Connection: 'keep-alive' });
    expect(frontend.out.join('')).toBe('192.168.99.1 - - [23/Nov/2026:10:00:00 +0000] "GET /healthz HTTP/1.1" 200 3 "-" "HTTPie/1.0.3"\n');

    const call = async (method: string, path: string) => (await wireGet(net.fabric, '10.244.1.2', 80, path, method)).body;
    expect(await call('GET', '/users/10')).toBe('0');
    expect(await call('POST', '/users/10')).toBe('1');
    expect(await call('GET', '/users/10')).toBe('1');
    expect(await call('POST', '/users/10')).toBe('2');
    expect(await call('POST', '/users/10')).toBe('3');
    expect(await call('GET', '/users/32')).toBe('0');
    expect(await call('GET', '/nope')).toBe('{"message":"Not Found"}\n');
    expect(backend.text()).toBe(ECHO_BANNER);

    // kubectl delete pod redis-0: SIGTERM saves, the StatefulSet's new pod loads the PVC's dump
    redis.proc.signal('SIGTERM');
    await redis.exit();
    redisNet.close();
    expect(await call('GET', '/users/10')).toBe('{"message":"Internal Server Error"}\n');
    redis = boot('redis:6.0.3-alpine', { args: redisArgs, mounts: [{ mountPath: '/data', fs: data }], net: net.pod('10.244.1.4', 'redis-0'), clock, hostname: 'redis-0' });
    await until(() => (redis.proc.listeners?.() ?? []).length > 0);
    expect(redis.out.join('')).toContain('* DB loaded from disk: 0.000 seconds\n');
    expect(await call('GET', '/users/10')).toBe('3');
    for (const c of [dns, redis, backend, frontend]) c.proc.signal('SIGKILL');
  });

  it('without the app Service the frontend still runs and answers 502 with nginx\'s resolver error', async () => {
    const net = network();
    const dns = clusterDns(net, {});
    const frontend = boot('c1524db4f1/kubernetes-tutorial-frontend:v0.2.0', { args: ['nginx', '-g', 'daemon off;'], net: net.pod('10.244.1.2', 'frontend') });
    await until(() => [dns, frontend].every((c) => (c.proc.listeners?.() ?? []).length > 0));
    const res = await frontend.http({ path: '/healthz' });
    expect(res.status).toBe(502);
    expect(frontend.err.join('')).toBe('2026/11/23 10:00:00 [error] 6#6: *1 app.default.svc.cluster.local could not be resolved (3: Host not found), client: 10.244.0.1, server: , request: "GET /healthz HTTP/1.1", host: "10.244.1.5"\n');
    for (const c of [dns, frontend]) c.proc.signal('SIGKILL');
  });

  it('the backend answers as echo: 405 for other methods, 500 when redis is unreachable', async () => {
    const b = boot('c1524db4f1/kubernetes-tutorial-backend:v0.3.0', { env: [{ name: 'REDIS_URL', value: 'localhost:6379' }] });
    await settle();
    const h = (method: string, path: string) => b.http({ method, path }, 1323);
    expect((await h('GET', '/healthz')).headers).toEqual({ 'Content-Type': 'text/plain; charset=UTF-8', 'Content-Length': '3' });
    const m = await h('DELETE', '/users/1');
    expect([m.status, m.body]).toEqual([405, '{"message":"Method Not Allowed"}\n']);
    const e = await h('POST', '/users/1');
    expect([e.status, e.body]).toEqual([500, '{"message":"Internal Server Error"}\n']);
    b.proc.signal('SIGKILL');
  });
});
