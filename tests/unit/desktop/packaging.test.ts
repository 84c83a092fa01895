/**
 * electron-builder.yml and build/ without internet: electron-builder's own schema validation,
 * the targets, the icons (real PNG/ICO/ICNS files of the right sizes), native modules unpacked
 * from the asar and rebuilt, the built app included; and scripts/dist.mjs's offline helpers.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';

const ROOT = resolve(__dirname, '../../..');
const config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8'));
type DistModule = {
  validateBuilderConfig(c?: unknown): Promise<void>;
  missingIcons(c?: unknown): string[];
  electronZipName(v?: string, p?: string, a?: string): string;
  electronCacheDir(env: Record<string, string | undefined>, platform: string, home: string): string;
  findCachedElectronZip(name: string, dir: string): string | undefined;
};
let dist: DistModule;
let tmp: string;
beforeAll(async () => {
  dist = (await import(pathToFileURL(join(ROOT, 'scripts/dist.mjs')).href)) as DistModule;
  tmp = mkdtempSync(join(tmpdir(), 'kubesim-dist-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** electron-builder's glob forms used here: `**` (any folders), `*` (within a name), `{a,b}`. */
function glob(pattern: string): (path: string) => boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (pattern.startsWith('**/', i)) {
      re += '(?:.*/)?';
      i += 2;
    } else if (pattern.startsWith('**', i)) {
      re += '.*';
      i += 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '{') re += '(?:';
    else if (c === '}') re += ')';
    else if (c === ',') re += '|';
    else re += c.replace(/[.+?^$()|[\]\\]/g, '\\$&');
  }
  const r = new RegExp(`^${re}$`);
  return (path) => r.test(path);
}

function pngSize(buf: Buffer): { width: number; height: number } {
  expect(buf.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema validation (and a wrong option would not)", async () => {
    await expect(dist.validateBuilderConfig(config)).resolves.toBeUndefined();
    await expect(dist.validateBuilderConfig({ ...config, linux: { ...config.linux, targte: ['deb'] } })).rejects.toThrow(/configuration\.linux/);
  }, 60_000);

  it('targets: AppImage + deb, dmg, nsis', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.directories).toEqual({ output: 'dist', buildResources: 'build' });
  });

  it('the built app is packed: out/** (no source maps), package.json, the run-time icon; main is covered', () => {
    const include = config.files.filter((f: string) => !f.startsWith('!'));
    const exclude = config.files.filter((f: string) => f.startsWith('!')).map((f: string) => f.slice(1));
    const packed = (p: string) => include.some((g: string) => glob(g)(p)) && !exclude.some((g: string) => glob(g)(p));
    expect(include).toContain('out/**/*');
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    for (const p of ['package.json', pkg.main, config.extraMetadata.main, 'out/preload/index.cjs', 'out/cli/kubesim.mjs', 'out/renderer/index.html', 'resources/icon.png']) expect(packed(p), p).toBe(true);
    expect(packed('out/main/index.js.map')).toBe(false);
    expect(packed('src-main/desktop/main.ts')).toBe(false);
    expect(packed('tests/unit/desktop/packaging.test.ts')).toBe(false);
  });

  it('native modules: unpacked from the asar and rebuilt for Electron', () => {
    const unpacked = (p: string) => config.asarUnpack.some((g: string) => glob(g)(p));
    expect(unpacked('node_modules/better-sqlite3/build/Release/better_sqlite3.node')).toBe(true);
    expect(unpacked('node_modules/node-pty/build/Release/pty.node')).toBe(true);
    expect(unpacked('node_modules/node-pty/build/Release/spawn-helper')).toBe(true); // exec'd on macOS
    expect(unpacked('node_modules/yaml/dist/index.js')).toBe(false);
    expect(config.npmRebuild).toBe(true);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    for (const m of ['better-sqlite3', 'node-pty']) expect(pkg.dependencies[m], `${m} must be a production dependency to be packed`).toBeDefined();
  });
});

describe('icons in build/', () => {
  it('every icon the config names exists', () => {
    expect(dist.missingIcons(config)).toEqual([]);
    expect(config.linux.icon).toBe('build/icon.png');
    expect(config.mac.icon).toBe('build/icon.icns');
    expect(config.win.icon).toBe('build/icon.ico');
  });

  it('icon.png is a square PNG of at least 512×512', () => {
    const { width, height } = pngSize(readFileSync(join(ROOT, 'build/icon.png')));
    expect(width).toBe(height);
    expect(width).toBeGreaterThanOrEqual(512);
  });

  it('icon.ico holds PNG images up to 256×256', () => {
    const ico = readFileSync(join(ROOT, 'build/icon.ico'));
    expect(ico.readUInt16LE(2)).toBe(1);
    const sizes: number[] = [];
    for (let i = 0; i < ico.readUInt16LE(4); i++) {
      const e = 6 + i * 16;
      const w = ico.readUInt8(e) || 256;
      const len = ico.readUInt32LE(e + 8);
      const off = ico.readUInt32LE(e + 12);
      expect(pngSize(ico.subarray(off, off + len)).width).toBe(w);
      sizes.push(w);
    }
    expect(sizes).toEqual(expect.arrayContaining([16, 32, 48, 256]));
  });

  it('icon.icns holds PNG images up to 1024×1024, lengths consistent', () => {
    const icns = readFileSync(join(ROOT, 'build/icon.icns'));
    expect(icns.subarray(0, 4).toString('ascii')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const types = new Map<string, number>();
    for (let off = 8; off < icns.length; ) {
      const type = icns.subarray(off, off + 4).toString('ascii');
      const len = icns.readUInt32BE(off + 4);
      types.set(type, pngSize(icns.subarray(off + 8, off + len)).width);
      off += len;
    }
    expect(types.get('ic09')).toBe(512);
    expect(types.get('ic10')).toBe(1024);
    expect(types.get('icp4')).toBe(16);
  });
});

describe('scripts/dist.mjs offline helpers', () => {
  it('names the Electron zip of the installed Electron', () => {
    const version = JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8')).version;
    expect(dist.electronZipName()).toBe(`electron-v${version}-${process.platform}-${process.arch}.zip`);
    expect(dist.electronZipName('45.4.1', 'win32', 'arm64')).toBe('electron-v45.4.1-win32-arm64.zip');
  });

  it("finds the cache where electron-builder looks (ELECTRON_CACHE first), and a zip in it", () => {
    expect(dist.electronCacheDir({ ELECTRON_CACHE: '/c' }, 'linux', '/h')).toBe('/c');
    expect(dist.electronCacheDir({}, 'linux', '/h')).toBe(join('/h', '.cache', 'electron'));
    expect(dist.electronCacheDir({ XDG_CACHE_HOME: '/x' }, 'linux', '/h')).toBe(join('/x', 'electron'));
    expect(dist.electronCacheDir({}, 'darwin', '/h')).toBe(join('/h', 'Library', 'Caches', 'electron'));
    const name = 'electron-v45.4.1-linux-x64.zip';
    expect(dist.findCachedElectronZip(name, join(tmp, 'none'))).toBeUndefined();
    mkdirSync(join(tmp, 'cache', 'abc123'), { recursive: true });
    expect(dist.findCachedElectronZip(name, join(tmp, 'cache'))).toBeUndefined();
    writeFileSync(join(tmp, 'cache', 'abc123', name), 'zip');
    expect(dist.findCachedElectronZip(name, join(tmp, 'cache'))).toBe(join(tmp, 'cache', 'abc123', name));
  });
});
