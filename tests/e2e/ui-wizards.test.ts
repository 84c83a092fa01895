/**
 * The wizards and guided tutorials against a real `kubesim serve --fast` in headless Chromium:
 * a Deployment created through the Create Deployment wizard (nginx, 2 replicas, port 80, an env
 * var, a readiness probe; a dry run first) whose pods reach Running on its details page and that
 * kubectl reads back with the env and probe; an invalid name stopped inline with nothing sent;
 * the Expose wizard making a LoadBalancer Service whose shown 127.0.0.1 URL serves nginx's page;
 * a tutorial whose first steps, done with kubectl, tick off live, survive a reload, and reset.
 * Screenshots: wizard-deployment, wizard-expose, tutorials-list, tutorial-steps (dark).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import net from 'node:net';
import type { Browser, Page, Request } from 'playwright-core';
import { Serve, table } from '../kubectl/harness';
import { ensureRendererBuilt, launchBrowser, screenshot } from './browser';

/** A TCP port free on 127.0.0.1 right now (for the LoadBalancer, so 8080 in use elsewhere does not matter). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`GET ${url} timed out`)));
  });
}

describe('wizards and tutorials on a real cluster', () => {
  const serve = new Serve();
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  /** Writes the page sent (method, path and query). */
  const writes: string[] = [];

  beforeAll(async () => {
    ensureRendererBuilt();
    await serve.start();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    page.on('console', (m) => {
      // The refused dry run (422) and create (409) the tests provoke are logged by Chromium as failed resources.
      if (m.type() === 'error' && !/status of (409|422)/.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('request', (r: Request) => {
      if (r.method() !== 'GET') {
        const u = new URL(r.url());
        writes.push(`${r.method()} ${u.pathname}${u.search}`);
      }
    });
  }, 120_000);
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
  /** A screenshot of the whole page: the window made as tall as the scrolled content first. */
  const shot = async (name: string) => {
    const h = await page.locator('[data-testid="main"]').evaluate((e) => e.scrollHeight + 52);
    await page.setViewportSize({ width: 1366, height: Math.max(900, Math.min(h, 2400)) });
    await screenshot(page, name);
    await page.setViewportSize({ width: 1366, height: 900 });
  };
  const tid = (id: string) => page.locator(`[data-testid="${id}"]`);
  const fieldError = (field: string) => page.locator(`[data-testid="field-error"][data-field="${field}"]`);

  it('opens the wizard from the Deployments list; an invalid name is an inline error and nothing is sent', async () => {
    await page.goto(serve.uiUrl);
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor();
    await page.locator('[data-testid="namespace-switcher"]').selectOption('default');
    await page.locator('[data-testid="nav-item"][data-resource="deployments"]').first().click();
    await tid('list-create-deployment').click();
    await tid('wizard-deployment').waitFor();
    await tid('wizard-name').fill('Web_App');
    await expect.poll(() => fieldError('name').textContent()).toMatch(/^a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'/);
    await page.locator('[data-testid="catalog-image"][data-image="nginx:1.25"]').click();
    const before = writes.length;
    await tid('wizard-create').click();
    await page.waitForTimeout(500);
    expect(writes.slice(before)).toEqual([]);
    expect(page.url()).toMatch(/#\/create\/deployment/);
    expect(await fieldError('name').isVisible()).toBe(true);
    expect(await tid('wizard-blocked').textContent()).toBe('Fix the fields marked in red — nothing was sent.');
    // The cursor is put in the bad field.
    expect(await tid('wizard-name').evaluate((el) => el.ownerDocument.activeElement === el)).toBe(true);
    await tid('theme-toggle').click();
    await until('dark theme', async () => (await page.locator('html').getAttribute('data-theme')) === 'dark');
    await shot('wizard-deployment-invalid');
    await tid('theme-toggle').click();
    // The cluster has no such Deployment.
    expect(serve.ok(['get', 'deployments', '-o', 'name'])).toBe('');
  });

  it('creates nginx ×2 with port 80, an env var and a readiness probe; its pods reach Running on its page', async () => {
    await tid('wizard-name').fill('web');
    await expect.poll(() => fieldError('name').count()).toBe(0);
    await tid('wizard-replicas').fill('2');
    // A mistake only the API server knows: its dry run answers Invalid, the cause lands on its field.
    await tid('wizard-resources').click();
    await tid('wizard-req-mem').fill('2Gi');
    await tid('wizard-lim-mem').fill('1Gi');
    const sent = writes.length;
    await tid('wizard-create').click();
    await expect.poll(() => fieldError('resources.requestsMemory').textContent()).toBe('Invalid value: "2Gi": must be less than or equal to memory limit of 1Gi');
    expect(writes.slice(sent)).toEqual(['POST /apis/apps/v1/namespaces/default/deployments?dryRun=All&fieldManager=kubesim-ui']);
    expect(page.url()).toMatch(/#\/create\/deployment/);
    await tid('wizard-req-mem').fill('');
    await tid('wizard-lim-mem').fill('');
    await expect.poll(() => fieldError('resources.requestsMemory').count()).toBe(0);
    // The catalog pick filled the image's port.
    expect(await tid('wizard-port').inputValue()).toBe('80');
    await tid('env-add').click();
    await tid('env-name').fill('GREETING');
    await tid('env-value').fill('hello from the wizard');
    await tid('probe-readiness-http').click();
    await tid('probe-readiness-path').fill('/');
    await tid('probe-readiness-period').fill('2');
    const preview = await tid('yaml-preview').textContent();
    expect(preview).toContain('readinessProbe:');
    expect(preview).toContain('value: hello from the wizard');
    expect(await tid('wizard-kubectl').textContent()).toBe('kubectl create deployment web --image=nginx:1.25 --replicas=2 --port=80');
    await shot('wizard-deployment');

    const before = writes.length;
    await tid('wizard-create').click();
    await page.waitForURL(/#\/r\/apps\/v1\/deployments\/default\/web$/);
    // A dry run first, then the create.
    expect(writes.slice(before)).toEqual(['POST /apis/apps/v1/namespaces/default/deployments?dryRun=All&fieldManager=kubesim-ui', 'POST /apis/apps/v1/namespaces/default/deployments?fieldManager=kubesim-ui']);
    await tid('workload-pods').waitFor();
    await until('2 pods Running in the UI', async () => {
      const st = await page.locator('[data-testid="workload-pod"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
      return st.length === 2 && st.every((s) => s === 'Running');
    });
    await shot('wizard-deployment-created');
    const uiPods = (await page.locator('[data-testid="workload-pod"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-name') ?? ''))).sort();
    expect(uiPods).toEqual(table(serve.ok(['get', 'pods', '-l', 'app=web', '--no-headers'])).map((r) => r[0]).sort());

    // kubectl agrees: READY 2/2 once the readiness probe passed, env and probe in the object.
    await until('kubectl READY 2/2', () => table(serve.ok(['get', 'deploy', 'web', '--no-headers']))[0]?.[1] === '2/2');
    const d = JSON.parse(serve.ok(['get', 'deploy', 'web', '-o', 'json']));
    expect(d.spec.replicas).toBe(2);
    expect(d.spec.selector).toEqual({ matchLabels: { app: 'web' } });
    const c = d.spec.template.spec.containers[0];
    expect(c.name).toBe('nginx');
    expect(c.image).toBe('nginx:1.25');
    expect(c.ports).toEqual([{ containerPort: 80, protocol: 'TCP' }]);
    expect(c.env).toEqual([{ name: 'GREETING', value: 'hello from the wizard' }]);
    expect(c.readinessProbe).toMatchObject({ httpGet: { path: '/', port: 80 }, periodSeconds: 2 });
    expect(c.livenessProbe).toBeUndefined();
  });

  it('a second create with the same name shows the server\'s AlreadyExists on the name field', async () => {
    await page.goto(`${new URL(serve.uiUrl).origin}/#/create/deployment?name=web&image=nginx:1.25&namespace=default`);
    await tid('wizard-deployment').waitFor();
    const before = writes.length;
    await tid('wizard-create').click();
    await expect.poll(() => fieldError('name').textContent()).toBe('deployments.apps "web" already exists');
    // The dry run went first. (Upstream refuses it already with 409; kubesim's dry-run create does
    // not look for an existing object yet, so the real create is the one refused here.)
    expect(writes[before]).toBe('POST /apis/apps/v1/namespaces/default/deployments?dryRun=All&fieldManager=kubesim-ui');
    expect(serve.ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])).toBe('2');
  });

  it('exposes it as a LoadBalancer from its page and the shown 127.0.0.1 URL serves nginx', async () => {
    await page.goto(`${new URL(serve.uiUrl).origin}/#/r/apps/v1/deployments/default/web`);
    await tid('action-expose').click();
    await tid('wizard-expose').waitFor();
    expect(await tid('expose-name').inputValue()).toBe('web');
    expect(await tid('expose-target-port').inputValue()).toBe('80');
    const port = await freePort();
    await page.locator('[data-testid="expose-type"][data-type="LoadBalancer"]').click();
    await tid('expose-port').fill(String(port));
    expect(await tid('wizard-kubectl').textContent()).toBe(`kubectl expose deployment web --type=LoadBalancer --port=${port} --target-port=80`);
    await shot('wizard-expose');
    await tid('expose-create').click();
    await tid('expose-result').waitFor();
    const lb = page.locator('[data-testid="service-url"][data-via="LoadBalancer"]');
    await lb.waitFor({ timeout: 30_000 });
    const url = (await lb.textContent())!.trim();
    expect(url).toBe(`http://127.0.0.1:${port}`);
    await shot('wizard-expose-result');
    const r = await httpGet(url);
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>Welcome to nginx!</title>');
    // The node port URL shown is the one kubectl reports, and answers too.
    const svc = JSON.parse(serve.ok(['get', 'svc', 'web', '-o', 'json']));
    expect(svc.spec.type).toBe('LoadBalancer');
    expect(svc.spec.selector).toEqual({ app: 'web' });
    expect(svc.spec.ports[0]).toMatchObject({ port, targetPort: 80, protocol: 'TCP' });
    expect(svc.metadata.labels).toEqual({ app: 'web' });
    const nodeUrl = (await page.locator('[data-testid="service-url"][data-via="NodePort"]').textContent())!.trim();
    expect(nodeUrl).toBe(`http://127.0.0.1:${svc.spec.ports[0].nodePort}`);
    expect((await httpGet(nodeUrl)).body).toContain('Welcome to nginx!');
  });

  it('lists the tutorials; the first one ticks its steps off as kubectl does them, keeps them over a reload, and resets', async () => {
    await page.locator('[data-testid="nav-workbench"][data-nav="tutorials"]').click();
    await tid('tutorials').waitFor();
    expect(await page.locator('[data-testid="tutorial-card"]').count()).toBe(5);
    await shot('tutorials-list');
    await page.locator('[data-testid="tutorial-card"][data-id="first-app"]').click();
    await tid('tutorial').waitFor();
    const step = (id: string) => page.locator(`[data-testid="tutorial-step"][data-step="${id}"]`);
    const doneSteps = () => page.locator('[data-testid="tutorial-step"][data-done="true"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-step')));
    expect(await step('create').locator('[data-testid="step-command"]').first().textContent()).toBe('kubectl create deployment kubia --image=luksa/kubia:1.0');
    expect(await doneSteps()).toEqual([]);

    expect(serve.ok(['create', 'deployment', 'kubia', '--image=luksa/kubia:1.0'])).toBe('deployment.apps/kubia created\n');
    await step('create').locator('xpath=self::*[@data-done="true"]').waitFor();
    // The deployment becomes 1/1 and its pod Running: both later steps tick, the manual one between does not.
    await until('get-deployments and get-pods ticked', async () => (await doneSteps()).join() === 'create,get-deployments,get-pods');
    expect(await step('get-containers').getAttribute('data-kind')).toBe('manual');
    await step('get-containers').locator('[data-testid="step-done"]').check();
    await until('manual step done', async () => (await doneSteps()).join() === 'create,get-deployments,get-containers,get-pods');
    expect(await tid('tutorial-count').textContent()).toBe('4 / 11 steps');

    await page.reload();
    await tid('tutorial').waitFor();
    expect(await doneSteps()).toEqual(['create', 'get-deployments', 'get-containers', 'get-pods']);

    await tid('theme-toggle').click();
    await until('dark theme', async () => (await page.locator('html').getAttribute('data-theme')) === 'dark');
    await shot('tutorial-steps');
    await tid('theme-toggle').click();

    await tid('tutorial-reset').click();
    await tid('confirm-ok').click();
    // The manual tick is gone; what the cluster still shows ticks off again.
    await until('reset', async () => (await doneSteps()).join() === 'create,get-deployments,get-pods');
    await page.locator('[data-testid="nav-workbench"][data-nav="tutorials"]').click();
    expect(await page.locator('[data-testid="tutorial-card"][data-id="first-app"] [data-testid="tutorial-card-count"]').textContent()).toBe('3 / 11');
  });

  it('applies a step\'s manifest from the tutorial (server-side apply) and ticks it, then the next one by kubectl', async () => {
    await page.locator('[data-testid="tutorial-card"][data-id="kubernetes-201"]').click();
    await tid('tutorial').waitFor();
    const step = (id: string) => page.locator(`[data-testid="tutorial-step"][data-step="${id}"]`);
    // Deleting by label cannot tick before the pod it deletes was there.
    expect(await step('delete-by-label').getAttribute('data-done')).toBe('false');
    await step('labelled-pod').locator('[data-testid="step-apply"]').click();
    await expect.poll(() => step('labelled-pod').locator('[data-testid="step-applied"]').textContent()).toBe('pod/nginx applied');
    await step('labelled-pod').locator('xpath=self::*[@data-done="true"]').waitFor({ timeout: 30_000 });
    expect(table(serve.ok(['get', 'pods', '-l', 'app=nginx', '--no-headers'])).map((r) => r[0])).toEqual(['nginx']);
    expect(await step('delete-by-label').getAttribute('data-done')).toBe('false');
    expect(serve.ok(['delete', 'pod', '-l', 'app=nginx'])).toBe('pod "nginx" deleted\n');
    await step('delete-by-label').locator('xpath=self::*[@data-done="true"]').waitFor({ timeout: 30_000 });
    expect(problems).toEqual([]);
  });
});
