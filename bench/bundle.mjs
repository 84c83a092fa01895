/**
 * Bundles a benchmark's TypeScript side (bench/<name>.ts and what it imports from src-main) with
 * esbuild into `dir`/<name>.mjs: npm packages stay external, resolved from this checkout (yaml is
 * bundled), so the benchmark runs the same code `kubesim serve` does.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** Returns the bundle's path. */
export async function bundleWork(dir, name) {
  const { build } = await import('esbuild');
  const outfile = join(dir, `${name}.mjs`);
  await build({
    entryPoints: [join(here, `${name}.ts`)],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outfile,
    sourcemap: 'inline',
    logLevel: 'warning',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    plugins: [
      {
        name: 'externals',
        setup: (b) =>
          b.onResolve({ filter: /^[^./]/ }, (args) => {
            if (args.kind === 'entry-point') return undefined;
            if (args.path.startsWith('node:')) return { path: args.path, external: true };
            if (args.path === 'yaml') return undefined;
            return { path: require.resolve(args.path), external: true };
          }),
      },
    ],
  });
  return outfile;
}
