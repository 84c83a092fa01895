/**
 * Electron main process: one instance; opens the window at once (a start-up page) while the
 * cluster starts in a utility process (the CLI's `serve`, flags from the settings), then shows the
 * UI URL it prints; the application menu and the tray follow the cluster's status; settings,
 * restart, reset and the kubeconfig backup are offered to the UI over the typed IPC; on quit the
 * cluster is stopped cleanly (serve's own shutdown, waited for, killed only after a timeout).
 */
import { app, BrowserWindow, clipboard, dialog, Menu, shell } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultDataDir, defaultKubeconfigPath } from '../cli/paths';
import type { ActionResult, DesktopSettings, SettingsView } from '../shared/ipc';
import { utilityProcessSpawner } from './cluster-process';
import { ClusterSupervisor } from './cluster-supervisor';
import { resetDataDir } from './data-dir-reset';
import { externalUrl } from './external-links';
import { registerIpc } from './ipc';
import { mergeIntoUserKubeconfig, restoreKubeconfig } from './kubeconfig-sync';
import { appMenuTemplate, type MenuActions } from './menu-template';
import { buildServeArgs, flagValue, type ServeArgs } from './serve-args';
import { DEFAULT_NODES, defaultSettings, loadSettings, sameClusterSettings, saveSettings, SETTINGS_FILE, validateSettings, type StoredSettings } from './settings';
import { splashUrl } from './splash';
import { AppTray } from './tray';
import { createMainWindow } from './window';
import { WINDOW_STATE_FILE } from './window-state';

const here = fileURLToPath(new URL('.', import.meta.url));
const preloadPath = join(here, '../preload/index.cjs');
const cliPath = join(app.getAppPath(), 'out/cli/kubesim.mjs');
const iconPath = join(app.getAppPath(), 'resources/icon.png');
const isDev = !app.isPackaged;
const DOCS_URL = 'https://kubernetes.io/docs/home/';

let userData = '';
let stored: StoredSettings;
let loadProblems: string[] = [];
let running: { settings: DesktopSettings; serve: ServeArgs } | undefined;
let kubeconfigProblem: string | undefined;
let win: BrowserWindow | undefined;
let tray: AppTray | undefined;
let quitting = false;
/** The UI route to show once the cluster's UI is (back) up. */
let pendingHash = '';

const settingsFile = () => join(userData, SETTINGS_FILE);
const clusterKubeconfigPath = () => join(userData, 'kubeconfig');

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

const supervisor = new ClusterSupervisor({
  spawn: utilityProcessSpawner(cliPath),
  log,
  onStatus: (s) => {
    tray?.update(s);
    refreshMenu();
    if ((s.state === 'error' || s.state === 'stopping') && win && !win.isDestroyed()) void win.loadURL(splashUrl(s));
  },
});

const uiOrigin = (): string | undefined => {
  const ep = supervisor.endpoints;
  return ep && supervisor.status.state === 'ready' ? new URL(ep.uiUrl).origin : undefined;
};

function effectiveDataDir(): string {
  return (running && flagValue(running.serve.args, '--data-dir')) ?? stored.dataDir ?? defaultDataDir();
}

/** The kubeconfig kubectl should use for this cluster: the user's when merged, else the app's own. */
function kubeconfigForKubectl(): string {
  const explicit = running && flagValue(running.serve.args, '--kubeconfig');
  if (explicit && explicit !== clusterKubeconfigPath()) return explicit;
  return stored.mergeKubeconfig ? defaultKubeconfigPath() : clusterKubeconfigPath();
}

function persist(): void {
  try {
    saveSettings(settingsFile(), stored);
  } catch (e) {
    log(`kubesim: cannot save ${settingsFile()}: ${(e as Error).message}`);
  }
}

/** Merges the cluster's context into the user's kubeconfig when asked to (backing it up the first time). */
function syncKubeconfig(): void {
  kubeconfigProblem = undefined;
  if (!stored.mergeKubeconfig || !running) return;
  const clusterKc = flagValue(running.serve.args, '--kubeconfig') ?? clusterKubeconfigPath();
  if (clusterKc !== clusterKubeconfigPath()) return; // --kubeconfig on the command line: that file is the user's choice
  try {
    const out = mergeIntoUserKubeconfig({ clusterKubeconfigPath: clusterKc, userKubeconfigPath: defaultKubeconfigPath(), backup: stored.kubeconfigBackup, now: new Date() });
    if (out.backup !== stored.kubeconfigBackup) {
      stored = { ...stored, kubeconfigBackup: out.backup };
      persist();
      if (out.backup.path) log(`kubesim: your kubeconfig was backed up to ${out.backup.path}`);
    }
  } catch (e) {
    kubeconfigProblem = (e as Error).message;
    log(`kubesim: kubeconfig not merged: ${kubeconfigProblem}`);
  }
}

