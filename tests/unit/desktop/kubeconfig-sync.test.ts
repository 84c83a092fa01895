import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { mergeKubeconfig } from '../../../src-main/cli/kubeconfig';
import { ensureBackup, entryFromKubeconfig, freeBackupPath, mergeIntoUserKubeconfig, restoreKubeconfig } from '../../../src-main/desktop/kubeconfig-sync';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const entry = { server: 'https://127.0.0.1:40123', caCertPem: CA, token: 'tok-abc' };
const USER = `# mine
apiVersion: v1
kind: Config
clusters:
  - name: prod
    cluster: { server: 'https://prod.example.com' }
users:
  - name: prod-admin
    user: { token: p }
contexts:
  - name: prod
    context: { cluster: prod, user: prod-admin }
current-context: prod
`;
const DAY = new Date(2026, 10, 23, 12, 0, 0);

let dir: string;
let userKc: string;
let clusterKc: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubesim-kc-'));
  mkdirSync(join(dir, '.kube'));
  userKc = join(dir, '.kube', 'config');
  clusterKc = join(dir, 'userData', 'kubeconfig');
  mkdirSync(join(dir, 'userData'));
  // What `kubesim serve --kubeconfig <userData>/kubeconfig` writes.
  writeFileSync(clusterKc, mergeKubeconfig(undefined, entry));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('entryFromKubeconfig', () => {
  it("reads back serve's kubesim cluster and user", () => {
    expect(entryFromKubeconfig(readFileSync(clusterKc, 'utf8'))).toEqual(entry);
  });
  it('names what is missing', () => {
    expect(() => entryFromKubeconfig(USER)).toThrow("no 'kubesim' cluster with server and certificate-authority-data");
    const noUser = mergeKubeconfig(undefined, entry).replace(/token: tok-abc/, 'username: x');
    expect(() => entryFromKubeconfig(noUser)).toThrow("no 'kubesim' user with a token");
    expect(() => entryFromKubeconfig('a: [')).toThrow(/not valid YAML/);
  });
});

