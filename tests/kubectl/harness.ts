/**
 * Starts a real `kubesim serve` (the built CLI) on a temp data dir with free ports and runs real
 * kubectl binaries against it. Shared by every kubectl test file.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, statSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

export const ROOT = resolve(__dirname, '../..');
export const KUBECTL = {
  default: '/usr/bin/kubectl',
  v127: '/usr/lib/google-cloud-sdk/bin/kubectl.1.27',
  v133: '/usr/lib/google-cloud-sdk/bin/kubectl.1.33',
};

function newestMtime(dir: string): number {
  let max = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) max = Math.max(max, newestMtime(p));
    else if (e.name.endsWith('.ts')) max = Math.max(max, statSync(p).mtimeMs);
  }
  return max;
}

/** Rebuilds the CLI bundle when the sources are newer than it (tests run what users run). */
export function ensureBuilt(): void {
  const out = join(ROOT, 'out/cli/kubesim.mjs');
  if (existsSync(out) && statSync(out).mtimeMs >= newestMtime(join(ROOT, 'src-main'))) return;
  const r = spawnSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build-cli failed: ${r.stderr}${r.stdout}`);
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class Serve {
  readonly dir: string;
  readonly kubeconfig: string;
  readonly cacheDir: string;
  apiUrl = '';
  uiUrl = '';
  proc?: ChildProcess;
  output = '';

  constructor(readonly extraArgs: string[] = []) {
    this.dir = mkdtempSync(join(tmpdir(), 'kubesim-test-'));
    this.kubeconfig = join(this.dir, 'kubeconfig');
    this.cacheDir = join(this.dir, 'kube-cache');
  }

  async start(dataDir = join(this.dir, 'data')): Promise<void> {
    ensureBuilt();
    const proc = spawn(process.execPath, [join(ROOT, 'bin/kubesim.js'), 'serve', '--data-dir', dataDir, '--kubeconfig', this.kubeconfig, '--api-port', '0', '--ui-port', '0', '--fast', ...this.extraArgs], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, KUBECONFIG: this.kubeconfig },
    });
    this.proc = proc;
    await new Promise<void>((resolveReady, reject) => {
      const timer = setTimeout(() => reject(new Error(`kubesim serve did not become ready:\n${this.output}`)), 30_000);
      proc.stdout!.on('data', (d: Buffer) => {
        this.output += d.toString();
        const api = /API server: (\S+)/.exec(this.output);
        if (api) this.apiUrl = api[1];
        const ui = /UI: (\S+)/.exec(this.output);
        if (ui) this.uiUrl = ui[1];
        if (/^ready$/m.test(this.output)) {
          clearTimeout(timer);
          resolveReady();
        }
      });
      proc.stderr!.on('data', (d: Buffer) => {
        this.output += d.toString();
      });
      proc.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`kubesim serve exited with ${code}:\n${this.output}`));
      });
    });
  }

  /** Runs kubectl with this cluster's kubeconfig and a private discovery cache. */
  kubectl(args: string[], opts: { bin?: string; stdin?: string; env?: Record<string, string> } = {}): KubectlResult {
    const r = spawnSync(opts.bin ?? KUBECTL.default, ['--kubeconfig', this.kubeconfig, '--cache-dir', this.cacheDir, ...args], {
      input: opts.stdin,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, KUBECONFIG: this.kubeconfig, ...opts.env },
    });
    return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  }

  /** Like kubectl() but throws with stderr when it fails. */
  ok(args: string[], opts: { bin?: string; stdin?: string; env?: Record<string, string> } = {}): string {
    const r = this.kubectl(args, opts);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}${r.stdout}`);
    return r.stdout;
  }

  async stop(): Promise<number | null> {
    const p = this.proc;
    // Already gone (exited, or killed by a signal such as the crash test's SIGKILL).
    if (!p || p.exitCode !== null || p.signalCode !== null) return p?.exitCode ?? null;
    const exited = new Promise<number | null>((r) => p.once('exit', (code) => r(code)));
    p.kill('SIGTERM');
    const code = await exited;
    return code;
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * The test file's cluster: a `Serve` started in beforeAll (60 s allowed) and stopped and removed
 * in afterAll. Call at the top level of a test file; use the result in the tests.
 */
export function useServe(extraArgs: string[] = []): Serve {
  const s = new Serve(extraArgs);
  beforeAll(() => s.start(), 60_000);
  afterAll(async () => {
    await s.stop();
    s.cleanup();
  });
  return s;
}

/** Polls `check` every 200 ms until it holds; throws `timed out waiting for <what>` after `ms`. */
export async function eventually(what: string, check: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Splits `kubectl get` output into rows of columns (by runs of 2+ spaces... kubectl pads with 3). */
export function table(out: string): string[][] {
  return out
    .trimEnd()
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.trim().split(/\s{2,}/));
}