function showUi(): void {
  const ep = supervisor.endpoints;
  if (!ep || !win || win.isDestroyed()) return;
  const u = new URL(ep.uiUrl);
  if (pendingHash) u.hash = pendingHash;
  pendingHash = '';
  void win.loadURL(u.toString());
}

async function startCluster(): Promise<void> {
  const settings: DesktopSettings = { dataDir: stored.dataDir, apiPort: stored.apiPort, nodes: stored.nodes, timeScale: stored.timeScale, mergeKubeconfig: stored.mergeKubeconfig };
  running = { settings, serve: buildServeArgs(settings, { clusterKubeconfigPath: clusterKubeconfigPath(), commandLine: process.argv.slice(1) }) };
  if (win && !win.isDestroyed()) void win.loadURL(splashUrl({ state: 'starting', message: '', apiUrl: null }));
  try {
    await supervisor.start(running.serve.args);
  } catch (e) {
    log(`kubesim: ${(e as Error).message}`);
    return; // the status (error) is on the splash page, the tray and the menu
  }
  syncKubeconfig();
  showUi();
}

/** Remembers the UI route so a restart comes back to it. */
function rememberRoute(): void {
  const url = win && !win.isDestroyed() ? win.webContents.getURL() : '';
  if (uiOrigin() && url.startsWith(uiOrigin()!)) pendingHash = new URL(url).hash;
}

let restarting: Promise<void> | undefined;
function restartCluster(before?: () => void): Promise<void> {
  rememberRoute();
  return (restarting ??= (async () => {
    try {
      await supervisor.stop();
      before?.();
      await startCluster();
    } finally {
      restarting = undefined;
    }
  })());
}

async function confirm(message: string, detail: string, action: string): Promise<boolean> {
  const opts = { type: 'warning' as const, buttons: ['Cancel', action], defaultId: 0, cancelId: 0, noLink: true, message, detail };
  const r = win && !win.isDestroyed() ? await dialog.showMessageBox(win, opts) : await dialog.showMessageBox(opts);
  return r.response === 1;
}

async function resetCluster(): Promise<ActionResult> {
  if (restarting) return { done: false, message: 'The cluster is restarting; reset it once it is up' };
  const dir = effectiveDataDir();
  const yes = await confirm('Reset the cluster?', `kubesim stops the cluster, deletes its data in ${dir} (every object, volume and log) and starts a new, empty cluster.`, 'Reset Cluster');
  if (!yes) return { done: false, message: 'Reset cancelled' };
  setImmediate(() => {
    void restartCluster(() => {
      try {
        const r = resetDataDir(dir);
        if (r.kept.length) log(`kubesim: reset kept files that are not kubesim's in ${dir}: ${r.kept.join(', ')}`);
      } catch (e) {
        void dialog.showMessageBox({ type: 'error', message: 'The cluster was not reset', detail: (e as Error).message });
      }
    });
  });
  return { done: true, message: `Resetting the cluster in ${dir}…` };
}

async function restoreBackup(): Promise<ActionResult> {
  const b = stored.kubeconfigBackup;
  if (!b) return { done: false, message: 'There is no kubeconfig backup: kubesim has not merged into your kubeconfig yet' };
  const what = b.path ? `puts ${b.path} back as ${b.of}` : `removes ${b.of} (there was none before kubesim's first merge)`;
  const yes = await confirm('Restore your kubeconfig?', `kubesim ${what}, and stops merging its context into it. The current file is kept as a new backup first.`, 'Restore');
  if (!yes) return { done: false, message: 'Restore cancelled' };
  try {
    const r = restoreKubeconfig(b, new Date());
    stored = { ...stored, mergeKubeconfig: false };
    persist();
    const kept = r.savedCurrentAs ? ` The file as it was is kept as ${r.savedCurrentAs}.` : '';
    return { done: true, message: `${r.removed ? `Removed ${b.of}` : `Restored ${b.of} from ${b.path}`}; merging is now off.${kept}` };
  } catch (e) {
    return { done: false, message: `Restore failed: ${(e as Error).message}` };
  }
}

