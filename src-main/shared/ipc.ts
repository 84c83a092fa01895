/**
 * THE map of the desktop app's IPC: every channel the preload exposes as `window.kubesim.<name>`,
 * its argument list and its result, each as a runtime check (./validate) from which the TypeScript
 * types are derived. The main process validates every call's arguments against it (and its own
 * results), the preload validates what comes back. Pure: no Electron, Node or DOM import, so the
 * renderer can `import type` from here and tests run under plain Node.
 */
import { array, bool, either, int, literal, nullable, num, object, oneOf, str, tuple, type Check, type Checked } from './validate';

/** Paths are bounded (Windows long paths stay well under this). */
const path = str(4096);

/** `kubesim serve --time-scale` bounds (the CLI's MIN_/MAX_TIME_SCALE; a unit test keeps them equal). */
export const MIN_TIME_SCALE = 0.1;
export const MAX_TIME_SCALE = 100;

/** What the user can change on the Settings page (stored in `<userData>/settings.json`). */
export const desktopSettingsFields = {
  /** null: the per-user default (`kubesim serve`'s). */
  dataDir: nullable(path),
  /** null: the port this data dir used last time when free, else a free one. */
  apiPort: nullable(int(0, 65535)),
  /** Worker nodes besides the control plane (`--nodes`). */
  nodes: int(0, 1000),
  /** How much faster than wall time the cluster clock runs (`--time-scale`; 1 = real time). */
  timeScale: num(MIN_TIME_SCALE, MAX_TIME_SCALE),
  /** Merge the `kubesim` context into the user's kubeconfig (with a backup before the first merge). */
  mergeKubeconfig: bool,
};
export const desktopSettings = object(desktopSettingsFields);
export type DesktopSettings = Checked<typeof desktopSettings>;

export const kubeconfigBackup = object({
  /** The copy, e.g. `~/.kube/config.bak-2026-11-23`; null when there was no file to copy. */
  path: nullable(path),
  /** The kubeconfig it is a copy of. */
  of: path,
  /** ISO date-time it was made. */
  createdAt: str(64),
});
export type KubeconfigBackup = Checked<typeof kubeconfigBackup>;

export const settingsView = object({
  settings: desktopSettings,
  /** What null / unset means on this machine. */
  defaults: object({ dataDir: path, nodes: int(0, 1000) }),
  settingsPath: path,
  /** Problems found when loading settings.json (the defaults were used for those fields). */
  problems: array(str(1000), 100),
  /** The kubeconfig the app's cluster writes (always; it is what "Copy kubeconfig path" copies when merge is off). */
  clusterKubeconfigPath: path,
  /** The user's kubeconfig, merged into when mergeKubeconfig is on. */
  userKubeconfigPath: path,
  backup: nullable(kubeconfigBackup),
  /** Flags from the app's command line that win over these settings until the app restarts. */
  overriddenBy: array(str(200), 20),
  /** The running cluster was started with other settings. */
  restartNeeded: bool,
});
export type SettingsView = Checked<typeof settingsView>;

export const fieldError = object({ field: str(64), message: str(1000) });
export type FieldError = Checked<typeof fieldError>;

export const saveSettingsResult = either(
  object({ ok: literal(true), restartNeeded: bool }),
  object({ ok: literal(false), errors: array(fieldError, 20) }),
);
export type SaveSettingsResult = Checked<typeof saveSettingsResult>;

export const CLUSTER_STATES = ['starting', 'ready', 'stopping', 'stopped', 'error'] as const;
export const clusterStatus = object({
  state: oneOf(...CLUSTER_STATES),
  /** One line for people: "Starting the cluster…", the error, … */
  message: str(2000),
  apiUrl: nullable(str(200)),
});
export type ClusterStatus = Checked<typeof clusterStatus>;
export type ClusterState = ClusterStatus['state'];

/** Outcome of an action that may ask the user first (done: false when they said no). */
export const actionResult = object({ done: bool, message: str(2000) });
export type ActionResult = Checked<typeof actionResult>;

interface Channel<A extends unknown[], R> {
  channel: string;
  args: Check<A>;
  result: Check<R>;
}
const channel = <A extends unknown[], R>(name: string, args: Check<A>, result: Check<R>): Channel<A, R> => ({ channel: `kubesim:${name}`, args, result });

export const IPC = {
  appVersion: channel('app-version', tuple(), str(64)),
  getSettings: channel('settings-get', tuple(), settingsView),
  /** Validates and stores the settings; they apply on the next cluster (re)start. */
  saveSettings: channel('settings-save', tuple(desktopSettings), saveSettingsResult),
  clusterStatus: channel('cluster-status', tuple(), clusterStatus),
  /** Stops the cluster and starts it with the saved settings (the window reloads). */
  restartCluster: channel('cluster-restart', tuple(), actionResult),
  /** Asks the user (native dialog), then stops the cluster, deletes its data dir and starts it again. */
  resetCluster: channel('cluster-reset', tuple(), actionResult),
  /** Asks the user, then puts the kubeconfig backup back (the current file is backed up first). */
  restoreKubeconfig: channel('kubeconfig-restore', tuple(), actionResult),
} as const;

export type IpcName = keyof typeof IPC;
export type IpcArgs<K extends IpcName> = (typeof IPC)[K] extends Channel<infer A, unknown> ? A : never;
export type IpcResult<K extends IpcName> = (typeof IPC)[K] extends Channel<unknown[], infer R> ? R : never;

/** `window.kubesim` in the desktop app (absent in a plain browser). */
export type KubesimBridge = { readonly [K in IpcName]: (...args: IpcArgs<K>) => Promise<IpcResult<K>> };

export const IPC_NAMES = Object.keys(IPC) as IpcName[];
