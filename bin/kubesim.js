#!/usr/bin/env node
// The `kubesim` command: runs the bundled CLI (out/cli/kubesim.mjs, built by `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../out/cli/kubesim.mjs', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write('kubesim is not built: run npm run build\n');
  process.exit(1);
}
await import(cli.href);
