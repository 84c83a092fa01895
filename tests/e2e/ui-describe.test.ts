/**
 * The describe feature against a real `kubesim serve --fast` in headless Chromium: a Deployment's
 * page links its ReplicaSet (Related), which links its pods; a pod's Summary shows its node (a
 * working link), IP, and its container Running with the image; a Service's Summary shows its
 * ClusterIP and its ready endpoints (from EndpointSlices), its endpoint pods under Related; a
 * Node's Summary shows capacity/allocatable as the Node says and its pods under Related; a
 * Secret shows key sizes, never values; kinds without a summary get no panel.
 * Screenshots: describe-deployment, describe-pod, describe-service, describe-node (dark).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { Serve } from '../kubectl/harness';
import { ensureRendererBuilt, launchBrowser, screenshot } from './browser';

describe('describe: summary and related panels on a real cluster', () => {
  const serve = new Serve();
  let browser: Browser;
  let page: Page;
  let origin = '';
  const problems: string[] = [];
  let podName = '';

  const until = async (what: string, check: () => Promise<boolean> | boolean, ms = 60_000) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`timed out waiting for ${what}`);
  };
  const tid = (id: string) => page.locator(`[data-testid="${id}"]`);
  const summary = (id: string) => page.locator(`[data-testid="describe-summary"] [data-testid="${id}"]`);
  const related = (kind: string) => page.locator(`[data-testid="describe-related"] [data-testid="related-item"][data-kind="${kind}"]`);
  const shot = async (name: string) => {
    const h = await page.locator('[data-testid="main"]').evaluate((e) => e.scrollHeight + 52);
    await page.setViewportSize({ width: 1366, height: Math.max(900, Math.min(h, 2400)) });
    await screenshot(page, name);
    await page.setViewportSize({ width: 1366, height: 900 });
  };
  const open = async (path: string, name: string) => {
    await page.goto(`${origin}/#${path}`);
    await page.locator(`[data-testid="details"][data-name="${name}"]`).waitFor();
  };

  beforeAll(async () => {
    ensureRendererBuilt();
    await serve.start();
    origin = new URL(serve.uiUrl).origin;
    serve.ok(['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=2', '--port=80']);
    serve.ok(['expose', 'deployment', 'web', '--port=80', '--target-port=80']);
    await until('2 running web pods', () => serve.ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].status.phase}']).split(' ').filter((p) => p === 'Running').length === 2);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 404/.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`${r.status()} ${r.request().method()} ${r.url()}`);
    });
    await page.goto(serve.uiUrl); // signs in (session cookie)
    await tid('connection').and(page.locator('[data-state="live"]')).waitFor();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await serve.stop();
    serve.cleanup();
  });

  it("a Deployment's page lists its ReplicaSet; through it to a pod", async () => {
    const rs = serve.ok(['get', 'replicasets', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}']);
    expect(rs).toMatch(/^web-[a-z0-9]+$/);
    await open('/r/apps/v1/deployments/default/web', 'web');
    // Summary first, as kubectl describe deployment words its replicas line.
    await expect.poll(() => summary('replicas').textContent(), { timeout: 20_000 }).toBe('2 desired | 2 updated | 2 total | 2 ready | 2 available | 0 unavailable');
    expect(await summary('images').textContent()).toContain('nginx:1.25');
    // The first of the features' panels (after the shell's metadata/conditions grid).
    expect(await page.locator('[data-testid="details"] > section.panel').first().getAttribute('data-testid')).toBe('describe-summary');
    await expect.poll(() => related('ReplicaSet').count()).toBe(1);
    expect(await related('ReplicaSet').getAttribute('data-name')).toBe(rs);
    await expect.poll(() => related('ReplicaSet').locator('.status').textContent()).toBe('2/2 ready');
    // Pods stay in the wizards' Pods panel, not duplicated under Related.
    expect(await related('Pod').count()).toBe(0);
    await shot('describe-deployment');
    await related('ReplicaSet').locator('[data-testid="related-link"]').click();
    await page.locator(`[data-testid="details"][data-name="${rs}"]`).waitFor();
    expect(page.url()).toContain(`#/r/apps/v1/replicasets/default/${rs}`);
    expect(await summary('replicas').textContent()).toBe('2 current / 2 desired');
    await expect.poll(() => related('Pod').count()).toBe(2);
    const pods = serve.ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].metadata.name}']).split(' ').sort();
    expect(await related('Pod').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')))).toEqual(pods);
    podName = pods[0];
    await expect.poll(() => related('Pod').first().locator('.status').textContent()).toBe('Running');
    await related('Pod').first().locator('[data-testid="related-link"]').click();
    await page.locator(`[data-testid="details"][data-name="${podName}"]`).waitFor();
  });

  it("a pod's summary shows its node (a working link), IP, and its container Running with the image", async () => {
    const [node, ip, qos] = serve.ok(['get', 'pod', podName, '-o', 'jsonpath={.spec.nodeName} {.status.podIP} {.status.qosClass}']).split(' ');
    expect(node).toBeTruthy();
    expect(ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    await expect.poll(() => summary('pod-status').textContent()).toBe('Running');
    expect(await summary('pod-node').textContent()).toMatch(new RegExp(`^${node}(/|$)`));
    expect(await summary('pod-ip').textContent()).toBe(ip);
    expect(await page.locator('[data-testid="describe-summary"] dd[data-label="QoS Class"]').textContent()).toBe(qos);
    const container = page.locator('[data-testid="summary-group"][data-title="nginx"]');
    expect(await container.locator('[data-testid="container-image"]').textContent()).toBe('nginx:1.25');
    expect(await container.locator('[data-testid="container-state"]').textContent()).toBe('Running');
    expect(await container.locator('dd[data-label="Ports"]').textContent()).toBe('80/TCP');
    await shot('describe-pod');
    await summary('pod-node').locator('a').click();
    await page.locator(`[data-testid="details"][data-name="${node}"]`).waitFor();
    expect(page.url()).toContain(`#/r/core/v1/nodes/${node}`);
  });

  it("a Node's summary shows capacity and allocatable as the Node says, and its pods", async () => {
    const node = await tid('details').getAttribute('data-name');
    const [cpu, mem, pods, acpu] = serve.ok(['get', 'node', node!, '-o', 'jsonpath={.status.capacity.cpu} {.status.capacity.memory} {.status.capacity.pods} {.status.allocatable.cpu}']).split(' ');
    expect(await summary('capacity-cpu').textContent()).toBe(cpu);
    expect(await summary('capacity-memory').textContent()).toMatch(new RegExp(`^${mem}( ?\\(\\d+(\\.\\d)?[KMGT]i\\))?$`));
    expect(await summary('capacity-pods').textContent()).toBe(pods);
    expect(await summary('allocatable-cpu').textContent()).toBe(acpu);
    expect(await summary('node-status').textContent()).toBe('Ready');
    const onNode = serve.ok(['get', 'pods', '-A', '--field-selector', `spec.nodeName=${node}`, '-o', 'jsonpath={.items[*].metadata.name}']).split(' ').filter(Boolean).sort();
    expect(onNode).toContain(podName);
    await expect.poll(async () => (await related('Pod').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')))).sort()).toEqual(onNode);
    await tid('theme-toggle').click();
    await until('dark theme', async () => (await page.locator('html').getAttribute('data-theme')) === 'dark');
    await shot('describe-node');
    await tid('theme-toggle').click();
  });

  it("a Service's summary shows its ClusterIP, PORT(S) and ready endpoints; its endpoint pods are linked", async () => {
    const clusterIP = serve.ok(['get', 'service', 'web', '-o', 'jsonpath={.spec.clusterIP}']);
    await open('/r/core/v1/services/default/web', 'web');
    await expect.poll(() => summary('svc-cluster-ip').textContent()).toBe(clusterIP);
    expect(await summary('svc-type').textContent()).toBe('ClusterIP');
    expect(await summary('svc-ports').textContent()).toBe('80/TCP');
    await expect.poll(() => summary('svc-endpoints').textContent(), { timeout: 20_000 }).toMatch(/^2 ready: \d+\.\d+\.\d+\.\d+:80,\d+\.\d+\.\d+\.\d+:80$/);
    await expect.poll(() => related('Pod').count()).toBe(2);
    expect(await related('Pod').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')))).toContain(podName);
    await shot('describe-service');
    // Scaled to 3: the endpoints follow live.
    serve.ok(['scale', 'deployment', 'web', '--replicas=3']);
    await expect.poll(() => summary('svc-endpoints').textContent(), { timeout: 30_000 }).toMatch(/^3 ready: /);
    expect(problems).toEqual([]);
  });

  it('a Secret shows its keys with sizes and never a value; a ConfigMap its keys; other kinds have no summary', async () => {
    serve.ok(['create', 'secret', 'generic', 'creds', '--from-literal=password=hunter2-very-secret', '--from-literal=user=admin']);
    serve.ok(['create', 'configmap', 'app-config', '--from-literal=app.conf=listen 80']);
    await open('/r/core/v1/secrets/default/creds', 'creds');
    const keys = page.locator('[data-testid="describe-summary"] [data-testid="data-key"]');
    await expect.poll(() => keys.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-label')}: ${e.textContent}`))).toEqual(['password: 19 bytes', 'user: 5 bytes']);
    expect(await tid('describe-summary').textContent()).not.toContain('hunter2');
    expect(await tid('describe-summary').textContent()).not.toContain(Buffer.from('hunter2-very-secret').toString('base64'));
    await open('/r/core/v1/configmaps/default/app-config', 'app-config');
    await expect.poll(() => keys.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-label')}: ${e.textContent}`))).toEqual(['app.conf: 9 bytes']);
    await open('/r/core/v1/serviceaccounts/default/default', 'default');
    await tid('details-metadata').waitFor();
    expect(await tid('describe-summary').count()).toBe(0);
    expect(await tid('describe-related').count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
