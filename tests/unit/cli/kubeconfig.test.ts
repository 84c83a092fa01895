import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, statSync, existsSync, symlinkSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { mergeKubeconfig, writeKubeconfig, BACKUP_SUFFIX } from '../../../src-main/cli/kubeconfig';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const entry = { server: 'https://127.0.0.1:6443', caCertPem: CA, token: 'tok-123' };

const EXISTING = `# my clusters
apiVersion: v1
kind: Config
clusters:
  - name: prod
    cluster:
      server: https://prod.example.com
      certificate-authority-data: AAAA
      x-unknown-cluster-field: keep-me
users:
  - name: prod-admin
    user:
      exec:
        apiVersion: client.authentication.k8s.io/v1
        command: aws
        args: [eks, get-token]
contexts:
  - name: prod
    context:
      cluster: prod
      user: prod-admin
      namespace: web
current-context: prod
preferences:
  colors: true
x-top-level-extension: 42
`;

interface Kc {
  clusters: { name: string; cluster: Record<string, unknown> }[];
  users: { name: string; user: Record<string, unknown> }[];
  contexts: { name: string; context: Record<string, unknown> }[];
  'current-context': string;
  [k: string]: unknown;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubesim-kc-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('mergeKubeconfig', () => {
  it('writes a complete kubeconfig when there is none', () => {
    const kc = parse(mergeKubeconfig(undefined, entry)) as Kc;
    expect(kc.apiVersion).toBe('v1');
    expect(kc.kind).toBe('Config');
    expect(kc.clusters).toEqual([{ name: 'kubesim', cluster: { 'certificate-authority-data': Buffer.from(CA).toString('base64'), server: 'https://127.0.0.1:6443' } }]);
    expect(kc.users).toEqual([{ name: 'kubesim', user: { token: 'tok-123' } }]);
    expect(kc.contexts).toEqual([{ name: 'kubesim', context: { cluster: 'kubesim', user: 'kubesim' } }]);
    expect(kc['current-context']).toBe('kubesim');
  });

  it('adds kubesim beside other entries without touching them, unknown fields and comments included', () => {
    const text = mergeKubeconfig(EXISTING, entry);
    const kc = parse(text) as Kc;
    const before = parse(EXISTING) as Kc;
    expect(kc.clusters[0]).toEqual(before.clusters[0]);
    expect(kc.users[0]).toEqual(before.users[0]);
    expect(kc.contexts[0]).toEqual(before.contexts[0]);
    expect(kc.clusters.map((c) => c.name)).toEqual(['prod', 'kubesim']);
    expect(kc.contexts.map((c) => c.name)).toEqual(['prod', 'kubesim']);
    expect(kc['current-context']).toBe('kubesim');
    expect(kc.preferences).toEqual({ colors: true });
    expect(kc['x-top-level-extension']).toBe(42);
    expect(text).toContain('# my clusters');
    expect(text).toMatch(/args: \[ ?eks, get-token ?\]/);
  });

  it('replaces an older kubesim entry in place and is idempotent', () => {
    const first = mergeKubeconfig(EXISTING, entry);
    const moved = mergeKubeconfig(first, { ...entry, server: 'https://127.0.0.1:7000', token: 'tok-456' });
    const kc = parse(moved) as Kc;
    expect(kc.clusters.filter((c) => c.name === 'kubesim')).toEqual([{ name: 'kubesim', cluster: expect.objectContaining({ server: 'https://127.0.0.1:7000' }) }]);
    expect(kc.users.filter((u) => u.name === 'kubesim')).toEqual([{ name: 'kubesim', user: { token: 'tok-456' } }]);
    expect(kc.contexts).toHaveLength(2);
    expect(mergeKubeconfig(moved, { ...entry, server: 'https://127.0.0.1:7000', token: 'tok-456' })).toBe(moved);
    expect(mergeKubeconfig(first, entry)).toBe(first);
  });

  it("keeps the namespace a user set on the kubesim context", () => {
    const withNs = mergeKubeconfig(undefined, entry).replace('user: kubesim\n', 'user: kubesim\n      namespace: dev\n');
    expect((parse(withNs) as Kc).contexts[0].context.namespace).toBe('dev');
    const kc = parse(mergeKubeconfig(withNs, { ...entry, token: 'new' })) as Kc;
    expect(kc.contexts[0].context).toEqual({ cluster: 'kubesim', user: 'kubesim', namespace: 'dev' });
  });

  it('handles null lists and refuses files that are not kubeconfigs', () => {
    const kc = parse(mergeKubeconfig('apiVersion: v1\nkind: Config\nclusters: null\nusers:\ncontexts: []\ncurrent-context: ""\n', entry)) as Kc;
    expect(kc.clusters).toHaveLength(1);
    expect(kc.users).toHaveLength(1);
    expect(() => mergeKubeconfig('clusters: [unclosed', entry)).toThrow(/not valid YAML/);
    expect(() => mergeKubeconfig('- a\n- b\n', entry)).toThrow(/not a kubeconfig/);
    expect(() => mergeKubeconfig('clusters: 5\n', entry)).toThrow(/'clusters' is not a list/);
  });
});

describe('writeKubeconfig', () => {
  it('creates the folder and a 0600 file', () => {
    const path = join(dir, 'nested', '.kube', 'config');
    const r = writeKubeconfig(path, entry);
    expect(r).toMatchObject({ path, changed: true });
    expect(r.backupPath).toBeUndefined();
    expect((parse(readFileSync(path, 'utf8')) as Kc)['current-context']).toBe('kubesim');
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('keeps a backup of the old file, reports the previous context, and does nothing when unchanged', () => {
    const path = join(dir, 'config');
    writeFileSync(path, EXISTING, { mode: 0o644 });
    const r = writeKubeconfig(path, entry);
    expect(r.changed).toBe(true);
    expect(r.previousContext).toBe('prod');
    expect(r.backupPath).toBe(path + BACKUP_SUFFIX);
    expect(readFileSync(path + BACKUP_SUFFIX, 'utf8')).toBe(EXISTING);
    if (process.platform !== 'win32') {
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(statSync(path + BACKUP_SUFFIX).mode & 0o777).toBe(0o600);
    }
    const merged = readFileSync(path, 'utf8');
    rmSync(path + BACKUP_SUFFIX);
    const again = writeKubeconfig(path, entry);
    expect(again.changed).toBe(false);
    expect(existsSync(path + BACKUP_SUFFIX)).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe(merged);
  });

  it('updates a symlinked kubeconfig where it points', () => {
    const real = join(dir, 'real-config');
    writeFileSync(real, EXISTING);
    const link = join(dir, 'config');
    symlinkSync(real, link);
    writeKubeconfig(link, entry);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect((parse(readFileSync(real, 'utf8')) as Kc)['current-context']).toBe('kubesim');
  });

  it('says which file it could not merge into', () => {
    const path = join(dir, 'config');
    writeFileSync(path, 'clusters: [unclosed');
    expect(() => writeKubeconfig(path, entry)).toThrow(new RegExp(`cannot add the kubesim context to ${path}: it is not valid YAML.*pass --kubeconfig FILE`));
    expect(readFileSync(path, 'utf8')).toBe('clusters: [unclosed');
  });
});
