/**
 * What the kubelet serves for `pods/exec`, `pods/attach` and `pods/portforward` (its streaming
 * server + the CRI's Exec/Attach/PortForward), as `NodeConnection` sessions:
 * - exec: a new process in the running container (`execInteractive`, or `exec` for runtimes
 *   without it) with stdin, TTY and resize; the exit code; a command the runtime cannot start
 *   becomes containerd's `failed to exec in container: …` error instead of output; `close()` kills it;
 * - attach: the main process's live output (from now on, not the log file) and its stdin
 *   (`stdin: true` containers; with `stdinOnce` the client closing stdin closes the container's);
 * - port-forward: a TCP connection to localhost:<port> inside the pod's network namespace, or
 *   containerd's error text when nothing listens there.
 */
import type { Duplex } from 'node:stream';
import type { ContainerStream, ContainerStreamExit, ContainerStreamRequest } from '../apiserver/node-connections';
import type { ContainerProcess, ExecSession } from '../runtime/types';
import type { Attempt } from './container-record';
import { execStartError } from './exec-errors';
import type { PodSandbox } from './sandbox';

type Listener = (chunk: Buffer) => void;

/**
 * One output stream of a session. Listeners registered late still get what came before (the
 * contract's onData rule). While paused, chunks are held (in order, none dropped) and `drain()`
 * is pending, so programs that honour back-pressure (`Output.drain`: cat, yes, shell loops) wait
 * as on a full pipe; the runtime bounds what a writer ignoring it may add (a broken pipe past
 * its limit), so the hold stays small.
 */
class Outlet {
  private cb?: Listener;
  private pending: Buffer[] = [];
  private paused = false;
  private resumed: Promise<void> | undefined;
  private resume_: (() => void) | undefined;
  closed = false;

  on(cb: Listener): void {
    this.cb = cb;
    if (!this.paused) this.flush();
  }

  push(chunk: string | Buffer): void {
    if (this.closed) return;
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (!b.length) return;
    if (this.cb && !this.paused) {
      this.cb(b);
      return;
    }
    this.pending.push(b);
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    if (this.cb) this.flush();
    this.wake();
  }

  /** Pending while paused (one promise per pause); undefined when writing may go on. */
  drain(): Promise<void> | undefined {
    if (!this.paused || this.closed) return undefined;
    return (this.resumed ??= new Promise((resolve) => (this.resume_ = resolve)));
  }

  close(): void {
    this.closed = true;
    this.pending = [];
    this.wake();
  }

  private wake(): void {
    const r = this.resume_;
    this.resumed = undefined;
    this.resume_ = undefined;
    r?.();
  }

  private flush(): void {
    const cb = this.cb!;
    const p = this.pending;
    this.pending = [];
    for (const c of p) cb(c);
  }
}

const OCI_EXEC_FAILED = 'OCI runtime exec failed';

/** `kubectl exec`: a process in the running container. */
export function execSession(process: ContainerProcess, req: ContainerStreamRequest): ContainerStream {
  const out = new Outlet();
  const err = new Outlet();
  // runc's start failure arrives as output, then exit 127: held back until the exit says what it was.
  const held: { stream: Outlet; chunk: string }[] = [];
  let heldText = '';
  const emit = (stream: Outlet, wanted: boolean) => (chunk: string) => {
    if (!wanted) return;
    if (held.length || chunk.includes(OCI_EXEC_FAILED)) {
      held.push({ stream, chunk });
      heldText += chunk;
      return;
    }
    stream.push(chunk);
  };
  const stdout = emit(out, req.stdout || req.tty);
  const stderr = emit(req.tty ? out : err, req.tty ? true : req.stderr);
  let session: ExecSession | undefined;
  let codeP: Promise<number>;
  if (process.execInteractive) {
    // the client's back-pressure: both streams share its connection
    const drain = () => out.drain() ?? err.drain();
    session = process.execInteractive(req.command, { tty: req.tty, stdout, stderr, drain });
    if (!req.stdin) session.close();
    codeP = session.exited;
  } else if (process.exec) {
    codeP = process.exec(req.command, { stdout, stderr });
  } else {
    codeP = Promise.resolve(126);
  }
  let closed = false;
  const exited: Promise<ContainerStreamExit> = codeP.then(
    async (code) => {
      // a paused client gets the last output before the exit status
      await out.drain();
      await err.drain();
      if (code === 127 && heldText.includes(OCI_EXEC_FAILED)) return { error: execStartError(heldText.replace(/\r\n/g, '\n')) };
      for (const h of held) h.stream.push(h.chunk);
      return { exitCode: code };
    },
    (e: unknown) => ({ error: e instanceof Error ? e.message : String(e) }),
  );
  return {
    onStdout: (cb) => out.on(cb),
    onStderr: (cb) => err.on(cb),
    writeStdin: (chunk) => {
      // the exact bytes (a tar stream from `kubectl cp`, a binary file piped in): the runtime keeps them
      if (closed || !req.stdin) return;
      try {
        session?.write(chunk);
      } catch {
        // the process closed its stdin (`head -c 3`: EPIPE): the rest is dropped, as containerd's copy stops
      }
    },
    closeStdin: () => {
      session?.close();
    },
    resize: (cols, rows) => session?.resize?.(cols, rows),
    pauseOutput: () => {
      out.pause();
      err.pause();
    },
    resumeOutput: () => {
      out.resume();
      err.resume();
    },
    exited,
    close: () => {
      if (closed) return;
      closed = true;
      out.close();
      err.close();
      if (session?.kill) session.kill();
      else if (session) {
        // No kill in this runtime: a terminal hangs up (interrupt, then end of input); a pipe ends.
        if (req.tty) session.write('\x03\x04');
        session.close();
      }
    },
  };
}

