/**
 * The resource browsers against a real `kubesim serve --fast` in headless Chromium: the sidebar
 * built from discovery, a Deployment created with real kubectl whose pods appear live in Pods
 * with kubectl's columns and reach Running, the namespace switcher, label selectors (and the
 * server's message for an invalid one), sorting, multi-select delete, the details page, the
 * overview, the dark theme, and 10 000 pods rendered virtualized. Screenshots go to the OS temp
 * dir (printed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Serve, table } from '../kubectl/harness';
import { ensureRendererBuilt, launchBrowser, screenshot } from './browser';

const BULK = 10_000;

/** Creates `count` pods bound to a node that does not exist (API path only, as bench/run.mjs). */
async function createPods(serve: Serve, ns: string, count: number): Promise<void> {
  const pki = join(serve.dir, 'data', 'pki');
  const url = new URL(serve.apiUrl);
  const agent = new https.Agent({ keepAlive: true, maxSockets: 16, ca: readFileSync(join(pki, 'ca.crt'), 'utf8') });
  const token = readFileSync(join(pki, 'admin.token'), 'utf8').trim();
  const post = (path: string, body: unknown) =>
    new Promise<number>((resolve, reject) => {
      const data = Buffer.from(JSON.stringify(body));
      const req = https.request({ host: url.hostname, port: url.port, method: 'POST', path, agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': data.length } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(data);
    });
  expect(await post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } })).toBe(201);
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let i = next++; i < count; i = next++) {
        const name = `p-${String(i).padStart(5, '0')}`;
        const code = await post(`/api/v1/namespaces/${ns}/pods`, {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name, namespace: ns, labels: { app: 'bulk' } },
          spec: { nodeName: 'ui-no-such-node', containers: [{ name: 'web', image: 'nginx:1.25' }] },
        });
        if (code !== 201) throw new Error(`create pod ${name}: HTTP ${code}`);
      }
    }),
  );
  agent.destroy();
}

