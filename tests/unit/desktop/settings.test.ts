import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSettings, loadSettings, parseSettings, saveSettings, serializeSettings, validateSettings, sameClusterSettings, SETTINGS_VERSION } from '../../../src-main/desktop/settings';

const abs = process.platform === 'win32' ? 'C:\\kubesim-data' : '/var/tmp/kubesim-data';

describe('settings: load', () => {
  it('no file or an empty one: the defaults, no problems', () => {
    expect(parseSettings(undefined)).toEqual({ settings: defaultSettings(), problems: [] });
    expect(parseSettings('  \n')).toEqual({ settings: defaultSettings(), problems: [] });
    expect(defaultSettings()).toEqual({ dataDir: null, apiPort: null, nodes: 2, timeScale: 1, mergeKubeconfig: true, kubeconfigBackup: null });
  });

  it('reads what it wrote', () => {
    const s = { dataDir: abs, apiPort: 16443, nodes: 5, timeScale: 2.5, mergeKubeconfig: false, kubeconfigBackup: { path: '/h/.kube/config.bak-2026-01-02', of: '/h/.kube/config', createdAt: '2026-01-02T03:04:05.000Z' } };
    const text = serializeSettings(s);
    expect(JSON.parse(text).version).toBe(SETTINGS_VERSION);
    expect(JSON.parse(text).timeScale).toBe(2.5);
    expect(parseSettings(text)).toEqual({ settings: s, problems: [] });
  });

  it('invalid JSON: defaults and a problem naming the file', () => {
    const r = parseSettings('{"nodes": 3,');
    expect(r.settings).toEqual(defaultSettings());
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatch(/^settings\.json is not valid JSON .*using the defaults$/);
  });

  it('not an object', () => {
    expect(parseSettings('[1,2]').problems[0]).toBe('settings.json is not a JSON object; using the defaults');
    expect(parseSettings('null').problems[0]).toBe('settings.json is not a JSON object; using the defaults');
  });

  it('a bad field falls back to its default alone, and says why', () => {
    const r = parseSettings(JSON.stringify({ version: 1, nodes: 'five', apiPort: 70000, mergeKubeconfig: false }));
    expect(r.settings).toEqual({ ...defaultSettings(), mergeKubeconfig: false });
    expect(r.problems).toEqual([
      'settings.json: apiPort: expected a whole number from 0 to 65535, got 70000; using the default',
      'settings.json: nodes: expected a whole number, got string; using the default',
    ]);
  });

  it('semantic checks apply on load too (relative data dir, too many nodes)', () => {
    const r = parseSettings(JSON.stringify({ dataDir: 'relative/dir', nodes: 500 }));
    expect(r.settings.dataDir).toBeNull();
    expect(r.settings.nodes).toBe(2);
    expect(r.problems).toEqual([
      "settings.json: dataDir: the data folder must be an absolute path, not 'relative/dir'; using the default",
      'settings.json: nodes: at most 100 worker nodes, not 500; using the default',
    ]);
  });

  it('unknown fields are ignored and reported', () => {
    const r = parseSettings(JSON.stringify({ nodes: 4, speed: 10 }));
    expect(r.settings.nodes).toBe(4);
    expect(r.problems).toEqual(["settings.json: unknown field 'speed' ignored"]);
  });

  it('time scale: a number from 0.1 to 100, else real time (1) and a problem', () => {
    expect(parseSettings(JSON.stringify({ timeScale: 10 }))).toEqual({ settings: { ...defaultSettings(), timeScale: 10 }, problems: [] });
    expect(parseSettings(JSON.stringify({ timeScale: 0.1 })).settings.timeScale).toBe(0.1);
    for (const [bad, why] of [
      [0, 'expected a number from 0.1 to 100, got 0'],
      [1000, 'expected a number from 0.1 to 100, got 1000'],
      [-5, 'expected a number from 0.1 to 100, got -5'],
      ['10', 'expected a number, got string'],
      [null, 'expected a number, got null'],
    ] as const) {
      const r = parseSettings(JSON.stringify({ nodes: 3, timeScale: bad }));
      expect(r.settings).toEqual({ ...defaultSettings(), nodes: 3 });
      expect(r.problems).toEqual([`settings.json: timeScale: ${why}; using the default`]);
    }
  });

  it('migrate: a file without timeScale (older kubesim) runs in real time; a hand-written file without version is read as version 1; a newer version is not guessed at', () => {
    expect(parseSettings(JSON.stringify({ nodes: 7 }))).toEqual({ settings: { ...defaultSettings(), nodes: 7 }, problems: [] });
    const newer = parseSettings(JSON.stringify({ version: 2, nodes: 7 }));
    expect(newer.settings).toEqual(defaultSettings());
    expect(newer.problems).toEqual(['settings.json has version 2, this kubesim reads version 1; using the defaults']);
  });

  it('a malformed backup record is dropped, not trusted', () => {
    const r = parseSettings(JSON.stringify({ kubeconfigBackup: { path: 5, of: '/x' } }));
    expect(r.settings.kubeconfigBackup).toBeNull();
    expect(r.problems[0]).toMatch(/^settings\.json: kubeconfigBackup\.path: expected a string, got number/);
  });
});

