#!/usr/bin/env node
/**
 * UI benchmarks: the built renderer (out/renderer) in headless Chromium (playwright-core, the
 * system's /usr/bin/chromium) against a real `kubesim serve --fast`.
 *
 * - `ui_first_render_ms`: the UI URL opened in a fresh browser context (cold cache, sign-in
 *   redirect) → the overview shows the nodes. Median of 5.
 * - `ui_10k_pods_render_ms`: with 10 000 pods in a namespace (created through the API, bound to a
 *   node that does not exist, as bench/run.mjs does), the app open on another view → click Pods →
 *   the first rows visible (list as Table, rows built, sorted, virtualized render). Measured in
 *   the page (performance.now, a MutationObserver). Median of 5, each in a fresh page.
 * - `ui_fps_under_watch`: the same 10 000 pods listed (Pods, their namespace), while this process
 *   patches 100 of them a second (an annotation, merge patch through the API, so each is a watch
 *   event to the page): animation frames counted in the page (requestAnimationFrame) over 5 s,
 *   after 1 s of warm-up. The bytes the page's watch received in that window are checked (CDP), so
 *   a page that got no events cannot pass.
 * - `ui_bundle_kb`: the renderer's JS (out/renderer/assets/*.js), gzipped with zlib, in KiB.
 *
 *   node bench/ui.mjs            (or: npm run bench -- --only ui)
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { ROOT, ensureBuilt, log } from './serve-process.mjs';

const CHROMIUM = '/usr/bin/chromium';
const PODS = 10_000;
const UPDATES_PER_S = 100;
const FPS_WARMUP_MS = 1000;
const FPS_WINDOW_MS = 5000;
const RUNS = 5;
const NS = 'bench-ui';

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round = (x) => Math.round(x * 10) / 10;

function newestMtime(dir) {
  let max = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    max = Math.max(max, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return max;
}

/** The renderer's build folder: out/renderer, or `KUBESIM_RENDERER_OUT` (a private build; serve is told through KUBESIM_RENDERER_DIR). */
function rendererDir() {
  const out = process.env.KUBESIM_RENDERER_OUT;
  if (!out) return join(ROOT, 'out/renderer');
  process.env.KUBESIM_RENDERER_DIR = out;
  return out;
}

/** Builds the renderer (electron-vite) when its folder is missing or older than src-renderer. */
function ensureRendererBuilt() {
  const index = join(rendererDir(), 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newestMtime(join(ROOT, 'src-renderer'))) return;
  log('building the renderer (electron-vite build)');
  const r = spawnSync('npx', ['electron-vite', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`electron-vite build failed:\n${r.stderr}${r.stdout}`);
}

/** The renderer's JS, gzipped (level 9, as a server would send it), in KiB. */
export function bundleKb() {
  const dir = join(rendererDir(), 'assets');
  let total = 0;
  for (const f of readdirSync(dir)) if (f.endsWith('.js')) total += gzipSync(readFileSync(join(dir, f)), { level: 9 }).length;
  return round(total / 1024);
}

/** `kubesim serve --fast` on a fresh data dir; resolves with its API and UI URLs once ready. */
export async function startServe(workDir) {
  const dataDir = mkdtempSync(join(workDir, 'ui-data-'));
  const kubeconfig = join(dataDir, 'kubeconfig');
  const proc = spawn(process.execPath, [join(ROOT, 'bin/kubesim.js'), 'serve', '--fast', '--data-dir', dataDir, '--kubeconfig', kubeconfig, '--api-port', '0', '--ui-port', '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, KUBECONFIG: kubeconfig },
  });
  let out = '';
  const exited = new Promise((r) => proc.once('exit', (code, signal) => r(code ?? signal)));
  await new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`kubesim serve was not ready within 60 s:\n${out}`)), 60_000);
    proc.stdout.on('data', (d) => {
      out += d;
      if (/^ready$/m.test(out)) {
        clearTimeout(timer);
        done();
      }
    });
    proc.stderr.on('data', (d) => (out += d));
    proc.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`kubesim serve exited (${code}) before ready:\n${out}`));
    });
  });
  const pki = join(dataDir, 'pki');
  return {
    apiUrl: new URL(/^API server: (\S+)$/m.exec(out)[1]),
    uiUrl: /^UI: (\S+)$/m.exec(out)[1],
    ca: readFileSync(join(pki, 'ca.crt'), 'utf8'),
    token: readFileSync(join(pki, 'admin.token'), 'utf8').trim(),
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      const code = await exited;
      rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}

