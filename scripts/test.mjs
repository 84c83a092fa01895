#!/usr/bin/env node
/**
 * `npm test`: every vitest project — unit, kubectl (real kubectl against `kubesim serve`), e2e
 * (headless Chromium) — in that order, each one even if an earlier one failed. Sums the tests
 * from each project's JSON report and prints, as the very last line, `N passed, M failed`.
 * Exits non-zero when anything failed. A project that crashed (no JSON report, or a non-zero
 * exit with no failed test to show for it: a file that didn't load, an unhandled error) counts
 * as failed — never as "0 failed". Builds `out/` first if it is missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shell = process.platform === 'win32';
const PROJECTS = ['unit', 'kubectl', 'e2e'];

let passed = 0;
let failed = 0;
const notes = [];

if (!existsSync(join(root, 'out/cli/kubesim.mjs')) || !existsSync(join(root, 'out/renderer/index.html'))) {
  console.log('kubesim test: out/ is not built - running `npm run build` first');
  const b = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell });
  if (b.status !== 0) {
    failed += 1;
    notes.push(`build: failed (exit ${b.status ?? b.signal}) - counted as 1 failure`);
  }
}

const tmp = mkdtempSync(join(tmpdir(), 'kubesim-test-reports-'));
for (const project of PROJECTS) {
  const report = join(tmp, `${project}.json`);
  console.log(`\n=== vitest project: ${project} ===`);
  const r = spawnSync('npx', ['vitest', 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile=${report}`], {
    cwd: root,
    stdio: 'inherit',
    shell,
    env: process.stdout.isTTY || process.env.FORCE_COLOR ? process.env : { ...process.env, NO_COLOR: '1' },
  });
  const code = r.status ?? 1;
  let json;
  try {
    json = JSON.parse(readFileSync(report, 'utf8'));
  } catch {
    json = undefined;
  }
  if (!json) {
    failed += 1;
    notes.push(`${project}: crashed (exit ${r.status ?? r.signal}, no JSON report) - counted as 1 failure`);
    continue;
  }
  const p = Number(json.numPassedTests ?? 0);
  let f = Number(json.numFailedTests ?? 0);
  const brokenFiles = (json.testResults ?? []).filter((t) => t.status === 'failed' && (t.assertionResults ?? []).every((a) => a.status !== 'failed')).length;
  // Files that failed without a failing test (didn't load, hook crashed) and unhandled errors.
  if (brokenFiles > 0) f += brokenFiles;
  if (code !== 0 && f === 0) f = 1;
  passed += p;
  failed += f;
  notes.push(`${project}: ${p} passed, ${f} failed${brokenFiles ? ` (${brokenFiles} file(s) failed to run)` : ''}${code !== 0 && f === 1 && Number(json.numFailedTests ?? 0) === 0 && !brokenFiles ? ` (vitest exited ${code})` : ''}`);
}
rmSync(tmp, { recursive: true, force: true });

console.log('\n=== summary ===');
for (const n of notes) console.log(n);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
