/**
 * The desktop app's cluster always writes its own kubeconfig (`<userData>/kubeconfig`, serve's
 * `--kubeconfig`). With "merge into my kubeconfig" on, its `kubesim` entries are merged into the
 * user's kubeconfig with the same code `kubesim serve` uses (cli/kubeconfig.ts), after a one-time
 * backup: `<kubeconfig>.bak-<date>`, never overwriting an existing file, recorded in settings.json
 * so later merges don't back up again, and restorable. Node `fs` only (no Electron).
 */
import { chmodSync, constants, copyFileSync, existsSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { isMap, parseDocument } from 'yaml';
import { KUBESIM_NAME, writeKubeconfig, type KubeconfigEntry, type KubeconfigWriteResult } from '../cli/kubeconfig';
import type { KubeconfigBackup } from '../shared/ipc';

/** The kubesim cluster/user from a kubeconfig `kubesim serve` wrote; throws naming what is missing. */
export function entryFromKubeconfig(text: string): KubeconfigEntry {
  const doc = parseDocument(text);
  if (doc.errors.length) throw new Error(`not valid YAML (${doc.errors[0].message.split('\n')[0]})`);
  const v = doc.toJS() as { clusters?: unknown; users?: unknown } | null;
  const find = (list: unknown): Record<string, unknown> | undefined =>
    Array.isArray(list) ? (list as Record<string, unknown>[]).find((i) => i && i.name === KUBESIM_NAME) : undefined;
  const cluster = find(v?.clusters)?.cluster as Record<string, unknown> | undefined;
  const user = find(v?.users)?.user as Record<string, unknown> | undefined;
  const server = cluster?.server;
  const ca = cluster?.['certificate-authority-data'];
  const token = user?.token;
  if (typeof server !== 'string' || typeof ca !== 'string') throw new Error(`no '${KUBESIM_NAME}' cluster with server and certificate-authority-data`);
  if (typeof token !== 'string') throw new Error(`no '${KUBESIM_NAME}' user with a token`);
  return { server, caCertPem: Buffer.from(ca, 'base64').toString('utf8'), token };
}

const pad = (n: number) => String(n).padStart(2, '0');
function dateStamp(now: Date): string {
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** `<file>.bak-YYYY-MM-DD`, or `…-2`, `…-3` when taken: a name no existing file has. */
export function freeBackupPath(file: string, now: Date, exists: (p: string) => boolean = existsSync): string {
  const base = `${file}.bak-${dateStamp(now)}`;
  if (!exists(base)) return base;
  for (let i = 2; ; i++) if (!exists(`${base}-${i}`)) return `${base}-${i}`;
}

function resolved(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** Copies `file` to a new backup name (exclusive create: an existing backup is never overwritten). */
function copyToNewBackup(file: string, now: Date): string {
  for (;;) {
    const dest = freeBackupPath(file, now);
    try {
      copyFileSync(file, dest, constants.COPYFILE_EXCL);
      if (process.platform !== 'win32') chmodSync(dest, 0o600);
      return dest;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

/**
 * The backup to keep for `kubeconfigPath`: `existing` when it was made of this file; else a new
 * copy (or, when the file does not exist, a record that there was none).
 */
export function ensureBackup(kubeconfigPath: string, existing: KubeconfigBackup | null, now: Date): KubeconfigBackup {
  if (existing && existing.of === kubeconfigPath) return existing;
  const target = resolved(kubeconfigPath);
  const path = existsSync(target) ? copyToNewBackup(target, now) : null;
  return { path, of: kubeconfigPath, createdAt: now.toISOString() };
}

export interface MergeOutcome {
  backup: KubeconfigBackup;
  written: KubeconfigWriteResult;
}

/** Backs the user's kubeconfig up (first time only), then merges the cluster's kubesim entries into it. */
export function mergeIntoUserKubeconfig(opts: { clusterKubeconfigPath: string; userKubeconfigPath: string; backup: KubeconfigBackup | null; now: Date }): MergeOutcome {
  let entry: KubeconfigEntry;
  try {
    entry = entryFromKubeconfig(readFileSync(opts.clusterKubeconfigPath, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read the cluster's kubeconfig ${opts.clusterKubeconfigPath}: ${(e as Error).message}`);
  }
  const backup = ensureBackup(opts.userKubeconfigPath, opts.backup, opts.now);
  return { backup, written: writeKubeconfig(opts.userKubeconfigPath, entry) };
}

export interface RestoreOutcome {
  /** Where the file as it was before the restore went (nothing is lost). */
  savedCurrentAs?: string;
  /** True when there was no kubeconfig before the first merge, so the file was removed. */
  removed: boolean;
}

/**
 * Puts the kubeconfig back as it was before the first merge. The current file is first copied to a
 * new `.bak-<date>` name, so a restore never loses anything either.
 */
export function restoreKubeconfig(backup: KubeconfigBackup, now: Date): RestoreOutcome {
  const target = resolved(backup.of);
  if (backup.path !== null && !existsSync(backup.path)) throw new Error(`the backup ${backup.path} no longer exists`);
  const savedCurrentAs = existsSync(target) ? copyToNewBackup(target, now) : undefined;
  if (backup.path === null) {
    if (existsSync(target)) rmSync(target);
    return { savedCurrentAs, removed: true };
  }
  copyFileSync(backup.path, target);
  if (process.platform !== 'win32') chmodSync(target, 0o600);
  return { savedCurrentAs, removed: false };
}