export async function createPods(s, ns, count) {
  const agent = new https.Agent({ keepAlive: true, maxSockets: 16, ca: s.ca });
  const post = (path, body) =>
    new Promise((done, fail) => {
      const data = Buffer.from(JSON.stringify(body));
      const req = https.request({ host: s.apiUrl.hostname, port: s.apiUrl.port, method: 'POST', path, agent, headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/json', 'content-length': data.length } }, (res) => {
        res.resume();
        res.on('end', () => done(res.statusCode));
      });
      req.on('error', fail);
      req.end(data);
    });
  const code = await post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  if (code !== 201 && code !== 409) throw new Error(`create namespace: HTTP ${code}`);
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let i = next++; i < count; i = next++) {
        const name = `p-${String(i).padStart(5, '0')}`;
        const c = await post(`/api/v1/namespaces/${ns}/pods`, {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name, namespace: ns, labels: { app: 'bench', tier: 'web' } },
          spec: { nodeName: 'bench-no-such-node', containers: [{ name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80 }], resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
        });
        if (c !== 201) throw new Error(`create pod ${name}: HTTP ${c}`);
      }
    }),
  );
  agent.destroy();
}

/** UI URL opened → the overview lists the nodes (each run a fresh context: no cache, no cookie). */
async function firstRender(browser, uiUrl) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 820 } });
    const page = await ctx.newPage();
    const t0 = performance.now();
    await page.goto(uiUrl);
    await page.locator('[data-testid="node-row"]').nth(2).waitFor({ timeout: 30_000 });
    times.push(performance.now() - t0);
    await ctx.close();
  }
  return times;
}

/** Pods of `ns` opened from the sidebar → first rows in the DOM, timed inside the page. */
async function tenThousandRender(browser, uiUrl, ns) {
  const times = [];
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 820 } });
  await ctx.addInitScript((n) => localStorage.setItem('kubesim.namespace', n), ns);
  // Sign in once (the session link sets the cookie), then every run is a fresh page.
  const signIn = await ctx.newPage();
  await signIn.goto(uiUrl);
  await signIn.locator('[data-testid="node-row"]').first().waitFor({ timeout: 30_000 });
  await signIn.close();
  const origin = new URL(uiUrl).origin;
  for (let i = 0; i < RUNS; i++) {
    const page = await ctx.newPage();
    await page.goto(`${origin}/#/r/core/v1/namespaces`);
    await page.locator('[data-testid="resource-row"]').first().waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="nav-item"][data-resource="pods"]').waitFor();
    const ms = await page.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const doc = globalThis.document;
          const t0 = performance.now();
          const seen = () => doc.querySelector('[data-testid="resource-list"][data-resource="pods"] [data-testid="resource-row"]');
          const obs = new MutationObserver(() => {
            if (!seen()) return;
            obs.disconnect();
            // Visible: after the browser has painted the frame with the rows.
            requestAnimationFrame(() => resolve(performance.now() - t0));
          });
          obs.observe(doc.body, { childList: true, subtree: true });
          setTimeout(() => reject(new Error('no pod rows after 60 s')), 60_000);
          doc.querySelector('[data-testid="nav-item"][data-resource="pods"]').click();
        }),
    );
    await page.locator('[data-testid="resource-list"][data-complete="true"]').waitFor({ timeout: 60_000 });
    const rows = await page.locator('[data-testid="row-count"]').textContent();
    if (rows !== String(PODS)) throw new Error(`pods view shows ${rows} rows, not ${PODS}`);
    times.push(ms);
    await page.close();
  }
  await ctx.close();
  return times;
}

/**
 * Patches `perSecond` pods of `ns` a second (merge patch of an annotation) until stopped; at most
 * 64 requests in flight. Resolves the number of successful patches on stop().
 */
