/**
 * The `kubesim` command as a real process: the CLI bundled like scripts/build-cli.mjs does, but
 * with the cluster replaced by the stub, so exit codes, output and signals are checked without
 * depending on the whole control plane (tests/kubectl/serve.test.ts runs the real one).
 */
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';
import { LOCK_FILE } from '../../../src-main/cli/lock';

const ROOT = resolve(__dirname, '../../..');
// Inside the repo so the bundle's external packages (yaml) resolve from node_modules.
const OUT_DIR = join(ROOT, 'node_modules', '.cache', 'kubesim-cli-test');
const CLI = join(OUT_DIR, 'kubesim-stub.mjs');

let dir: string;
const procs: ChildProcess[] = [];

beforeAll(async () => {
  mkdirSync(OUT_DIR, { recursive: true });
  await build({
    entryPoints: [join(ROOT, 'src-main/cli/main.ts')],
    outfile: CLI,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'silent',
    banner: { js: "import { createRequire as __cr } from 'node:module';\nconst require = __cr(import.meta.url);" },
    plugins: [
      {
        name: 'stub-cluster',
        setup(b) {
          b.onResolve({ filter: /^\.\.\/cluster$/ }, (args) =>
            args.importer.endsWith(join('src-main', 'cli', 'main.ts')) ? { path: join(__dirname, 'stub-cluster-entry.ts') } : undefined,
          );
        },
      },
    ],
  });
  dir = mkdtempSync(join(tmpdir(), 'kubesim-cli-proc-'));
}, 60_000);

afterEach(() => {
  for (const p of procs.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, HOME: join(dir, 'home') } });
}

interface Started {
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function start(args: string[]): Started {
  const proc = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOME: join(dir, 'home') } });
  procs.push(proc);
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return { proc, stdout: () => out, stderr: () => err, exit };
}

async function ready(s: Started): Promise<void> {
  const until = Date.now() + 20_000;
  while (!/^ready$/m.test(s.stdout())) {
    if (s.proc.exitCode !== null) throw new Error(`exited ${s.proc.exitCode}: ${s.stdout()}${s.stderr()}`);
    if (Date.now() > until) throw new Error(`not ready: ${s.stdout()}${s.stderr()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('kubesim (process)', () => {
  it('--help and version exit 0 on stdout', () => {
    const h = run(['--help']);
    expect(h.status).toBe(0);
    expect(h.stdout).toContain('Usage: kubesim <command>');
    const sh = run(['serve', '--help']);
    expect(sh.status).toBe(0);
    expect(sh.stdout).toContain('Usage: kubesim serve [--data-dir DIR] [--kubeconfig FILE] [--api-port N] [--ui-port N] [--nodes N] [--fast]');
    const v = run(['version']);
    expect(v.status).toBe(0);
    expect(v.stdout).toMatch(/^kubesim \d+\.\d+\.\d+ \(simulates Kubernetes v1\.\d+\.\d+, node v\d+/);
  });

  it('usage errors exit 2 with the usage on stderr and nothing on stdout', () => {
    for (const args of [['serve', '--bogus'], ['serve', '--api-port', 'x'], [], ['frobnicate']]) {
      const r = run(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^kubesim: /);
      expect(r.stderr).toContain('Usage: kubesim');
    }
  });

  it('serve prints exactly three lines, a second serve on the data dir exits 1, SIGTERM exits 0', async () => {
    const data = join(dir, 'data1');
    const s = start(['serve', '--data-dir', data, '--kubeconfig', join(dir, 'kc1'), '--api-port', '0', '--ui-port', '0', '--fast']);
    await ready(s);
    const lines = s.stdout().trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^API server: https:\/\/127\.0\.0\.1:\d+$/);
    expect(lines[1]).toMatch(/^UI: http:\/\/127\.0\.0\.1:\d+\/\S*$/);
    expect(lines[2]).toBe('ready');
    expect(existsSync(join(dir, 'kc1'))).toBe(true);

    const second = run(['serve', '--data-dir', data, '--kubeconfig', join(dir, 'kc1b'), '--fast']);
    expect(second.status).toBe(1);
    expect(second.stdout).toBe('');
    expect(second.stderr.trim()).toBe(`kubesim: the data dir ${data} is in use by another kubesim (pid ${s.proc.pid}); stop it or pass another --data-dir`);

    s.proc.kill('SIGTERM');
    expect(await s.exit).toBe(0);
    expect(s.stderr()).toContain('kubesim: stopped');
    expect(existsSync(join(data, LOCK_FILE))).toBe(false);
  });

  it('SIGINT stops cleanly too, and the data dir can be served again', async () => {
    const data = join(dir, 'data2');
    const args = ['serve', '--data-dir', data, '--kubeconfig', join(dir, 'kc2'), '--fast'];
    const a = start(args);
    await ready(a);
    a.proc.kill('SIGINT');
    expect(await a.exit).toBe(0);
    const b = start(args);
    await ready(b);
    expect(b.stdout().split('\n')[0]).toBe(a.stdout().split('\n')[0]); // same port as last time
    b.proc.kill('SIGTERM');
    expect(await b.exit).toBe(0);
  });

  it('takes over the lock of a kubesim that was killed', async () => {
    const data = join(dir, 'data3');
    const args = ['serve', '--data-dir', data, '--kubeconfig', join(dir, 'kc3'), '--api-port', '0', '--ui-port', '0', '--fast'];
    const a = start(args);
    await ready(a);
    a.proc.kill('SIGKILL');
    await a.exit;
    expect(existsSync(join(data, LOCK_FILE))).toBe(true);
    const b = start(args);
    await ready(b);
    expect(JSON.parse(readFileSync(join(data, LOCK_FILE), 'utf8')).pid).toBe(b.proc.pid);
    b.proc.kill('SIGTERM');
    expect(await b.exit).toBe(0);
  });

  it('bin/kubesim.js says how to build when the bundle is missing', () => {
    const fake = join(dir, 'pkg');
    mkdirSync(join(fake, 'bin'), { recursive: true });
    copyFileSync(join(ROOT, 'bin/kubesim.js'), join(fake, 'bin/kubesim.js'));
    const r = spawnSync(process.execPath, [join(fake, 'bin/kubesim.js'), 'version'], { encoding: 'utf8', cwd: dirname(fake) });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('kubesim is not built: run npm run build\n');
  });
});
