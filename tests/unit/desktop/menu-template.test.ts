import { describe, it, expect } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { appMenuTemplate, trayMenuTemplate, ACCELERATORS, type MenuActions } from '../../../src-main/desktop/menu-template';
import type { ClusterStatus } from '../../../src-main/shared/ipc';

const ready: ClusterStatus = { state: 'ready', message: 'The cluster is running', apiUrl: 'https://127.0.0.1:1' };
const starting: ClusterStatus = { state: 'starting', message: 'Starting the cluster…', apiUrl: null };

function recorder() {
  const called: string[] = [];
  const actions = new Proxy({} as MenuActions, { get: (_t, name: string) => () => called.push(name) });
  return { called, actions };
}

function flat(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flat(i.submenu) : [])]);
}
const byId = (items: MenuItemConstructorOptions[], id: string) => flat(items).find((i) => i.id === id)!;
const click = (item: MenuItemConstructorOptions) => (item.click as unknown as () => void)();

describe('application menu', () => {
  it('File, Edit, View, Cluster, Window, Help (and the app menu on macOS)', () => {
    const { actions } = recorder();
    expect(appMenuTemplate({ isDev: false, platform: 'linux', status: ready }, actions).map((m) => m.label)).toEqual(['&File', '&Edit', '&View', '&Cluster', '&Window', '&Help']);
    expect(appMenuTemplate({ isDev: false, platform: 'darwin', status: ready }, actions)[0].role).toBe('appMenu');
  });

  it('accelerators, and each entry runs its action', () => {
    const { called, actions } = recorder();
    const m = appMenuTemplate({ isDev: false, platform: 'linux', status: ready }, actions);
    expect(byId(m, 'settings').accelerator).toBe(ACCELERATORS.settings);
    expect(byId(m, 'open-in-browser').accelerator).toBe('CmdOrCtrl+Shift+O');
    expect(byId(m, 'copy-kubeconfig-path').accelerator).toBe('CmdOrCtrl+Alt+K');
    expect(byId(m, 'quit').accelerator).toBe('CmdOrCtrl+Q');
    expect(flat(m).find((i) => i.role === 'reload')?.accelerator).toBe('CmdOrCtrl+R');
    for (const id of ['settings', 'open-in-browser', 'copy-kubeconfig-path', 'open-data-dir', 'restart-cluster', 'restart-with-defaults', 'reset-cluster', 'docs', 'quit']) click(byId(m, id));
    expect(called).toEqual(['openSettings', 'openInBrowser', 'copyKubeconfigPath', 'openDataDir', 'restartCluster', 'restartWithDefaults', 'resetCluster', 'openDocs', 'quit']);
    // No accelerator is used twice.
    const accels = flat(m).map((i) => i.accelerator).filter(Boolean);
    expect(new Set(accels).size).toBe(accels.length);
  });

  it('developer tools only when unpackaged', () => {
    const { actions } = recorder();
    const has = (isDev: boolean) => flat(appMenuTemplate({ isDev, platform: 'linux', status: ready }, actions)).some((i) => i.role === 'toggleDevTools');
    expect(has(true)).toBe(true);
    expect(has(false)).toBe(false);
  });

  it('follows the cluster status', () => {
    const { actions } = recorder();
    const m = appMenuTemplate({ isDev: false, platform: 'linux', status: starting }, actions);
    expect(byId(m, 'cluster-status')).toMatchObject({ label: 'Cluster starting…', enabled: false });
    expect(byId(m, 'open-in-browser').enabled).toBe(false);
    expect(byId(m, 'restart-cluster').enabled).toBe(false);
    expect(byId(appMenuTemplate({ isDev: false, platform: 'linux', status: ready }, actions), 'restart-cluster').enabled).toBe(true);
  });
});

describe('tray menu', () => {
  it('status line, then show / open in browser / restart / quit', () => {
    const { called, actions } = recorder();
    const t = trayMenuTemplate(ready, actions);
    expect(t.filter((i) => i.type !== 'separator').map((i) => i.label)).toEqual(['Cluster ready', 'Show kubesim', 'Open UI in Browser', 'Restart Cluster', 'Quit kubesim']);
    expect(t[0].enabled).toBe(false);
    for (const id of ['tray-show', 'tray-open-in-browser', 'tray-restart', 'tray-quit']) click(byId(t, id));
    expect(called).toEqual(['showWindow', 'openInBrowser', 'restartCluster', 'quit']);
  });

  it('error and starting states', () => {
    const { actions } = recorder();
    const err = trayMenuTemplate({ state: 'error', message: 'x', apiUrl: null }, actions);
    expect(byId(err, 'tray-status').label).toBe('Cluster error');
    expect(byId(err, 'tray-open-in-browser').enabled).toBe(false);
    expect(byId(err, 'tray-restart').enabled).toBe(true);
    expect(byId(trayMenuTemplate(starting, actions), 'tray-restart').enabled).toBe(false);
  });
});