describe('settings: validate (Settings page values)', () => {
  const ok = { dataDir: null, apiPort: null, nodes: 2, timeScale: 1, mergeKubeconfig: true };
  it('accepts the defaults, an absolute dir, port 0 and high ports', () => {
    expect(validateSettings(ok)).toEqual([]);
    expect(validateSettings({ ...ok, dataDir: abs, apiPort: 0 })).toEqual([]);
    expect(validateSettings({ ...ok, apiPort: 65535, nodes: 100 })).toEqual([]);
  });
  it('names the field and the problem', () => {
    expect(validateSettings({ ...ok, dataDir: '' })).toEqual([{ field: 'dataDir', message: 'the data folder cannot be empty (clear it to use the default)' }]);
    expect(validateSettings({ ...ok, dataDir: 'data' })[0].field).toBe('dataDir');
    expect(validateSettings({ ...ok, apiPort: 443 })).toEqual([{ field: 'apiPort', message: 'port 443 needs administrator rights; use 1024–65535, or 0 for a free port' }]);
    expect(validateSettings({ ...ok, nodes: 101 })).toEqual([{ field: 'nodes', message: 'at most 100 worker nodes, not 101' }]);
  });
  it('sameClusterSettings ignores the kubeconfig merge switch', () => {
    expect(sameClusterSettings(ok, { ...ok, mergeKubeconfig: false })).toBe(true);
    expect(sameClusterSettings(ok, { ...ok, nodes: 3 })).toBe(false);
    expect(sameClusterSettings(ok, { ...ok, apiPort: 2000 })).toBe(false);
    expect(sameClusterSettings(ok, { ...ok, dataDir: abs })).toBe(false);
    expect(sameClusterSettings(ok, { ...ok, timeScale: 10 })).toBe(false);
  });
});

describe('settings: file', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('save then load round-trips (folder created, no temp file left)', () => {
    dir = mkdtempSync(join(tmpdir(), 'kubesim-settings-'));
    const file = join(dir, 'sub', 'settings.json');
    expect(loadSettings(file)).toEqual({ settings: defaultSettings(), problems: [] });
    const s = { ...defaultSettings(), nodes: 9, apiPort: 20000, timeScale: 0.5 };
    saveSettings(file, s);
    expect(loadSettings(file)).toEqual({ settings: s, problems: [] });
    expect(JSON.parse(readFileSync(file, 'utf8')).nodes).toBe(9);
  });

  it('a broken file on disk gives defaults and the problem', () => {
    dir = mkdtempSync(join(tmpdir(), 'kubesim-settings-'));
    const file = join(dir, 'settings.json');
    writeFileSync(file, 'nodes=3');
    const r = loadSettings(file);
    expect(r.settings).toEqual(defaultSettings());
    expect(r.problems[0]).toMatch(/not valid JSON/);
  });
});
