#!/usr/bin/env node
/**
 * [`scheduler_pods_per_s`]: 10 000 pending pods onto 100 nodes, in process. The nodes and pods are
 * created through the API handler first; then the scheduler starts (list + watch like in
 * `kubesim serve`) and the clock runs until a watch has seen every pod bound.
 *
 *   node bench/scheduler.mjs [--nodes 100] [--pods 10000]      (or: npm run bench -- --only scheduler)
 *
 * bench/scheduler-work.ts is bundled by bench/bundle.mjs (npm packages external) into a temp dir.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { bundleWork } from './bundle.mjs';

/** Runs the benchmark; returns its figures. */
export async function benchScheduler({ nodes = 100, pods = 10_000, log = (l) => console.error(`[scheduler] ${l}`) } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-bench-scheduler-'));
  try {
    const { run } = await import(pathToFileURL(await bundleWork(dir, 'scheduler-work')).href);
    return await run({ dir, nodes, pods, log });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { nodes: { type: 'string', default: '100' }, pods: { type: 'string', default: '10000' } } });
  const figures = await benchScheduler({ nodes: Number(values.nodes), pods: Number(values.pods) });
  console.log(JSON.stringify(figures, null, 2));
}
