import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';

/** Bundles the store to `<outDir>/sqlite-store.mjs` for plain Node processes (better-sqlite3 stays external). */
export async function bundleStore(outDir: string): Promise<string> {
  const require = createRequire(import.meta.url);
  const sqlite = require.resolve('better-sqlite3');
  const outfile = join(outDir, 'sqlite-store.mjs');
  await build({
    entryPoints: [join(import.meta.dirname, '../../../src-main/storage/sqlite-store.ts')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outfile,
    logLevel: 'silent',
    plugins: [
      {
        name: 'absolute-better-sqlite3',
        setup(b) {
          // The bundle lives outside the repo: point it at this checkout's better-sqlite3.
          b.onResolve({ filter: /^better-sqlite3$/ }, () => ({ path: sqlite, external: true }));
        },
      },
    ],
  });
  return outfile;
}
