/**
 * Workload benchmarks against a real `kubesim serve --fast` (scheduler, controllers, kubelets and
 * runtime all in play), driven over HTTPS like kubectl:
 *
 * - `deploy_100_running_ms`: POST a Deployment with 100 replicas → every one of its pods Running
 *   (observed through a watch), on the default 2-worker cluster.
 * - `rss_10k_pods_mb`, `idle_cpu_10k_pods_pct`: `--nodes 100`, a 10 000-replica Deployment until
 *   all pods run, then the server's VmRSS after a settle, and its CPU time over an idle window
 *   as a percentage of one core.
 */
import { client, cpuSeconds, log, rssMb, sleep, startServe, watchLines } from './serve-process.mjs';

const SETTLE_MS = 10_000;
const IDLE_WINDOW_MS = 30_000;

function deployment(name, replicas) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.25', resources: { requests: { cpu: '1m', memory: '1Mi' } } }] },
      },
    },
  };
}

/**
 * Resolves when `want` pods with label app=`name` in `ns` are Running, watching from `rv`.
 * Rejects after `timeoutMs`.
 */
function waitRunning(conn, ns, name, want, timeoutMs) {
  const c = client(conn, 1);
  const running = new Set();
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      req?.destroy();
      c.close();
      fail(new Error(`only ${running.size}/${want} pods of ${name} Running after ${timeoutMs} ms`));
    }, timeoutMs);
    const path = `/api/v1/namespaces/${ns}/pods?watch=1&labelSelector=${encodeURIComponent(`app=${name}`)}&allowWatchBookmarks=false&timeoutSeconds=${Math.ceil(timeoutMs / 1000)}`;
    const req = c.stream(
      'GET',
      path,
      watchLines((ev) => {
        const pod = ev.object;
        if (ev.type === 'DELETED' || pod?.status?.phase !== 'Running') running.delete(pod?.metadata?.name);
        else running.add(pod.metadata.name);
        if (running.size < want) return true;
        clearTimeout(timer);
        req.destroy();
        c.close();
        done();
        return false;
      }),
    );
    req.on('error', (e) => {
      if (running.size < want) fail(e);
    });
  });
}

async function createDeployment(c, ns, name, replicas) {
  if (ns !== 'default') await c.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  const r = await c.request('POST', `/apis/apps/v1/namespaces/${ns}/deployments`, deployment(name, replicas));
  if (r.status !== 201) throw new Error(`create deployment: HTTP ${r.status}: ${r.body.toString().slice(0, 300)}`);
}

export async function benchDeploy100(workDir, figures) {
  const s = await startServe(workDir);
  const c = client(s.conn);
  try {
    // Warm-up (JIT, image cache on both workers): 10 replicas first, not counted.
    const warm = waitRunning(s.conn, 'default', 'warm', 10, 60_000);
    await createDeployment(c, 'default', 'warm', 10);
    await warm;
    const t0 = performance.now();
    const all = waitRunning(s.conn, 'default', 'hundred', 100, 60_000);
    await createDeployment(c, 'default', 'hundred', 100);
    await all;
    figures.deploy_100_running_ms = Math.round(performance.now() - t0);
    log(`deploy 100: ${figures.deploy_100_running_ms} ms`);
  } finally {
    c.close();
    await s.stop();
  }
}

export async function benchTenThousand(workDir, figures) {
  const s = await startServe(workDir, ['--nodes', '100']);
  const c = client(s.conn);
  try {
    const t0 = performance.now();
    const all = waitRunning(s.conn, 'bench', 'tenk', 10_000, 20 * 60_000);
    await createDeployment(c, 'bench', 'tenk', 10_000);
    await all;
    log(`10 000 pods Running on 100 nodes after ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await sleep(SETTLE_MS);
    figures.rss_10k_pods_mb = Math.round(rssMb(s.proc.pid));
    const cpu0 = cpuSeconds(s.proc.pid);
    const w0 = performance.now();
    await sleep(IDLE_WINDOW_MS);
    const pct = ((cpuSeconds(s.proc.pid) - cpu0) / ((performance.now() - w0) / 1000)) * 100;
    figures.idle_cpu_10k_pods_pct = Math.round(pct * 10) / 10;
    log(`10k pods: RSS ${figures.rss_10k_pods_mb} MB, idle CPU ${figures.idle_cpu_10k_pods_pct}%`);
  } finally {
    c.close();
    await s.stop();
  }
}