describe('backup before the first merge', () => {
  it('names backups by date and never reuses a taken name', () => {
    const taken = new Set([`${userKc}.bak-2026-11-23`, `${userKc}.bak-2026-11-23-2`]);
    expect(freeBackupPath(userKc, DAY, () => false)).toBe(`${userKc}.bak-2026-11-23`);
    expect(freeBackupPath(userKc, DAY, (p) => taken.has(p))).toBe(`${userKc}.bak-2026-11-23-3`);
  });

  it('first merge: backup = the file as it was (0600), then merged; later merges make no new backup', () => {
    writeFileSync(userKc, USER);
    const first = mergeIntoUserKubeconfig({ clusterKubeconfigPath: clusterKc, userKubeconfigPath: userKc, backup: null, now: DAY });
    expect(first.backup).toEqual({ path: `${userKc}.bak-2026-11-23`, of: userKc, createdAt: DAY.toISOString() });
    expect(readFileSync(first.backup.path!, 'utf8')).toBe(USER);
    if (process.platform !== 'win32') expect(statSync(first.backup.path!).mode & 0o777).toBe(0o600);
    const merged = parse(readFileSync(userKc, 'utf8'));
    expect(merged['current-context']).toBe('kubesim');
    expect(merged.contexts.map((c: { name: string }) => c.name)).toEqual(['prod', 'kubesim']);
    expect(merged.users.find((u: { name: string }) => u.name === 'kubesim').user.token).toBe('tok-abc');

    // The cluster restarts on another port: merged again, the recorded backup is kept as is.
    writeFileSync(clusterKc, mergeKubeconfig(undefined, { ...entry, server: 'https://127.0.0.1:40999' }));
    const second = mergeIntoUserKubeconfig({ clusterKubeconfigPath: clusterKc, userKubeconfigPath: userKc, backup: first.backup, now: new Date(2026, 10, 24) });
    expect(second.backup).toBe(first.backup);
    expect(parse(readFileSync(userKc, 'utf8')).clusters.find((c: { name: string }) => c.name === 'kubesim').cluster.server).toBe('https://127.0.0.1:40999');
    expect(readdirSync(join(dir, '.kube')).filter((f) => f.includes('.bak-'))).toEqual(['config.bak-2026-11-23']);
    expect(readFileSync(first.backup.path!, 'utf8')).toBe(USER);
  });

  it('an existing backup file of the same name is never overwritten', () => {
    writeFileSync(userKc, USER);
    writeFileSync(`${userKc}.bak-2026-11-23`, 'older backup');
    const b = ensureBackup(userKc, null, DAY);
    expect(b.path).toBe(`${userKc}.bak-2026-11-23-2`);
    expect(readFileSync(`${userKc}.bak-2026-11-23`, 'utf8')).toBe('older backup');
    expect(readFileSync(b.path!, 'utf8')).toBe(USER);
  });

  it('no kubeconfig yet: the record says there was none; the merge creates the file', () => {
    const r = mergeIntoUserKubeconfig({ clusterKubeconfigPath: clusterKc, userKubeconfigPath: userKc, backup: null, now: DAY });
    expect(r.backup.path).toBeNull();
    expect(existsSync(userKc)).toBe(true);
  });

  it('a backup recorded for another kubeconfig (KUBECONFIG changed) makes a new one for this file', () => {
    writeFileSync(userKc, USER);
    const other = { path: '/elsewhere/config.bak-2026-01-01', of: '/elsewhere/config', createdAt: '2026-01-01T00:00:00.000Z' };
    expect(ensureBackup(userKc, other, DAY).of).toBe(userKc);
  });

  it("a broken cluster kubeconfig is reported, the user's file untouched", () => {
    writeFileSync(userKc, USER);
    writeFileSync(clusterKc, 'not: [yaml');
    expect(() => mergeIntoUserKubeconfig({ clusterKubeconfigPath: clusterKc, userKubeconfigPath: userKc, backup: null, now: DAY })).toThrow(/cannot read the cluster's kubeconfig/);
    expect(readFileSync(userKc, 'utf8')).toBe(USER);
  });
});

describe('restore', () => {
  it('puts the original back and keeps the current file as a new backup', () => {
    writeFileSync(userKc, USER);
    const { backup } = mergeIntoUserKubeconfig({ clusterKubeconfigPath: clusterKc, userKubeconfigPath: userKc, backup: null, now: DAY });
    const mergedText = readFileSync(userKc, 'utf8');
    const r = restoreKubeconfig(backup, DAY);
    expect(readFileSync(userKc, 'utf8')).toBe(USER);
    expect(r).toEqual({ savedCurrentAs: `${userKc}.bak-2026-11-23-2`, removed: false });
    expect(readFileSync(r.savedCurrentAs!, 'utf8')).toBe(mergedText);
    expect(readFileSync(backup.path!, 'utf8')).toBe(USER);
  });

  it('when there was no kubeconfig before, restore removes it (after saving it)', () => {
    const { backup } = mergeIntoUserKubeconfig({ clusterKubeconfigPath: clusterKc, userKubeconfigPath: userKc, backup: null, now: DAY });
    const r = restoreKubeconfig(backup, DAY);
    expect(r.removed).toBe(true);
    expect(existsSync(userKc)).toBe(false);
    expect(readFileSync(r.savedCurrentAs!, 'utf8')).toContain('kubesim');
  });

  it('a deleted backup is an error, nothing changed', () => {
    writeFileSync(userKc, USER);
    const { backup } = mergeIntoUserKubeconfig({ clusterKubeconfigPath: clusterKc, userKubeconfigPath: userKc, backup: null, now: DAY });
    rmSync(backup.path!);
    const before = readFileSync(userKc, 'utf8');
    expect(() => restoreKubeconfig(backup, DAY)).toThrow(`the backup ${backup.path} no longer exists`);
    expect(readFileSync(userKc, 'utf8')).toBe(before);
  });
});
