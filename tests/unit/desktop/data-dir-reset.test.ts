import { describe, it, expect, afterEach } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resetDataDir } from '../../../src-main/desktop/data-dir-reset';
import { lockDataDir } from '../../../src-main/cli/lock';

let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

function dataDir(extra: string[] = []): string {
  root = mkdtempSync(join(tmpdir(), 'kubesim-reset-'));
  const d = join(root, 'data');
  mkdirSync(join(d, 'pki'), { recursive: true });
  mkdirSync(join(d, 'volumes', 'pv-1'), { recursive: true });
  for (const f of ['kubesim.db', 'kubesim.db-wal', 'serve-ports.json', 'pki/ca.crt', 'volumes/pv-1/data', ...extra]) writeFileSync(join(d, f), 'x');
  return d;
}

describe('reset cluster: the data dir', () => {
  it("deletes kubesim's files and the folder itself", () => {
    const d = dataDir();
    const r = resetDataDir(d);
    expect(r.removed.sort()).toEqual(['kubesim.db', 'kubesim.db-wal', 'pki', 'serve-ports.json', 'volumes']);
    expect(r).toMatchObject({ kept: [], removedDir: true });
    expect(existsSync(d)).toBe(false);
  });

  it("keeps files that are not kubesim's (a data dir set to a shared folder)", () => {
    const d = dataDir(['notes.txt']);
    const r = resetDataDir(d);
    expect(r.kept).toEqual(['notes.txt']);
    expect(r.removedDir).toBe(false);
    expect(readdirSync(d)).toEqual(['notes.txt']);
  });

  it('refuses a folder without kubesim.db, deleting nothing', () => {
    root = mkdtempSync(join(tmpdir(), 'kubesim-reset-'));
    writeFileSync(join(root, 'important.doc'), 'x');
    expect(() => resetDataDir(root)).toThrow(`${root} does not look like a kubesim data dir (no kubesim.db); nothing was deleted`);
    expect(readdirSync(root)).toEqual(['important.doc']);
  });

  it('refuses while a kubesim runs there (its lock), takes over a stale lock', () => {
    const d = dataDir();
    const lock = lockDataDir(d, { pid: process.ppid });
    expect(() => resetDataDir(d)).toThrow(/in use by another kubesim/);
    expect(existsSync(join(d, 'kubesim.db'))).toBe(true);
    lock.release();
    writeFileSync(join(d, 'kubesim.lock'), JSON.stringify({ pid: 2 ** 22 + 12345 }));
    expect(resetDataDir(d).removedDir).toBe(true);
  });

  it('a data dir that does not exist: nothing to do', () => {
    root = mkdtempSync(join(tmpdir(), 'kubesim-reset-'));
    expect(resetDataDir(join(root, 'nope'))).toEqual({ removed: [], kept: [], removedDir: false });
  });
});
