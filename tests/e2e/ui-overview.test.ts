/**
 * The overview's live cluster map, warning notifications and the keyboard (command palette,
 * shortcuts) against a real `kubesim serve --fast` in headless Chromium: pods drawn inside the
 * node kubectl says they run on, appearing and disappearing live; a pod whose image cannot be
 * pulled raises a toast and the bell's count; Ctrl+K → "depl" → Enter opens Deployments; "g p"
 * opens Pods (not while typing in a field); "?" lists the shortcuts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { Serve, table } from '../kubectl/harness';
import { ensureRendererBuilt, launchBrowser, screenshot } from './browser';

describe('overview map, notifications and the keyboard on a real cluster', () => {
  const serve = new Serve();
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    ensureRendererBuilt();
    await serve.start();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
    });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await serve.stop();
    serve.cleanup();
  });

  const until = async (what: string, check: () => Promise<boolean>, ms = 30_000) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`timed out waiting for ${what}`);
  };
  const hash = () => page.evaluate(() => (globalThis as unknown as { location: { hash: string } }).location.hash);
  const nodeOf = (ns: string, pod: string) => serve.ok(['get', 'pod', pod, '-n', ns, '-o', 'jsonpath={.spec.nodeName}']).trim();

  it('draws every pod inside the node it runs on, live: a new pod appears, a deleted one disappears', async () => {
    await page.goto(serve.uiUrl);
    await page.locator('[data-testid="cluster-map"]').waitFor();
    const nodes = table(serve.ok(['get', 'nodes', '--no-headers'])).map((r) => r[0]);
    await until('a box per node', async () => (await page.locator('[data-testid="map-node"]').count()) === nodes.length);
    expect((await page.locator('[data-testid="map-node"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')))).sort()).toEqual([...nodes].sort());
    // The system pods are where kubectl says they are.
    const system = table(serve.ok(['get', 'pods', '-A', '-o', 'wide', '--no-headers']));
    expect(system.length).toBeGreaterThan(0);
    for (const r of system) {
      const [ns, name, , , , , , node] = r;
      await page.locator(`[data-testid="map-node"][data-name="${node}"] [data-testid="map-pod"][data-namespace="${ns}"][data-name="${name}"]`).waitFor({ timeout: 15_000 });
    }

    serve.ok(['create', 'namespace', 'demo']);
    expect(serve.ok(['run', 'live-pod', '--image=nginx:1.25', '-n', 'demo'])).toContain('pod/live-pod created');
    const dot = () => page.locator('[data-testid="map-pod"][data-namespace="demo"][data-name="live-pod"]');
    await dot().first().waitFor({ timeout: 15_000 });
    await until('live-pod Running', async () => (await dot().getAttribute('data-tone')) === 'ok');
    const node = nodeOf('demo', 'live-pod');
    expect(node).not.toBe('');
    expect(await page.locator(`[data-testid="map-node"][data-name="${node}"] [data-testid="map-pod"][data-name="live-pod"]`).count()).toBe(1);
    // Its link opens the pod's details.
    expect(await dot().getAttribute('href')).toBe('#/r/core/v1/pods/demo/live-pod');

    // A Deployment behind a Service: the other two views.
    serve.ok(['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=2', '-n', 'demo']);
    serve.ok(['expose', 'deployment', 'web', '--port=80', '-n', 'demo']);
    await until('web pods drawn', async () => (await page.locator('[data-testid="map-pod"][data-namespace="demo"][data-name^="web-"]').count()) === 2);
    await screenshot(page, 'overview-map');

    await page.locator('[data-testid="map-view-services"]').click();
    const svc = page.locator('[data-testid="map-service"][data-namespace="demo"][data-name="web"]');
    await until('web service → 2 ready endpoints → 2 pods', async () => (await svc.count()) === 1 && (await svc.locator('[data-testid="map-pod"]').count()) === 2 && /2 ready/.test((await svc.locator('[data-testid="map-endpoints"]').textContent()) ?? ''));
    const epPods = (await svc.locator('[data-testid="map-pod"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')))).sort();
    const kubectlEp = serve.ok(['get', 'endpoints', 'web', '-n', 'demo', '-o', 'jsonpath={.subsets[*].addresses[*].targetRef.name}']).trim().split(/\s+/).sort();
    expect(epPods).toEqual(kubectlEp);
    await screenshot(page, 'overview-map-services');

    await page.locator('[data-testid="map-view-workloads"]').click();
    const dep = page.locator('[data-testid="map-workload"][data-kind="Deployment"][data-name="web"]');
    await dep.locator('[data-testid="map-replicaset"]').first().waitFor();
    const rs = table(serve.ok(['get', 'rs', '-n', 'demo', '--no-headers'])).map((r) => r[0]);
    expect(await dep.locator('[data-testid="map-replicaset"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')))).toEqual(rs);
    await until('2 pods under the replicaset', async () => (await dep.locator('[data-testid="map-replicaset"] [data-testid="map-pod"]').count()) === 2);
    await screenshot(page, 'overview-map-workloads');

    await page.locator('[data-testid="map-view-nodes"]').click();
    await dot().waitFor();
    serve.ok(['delete', 'pod', 'live-pod', '-n', 'demo', '--wait=false']);
    await until('live-pod gone from the map', async () => (await dot().count()) === 0);
    // The figures above the map still come from the same pods (Table rows).
    await until('running count', async () => Number(((await page.locator('[data-testid="pods-running"]').textContent()) ?? '').split(' ')[0]) === table(serve.ok(['get', 'pods', '-A', '--field-selector=status.phase=Running', '--no-headers'])).length);
  });

  it('pops a toast for a new Warning event, counts it under the bell, de-duplicated', async () => {
    expect(await page.locator('[data-testid="toast"]').count()).toBe(0);
    serve.ok(['run', 'broken', '--image=no-such-registry.invalid/nothing:1', '-n', 'demo']);
    const toast = page.locator('[data-testid="toast"][data-object="Pod/broken"]').first();
    await toast.waitFor({ timeout: 30_000 });
    expect(await toast.textContent()).toContain('broken');
    expect(await toast.locator('[data-testid="toast-link"]').getAttribute('href')).toBe('#/r/core/v1/pods/demo/broken');
    const count = Number(await page.locator('[data-testid="notifications-count"]').textContent());
    expect(count).toBeGreaterThanOrEqual(1);
    // Repeats of one reason for one object share a toast.
    await new Promise((r) => setTimeout(r, 3000));
    const keys = await page.locator('[data-testid="toast"]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-object')}|${e.getAttribute('data-reason')}`));
    expect(new Set(keys).size).toBe(keys.length);
    await screenshot(page, 'notifications-toast');

    await page.locator('[data-testid="notifications-bell"]').click();
    const panel = page.locator('[data-testid="notifications-panel"]');
    await panel.waitFor();
    const items = panel.locator('[data-testid="notification"]');
    expect(await items.count()).toBeGreaterThanOrEqual(1);
    expect(await items.first().textContent()).toContain('pod/broken');
    // The reasons kubectl shows for the pod's warnings are the ones listed.
    const reasons = new Set(table(serve.ok(['get', 'events', '-n', 'demo', '--field-selector=type=Warning,involvedObject.name=broken', '--no-headers'])).map((r) => r[2]));
    for (const text of await items.allTextContents()) if (text.includes('pod/broken')) expect([...reasons].some((r) => text.includes(r))).toBe(true);
    await screenshot(page, 'notifications');
    // Opened: read.
    expect(await page.locator('[data-testid="notifications-count"]').count()).toBe(0);

    // Muted: no more pop-ups, the bell still counts.
    await page.locator('[data-testid="notifications-mute"]').check();
    await until('toasts gone', async () => (await page.locator('[data-testid="toast"]').count()) === 0, 3000);
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    serve.ok(['run', 'broken-too', '--image=no-such-registry.invalid/nothing:2', '-n', 'demo']);
    await page.locator('[data-testid="notifications-count"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid="toast"][data-object="Pod/broken-too"]').count()).toBe(0);
    await page.locator('[data-testid="notifications-bell"]').click();
    await page.locator('[data-testid="notifications-mute"]').uncheck();
    await page.keyboard.press('Escape');
  });

  it('Ctrl+K opens the command palette: "depl" + Enter goes to Deployments; Esc closes it', async () => {
    await page.locator('[data-testid="nav-overview"]').click();
    await page.locator('h1').click();
    await page.keyboard.press('Control+k');
    const palette = page.locator('[data-testid="palette"]');
    await palette.waitFor();
    // Commands of the features and every served kind are offered.
    const ids = await page.locator('[data-testid="palette-item"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
    expect(ids).toContain('cmd:go.pods');
    expect(ids).toContain('cmd:notifications.mute');
    expect(ids).toContain('kind:apps/statefulsets');
    await page.keyboard.type('depl');
    expect(await page.locator('[data-testid="palette-item"]').first().getAttribute('data-id')).toBe('cmd:go.deployments');
    await screenshot(page, 'palette');
    await page.keyboard.press('Enter');
    await palette.waitFor({ state: 'detached' });
    await page.locator('[data-testid="resource-list"][data-resource="deployments"]').waitFor();
    expect(await hash()).toBe('#/r/apps/v1/deployments');

    // Names of the list on screen are found too; arrows move, Esc closes.
    await page.locator('[data-testid="resource-list"][data-loaded="true"]').waitFor();
    await page.keyboard.press('Control+k');
    await palette.waitFor();
    await page.keyboard.type('web');
    await until('the web deployment offered', async () => (await page.locator('[data-testid="palette-item"][data-id="obj:demo/web"]').count()) === 1);
    await page.keyboard.press('Escape');
    await palette.waitFor({ state: 'detached' });
    expect(await hash()).toBe('#/r/apps/v1/deployments');
  });

  it('"g p" goes to Pods, "g o" back, not while typing; "?" shows the shortcuts', async () => {
    await page.locator('h1').click();
    await page.keyboard.press('g');
    await page.keyboard.press('p');
    await page.locator('[data-testid="resource-list"][data-resource="pods"]').waitFor();
    expect(await hash()).toBe('#/r/core/v1/pods');
    // Typing "g d" in the search field stays in the field.
    const search = page.locator('[data-testid="search"]');
    await search.click();
    await page.keyboard.type('g d');
    expect(await hash()).toBe('#/r/core/v1/pods');
    expect(await search.inputValue()).toBe('g d');
    await search.fill('');
    await page.locator('h1').click();
    await page.keyboard.press('g');
    await page.keyboard.press('o');
    await page.locator('[data-testid="overview"]').waitFor();

    await page.keyboard.press('Shift+?');
    const help = page.locator('[data-testid="shortcuts-help"]');
    await help.waitFor();
    const keys = await help.locator('[data-testid="shortcut"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-keys')));
    expect(keys).toEqual(expect.arrayContaining(['mod+k', '?', 'g p', 'g d', 'g o', '/']));
    await screenshot(page, 'palette-shortcuts');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
  });

  it('the map in the dark theme', async () => {
    await page.locator('[data-testid="theme-toggle"]').click();
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    await page.locator('[data-testid="map-pod"]').first().waitFor();
    await page.waitForTimeout(800); // the boxes' colour transitions
    await screenshot(page, 'overview-map-dark');
    await page.locator('[data-testid="theme-toggle"]').click();
    expect(problems).toEqual([]);
  });
});
