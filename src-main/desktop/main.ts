/**
 * Electron main process: one instance; starts the cluster in a utility process (the CLI's
 * `serve`), opens the window on the UI URL it prints, and on quit stops the cluster cleanly
 * (SIGTERM-equivalent, then waits for it to exit).
 */
import { app, BrowserWindow, dialog } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startClusterProcess, type ClusterProcess } from './cluster-process';
import { createMainWindow } from './window';
import { registerIpc } from './ipc';
import { serveArgsFrom } from './serve-args';

const here = fileURLToPath(new URL('.', import.meta.url));
const preloadPath = join(here, '../preload/index.cjs');
const cliPath = join(app.getAppPath(), 'out/cli/kubesim.mjs');
const iconPath = join(app.getAppPath(), 'resources/icon.png');

let cluster: ClusterProcess | undefined;
let win: BrowserWindow | undefined;
let quitting = false;

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

function showWindow(): void {
  if (!cluster) return;
  if (win && !win.isDestroyed()) {
    if (win.isMinimized()) win.restore();
    win.focus();
    return;
  }
  win = createMainWindow(cluster.uiUrl, preloadPath, existsSync(iconPath) ? iconPath : undefined);
  win.on('closed', () => (win = undefined));
}

async function main(): Promise<void> {
  await app.whenReady();
  registerIpc(() => (cluster ? new URL(cluster.uiUrl).origin : undefined));
  const serveArgs = serveArgsFrom(process.argv.slice(1));
  try {
    cluster = await startClusterProcess({ cliPath, serveArgs, log });
  } catch (e) {
    dialog.showErrorBox('kubesim could not start its cluster', e instanceof Error ? e.message : String(e));
    app.exit(1);
    return;
  }
  cluster.onUnexpectedExit((code) => {
    if (quitting) return;
    dialog.showErrorBox('kubesim', `The cluster stopped unexpectedly (exit code ${code}). kubesim will close; the cluster's data is kept.`);
    app.exit(1);
  });
  showWindow();
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
    if (!cluster || quitting) return;
    quitting = true;
    e.preventDefault();
    const c = cluster;
    void c
      .stop()
      .catch((err: unknown) => log(`kubesim: stopping the cluster failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        cluster = undefined;
        app.quit();
      });
  });
  void main();
}
