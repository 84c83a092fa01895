#!/usr/bin/env node
/**
 * `npm start`: the desktop app (Electron) on the embedded default cluster. When the Electron
 * binary is absent (an offline install: ELECTRON_SKIP_BINARY_DOWNLOAD, no network on first run)
 * or there is no display, says so in one line and runs the same cluster headless
 * (`kubesim serve`, arguments forwarded), which prints the UI URL to open in a browser.
 * Builds `out/` first when it is missing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const args = process.argv.slice(2);

/**
 * The Electron executable, found the way `require('electron')` finds it — but without its
 * fallback of downloading the binary (which would hang or fail offline).
 */
function electronBinary() {
  let pkgDir;
  try {
    pkgDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { why: 'Electron is not installed' };
  }
  const pathFile = join(pkgDir, 'path.txt');
  const rel = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const exe = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, rel || 'electron');
    return existsSync(exe) ? { path: exe } : { why: `Electron binary not found at ELECTRON_OVERRIDE_DIST_PATH (${exe})` };
  }
  if (!rel) return { why: 'Electron binary not installed (offline install)' };
  const exe = join(pkgDir, 'dist', rel);
  return existsSync(exe) ? { path: exe } : { why: 'Electron binary not installed (offline install)' };
}

function displayProblem() {
  if (process.platform !== 'linux') return undefined;
  if (process.env.DISPLAY || process.env.WAYLAND_DISPLAY) return undefined;
  return 'no display (neither DISPLAY nor WAYLAND_DISPLAY is set)';
}

function npmRun(script) {
  const r = spawnSync('npm', ['run', script], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  return r.status === 0;
}

function ensureBuilt(needDesktop) {
  const needed = ['out/cli/kubesim.mjs', 'out/renderer/index.html', ...(needDesktop ? ['out/main/index.js', 'out/preload/index.cjs'] : [])];
  const missing = needed.filter((f) => !existsSync(join(root, f)));
  if (missing.length === 0) return;
  console.log(`kubesim: building first (${missing.join(', ')} missing)`);
  if (!npmRun('build') && !existsSync(join(root, 'out/cli/kubesim.mjs'))) {
    console.error('kubesim: the build failed; see the errors above');
    process.exit(1);
  }
}

/** Runs a child with inherited stdio, passes termination signals on, exits with its code. */
function runChild(cmd, cmdArgs, env) {
  const child = spawn(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env });
  const forward = (sig) => () => {
    // Ctrl-C in a terminal reaches the whole process group (the child too): don't send it twice.
    if (sig === 'SIGINT' && process.stdin.isTTY) return;
    if (child.exitCode === null) child.kill(sig);
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, forward(sig));
  child.on('error', (e) => {
    console.error(`kubesim: could not start ${cmd}: ${e.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + 15 : 1)));
}

const electron = electronBinary();
const noDisplay = displayProblem();
if (electron.path && !noDisplay) {
  ensureBuilt(true);
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  runChild(electron.path, [root, ...args], env);
} else {
  const why = electron.path ? noDisplay : electron.why;
  console.log(`kubesim: ${why} - running headless; open the UI URL below in a browser`);
  ensureBuilt(false);
  runChild(process.execPath, [join(root, 'bin/kubesim.js'), 'serve', ...args], process.env);
}
