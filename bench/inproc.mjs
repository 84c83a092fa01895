#!/usr/bin/env node
/**
 * In-process micro-benchmark of the API handler (no TLS, no sockets, no second process): creates,
 * gets, a list as Table and as JSON, and a create's synchronous watch fan-out to N watchers, each
 * response written through the HTTPS listener's writer into a byte-counting sink. For quick
 * before/after comparisons of hot-path changes in one run on one machine.
 *
 *   node bench/inproc.mjs [--n 3000] [--gets 10000] [--watchers 100] [--only create,get,list,watch] [--repeat 3] [--cpu-prof]
 *
 * bench/inproc-work.ts is bundled by bench/bundle.mjs (npm packages external) into a temp dir.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { bundleWork } from './bundle.mjs';

/** bench/inproc-work.ts bundled into `dir`. */
export function bundleInproc(dir) {
  return bundleWork(dir, 'inproc-work');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: {
      n: { type: 'string', default: '3000' },
      gets: { type: 'string', default: '10000' },
      watchers: { type: 'string', default: '100' },
      writes: { type: 'string', default: '200' },
      only: { type: 'string', default: 'create,get,list,watch' },
      repeat: { type: 'string', default: '1' },
    },
  });
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-inproc-bundle-'));
  try {
    const { run } = await import(pathToFileURL(await bundleInproc(dir)).href);
    for (let r = 0; r < Number(values.repeat); r++) {
      const res = await run({
        n: Number(values.n),
        gets: Number(values.gets),
        listRuns: 5,
        watchers: Number(values.watchers),
        watchWrites: Number(values.writes),
        only: new Set(values.only.split(',')),
      });
      console.log(JSON.stringify(res));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