function settingsView(): SettingsView {
  const { kubeconfigBackup, ...settings } = stored;
  const problems = [...loadProblems];
  if (kubeconfigProblem) problems.push(`kubeconfig: ${kubeconfigProblem}`);
  return {
    settings,
    defaults: { dataDir: defaultDataDir(), nodes: DEFAULT_NODES },
    settingsPath: settingsFile(),
    problems,
    clusterKubeconfigPath: clusterKubeconfigPath(),
    userKubeconfigPath: defaultKubeconfigPath(),
    backup: kubeconfigBackup,
    overriddenBy: running?.serve.overriddenBy ?? [],
    restartNeeded: running ? !sameClusterSettings(running.settings, settings) : false,
  };
}

function navigateTo(hash: string): void {
  showWindow();
  const url = win && !win.isDestroyed() ? win.webContents.getURL() : '';
  if (uiOrigin() && url.startsWith(uiOrigin()!)) {
    const u = new URL(url);
    u.hash = hash;
    void win!.loadURL(u.toString());
  } else pendingHash = hash;
}

const actions: MenuActions = {
  showWindow: () => showWindow(),
  openSettings: () => navigateTo('#/settings'),
  openInBrowser: () => {
    const ep = supervisor.endpoints;
    if (ep) void shell.openExternal(externalUrl(ep.uiUrl) ?? ep.uiUrl);
  },
  copyKubeconfigPath: () => clipboard.writeText(kubeconfigForKubectl()),
  restartCluster: () => void restartCluster(),
  restartWithDefaults: () => {
    const d = defaultSettings();
    stored = { ...stored, dataDir: d.dataDir, apiPort: d.apiPort, nodes: d.nodes };
    persist();
    void restartCluster();
  },
  resetCluster: () => void resetCluster(),
  openDataDir: () => void shell.openPath(effectiveDataDir()),
  openDocs: () => void shell.openExternal(DOCS_URL),
  quit: () => app.quit(),
};

function refreshMenu(): void {
  if (!app.isReady()) return;
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate({ isDev, platform: process.platform, status: supervisor.status }, actions)));
}

function showWindow(): void {
  if (win && !win.isDestroyed()) {
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
    return;
  }
  win = createMainWindow({ preloadPath, iconPath: existsSync(iconPath) ? iconPath : undefined, stateFile: join(userData, WINDOW_STATE_FILE), uiOrigin, isDev });
  win.on('closed', () => (win = undefined));
  if (supervisor.status.state === 'ready') showUi();
  else void win.loadURL(splashUrl(supervisor.status));
}

async function main(): Promise<void> {
  await app.whenReady();
  userData = app.getPath('userData');
  ({ settings: stored, problems: loadProblems } = loadSettings(settingsFile()));
  for (const p of loadProblems) log(`kubesim: ${p}`);
  registerIpc(
    {
      appVersion: () => app.getVersion(),
      getSettings: () => settingsView(),
      saveSettings: (s) => {
        const errors = validateSettings(s);
        if (errors.length) return { ok: false, errors };
        const mergeTurnedOn = s.mergeKubeconfig && !stored.mergeKubeconfig;
        stored = { ...stored, ...s };
        loadProblems = [];
        persist();
        if (mergeTurnedOn && supervisor.status.state === 'ready') syncKubeconfig();
        return { ok: true, restartNeeded: running ? !sameClusterSettings(running.settings, s) : false };
      },
      clusterStatus: () => supervisor.status,
      restartCluster: () => {
        setImmediate(() => void restartCluster());
        return { done: true, message: 'Restarting the cluster…' };
      },
      resetCluster: () => resetCluster(),
      restoreKubeconfig: () => restoreBackup(),
    },
    uiOrigin,
  );
  if (existsSync(iconPath)) {
    try {
      tray = new AppTray(iconPath, actions);
      tray.update(supervisor.status);
    } catch (e) {
      log(`kubesim: no tray icon: ${(e as Error).message}`);
    }
  }
  refreshMenu();
  showWindow();
  await startCluster();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => showWindow());
  app.on('activate', () => showWindow());
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', (e) => {
    if (quitting) return;
    quitting = true;
    e.preventDefault();
    void (async () => {
      // Wait for a restart in progress so its new cluster is stopped too.
      await restarting?.catch(() => {});
      const r = await supervisor.stop().catch((err: unknown) => {
        log(`kubesim: stopping the cluster failed: ${err instanceof Error ? err.message : String(err)}`);
        return { clean: false };
      });
      if (!r.clean) log('kubesim: the cluster had to be killed');
      tray?.destroy();
      app.quit();
    })();
  });
  void main();
}
