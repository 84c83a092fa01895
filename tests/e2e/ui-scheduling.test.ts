/**
 * "Why Pending / why here" and the metrics charts against a real `kubesim serve --fast` in headless
 * Chromium: a pod requesting more CPU than any node is explained per node (Insufficient cpu on the
 * workers, the control plane's taint), a nodeSelector that matches no node names the missing label
 * and the panel follows live when a node gets it, a scheduled pod shows its node and the score
 * table, a garbled decision annotation falls back to the PodScheduled condition, the Pending pods
 * page; the Metrics page agrees with `kubectl top nodes` and its charts gain points as it polls,
 * a node's and a pod's details show their usage charts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { Serve, table } from '../kubectl/harness';
import { ensureRendererBuilt, launchBrowser, screenshot } from './browser';

describe('scheduling explanations and metrics charts', () => {
  const serve = new Serve();
  let browser: Browser;
  let page: Page;
  let nodes: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    ensureRendererBuilt();
    await serve.start();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    page.on('console', (m) => {
      // A pod's metrics answer 404 until metrics-server has two scrapes of it (as kubectl top says "not available yet").
      if (m.type() === 'error' && !/status of 404/.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    nodes = table(serve.ok(['get', 'nodes', '--no-headers'])).map((r) => r[0]).sort();
    expect(nodes.length).toBe(3);
    await page.goto(serve.uiUrl);
    // Poll the metrics API every second (the default is 5 s) so the test waits less for new samples.
    await page.evaluate("localStorage.setItem('kubesim.metrics.pollMs', '1000')");
    await page.reload();
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor();
  }, 240_000); // the renderer build and the cluster start take long on a loaded machine
  afterAll(async () => {
    await browser?.close();
    await serve.stop();
    serve.cleanup();
  });

  const until = async (what: string, check: () => Promise<boolean>, ms = 30_000) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`timed out waiting for ${what}`);
  };
  // In-app navigation (no reload: the renderer's metrics history survives it, as when the user clicks).
  const open = async (hashPath: string) => {
    await page.evaluate(`location.hash = ${JSON.stringify(hashPath)}`);
  };
  const panel = () => page.locator('[data-testid="scheduling-panel"]');
  const headline = async () => (await page.locator('[data-testid="scheduling-headline"]').textContent())?.trim() ?? '';
  const verdicts = () =>
    page.locator('[data-testid="verdict-row"]').evaluateAll((els) => els.map((e) => ({ node: e.getAttribute('data-node'), plugin: e.getAttribute('data-plugin'), text: e.textContent ?? '' })));
  /** A screenshot with `testid` scrolled to the top of the main area (the shell scrolls inside it). */
  const shot = async (name: string, testid?: string) => {
    if (testid) await page.locator(`[data-testid="${testid}"]`).first().evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page, name);
  };
  const run = (name: string, overrides: object) => serve.ok(['run', name, '--image=nginx:1.25', `--overrides=${JSON.stringify({ apiVersion: 'v1', spec: overrides })}`]);

  it('explains a pod that requests more CPU than any node, node by node', async () => {
    run('huge', { containers: [{ name: 'huge', image: 'nginx:1.25', resources: { requests: { cpu: '64' } } }] });
    await open('/r/core/v1/pods/default/huge');
    await page.locator('[data-testid="scheduling-panel"][data-state="pending"][data-source="annotation"]').waitFor();
    const h = await headline();
    expect(h).toMatch(/^No node can run this pod: 2 nodes have too little CPU, 1 node has a taint the pod does not tolerate/);
    // Every node has its verdict: the workers Insufficient cpu (NodeResourcesFit), the control plane its taint.
    const rows = await verdicts();
    expect(rows.map((r) => r.node).sort()).toEqual(nodes);
    for (const r of rows) {
      if (r.node === 'kubesim-control-plane') expect(r.plugin).toBe('TaintToleration');
      else {
        expect(r.plugin).toBe('NodeResourcesFit');
        expect(r.text).toContain('Insufficient cpu');
      }
    }
    const cpu = page.locator('[data-testid="scheduling-group"][data-kind="insufficient"]');
    expect(await cpu.textContent()).toContain('The pod requests 64 CPU, but the largest node has only 4 CPU allocatable');
    const taint = page.locator('[data-testid="scheduling-group"][data-kind="taint"]');
    expect(await taint.textContent()).toContain('key: "node-role.kubernetes.io/control-plane"');
    expect(await page.locator('[data-testid="scheduling-preemption"]').textContent()).toContain('no lower-priority pods to evict');
    // The same text the scheduler put in the PodScheduled condition is one click away.
    const cond = serve.ok(['get', 'pod', 'huge', '-o', 'jsonpath={.status.conditions[?(@.type=="PodScheduled")].message}']);
    expect(await panel().locator('details pre').textContent()).toBe(cond);
    await shot('scheduling-pending-why', 'scheduling-panel');
  });

  it('falls back to the PodScheduled condition when the annotation is garbled', async () => {
    serve.ok(['annotate', 'pod', 'huge', '--overwrite', 'scheduler.kubesim.io/decision={not json']);
    await page.locator('[data-testid="scheduling-panel"][data-source="condition"]').waitFor();
    expect(await page.locator('[data-testid="scheduling-source-note"]').textContent()).toMatch(/annotation could not be read \(not JSON/);
    expect(await headline()).toMatch(/^No node can run this pod: 2 nodes have too little CPU/);
    expect(await page.locator('[data-testid="verdict-row"]').count()).toBe(0);
  });

  it('names the missing label of a nodeSelector, and follows the pod once a node has it', async () => {
    run('picky', { nodeSelector: { disktype: 'ssd' } });
    await open('/r/core/v1/pods/default/picky');
    await page.locator('[data-testid="scheduling-panel"][data-state="pending"]').waitFor();
    expect(await headline()).toContain("2 nodes don't match the pod's node selector/affinity");
    const rows = await verdicts();
    expect(rows.map((r) => r.node).sort()).toEqual(nodes);
    expect(rows.filter((r) => r.plugin === 'NodeAffinity').map((r) => r.node).sort()).toEqual(['kubesim-worker', 'kubesim-worker2']);
    const group = page.locator('[data-testid="scheduling-group"][data-kind="node-affinity"]');
    const text = await group.textContent();
    expect(text).toContain('kubesim-worker has no label disktype (nodeSelector wants disktype=ssd)');
    expect(text).toContain('kubectl label nodes kubesim-worker disktype=ssd');
    // Doing what the panel says schedules the pod; the panel turns into "why here".
    serve.ok(['label', 'nodes', 'kubesim-worker', 'disktype=ssd']);
    await page.locator('[data-testid="scheduling-panel"][data-state="scheduled"]').waitFor({ timeout: 30_000 });
    expect(await headline()).toBe('Scheduled on kubesim-worker: the only node that passed every filter.');
  });

  it('tells how much CPU each full node has left', async () => {
    const cpu = (n: string) => run(n, { containers: [{ name: n, image: 'nginx:1.25', resources: { requests: { cpu: '3' } } }] });
    cpu('hog-1');
    cpu('hog-2');
    await until('both hogs bound', async () => table(serve.ok(['get', 'pods', 'hog-1', 'hog-2', '--no-headers', '-o', 'custom-columns=N:.spec.nodeName'])).every((r) => r[0] !== '<none>'));
    cpu('hog-3');
    await open('/r/core/v1/pods/default/hog-3');
    const group = page.locator('[data-testid="scheduling-group"][data-kind="insufficient"]');
    await group.waitFor();
    // What kubectl describe node calls "Allocated resources", per rejected worker.
    await until('free CPU per node', async () => ((await group.textContent()) ?? '').match(/kubesim-worker2?: [\d.]+ CPU of 4 CPU already requested, [\d.]+m? CPU free\./g)?.length === 2);
    serve.ok(['delete', 'pod', 'hog-1', 'hog-2', 'hog-3', '--grace-period=0', '--force']);
  });

  it('lists the Pending pods with why each waits', async () => {
    await open('/scheduling/pending');
    const row = page.locator('[data-testid="pending-row"][data-name="huge"]');
    await row.waitFor();
    expect(await row.locator('[data-testid="pending-why"]').textContent()).toContain('2 nodes have too little CPU');
    await page.locator('[data-testid="pending-row"][data-name="picky"]').waitFor({ state: 'detached' });
  });

  it('shows why a scheduled pod runs where it runs, with the scores', async () => {
    serve.ok(['run', 'plain', '--image=nginx:1.25']);
    let node = '';
    await until('plain bound', async () => (node = serve.ok(['get', 'pod', 'plain', '-o', 'jsonpath={.spec.nodeName}']).trim()) !== '');
    await open('/r/core/v1/pods/default/plain');
    await page.locator('[data-testid="scheduling-panel"][data-state="scheduled"]').waitFor();
    expect(await headline()).toBe(`Scheduled on ${node}: the best score of 2 nodes that passed every filter (of 3).`);
    const scores = await page.locator('[data-testid="score-row"]').evaluateAll((els) => els.map((e) => ({ node: e.getAttribute('data-node'), chosen: (e.textContent ?? '').includes('chosen') })));
    expect(scores.map((s) => s.node).sort()).toEqual(['kubesim-worker', 'kubesim-worker2']);
    expect(scores[0]).toEqual({ node, chosen: true });
    expect(await page.locator('[data-testid="scheduling-decided-by"]').textContent()).toMatch(new RegExp(`^${node} beat kubesim-worker2? by \\d+ points, mostly on \\w+|scored the same`));
    // The control plane could not take it: its verdict is listed.
    expect((await verdicts()).map((r) => r.node)).toEqual(['kubesim-control-plane']);
    await shot('scheduling-scheduled-why-here', 'scheduling-panel');
  });

  it('shows kubectl top nodes figures and charts that grow on the Metrics page', async () => {
    await page.locator('[data-testid="nav-workbench"][data-nav="metrics"]').click();
    await page.locator('[data-testid="metrics-page"]').waitFor();
    const uiTop = () =>
      page.locator('[data-testid="top-node-row"]').evaluateAll((els) =>
        els.map((e) => [e.getAttribute('data-name') ?? '', ...['CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)'].map((c) => e.querySelector(`[data-column="${c}"]`)?.textContent?.trim() ?? '')]),
      );
    // The same figures kubectl top prints (both read the same scrape between two of metrics-server's 15 s ticks).
    let last: string[][] = [];
    await until('the UI to agree with kubectl top nodes', async () => {
      // Right after start kubectl says "metrics not available yet" (metrics-server needs two scrapes).
      const r = serve.kubectl(['top', 'nodes', '--no-headers']);
      if (r.code !== 0) return false;
      const kubectl = table(r.stdout).sort((a, b) => a[0].localeCompare(b[0]));
      last = await uiTop();
      return JSON.stringify(last) === JSON.stringify(kubectl);
    }, 60_000);
    expect(last.map((r) => r[0])).toEqual(nodes);
    for (const r of last) {
      expect(r[1]).toMatch(/^\d+m$/);
      expect(r[3]).toMatch(/^\d+Mi$/);
    }
    const cpuChart = page.locator('[data-testid="metrics-nodes-cpu"] [data-testid="time-chart"]');
    await until('two samples in the chart', async () => Number(await cpuChart.getAttribute('data-points')) >= 2, 45_000);
    expect(await page.locator('[data-testid="top-node-row"] [data-testid="sparkline"]').first().getAttribute('data-points')).not.toBe('0');
    // Hovering reads every node's value at that time.
    const box = (await cpuChart.boundingBox())!;
    await page.mouse.move(box.x + box.width - 30, box.y + box.height / 2);
    const readout = page.locator('[data-testid="chart-readout"]');
    await readout.waitFor();
    const rt = (await readout.textContent()) ?? '';
    for (const n of nodes) expect(rt).toContain(n);
    expect(rt).toMatch(/\d+(\.\d)?m/);
    // Pods as kubectl top pods lists them (the namespace switcher is on all namespaces).
    await page.locator('[data-testid="top-pod-row"][data-namespace="kube-system"]').first().waitFor({ timeout: 45_000 });
    await screenshot(page, 'metrics-page');
    await page.mouse.move(0, 0);
    await page.locator('[data-testid="theme-toggle"]').click();
    await screenshot(page, 'metrics-page-dark');
    await page.locator('[data-testid="theme-toggle"]').click();
  });

  it("charts a node's usage against its allocatable and a pod's per container", async () => {
    await open('/r/core/v1/nodes/kubesim-worker');
    const panel = page.locator('[data-testid="node-metrics"]');
    await panel.waitFor();
    // The history kept while the Metrics page was open is still there.
    expect(Number(await panel.locator('[data-testid="time-chart"]').first().getAttribute('data-points'))).toBeGreaterThanOrEqual(2);
    expect(await panel.locator('[data-testid="node-cpu-now"]').textContent()).toMatch(/CPU\s*\d+m\s*\d+% of 4000m/);
    // Fitted to the usage (the default), allocatable is named above the chart instead of flattening it …
    expect(await panel.locator('[data-testid="chart-marker"][data-kind="allocatable"]').count()).toBe(0);
    expect(await panel.locator('[data-testid="chart-offscale"]').first().textContent()).toContain('allocatable 4000m');
    expect(await panel.locator('[data-testid="chart-marker"][data-kind="request"]').count()).toBeGreaterThanOrEqual(1);
    await shot('metrics-node-metrics', 'node-metrics');
    // … and drawn as a line on both charts with "All lines".
    await panel.locator('[data-testid="scale-all"]').click();
    expect(await panel.locator('[data-testid="chart-marker"][data-kind="allocatable"]').count()).toBe(2);

    serve.ok(['run', 'measured', '--image=nginx:1.25', `--overrides=${JSON.stringify({ apiVersion: 'v1', spec: { containers: [{ name: 'web', image: 'nginx:1.25', resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } } }] } })}`]);
    await until('measured Running', async () => serve.ok(['get', 'pod', 'measured', '-o', 'jsonpath={.status.phase}']) === 'Running');
    await open('/r/core/v1/pods/default/measured');
    const pod = page.locator('[data-testid="pod-metrics"]');
    await pod.locator('[data-testid="container-metrics"][data-container="web"]').waitFor();
    // (the "All lines" scale chosen above holds for the session)
    expect(await pod.locator('[data-testid="chart-marker"]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-kind')}:${e.textContent?.trim()}`))).toEqual(['request:request 100m', 'limit:limit 500m', 'request:request 64Mi', 'limit:limit 128Mi']);
    // metrics-server serves the pod after two scrapes (15–30 s).
    await pod.locator('[data-testid="pod-metrics-total"]').waitFor({ timeout: 45_000 });
    expect(await pod.locator('[data-testid="pod-metrics-total"]').textContent()).toMatch(/^\d+m · \d+Mi$/);
    expect(problems).toEqual([]);
  });
});
