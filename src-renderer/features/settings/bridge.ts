/**
 * The desktop bridge (`window.kubesim`, set by the Electron preload before the page's scripts
 * run), or undefined in a plain browser. Types only from the IPC map.
 */
import type { ClusterStatus, DesktopSettings, FieldError, KubesimBridge } from '../../../src-main/shared/ipc';

export type { ClusterStatus, DesktopSettings, FieldError, KubesimBridge };
export type { SettingsView, KubeconfigBackup, ActionResult } from '../../../src-main/shared/ipc';

export function desktopBridge(): KubesimBridge | undefined {
  return typeof window === 'undefined' ? undefined : window.kubesim;
}

export const SETTINGS_ROUTE = '/settings';
