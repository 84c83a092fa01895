#!/usr/bin/env node
/**
 * `prepare` (runs after `npm ci` / `npm install`): builds `out/` with `npm run build`.
 * - `KUBESIM_SKIP_BUILD=1` skips it.
 * - When the build tools are not installed (a production install without devDependencies),
 *   there is nothing to build with: say so and succeed.
 * A real build failure fails the install, with the build's own errors above.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

if (process.env.KUBESIM_SKIP_BUILD === '1') {
  console.log('kubesim: KUBESIM_SKIP_BUILD=1 - not building out/');
  process.exit(0);
}
const tools = ['electron-vite', 'vite', 'esbuild', '@vitejs/plugin-vue'];
const missing = tools.filter((t) => !existsSync(join(root, 'node_modules', t, 'package.json')));
if (missing.length) {
  console.log(`kubesim: build tools not installed (${missing.join(', ')}) - skipping the build; run \`npm install\` with dev dependencies, then \`npm run build\``);
  process.exit(0);
}
const r = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
if (r.status !== 0) {
  console.error('kubesim: `npm run build` failed (see above). Set KUBESIM_SKIP_BUILD=1 to install without building.');
  process.exit(r.status ?? 1);
}
