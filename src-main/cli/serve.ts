/**
 * `kubesim serve`: lock the data dir, start the cluster, write the kubeconfig, print the two
 * endpoint lines and, once the API answers over HTTPS, `ready`. Signals and process exit are
 * main.ts's business; everything here takes its I/O from `ServeIo` so tests can drive it.
 */
import { request } from 'node:https';
import { createServer } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Cluster, ClusterOptions } from '../cluster';
import type { ServeFlags } from './args';
import { defaultDataDir, defaultKubeconfigPath, type PlatformEnv } from './paths';
import { lockDataDir, DataDirInUseError, type DataDirLock } from './lock';
import { writeKubeconfig, KUBESIM_NAME } from './kubeconfig';

export interface ServeIo {
  /** One line on stdout; resolves once it is flushed. */
  out(line: string): Promise<void>;
  /** One line on stderr (diagnostics, cluster log). */
  err(line: string): void;
  startCluster(opts: ClusterOptions): Promise<Cluster>;
  /** For the default data dir and kubeconfig; default: this process's. */
  platform?: PlatformEnv;
  /** The built renderer the UI gateway serves. */
  rendererDir?: string;
  /** Waits until the API serves requests; default: HTTPS GET /readyz with the admin token. */
  probe?(cluster: Cluster): Promise<void>;
}

/** A failure `kubesim serve` reports as `kubesim: <message>` with exit code 1. */
export class ServeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ServeError';
  }
}

export interface RunningServe {
  cluster: Cluster;
  dataDir: string;
  kubeconfigPath: string;
  /** Stops the cluster, then releases the data dir. Idempotent. */
  stop(): Promise<void>;
  /** Releases the data dir lock synchronously (for a forced exit). */
  releaseLock(): void;
}

/** Ports remembered per data dir, so a restart keeps the same URLs when it can. */
const PORTS_FILE = 'serve-ports.json';

interface RememberedPorts {
  apiPort?: number;
  uiPort?: number;
}

function readPorts(dataDir: string): RememberedPorts {
  try {
    const v = JSON.parse(readFileSync(join(dataDir, PORTS_FILE), 'utf8')) as RememberedPorts;
    const ok = (p: unknown) => (typeof p === 'number' && Number.isInteger(p) && p > 0 && p < 65536 ? p : undefined);
    return { apiPort: ok(v.apiPort), uiPort: ok(v.uiPort) };
  } catch {
    return {};
  }
}

function portOf(url: string): number | undefined {
  try {
    const p = Number(new URL(url).port);
    return p > 0 ? p : undefined;
  } catch {
    return undefined;
  }
}

/** Whether 127.0.0.1:port can be bound right now. */
export function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const s = createServer();
    s.once('error', () => done(false));
    s.listen({ port, host: '127.0.0.1', exclusive: true }, () => s.close(() => done(true)));
  });
}

