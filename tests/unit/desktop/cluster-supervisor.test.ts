/**
 * The supervisor against the real `kubesim serve` (bundled with the stub cluster, as
 * tests/unit/cli/process.test.ts does) in a Node child process: status lines, start until ready,
 * a clean stop waited for (by SIGTERM and by the utility process's stop message), a failed start,
 * and the forced kill after the stop timeout.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { ClusterSupervisor, type ChildHandle } from '../../../src-main/desktop/cluster-supervisor';
import { buildServeArgs } from '../../../src-main/desktop/serve-args';
import { defaultSettings } from '../../../src-main/desktop/settings';
import { mergeIntoUserKubeconfig } from '../../../src-main/desktop/kubeconfig-sync';
import type { ClusterStatus } from '../../../src-main/shared/ipc';

const ROOT = resolve(__dirname, '../../..');
const OUT_DIR = join(ROOT, 'node_modules', '.cache', 'kubesim-desktop-test');
const CLI = join(OUT_DIR, 'kubesim-stub.mjs');
/** Gives a Node child the `process.parentPort` an Electron utility process has (over Node IPC). */
const PARENT_PORT = join(OUT_DIR, 'parent-port.mjs');

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
            args.importer.endsWith(join('src-main', 'cli', 'main.ts')) ? { path: join(ROOT, 'tests/unit/cli/stub-cluster-entry.ts') } : undefined,
          );
        },
      },
    ],
  });
  writeFileSync(PARENT_PORT, "process.parentPort = { on(ev, cb) { if (ev === 'message') process.on('message', (data) => cb({ data })); } };\n");
  dir = mkdtempSync(join(tmpdir(), 'kubesim-supervisor-'));
}, 60_000);

