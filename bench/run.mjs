#!/usr/bin/env node
/**
 * `npm run bench`: every benchmark, then a table of figure / value / target / pass-fail.
 * `npm run bench -- --json FILE` also writes the figures as one flat JSON object.
 * `--only a,b` runs a subset (groups: cold, api, watch, store, deploy100, pods10k, scheduler, network, dns, exec, ui). See bench/README.md.
 *
 * The API figures come from a real `kubesim serve --fast` (node bin/kubesim.js, the built CLI)
 * on a fresh temp data dir, driven over HTTPS by this process like any client.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import { client, ensureBuilt, log, rssMb, sleep, startServe, watchLines } from './serve-process.mjs';
import { benchDeploy100, benchTenThousand } from './workloads.mjs';
import { benchScheduler } from './scheduler.mjs';
import { benchNetwork } from './network.mjs';
import { benchDns } from './dns.mjs';
import { benchExec } from './exec.mjs';
import { benchUi } from './ui.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** name → [comparison, target, unit] */
const TARGETS = {
  cold_start_ms: ['<', 1000, 'ms'],
  idle_rss_mb: ['<', 150, 'MB'],
  creates_per_s: ['>=', 1000, '/s'],
  sqlite_raw_commits_per_s: [null, null, '/s'],
  store_vs_raw: ['>=', 0.3, ''],
  gets_per_s: ['>=', 3000, '/s'],
  list_10k_ms: ['<', 200, 'ms'],
  watch_p99_ms: ['<', 20, 'ms'],
  deploy_100_running_ms: ['<', 2000, 'ms'],
  rss_10k_pods_mb: ['<', 1000, 'MB'],
  idle_cpu_10k_pods_pct: ['<', 5, '%'],
  scheduler_pods_per_s: ['>=', 1000, '/s'],
  lb_vs_direct: ['>=', 0.7, ''],
  dns_lookups_per_s: ['>=', 5000, '/s'],
  exec_roundtrip_ms: ['<', 150, 'ms'],
  ui_first_render_ms: ['<', 1000, 'ms'],
  ui_10k_pods_render_ms: ['<', 300, 'ms'],
  ui_fps_under_watch: ['>=', 30, 'frames/s'],
  ui_bundle_kb: ['<', 600, 'KiB'],
};

const CONCURRENCY = 8;
const COLD_RUNS = 5;
const IDLE_SETTLE_MS = 3000;
const CREATES = 5000;
const LIST_PODS = 10_000;
const GETS = 10_000;
const LIST_RUNS = 7;
const WATCHERS = 100;
const WATCH_WRITES = 200;
const WATCH_SPACING_MS = 10;

// ---------------------------------------------------------------- helpers

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const round = (x, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Runs `total` jobs with `CONCURRENCY` workers; returns elapsed seconds. */
async function pool(total, job) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < total; i = next++) await job(i);
    }),
  );
  return (performance.now() - t0) / 1000;
}

function pod(ns, name) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels: { app: 'bench', tier: 'web' } },
    spec: {
      // Bound to a node that does not exist: no scheduler or kubelet work, only the API path.
      nodeName: 'bench-no-such-node',
      containers: [{ name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80 }], resources: { requests: { cpu: '10m', memory: '16Mi' } } }],
    },
  };
}

async function expectStatus(p, want, what) {
  const r = await p;
  if (!want.includes(r.status)) throw new Error(`${what}: HTTP ${r.status}: ${r.body.toString().slice(0, 300)}`);
  return r;
}

async function createNamespace(c, name) {
  await expectStatus(c.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }), [201, 409], `create namespace ${name}`);
}

async function createPods(c, ns, from, to) {
  return pool(to - from, (i) => expectStatus(c.request('POST', `/api/v1/namespaces/${ns}/pods`, pod(ns, `p-${String(from + i).padStart(5, '0')}`)), [201], 'create pod'));
}

// ---------------------------------------------------------------- benchmarks

async function benchCold(workDir, figures) {
  const times = [];
  let last;
  for (let i = 0; i < COLD_RUNS; i++) {
    const s = await startServe(workDir);
    times.push(s.readyMs);
    log(`cold start ${i + 1}/${COLD_RUNS}: ${s.readyMs.toFixed(0)} ms`);
    if (i < COLD_RUNS - 1) await s.stop();
    else last = s;
  }
  figures.cold_start_ms = round(median(times), 0);
  await sleep(IDLE_SETTLE_MS);
  figures.idle_rss_mb = round(rssMb(last.proc.pid), 1);
  return last;
}

