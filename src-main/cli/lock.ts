/**
 * One kubesim per data dir: `<dataDir>/kubesim.lock` holds the owner's pid (and, on Linux, its
 * boot id and process start time, so a pid reused after a crash or reboot is not mistaken for a
 * live kubesim). A lock whose owner is gone is stale and taken over.
 */
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'kubesim.lock';

export interface LockOwner {
  pid: number;
  /** Linux: /proc/sys/kernel/random/boot_id when the lock was taken. */
  bootId?: string;
  /** Linux: field 22 of /proc/<pid>/stat (start time in clock ticks since boot). */
  startTime?: string;
}

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: LockOwner,
  ) {
    super(`the data dir ${dataDir} is in use by another kubesim (pid ${owner.pid}); stop it or pass another --data-dir`);
    this.name = 'DataDirInUseError';
  }
}

export interface DataDirLock {
  path: string;
  /** Removes the lock file if it is still ours. Idempotent, synchronous (safe in 'exit'). */
  release(): void;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function bootId(): string | undefined {
  return process.platform === 'linux' ? readText('/proc/sys/kernel/random/boot_id')?.trim() : undefined;
}

function startTimeOf(pid: number): string | undefined {
  if (process.platform !== 'linux') return undefined;
  const stat = readText(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  // comm (field 2) may contain spaces and parentheses: fields after the last ')' are fixed.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return rest[22 - 3];
}

export function currentOwner(): LockOwner {
  const owner: LockOwner = { pid: process.pid };
  const b = bootId();
  if (b) owner.bootId = b;
  const s = startTimeOf(process.pid);
  if (s) owner.startTime = s;
  return owner;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the process that wrote `owner` still runs (same boot, same process start). */
export function ownerAlive(owner: LockOwner): boolean {
  if (!Number.isInteger(owner.pid) || owner.pid <= 0) return false;
  if (owner.bootId && bootId() && owner.bootId !== bootId()) return false;
  if (!isAlive(owner.pid)) return false;
  if (owner.startTime) {
    const now = startTimeOf(owner.pid);
    if (now && now !== owner.startTime) return false;
  }
  return true;
}

function parseOwner(text: string | undefined): LockOwner | undefined {
  if (text === undefined) return undefined;
  const pid = Number(text.trim());
  if (Number.isInteger(pid) && pid > 0) return { pid };
  try {
    const v = JSON.parse(text) as Partial<LockOwner> | null;
    if (v && typeof v.pid === 'number') return { pid: v.pid, bootId: v.bootId, startTime: v.startTime };
  } catch {
    /* fall through */
  }
  return { pid: 0 }; // unreadable: treat as stale
}

/**
 * Takes the data dir's lock (creating the dir) or throws DataDirInUseError naming the owner.
 * A stale lock (owner gone) is removed and taken over.
 */
export function lockDataDir(dataDir: string, owner: LockOwner = currentOwner()): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE);
  const content = JSON.stringify(owner) + '\n';
  for (let attempt = 0; attempt < 5; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o644);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`cannot create the lock ${path}: ${(e as Error).message}`);
      const existing = parseOwner(readText(path));
      if (existing === undefined) continue; // removed meanwhile: try again
      if (existing.pid === owner.pid && existing.startTime === owner.startTime) {
        // Our own (a second lock in this process): the caller is confused, but it is not in use by another.
        throw new DataDirInUseError(dataDir, existing);
      }
      if (ownerAlive(existing)) throw new DataDirInUseError(dataDir, existing);
      try {
        unlinkSync(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot remove the stale lock ${path}: ${(err as Error).message}`);
      }
      continue;
    }
    try {
      writeSync(fd, content);
    } finally {
      closeSync(fd);
    }
    let released = false;
    return {
      path,
      release() {
        if (released) return;
        released = true;
        const now = parseOwner(readText(path));
        if (now && now.pid === owner.pid) {
          try {
            unlinkSync(path);
          } catch {
            /* already gone */
          }
        }
      },
    };
  }
  throw new Error(`cannot take the lock ${path}: it keeps changing (another kubesim starting at the same time?)`);
}