afterAll(() => {
  for (const p of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function nodeSpawner(script: string, opts: { viaMessage?: boolean; nodeArgs?: string[] } = {}): (args: string[]) => ChildHandle {
  return (args) => {
    const p = spawn(process.execPath, [...(opts.nodeArgs ?? []), ...(opts.viaMessage ? ['--import', PARENT_PORT] : []), script, ...args], {
      stdio: opts.viaMessage ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, HOME: join(dir, 'home'), KUBECONFIG: '' },
    });
    procs.push(p);
    return {
      stdout: p.stdout,
      stderr: p.stderr,
      requestStop: () => (opts.viaMessage ? p.send({ type: 'kubesim:stop' }) : p.kill('SIGTERM')),
      forceKill: () => p.kill('SIGKILL'),
      onExit: (cb) => p.once('exit', (code, sig) => cb(code ?? (sig === 'SIGKILL' ? 137 : 1))),
    };
  };
}

function serveArgs(name: string) {
  const dataDir = join(dir, name, 'data');
  const kc = join(dir, name, 'userData', 'kubeconfig');
  return { dataDir, kc, args: ['serve', ...buildServeArgs({ ...defaultSettings(), dataDir, apiPort: 0 }, { clusterKubeconfigPath: kc, commandLine: ['--ui-port', '0'] }).args] };
}

describe('ClusterSupervisor with the real serve', () => {
  it.skipIf(process.platform === 'win32')('starting → ready with the endpoints; a clean stop (SIGTERM) waited for: lock released, stopped', async () => {
    const states: ClusterStatus['state'][] = [];
    const lines: string[] = [];
    const sup = new ClusterSupervisor({ spawn: nodeSpawner(CLI), onStatus: (s) => states.push(s.state), log: (l) => lines.push(l) });
    const { dataDir, kc, args } = serveArgs('sigterm');
    const ep = await sup.start(args);
    expect(ep.apiUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(ep.uiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(sup.status).toEqual({ state: 'ready', message: 'The cluster is running', apiUrl: ep.apiUrl });
    expect(existsSync(join(dataDir, 'kubesim.lock'))).toBe(true);

    // The desktop's merge reads what serve wrote to the app's own kubeconfig.
    const userKc = join(dir, 'sigterm', 'home', '.kube', 'config');
    const merged = mergeIntoUserKubeconfig({ clusterKubeconfigPath: kc, userKubeconfigPath: userKc, backup: null, now: new Date() });
    expect(merged.backup.path).toBeNull();
    expect(readFileSync(userKc, 'utf8')).toContain(ep.apiUrl);

    await expect(sup.stop()).resolves.toEqual({ clean: true });
    expect(existsSync(join(dataDir, 'kubesim.lock'))).toBe(false); // serve's clean stop ran to the end
    expect(lines).toContain('kubesim: stopped');
    expect(states.filter((x, i) => x !== states[i - 1])).toEqual(['starting', 'ready', 'stopping', 'stopped']); // starting twice: the API URL arrives
    expect(sup.status.message).toBe('The cluster stopped');
    await expect(sup.stop()).resolves.toEqual({ clean: true }); // idempotent
  });

  it("the utility process's stop message gives the same clean stop (how Windows stops it)", async () => {
    const lines: string[] = [];
    const sup = new ClusterSupervisor({ spawn: nodeSpawner(CLI, { viaMessage: true }), log: (l) => lines.push(l) });
    const { dataDir, args } = serveArgs('message');
    await sup.start(args);
    await expect(sup.stop()).resolves.toEqual({ clean: true });
    expect(lines).toContain('kubesim: SIGTERM received, stopping the cluster');
    expect(existsSync(join(dataDir, 'kubesim.lock'))).toBe(false);
    expect(sup.status.state).toBe('stopped');
  });

  it('restart: a new serve on the same data dir comes up ready again', async () => {
    const sup = new ClusterSupervisor({ spawn: nodeSpawner(CLI) });
    const { args } = serveArgs('restart');
    await sup.start(args);
    const ep2 = await sup.restart(args);
    expect(sup.status.state).toBe('ready');
    expect(sup.endpoints).toEqual(ep2);
    await sup.stop();
  });

  it("a start that fails: rejected, status error with serve's reason", async () => {
    const sup = new ClusterSupervisor({ spawn: nodeSpawner(CLI) });
    const first = new ClusterSupervisor({ spawn: nodeSpawner(CLI) });
    const { args } = serveArgs('busy');
    await first.start(args);
    // The same data dir while the first runs: serve refuses.
    await expect(sup.start(args)).rejects.toThrow(/could not start \(exit code 1\): the data dir .* is in use by another kubesim/);
    expect(sup.status.state).toBe('error');
    expect(sup.status.message).toMatch(/^The cluster could not start \(exit code 1\): the data dir/);
    await first.stop();
  });

  it('a cluster that ignores the stop request is killed after the timeout', async () => {
    const script = join(OUT_DIR, 'stubborn.mjs');
    writeFileSync(script, "process.on('SIGTERM', () => {});\nconsole.log('API server: https://127.0.0.1:1');\nconsole.log('UI: http://127.0.0.1:2/');\nconsole.log('ready');\nsetInterval(() => {}, 1000);\n");
    const logs: string[] = [];
    const sup = new ClusterSupervisor({ spawn: nodeSpawner(script), stopTimeoutMs: 300, log: (l) => logs.push(l) });
    await sup.start([]);
    const t = Date.now();
    await expect(sup.stop()).resolves.toEqual({ clean: false });
    expect(Date.now() - t).toBeGreaterThanOrEqual(290);
    expect(logs).toContain('kubesim: the cluster did not stop in time; killing it');
    expect(sup.status.state).toBe('stopped');
  });

  it('an exit nobody asked for after ready is an error', async () => {
    const script = join(OUT_DIR, 'crash.mjs');
    writeFileSync(script, "console.log('API server: https://127.0.0.1:1');\nconsole.log('UI: http://127.0.0.1:2/');\nconsole.log('ready');\nsetTimeout(() => { console.error('kubesim: boom'); process.exit(3); }, 50);\n");
    const seen: ClusterStatus[] = [];
    const sup = new ClusterSupervisor({ spawn: nodeSpawner(script), onStatus: (s) => seen.push(s) });
    await sup.start([]);
    await new Promise<void>((r) => {
      const i = setInterval(() => sup.status.state === 'error' && (clearInterval(i), r()), 10);
    });
    expect(sup.status.message).toBe('The cluster stopped unexpectedly (exit code 3): boom');
    expect(sup.endpoints).toBeUndefined();
  });
});