describe('resource browsers on a real cluster', () => {
  const serve = new Serve();
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const sockets: string[] = [];

  beforeAll(async () => {
    ensureRendererBuilt();
    await serve.start();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1366, height: 820 } });
    page.on('console', (m) => {
      // A refused list (the invalid selector test) is logged by Chromium as a failed resource.
      if (m.type() === 'error' && !/status of 400/.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('websocket', (ws) => sockets.push(new URL(ws.url()).pathname + new URL(ws.url()).search));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await serve.stop();
    serve.cleanup();
  });

  /** Polls `check` (200 ms) until it holds. */
  const until = async (what: string, check: () => Promise<boolean>, ms = 30_000) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`timed out waiting for ${what}`);
  };
  const rowNames = () => page.locator('[data-testid="resource-row"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-name') ?? ''));
  const headers = () => page.locator('[data-testid="column-header"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-column') ?? ''));
  const cell = (name: string, column: string) => page.locator(`[data-testid="resource-row"][data-name="${name}"] [data-column="${column}"]`);
  const openKind = async (resource: string) => {
    await page.locator(`[data-testid="nav-item"][data-resource="${resource}"]`).first().click();
    await page.locator(`[data-testid="resource-list"][data-resource="${resource}"][data-loaded="true"]`).waitFor();
  };
  const setNamespace = (ns: string) => page.locator('[data-testid="namespace-switcher"]').selectOption(ns);
  const setLabelSelector = async (sel: string) => {
    const input = page.locator('[data-testid="label-selector"]');
    await input.fill(sel);
    await input.press('Enter');
  };

  it('lists every listable kind from discovery in the sidebar, grouped', async () => {
    await page.goto(serve.uiUrl);
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor();
    await page.locator('[data-testid="nav-item"][data-resource="pods"]').waitFor();
    const sections = await page.locator('[data-testid="sidebar"] section').evaluateAll((els) => els.map((e) => e.getAttribute('data-section')));
    expect(sections).toEqual(['Cluster', 'Workloads', 'Network', 'Config', 'Storage', 'Access', 'More']);
    await page.locator('[data-testid="nav-more"]').click();
    const inSidebar = new Set(await page.locator('[data-testid="nav-item"]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-resource')}.${e.getAttribute('data-group')}`.replace(/\.$/, ''))));
    // What kubectl finds through discovery (list+watch verbs), less events.k8s.io (core Events is shown).
    const served = table(serve.ok(['api-resources', '--verbs=list,watch', '--no-headers', '-o', 'name'])).map((r) => r[0]);
    expect(served.length).toBeGreaterThan(20);
    for (const r of served) if (r !== 'events.events.k8s.io') expect(inSidebar, r).toContain(r);
    expect(inSidebar).toContain('leases.coordination.k8s.io');
    // The overview's object watches ride WebSockets (not one of the six HTTP connections).
    expect(sockets.some((u) => u.startsWith('/api/v1/nodes?') && u.includes('watch=1'))).toBe(true);
  });

  it('shows the pods of a new Deployment live with kubectl columns until Running', async () => {
    serve.ok(['create', 'namespace', 'shop']);
    serve.ok(['create', 'namespace', 'lab']);
    await setNamespace('shop');
    await openKind('pods');
    await page.locator('[data-testid="list-empty"]').waitFor();
    expect(serve.ok(['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=3', '-n', 'shop'])).toContain('deployment.apps/web created');
    await until('3 web pods listed', async () => (await rowNames()).filter((n) => n.startsWith('web-')).length === 3);
    expect(await headers()).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    await until('3 pods Running', async () => {
      const cells = await page.locator('[data-testid="resource-row"] [data-column="STATUS"]').allTextContents();
      return cells.length === 3 && cells.every((c) => c.trim() === 'Running');
    });
    const names = await rowNames();
    // The same pods kubectl lists, READY as kubectl prints it.
    const kubectlRows = table(serve.ok(['get', 'pods', '-n', 'shop', '--no-headers']));
    expect(names.sort()).toEqual(kubectlRows.map((r) => r[0]).sort());
    for (const r of kubectlRows) expect(await cell(r[0], 'READY').textContent()).toBe(r[1]);
    expect(await cell(names[0], 'STATUS').locator('.status--ok').count()).toBe(1);
    await screenshot(page, 'ui-pods-list');
  });

  it('filters by the namespace switcher (NAMESPACE column with all namespaces)', async () => {
    let t = Date.now();
    serve.ok(['run', 'tool', '--image=nginx:1.25', '-n', 'lab', '--labels=app=tool']);
    console.log(`kubectl run: ${Date.now() - t} ms`);
    t = Date.now();
    await setNamespace('lab');
    await page.locator('[data-testid="resource-row"][data-name="tool"]').waitFor();
    console.log(`tool row: ${Date.now() - t} ms`);
    expect(await rowNames()).toEqual(['tool']);
    await setNamespace('');
    await page.locator('[data-testid="resource-row"][data-name="tool"][data-namespace="lab"]').waitFor();
    expect((await headers())[0]).toBe('NAMESPACE');
    const all = await rowNames();
    expect(all).toContain('tool');
    expect(all.filter((n) => n.startsWith('web-'))).toHaveLength(3);
    await setNamespace('shop');
    await page.locator('[data-testid="resource-row"][data-name="tool"]').waitFor({ state: 'detached' });
    expect((await headers())[0]).toBe('NAME');
  });

  it('sends label selectors to the server and shows its message for an invalid one', async () => {
    await setNamespace('');
    await setLabelSelector('app=tool');
    await until('only tool listed', async () => (await rowNames()).join() === 'tool');
    await setLabelSelector('app in (web');
    const err = page.locator('[data-testid="list-error"]');
    await err.waitFor();
    // The same message the API server answers for that selector.
    const expected = await page.evaluate(async () => {
      const r = await fetch(`/api/v1/pods?labelSelector=${encodeURIComponent('app in (web')}`, { headers: { accept: 'application/json' } });
      return { status: r.status, message: ((await r.json()) as { message: string }).message };
    });
    expect(expected.status).toBe(400);
    expect((await err.textContent())?.trim()).toBe(expected.message);
    await screenshot(page, 'ui-invalid-selector');
    await setLabelSelector('app=web');
    await until('3 rows', async () => (await rowNames()).length === 3);
    expect((await rowNames()).every((n) => n.startsWith('web-'))).toBe(true);
    await setLabelSelector('');
  });

  it('sorts by any column', async () => {
    await setNamespace('lab');
    for (const n of ['b-2', 'b-10', 'b-1']) serve.ok(['run', n, '--image=nginx:1.25', '-n', 'lab']);
    await until('4 rows', async () => (await rowNames()).length === 4);
    expect(await rowNames()).toEqual(['b-1', 'b-2', 'b-10', 'tool']);
    await page.locator('[data-testid="column-header"][data-column="NAME"]').click();
    expect(await rowNames()).toEqual(['tool', 'b-10', 'b-2', 'b-1']);
    // AGE: the newest first, by creationTimestamp (b-1 was created last, tool first).
    await page.locator('[data-testid="column-header"][data-column="AGE"]').click();
    const byAge = await rowNames();
    expect(byAge[byAge.length - 1]).toBe('tool');
    await page.locator('[data-testid="column-header"][data-column="AGE"]').click();
    expect((await rowNames())[0]).toBe('tool');
  });

  it('deletes the selected pods after confirmation', async () => {
    await page.locator('[data-testid="resource-row"][data-name="b-1"] [data-testid="row-select"]').check();
    await page.locator('[data-testid="resource-row"][data-name="b-10"] [data-testid="row-select"]').check();
    await page.locator('[data-testid="delete-selected"]').click();
    const dialog = page.locator('[data-testid="confirm-dialog"]');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('lab/b-10');
    await page.locator('[data-testid="confirm-ok"]').click();
    await until('b-1 and b-10 gone', async () => !(await rowNames()).some((n) => n === 'b-1' || n === 'b-10'), 60_000);
    expect(await page.locator('[data-testid="delete-errors"]').count()).toBe(0);
    const left = table(serve.ok(['get', 'pods', '-n', 'lab', '--no-headers'])).map((r) => r[0]);
    expect(left).not.toContain('b-1');
    expect(left).not.toContain('b-10');
    expect(left).toContain('b-2');
  });

  it('opens the details of a pod: metadata, labels, conditions, events, YAML', async () => {
    await setNamespace('shop');
    await page.locator('[data-testid="resource-row"][data-name^="web-"] [data-testid="row-link"]').first().click();
    await page.locator('[data-testid="details-metadata"]').waitFor();
    const name = (await page.locator('[data-testid="details-name"]').textContent()) ?? '';
    expect(name).toMatch(/^web-/);
    expect(await page.locator('[data-testid="label-chip"]').allTextContents()).toContain('app=web');
    await page.locator('[data-testid="conditions"] tr', { hasText: 'Ready' }).first().waitFor();
    expect(await page.locator('[data-testid="yaml"]').textContent()).toContain(`name: ${name}`);
    await page.locator('[data-testid="event-row"]', { hasText: 'Scheduled' }).waitFor();
    expect(await page.locator('[data-testid="owner-link"]').textContent()).toMatch(/^ReplicaSet\/web-/);
    // The pod's logs and terminal (routes-streams.ts) are one click away.
    expect(await page.locator('[data-testid="action-logs"]').getAttribute('href')).toBe(`#/logs/shop/pod/${name}`);
    expect(await page.locator('[data-testid="action-exec"]').getAttribute('href')).toBe(`#/exec/shop/${name}`);
    await screenshot(page, 'ui-details');
  });

  it('shows the overview: nodes with capacity, workload health, warnings', async () => {
    serve.ok(['run', 'broken', '--image=no-such-registry.invalid/nothing:1', '-n', 'lab']);
    await page.locator('[data-testid="nav-overview"]').click();
    await page.locator('[data-testid="node-row"][data-name="kubesim-worker"]').waitFor();
    expect(await page.locator('[data-testid="node-row"]').count()).toBe(3);
    expect(await page.locator('[data-testid="node-row"][data-name="kubesim-worker"] [data-testid="node-cpu"]').textContent()).toMatch(/\/ \d/);
    const deployments = table(serve.ok(['get', 'deployments', '-A', '--no-headers'])).length;
    expect(deployments).toBeGreaterThanOrEqual(1);
    await page.locator('[data-testid="deployments-available"]', { hasText: `${deployments} / ${deployments}` }).waitFor();
    await until('5 pods running', async () => Number(((await page.locator('[data-testid="pods-running"]').textContent()) ?? '').split(' ')[0]) >= 5);
    await page.locator('[data-testid="warning-event"]', { hasText: 'broken' }).first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'ui-overview');
  });

  it('switches to the dark theme and remembers it', async () => {
    const toggle = page.locator('[data-testid="theme-toggle"]');
    const before = await page.locator('html').getAttribute('data-theme');
    expect(before).toBe('light'); // headless Chromium prefers light
    await toggle.click();
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    const bg = await page.locator('body').evaluate((b) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(b).backgroundColor);
    expect(bg).toBe('rgb(15, 20, 29)');
    await screenshot(page, 'ui-overview-dark');
    await page.reload();
    await page.locator('[data-testid="node-row"]').first().waitFor();
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    await setNamespace('shop');
    await openKind('pods');
    await screenshot(page, 'ui-pods-list-dark');
    await toggle.click();
    expect(await page.locator('html').getAttribute('data-theme')).toBe('light');
  });

  it('opens every kind of the sidebar: rows or the empty state, never an error', async () => {
    await setNamespace('');
    await page.locator('[data-testid="nav-more"]').click();
    const kinds = await page.locator('[data-testid="nav-item"]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-group') ?? '', e.getAttribute('data-resource') ?? '']));
    expect(kinds.length).toBeGreaterThan(25);
    for (const [group, resource] of kinds) {
      await page.locator(`[data-testid="nav-item"][data-resource="${resource}"][data-group="${group}"]`).click();
      const view = page.locator(`[data-testid="resource-list"][data-resource="${resource}"]`);
      await view.locator('[data-testid="resource-row"], [data-testid="list-empty"], [data-testid="list-error"]').first().waitFor();
      expect(await view.locator('[data-testid="list-error"]').count(), `${group}/${resource}`).toBe(0);
      if (await view.locator('[data-testid="resource-row"]').count()) expect((await headers()).length, `${group}/${resource} columns`).toBeGreaterThan(0);
      if (resource === 'events') {
        expect((await headers()).slice(0, 3)).toEqual(['NAMESPACE', 'LAST SEEN', 'TYPE']);
        await screenshot(page, 'ui-events');
      }
    }
    // Events link to their details from their first column.
    await page.locator('[data-testid="nav-item"][data-resource="events"][data-group=""]').click();
    await page.locator('[data-testid="resource-row"] [data-testid="row-link"]').first().click();
    await page.locator('[data-testid="details-metadata"]').waitFor();
    expect(await page.locator('[data-testid="yaml"]').textContent()).toContain('kind: Event');
  });

  it('renders 10 000 pods virtualized: rows visible, few in the DOM, scrolls to the end', async () => {
    await createPods(serve, 'bulk', BULK);
    await setNamespace('bulk');
    const t0 = Date.now();
    await openKind('pods');
    await page.locator('[data-testid="resource-row"][data-name="p-00000"]').waitFor();
    const ms = Date.now() - t0;
    console.log(`10 000 pods: first rows after ${ms} ms`);
    // Listed in chunks (first rows at once); the count is final when the last chunk is in.
    await page.locator('[data-testid="resource-list"][data-complete="true"]').waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-testid="row-count"]').textContent()).toBe(String(BULK));
    const inDom = await page.locator('[data-testid="resource-row"]').count();
    expect(inDom).toBeGreaterThan(5);
    expect(inDom).toBeLessThan(100);
    expect(await cell('p-00000', 'STATUS').textContent()).toBe('Pending');
    await page.locator('[data-testid="resource-table"]').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.locator('[data-testid="resource-row"][data-name="p-09999"]').waitFor();
    expect(await page.locator('[data-testid="resource-row"]').count()).toBeLessThan(100);
    await page.locator('[data-testid="page-title"]').click();
    await page.keyboard.press('/');
    await page.keyboard.type('p-0424');
    expect(await page.locator('[data-testid="search"]').inputValue()).toBe('p-0424');
    await until('10 rows match', async () => (await rowNames()).length === 10);
    await screenshot(page, 'ui-pods-10k');
  }, 180_000);

  it('ran without Content-Security-Policy violations or script errors', () => {
    expect(problems).toEqual([]);
  });
});