async function benchApi(s, figures) {
  const c = client(s.conn);
  try {
    await createNamespace(c, 'bench');
    // Warm-up (JIT, connections), not counted.
    await createNamespace(c, 'bench-warm');
    await createPods(c, 'bench-warm', 0, 200);

    const secs = await createPods(c, 'bench', 0, CREATES);
    figures.creates_per_s = round(CREATES / secs, 0);
    log(`creates: ${CREATES} in ${secs.toFixed(2)} s`);

    await createPods(c, 'bench', CREATES, LIST_PODS);
    const getSecs = await pool(GETS, (i) => expectStatus(c.request('GET', `/api/v1/namespaces/bench/pods/p-${String((i * 7919) % LIST_PODS).padStart(5, '0')}`), [200], 'get pod'));
    figures.gets_per_s = round(GETS / getSecs, 0);
    log(`gets: ${GETS} in ${getSecs.toFixed(2)} s`);

    const table = { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json' };
    const times = [];
    for (let r = 0; r < LIST_RUNS + 1; r++) {
      const t0 = performance.now();
      const res = await expectStatus(c.request('GET', '/api/v1/namespaces/bench/pods?limit=0', undefined, table), [200], 'list pods');
      const ms = performance.now() - t0;
      if (r === 0) {
        const body = JSON.parse(res.body.toString());
        const n = body.kind === 'Table' ? body.rows.length : body.items.length;
        if (body.kind !== 'Table') log(`list: the server answered ${body.kind}, not Table`);
        if (n !== LIST_PODS) throw new Error(`list returned ${n} pods, expected ${LIST_PODS}`);
      } else times.push(ms);
    }
    figures.list_10k_ms = round(median(times), 1);
    log(`list 10k as Table: ${times.map((t) => t.toFixed(0)).join(', ')} ms`);
  } finally {
    c.close();
  }
}

async function benchWatch(s, figures) {
  const c = client(s.conn);
  const ns = 'bench-watch';
  const watchers = [];
  try {
    await createNamespace(c, ns);
    const list = JSON.parse((await expectStatus(c.request('GET', `/api/v1/namespaces/${ns}/pods`), [200], 'list')).body.toString());
    const rv = list.metadata.resourceVersion;
    const acked = new Map(); // pod name → ack time
    const latencies = [];
    let early = 0;

    await Promise.all(
      Array.from(
        { length: WATCHERS },
        (_, w) =>
          new Promise((opened, failed) => {
            let open = false;
            const req = https.request(
              {
                host: s.conn.url.hostname,
                port: s.conn.url.port,
                path: `/api/v1/namespaces/${ns}/pods?watch=1&resourceVersion=${rv}&timeoutSeconds=600`,
                agent: false,
                ca: s.conn.ca,
                headers: { authorization: `Bearer ${s.conn.token}`, accept: 'application/json' },
              },
              (res) => {
                if (res.statusCode !== 200) return failed(new Error(`watch ${w}: HTTP ${res.statusCode}`));
                let now = 0;
                const onChunk = watchLines((ev) => {
                  if (ev.type !== 'ADDED') return;
                  const ack = acked.get(ev.object.metadata.name);
                  if (ack === undefined) {
                    // The event beat the write's response: count it as zero latency.
                    early++;
                    latencies.push(0);
                  } else latencies.push(Math.max(0, now - ack));
                });
                res.setEncoding('utf8');
                res.on('data', (d) => {
                  now = performance.now();
                  onChunk(d);
                });
                res.on('error', () => {});
                open = true;
                opened();
              },
            );
            req.on('error', (e) => (open ? undefined : failed(e)));
            req.end();
            watchers.push(req);
          }),
      ),
    );
    await sleep(200);

    for (let i = 0; i < WATCH_WRITES; i++) {
      const name = `w-${String(i).padStart(4, '0')}`;
      await expectStatus(c.request('POST', `/api/v1/namespaces/${ns}/pods`, pod(ns, name)), [201], 'create pod (watch)');
      acked.set(name, performance.now());
      await sleep(WATCH_SPACING_MS);
    }
    const until = Date.now() + 10_000;
    while (latencies.length < WATCHERS * WATCH_WRITES && Date.now() < until) await sleep(20);
    if (latencies.length < WATCHERS * WATCH_WRITES) log(`watch: only ${latencies.length} of ${WATCHERS * WATCH_WRITES} events arrived`);
    figures.watch_p99_ms = round(percentile(latencies, 99), 2);
    log(`watch: ${latencies.length} events, p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${figures.watch_p99_ms} ms, max ${Math.max(...latencies).toFixed(1)} ms${early ? `, ${early} before the ack` : ''}`);
  } finally {
    for (const w of watchers) w.destroy();
    c.close();
  }
}

async function benchStorage(workDir, figures, notes) {
  const file = join(ROOT, 'bench/store.mjs');
  if (!existsSync(file)) {
    notes.push('bench/store.mjs is missing: sqlite_raw_commits_per_s and store_vs_raw not measured');
    return;
  }
  const mod = await import(pathToFileURL(file).href);
  if (typeof mod.benchStore !== 'function') {
    notes.push('bench/store.mjs has no benchStore export');
    return;
  }
  const r = await mod.benchStore({ tmpDir: workDir });
  for (const [k, v] of Object.entries(r)) if (typeof v === 'number') figures[k] = v;
}

// ---------------------------------------------------------------- main

function verdict(name, value) {
  const t = TARGETS[name];
  if (!t || t[0] === null || typeof value !== 'number') return '';
  const ok = t[0] === '<' ? value < t[1] : value >= t[1];
  return ok ? 'pass' : 'FAIL';
}

function printTable(figures) {
  const rows = [['figure', 'value', 'target', 'result']];
  const names = [...Object.keys(TARGETS), ...Object.keys(figures).filter((k) => !(k in TARGETS))];
  for (const name of names) {
    if (!(name in figures)) continue;
    const t = TARGETS[name];
    const target = t && t[0] !== null ? `${t[0]} ${t[1]}${t[2] ? ' ' + t[2] : ''}` : '';
    rows.push([name, String(figures[name]), target, verdict(name, figures[name])]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => (i === 1 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
  console.log(line(rows[0]));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows.slice(1)) console.log(line(r));
}

async function main() {
  const { values } = parseArgs({ options: { json: { type: 'string' }, only: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help) {
    console.log('Usage: npm run bench [-- --json FILE] [--only cold,api,watch,store,deploy100,pods10k,scheduler,network,dns,exec,ui]');
    return;
  }
  const groups = new Set((values.only ?? 'cold,api,watch,store,deploy100,pods10k,scheduler,network,dns,exec,ui').split(',').map((s) => s.trim()));
  const figures = {};
  const notes = [];
  const workDir = mkdtempSync(join(tmpdir(), 'kubesim-bench-'));
  let server;
  let failed = false;
  try {
    if (groups.has('store')) {
      log('storage (bench/store.mjs)');
      await benchStorage(workDir, figures, notes).catch((e) => {
        failed = true;
        notes.push(`storage benchmark failed: ${e.message}`);
      });
    }
    if (groups.has('cold') || groups.has('api') || groups.has('watch')) {
      ensureBuilt();
      if (groups.has('cold')) server = await benchCold(workDir, figures);
      else server = await startServe(workDir);
      for (const [g, fn] of [
        ['api', benchApi],
        ['watch', benchWatch],
      ]) {
        if (!groups.has(g)) continue;
        log(g);
        await fn(server, figures).catch((e) => {
          failed = true;
          notes.push(`${g} benchmark failed: ${e.message.split('\n')[0]}`);
        });
      }
    }
    if (groups.has('scheduler')) {
      log('scheduler (bench/scheduler.mjs, in process)');
      await benchScheduler()
        .then((r) => Object.assign(figures, r))
        .catch((e) => {
          failed = true;
          notes.push(`scheduler benchmark failed: ${e.message.split('\n')[0]}`);
        });
    }
    if (groups.has('dns')) {
      log('dns (bench/dns.mjs, in process)');
      await benchDns()
        .then((r) => Object.assign(figures, r))
        .catch((e) => {
          failed = true;
          notes.push(`dns benchmark failed: ${e.message.split('\n')[0]}`);
        });
    }
    for (const [g, fn] of [
      ['deploy100', benchDeploy100],
      ['pods10k', benchTenThousand],
      ['network', benchNetwork],
      ['exec', benchExec],
      ['ui', benchUi],
    ]) {
      if (!groups.has(g)) continue;
      ensureBuilt();
      log(g);
      await fn(workDir, figures).catch((e) => {
        failed = true;
        notes.push(`${g} benchmark failed: ${e.message.split('\n')[0]}`);
      });
    }
  } catch (e) {
    failed = true;
    notes.push(`failed: ${e.message}`);
  } finally {
    if (server) {
      const code = await server.stop();
      if (code !== 0) notes.push(`kubesim serve exited with ${code} on SIGTERM:\n${server.stderr().slice(-2000)}`);
    }
    rmSync(workDir, { recursive: true, force: true });
  }

  console.log(`kubesim benchmarks — ${new Date().toISOString().slice(0, 10)}, ${cpus()[0]?.model ?? 'unknown CPU'} ×${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}\n`);
  printTable(figures);
  for (const n of notes) console.log(`\nnote: ${n}`);
  if (values.json) {
    // npm runs scripts in the package root; a relative FILE means the caller's folder.
    writeFileSync(resolve(process.env.INIT_CWD ?? process.cwd(), values.json), JSON.stringify(figures, null, 2) + '\n');
    console.log(`\nfigures written to ${values.json}`);
  }
  process.exitCode = failed ? 1 : 0;
}

await main();
