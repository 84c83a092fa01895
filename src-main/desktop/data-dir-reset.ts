/**
 * "Reset cluster": deletes what a kubesim data dir holds so the next start bootstraps a new
 * cluster. Only a folder that looks like a kubesim data dir (it has kubesim.db) is touched, and
 * only the entries kubesim writes there are deleted — a data dir pointed at a folder with other
 * files keeps them. Call it only while the cluster is stopped. Node `fs` only.
 */
import { existsSync, readdirSync, rmSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { lockDataDir } from '../cli/lock';

/** What kubesim writes in a data dir (cluster-start.ts, pki, kubelet, serve, lock). */
const KUBESIM_ENTRIES = [/^kubesim\.db(-wal|-shm|-journal)?$/, /^pki$/, /^volumes$/, /^nodes$/, /^pods$/, /^serve-ports\.json$/, /^kubesim\.lock$/];

export interface ResetOutcome {
  removed: string[];
  /** Entries that are not kubesim's and were left alone. */
  kept: string[];
  /** The folder itself was removed (it held nothing else). */
  removedDir: boolean;
}

export function resetDataDir(dir: string): ResetOutcome {
  if (!existsSync(dir)) return { removed: [], kept: [], removedDir: false };
  const entries = readdirSync(dir);
  if (!entries.includes('kubesim.db')) throw new Error(`${dir} does not look like a kubesim data dir (no kubesim.db); nothing was deleted`);
  // The same lock serve takes: refused while a kubesim runs there, a stale one is taken over.
  const lock = lockDataDir(dir);
  const removed: string[] = [];
  const kept: string[] = [];
  try {
    for (const name of entries) {
      if (name === 'kubesim.lock') continue;
      if (KUBESIM_ENTRIES.some((re) => re.test(name))) {
        rmSync(join(dir, name), { recursive: true, force: true });
        removed.push(name);
      } else kept.push(name);
    }
  } finally {
    lock.release();
  }
  let removedDir = false;
  if (kept.length === 0 && readdirSync(dir).length === 0) {
    rmdirSync(dir);
    removedDir = true;
  }
  return { removed, kept, removedDir };
}
