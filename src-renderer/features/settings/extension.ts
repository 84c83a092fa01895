/**
 * Settings of the desktop app (data folder, API port, worker nodes, kubeconfig merge and its
 * backup, restart and reset of the cluster), talking to the Electron main process through
 * `window.kubesim`. Registered only in the desktop app: in a plain browser there is no route,
 * no sidebar entry and no command.
 */
import type { Extension } from '../../extensions/types';
import { desktopBridge, SETTINGS_ROUTE } from './bridge';

const desktop = !!desktopBridge();

export const extension: Extension = desktop
  ? {
      routes: [{ path: SETTINGS_ROUTE, name: 'settings', component: () => import('./SettingsView.vue'), meta: { title: 'Settings' } }],
      nav: [{ id: 'settings', label: 'Settings', to: SETTINGS_ROUTE, order: 90, visible: () => !!desktopBridge() }],
      commands: [{ id: 'settings.open', title: 'Open Settings', group: 'Go to', run: ({ router }) => void router.push(SETTINGS_ROUTE) }],
    }
  : {};