export interface AttachTarget {
  attempt: Attempt;
  process: ContainerProcess;
  /** The container's spec: stdin, stdinOnce and tty decide what attach can do. */
  spec: { stdin?: boolean; stdinOnce?: boolean; tty?: boolean };
}

/** `kubectl attach`: the main process's streams; ends when the container ends or the client detaches. */
export function attachSession(t: AttachTarget, req: ContainerStreamRequest): ContainerStream {
  const out = new Outlet();
  const err = new Outlet();
  const tty = t.spec.tty === true;
  const watcher = (stream: 'stdout' | 'stderr', chunk: string) => {
    if (stream === 'stdout' || tty) {
      if (req.stdout) out.push(chunk);
    } else if (req.stderr) err.push(chunk);
  };
  const watchers = (t.attempt.watchers ??= new Set());
  watchers.add(watcher);
  let settle!: (e: ContainerStreamExit) => void;
  const exited = new Promise<ContainerStreamExit>((r) => (settle = r));
  let detached = false;
  const detach = () => {
    if (detached) return;
    detached = true;
    watchers.delete(watcher);
    out.close();
    err.close();
    settle({ exitCode: 0 });
  };
  // The container's end ends the session (upstream's attach then reports success).
  void t.process.exited.then(() => setImmediate(detach));
  const stdinOpen = () => !detached && req.stdin && t.spec.stdin === true;
  return {
    onStdout: (cb) => out.on(cb),
    onStderr: (cb) => err.on(cb),
    writeStdin: (chunk) => {
      if (!stdinOpen()) return;
      try {
        t.process.writeStdin?.(chunk.toString('utf8'));
      } catch {
        // the main process closed its stdin: what is typed after is dropped
      }
    },
    closeStdin: () => {
      if (stdinOpen() && t.spec.stdinOnce === true) t.process.closeStdin?.();
    },
    // the client's terminal size becomes the main process's (tty containers; the runtime ignores it otherwise)
    resize: (cols, rows) => {
      if (!detached && tty) t.process.resize?.(cols, rows);
    },
    exited,
    close: detach,
  };
}

/**
 * containerd's PortForward: `localhost:<port>` inside the sandbox's namespace, IPv4 first, then
 * IPv6; the kubelet prefixes the failure with `error forwarding port <port> to pod <sandbox>, uid : `.
 */
export async function forwardPort(sandbox: PodSandbox, port: number): Promise<Duplex> {
  const net = sandbox.net;
  if (!net) throw new Error(`error forwarding port ${port} to pod ${sandbox.id}, uid : failed to find sandbox network namespace`);
  let v4: string;
  try {
    return (await net.connect('127.0.0.1', port)).socket;
  } catch (e) {
    v4 = `dial tcp4 127.0.0.1:${port}: connect: ${e instanceof Error ? e.message : String(e)}`;
  }
  let v6: string;
  try {
    return (await net.connect('::1', port)).socket;
  } catch (e) {
    v6 = `dial tcp6 [::1]:${port}: connect: ${e instanceof Error ? e.message : String(e)}`;
  }
  throw new Error(
    `error forwarding port ${port} to pod ${sandbox.id}, uid : failed to execute portforward in network namespace ${JSON.stringify(sandbox.netnsPath)}: failed to connect to localhost:${port} inside namespace ${JSON.stringify(sandbox.id)}, IPv4: ${v4} IPv6 ${v6} `,
  );
}
