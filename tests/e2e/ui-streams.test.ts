/**
 * The exec terminal and the log viewer against a real `kubesim serve`, in headless Chromium
 * through the UI gateway: `echo hi` in a busybox pod's terminal (bash is not in busybox: the
 * terminal falls back to sh), `exit 3` shows exit code 3, the merged logs of a 2-replica
 * Deployment show both pods in different colours and follow new lines live, and a page of
 * another origin cannot open an exec WebSocket (the command never runs).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { Serve, eventually } from '../kubectl/harness';
import { ensureRendererBuilt, launchBrowser, screenshot } from './browser';

const MANIFESTS = `
apiVersion: v1
kind: Pod
metadata:
  name: shell
spec:
  containers:
  - name: box
    image: busybox:1.36
    command: ["sleep", "3600"]
---
apiVersion: v1
kind: Pod
metadata:
  name: chatty
spec:
  containers:
  - name: out
    image: busybox:1.36
    command: ["sh", "-c", "seq 1 50000; sleep 3600"]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ticker
spec:
  replicas: 2
  selector:
    matchLabels: {app: ticker}
  template:
    metadata:
      labels: {app: ticker}
    spec:
      containers:
      - name: tick
        image: busybox:1.36
        command: ["sh", "-c", "i=0; while true; do echo \\"tick $i from $HOSTNAME\\"; i=$((i+1)); sleep 1; done"]
`;

describe('exec terminal and log viewer on a real cluster', () => {
  const serve = new Serve();
  let browser: Browser;
  let page: Page;
  let origin = '';
  const problems: string[] = [];

  beforeAll(async () => {
    ensureRendererBuilt();
    await serve.start();
    serve.ok(['apply', '-f', '-'], { stdin: MANIFESTS });
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1280, height: 760 } });
    // Every CSP refusal (an inline style from xterm.js, a style attribute) becomes a console error.
    await context.addInitScript(() => {
      type Violation = { violatedDirective: string; blockedURI: string; sample: string };
      const doc = (globalThis as unknown as { document: { addEventListener(type: string, cb: (e: Violation) => void): void } }).document;
      doc.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
    });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`${m.text()} (${m.location().url})`);
    });
    page.on('pageerror', (e) => problems.push(e.message));
    origin = new URL(serve.uiUrl).origin;
    await page.goto(serve.uiUrl); // signs in (session cookie)
    await eventually(
      'the pods to run',
      () => {
        const out = serve.kubectl(['get', 'pods', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.phase} {end}']).stdout;
        return (out.match(/=Running/g) ?? []).length === 4;
      },
      60_000,
    );
  });
  afterAll(async () => {
    await browser?.close();
    await serve.stop();
    serve.cleanup();
  });

  /** The terminal's visible rows, trimmed. */
  const rows = () => page.locator('[data-testid="exec-terminal"] .xterm-rows > div').evaluateAll((els) => els.map((e) => (e.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd()));

  it('runs `echo hi` in a busybox pod (bash missing: falls back to sh) and shows hi', async () => {
    await page.goto(`${origin}/#/exec/default/shell`);
    await page.locator('[data-testid="exec"][data-state="open"][data-shell="sh"]').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-testid="exec-container"]').inputValue()).toBe('box');
    await page.locator('[data-testid="exec-terminal"]').click();
    await page.keyboard.type('echo hi\r');
    await expect.poll(rows, { timeout: 10_000 }).toContain('hi');
    const text = (await rows()).join('\n');
    expect(text).toContain('bash is not in this image; using sh');
    expect(text).toMatch(/echo hi/);
    await screenshot(page, 'exec-terminal-echo');
    if (await page.locator('[data-testid="theme-toggle"]').count()) {
      await page.locator('[data-testid="theme-toggle"]').click();
      await screenshot(page, 'exec-terminal-dark');
      await page.locator('[data-testid="theme-toggle"]').click();
      await page.locator('[data-testid="exec-terminal"]').click();
    }
  });

  it('resizes the remote terminal to the panel (stty size)', async () => {
    await page.keyboard.type('stty size\r');
    await expect.poll(async () => (await rows()).some((r) => /^\d+ \d+$/.test(r)), { timeout: 10_000 }).toBe(true);
    const size = (await rows()).find((r) => /^\d+ \d+$/.test(r))!;
    const [r, c] = size.split(' ').map(Number);
    expect(c).toBeGreaterThan(80); // the 1280 px window is wider than the default 80 columns
    expect(r).toBeGreaterThan(10);
    // A smaller window: the terminal refits and tells the pod its new size.
    await page.setViewportSize({ width: 1000, height: 600 });
    await page.keyboard.type('stty size\r');
    const latest = async () => (await rows()).filter((row) => /^\d+ \d+$/.test(row)).at(-1);
    await expect.poll(latest, { timeout: 10_000 }).not.toBe(size);
    const [r2, c2] = (await latest())!.split(' ').map(Number);
    expect(c2).toBeLessThan(c);
    expect(r2).toBeLessThan(r);
    await page.setViewportSize({ width: 1280, height: 760 });
  });

  it('`exit 3` ends the session with exit code 3, and reconnect opens a new one', async () => {
    await page.keyboard.type('exit 3\r');
    await page.locator('[data-testid="exec"][data-state="ended"][data-exit-code="3"]').waitFor({ timeout: 10_000 });
    await expect.poll(rows).toContain('session ended (exit code 3)');
    expect(await page.locator('[data-testid="exec-state"]').textContent()).toContain('exit code 3');
    await screenshot(page, 'exec-terminal-exit-3');
    await page.locator('[data-testid="exec-reconnect"]').click();
    await page.locator('[data-testid="exec"][data-state="open"]').waitFor({ timeout: 20_000 });
    await page.locator('[data-testid="exec-terminal"]').click();
    await page.keyboard.type('exit\r');
    await page.locator('[data-testid="exec"][data-state="ended"][data-exit-code="0"]').waitFor({ timeout: 10_000 });
  });

  it('merges the logs of a 2-replica Deployment, a colour per pod, and follows new lines live', async () => {
    await page.goto(`${origin}/#/logs/default/deployments/ticker`);
    const podsOf = () => page.locator('[data-testid="log-line"]').evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('data-pod')))].sort());
    await expect.poll(async () => (await podsOf()).length, { timeout: 20_000 }).toBe(2);
    const pods = (await podsOf()) as string[];
    for (const p of pods) expect(p).toMatch(/^ticker-[a-z0-9]+-[a-z0-9]{5}$/);
    const colours = await Promise.all(pods.map((p) => page.locator(`[data-testid="log-line"][data-pod="${p}"] [data-testid="log-line-tag"]`).first().evaluate((e) => e.ownerDocument.defaultView!.getComputedStyle(e).color)));
    expect(colours[0]).not.toBe(colours[1]);
    expect(await page.locator('[data-testid="logs-legend-pod"]').count()).toBe(2);
    // Each pod's lines name that pod (the merge does not mix them up).
    for (const p of pods) {
      const texts = await page.locator(`[data-testid="log-line"][data-pod="${p}"] .line__text`).allTextContents();
      expect(texts.length).toBeGreaterThan(0);
      for (const t of texts) expect(t).toMatch(new RegExp(`^tick \\d+ from ${p}$`));
    }
    // Follow: a tick written after the page opened shows up without a reload.
    const highest = async () => Math.max(...(await page.locator('[data-testid="log-line"] .line__text').allTextContents()).map((t) => Number(/tick (\d+)/.exec(t)?.[1] ?? -1)));
    const before = await highest();
    await expect.poll(highest, { timeout: 15_000 }).toBeGreaterThan(before + 1);
    expect(await page.locator('[data-testid="logs-status"]').textContent()).toBe('Live');
    await screenshot(page, 'logs-merged-deployment');

    // The legend hides and shows one pod's lines.
    await page.locator(`[data-testid="logs-legend-pod"][data-pod="${pods[0]}"]`).click();
    await expect.poll(() => page.locator(`[data-testid="log-line"][data-pod="${pods[0]}"]`).count()).toBe(0);
    expect(await page.locator(`[data-testid="log-line"][data-pod="${pods[1]}"]`).count()).toBeGreaterThan(0);
    await page.locator(`[data-testid="logs-legend-pod"][data-pod="${pods[0]}"]`).click();
    await expect.poll(() => page.locator(`[data-testid="log-line"][data-pod="${pods[0]}"]`).count()).toBeGreaterThan(0);

    // A new pod of the workload joins the merged view as it starts (the pods watch).
    serve.ok(['scale', 'deployment/ticker', '--replicas=3']);
    await expect.poll(() => page.locator('[data-testid="logs-legend-pod"]').count(), { timeout: 30_000 }).toBe(3);
    await expect.poll(async () => (await podsOf()).length, { timeout: 15_000 }).toBe(3);

    // Download: every line, tagged with its pod.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="logs-download"]').click()]);
    expect(download.suggestedFilename()).toBe('deployment-ticker.log');
    const text = await new Promise<string>((resolve, reject) => {
      void download.createReadStream().then((st) => {
        let out = '';
        st.on('data', (c: Buffer) => (out += c.toString()));
        st.on('end', () => resolve(out));
        st.on('error', reject);
      }, reject);
    });
    const first = text.split('\n')[0];
    expect(first).toMatch(/^\[ticker-[a-z0-9]+-[a-z0-9]{5}\/tick\] tick \d+ from ticker-/);

    // Previous, not following: no container has restarted, so each pod answers the kubelet's error.
    await page.locator('[data-testid="logs-follow"] input').uncheck();
    await page.locator('[data-testid="logs-previous"] input').check();
    await expect.poll(() => page.locator('[data-testid="logs-errors"] > div').count(), { timeout: 15_000 }).toBe(3);
    expect(await page.locator('[data-testid="logs-errors"]').textContent()).toMatch(/previous terminated container "tick" in pod "ticker-[a-z0-9-]+" not found/);
    await page.locator('[data-testid="logs"][data-status="failed"]').waitFor();
    await page.locator('[data-testid="logs-previous"] input').uncheck();
    await page.locator('[data-testid="logs"][data-status="done"]').waitFor({ timeout: 15_000 });
    expect(Number(await page.locator('[data-testid="logs"]').getAttribute('data-lines'))).toBeGreaterThan(0);
    await page.locator('[data-testid="logs-follow"] input').check();
  });

  it('searches with highlight and toggles timestamps', async () => {
    await page.locator('[data-testid="logs-search"]').fill('tick 1 ');
    await expect.poll(() => page.locator('mark.line__mark').count()).toBeGreaterThan(0);
    expect(await page.locator('mark.line__mark').first().textContent()).toBe('tick 1 ');
    await page.locator('[data-testid="logs-timestamps"] input').check();
    await expect.poll(() => page.locator('.line__time').first().textContent()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/);
    await screenshot(page, 'logs-search-timestamps');
    if (await page.locator('[data-testid="theme-toggle"]').count()) {
      await page.locator('[data-testid="theme-toggle"]').click();
      await screenshot(page, 'logs-merged-dark');
      await page.locator('[data-testid="theme-toggle"]').click();
    }
    await page.locator('[data-testid="logs-search"]').fill('');
  });

  it('shows one pod’s log with follow off as a finished stream', async () => {
    const pod = serve.ok(['get', 'pods', '-l', 'app=ticker', '-o', 'jsonpath={.items[0].metadata.name}']).trim();
    await page.goto(`${origin}/#/logs/default/pod/${pod}`);
    await expect.poll(() => page.locator('[data-testid="log-line"]').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await page.locator('[data-testid="logs-follow"] input').uncheck();
    await page.locator('[data-testid="logs"][data-status="done"]').waitFor();
    const n = await page.locator('[data-testid="logs"]').getAttribute('data-lines');
    await new Promise((r) => setTimeout(r, 2500));
    expect(await page.locator('[data-testid="logs"]').getAttribute('data-lines')).toBe(n); // not following any more
  });

  it('keeps 50 000 lines smooth: virtualized rows, search jumps to a match deep down', async () => {
    await page.goto(`${origin}/#/logs/default/pod/chatty`);
    await page.locator('[data-testid="logs"]').waitFor();
    const t0 = Date.now();
    await page.locator('[data-testid="logs-tail"]').selectOption('all');
    await page.locator('[data-testid="logs"][data-lines="50000"]').waitFor({ timeout: 30_000 });
    const loadMs = Date.now() - t0;
    const rendered = await page.locator('[data-testid="log-line"]').count();
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(200); // only what is on screen (plus overscan) is in the DOM
    expect(await page.locator('[data-testid="log-line"] .line__text').last().textContent()).toBe('50000');
    // Scrolling through the middle: each frame renders a screenful, not 50 000 rows.
    const frameMs = await page.locator('[data-testid="logs-scroller"]').evaluate(async (el) => {
      const times: number[] = [];
      for (let i = 1; i <= 20; i++) {
        const start = performance.now();
        el.scrollTop = (el.scrollHeight * i) / 21;
        const raf = el.ownerDocument.defaultView!.requestAnimationFrame.bind(el.ownerDocument.defaultView);
        await new Promise((r) => raf(() => raf(r)));
        times.push(performance.now() - start);
      }
      return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
    });
    console.log(`50 000 log lines: loaded and shown in ${loadMs} ms; median scroll frame ${frameMs.toFixed(1)} ms`);
    expect(frameMs).toBeLessThan(100);
    await page.locator('[data-testid="logs-search"]').fill('24999');
    await page.locator('[data-testid="logs-search"]').press('Enter');
    await expect.poll(() => page.locator('[data-testid="logs-match-count"]').textContent()).toBe('1/1');
    await expect.poll(() => page.locator('.line--current .line__text').textContent()).toBe('24999');
    expect(await page.locator('.line--current mark.line__mark').textContent()).toBe('24999');
    await screenshot(page, 'logs-50k-search');
  });

  it('refuses an exec WebSocket opened by a page of another origin (the command never runs)', async () => {
    const other = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>elsewhere</title>');
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', () => r()));
    try {
      const otherOrigin = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
      const evil = await page.context().newPage();
      await evil.goto(otherOrigin);
      const attempt = (path: string) =>
        evil.evaluate(
          (url) =>
            new Promise<string>((resolve) => {
              const ws = new WebSocket(url, ['v5.channel.k8s.io']);
              ws.onopen = () => resolve('open');
              ws.onclose = (e) => resolve(`closed ${e.code}`);
            }),
          `${origin.replace('http:', 'ws:')}${path}`,
        );
      const got = await attempt('/api/v1/namespaces/default/pods/shell/exec?command=touch&command=/tmp/pwned&stdout=true');
      expect(got).toBe('closed 1006');
      await evil.close();
      // The same request from the UI's own origin works (so the Origin check is what refused it).
      const own = await page.evaluate(
        (url) =>
          new Promise<string>((resolve) => {
            const ws = new WebSocket(url, ['v5.channel.k8s.io']);
            ws.onopen = () => resolve('open');
            ws.onclose = (e) => resolve(`closed ${e.code}`);
          }),
        `${origin.replace('http:', 'ws:')}/api/v1/namespaces/default/pods/shell/exec?command=true&stdout=true`,
      );
      expect(own).toBe('open');
      const check = serve.kubectl(['exec', 'shell', '--', 'ls', '/tmp/pwned']);
      expect(check.code).not.toBe(0);
      expect(check.stderr + check.stdout).toContain('No such file or directory');
    } finally {
      await new Promise<void>((r) => other.close(() => r()));
    }
  });

  it('ran without Content-Security-Policy violations or script errors', () => {
    // Expected: the 400s of `previous` logs of containers that never restarted (the test asks for them).
    expect(problems.filter((p) => !/status of 400 .*\/log\?.*previous=true/.test(p))).toEqual([]);
  });
});