/** GET /readyz over HTTPS, trusting only the cluster CA, until it answers 200 (or `deadlineMs`). */
export async function probeReady(cluster: Cluster, deadlineMs = 20_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  let last = '';
  for (;;) {
    try {
      const status = await new Promise<number>((done, fail) => {
        const req = request(
          `${cluster.apiUrl}/readyz`,
          { ca: cluster.caCertPem, headers: { authorization: `Bearer ${cluster.token}` }, agent: false, timeout: 5_000 },
          (res) => {
            res.resume();
            res.on('end', () => done(res.statusCode ?? 0));
          },
        );
        req.on('timeout', () => req.destroy(new Error('timed out')));
        req.on('error', fail);
        req.end();
      });
      if (status === 200) return;
      last = `HTTP ${status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    if (Date.now() > until) throw new ServeError(`the API server at ${cluster.apiUrl} did not become ready (${last})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function addrInUse(e: unknown): { port?: number } | undefined {
  const err = e as NodeJS.ErrnoException & { port?: number };
  return err && err.code === 'EADDRINUSE' ? { port: err.port } : undefined;
}

export async function serve(flags: ServeFlags, io: ServeIo): Promise<RunningServe> {
  const dataDir = resolve(flags.dataDir ?? defaultDataDir(io.platform));
  const kubeconfigPath = resolve(flags.kubeconfig ?? defaultKubeconfigPath(io.platform));

  let lock: DataDirLock;
  try {
    lock = lockDataDir(dataDir);
  } catch (e) {
    if (e instanceof DataDirInUseError) throw new ServeError(e.message);
    throw new ServeError((e as Error).message);
  }

  let cluster: Cluster | undefined;
  try {
    const remembered = readPorts(dataDir);
    const pick = async (explicit: number | undefined, last: number | undefined) =>
      explicit !== undefined ? explicit : last !== undefined && (await portFree(last)) ? last : 0;
    let apiPort = await pick(flags.apiPort, remembered.apiPort);
    let uiPort = await pick(flags.uiPort, remembered.uiPort);
    const opts = (): ClusterOptions => ({
      dataDir,
      apiPort,
      uiPort,
      nodes: flags.nodes ?? 2,
      fast: flags.fast,
      ...(flags.timeScale !== undefined ? { timeScale: flags.timeScale } : {}),
      rendererDir: io.rendererDir,
      log: (line) => io.err(line),
      // --host-terminal: the UI's shell gets KUBECONFIG=<the kubeconfig written below>
      ...(flags.hostTerminal ? { hostTerminal: { kubeconfigPath } } : {}),
    });
    try {
      cluster = await io.startCluster(opts());
    } catch (e) {
      const busy = addrInUse(e);
      if (!busy) throw e;
      const which = busy.port === apiPort ? 'api' : busy.port === uiPort ? 'ui' : undefined;
      const explicit = which === 'api' ? flags.apiPort : which === 'ui' ? flags.uiPort : undefined;
      if (which === undefined || explicit !== undefined) {
        const flag = which ? `--${which}-port` : 'the port flags';
        throw new ServeError(`port ${busy.port ?? '?'} on 127.0.0.1 is in use; pass another ${flag} (0 picks a free port)`);
      }
      // A remembered port was taken between the check and the listen: take any free one.
      if (which === 'api') apiPort = 0;
      else uiPort = 0;
      cluster = await io.startCluster(opts());
    }

    try {
      writeFileSync(join(dataDir, PORTS_FILE), JSON.stringify({ apiPort: portOf(cluster.apiUrl), uiPort: portOf(cluster.uiUrl) }) + '\n');
    } catch (e) {
      io.err(`kubesim: could not remember the ports in ${dataDir}: ${(e as Error).message}`);
    }

    let written;
    try {
      written = writeKubeconfig(kubeconfigPath, { server: cluster.apiUrl, caCertPem: cluster.caCertPem, token: cluster.token });
    } catch (e) {
      throw new ServeError((e as Error).message);
    }
    if (flags.kubeconfig === undefined || written.previousContext) {
      const parts = [`kubeconfig: context '${KUBESIM_NAME}' in ${kubeconfigPath} (current-context)`];
      if (written.backupPath) parts.push(`previous file kept as ${written.backupPath}`);
      if (written.previousContext) parts.push(`switch back with: kubectl config use-context ${written.previousContext}`);
      io.err(`kubesim: ${parts.join('; ')}`);
    }
    io.err(`kubesim: data dir ${dataDir}`);

    await io.out(`API server: ${cluster.apiUrl}`);
    await io.out(`UI: ${cluster.uiUrl}`);
    await (io.probe ?? probeReady)(cluster);
    await io.out('ready');
  } catch (e) {
    if (cluster) await cluster.stop().catch(() => {});
    lock.release();
    if (e instanceof ServeError) throw e;
    throw new ServeError(`could not start the cluster: ${(e as Error).message}`, { cause: e });
  }

  const started = cluster;
  let stopping: Promise<void> | undefined;
  return {
    cluster: started,
    dataDir,
    kubeconfigPath,
    releaseLock: () => lock.release(),
    stop: () =>
      (stopping ??= (async () => {
        try {
          await started.stop();
        } finally {
          lock.release();
        }
      })()),
  };
}
