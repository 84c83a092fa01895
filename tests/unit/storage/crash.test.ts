import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../../src-main/storage/sqlite-store';
import { bundleStore } from './bundle';
import { tempDir } from './helpers';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

/** Runs the child until it has acknowledged `atLeast` writes, kills it with SIGKILL, returns what it acknowledged. */
function runAndKill(bundle: string, db: string, tag: string, atLeast: number): Promise<{ acked: Map<string, number>; startRev: number; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(import.meta.dirname, 'crash-child.mjs'), bundle, db, tag], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked = new Map<string, number>();
    let startRev = -1;
    let buf = '';
    let err = '';
    let killed = false;
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const [a, b] = line.split(' ');
        if (a === 'ready') startRev = Number(b);
        else acked.set(a, Number(b));
      }
      if (!killed && acked.size >= atLeast) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      // Lines completed after the kill decision still count: they were acknowledged.
      if (!killed) reject(new Error(`child exited by itself (code ${code}): ${err}`));
      else resolve({ acked, startRev, signal });
    });
  });
}

describe('SqliteStore: kill -9', () => {
  it('keeps every acknowledged write, and later writes get higher revisions', async () => {
    const bundle = await bundleStore(tmp.dir);
    const db = join(tmp.dir, 'kubesim.db');
    let maxRv = 0;
    const all = new Map<string, number>();
    for (const tag of ['first', 'second', 'third']) {
      const r = await runAndKill(bundle, db, tag, 1500);
      expect(r.signal).toBe('SIGKILL');
      expect(r.startRev).toBeGreaterThanOrEqual(maxRv); // the child reopened a crashed database
      for (const [k, rv] of r.acked) {
        all.set(k, rv);
        maxRv = Math.max(maxRv, rv);
      }
      expect(r.acked.size).toBeGreaterThanOrEqual(1500);
    }
    const s = SqliteStore.open({ path: db });
    try {
      const missing: string[] = [];
      for (const [k, rv] of all) {
        const got = s.get(k);
        if (!got || got.rv !== rv) missing.push(`${k}@${rv} -> ${got ? got.rv : 'absent'}`);
      }
      expect(missing).toEqual([]);
      expect(s.currentRevision()).toBeGreaterThanOrEqual(maxRv);
      const next = s.create('/registry/core/configmaps/after/x', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'after' } });
      expect(next.rv).toBeGreaterThan(maxRv);
      expect(next.rv).toBe(s.currentRevision());
    } finally {
      s.close();
    }
  });
});
