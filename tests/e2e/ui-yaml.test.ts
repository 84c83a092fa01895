/**
 * YAML editing and applying against a real `kubesim serve --fast` in headless Chromium: edit a
 * Deployment's replicas in the details page's YAML editor (find, type), review the diff of the
 * server's dry run, apply, and read the new value back with kubectl; an invalid edit and an
 * invalid manifest show the API's field errors at the lines of their fields; a multi-document file
 * dropped onto the Apply YAML editor creates both objects; every template creates a valid object
 * (and applying it again is "unchanged"). Screenshots: yaml-editor, yaml-diff, yaml-error,
 * apply-yaml-dark.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { Serve } from '../kubectl/harness';
import { ensureRendererBuilt, launchBrowser, screenshot } from './browser';

describe('YAML edit and apply on a real cluster', () => {
  const serve = new Serve();
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    ensureRendererBuilt();
    await serve.start();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1366, height: 860 } });
    page.on('console', (m) => {
      // Refused writes (422, 409) and the existence checks of applied objects (404) are logged by Chromium.
      if (m.type() === 'error' && !/status of (404|409|422)/.test(m.text())) problems.push(`${page.url()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(serve.uiUrl);
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor();
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
  /** Lines (1-based) the editor marks as errors, and the messages shown under them. */
  const errorLines = () => page.locator('[data-testid="yaml-editor"] .cm-yaml-line--error').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-mark-line'))));
  const lineMessages = () => page.locator('[data-testid="editor-line-message"]').allTextContents();
  /** The 1-based line of the editor text whose content matches. */
  const lineOf = (text: string, re: RegExp, nth = 0) => text.split('\n').map((l, i) => (re.test(l) ? i + 1 : 0)).filter(Boolean)[nth];
  /** The editor's whole text (lines outside the viewport are not in the DOM): EditorView.findFromDOM's own path. */
  const editorText = () =>
    page.locator('[data-testid="yaml-editor"] .cm-content').evaluate((el) => {
      const tile = (el as unknown as { cmTile?: { root?: { view?: { state: { doc: { toString(): string } } } } } }).cmTile;
      const view = tile?.root?.view;
      if (!view) throw new Error('no EditorView on .cm-content');
      return view.state.doc.toString();
    });

  it('edits a Deployment\'s replicas: find, diff of the dry run, apply, kubectl sees it', async () => {
    serve.ok(['create', 'namespace', 'shop']);
    expect(serve.ok(['create', 'deployment', 'web', '--image=nginx:1.25', '-n', 'shop'])).toContain('deployment.apps/web created');
    await page.goto(`${new URL(serve.uiUrl).origin}/#/r/apps/v1/deployments/shop/web`);
    await page.locator('[data-testid="action-edit-yaml"]').click();
    await page.locator('[data-testid="yaml-edit"][data-phase="edit"]').waitFor();
    const rv = (await page.locator('[data-testid="yaml-edit-rv"]').textContent())?.trim();
    expect(rv).toBe(serve.ok(['get', 'deploy', 'web', '-n', 'shop', '-o', 'jsonpath={.metadata.resourceVersion}']));
    const text = await editorText();
    expect(text).toContain('# Please edit the object below.');
    expect(text).not.toContain('managedFields');
    // The status block (at the end) is shown read-only.
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+End');
    await until('status lines shaded', async () => (await page.locator('.cm-yaml-readonlyLine').count()) > 2);
    expect(await page.locator('.cm-yaml-readonlyLine').first().textContent()).toBe('status:');
    await screenshot(page, 'yaml-editor');
    await page.keyboard.press('Control+Home');

    // Find "replicas: 1" (the spec's comes first; the status has four more), then type over the selection.
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+f');
    await page.locator('[data-testid="editor-search"]').pressSequentially('replicas: 1');
    expect(await page.locator('[data-testid="editor-search-count"]').textContent()).toBe('1 of 5');
    await page.locator('[data-testid="editor-search"]').press('Escape');
    await page.keyboard.type('replicas: 3');
    expect(await editorText()).toMatch(/^spec:\n {2}progressDeadlineSeconds: \d+\n {2}replicas: 3$/m);

    await page.locator('[data-testid="yaml-review"]').click();
    await page.locator('[data-testid="yaml-edit"][data-phase="review"]').waitFor();
    const diff = page.locator('[data-testid="yaml-diff"]');
    await diff.waitFor();
    // Unified: the live line deleted, the edited one inserted; the dry run bumped the generation.
    expect(await diff.locator('.cm-deletedChunk').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('replicas: 1')]));
    expect(await diff.locator('.cm-changedLine').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('replicas: 3'), expect.stringContaining('generation: 2')]));
    // Nothing stored yet (it was a dry run).
    expect(serve.ok(['get', 'deploy', 'web', '-n', 'shop', '-o', 'jsonpath={.spec.replicas}'])).toBe('1');
    await page.locator('[data-testid="diff-split"]').click();
    await page.locator('[data-testid="yaml-diff"][data-mode="split"] .cm-mergeView').waitFor();
    await page.mouse.move(0, 0);
    await screenshot(page, 'yaml-diff');
    await page.locator('[data-testid="diff-unified"]').click();

    await page.locator('[data-testid="yaml-apply"]').click();
    await page.locator('[data-testid="yaml-edit-success"]').waitFor();
    expect(await page.locator('[data-testid="yaml-edit-success"]').textContent()).toContain('deployment.apps/web edited');
    expect(serve.ok(['get', 'deploy', 'web', '-n', 'shop', '-o', 'jsonpath={.spec.replicas}'])).toBe('3');
    await until('3 ready replicas', () => serve.ok(['get', 'deploy', 'web', '-n', 'shop', '-o', 'jsonpath={.status.readyReplicas}']) === '3');
  });

  it('shows an Invalid edit\'s field errors at their lines, and a 409 when the object moved on', async () => {
    await page.locator('[data-testid="yaml-reload"]').click();
    await page.locator('[data-testid="yaml-edit"][data-phase="edit"]').waitFor();
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+f');
    const search = page.locator('[data-testid="editor-search"]');
    await search.fill('');
    await search.pressSequentially('replicas: 3');
    await search.press('Escape');
    await page.keyboard.type('replicas: -1');
    await page.locator('[data-testid="yaml-review"]').click();
    await page.locator('[data-testid="yaml-error-item"]').first().waitFor();
    const text = await editorText();
    const line = lineOf(text, /^ {2}replicas: -1$/);
    expect(await page.locator('[data-testid="yaml-error-item"]').first().getAttribute('data-line')).toBe(String(line));
    expect(await errorLines()).toEqual([line]);
    expect((await lineMessages()).join('\n')).toContain('spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    expect(await page.locator('[data-testid="yaml-edit"]').getAttribute('data-phase')).toBe('edit');

    // Someone else scales meanwhile: the PUT from the old resourceVersion is a conflict.
    serve.ok(['scale', 'deploy', 'web', '--replicas=2', '-n', 'shop']);
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+f');
    await search.fill('');
    await search.pressSequentially('replicas: -1');
    await search.press('Escape');
    await page.keyboard.type('replicas: 4');
    await page.locator('[data-testid="yaml-review"]').click();
    await page.locator('[data-testid="yaml-conflict-rediff"]').waitFor();
    expect(await page.locator('[data-testid="yaml-edit-error"]').textContent()).toContain('has been modified since you started editing');
    await page.locator('[data-testid="yaml-conflict-rediff"]').click();
    await page.locator('[data-testid="yaml-edit"][data-phase="review"]').waitFor();
    expect(await page.locator('[data-testid="yaml-diff"] .cm-deletedChunk').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('replicas: 2')]));
    await page.locator('[data-testid="yaml-apply"]').click();
    await page.locator('[data-testid="yaml-edit-success"]').waitFor();
    expect(serve.ok(['get', 'deploy', 'web', '-n', 'shop', '-o', 'jsonpath={.spec.replicas}'])).toBe('4');
  });

  it('Apply YAML: an invalid Deployment\'s causes at the lines of their fields', async () => {
    await page.locator('[data-testid="nav-workbench"][data-nav="yaml.apply"]').click();
    await page.locator('[data-testid="apply-yaml"]').waitFor();
    const bad = ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: broken', '  namespace: shop', 'spec:', '  replicas: -1', '  selector:', '    matchLabels:', '      app: broken', '  template:', '    metadata:', '      labels:', '      app: broken', '    spec:', '      containers:', '        - name: web', ''].join('\n');
    // Line 14 is mis-indented on purpose first: a syntax error is located before anything is sent.
    await page.locator('.cm-content').click();
    await page.keyboard.insertText(bad.replace('      labels:\n      app: broken', '      labels:\n     app: broken'));
    await page.locator('[data-testid="apply-run"]').click();
    await page.locator('[data-testid="apply-syntax-errors"]').waitFor();
    expect((await errorLines()).length).toBeGreaterThan(0);
    expect(serve.kubectl(['get', 'deploy', 'broken', '-n', 'shop']).code).not.toBe(0);

    // Select all and delete first: Chromium's native replacement of a selection spanning the
    // message widgets writes style attributes (refused by the CSP); CodeMirror's own delete does not.
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Backspace');
    await page.keyboard.insertText(bad.replace('      labels:\n      app: broken', '      labels:\n        app: broken'));
    await page.locator('[data-testid="apply-run"]').click();
    await page.locator('[data-testid="apply-result"][data-ok="false"]').waitFor();
    expect(await page.locator('[data-testid="apply-result"]').getAttribute('data-ref')).toBe('deployment.apps/broken');
    expect(await page.locator('[data-testid="apply-result-message"]').textContent()).toContain('Deployment.apps "broken" is invalid');
    // replicas on line 7, the container without image on line 17 (its item; the key is absent).
    expect(await errorLines()).toEqual([7, 17]);
    const msgs = (await lineMessages()).join('\n');
    expect(msgs).toContain('spec.replicas: Invalid value: -1');
    expect(msgs).toContain('spec.template.spec.containers[0].image: Required value');
    await page.mouse.move(0, 0);
    await screenshot(page, 'yaml-error');
  });

  it('Apply YAML: a multi-document file dropped onto the editor creates both objects', async () => {
    const stack = [
      '# a config and a service, from a file',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: web-settings',
      'data:',
      '  mode: fast',
      '---',
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: web',
      'spec:',
      '  selector:',
      '    app: web',
      '  ports:',
      '    - port: 80',
      '',
    ].join('\n');
    await page.locator('[data-testid="theme-toggle"]').click();
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    await page.locator('[data-testid="yaml-editor"] .cm-content').evaluate((el, text) => {
      // Browser globals (this file typechecks under the Node lib).
      const w = globalThis as unknown as {
        DataTransfer: new () => { items: { add(file: unknown): void } };
        DragEvent: new (type: string, init: object) => never;
        File: new (parts: string[], name: string, init: object) => unknown;
      };
      const dt = new w.DataTransfer();
      dt.items.add(new w.File([text], 'stack.yaml', { type: 'application/yaml' }));
      el.dispatchEvent(new w.DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      el.dispatchEvent(new w.DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, stack);
    await until('the dropped file loaded', async () => (await editorText()).startsWith('# a config and a service'));
    expect(await page.locator('[data-testid="apply-loaded-from"]').textContent()).toContain('stack.yaml');
    expect(await editorText()).not.toContain('broken');
    // Documents without a namespace go to the switcher's (here: all namespaces → default).
    const ns = (await page.locator('[data-testid="apply-namespace"]').textContent())?.trim() ?? '';
    await page.locator('[data-testid="apply-run"]').click();
    await until('two results', async () => (await page.locator('[data-testid="apply-result"]').count()) === 2);
    const results = await page.locator('[data-testid="apply-result"]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-ref')} ${e.getAttribute('data-outcome')}`));
    expect(results).toEqual(['configmap/web-settings created', 'service/web created']);
    expect(serve.ok(['get', 'configmap', 'web-settings', '-n', ns, '-o', 'jsonpath={.data.mode}'])).toBe('fast');
    expect(serve.ok(['get', 'service', 'web', '-n', ns, '-o', 'jsonpath={.spec.ports[0].port}'])).toBe('80');
    // The result sits at each document's first line, in the editor too.
    expect((await lineMessages()).map((m) => m.trim())).toEqual(['configmap/web-settings created', 'service/web created']);
    await page.mouse.move(0, 0);
    await screenshot(page, 'apply-yaml-dark');
    // Applying the same text again changes nothing.
    await page.locator('[data-testid="apply-run"]').click();
    await until('unchanged', async () => (await page.locator('[data-testid="apply-result"][data-outcome="unchanged"]').count()) === 2);
    await page.locator('[data-testid="theme-toggle"]').click();
  });

  it('every template creates a valid object; a list\'s Create opens its template', async () => {
    serve.ok(['create', 'namespace', 'tpl']);
    await page.locator('[data-testid="namespace-switcher"]').selectOption('tpl');
    await page.locator('[data-testid="nav-item"][data-resource="deployments"]').first().click();
    await page.locator('[data-testid="action-create"]').click();
    await page.locator('[data-testid="apply-yaml"]').waitFor();
    expect(await page.locator('[data-testid="apply-namespace"]').textContent()).toBe('tpl');
    await until('the Deployment template', async () => (await editorText()).includes('kind: Deployment'));
    expect(await editorText()).toContain('namespace: tpl');

    const kinds = await page.locator('[data-testid="apply-template"] option:not([disabled])').evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value));
    expect(kinds).toEqual(['Deployment', 'Service', 'ConfigMap', 'Secret', 'Pod', 'Job', 'CronJob', 'Ingress', 'PersistentVolumeClaim', 'StatefulSet', 'DaemonSet', 'Namespace']);
    for (const kind of kinds) {
      await page.locator('[data-testid="apply-template"]').selectOption(kind);
      await until(`${kind} template`, async () => (await editorText()).includes(`kind: ${kind}`));
      await page.locator('[data-testid="apply-run"]').click();
      await page.locator('[data-testid="apply-result"]').waitFor();
      const r = page.locator('[data-testid="apply-result"]');
      expect(await r.getAttribute('data-outcome'), `${kind}: ${await r.textContent()}`).toBe('created');
      const ref = (await r.getAttribute('data-ref')) ?? '';
      expect(ref.split('/')[0].split('.')[0]).toBe(kind.toLowerCase());
      const args = kind === 'Namespace' ? ['get', ref, '-o', 'name'] : ['get', ref, '-n', 'tpl', '-o', 'name'];
      expect(serve.ok(args).trim()).toBe(ref);
    }
    // The template's Deployment rolls out.
    await until('web available in tpl', () => serve.ok(['get', 'deploy', 'web', '-n', 'tpl', '-o', 'jsonpath={.status.availableReplicas}']) === '2', 60_000);
    expect(problems, problems.join('\n')).toEqual([]);
  });
});
