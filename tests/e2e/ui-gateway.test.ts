/**
 * The built renderer in headless Chromium behind the real UI gateway, fed by an in-memory API
 * (tests/e2e/fake-api.ts): sign-in via the session link, live list+watch updates without reload,
 * the not-signed-in state, and no Content-Security-Policy violations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startUiGateway, type UiGateway } from '../../src-main/gateway';
import { FakeApi } from './fake-api';
import { ensureRendererBuilt, launchBrowser, screenshot } from './browser';

describe('UI through the gateway (in-memory API)', () => {
  let api: FakeApi;
  let gw: UiGateway;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    const rendererDir = ensureRendererBuilt();
    api = new FakeApi();
    gw = await startUiGateway({ port: 0, handler: api.handler, user: { name: 'kubernetes-admin', groups: ['system:masters'] }, rendererDir });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
  });
  afterAll(async () => {
    await browser?.close();
    await gw?.close();
  });

  const rows = (p: Page, testid: string) => p.locator(`[data-testid="${testid}"]`);

  it('signs in with the session link and lists nodes and namespaces', async () => {
    await page.goto(gw.url);
    expect(new URL(page.url()).search).toBe(''); // the secret is gone from the address bar
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor();
    await rows(page, 'node-row').nth(2).waitFor();
    expect(await rows(page, 'node-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')))).toEqual(['kubesim-control-plane', 'kubesim-worker', 'kubesim-worker2']);
    expect(await rows(page, 'node-status').allTextContents()).toEqual(['Ready', 'Ready', 'Ready']);
    expect(await page.locator('[data-name="kubesim-control-plane"] td').nth(2).textContent()).toBe('control-plane');
    expect(await page.locator('[data-name="kubesim-worker"] td').nth(4).textContent()).toBe('v1.31.0');
    expect(await page.locator('[data-testid="connection"]').textContent()).toContain('Connected');
    await screenshot(page, 'gateway-initial');
    // Namespaces: the sidebar's entry (from discovery) opens the generic list.
    await page.locator('[data-testid="nav-item"][data-resource="namespaces"]').click();
    await rows(page, 'resource-row').nth(3).waitFor();
    expect(await rows(page, 'resource-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')))).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
  });

  it('shows created, changed and deleted objects live, without reloading', async () => {
    await page.evaluate(() => ((globalThis as unknown as { __sameDocument: boolean }).__sameDocument = true));
    api.put('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'live-demo' }, status: { phase: 'Active' } });
    await page.locator('[data-testid="resource-row"][data-name="live-demo"]').waitFor();
    expect(await page.locator('[data-testid="row-count"]').textContent()).toBe('5');

    api.put('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'live-demo' }, status: { phase: 'Terminating' } });
    await page.locator('[data-name="live-demo"] [data-column="STATUS"]', { hasText: 'Terminating' }).waitFor();
    await page.locator('[data-testid="nav-overview"]').click();

    api.put('nodes', {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'kubesim-worker2', labels: {} },
      spec: { unschedulable: true },
      status: { conditions: [{ type: 'Ready', status: 'False' }], nodeInfo: { kubeletVersion: 'v1.31.0' } },
    });
    await page.locator('[data-name="kubesim-worker2"] [data-testid="node-status"]', { hasText: 'NotReady,SchedulingDisabled' }).waitFor();
    await screenshot(page, 'gateway-live-changes');

    api.remove('namespaces', 'live-demo');
    await page.locator('[data-testid="nav-item"][data-resource="namespaces"]').click();
    await page.locator('[data-testid="resource-row"][data-name="default"]').waitFor();
    await page.locator('[data-testid="resource-row"][data-name="live-demo"]').waitFor({ state: 'detached' });
    expect(await page.evaluate(() => (globalThis as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  });

  it('loads without Content-Security-Policy violations or script errors', () => {
    expect(problems).toEqual([]);
  });

  it('without the session cookie, shows how to sign in and the API answers 401', async () => {
    const fresh = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    try {
      const p = await fresh.newPage();
      await p.goto(`${gw.origin}/`);
      await p.locator('[data-testid="connection"][data-state="unauthorized"]').waitFor();
      expect(await p.getByRole('alert').textContent()).toContain('not signed in');
      const status = await p.evaluate(async () => {
        const r = await fetch('/api/v1/namespaces');
        return { code: r.status, body: (await r.json()) as { kind: string; reason: string } };
      });
      expect(status.code).toBe(401);
      expect(status.body).toMatchObject({ kind: 'Status', reason: 'Unauthorized' });
      await screenshot(p, 'gateway-not-signed-in');
    } finally {
      await fresh.close();
    }
  });
});
