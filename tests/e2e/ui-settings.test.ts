/**
 * The desktop Settings page in headless Chromium against a real `kubesim serve --fast`. The page
 * gets `window.kubesim` as the preload builds it (one function per channel of the IPC map), but
 * each call crosses into this test process, where the desktop's real guard (ipc-guard.ts: sender
 * frame, argument and result checks) and the real settings module (validation, settings.json)
 * answer — only Electron itself is missing. In a plain browser the page and its nav entry do not
 * exist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Serve } from '../kubectl/harness';
import { ensureRendererBuilt, launchBrowser, screenshot } from './browser';
import { IPC_NAMES, type DesktopSettings, type IpcName } from '../../src-main/shared/ipc';
import { guardedHandler, type IpcImpl } from '../../src-main/desktop/ipc-guard';
import { defaultSettings, loadSettings, sameClusterSettings, saveSettings, validateSettings, type StoredSettings } from '../../src-main/desktop/settings';

describe('desktop Settings page', () => {
  const serve = new Serve();
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-settings-e2e-'));
  const settingsFile = join(dir, 'settings.json');
  let browser: Browser;
  let desktop: BrowserContext;
  let page: Page;
  const problems: string[] = [];
  const actions: string[] = [];
  let stored: StoredSettings = defaultSettings();
  const running: DesktopSettings = { dataDir: null, apiPort: null, nodes: 2, timeScale: 1, mergeKubeconfig: true };

  const handlers: { [K in IpcName]: IpcImpl<K> } = {
    appVersion: () => '0.1.0',
    getSettings: () => {
      const { kubeconfigBackup, ...settings } = stored;
      return {
        settings,
        defaults: { dataDir: join(dir, 'default-data'), nodes: 2 },
        settingsPath: settingsFile,
        problems: [],
        clusterKubeconfigPath: join(dir, 'kubeconfig'),
        userKubeconfigPath: join(dir, 'home', '.kube', 'config'),
        backup: kubeconfigBackup,
        overriddenBy: [],
        restartNeeded: !sameClusterSettings(running, settings),
      };
    },
    saveSettings: (s) => {
      const errors = validateSettings(s);
      if (errors.length) return { ok: false as const, errors };
      stored = { ...stored, ...s };
      saveSettings(settingsFile, stored);
      return { ok: true as const, restartNeeded: !sameClusterSettings(running, s) };
    },
    clusterStatus: () => ({ state: 'ready' as const, message: 'The cluster is running', apiUrl: serve.apiUrl }),
    restartCluster: () => (actions.push('restart'), { done: true, message: 'Restarting the cluster…' }),
    resetCluster: () => (actions.push('reset'), { done: false, message: 'Reset cancelled' }),
    restoreKubeconfig: () => (actions.push('restore'), { done: false, message: 'There is no kubeconfig backup' }),
  };

  beforeAll(async () => {
    ensureRendererBuilt();
    await serve.start();
    browser = await launchBrowser();
    desktop = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const origin = new URL(serve.uiUrl).origin;
    const guarded = Object.fromEntries(IPC_NAMES.map((n) => [n, guardedHandler(n, handlers[n] as IpcImpl<typeof n>, () => origin)])) as Record<IpcName, (e: unknown, ...a: unknown[]) => Promise<unknown>>;
    await desktop.exposeBinding('__kubesimInvoke', (source, name: IpcName, args: unknown[]) =>
      guarded[name]({ senderFrame: { url: source.frame.url(), parent: source.frame.parentFrame() } }, ...args),
    );
    await desktop.addInitScript((names: string[]) => {
      const w = globalThis as unknown as { __kubesimInvoke: (n: string, a: unknown[]) => Promise<unknown>; kubesim: unknown };
      w.kubesim = Object.freeze(Object.fromEntries(names.map((n) => [n, (...a: unknown[]) => w.__kubesimInvoke(n, a)])));
    }, IPC_NAMES);
    page = await desktop.newPage();
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await serve.stop();
    serve.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('in a plain browser: no Settings entry, no page', async () => {
    const plain = await browser.newPage();
    await plain.goto(serve.uiUrl);
    await plain.getByTestId('nav-overview').waitFor();
    expect(await plain.locator('[data-nav="settings"]').count()).toBe(0);
    await plain.goto(`${new URL(serve.uiUrl).origin}/#/settings`);
    await plain.waitForTimeout(500);
    expect(await plain.getByTestId('settings-page').count()).toBe(0);
    await plain.close();
  });

  it('in the desktop app: the nav entry opens the page with the stored settings and the cluster status', async () => {
    await page.goto(serve.uiUrl);
    await page.locator('[data-nav="settings"]').click();
    await page.getByTestId('settings-page').waitFor();
    await expect.poll(() => page.getByTestId('settings-cluster-state').textContent()).toBe('The cluster is running');
    expect(await page.getByTestId('settings-api-url').textContent()).toBe(serve.apiUrl);
    expect(await page.getByTestId('settings-data-dir').getAttribute('placeholder')).toBe(join(dir, 'default-data'));
    expect(await page.getByTestId('settings-nodes').inputValue()).toBe('2');
    expect(await page.getByTestId('settings-time-scale').inputValue()).toBe('1');
    expect(await page.locator('label[for="settings-time-scale"] + .settings__field').textContent()).toContain('1 = real time; 10 = back-offs, grace periods and ages run 10× faster');
    expect(await page.getByTestId('settings-merge').isChecked()).toBe(true);
    expect(await page.getByTestId('settings-save').isDisabled()).toBe(true); // nothing changed yet
    await screenshot(page, 'settings-page');
  });

  it("the main process's field errors show inline; nothing is stored", async () => {
    await page.getByTestId('settings-nodes').fill('101');
    await page.getByTestId('settings-data-dir').fill('relative/folder');
    await page.getByTestId('settings-save').click();
    await expect.poll(() => page.getByTestId('settings-error-nodes').textContent()).toBe('at most 100 worker nodes, not 101');
    expect(await page.getByTestId('settings-error-dataDir').textContent()).toBe("the data folder must be an absolute path, not 'relative/folder'");
    expect(loadSettings(settingsFile).settings).toEqual(defaultSettings());
    await page.getByTestId('settings-api-port').fill('12ab');
    await page.getByTestId('settings-time-scale').fill('500');
    await page.getByTestId('settings-save').click();
    expect(await page.getByTestId('settings-error-apiPort').textContent()).toBe('a whole number from 0 to 65535');
    expect(await page.getByTestId('settings-error-timeScale').textContent()).toBe('a number from 0.1 to 100 (1 = real time)');
    expect(loadSettings(settingsFile).settings).toEqual(defaultSettings());
    await screenshot(page, 'settings-errors');
  });

  it('valid settings are stored (settings.json) and the page says a restart applies them', async () => {
    await page.getByTestId('settings-data-dir').fill('');
    await page.getByTestId('settings-api-port').fill('');
    await page.getByTestId('settings-nodes').fill('3');
    await page.getByTestId('settings-time-scale').fill('10');
    await page.getByTestId('settings-merge').uncheck();
    await page.getByTestId('settings-save').click();
    await expect.poll(() => page.getByTestId('settings-notice').textContent()).toContain('Saved. The cluster uses them after a restart.');
    expect(await page.getByTestId('settings-error-nodes').count()).toBe(0);
    expect(await page.getByTestId('settings-error-timeScale').count()).toBe(0);
    expect(loadSettings(settingsFile)).toEqual({ settings: { ...defaultSettings(), nodes: 3, timeScale: 10, mergeKubeconfig: false }, problems: [] });
    expect(await page.getByTestId('settings-time-scale').inputValue()).toBe('10');
    expect(JSON.parse(readFileSync(settingsFile, 'utf8')).version).toBe(1);
    await page.getByTestId('settings-restart-needed').waitFor();
    await page.getByTestId('settings-restart-now').click();
    await expect.poll(() => actions).toEqual(['restart']);
    await page.getByTestId('settings-reset').click();
    await expect.poll(() => page.getByTestId('settings-notice').textContent()).toContain('Reset cancelled');
    expect(actions).toEqual(['restart', 'reset']);
  });

  it('dark theme', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.reload();
    await page.getByTestId('settings-page').waitFor();
    await expect.poll(() => page.getByTestId('settings-cluster-state').textContent()).toBe('The cluster is running');
    await screenshot(page, 'settings-page-dark');
    expect(problems).toEqual([]);
  });
});
