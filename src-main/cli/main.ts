/**
 * The `kubesim` command (bundled to out/cli/kubesim.mjs by scripts/build-cli.mjs, run through
 * bin/kubesim.js): `serve`, `version`, `help`. Exit codes: 0 success or clean stop, 1 failure
 * (data dir in use, port taken, start-up error), 2 usage error.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pkg from '../../package.json';
import { startCluster } from '../cluster';
import { KUBELET_VERSION } from '../kubelet/node-status';
import { parseCommand, SERVE_USAGE, USAGE } from './args';
import { serve, ServeError, type RunningServe } from './serve';

/** How long a clean stop may take before the process exits anyway. */
const STOP_TIMEOUT_MS = 20_000;

function writeOut(line: string): Promise<void> {
  return new Promise((done) => {
    process.stdout.write(`${line}\n`, () => done());
  });
}

function writeErr(line: string): void {
  process.stderr.write(`${line}\n`);
}

/**
 * `KUBESIM_RENDERER_DIR` (a private build, as the e2e tests and the bench use), else out/renderer
 * next to the bundle (out/cli/kubesim.mjs), or from the sources' location.
 */
function findRendererDir(): string | undefined {
  const env = process.env.KUBESIM_RENDERER_DIR;
  if (env && existsSync(join(env, 'index.html'))) return env;
  const here = dirname(fileURLToPath(import.meta.url));
  for (const dir of [join(here, '..', 'renderer'), join(here, '..', '..', 'out', 'renderer')]) {
    if (existsSync(join(dir, 'index.html'))) return dir;
  }
  return undefined;
}

async function exit(code: number): Promise<never> {
  // Let buffered stdout/stderr reach a pipe before the process goes.
  await new Promise<void>((r) => process.stdout.write('', () => r()));
  await new Promise<void>((r) => process.stderr.write('', () => r()));
  process.exit(code);
}

async function runServe(flags: Parameters<typeof serve>[0]): Promise<void> {
  let running: RunningServe | undefined;
  let signalled: NodeJS.Signals | undefined;
  let stopping = false;

  const stopAndExit = async () => {
    if (stopping || !running) return;
    stopping = true;
    const r = running;
    writeErr(`kubesim: ${signalled ?? 'stop'} received, stopping the cluster`);
    const timer = setTimeout(() => {
      writeErr(`kubesim: the cluster did not stop within ${STOP_TIMEOUT_MS / 1000} s; exiting anyway`);
      r.releaseLock();
      process.exit(1);
    }, STOP_TIMEOUT_MS);
    timer.unref();
    try {
      await r.stop();
    } catch (e) {
      writeErr(`kubesim: stopping failed: ${(e as Error).message}`);
      await exit(1);
    }
    writeErr('kubesim: stopped');
    await exit(0);
  };

  const onSignal = (sig: NodeJS.Signals) => {
    if (signalled) {
      writeErr(`kubesim: second ${sig}: exiting without a clean stop`);
      running?.releaseLock();
      process.exit(1);
    }
    signalled = sig;
    void stopAndExit(); // before start-up finished: runs once `running` is set (below)
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, onSignal);
  // In the desktop app's Electron utility process the parent asks for the same clean stop by
  // message (on Windows it has no catchable signal to send).
  const parentPort = (process as { parentPort?: { on(ev: 'message', cb: (m: { data: unknown }) => void): void } }).parentPort;
  parentPort?.on('message', (m) => {
    if ((m.data as { type?: unknown } | null)?.type === 'kubesim:stop') onSignal('SIGTERM');
  });
  process.on('exit', () => running?.releaseLock());
  // A reader that went away (closed pipe) must not crash the cluster.
  process.stdout.on('error', () => {});
  process.stderr.on('error', () => {});

  try {
    running = await serve(flags, { out: writeOut, err: writeErr, startCluster, rendererDir: findRendererDir() });
  } catch (e) {
    writeErr(`kubesim: ${e instanceof ServeError ? e.message : (e as Error).stack ?? String(e)}`);
    // An unexpected failure inside the cluster: its stack helps whoever reports it.
    const cause = e instanceof ServeError ? e.cause : undefined;
    if (cause instanceof Error && cause.stack) writeErr(cause.stack.replace(/^/gm, '    '));
    await exit(1);
  }
  if (signalled) await stopAndExit();
}

export async function main(argv: string[]): Promise<void> {
  const cmd = parseCommand(argv);
  switch (cmd.kind) {
    case 'help':
      process.stdout.write(cmd.topic === 'serve' ? SERVE_USAGE : USAGE);
      return;
    case 'version':
      await writeOut(`kubesim ${pkg.version} (simulates Kubernetes ${KUBELET_VERSION}, node ${process.version})`);
      return;
    case 'usage-error':
      writeErr(`kubesim: ${cmd.message}\n`);
      process.stderr.write(cmd.topic === 'serve' ? SERVE_USAGE : USAGE);
      await exit(2);
      return;
    case 'serve':
      await runServe(cmd.flags);
      return;
  }
}

await main(process.argv.slice(2));
