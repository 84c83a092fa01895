/**
 * Seed 001 ("A complete Kubernetes tutorial, part II") on the network, end to end with real
 * kubectl and node's HTTP client against `kubesim serve --fast`: the nginx frontend (LoadBalancer
 * `nginx`, reached on its NodePort at 127.0.0.1) proxies to the Go backend (`app`, ClusterIP
 * 1323), which counts users in redis (StatefulSet on the `redis-data` PVC, Service `redis`).
 * `/healthz` answers ✓ with the seed's headers, the counters go 0, 1, 2, 3, survive
 * `kubectl delete pod redis-0`, the frontend logs the request in the combined format, the backend
 * logs only echo's banner, and `nslookup redis` in a backend pod resolves the Service.
 */
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useServe } from './harness';
import { getJson, rows, waitFor } from './workloads-helpers';

const FIX = join(__dirname, 'fixtures/seed001');
const s = useServe();

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** HTTPie keeps its connection alive (nginx then answers `Connection: keep-alive`). */
function http(port: number, path: string, method = 'GET'): Promise<Reply> {
  const agent = new Agent({ keepAlive: true });
  return new Promise<Reply>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { 'user-agent': 'HTTPie/1.0.3', accept: '*/*' }, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.setTimeout(5_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  }).finally(() => agent.destroy());
}

/** Retries until the answer satisfies `ok` (endpoints, listeners and redis come up asynchronously). */
async function until(port: number, path: string, ok: (r: Reply) => boolean, method = 'GET', ms = 30_000): Promise<Reply> {
  let last: Reply | Error | undefined;
  return waitFor(
    `${method} ${path} on 127.0.0.1:${port}`,
    () => {
      void http(port, path, method).then(
        (r) => (last = r),
        (e: Error) => (last = e),
      );
      return last && !(last instanceof Error) && ok(last) ? last : undefined;
    },
    ms,
    () => (last instanceof Error ? last.message : JSON.stringify(last)),
  );
}

let nodePort = 0;

describe('seed 001 on the network: nginx → Go backend → redis', () => {
  it('applies the tutorial\'s manifests; every pod Running, redis-data Bound', async () => {
    for (const f of ['deploy/frontend/20-deployment.yaml', 'deploy/frontend/30-service.yaml', 'deploy/backend/20-deployment.yaml', 'deploy/backend/30-service.yaml', 'deploy/redis/10-persistentvolumeclaim.yaml', 'deploy/redis/20-statefulset.yaml', 'deploy/redis/30-service.yaml']) {
      s.ok(['apply', '-f', join(FIX, f)]);
    }
    await waitFor(
      '5 Running pods',
      () => {
        const r = rows(s, ['pods']);
        return r.length === 6 && r.slice(1).every((p) => p[1] === '1/1' && p[2] === 'Running');
      },
      60_000,
      () => s.ok(['get', 'pods']),
    );
    expect(rows(s, ['pvc'])[1]?.[1]).toBe('Bound');
    nodePort = getJson(s, ['svc', 'nginx']).spec.ports[0].nodePort;
    expect(nodePort).toBeGreaterThanOrEqual(30000);
  }, 90_000);

  it('$ http <lb>/healthz → 200 ✓ with nginx/1.17.5 and the Go app\'s Content-Type', async () => {
    const r = await until(nodePort, '/healthz', (x) => x.status === 200);
    expect(r.body).toBe('✓');
    expect(r.headers.server).toBe('nginx/1.17.5');
    expect(r.headers['content-type']).toBe('text/plain; charset=UTF-8');
    expect(r.headers['content-length']).toBe('3');
    expect(r.headers.connection).toBe('keep-alive');
  }, 40_000);

  it('$ http <lb>/users/10 → 0; POST → 1, 2, 3; GET → 3', async () => {
    await until(nodePort, '/users/10', (x) => x.status === 200 && x.body === '0');
    expect((await http(nodePort, '/users/10', 'POST')).body).toBe('1');
    expect((await http(nodePort, '/users/10')).body).toBe('1');
    expect((await http(nodePort, '/users/10', 'POST')).body).toBe('2');
    expect((await http(nodePort, '/users/10', 'POST')).body).toBe('3');
    expect((await http(nodePort, '/users/10')).body).toBe('3');
    expect((await http(nodePort, '/users/32')).body).toBe('0');
  }, 40_000);

  it('kubectl delete pod redis-0: the new redis-0 loads the PVC\'s dump and the count is still 3', async () => {
    const old = getJson(s, ['pod', 'redis-0']).metadata.uid;
    expect(s.ok(['delete', 'pod', 'redis-0'])).toBe('pod "redis-0" deleted\n');
    await waitFor(
      'a new redis-0 Running',
      () => {
        const p = getJson(s, ['pods', '-l', 'service=redis']).items[0];
        return p && p.metadata.uid !== old && p.status.phase === 'Running' && p.status.containerStatuses?.[0]?.ready;
      },
      60_000,
      () => s.ok(['get', 'pods']),
    );
    expect(s.ok(['logs', 'redis-0'])).toContain('* DB loaded from disk: ');
    const r = await until(nodePort, '/users/10', (x) => x.status === 200);
    expect(r.body).toBe('3');
  }, 90_000);

  it('kubectl logs: the frontend logs the request in the combined format, the backend only echo\'s banner', async () => {
    const fronts = getJson(s, ['pods', '-l', 'service=nginx']).items.map((p: { metadata: { name: string } }) => p.metadata.name);
    const logs = fronts.map((n: string) => s.ok(['logs', n])).join('');
    expect(logs).toMatch(/^\S+ - - \[\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000\] "GET \/healthz HTTP\/1\.1" 200 3 "-" "HTTPie\/1\.0\.3"$/m);
    const back = getJson(s, ['pods', '-l', 'service=app']).items[0].metadata.name;
    expect(s.ok(['logs', back])).toBe(
      '\n   ____    __\n  / __/___/ /  ___\n / _// __/ _ \\/ _ \\\n/___/\\__/_//_/\\___/ v3.3.10-dev\nHigh performance, minimalist Go web framework\nhttps://echo.labstack.com\n____________________________________O/_______\n                                    O\\\n⇨ http server started on [::]:1323\n',
    );
  });

  it('$ kubectl exec -it backend-… -- nslookup redis → the redis Service\'s ClusterIP', () => {
    const back = getJson(s, ['pods', '-l', 'service=app']).items[0].metadata.name;
    const ip = getJson(s, ['svc', 'redis']).spec.clusterIP;
    const r = s.kubectl(['exec', back, '--', 'nslookup', 'redis']);
    // as the seed shows it (Alpine's busybox 1.28 on musl; -it merges the two streams)
    expect(r.stderr).toBe("nslookup: can't resolve '(null)': Name does not resolve\n");
    expect(r.stdout).toBe(`\nName:      redis\nAddress 1: ${ip} redis.default.svc.cluster.local\n`);
  });
});
