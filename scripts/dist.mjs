#!/usr/bin/env node
/**
 * `npm run dist`: packages the desktop app with electron-builder (electron-builder.yml):
 * Linux AppImage + deb, macOS dmg, Windows nsis — for the current platform unless you pass
 * targets (e.g. `npm run dist -- --linux deb`).
 *
 * Needs internet: electron-builder downloads the Electron zip for each target (unless cached),
 * Electron's headers to rebuild the native modules (better-sqlite3, node-pty) for Electron's ABI,
 * and the AppImage/deb/nsis/dmg tools. Offline, it stops with a message saying so. Those rebuilds
 * happen in node_modules, so afterwards the Node builds are put back (`npm rebuild …`) for
 * `npm test` and `kubesim serve`. `npm_config_nodedir` (set on some machines) would silently make
 * the Electron rebuild target Node instead, so it is unset for electron-builder only.
 *
 * `node scripts/dist.mjs --check` validates without building or downloading: electron-builder's
 * own schema for the config, the icons, and whether the Electron zip is cached.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
/** The native modules and their binaries (what electron-builder's rebuild replaces). */
const NATIVE = { 'better-sqlite3': 'build/Release/better_sqlite3.node', 'node-pty': 'build/Release/pty.node' };

function nativeStamps() {
  const out = {};
  for (const [mod, file] of Object.entries(NATIVE)) {
    try {
      out[mod] = statSync(join(root, 'node_modules', mod, file)).mtimeMs;
    } catch {
      out[mod] = 0;
    }
  }
  return out;
}

export function electronVersion() {
  return JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;
}

/** The zip electron-builder fetches for this machine, e.g. electron-v45.4.1-linux-x64.zip. */
export function electronZipName(version = electronVersion(), platform = process.platform, arch = process.arch) {
  return `electron-v${version}-${platform}-${arch}.zip`;
}

/** Where @electron/get keeps downloads (ELECTRON_CACHE wins), as electron-builder reads them. */
export function electronCacheDir(env = process.env, platform = process.platform, home = homedir()) {
  if (env.ELECTRON_CACHE) return env.ELECTRON_CACHE;
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'electron');
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'electron', 'Cache');
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'electron');
}

/** The cached zip (in the cache dir or one level below, where @electron/get puts it), if any. */
export function findCachedElectronZip(name = electronZipName(), dir = electronCacheDir()) {
  if (!existsSync(dir)) return undefined;
  if (existsSync(join(dir, name))) return join(dir, name);
  for (const sub of readdirSync(dir, { withFileTypes: true })) {
    if (sub.isDirectory() && existsSync(join(dir, sub.name, name))) return join(dir, sub.name, name);
  }
  return undefined;
}

export function loadBuilderConfig(file = join(root, 'electron-builder.yml')) {
  return require('yaml').parse(readFileSync(file, 'utf8'));
}

/** electron-builder's own validation of the config (its JSON schema); throws its message. */
export async function validateBuilderConfig(config = loadBuilderConfig()) {
  const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
  await validateConfiguration(config, { add() {}, isEnabled: false });
}

/** Icons the config names that are missing. */
export function missingIcons(config = loadBuilderConfig()) {
  const icons = [config.linux?.icon, config.mac?.icon, config.win?.icon, config.nsis?.installerIcon, config.nsis?.uninstallerIcon].filter(Boolean);
  return icons.filter((i) => !existsSync(join(root, i)));
}

function run(cmd, args, env) {
  return spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env, shell: process.platform === 'win32' }).status ?? 1;
}

async function check() {
  let ok = true;
  try {
    await validateBuilderConfig();
    console.log('kubesim dist --check: electron-builder.yml passes electron-builder\'s schema');
  } catch (e) {
    ok = false;
    console.error(`kubesim dist --check: electron-builder.yml is invalid:\n${e.message}`);
  }
  const missing = missingIcons();
  if (missing.length) {
    ok = false;
    console.error(`kubesim dist --check: missing icons: ${missing.join(', ')} (node build/make-icons.mjs makes them)`);
  } else console.log('kubesim dist --check: icons present');
  const zip = findCachedElectronZip();
  console.log(zip ? `kubesim dist --check: Electron zip cached at ${zip}` : `kubesim dist --check: ${electronZipName()} is not cached in ${electronCacheDir()}: \`npm run dist\` will download it (needs internet)`);
  return ok ? 0 : 1;
}

async function dist(args) {
  console.log('kubesim dist: packaging with electron-builder - this needs internet (the Electron zip, Electron headers for the native modules, the packaging tools)');
  const zip = findCachedElectronZip();
  if (!zip) console.log(`kubesim dist: ${electronZipName()} is not cached in ${electronCacheDir()}; it will be downloaded`);

  let code = run('npm', ['run', 'build'], process.env);
  if (code !== 0) {
    console.error(`kubesim dist: the build failed (exit ${code}); nothing was packaged`);
    return code;
  }
  const builderEnv = { ...process.env };
  for (const k of Object.keys(builderEnv)) if (k.toLowerCase() === 'npm_config_nodedir') delete builderEnv[k];
  const before = nativeStamps();
  code = run('npx', ['electron-builder', '--config', 'electron-builder.yml', '--publish', 'never', ...args], builderEnv);

  // electron-builder rebuilds native modules in node_modules for Electron: put the Node builds back.
  const after = nativeStamps();
  const changed = Object.keys(NATIVE).filter((m) => after[m] !== before[m]);
  if (changed.length) {
    console.log(`kubesim dist: rebuilding ${changed.join(', ')} for Node again (tests and \`kubesim serve\` need them)`);
    if (run('npm', ['rebuild', ...changed], process.env) !== 0) {
      console.error(`kubesim dist: \`npm rebuild ${changed.join(' ')}\` failed: run it yourself before \`npm test\``);
    }
  }

  if (code === 0) console.log('kubesim dist: packages are in dist/');
  else {
    console.error(`kubesim dist: electron-builder failed (exit ${code}).`);
    if (!zip) {
      console.error(
        `kubesim dist: ${electronZipName()} was not cached, so electron-builder had to download it (and Electron's headers and its packaging tools): ` +
          'without internet that fails (getaddrinfo ENOTFOUND above). Run `npm run dist` on a machine with internet, ' +
          `or put the zip in ${electronCacheDir()}. \`npm ci\` and \`npm test\` need none of this.`,
      );
    }
  }
  return code;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  process.exit(args[0] === '--check' ? await check() : await dist(args));
}

