/**
 * Runs `kubesim serve` as a child process and keeps its status: start (resolves on `ready` with
 * the endpoints), a graceful stop (serve's own clean shutdown — SIGTERM, or the stop message where
 * signals can't be caught — waited for, then a forced kill after a timeout), restart. The process
 * itself comes from a `spawn` function: an Electron utilityProcess in the app, a Node child
 * process in tests. No Electron import.
 */
import type { ClusterStatus } from '../shared/ipc';
import { initialTracker, nextStatus, type ClusterEvent, type StatusTracker } from './cluster-status';
import { ServeOutputParser, type ServeEndpoints } from './serve-output';

/** What the supervisor needs of a child process. */
export interface ChildHandle {
  stdout: NodeJS.ReadableStream | null;
  stderr: NodeJS.ReadableStream | null;
  /** Asks for serve's clean shutdown (SIGTERM on POSIX; the stop message on Windows). */
  requestStop(): void;
  /** Ends it now (SIGKILL / TerminateProcess). */
  forceKill(): void;
  onExit(cb: (code: number) => void): void;
}

export interface SupervisorOptions {
  spawn: (args: string[]) => ChildHandle;
  log?: (line: string) => void;
  onStatus?: (s: ClusterStatus) => void;
  /** How long a stop may take before the process is killed; above serve's own 20 s limit. */
  stopTimeoutMs?: number;
  /** How long start-up may take before it counts as failed. */
  startTimeoutMs?: number;
}

export const STOP_TIMEOUT_MS = 30_000;
export const START_TIMEOUT_MS = 120_000;

interface Running {
  child: ChildHandle;
  exited: Promise<number>;
  stopRequested: boolean;
}

export class ClusterSupervisor {
  private tracker: StatusTracker = initialTracker();
  private current?: Running;
  private endpointsValue?: ServeEndpoints;
  private recent: string[] = [];

  constructor(private readonly opts: SupervisorOptions) {}

  get status(): ClusterStatus {
    return this.tracker.status;
  }

  get endpoints(): ServeEndpoints | undefined {
    return this.endpointsValue;
  }

  /** The last lines serve printed (for an error dialog). */
  recentOutput(): string[] {
    return [...this.recent];
  }

  private emit(e: ClusterEvent): void {
    const before = this.tracker.status;
    this.tracker = nextStatus(this.tracker, e);
    if (this.tracker.status !== before) this.opts.onStatus?.(this.tracker.status);
  }

  /** Starts serve with `args`; resolves with its endpoints once it printed `ready`. */
  start(args: string[]): Promise<ServeEndpoints> {
    if (this.current) return Promise.reject(new Error('the cluster is already running'));
    this.endpointsValue = undefined;
    this.recent = [];
    let child: ChildHandle;
    try {
      child = this.opts.spawn(args);
    } catch (e) {
      this.emit({ type: 'failed', message: `The cluster could not start: ${(e as Error).message}` });
      return Promise.reject(e);
    }
    const run: Running = { child, stopRequested: false, exited: new Promise((r) => child.onExit(r)) };
    this.current = run;
    this.emit({ type: 'spawn' });
    const parser = new ServeOutputParser();

    return new Promise<ServeEndpoints>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        reject(new Error(`the cluster did not become ready within ${Math.round((this.opts.startTimeoutMs ?? START_TIMEOUT_MS) / 1000)} s`));
        void this.stop();
      }, this.opts.startTimeoutMs ?? START_TIMEOUT_MS);
      const lines = (stream: NodeJS.ReadableStream | null, kind: 'stdout' | 'stderr') => {
        if (!stream) return;
        stream.setEncoding('utf8');
        let buf = '';
        stream.on('data', (chunk: string) => {
          if (kind === 'stdout') {
            const ep = parser.push(chunk);
            if (ep && !settled && this.current === run) {
              settled = true;
              clearTimeout(timer);
              this.endpointsValue = ep;
              resolve(ep);
            }
          }
          buf += chunk;
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl).replace(/\r$/, '');
            buf = buf.slice(nl + 1);
            if (!line.trim()) continue;
            this.opts.log?.(line);
            this.recent.push(line);
            if (this.recent.length > 30) this.recent.shift();
            if (this.current === run) this.emit({ type: kind, line });
          }
        });
      };
      lines(child.stdout, 'stdout');
      lines(child.stderr, 'stderr');
      void run.exited.then((code) => {
        clearTimeout(timer);
        if (this.current === run) {
          this.current = undefined;
          this.endpointsValue = undefined;
          this.emit({ type: 'exit', code, requested: run.stopRequested });
        }
        if (!settled) {
          settled = true;
          reject(new Error(`${this.tracker.status.message}\n${this.recent.join('\n')}`));
        }
      });
    });
  }

  /**
   * Stops serve cleanly and waits for its exit (serve closes its store first: nothing acknowledged
   * is lost). `clean` is false when it had to be killed after the timeout. Idempotent.
   */
  async stop(): Promise<{ clean: boolean }> {
    const run = this.current;
    if (!run) return { clean: true };
    if (!run.stopRequested) {
      run.stopRequested = true;
      this.emit({ type: 'stopping' });
      run.child.requestStop();
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), this.opts.stopTimeoutMs ?? STOP_TIMEOUT_MS)));
    const first = await Promise.race([run.exited, timedOut]);
    clearTimeout(timer);
    if (first !== 'timeout') return { clean: true };
    this.opts.log?.('kubesim: the cluster did not stop in time; killing it');
    run.child.forceKill();
    await run.exited;
    return { clean: false };
  }

  /** Stops (cleanly) and starts again with `args`. */
  async restart(args: string[]): Promise<ServeEndpoints> {
    await this.stop();
    return this.start(args);
  }
}
