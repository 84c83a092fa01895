/**
 * The cluster in an Electron utility process: the same CLI entry `kubesim serve` runs
 * (`out/cli/kubesim.mjs`), so the window's event loop never runs cluster work.
 */
import { utilityProcess, type UtilityProcess } from 'electron';
import { ServeOutputParser, type ServeEndpoints } from './serve-output';

export interface ClusterProcess extends ServeEndpoints {
  /** Ends the cluster like SIGTERM does (it shuts down cleanly) and waits for the exit. */
  stop(): Promise<void>;
  /** Called if the cluster exits on its own after start-up. */
  onUnexpectedExit(cb: (code: number) => void): void;
}

export interface ClusterProcessOptions {
  cliPath: string;
  /** `kubesim serve` flags (see serve-args.ts); none: serve's defaults. */
  serveArgs: string[];
  log: (line: string) => void;
}

export function startClusterProcess(opts: ClusterProcessOptions): Promise<ClusterProcess> {
  // By default no flags: the same data dir (the per-user app data folder) as `kubesim serve`, so
  // the app and headless mode run the same cluster; ports are reused from the last run when free.
  const child: UtilityProcess = utilityProcess.fork(opts.cliPath, ['serve', ...opts.serveArgs], {
    stdio: 'pipe',
    serviceName: 'kubesim cluster',
  });
  const parser = new ServeOutputParser();
  const recent: string[] = [];
  let exited = false;
  let stopping = false;
  let unexpected: ((code: number) => void) | undefined;
  const exitedPromise = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code)));

  const capture = (stream: NodeJS.ReadableStream | null, onChunk?: (s: string) => void) => {
    stream?.setEncoding('utf8');
    stream?.on('data', (s: string) => {
      for (const l of s.split('\n')) {
        if (!l.trim()) continue;
        opts.log(l);
        recent.push(l);
        if (recent.length > 30) recent.shift();
      }
      onChunk?.(s);
    });
  };

  return new Promise<ClusterProcess>((resolve, reject) => {
    let started = false;
    capture(child.stderr);
    capture(child.stdout, (s) => {
      const ep = parser.push(s);
      if (ep && !started) {
        started = true;
        resolve({
          ...ep,
          stop: async () => {
            if (exited) return;
            stopping = true;
            child.kill();
            await exitedPromise;
          },
          onUnexpectedExit: (cb) => (unexpected = cb),
        });
      }
    });
    void exitedPromise.then((code) => {
      exited = true;
      if (!started) reject(new Error(`the cluster exited (code ${code}) before it was ready:\n${recent.join('\n')}`));
      else if (!stopping) unexpected?.(code);
    });
  });
}
