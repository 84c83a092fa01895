/**
 * The desktop UI against a real `kubesim serve` (the built CLI, as users run it headless), in
 * headless Chromium: the three default nodes Ready on the overview, the four system namespaces in
 * the Namespaces browser, a namespace
 * created with real kubectl appearing live without a reload, and the API refusing requests
 * without the session cookie. Screenshots go to the OS temp dir (printed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { KUBECTL, Serve } from '../kubectl/harness';
import { ensureRendererBuilt, launchBrowser, screenshot } from './browser';

describe('kubesim UI on a real cluster', () => {
  const serve = new Serve();
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    ensureRendererBuilt();
    await serve.start();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    await serve.stop();
    serve.cleanup();
  });

  const nsStatus = (name: string) => `[data-testid="resource-row"][data-name="${name}"] [data-column="STATUS"]`;
  const names = (testid: string) => page.locator(`[data-testid="${testid}"]`).evaluateAll((els) => els.map((e) => e.getAttribute('data-name')));

  it('prints a loopback UI URL carrying a session secret', () => {
    const u = new URL(serve.uiUrl);
    expect(u.protocol).toBe('http:');
    expect(u.hostname).toBe('127.0.0.1');
    expect(u.searchParams.get('session')?.length ?? 0).toBeGreaterThanOrEqual(32);
  });

  it('shows the three nodes Ready and the system namespaces', async () => {
    await page.goto(serve.uiUrl);
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor();
    await page.locator('[data-testid="node-row"][data-name="kubesim-worker2"] [data-testid="node-status"]', { hasText: /^Ready$/ }).waitFor();
    expect(await names('node-row')).toEqual(['kubesim-control-plane', 'kubesim-worker', 'kubesim-worker2']);
    for (const n of ['kubesim-control-plane', 'kubesim-worker', 'kubesim-worker2']) {
      await page.locator(`[data-testid="node-row"][data-name="${n}"] [data-testid="node-status"]`, { hasText: /^Ready$/ }).waitFor();
    }
    expect(await page.locator('[data-testid="node-row"][data-name="kubesim-control-plane"] td').nth(2).textContent()).toContain('control-plane');
    const version = (await page.locator('[data-testid="node-row"][data-name="kubesim-worker"] td').nth(4).textContent()) ?? '';
    expect(version).toMatch(/^v\d+\.\d+\.\d+/);

    await screenshot(page, 'real-cluster-initial');

    // Namespaces: the generic list of the sidebar's Namespaces entry (kubectl's columns).
    await page.locator('[data-testid="nav-item"][data-resource="namespaces"]').click();
    await page.locator('[data-testid="resource-row"][data-name="kube-node-lease"]').waitFor();
    const ns = await names('resource-row');
    for (const n of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) expect(ns).toContain(n);
    expect(await page.locator(nsStatus('default')).textContent()).toBe('Active');
  });

  it('shows a namespace created with kubectl 1.27 live, without a reload', async () => {
    await page.evaluate(() => ((globalThis as unknown as { __sameDocument: boolean }).__sameDocument = true));
    expect(serve.ok(['create', 'ns', 'e2e-demo-127'], { bin: KUBECTL.v127 })).toContain('namespace/e2e-demo-127 created');
    await page.locator(nsStatus('e2e-demo-127'), { hasText: 'Active' }).waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    await screenshot(page, 'real-cluster-namespace-created-127');
  });

  it('shows a namespace created with the default kubectl live, without a reload', async () => {
    await page.evaluate(() => ((globalThis as unknown as { __sameDocument: boolean }).__sameDocument = true));
    expect(serve.ok(['create', 'ns', 'e2e-demo'])).toContain('namespace/e2e-demo created');
    await page.locator(nsStatus('e2e-demo'), { hasText: 'Active' }).waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    await screenshot(page, 'real-cluster-namespace-created');
  });

  it('answers API requests without the session cookie with a 401 Status', async () => {
    const origin = new URL(serve.uiUrl).origin;
    for (const path of ['/api', '/api/v1/namespaces', '/apis']) {
      const r = await fetch(`${origin}${path}`);
      expect(r.status).toBe(401);
      expect(await r.json()).toMatchObject({ kind: 'Status', code: 401, reason: 'Unauthorized' });
    }
    // A page on another name resolving to 127.0.0.1 (DNS rebinding) is refused, cookie or not.
    const port = Number(new URL(origin).port);
    const rebinding = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/api/v1/namespaces', headers: { host: `attacker.example:${port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(rebinding).toBe(403);
  });

  it('ran without Content-Security-Policy violations or script errors', () => {
    expect(problems).toEqual([]);
  });
});
