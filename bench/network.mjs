#!/usr/bin/env node
/**
 * [`lb_vs_direct`]: HTTP requests per second through a LoadBalancer service's 127.0.0.1 port into
 * nginx pods (real `kubesim serve --fast`: host listener → splice → the pod's nginx), divided by
 * the requests per second of a bare node http server (its own process, same body) in the same run.
 * Both are driven by the same in-process load generator: 50 keep-alive connections (http.Agent
 * keepAlive, maxSockets 50), a warm-up, then a fixed window; two alternating rounds, the best of
 * each side. Also reports `lb_req_per_s` and `direct_req_per_s`.
 *
 *   node bench/network.mjs [--seconds 5] [--connections 50]     (or: npm run bench -- --only network)
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { client, ensureBuilt, log, sleep, startServe } from './serve-process.mjs';

const WARMUP_MS = 1000;
const ROUNDS = 2;

/** A port free on 127.0.0.1 now (bound on 0, closed again). */
async function freePort() {
  const s = createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const { port } = s.address();
  s.close();
  await once(s, 'close');
  return port;
}

/** GETs `/` over `connections` keep-alive sockets for `ms`; returns completed requests per second. */
async function load(port, connections, ms) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  let done = 0;
  let errors = 0;
  let counting = false;
  let stop = false;
  const one = () =>
    new Promise((resolve) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
        res.on('data', () => {});
        res.on('end', () => {
          if (counting && res.statusCode === 200) done++;
          resolve();
        });
      });
      req.on('error', () => {
        errors++;
        resolve();
      });
    });
  const workers = Array.from({ length: connections }, async () => {
    while (!stop) await one();
  });
  await sleep(WARMUP_MS);
  counting = true;
  const t0 = performance.now();
  await sleep(ms);
  counting = false;
  const seconds = (performance.now() - t0) / 1000;
  stop = true;
  await Promise.all(workers);
  agent.destroy();
  if (errors) log(`network: ${errors} request errors on port ${port}`);
  return done / seconds;
}

/** A bare node http server in its own process answering like nginx's welcome page (615 bytes). */
async function startBareServer() {
  const code = `
    const http = require('node:http');
    const body = Buffer.alloc(615, 'x');
    const s = http.createServer((req, res) => {
      res.writeHead(200, { Server: 'nginx/1.27.5', 'Content-Type': 'text/html', 'Content-Length': body.length, Connection: 'keep-alive' });
      res.end(body);
    });
    s.keepAliveTimeout = 65000;
    s.listen(0, '127.0.0.1', () => console.log(s.address().port));
  `;
  const proc = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = await once(proc.stdout, 'data');
  return { port: Number(String(line).trim()), stop: () => proc.kill('SIGTERM') };
}

function waitFor(what, check, timeoutMs = 60_000) {
  return (async () => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      if (await check().catch(() => false)) return;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await sleep(250);
    }
  })();
}

/** Runs the benchmark against a fresh serve in `workDir`; adds its figures to `figures`. */
export async function benchNetwork(workDir, figures, { seconds = 5, connections = 50 } = {}) {
  ensureBuilt();
  const server = await startServe(workDir);
  const bare = await startBareServer();
  const api = client(server.conn);
  try {
    const lbPort = await freePort();
    const post = async (path, body) => {
      const r = await api.request('POST', path, body);
      if (r.status >= 300) throw new Error(`POST ${path}: ${r.status} ${r.body}`);
    };
    await post('/apis/apps/v1/namespaces/default/deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } },
    });
    await post('/api/v1/namespaces/default/services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: lbPort, targetPort: 80 }] },
    });
    await waitFor('2 ready endpoints', async () => {
      const r = await api.request('GET', '/api/v1/namespaces/default/endpoints/web');
      return r.status === 200 && (JSON.parse(r.body).subsets?.[0]?.addresses?.length ?? 0) === 2;
    });
    await waitFor(`nginx on 127.0.0.1:${lbPort}`, () => new Promise((resolve) => http.get({ host: '127.0.0.1', port: lbPort, path: '/', agent: false }, (res) => (res.resume(), resolve(res.statusCode === 200))).on('error', () => resolve(false))));
    // Alternating rounds, best of each side: a busy machine's swings hit both alike.
    let lb = 0;
    let direct = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      log(`network: round ${round}: load balancer 127.0.0.1:${lbPort}, ${connections} keep-alive connections, ${seconds} s`);
      lb = Math.max(lb, await load(lbPort, connections, seconds * 1000));
      log(`network: round ${round}: bare node http server 127.0.0.1:${bare.port}`);
      direct = Math.max(direct, await load(bare.port, connections, seconds * 1000));
    }
    figures.lb_req_per_s = Math.round(lb);
    figures.direct_req_per_s = Math.round(direct);
    figures.lb_vs_direct = Math.round((lb / direct) * 100) / 100;
    return figures;
  } finally {
    api.close();
    bare.stop();
    await server.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '5' }, connections: { type: 'string', default: '50' } } });
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-bench-net-'));
  try {
    const figures = await benchNetwork(dir, {}, { seconds: Number(values.seconds), connections: Number(values.connections) });
    console.log(JSON.stringify(figures, null, 2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