export function startWriter(s, ns, count, perSecond) {
  const agent = new https.Agent({ keepAlive: true, maxSockets: 16, ca: s.ca });
  let stopped = false;
  let ok = 0;
  let failed = 0;
  let inflight = 0;
  let i = 0;
  const patch = (name, tick) =>
    new Promise((done) => {
      const data = Buffer.from(JSON.stringify({ metadata: { annotations: { 'bench.kubesim.dev/tick': String(tick) } } }));
      const req = https.request({ host: s.apiUrl.hostname, port: s.apiUrl.port, method: 'PATCH', path: `/api/v1/namespaces/${ns}/pods/${name}`, agent, headers: { authorization: `Bearer ${s.token}`, 'content-type': 'application/merge-patch+json', 'content-length': data.length } }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) ok++;
          else failed++;
          done();
        });
      });
      req.on('error', () => {
        failed++;
        done();
      });
      req.end(data);
    });
  const t0 = performance.now();
  const loop = (async () => {
    while (!stopped) {
      // Catch up to the schedule (one patch every 1000/perSecond ms), never more than 64 at once.
      const due = Math.floor(((performance.now() - t0) * perSecond) / 1000);
      while (i < due && inflight < 64 && !stopped) {
        const n = i++;
        inflight++;
        void patch(`p-${String((n * 7919) % count).padStart(5, '0')}`, n).then(() => inflight--);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      while (inflight > 0) await new Promise((r) => setTimeout(r, 10));
      agent.destroy();
      return { ok, failed, seconds: (performance.now() - t0) / 1000 };
    },
  };
}

/** Frames per second of the pods list (10 000 rows) while pods are patched 100 times a second. */
async function fpsUnderWatch(browser, s, ns) {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 820 } });
  await ctx.addInitScript((n) => localStorage.setItem('kubesim.namespace', n), ns);
  const page = await ctx.newPage();
  await page.goto(s.uiUrl);
  await page.locator('[data-testid="node-row"]').first().waitFor({ timeout: 30_000 });
  await page.locator('[data-testid="nav-item"][data-resource="pods"]').click();
  await page.locator('[data-testid="resource-list"][data-resource="pods"][data-complete="true"]').waitFor({ timeout: 60_000 });
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  let bytes = 0;
  let counting = false;
  cdp.on('Network.dataReceived', (e) => {
    if (counting) bytes += e.dataLength;
  });
  const writer = startWriter(s, ns, PODS, UPDATES_PER_S);
  try {
    await page.waitForTimeout(FPS_WARMUP_MS);
    counting = true;
    const r = await page.evaluate(
      (ms) =>
        new Promise((resolve) => {
          let frames = 0;
          let worst = 0;
          let last = performance.now();
          const t0 = last;
          const tick = (t) => {
            frames++;
            worst = Math.max(worst, t - last);
            last = t;
            if (t - t0 < ms) requestAnimationFrame(tick);
            else resolve({ frames, seconds: (t - t0) / 1000, worstFrameMs: worst });
          };
          requestAnimationFrame(tick);
        }),
      FPS_WINDOW_MS,
    );
    counting = false;
    const w = await writer.stop();
    const rows = await page.locator('[data-testid="row-count"]').textContent();
    log(`ui: ${r.frames} frames in ${r.seconds.toFixed(2)} s (worst frame ${Math.round(r.worstFrameMs)} ms) while ${w.ok} patches in ${w.seconds.toFixed(1)} s (${(w.ok / w.seconds).toFixed(0)}/s, ${w.failed} failed); the page received ${Math.round(bytes / 1024)} KiB in the window; ${rows} rows`);
    // A starved server (a loaded machine) patches slower than asked: the figure is then for the
    // rate logged above; below half the rate it is not the figure asked for.
    if (w.ok / w.seconds < UPDATES_PER_S / 2) throw new Error(`the writer managed only ${(w.ok / w.seconds).toFixed(0)} patches/s (server starved?)`);
    if (bytes < 50 * 1024) throw new Error(`the page's watch received only ${bytes} bytes while pods were patched`);
    if (rows !== String(PODS)) throw new Error(`pods view shows ${rows} rows, not ${PODS}`);
    return r.frames / r.seconds;
  } finally {
    await writer.stop().catch(() => {});
    await ctx.close();
  }
}

export async function benchUi(workDir, figures) {
  ensureBuilt();
  ensureRendererBuilt();
  figures.ui_bundle_kb = bundleKb();
  const { chromium } = await import('playwright-core');
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing`);
  const s = await startServe(workDir);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  try {
    const first = await firstRender(browser, s.uiUrl);
    log(`ui: first render ${first.map(Math.round).join(', ')} ms`);
    figures.ui_first_render_ms = round(median(first));
    await createPods(s, NS, PODS);
    const tenK = await tenThousandRender(browser, s.uiUrl, NS);
    log(`ui: 10 000 pods ${tenK.map(Math.round).join(', ')} ms`);
    figures.ui_10k_pods_render_ms = round(median(tenK));
    figures.ui_fps_under_watch = round(await fpsUnderWatch(browser, s, NS));
  } finally {
    await browser.close();
    await s.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const workDir = mkdtempSync(join(tmpdir(), 'kubesim-bench-ui-'));
  const figures = {};
  try {
    await benchUi(workDir, figures);
    console.log(JSON.stringify(figures, null, 2));
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
