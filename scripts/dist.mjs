#!/usr/bin/env node
/**
 * `npm run dist`: packages the desktop app with electron-builder (electron-builder.yml):
 * Linux AppImage + deb, macOS dmg, Windows nsis — for the current platform unless you pass
 * targets (e.g. `npm run dist -- --linux deb`).
 *
 * Needs internet: electron-builder downloads the Electron zip for each target, and rebuilds the
 * native modules (better-sqlite3) for Electron's ABI. `npm_config_nodedir` (set on some
 * machines) would silently make that rebuild target Node instead, so it is unset here.
 * Afterwards node_modules holds Electron-ABI binaries: run `npm rebuild` before `npm test` or
 * `kubesim serve`.
 */
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shell = process.platform === 'win32';

console.log('kubesim dist: packaging with electron-builder - this needs internet (it downloads the Electron zip and rebuilds native modules for Electron)');
const env = { ...process.env };
for (const k of Object.keys(env)) if (k.toLowerCase() === 'npm_config_nodedir') delete env[k];

let code = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', env, shell }).status ?? 1;
if (code === 0) {
  code = spawnSync('npx', ['electron-builder', '--config', 'electron-builder.yml', '--publish', 'never', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env, shell }).status ?? 1;
}
console.log(code === 0 ? 'kubesim dist: packages are in dist/' : `kubesim dist: failed (exit ${code}); without internet electron-builder cannot fetch Electron`);
console.log('kubesim dist: reminder - run `npm rebuild` now: native modules in node_modules may be built for Electron, and tests/`kubesim serve` need them built for Node');
process.exit(code);
