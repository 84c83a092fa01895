#!/usr/bin/env node
/**
 * [`dns_lookups_per_s`]: in-cluster name lookups end to end, in process: a pod's resolver sends
 * real DNS datagrams to kube-dns (10.96.0.10) through the service proxy to a CoreDNS pod, which
 * answers from the cluster zone kept by informers. See bench/dns-work.ts.
 *
 *   node bench/dns.mjs [--lookups 20000] [--concurrency 16]      (or: npm run bench -- --only dns)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { bundleWork } from './bundle.mjs';

/** Runs the benchmark; returns its figures. */
export async function benchDns({ lookups = 20_000, concurrency = 16, log = (l) => console.error(`[dns] ${l}`) } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-bench-dns-'));
  try {
    const { run } = await import(pathToFileURL(await bundleWork(dir, 'dns-work')).href);
    return await run({ dir, lookups, concurrency, log });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { lookups: { type: 'string', default: '20000' }, concurrency: { type: 'string', default: '16' } } });
  const figures = await benchDns({ lookups: Number(values.lookups), concurrency: Number(values.concurrency) });
  console.log(JSON.stringify(figures, null, 2));
}
