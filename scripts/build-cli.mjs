#!/usr/bin/env node
/**
 * Bundles the `kubesim` command (src-main/cli/main.ts) into out/cli/kubesim.mjs: one ESM file for
 * Node 20 with a source map. npm packages stay external (better-sqlite3's native module and the
 * rest load from node_modules) except the pure-JS ones in INLINE: `yaml` is ~40 CommonJS files,
 * whose loading cost every start ~25 ms (~80 ms on a busy machine) against a few ms bundled.
 * bin/kubesim.js is the committed, executable wrapper that runs the bundle.
 */
import { build } from 'esbuild';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'out/cli/kubesim.mjs');
const started = performance.now();

/** Packages bundled in rather than loaded from node_modules at run time. */
const INLINE = new Set(['yaml']);

/** `packages: 'external'`, minus INLINE. */
const externalPackages = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      const p = args.path;
      if (p.startsWith('node:')) return { path: p, external: true };
      const pkg = p.startsWith('@') ? p.split('/').slice(0, 2).join('/') : p.split('/')[0];
      return INLINE.has(pkg) ? undefined : { path: p, external: true };
    });
  },
};

let result;
try {
  result = await build({
    absWorkingDir: root,
    entryPoints: [join(root, 'src-main/cli/main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    plugins: [externalPackages],
    sourcemap: true,
    // esbuild turns require() of an external package into __require(), which needs a real
    // `require` in scope: ESM has none, so make one.
    banner: { js: "import { createRequire as __kubesimCreateRequire } from 'node:module';\nconst require = __kubesimCreateRequire(import.meta.url);" },
    logLevel: 'warning',
    metafile: true,
  });
} catch {
  // esbuild has printed the errors with their locations.
  console.error('build-cli: failed');
  process.exit(1);
}
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + (o.bytes ?? 0), 0);
console.log(`build-cli: out/cli/kubesim.mjs (${(bytes / 1024).toFixed(0)} KiB with map) in ${(performance.now() - started).toFixed(0)} ms`);
