/**
 * Services, port-forwards and the host terminal in headless Chromium against a real
 * `kubesim serve --fast --host-terminal`: an nginx Deployment and Service made with kubectl; a
 * port-forward started from the Service's page answers node's http client with nginx's page, is
 * listed on the Port forwards page, and refuses connections once stopped there; a LoadBalancer
 * Service's "Open in browser" links are its 127.0.0.1 URLs (and they serve nginx); the Terminal
 * page runs real kubectl against this cluster. Screenshots: network-port-forwards,
 * network-service-details, network-host-terminal (dark).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import net from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { Serve, table } from '../kubectl/harness';
import { ensureRendererBuilt, launchBrowser, screenshot } from './browser';

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`GET ${url} timed out`)));
  });
}

function connectResult(port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('connect', () => {
      s.destroy();
      resolve('connected');
    });
    s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

/** A port that is free now (for the LoadBalancer's service port). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

describe('network in the UI on a real cluster', () => {
  const serve = new Serve(['--host-terminal']);
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    ensureRendererBuilt();
    await serve.start();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1366, height: 820 } });
    page.on('console', (m) => {
      // The refused forward (port in use) is logged by Chromium as a failed resource.
      if (m.type() === 'error' && !/status of 409/.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    serve.ok(['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=2']);
    serve.ok(['expose', 'deployment', 'web', '--port=80', '--name=web']);
    serve.ok(['rollout', 'status', 'deployment/web', '--timeout=90s']);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await serve.stop();
    serve.cleanup();
  });

  const until = async (what: string, check: () => Promise<boolean> | boolean, ms = 30_000) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`timed out waiting for ${what}`);
  };
  const details = async (resource: string, name: string) => {
    await page.goto(`${new URL(serve.uiUrl).origin}/#/r/core/v1/${resource}/default/${name}`);
    await page.locator(`[data-testid="details"][data-name="${name}"]`).waitFor();
    await page.locator('[data-testid="details-metadata"]').waitFor();
  };

  it('starts a port-forward from a Service page, curls nginx through it, lists it, and stops it', async () => {
    await page.goto(serve.uiUrl);
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor();
    await details('services', 'web');
    await page.locator('[data-testid="port-forwards-panel"]').waitFor();
    await page.locator('[data-testid="action-port-forward"]').click();
    const dialog = page.locator('[data-testid="port-forward-dialog"]');
    await dialog.waitFor();
    expect(await page.locator('[data-testid="port-forward-remote"]').inputValue()).toBe('80');
    await page.locator('[data-testid="confirm-ok"]').click();
    await dialog.waitFor({ state: 'detached' });

    const row = page.locator('[data-testid="port-forwards-panel"] [data-testid="port-forward-row"]');
    await row.waitFor();
    const localPort = Number(await row.getAttribute('data-local-port'));
    expect(localPort).toBeGreaterThan(0);
    expect(await row.locator('[data-testid="port-forward-url"]').getAttribute('href')).toBe(`http://127.0.0.1:${localPort}`);
    const res = await get(`http://127.0.0.1:${localPort}/`);
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>Welcome to nginx!</title>');
    // The forward went to one of the service's pods.
    const pods = table(serve.ok(['get', 'pods', '-l', 'app=web', '--no-headers'])).map((r) => r[0]);
    expect(pods).toContain((await row.locator('a[href*="/pods/"]').textContent())?.trim());

    // The workbench page lists it with its connection count.
    await page.locator('[data-testid="nav-workbench"][data-nav="port-forwards"]').click();
    await page.locator('[data-testid="port-forwards-page"]').waitFor();
    const listed = page.locator(`[data-testid="port-forwards-page"] [data-testid="port-forward-row"][data-local-port="${localPort}"]`);
    await listed.waitFor();
    expect(await listed.getAttribute('data-name')).toBe('web');
    await until('the connection counted', async () => ((await listed.textContent()) ?? '').includes('/ 1'));
    await screenshot(page, 'network-port-forwards');

    await listed.locator('[data-testid="port-forward-stop"]').click();
    await listed.waitFor({ state: 'detached' });
    await page.locator('[data-testid="port-forwards-empty"]').waitFor();
    expect(await connectResult(localPort)).toBe('ECONNREFUSED');
  }, 120_000);

  it('starts a forward to a pod from the Port forwards page (typed pod port, chosen local port)', async () => {
    const pod = table(serve.ok(['get', 'pods', '-l', 'app=web', '--no-headers']))[0][0];
    const local = await freePort();
    await page.locator('[data-testid="nav-workbench"][data-nav="port-forwards"]').click();
    await page.locator('[data-testid="port-forward-namespace"]').selectOption('default');
    await page.locator('[data-testid="port-forward-kind"]').selectOption('pods');
    await page.locator(`[data-testid="port-forward-name"] option[value="${pod}"]`).waitFor({ state: 'attached' });
    await page.locator('[data-testid="port-forward-name"]').selectOption(pod);
    await page.locator('[data-testid="port-forward-choose-port"]').click();
    // kubectl create deployment declares no container ports: the pod port is typed.
    await page.locator('[data-testid="port-forward-remote"]').fill('80');
    await page.locator('[data-testid="port-forward-local"]').fill(String(local));
    await page.locator('[data-testid="confirm-ok"]').click();
    const row = page.locator(`[data-testid="port-forwards-page"] [data-testid="port-forward-row"][data-local-port="${local}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-resource')).toBe('pods');
    expect((await get(`http://127.0.0.1:${local}/`)).body).toContain('Welcome to nginx!');
    await row.locator('[data-testid="port-forward-stop"]').click();
    await row.waitFor({ state: 'detached' });
    expect(await connectResult(local)).toBe('ECONNREFUSED');
  }, 60_000);

  it('a port-forward refused by the gateway shows its reason in the dialog (local port in use)', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      await details('services', 'web');
      await page.locator('[data-testid="action-port-forward"]').click();
      await page.locator('[data-testid="port-forward-local"]').fill(String(port));
      await page.locator('[data-testid="confirm-ok"]').click();
      const err = page.locator('[data-testid="port-forward-error-message"]');
      await err.waitFor();
      expect(await err.textContent()).toContain(`127.0.0.1:${port} is already in use`);
      await page.locator('[data-testid="confirm-cancel"]').click();
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()));
    }
  }, 60_000);

  it("a LoadBalancer Service's Open in browser links are its 127.0.0.1 URLs", async () => {
    const lbPort = await freePort();
    serve.ok(['expose', 'deployment', 'web', '--type=LoadBalancer', `--port=${lbPort}`, '--target-port=80', '--name=web-lb']);
    await until('the load balancer on 127.0.0.1', () => serve.ok(['get', 'svc', 'web-lb', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}']).trim() === '127.0.0.1');
    const nodePort = Number(serve.ok(['get', 'svc', 'web-lb', '-o', 'jsonpath={.spec.ports[0].nodePort}']));
    await details('services', 'web-lb');
    const menu = page.locator('[data-testid="open-in-browser-menu"]');
    await menu.waitFor();
    await menu.locator('summary').click();
    const links = menu.locator('[data-testid="open-in-browser"]');
    expect(await links.evaluateAll((els) => els.map((e) => e.getAttribute('href')))).toEqual([`http://127.0.0.1:${lbPort}`, `http://127.0.0.1:${nodePort}`]);
    for (const a of await links.all()) {
      expect(await a.getAttribute('target')).toBe('_blank');
      expect(await a.getAttribute('rel')).toContain('noopener');
    }
    expect((await get(`http://127.0.0.1:${lbPort}/`)).body).toContain('Welcome to nginx!');
    await screenshot(page, 'network-service-details');
    await page.keyboard.press('Escape');

    // The Services list offers every such URL of the namespace.
    await page.goto(`${new URL(serve.uiUrl).origin}/#/r/core/v1/services`);
    const listMenu = page.locator('[data-testid="service-urls-menu"]');
    await listMenu.waitFor();
    await listMenu.locator('summary').click();
    const urls = await listMenu.locator('[data-testid="service-url"]').evaluateAll((els) => els.map((e) => e.getAttribute('href')));
    expect(urls).toEqual(expect.arrayContaining([`http://127.0.0.1:${lbPort}`, `http://127.0.0.1:${nodePort}`]));
  }, 120_000);

  it('the host terminal (serve --host-terminal) runs kubectl against this cluster', async () => {
    // Dark theme for this screenshot.
    if ((await page.locator('[data-testid="theme-toggle"]').getAttribute('data-theme')) !== 'dark') await page.locator('[data-testid="theme-toggle"]').click();
    const nav = page.locator('[data-testid="nav-workbench"][data-nav="host-terminal"]');
    await nav.waitFor();
    await nav.click();
    await page.locator('[data-testid="host-terminal"][data-state="open"]').waitFor({ timeout: 20_000 });
    await page.locator('[data-testid="host-terminal-screen"]').click();
    await page.keyboard.type('kubectl get nodes\n', { delay: 5 });
    const nodes = table(serve.ok(['get', 'nodes', '--no-headers'])).map((r) => r[0]);
    expect(nodes.length).toBe(3);
    const screenText = () => page.locator('[data-testid="host-terminal-screen"] .xterm-rows').innerText();
    await until('kubectl get nodes in the terminal', async () => {
      const text = await screenText();
      return /NAME\s+STATUS\s+ROLES/.test(text) && nodes.every((n) => new RegExp(`${n}\\s+Ready`).test(text));
    });
    await screenshot(page, 'network-host-terminal');
    await page.keyboard.type('exit 7\n');
    await page.locator('[data-testid="host-terminal"][data-state="ended"][data-exit-code="7"]').waitFor();
    expect(problems).toEqual([]);
  }, 90_000);
});
