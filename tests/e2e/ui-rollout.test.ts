/**
 * Rollouts from the UI against a real `kubesim serve --fast`, checked with real kubectl: scale a
 * Deployment, set a new image (recorded change-cause), see revision 2 in the history, diff
 * revisions 1 and 2 (the image lines differ), undo to revision 1 (kubectl reports the old image
 * and a new revision 3), pause/resume and restart; a StatefulSet's history from its
 * ControllerRevisions and an undo there. Screenshots: rollout-history, rollout-diff,
 * scale-dialog (dark).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Serve, eventually, table } from '../kubectl/harness';
import { ensureRendererBuilt, launchBrowser, screenshot } from './browser';

const STS = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: shop
spec:
  serviceName: db
  replicas: 1
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
`;

describe('rollout history and workload actions in the UI', () => {
  const serve = new Serve();
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let origin = '';
  const problems: string[] = [];

  beforeAll(async () => {
    ensureRendererBuilt();
    await serve.start();
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
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
    serve.ok(['create', 'namespace', 'shop']);
    serve.ok(['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=2', '-n', 'shop']);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await serve.stop();
    serve.cleanup();
  });

  const kubectl = (...args: string[]) => serve.ok([...args, '-n', 'shop']);
  const jsonpath = (obj: string, path: string) => kubectl('get', obj, '-o', `jsonpath={${path}}`);
  const status = () => page.locator('[data-testid="rollout-status"]');
  const row = (rev: number) => page.locator(`[data-testid="revision-row"][data-revision="${rev}"]`);
  const rowRevisions = () => page.locator('[data-testid="revision-row"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-revision'))));
  const currentRevision = async () => Number(await page.locator('[data-testid="revision-row"][data-current="true"]').getAttribute('data-revision'));
  /** kubectl rollout history as rows of [revision, change-cause]. */
  const history = (obj: string) => table(kubectl('rollout', 'history', obj)).slice(2);
  const rolledOut = async (name = 'web') => {
    await page.locator('[data-testid="rollout-status"]', { hasText: `deployment "${name}" successfully rolled out` }).waitFor({ timeout: 30_000 });
  };
  const openDetails = async (resource: string, name: string) => {
    await page.goto(`${origin}/#/r/apps/v1/${resource}/shop/${name}`);
    await page.locator('[data-testid="rollout-panel"]').waitFor();
  };

  it('shows kubectl rollout status and the first revision of a new Deployment', async () => {
    await openDetails('deployments', 'web');
    await rolledOut();
    expect((await status().textContent())?.trim()).toBe('deployment "web" successfully rolled out');
    await row(1).waitFor();
    expect(await rowRevisions()).toEqual([1]);
    expect(await currentRevision()).toBe(1);
    expect(await row(1).locator('[data-testid="revision-image"]').allTextContents()).toEqual(['nginx:1.25']);
    expect((await row(1).locator('[data-testid="revision-cause"]').textContent())?.trim()).toBe('<none>');
    // Scale and Set image apply to Deployments; pause too.
    await page.locator('[data-testid="action-scale"]').waitFor();
    await page.locator('[data-testid="action-set-image"]').waitFor();
    await page.locator('[data-testid="rollout-pause"]').waitFor();
  });

  it('scales through /scale: the dialog shows current and desired, kubectl agrees', async () => {
    await page.locator('[data-testid="action-scale"]').click();
    const dialog = page.locator('[data-testid="scale-dialog"]');
    await dialog.waitFor();
    await page.locator('[data-testid="scale-desired"]', { hasText: '2' }).waitFor();
    expect((await page.locator('[data-testid="scale-current"]').textContent())?.trim()).toBe('2');
    await page.locator('[data-testid="scale-replicas"]').fill('-1');
    await page.locator('[data-testid="confirm-ok"]').click();
    // Refused before sending: kubectl's complaint, nothing changed.
    await page.getByText('COUNT must be greater than or equal to 0').waitFor();
    expect(jsonpath('deploy/web', '.spec.replicas')).toBe('2');
    await page.locator('[data-testid="scale-replicas"]').fill('3');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'scale-dialog');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.locator('[data-testid="confirm-ok"]').click();
    await dialog.waitFor({ state: 'detached' });
    await eventually('kubectl to see 3 replicas', () => jsonpath('deploy/web', '.spec.replicas') === '3');
    await eventually('3 ready replicas', () => jsonpath('deploy/web', '.status.readyReplicas') === '3', 30_000);
    await page.locator('[data-testid="action-scale"]', { hasText: '3/3' }).waitFor();
    await rolledOut();
    // Scaling is not a new revision.
    expect(history('deploy/web').map((r) => r[0])).toEqual(['1']);
  });

  it('sets a new image with a recorded change-cause: revision 2, as kubectl rollout history lists it', async () => {
    await page.locator('[data-testid="action-set-image"]').click();
    await page.locator('[data-testid="set-image-dialog"]').waitFor();
    const input = page.locator('[data-testid="set-image-input"][data-container="nginx"]');
    expect(await input.inputValue()).toBe('nginx:1.25');
    await input.fill('nginx:1.26');
    expect(await page.locator('[data-testid="set-image-cause"]').inputValue()).toBe('kubectl set image deployment/web nginx=nginx:1.26');
    await screenshot(page, 'set-image-dialog');
    await page.locator('[data-testid="confirm-ok"]').click();
    await page.locator('[data-testid="set-image-dialog"]').waitFor({ state: 'detached' });
    expect(jsonpath('deploy/web', '.spec.template.spec.containers[0].image')).toBe('nginx:1.26');
    await row(2).waitFor();
    await page.locator('[data-testid="revision-row"][data-revision="2"][data-current="true"]').waitFor();
    expect(await rowRevisions()).toEqual([2, 1]);
    expect(await row(2).locator('[data-testid="revision-image"]').allTextContents()).toEqual(['nginx:1.26']);
    expect((await row(2).locator('[data-testid="revision-cause"]').textContent())?.trim()).toBe('kubectl set image deployment/web nginx=nginx:1.26');
    await rolledOut();
    expect(history('deploy/web')).toEqual([['1', '<none>'], ['2', 'kubectl set image deployment/web nginx=nginx:1.26']]);
  });

  it('diffs revisions 1 and 2: only the image lines differ', async () => {
    await row(1).locator('[data-testid="revision-pick"]').check();
    // One revision: its pod template (kubectl rollout history --revision=1), without the hash label.
    const yaml = (await page.locator('[data-testid="revision-template"][data-revision="1"] [data-testid="revision-template-yaml"]').textContent()) ?? '';
    expect(yaml).toContain('image: nginx:1.25');
    expect(yaml).not.toContain('pod-template-hash');
    await row(2).locator('[data-testid="revision-pick"]').check();
    expect(await page.locator('[data-testid="revision-template"]').count()).toBe(0);
    const diff = page.locator('[data-testid="rollout-diff"]');
    await diff.waitFor();
    expect(await diff.getAttribute('data-a')).toBe('1');
    expect(await diff.getAttribute('data-b')).toBe('2');
    expect((await page.locator('[data-testid="rollout-diff-count"]').textContent())?.trim()).toBe('2 changed lines');
    const editors = diff.locator('.cm-mergeViewEditor');
    await editors.nth(1).locator('.cm-changedLine').first().waitFor();
    const changed = async (i: number) => (await editors.nth(i).locator('.cm-changedLine').allTextContents()).map((t) => t.trim());
    expect(await changed(0)).toEqual(['image: nginx:1.25']);
    expect(await changed(1)).toEqual(['image: nginx:1.26']);
    await page.locator('[data-testid="rollout-panel"]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'rollout-diff');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'rollout-diff-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('undoes to revision 1 after confirmation: kubectl reports the old image and revision 3', async () => {
    await row(1).locator('[data-testid="revision-undo"]').click();
    const dialog = page.locator('[data-testid="confirm-dialog"]');
    await dialog.waitFor();
    expect((await page.locator('[data-testid="undo-changes"] li').allTextContents()).map((t) => t.trim())).toEqual(['- image: nginx:1.26', '+ image: nginx:1.25']);
    await page.locator('[data-testid="confirm-ok"]').click();
    await page.locator('[data-testid="rollout-message"]', { hasText: 'deployment.apps/web rolled back' }).waitFor();
    expect(jsonpath('deploy/web', '.spec.template.spec.containers[0].image')).toBe('nginx:1.25');
    // The controller renumbers the old ReplicaSet: revisions 2 and 3 (1 is gone), as kubectl sees them.
    await eventually('kubectl history 2,3', () => history('deploy/web').map((r) => r[0]).join() === '2,3');
    await page.locator('[data-testid="revision-row"][data-revision="3"][data-current="true"]').waitFor();
    expect(await rowRevisions()).toEqual([3, 2]);
    expect(await row(3).locator('[data-testid="revision-image"]').allTextContents()).toEqual(['nginx:1.25']);
    await rolledOut();
    // The diff closed itself when revision 1 left the history.
    expect(await page.locator('[data-testid="rollout-diff"]').count()).toBe(0);
    await screenshot(page, 'rollout-history');
  });

  it('pauses and resumes (spec.paused), refusing an undo while paused as kubectl does', async () => {
    await page.locator('[data-testid="rollout-pause"]', { hasText: 'Pause' }).click();
    await page.locator('[data-testid="rollout-paused"]').waitFor();
    expect(jsonpath('deploy/web', '.spec.paused')).toBe('true');
    await row(2).locator('[data-testid="revision-undo"]').click();
    await page.locator('[data-testid="confirm-ok"]').click();
    await page.locator('[data-testid="rollout-error"]').waitFor();
    expect((await page.locator('[data-testid="rollout-error"]').textContent())?.trim()).toBe(
      "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/web' and try again",
    );
    expect(jsonpath('deploy/web', '.spec.template.spec.containers[0].image')).toBe('nginx:1.25');
    await page.locator('[data-testid="rollout-pause"]', { hasText: 'Resume' }).click();
    await page.locator('[data-testid="rollout-paused"]').waitFor({ state: 'detached' });
    expect(jsonpath('deploy/web', '.spec.paused')).toBe('');
  });

  it('restarts: the restartedAt template annotation, a new revision', async () => {
    await page.locator('[data-testid="rollout-restart"]').click();
    await page.locator('[data-testid="confirm-ok"]').click();
    await page.locator('[data-testid="rollout-message"]', { hasText: 'deployment.apps/web restarted' }).waitFor();
    const at = jsonpath('deploy/web', '.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt');
    expect(at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    await eventually('kubectl history 2,3,4', () => history('deploy/web').map((r) => r[0]).join() === '2,3,4');
    await page.locator('[data-testid="revision-row"][data-revision="4"][data-current="true"]').waitFor();
    await rolledOut();
  });

  it("lists a StatefulSet's ControllerRevisions and undoes through their data", async () => {
    serve.ok(['apply', '-f', '-'], { stdin: STS });
    await eventually('db-0 ready', () => jsonpath('sts/db', '.status.readyReplicas') === '1', 30_000);
    kubectl('set', 'image', 'sts/db', 'nginx=nginx:1.26');
    await openDetails('statefulsets', 'db');
    await page.locator('[data-testid="revision-row"][data-revision="2"][data-current="true"]').waitFor();
    expect(await rowRevisions()).toEqual([2, 1]);
    expect(table(kubectl('rollout', 'history', 'sts/db')).slice(2).map((r) => r[0])).toEqual(['1', '2']);
    expect(await row(1).locator('[data-testid="revision-image"]').allTextContents()).toEqual(['nginx:1.25']);
    expect(await row(2).locator('[data-testid="revision-image"]').allTextContents()).toEqual(['nginx:1.26']);
    // No pause for StatefulSets (kubectl refuses it); scale applies.
    expect(await page.locator('[data-testid="rollout-pause"]').count()).toBe(0);
    await page.locator('[data-testid="action-scale"]').waitFor();
    await page.locator('[data-testid="rollout-status"]', { hasText: 'partitioned roll out complete: 1 new pods have been updated...' }).waitFor({ timeout: 30_000 });
    await row(1).locator('[data-testid="revision-undo"]').click();
    await page.locator('[data-testid="confirm-ok"]').click();
    await page.locator('[data-testid="rollout-message"]', { hasText: 'statefulset.apps/db rolled back' }).waitFor();
    expect(jsonpath('sts/db', '.spec.template.spec.containers[0].image')).toBe('nginx:1.25');
    await eventually('kubectl sts history 2,3', () => table(kubectl('rollout', 'history', 'sts/db')).slice(2).map((r) => r[0]).join() === '2,3');
    await page.locator('[data-testid="revision-row"][data-revision="3"][data-current="true"]').waitFor();
  });

  it("shows a DaemonSet's revision and status; no Scale button (no /scale), Set image offered", async () => {
    serve.ok(['apply', '-f', '-'], { stdin: STS.replace('kind: StatefulSet', 'kind: DaemonSet').replace(/name: db/, 'name: agent').replace('  serviceName: db\n  replicas: 1\n', '').replace(/app: db/g, 'app: agent') });
    await openDetails('daemonsets', 'agent');
    await page.locator('[data-testid="revision-row"][data-revision="1"][data-current="true"]').waitFor();
    await page.locator('[data-testid="rollout-status"]', { hasText: 'daemon set "agent" successfully rolled out' }).waitFor({ timeout: 30_000 });
    expect(table(kubectl('rollout', 'history', 'ds/agent')).slice(2)).toEqual([['1', '<none>']]);
    await page.locator('[data-testid="action-set-image"]').waitFor();
    expect(await page.locator('[data-testid="action-scale"]').count()).toBe(0);
    expect(await page.locator('[data-testid="rollout-pause"]').count()).toBe(0);
    await page.goto(`${origin}/#/r/apps/v1/statefulsets/shop/db`);
    await page.locator('[data-testid="rollout-panel"]').waitFor();
  });

  const runCommand = async (id: string) => {
    await page.locator('body').press('Control+k');
    await page.locator('[data-testid="palette"]').waitFor();
    await page.locator('[data-testid="palette-input"]').fill(id === 'rollout.scale' ? 'Scale' : 'Restart rollout');
    await page.locator(`[data-testid="palette-item"][data-id="cmd:${id}"]`).click();
  };

  it('palette "Scale…" acts on the workload on screen', async () => {
    await runCommand('rollout.scale');
    await page.locator('[data-testid="scale-dialog"]').waitFor();
    await page.locator('[data-testid="scale-desired"]', { hasText: '1' }).waitFor();
    await page.locator('[data-testid="scale-replicas"]').fill('2');
    await page.locator('[data-testid="confirm-ok"]').click();
    await page.locator('[data-testid="rollout-command-result"]', { hasText: 'statefulset.apps/db scaled' }).waitFor();
    expect(jsonpath('sts/db', '.spec.replicas')).toBe('2');
  });

  it('palette "Restart rollout…" away from a workload asks which one first', async () => {
    await page.goto(`${origin}/#/`);
    await runCommand('rollout.restart');
    await page.locator('[data-testid="rollout-target-picker"]').waitFor();
    const select = page.locator('[data-testid="rollout-target-select"]');
    await page.locator('[data-testid="rollout-target-select"] option', { hasText: 'Deployment shop/web' }).waitFor({ state: 'attached' });
    const options = await select.locator('option').allTextContents();
    // All namespaces (the switcher's value): kube-system's coredns too; never a DaemonSet-less kind.
    expect(options).toContain('Deployment shop/web');
    expect(options).toContain('StatefulSet shop/db');
    expect(options.every((o) => /^(Deployment|StatefulSet|DaemonSet) /.test(o))).toBe(true);
    await select.selectOption({ label: 'Deployment shop/web' });
    await page.locator('[data-testid="confirm-ok"]').click();
    await page.locator('[data-testid="confirm-dialog"]', { hasText: 'Restart the rollout?' }).waitFor();
    await page.locator('[data-testid="confirm-ok"]').click();
    await page.locator('[data-testid="rollout-command-result"]', { hasText: 'deployment.apps/web restarted' }).waitFor();
    await eventually('kubectl history 2,3,4,5', () => history('deploy/web').map((r) => r[0]).join() === '2,3,4,5');
  });

  it('logged no errors and no CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
