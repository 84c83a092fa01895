/**
 * src-main/desktop/main.ts itself, on plain Node: bundled with `electron` replaced by
 * ./electron-shim (a real child process for utilityProcess.fork, records for the rest) and the
 * real `kubesim serve` (with the stub cluster, as tests/unit/cli/process.test.ts) as the cluster.
 * Start-up (splash, then the UI URL), the kubeconfig merge with its dated backup, every IPC
 * channel registered and guarded, settings saved and applied by a restart, reset with
 * confirmation, the menu and tray, and a clean quit.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { parse } from 'yaml';
import { IPC, IPC_NAMES } from '../../../src-main/shared/ipc';
import { shim } from './electron-shim';

const ROOT = resolve(__dirname, '../../..');
const OUT = join(ROOT, 'node_modules', '.cache', 'kubesim-desktop-main');
const MAIN = join(OUT, 'main.mjs');
const APP = join(OUT, 'app');
const ORIGINAL_USER_KC = 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\ncurrent-context: ""\n# mine\n';

let home: string;
const savedEnv = { HOME: process.env.HOME, KUBECONFIG: process.env.KUBECONFIG, XDG_DATA_HOME: process.env.XDG_DATA_HOME };
const savedArgv = process.argv;

const until = async (what: string, check: () => boolean, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};
const win = () => shim.windows[0];
const call = (name: (typeof IPC_NAMES)[number], url: string, ...args: unknown[]) => shim.ipc.get(IPC[name].channel)!({ senderFrame: { url, parent: null } }, ...args);
const uiUrl = () => win().webContents.url;
const dataDir = () => join(home, '.local', 'share', 'kubesim');

beforeAll(async () => {
  mkdirSync(join(APP, 'out', 'cli'), { recursive: true });
  mkdirSync(join(APP, 'resources'), { recursive: true });
  copyFileSync(join(ROOT, 'resources', 'icon.png'), join(APP, 'resources', 'icon.png'));
  const electronShim = join(__dirname, 'electron-shim.ts');
  await build({
    entryPoints: [join(ROOT, 'src-main/desktop/main.ts')],
    outfile: MAIN,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
    plugins: [{ name: 'electron-shim', setup: (b) => b.onResolve({ filter: /^electron$/ }, () => ({ path: electronShim })) }],
  });
  await build({
    entryPoints: [join(ROOT, 'src-main/cli/main.ts')],
    outfile: join(APP, 'out', 'cli', 'kubesim.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'silent',
    banner: { js: "import { createRequire as __cr } from 'node:module';\nconst require = __cr(import.meta.url);" },
    plugins: [
      {
        name: 'stub-cluster',
        setup: (b) =>
          b.onResolve({ filter: /^\.\.\/cluster$/ }, (args) => (args.importer.endsWith(join('src-main', 'cli', 'main.ts')) ? { path: join(ROOT, 'tests/unit/cli/stub-cluster-entry.ts') } : undefined)),
      },
    ],
  });
  home = mkdtempSync(join(tmpdir(), 'kubesim-main-'));
  mkdirSync(join(home, '.kube'));
  writeFileSync(join(home, '.kube', 'config'), ORIGINAL_USER_KC);
  process.env.HOME = home;
  delete process.env.KUBECONFIG;
  delete process.env.XDG_DATA_HOME;
  process.argv = [process.execPath, MAIN];
  shim.userData = join(home, 'userData');
  shim.appPath = APP;
  await import(pathToFileURL(MAIN).href);
}, 60_000);

afterAll(async () => {
  if (!shim.quit) {
    shim.app.quit!();
    await until('quit', () => shim.quit, 30_000).catch(() => {});
  }
  process.argv = savedArgv;
  for (const [k, v] of Object.entries(savedEnv)) if (v === undefined) delete process.env[k];
  else process.env[k] = v;
  rmSync(home, { recursive: true, force: true });
}, 40_000);

describe('the desktop main process', () => {
  it('opens the window at once on the start-up page, then on the UI URL serve printed', async () => {
    expect(shim.windows).toHaveLength(1);
    expect(win().webContents.history[0]).toMatch(/^data:text\/html/);
    expect(win().options).toMatchObject({ webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false, devTools: true } });
    await until('the UI', () => uiUrl().startsWith('http://127.0.0.1:'));
    expect(shim.forks[0].args).toEqual(['serve', '--nodes', '2', '--kubeconfig', join(shim.userData, 'kubeconfig'), '--host-terminal']);
  });

  it('merged the cluster into ~/.kube/config after a dated backup of it, recorded in settings.json', () => {
    const kc = parse(readFileSync(join(home, '.kube', 'config'), 'utf8'));
    expect(kc['current-context']).toBe('kubesim');
    const backups = readdirSync(join(home, '.kube')).filter((f) => /^config\.bak-\d{4}-\d\d-\d\d$/.test(f));
    expect(backups).toHaveLength(1);
    expect(readFileSync(join(home, '.kube', backups[0]), 'utf8')).toBe(ORIGINAL_USER_KC);
    const settings = JSON.parse(readFileSync(join(shim.userData, 'settings.json'), 'utf8'));
    expect(settings.kubeconfigBackup).toMatchObject({ path: join(home, '.kube', backups[0]), of: join(home, '.kube', 'config') });
  });

  it('every IPC channel is handled, for the UI window only', async () => {
    expect([...shim.ipc.keys()].sort()).toEqual(IPC_NAMES.map((n) => IPC[n].channel).sort());
    await expect(call('appVersion', uiUrl())).resolves.toBe('0.1.0');
    await expect(call('appVersion', 'http://127.0.0.1:1/')).rejects.toThrow(/refused/);
    await expect(call('clusterStatus', uiUrl())).resolves.toMatchObject({ state: 'ready', message: 'The cluster is running' });
    const view = (await call('getSettings', uiUrl())) as { settings: unknown; defaults: { dataDir: string }; backup: unknown; restartNeeded: boolean };
    expect(view.settings).toEqual({ dataDir: null, apiPort: null, nodes: 2, timeScale: 1, mergeKubeconfig: true });
    expect(view.defaults.dataDir).toBe(dataDir());
    expect(view.restartNeeded).toBe(false);
    await expect(call('saveSettings', uiUrl(), { dataDir: null, apiPort: null, nodes: '3', timeScale: 1, mergeKubeconfig: true })).rejects.toThrow(/nodes: expected a whole number/);
  });

  it('menu and tray show the status; Copy Kubeconfig Path copies the merged file', () => {
    const menu = shim.menu as { label?: string; submenu?: { id?: string; label?: string; click?: () => void }[] }[];
    expect(menu.map((m) => m.label)).toEqual(['&File', '&Edit', '&View', '&Cluster', '&Window', '&Help']);
    expect(menu[3].submenu![0].label).toBe('Cluster ready');
    expect(shim.tray!.tooltip).toMatch(/^kubesim — Cluster ready\nAPI server https:\/\/127\.0\.0\.1:\d+$/);
    menu[0].submenu!.find((i) => i.id === 'copy-kubeconfig-path')!.click!();
    expect(shim.clipboard).toBe(join(home, '.kube', 'config'));
  });

  it('saved settings: validated, stored, applied by a restart (the window comes back on the same route)', async () => {
    await expect(call('saveSettings', uiUrl(), { dataDir: null, apiPort: null, nodes: 101, timeScale: 1, mergeKubeconfig: true })).resolves.toEqual({ ok: false, errors: [{ field: 'nodes', message: 'at most 100 worker nodes, not 101' }] });
    await expect(call('saveSettings', uiUrl(), { dataDir: null, apiPort: 0, nodes: 3, timeScale: 10, mergeKubeconfig: true })).resolves.toEqual({ ok: true, restartNeeded: true });
    expect(JSON.parse(readFileSync(join(shim.userData, 'settings.json'), 'utf8'))).toMatchObject({ version: 1, nodes: 3, apiPort: 0, timeScale: 10 });
    await win().loadURL(`${uiUrl().split('#')[0]}#/settings`);
    await expect(call('restartCluster', uiUrl())).resolves.toEqual({ done: true, message: 'Restarting the cluster…' });
    await until('the second serve', () => shim.forks.length === 2);
    expect(shim.forks[0]).toMatchObject({ exitCode: 0 }); // the first one stopped cleanly
    expect(shim.forks[1].args).toEqual(['serve', '--api-port', '0', '--nodes', '3', '--time-scale', '10', '--kubeconfig', join(shim.userData, 'kubeconfig'), '--host-terminal']);
    await until('the UI again', () => uiUrl().startsWith('http://127.0.0.1:') && uiUrl().endsWith('#/settings'));
    expect(win().webContents.history.some((u) => u.startsWith('data:'))).toBe(true);
    expect(((await call('getSettings', uiUrl())) as { restartNeeded: boolean }).restartNeeded).toBe(false);
    // Only one backup, ever.
    expect(readdirSync(join(home, '.kube')).filter((f) => f.includes('.bak-'))).toHaveLength(1);
  });

  it('reset asks first; "Cancel" changes nothing; "Reset" stops, deletes the data and starts anew', async () => {
    shim.dialogResponse = 0;
    await expect(call('resetCluster', uiUrl())).resolves.toEqual({ done: false, message: 'Reset cancelled' });
    expect(shim.dialogs.at(-1)!.message).toBe('Reset the cluster?');
    expect(shim.forks).toHaveLength(2);

    writeFileSync(join(dataDir(), 'kubesim.db'), 'the old cluster'); // the stub cluster keeps no store of its own
    const oldCa = readFileSync(join(dataDir(), 'pki', 'ca.crt'), 'utf8');
    shim.dialogResponse = 1;
    await expect(call('resetCluster', uiUrl())).resolves.toEqual({ done: true, message: `Resetting the cluster in ${dataDir()}…` });
    await until('the third serve', () => shim.forks.length === 3);
    await until('the UI again', () => uiUrl().startsWith('http://127.0.0.1:'));
    expect(shim.forks[1]).toMatchObject({ exitCode: 0 });
    expect(existsSync(join(dataDir(), 'kubesim.db'))).toBe(false);
    expect(readFileSync(join(dataDir(), 'pki', 'ca.crt'), 'utf8')).not.toBe(oldCa); // a new cluster
  });

  it('restore puts the original kubeconfig back (after asking) and turns merging off', async () => {
    shim.dialogResponse = 1;
    const r = (await call('restoreKubeconfig', uiUrl())) as { done: boolean; message: string };
    expect(r.done).toBe(true);
    expect(readFileSync(join(home, '.kube', 'config'), 'utf8')).toBe(ORIGINAL_USER_KC);
    expect(((await call('getSettings', uiUrl())) as { settings: { mergeKubeconfig: boolean } }).settings.mergeKubeconfig).toBe(false);
  });

  it('quit stops the cluster cleanly before the app goes', async () => {
    shim.app.quit!();
    expect(shim.quit).toBe(false); // held until the cluster stopped
    await until('quit', () => shim.quit, 30_000);
    expect(shim.forks[2]).toMatchObject({ exitCode: 0 });
    expect(existsSync(join(dataDir(), 'kubesim.lock'))).toBe(false);
  });
});
