/**
 * The application menu (File, Edit, View, Cluster, Window, Help) and the tray's menu, as plain
 * templates for Menu.buildFromTemplate: what each entry says, its accelerator, when it is enabled,
 * and which action it runs. Pure (Electron's types only), so the menus are unit-tested.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { ClusterStatus } from '../shared/ipc';
import { statusLabel } from './cluster-status';

export interface MenuActions {
  showWindow(): void;
  openSettings(): void;
  openInBrowser(): void;
  copyKubeconfigPath(): void;
  restartCluster(): void;
  /** Forgets the data dir, port and node count settings, then restarts (when they keep it from starting). */
  restartWithDefaults(): void;
  resetCluster(): void;
  openDataDir(): void;
  openDocs(): void;
  quit(): void;
}

export interface MenuContext {
  /** Unpackaged (`npm start`): developer tools are offered only then. */
  isDev: boolean;
  platform: NodeJS.Platform;
  status: ClusterStatus;
}

export const ACCELERATORS = {
  settings: 'CmdOrCtrl+,',
  openInBrowser: 'CmdOrCtrl+Shift+O',
  copyKubeconfigPath: 'CmdOrCtrl+Alt+K',
  reload: 'CmdOrCtrl+R',
  devTools: process.platform === 'darwin' ? 'Alt+Cmd+I' : 'Ctrl+Shift+I',
  quit: 'CmdOrCtrl+Q',
} as const;

const busy = (s: ClusterStatus) => s.state === 'starting' || s.state === 'stopping';

export function appMenuTemplate(ctx: MenuContext, a: MenuActions): MenuItemConstructorOptions[] {
  const mac = ctx.platform === 'darwin';
  const ready = ctx.status.state === 'ready';
  const view: MenuItemConstructorOptions[] = [
    { label: 'Reload', accelerator: ACCELERATORS.reload, role: 'reload' },
    ...(ctx.isDev ? [{ label: 'Toggle Developer Tools', accelerator: ACCELERATORS.devTools, role: 'toggleDevTools' } as MenuItemConstructorOptions] : []),
    { type: 'separator' },
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  return [
    ...(mac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    {
      label: '&File',
      submenu: [
        { id: 'settings', label: 'Settings…', accelerator: ACCELERATORS.settings, click: () => a.openSettings() },
        { id: 'open-in-browser', label: 'Open UI in Browser', accelerator: ACCELERATORS.openInBrowser, enabled: ready, click: () => a.openInBrowser() },
        { id: 'copy-kubeconfig-path', label: 'Copy Kubeconfig Path', accelerator: ACCELERATORS.copyKubeconfigPath, click: () => a.copyKubeconfigPath() },
        { id: 'open-data-dir', label: 'Show Data Folder', click: () => a.openDataDir() },
        { type: 'separator' },
        mac ? { role: 'close' } : { id: 'quit', label: 'Quit', accelerator: ACCELERATORS.quit, click: () => a.quit() },
      ],
    },
    { label: '&Edit', submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }] },
    { label: '&View', submenu: view },
    {
      label: '&Cluster',
      submenu: [
        { id: 'cluster-status', label: statusLabel(ctx.status), enabled: false },
        { type: 'separator' },
        { id: 'restart-cluster', label: 'Restart Cluster', enabled: !busy(ctx.status), click: () => a.restartCluster() },
        { id: 'restart-with-defaults', label: 'Restart with Default Settings', enabled: !busy(ctx.status), click: () => a.restartWithDefaults() },
        { id: 'reset-cluster', label: 'Reset Cluster…', enabled: ctx.status.state !== 'stopping', click: () => a.resetCluster() },
      ],
    },
    { label: '&Window', role: 'windowMenu' },
    {
      label: '&Help',
      role: 'help',
      submenu: [{ id: 'docs', label: 'Kubernetes Documentation', click: () => a.openDocs() }, ...(mac ? [] : [{ role: 'about' } as MenuItemConstructorOptions])],
    },
  ];
}

export function trayMenuTemplate(status: ClusterStatus, a: MenuActions): MenuItemConstructorOptions[] {
  return [
    { id: 'tray-status', label: statusLabel(status), enabled: false },
    { type: 'separator' },
    { id: 'tray-show', label: 'Show kubesim', click: () => a.showWindow() },
    { id: 'tray-open-in-browser', label: 'Open UI in Browser', enabled: status.state === 'ready', click: () => a.openInBrowser() },
    { id: 'tray-restart', label: 'Restart Cluster', enabled: !busy(status), click: () => a.restartCluster() },
    { type: 'separator' },
    { id: 'tray-quit', label: 'Quit kubesim', click: () => a.quit() },
  ];
}
