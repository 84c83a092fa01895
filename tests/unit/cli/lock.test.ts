import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockDataDir, DataDirInUseError, LOCK_FILE, currentOwner, ownerAlive } from '../../../src-main/cli/lock';

let dir: string;
const children: ChildProcess[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubesim-lock-'));
});
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** A live process that is not us, with its lock-file identity. */
async function otherProcess(): Promise<ChildProcess> {
  const c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  children.push(c);
  await new Promise((r) => c.once('spawn', r));
  return c;
}

describe('lockDataDir', () => {
  it('creates the data dir and a lock file with our pid; release removes it', () => {
    const dataDir = join(dir, 'a', 'b');
    const lock = lockDataDir(dataDir);
    expect(lock.path).toBe(join(dataDir, LOCK_FILE));
    expect(JSON.parse(readFileSync(lock.path, 'utf8')).pid).toBe(process.pid);
    lock.release();
    expect(existsSync(lock.path)).toBe(false);
    lock.release(); // idempotent
    lockDataDir(dataDir).release(); // free again
  });

  it('refuses a data dir locked by a live kubesim, naming it and its pid', async () => {
    const other = await otherProcess();
    const owner = { pid: other.pid! };
    const held = lockDataDir(dir, owner);
    let err: unknown;
    try {
      lockDataDir(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataDirInUseError);
    expect((err as Error).message).toBe(`the data dir ${dir} is in use by another kubesim (pid ${other.pid}); stop it or pass another --data-dir`);
    expect(JSON.parse(readFileSync(held.path, 'utf8')).pid).toBe(other.pid); // untouched
  });

  it('refuses a second lock from the same process', () => {
    lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
  });

  it('takes over a stale lock whose process is gone', async () => {
    const other = await otherProcess();
    const pid = other.pid!;
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid }));
    const exited = new Promise((r) => other.once('exit', r));
    other.kill('SIGKILL');
    await exited;
    const lock = lockDataDir(dir);
    expect(JSON.parse(readFileSync(lock.path, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('takes over locks that are garbage, or from another boot, or from a reused pid', async () => {
    writeFileSync(join(dir, LOCK_FILE), 'not a lock');
    lockDataDir(dir).release();

    const other = await otherProcess();
    const me = currentOwner();
    if (me.bootId) {
      writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: other.pid, bootId: 'another-boot' }));
      expect(ownerAlive({ pid: other.pid!, bootId: 'another-boot' })).toBe(false);
      lockDataDir(dir).release();
    }
    if (me.startTime) {
      // The pid is alive but is a different process than the one that wrote the lock.
      writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: other.pid, bootId: me.bootId, startTime: '1' }));
      lockDataDir(dir).release();
    }
    expect(ownerAlive({ pid: other.pid! })).toBe(true);
  });

  it('accepts a plain pid in the lock file (hand-written or older format)', async () => {
    const other = await otherProcess();
    writeFileSync(join(dir, LOCK_FILE), `${other.pid}\n`);
    expect(() => lockDataDir(dir)).toThrow(/in use by another kubesim/);
  });
});
