/**
 * Where kubesim keeps things by default: the platform's per-user app data folder, and the
 * kubeconfig kubectl reads when nothing else is said.
 */
import { homedir } from 'node:os';
import { win32, posix } from 'node:path';

export interface PlatformEnv {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  home: string;
}

const current = (): PlatformEnv => ({ platform: process.platform, env: process.env, home: homedir() });

/**
 * Linux and the BSDs: `$XDG_DATA_HOME/kubesim` or `~/.local/share/kubesim`;
 * macOS: `~/Library/Application Support/kubesim`; Windows: `%APPDATA%\kubesim`.
 */
export function defaultDataDir(p: PlatformEnv = current()): string {
  if (p.platform === 'win32') {
    const appData = p.env.APPDATA || win32.join(p.home, 'AppData', 'Roaming');
    return win32.join(appData, 'kubesim');
  }
  if (p.platform === 'darwin') return posix.join(p.home, 'Library', 'Application Support', 'kubesim');
  const xdg = p.env.XDG_DATA_HOME;
  // The XDG spec: a relative XDG_DATA_HOME is invalid and must be ignored.
  if (xdg && xdg.startsWith('/')) return posix.join(xdg, 'kubesim');
  return posix.join(p.home, '.local', 'share', 'kubesim');
}

/** The kubeconfig to merge into: the first file named in `$KUBECONFIG`, else `~/.kube/config`. */
export function defaultKubeconfigPath(p: PlatformEnv = current()): string {
  const sep = p.platform === 'win32' ? ';' : ':';
  const first = (p.env.KUBECONFIG ?? '').split(sep).find((s) => s.trim() !== '');
  if (first) return first;
  return (p.platform === 'win32' ? win32 : posix).join(p.home, '.kube', 'config');
}
