/**
 * electron-vite build of the desktop app:
 *  - main     src-main/desktop/main.ts    → out/main/index.js   (ESM, Node deps external)
 *  - preload  src-main/desktop/preload.ts → out/preload/index.cjs (CommonJS: sandboxed preloads can't be ESM)
 *  - renderer src-renderer/index.html     → out/renderer (served by the UI gateway at `/`)
 * The cluster itself is not bundled here: the desktop app runs the CLI bundle (out/cli/kubesim.mjs,
 * scripts/build-cli.mjs) in a utility process.
 */
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';

const root = import.meta.dirname ?? process.cwd();

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      externalizeDeps: { include: ['better-sqlite3'] },
      rollupOptions: {
        input: { index: resolve(root, 'src-main/desktop/main.ts') },
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: true,
      rollupOptions: {
        input: { index: resolve(root, 'src-main/desktop/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    // electron-vite forces base './' in production builds; index.html carries <base href="/">
    // so client routes deeper than `/` still find ./assets.
    plugins: [vue()],
    build: {
      // KUBESIM_RENDERER_OUT: a private folder for a test run (tests/e2e/browser.ts).
      outDir: resolve(root, process.env.KUBESIM_RENDERER_OUT ?? 'out/renderer'),
      emptyOutDir: true,
      minify: true,
      // No inline scripts or data: modules: the gateway's CSP allows same-origin files only.
      assetsInlineLimit: 0,
      modulePreload: { polyfill: false },
      rollupOptions: {
        input: { index: resolve(root, 'src-renderer/index.html') },
      },
    },
  },
});
