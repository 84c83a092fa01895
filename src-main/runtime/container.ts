/**
 * One running container: resolves its argv, environment and working directory, checks the
 * executable like runc (StartError 128), runs the program as PID 1, delivers signals with PID-1
 * semantics (no handler → SIGTERM/SIGINT/SIGQUIT ignored; SIGKILL always ends it, 137), counts
 * simulated memory (OOMKilled past the limit) and CPU. Idle containers hold no timers.
 */
import type { ContainerConfig, ContainerExit, ContainerProcess, ExecIO, ExecSession } from './types';
import type { ContainerHost, HttpHandler, HttpRequest, HttpResponse, Listener, RespHandler, RespValue, Program, ProcessContext, ProcessInfo, Signal, SpawnOptions } from './program';
import { KillScope, ProcessKilled, SIGNAL_NUMBERS } from './program';
import type { ResolvedImage } from './catalog';
import { resolveCommand } from './command';
import { ContainerFs, SubFs, resolvePath } from './vfs';
import { BrokenPipe, Input, Utf8Decoder, chunkBytes, type Chunk, type Output } from './streams';
import { genericProgram } from './images/generic';
import { LineDiscipline, Tty, ttyText } from './tty';
import { StubResolver } from './dns/resolver';
import type { Duplex } from 'node:stream';
import type { Binding, Connection, ConnectionHandler, Endpoint } from '../network/types';
import { HttpServer } from './net/http-server';
import { serveResp } from './net/resp-server';
import { RespClient } from './net/resp-client';
import { exchange, parseUrl } from './net/http-client';
import { resolveHost } from './net/resolve';
import { SocketError, socketError } from './net/errors';

const MAX_TIMER_MS = 2 ** 31 - 1;
/** Output an exec'd process may write while its client is not reading, beyond honouring `drain` (then EPIPE). */
const EXEC_UNREAD_LIMIT = 4 * 1024 * 1024;
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** CPU one served HTTP request or RESP command costs (0.5 ms: 1000 req/s ≈ 500m). */
const REQUEST_CPU_NS = 500_000;
/** How fast the request-rate part of the CPU figure decays (ms; e^-t/τ). */
const LOAD_TAU_MS = 10_000;
const RUNC = 'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process:';

/** The kubelet-managed /etc/hosts of a pod. */
function kubeletHostsFile(hostname: string, podIP: string | undefined): string {
  return (
    '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n' +
    (podIP ? `${podIP}\t${hostname}\n` : '')
  );
}

type RunConfig = Pick<ContainerConfig, 'clock' | 'tty' | 'stdin' | 'net' | 'clusterDns' | 'dnsClient' | 'memoryLimitBytes' | 'stdout' | 'stderr'>;

interface Sleeper {
  handle: unknown;
  reject: (e: Error) => void;
}

type ListenOptions = { address?: string; pid?: number; http?: HttpHandler; resp?: RespHandler; onConnection?: ConnectionHandler; ipv6Only?: boolean };

function noop(): void {}

/** An RST for virtual sockets (the peer sees ECONNRESET); real sockets are reset by the kernel. */
function resetSocket(s: Duplex): void {
  if (s.destroyed) return;
  const r = s as Duplex & { reset?: () => void; resetAndDestroy?: () => void };
  if (typeof r.reset === 'function') r.reset();
  else if (typeof r.resetAndDestroy === 'function') r.resetAndDestroy();
  else s.destroy();
}

export class Container implements ContainerProcess, ContainerHost {
  readonly id: string;
  readonly exited: Promise<ContainerExit>;
  readonly fs: ContainerFs;
  readonly hostname: string;
  readonly tty: boolean;
  private settle!: (exit: ContainerExit) => void;
  private done = false;
  private handlers = new Map<Signal, (sig: Signal) => void>();
  /** Pending sleeps (made on the first; most servers never sleep). */
  private sleepers: Set<Sleeper> | undefined;
  private foreverPromise: Promise<never> | undefined;
  private rejectForever: ((e: Error) => void) | undefined;
  private memory = 0;
  private cpu = 0;
  private busyAt = -Infinity;
  private procs = new Map<number, ProcessInfo>();
  private nextPid = 1;
  private ports: Listener[] = [];
  /** Connections into and out of this container (reset when it ends). */
  private sockets: Map<Duplex, Connection> | undefined;
  private respClients: Map<string, Promise<RespClient>> | undefined;
  private httpServers: Map<HttpHandler, HttpServer> | undefined;
  /** Request-rate load (decaying count of requests served) and cumulative CPU. */
  private load = 0;
  private loadAt = 0;
  private cpuNs = 0;
  private cpuAt: number;
  private mainEnv = new Map<string, string>();
  private mainCwd = '/';
  /** The container's stdin when the pod asked for one (`stdin: true`): stays open until closed. */
  readonly stdin: Input;

  /** What a running container still needs of its config (the rest is let go once it has started). */
  private readonly config: RunConfig;
  /** The whole config and the image until `start()` has used them. */
  private starting: { config: ContainerConfig; image: ResolvedImage } | undefined;
  /** The image's STOPSIGNAL (nginx: SIGQUIT): what SIGTERM from the kubelet becomes. */
  private readonly stopSignal: Signal | undefined;

  constructor(
    config: ContainerConfig,
    image: ResolvedImage,
    private readonly programs: Map<string, Program>,
  ) {
    const clock = config.clock;
    this.config = {
      clock,
      tty: config.tty,
      stdin: config.stdin,
      net: config.net,
      clusterDns: config.clusterDns,
      dnsClient: config.dnsClient,
      memoryLimitBytes: config.memoryLimitBytes,
      stdout: config.stdout,
      stderr: config.stderr,
    };
    this.starting = { config, image };
    this.stopSignal = image.config.stopSignal;
    this.id = config.id;
    this.hostname = config.pod.hostname;
    this.tty = config.tty;
    this.fs = new ContainerFs(image.tree, () => clock.now());
    const hostnameFile = `${config.pod.hostname}\n`;
    this.fs.provide('/etc/hostname', () => hostnameFile);
    // The kubelet writes /etc/hosts and containerd /etc/resolv.conf; without them (unit tests), ClusterFirst's.
    const etcHosts = config.etcHosts ?? kubeletHostsFile(config.pod.hostname, config.pod.podIP);
    const resolvConf = config.resolvConf ?? `search ${config.pod.namespace}.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n`;
    this.fs.provide('/etc/hosts', () => etcHosts);
    this.fs.provide('/etc/resolv.conf', () => resolvConf);
    this.exited = new Promise((resolve) => (this.settle = resolve));
    if (config.tty) {
      // the main process's terminal: PID 1 is its foreground group (signals only with a handler)
      this.mainTty = new Tty();
      this.mainTty.setForeground({ signal: (sig) => sig !== 'SIGKILL' && this.deliver(sig) });
      if (!config.stdin) this.mainTty.input.end();
    }
    this.stdin = this.mainTty ? this.mainTty.input : config.stdin ? new Input() : Input.empty();
    this.cpuAt = clock.now();
  }

  private discipline: LineDiscipline | undefined;
  /** Typed bytes → text for the tty's line discipline (a character may span two writes). */
  private stdinText: Utf8Decoder | undefined;
  /** The terminal of a tty container (`kubectl run -it`): attach types into it. */
  private readonly mainTty: Tty | undefined;

  /**
   * Feeds the main process's stdin (attach); `closeStdin` sends end-of-file. With a tty the
   * runtime plays the terminal (tty.ts): echo, backspace, Ctrl-C, Ctrl-D, whole lines.
   */
  writeStdin(chunk: Chunk): void {
    if (this.done || !this.config.stdin) return;
    if (!this.config.tty) {
      this.stdin.push(chunk);
      return;
    }
    this.discipline ??= new LineDiscipline(this.mainTty ?? this.stdin, (echo) => this.config.stdout(echo));
    this.discipline.write((this.stdinText ??= new Utf8Decoder()).write(chunk));
  }

  closeStdin(): void {
    this.stdin.end();
  }

  /** The attached client's terminal size (tty containers; exec sessions have their own terminal). */
  resize(cols: number, rows: number): void {
    if (!this.mainTty || this.done) return;
    this.mainTty.cols = cols;
    this.mainTty.rows = rows;
  }

  /**
   * `kubectl exec -i[t]`: a process whose input arrives as it is typed. With `tty`, the
   * session is a terminal (tty.ts: echo, line editing, `\r\n`, stderr on stdout, Ctrl-C/Ctrl-\
   * signal the foreground process group, Ctrl-D is end-of-file, resize) and shells prompt.
   * `kill()` ends the exec'd process and what it runs (SIGKILL: 137); `io.drain` is the client's
   * back-pressure (writers that honour `Output.drain` wait while it is pending).
   */
  execInteractive(
    argv: string[],
    io: { tty: boolean; stdout(chunk: Chunk): void; stderr(chunk: Chunk): void; drain?(): Promise<void> | undefined },
  ): ExecSession {
    const terminal = io.tty ? new Tty() : undefined;
    const input = terminal ? terminal.input : new Input();
    let killed = false;
    const drain = io.drain ? () => (killed ? undefined : io.drain!()) : undefined;
    // what a writer ignoring back-pressure may add while the client does not read: past it, EPIPE
    let unread = 0;
    const send = (c: Chunk, to: (chunk: Chunk) => void) => {
      if (killed || !c.length) return;
      if (drain?.()) {
        unread += c.length;
        if (unread > EXEC_UNREAD_LIMIT) throw new BrokenPipe();
      } else unread = 0;
      // bytes stay bytes (binary output of `cat`, `tar`); a terminal gets text
      to(typeof c === 'string' ? c : chunkBytes(c));
    };
    const ttyOut = io.tty ? new Utf8Decoder() : undefined;
    const stdout: Output = { write: (c) => send(ttyOut ? ttyText(ttyOut.write(c)) : c, io.stdout), drain };
    const stderr: Output = io.tty ? stdout : { write: (c) => send(c, io.stderr), drain };
    const discipline = terminal ? new LineDiscipline(terminal, (e) => !killed && io.stdout(e)) : undefined;
    const typed = discipline ? new Utf8Decoder() : undefined;
    // the exec'd process's own process group: the terminal's foreground until a shell starts jobs
    const session = new KillScope();
    const untrack = terminal?.setForeground({
      signal: (sig) => {
        terminal.input.abortReads();
        session.fire(sig);
      },
    });
    const exited = (async () => {
      if (this.done) return 126;
      const exe = argv.length ? this.which(argv[0]!, this.mainEnv.get('PATH') ?? DEFAULT_PATH, this.mainCwd) : undefined;
      if (!exe) {
        stderr.write(`OCI runtime exec failed: exec failed: unable to start container process: exec: "${argv[0] ?? ''}": executable file not found in $PATH: unknown\n`);
        return 127;
      }
      try {
        // the exec'd process leads its own session (`Ss` in ps)
        this.leaderNext = true;
        return await this.spawn(argv, { env: new Map(this.mainEnv), cwd: this.mainCwd, stdin: input, stdout, stderr, tty: io.tty, terminal, scope: session });
      } catch (e) {
        if (e instanceof ProcessKilled || killed) return 137;
        if (e instanceof BrokenPipe) return 141;
        stderr.write(`kubesim: the simulated program crashed: ${(e as Error)?.message ?? String(e)}\n`);
        return 1;
      } finally {
        untrack?.();
      }
    })();
    return {
      write: (chunk) => (discipline ? discipline.write(typed!.write(chunk)) : input.push(chunk)),
      resize: (cols, rows) => {
        if (!terminal) return;
        terminal.cols = cols;
        terminal.rows = rows;
      },
      kill: () => {
        if (killed) return;
        killed = true;
        // SIGKILL to every process of the session: the jobs of a shell, the shell, the exec'd process
        terminal?.signalAll('SIGKILL');
        session.fire('SIGKILL');
        if (terminal) terminal.input.abortReads();
        input.end();
      },
      close: () => input.end(),
      exited,
    };
  }

  /**
   * Runs another process in the running container (`kubectl exec`): the container's environment
   * and working directory, its own streams. 126/127 as runc when it cannot start.
   */
  async exec(argv: string[], io: ExecIO): Promise<number> {
    if (this.done) return 126;
    // probes and hooks get text (bytes decoded as UTF-8)
    const outText = new Utf8Decoder();
    const errText = new Utf8Decoder();
    const stdout: Output = { write: (c) => void ((c = outText.write(c)) && io.stdout(c)) };
    const stderr: Output = { write: (c) => void ((c = errText.write(c)) && io.stderr(c)) };
    const exe = argv.length ? this.which(argv[0]!, this.mainEnv.get('PATH') ?? DEFAULT_PATH, this.mainCwd) : undefined;
    if (!exe) {
      stderr.write(`OCI runtime exec failed: exec failed: unable to start container process: exec: "${argv[0] ?? ''}": executable file not found in $PATH: unknown\n`);
      return 127;
    }
    try {
      return await this.spawn(argv, { env: new Map(this.mainEnv), cwd: this.mainCwd, stdin: Input.of(io.stdin ?? ''), stdout, stderr });
    } catch (e) {
      if (e instanceof ProcessKilled) return 137;
      stderr.write(`kubesim: the simulated program crashed: ${(e as Error)?.message ?? String(e)}\n`);
      return 1;
    }
  }

  get clock() {
    return this.config.clock;
  }

  private stubResolver: StubResolver | undefined;

  /** The container's resolver: real DNS queries over its pod network (musl's rules), else the legacy client. */
  get dns(): import('./types').DnsClient | undefined {
    const net = this.config.net;
    return net ? (this.stubResolver ??= new StubResolver(net, this.fs)) : this.config.dnsClient;
  }

  get clusterDns() {
    return this.config.clusterDns;
  }

  get net() {
    return this.config.net;
  }

  get killed(): boolean {
    return this.done;
  }

  // ---- lifecycle -------------------------------------------------------------------------

  start(): this {
    const starting = this.starting;
    if (!starting) return this;
    this.starting = undefined;
    try {
      this.begin(starting.config, starting.image);
    } catch (e) {
      this.startError(`${RUNC} ${(e as Error)?.message ?? String(e)}: unknown`);
    }
    return this;
  }

  private begin(cfg: ContainerConfig, image: ResolvedImage): void {
    const argv = resolveCommand(image.config, cfg.command, cfg.args);
    // containerd's order: the image's Env, HOSTNAME, the pod's env; runc adds HOME if missing
    const env = new Map<string, string>();
    for (const kv of image.config.env) {
      const eq = kv.indexOf('=');
      if (eq > 0) env.set(kv.slice(0, eq), kv.slice(eq + 1));
    }
    env.set('HOSTNAME', cfg.pod.hostname);
    for (const e of cfg.env) env.set(e.name, e.value);
    if (!env.has('HOME')) env.set('HOME', '/root');
    for (const m of cfg.mounts ?? []) {
      let fs = m.fs;
      if (m.subPath) {
        if (!fs.stat(resolvePath('/', m.subPath))) fs.mkdir(resolvePath('/', m.subPath), { parents: true });
        fs = new SubFs(fs, m.subPath, m.readOnly);
      } else if (m.readOnly) fs = new SubFs(fs, '/', true);
      this.fs.mount(m.mountPath, fs);
    }
    const cwd = resolvePath('/', cfg.workingDir || image.config.workingDir || '/');
    if (!this.fs.stat(cwd)) {
      try {
        this.fs.mkdir(cwd, { parents: true });
      } catch (e) {
        this.startError(`${RUNC} error during container init: mkdir ${cwd}: ${(e as Error).message.toLowerCase()}: unknown`);
        return;
      }
    }
    this.mainEnv = env;
    this.mainCwd = cwd;

    if (image.generic) {
      const known = argv.length ? this.which(argv[0]!, env.get('PATH') ?? DEFAULT_PATH, cwd) : undefined;
      if (!known) {
        const ports = [
          ...image.config.exposedPorts.filter((p) => p.endsWith('/tcp')).map((p) => Number(p.split('/')[0])),
          ...(cfg.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP').map((p) => p.containerPort),
        ];
        const ref = image.info.ref;
        this.runMain((ctx) => genericProgram(ctx, ref, ports), argv, '', env, cwd);
        return;
      }
    }
    if (!argv.length) {
      this.startError(`${RUNC} exec: no command specified: unknown`);
      return;
    }
    const name = argv[0]!;
    const exe = this.which(name, env.get('PATH') ?? DEFAULT_PATH, cwd);
    if (!exe) {
      const path = resolvePath(cwd, name);
      const st = this.fs.stat(path);
      if (!name.includes('/')) this.startError(`${RUNC} exec: "${name}": executable file not found in $PATH: unknown`);
      else if (!st) this.startError(`${RUNC} exec: "${name}": stat ${name}: no such file or directory: unknown`);
      else this.startError(`${RUNC} exec: "${name}": permission denied: unknown`);
      return;
    }
    this.runMain(undefined, argv, exe, env, cwd);
    return;
  }

  private startError(message: string): void {
    this.finish({ exitCode: 128, reason: 'StartError', message });
  }

  /**
   * Runs the main process (PID 1) a microtask after `start()`. No async frame stays behind while it
   * runs: an idle container is its program's own frames, not a chain of runtime ones (10 000 pods).
   */
  private runMain(program: Program | undefined, argv: string[], exe: string, env: Map<string, string>, cwd: string): void {
    queueMicrotask(() => {
      // a tty turns \n into \r\n and carries stderr on the same stream
      const tty = this.config.tty;
      const stdout = new MainOutput(this, this.config.stdout, tty);
      const stderr = tty ? stdout : new MainOutput(this, this.config.stderr, false);
      const opts: SpawnOptions = { env, cwd, stdin: this.stdin, stdout, stderr, tty, terminal: this.mainTty };
      const run = program ? this.runAs(program, argv, exe, opts) : this.spawn(argv, opts);
      // the lookups of the start (entrypoint, exec "$@") are not kept for the container's life
      this.whichCache = undefined;
      run.then(
        (code) => this.mainExited(code),
        (e: unknown) => {
          if (e instanceof ProcessKilled || this.done) return;
          stderr.write(`kubesim: the simulated program crashed: ${(e as Error)?.message ?? String(e)}\n`);
          this.mainExited(1);
        },
      );
    });
  }

  private mainExited(code: number): void {
    code = ((code % 256) + 256) % 256;
    this.finish({ exitCode: code, reason: code === 0 ? 'Completed' : 'Error' });
  }

  private finish(exit: ContainerExit): void {
    if (this.done) return;
    this.done = true;
    const killed = new ProcessKilled();
    for (const s of this.sleepers ?? []) {
      this.config.clock.clearTimeout(s.handle);
      s.reject(killed);
    }
    this.sleepers = undefined;
    this.rejectForever?.(killed);
    this.handlers.clear();
    this.accrueCpu(this.config.clock.now());
    for (const l of this.ports) l.close();
    this.ports = [];
    if (this.sockets) for (const s of this.sockets.keys()) resetSocket(s);
    this.sockets = undefined;
    if (this.respClients) for (const c of this.respClients.values()) void c.then((x) => x.close(), noop);
    this.respClients = undefined;
    this.httpServers = undefined;
    this.procs.clear();
    this.settle(exit);
  }

  signal(sig: 'SIGTERM' | 'SIGKILL' | 'SIGINT'): void {
    if (this.done) return;
    if (sig === 'SIGKILL') {
      this.finish({ exitCode: 137, reason: 'Error', signal: 'SIGKILL' });
      return;
    }
    // containerd stops a container with the image's STOPSIGNAL (nginx: SIGQUIT)
    const delivered: Signal = sig === 'SIGTERM' ? (this.stopSignal ?? 'SIGTERM') : sig;
    this.deliver(delivered);
  }

  /** PID 1 only gets signals it has a handler for (the kernel protects a namespace's init). */
  private deliver(sig: Signal): void {
    const h = this.handlers.get(sig);
    if (h) h(sig);
  }

  usage(): { cpuMillicores: number; memoryBytes: number; cpuCoreNanoseconds: number } {
    const now = this.config.clock.now();
    this.accrueCpu(now);
    const busy = now - this.busyAt < 1000;
    // load ≈ rate × τ in steady state, so rate = load / τ (requests per ms)
    const rate = (this.load * Math.exp((this.loadAt - now) / LOAD_TAU_MS)) / LOAD_TAU_MS;
    const served = rate * REQUEST_CPU_NS; // ns of CPU per ms = 1e-6 cores = 1e-3 millicores
    const cpu = this.done ? 0 : busy ? 1000 : this.cpu + Math.round(served / 1000);
    return { cpuMillicores: cpu, memoryBytes: this.done ? 0 : this.memory + 350_000 * Math.max(1, this.procs.size), cpuCoreNanoseconds: Math.round(this.cpuNs) };
  }

  /** Adds the baseline/busy CPU since the last call to the cumulative figure. */
  private accrueCpu(now: number): void {
    const dt = now - this.cpuAt;
    if (dt <= 0 || this.done) return;
    this.cpuAt = now;
    const busy = now - this.busyAt < 1000;
    this.cpuNs += (busy ? 1000 : this.cpu) * dt * 1000;
  }

  /** One request or command served: a little CPU now, decaying over ~10 s. */
  private readonly work = (): void => {
    const now = this.config.clock.now();
    this.load = this.load * Math.exp((this.loadAt - now) / LOAD_TAU_MS) + 1;
    this.loadAt = now;
    this.cpuNs += REQUEST_CPU_NS;
  };

  // ---- ContainerHost -----------------------------------------------------------------------

  checkAlive(): void {
    if (this.done) throw new ProcessKilled();
  }

  sleep(ms: number): Promise<void> {
    if (this.done) return Promise.reject(new ProcessKilled());
    return new Promise<void>((resolve, reject) => {
      const s: Sleeper = { handle: undefined, reject };
      const end = this.config.clock.now() + ms;
      // timers hold at most ~24.8 days (2^31-1 ms): longer sleeps (`sleep 99999999999`) go in steps
      const arm = (left: number) => {
        s.handle = this.config.clock.setTimeout(
          () => {
            const rest = end - this.config.clock.now();
            if (rest > 0 && left > MAX_TIMER_MS) return arm(rest);
            this.sleepers?.delete(s);
            resolve();
          },
          Math.min(left, MAX_TIMER_MS),
        );
      };
      arm(ms);
      (this.sleepers ??= new Set()).add(s);
    });
  }

  forever(): Promise<never> {
    if (this.done) return Promise.reject(new ProcessKilled());
    if (!this.foreverPromise) {
      this.foreverPromise = new Promise<never>((_resolve, reject) => (this.rejectForever = reject));
      this.foreverPromise.catch(() => {});
    }
    return this.foreverPromise;
  }

  private yields = 0;

  /**
   * A busy program's breather: lets other work run, and every 8th time pauses 10 ms of real time,
   * so a `while true; do :; done` takes a fraction of the app's one thread, not all of it.
   */
  async yieldCpu(): Promise<void> {
    if (++this.yields % 8 === 0) {
      await new Promise<void>((r) => {
        const t = setTimeout(r, 10);
        t.unref?.();
      });
    } else await new Promise<void>((r) => setImmediate(r));
    this.busyAt = this.config.clock.now();
    this.checkAlive();
  }

  onSignal(sig: Signal, handler: ((sig: Signal) => void) | null): void {
    if (this.done) return;
    if (handler) this.handlers.set(sig, handler);
    else this.handlers.delete(sig);
  }

  allocate(bytes: number): void {
    this.checkAlive();
    this.memory += bytes;
    const limit = this.config.memoryLimitBytes;
    if (limit !== undefined && limit > 0 && this.memory > limit) {
      this.finish({ exitCode: 137, reason: 'OOMKilled', signal: 'SIGKILL' });
      throw new ProcessKilled();
    }
  }

  free(bytes: number): void {
    this.memory = Math.max(0, this.memory - bytes);
  }

  setCpu(millicores: number): void {
    this.accrueCpu(this.config.clock.now());
    this.cpu = millicores;
  }

  /**
   * Binds `port` in the pod's network namespace (shared by the pod's containers: a taken port
   * throws SocketError EADDRINUSE, errno 98) and serves it: `http` through node's HTTP server,
   * `resp` as redis does, `onConnection` raw. Without a namespace (unit tests) the listener is
   * only visible inside the container.
   */
  listen(port: number, protocol: 'TCP' | 'UDP' = 'TCP', opts: ListenOptions = {}): Listener {
    this.checkAlive();
    const address = opts.address ?? '0.0.0.0';
    const l = new PortListener(this, port, protocol, address, opts);
    const net = this.config.net;
    if (net) {
      const bindOpts = { address, pid: opts.pid, program: this.programName(opts.pid), ipv6Only: opts.ipv6Only };
      try {
        l.binding = protocol === 'UDP' ? net.bindUdp(port, noop, bindOpts) : net.listen(port, this.acceptor(address, opts), bindOpts);
      } catch (e) {
        throw socketError(e, address);
      }
      l.port = l.binding.port;
    }
    this.ports.push(l);
    return l;
  }

  /** @internal PortListener.close: the socket leaves the container's list. */
  portClosed(l: Listener): void {
    this.ports = this.ports.filter((x) => x !== l);
  }

  private acceptor(address: string, opts: ListenOptions): ConnectionHandler {
    const track = (conn: Connection) => this.track(conn);
    const raw = opts.onConnection;
    if (raw)
      return (conn) => {
        track(conn);
        raw(conn);
      };
    const http = opts.http;
    if (http) {
      // one server per handler: nginx's `listen 80` and `listen [::]:80` share it
      const servers = (this.httpServers ??= new Map());
      let server = servers.get(http);
      if (!server) servers.set(http, (server = new HttpServer(http, { onRequest: this.work })));
      const v6 = address.includes(':');
      return (conn) => {
        track(conn);
        server.accept(conn, v6);
      };
    }
    const resp = opts.resp;
    if (resp)
      return (conn) => {
        track(conn);
        serveResp(conn, resp, this.work);
      };
    // a socket nobody answers on: the connection is accepted and stays silent
    return track;
  }

  /** What `netstat -p` names a process by (its title's first word, or the executable's base name). */
  private programName(pid: number | undefined): string | undefined {
    const p = pid === undefined ? undefined : this.procs.get(pid);
    const a0 = p?.argv[0];
    return a0 === undefined ? undefined : a0.slice(a0.lastIndexOf('/') + 1);
  }

  /** A connection of this container: listed by `netstat`, reset when the container ends. */
  private track(conn: Connection): void {
    const socket = conn.socket;
    if (this.done) {
      resetSocket(socket);
      return;
    }
    const map = (this.sockets ??= new Map());
    map.set(socket, conn);
    socket.once('close', () => map.delete(socket));
    // a reset from the peer must never surface as an uncaught error; the owners see 'close'
    socket.on('error', noop);
  }

  /** The container's open TCP connections (what `netstat -tn` lists as ESTABLISHED). */
  connections(): { local: Endpoint; remote: Endpoint }[] {
    const out: { local: Endpoint; remote: Endpoint }[] = [];
    for (const c of this.sockets?.values() ?? []) if (!c.socket.destroyed) out.push({ local: c.local, remote: c.remote });
    return out;
  }

  listeners(): Listener[] {
    return this.done ? [] : [...this.ports];
  }

  /**
   * A TCP connection from this container to `host:port` (names resolved as its resolver does).
   * Rejects with SocketError: ENOTFOUND (`bad address`), ECONNREFUSED, EHOSTUNREACH, …
   */
  async connect(host: string, port: number): Promise<Connection> {
    this.checkAlive();
    const net = this.config.net;
    const ip = await resolveHost(host, this.fs, this.dns);
    if (!net) throw new SocketError('ECONNREFUSED', ip);
    let conn: Connection;
    try {
      conn = await net.connect(ip, port);
    } catch (e) {
      throw socketError(e, ip);
    }
    this.track(conn);
    return conn;
  }

  async httpRequest(url: string, req: HttpRequest, opts: { timeoutMs?: number } = {}): Promise<HttpResponse> {
    const u = parseUrl(url);
    if (!u) throw new SocketError('ENOTFOUND', url, 'bad address');
    if (!this.config.net) {
      // no network namespace (unit tests): only this container's own listeners answer
      const ip = await resolveHost(u.host, this.fs, this.dns);
      const l = ip.startsWith('127.') ? this.ports.find((p) => p.port === u.port && p.http) : undefined;
      if (!l) throw new SocketError('ECONNREFUSED', ip);
      this.work();
      return l.http!({ ...req, remoteAddress: l.address.includes(':') ? '::ffff:127.0.0.1' : '127.0.0.1' });
    }
    if (u.scheme === 'https') throw new SocketError('ECONNRESET', u.host, 'TLS is not simulated');
    const conn = await this.connect(u.host, u.port);
    return exchange(conn, u.authority, req, opts);
  }

  async respRequest(host: string, port: number, args: string[]): Promise<RespValue> {
    if (!this.config.net) {
      const ip = await resolveHost(host, this.fs, this.dns);
      const l = ip.startsWith('127.') ? this.ports.find((p) => p.port === port && p.resp) : undefined;
      if (!l) throw new SocketError('ECONNREFUSED', ip);
      this.work();
      return l.resp!(args);
    }
    const ip = await resolveHost(host, this.fs, this.dns);
    const key = `${ip}:${port}`;
    const pool = (this.respClients ??= new Map());
    let pending = pool.get(key);
    let client = pending ? await pending.catch(() => undefined) : undefined;
    if (!client?.open) {
      if (pool.get(key) === pending) pool.delete(key);
      pending = pool.get(key);
      if (!pending) {
        const opening = this.connect(ip, port).then((conn) => new RespClient(conn, ip));
        pending = opening;
        pool.set(key, opening);
        opening.catch(() => {
          if (pool.get(key) === opening) pool.delete(key);
        });
      }
      client = await pending;
    }
    return client.command(args);
  }

  processes(): ProcessInfo[] {
    return [...this.procs.values()].sort((a, b) => a.pid - b.pid);
  }

  /** What `kill` does to a process other than PID 1 (its default action: terminate). */
  private killers: Map<number, (sig: Signal) => void> | undefined;

  registerProcess(argv: string[], wanted?: number): { pid: number; exit(): void; onKill(fn: (sig: Signal) => void): void } {
    const pid = wanted !== undefined && !this.procs.has(wanted) ? wanted : this.nextPid++;
    if (pid >= this.nextPid) this.nextPid = pid + 1;
    this.procs.set(pid, { pid, argv, user: 'root', startedAt: this.config.clock.now() });
    return new ProcessHandle(this, pid);
  }

  /** @internal ProcessHandle.exit: the process leaves the table. */
  processExited(pid: number): void {
    this.procs.delete(pid);
    this.killers?.delete(pid);
  }

  /** @internal ProcessHandle.onKill: what `kill` does to this process. */
  processOnKill(pid: number, fn: (sig: Signal) => void): void {
    (this.killers ??= new Map()).set(pid, fn);
  }

  setTitle(pid: number, argv: string[]): void {
    const p = this.procs.get(pid);
    if (p) p.argv = argv;
  }

  kill(pid: number, sig: Signal): boolean {
    if (!this.procs.has(pid)) return false;
    // From inside the container, SIGKILL/SIGSTOP to init are dropped; other signals need a handler.
    if (pid === 1) {
      if (sig !== 'SIGKILL') queueMicrotask(() => this.deliver(sig));
      return true;
    }
    const k = this.killers?.get(pid);
    if (k) queueMicrotask(() => k(sig));
    return true;
  }

  private leaderNext = false;

  private whichCache: Map<string, string | undefined> | undefined;
  private whichVersion = -1;

  which(name: string, path: string, cwd: string): string | undefined {
    if (this.whichVersion !== this.fs.version) {
      this.whichCache = undefined;
      this.whichVersion = this.fs.version;
    }
    const key = name.includes('/') ? `${cwd}\0${name}` : `${path}\0${name}`;
    const cache = (this.whichCache ??= new Map());
    if (cache.has(key)) return cache.get(key);
    const found = this.search(name, path, cwd);
    if (cache.size > 64) cache.clear();
    cache.set(key, found);
    return found;
  }

  private search(name: string, path: string, cwd: string): string | undefined {
    const isExe = (p: string) => {
      const st = this.fs.stat(p);
      return st?.kind === 'file' && (st.mode & 0o111) !== 0;
    };
    if (name.includes('/')) {
      const p = resolvePath(cwd, name);
      return isExe(p) ? p : undefined;
    }
    if (!name) return undefined;
    for (const dir of path.split(':')) {
      const p = resolvePath(cwd, `${dir || '.'}/${name}`);
      if (isExe(p)) return p;
    }
    return undefined;
  }

  spawn(argv: string[], opts: SpawnOptions): Promise<number> {
    try {
      this.checkAlive();
      const exe = this.which(argv[0]!, opts.env.get('PATH') ?? DEFAULT_PATH, opts.cwd);
      if (!exe) return Promise.resolve(127);
      const st = this.fs.stat(exe)!;
      let program = st.program ? this.programs.get(st.program) : undefined;
      let av = argv;
      if (!program) {
        // a script: its #! interpreter (or /bin/sh) runs it
        const text = this.fs.readFile(exe);
        const m = /^#!\s*(\S+)(?:[ \t]+(\S.*))?/.exec(text);
        const interp = m ? m[1]! : '/bin/sh';
        const ist = this.fs.stat(interp);
        program = ist?.program ? this.programs.get(ist.program) : undefined;
        if (!program) {
          opts.stderr.write(`exec ${argv[0]}: exec format error\n`);
          return Promise.resolve(126);
        }
        av = [interp, ...(m?.[2] ? [m[2].trim()] : []), exe, ...argv.slice(1)];
      }
      return this.runAs(program, av, exe, opts);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Runs `program` as a process. An in-place exec (`replacePid`: docker-entrypoint.sh → nginx)
   * and the container's main process (PID 1: its end is the container's, `kill` cannot reach it
   * from inside) are the program's own promise, with no runtime frame waiting on it; other
   * processes are tracked until they end (runChild).
   */
  private runAs(program: Program, argv: string[], exe: string, opts: SpawnOptions): Promise<number> {
    if (opts.replacePid !== undefined && this.procs.has(opts.replacePid)) {
      const pid = opts.replacePid;
      this.procs.get(pid)!.argv = argv;
      this.leaderNext = false;
      return runProgram(program, { ...opts, argv, pid, host: this, exe });
    }
    const p = this.registerProcess(argv);
    const info = this.procs.get(p.pid)!;
    if (opts.tty) info.tty = 'pts/0';
    if (this.leaderNext) info.leader = true;
    this.leaderNext = false;
    if (p.pid === 1) return runProgram(program, { ...opts, argv, pid: 1, host: this, exe });
    return this.runChild(program, argv, exe, opts, p);
  }

  private async runChild(program: Program, argv: string[], exe: string, opts: SpawnOptions, p: { pid: number; exit(): void; onKill(fn: (sig: Signal) => void): void }): Promise<number> {
    let leaveScope = () => {};
    // not PID 1: `kill` (or its job's kill) ends it with 128+signal, as the default action does
    const killed = new Promise<number>((resolve) => {
      const die = (sig: Signal) => resolve(128 + SIGNAL_NUMBERS[sig]);
      p.onKill(die);
      if (opts.scope) leaveScope = opts.scope.add(die);
    });
    // a killed process writes nothing more (its promise may still be settling)
    let dead = false;
    void killed.then(() => (dead = true));
    const guard = (o: Output): Output => ({ write: (c) => !dead && o.write(c), drain: o.drain && (() => (dead ? undefined : o.drain!())) });
    const stdout = guard(opts.stdout);
    const ctx: ProcessContext = { ...opts, argv, pid: p.pid, host: this, exe, stdout, stderr: opts.stderr === opts.stdout ? stdout : guard(opts.stderr) };
    try {
      const run = runProgram(program, ctx);
      run.catch(() => {});
      return await Promise.race([run, killed]);
    } finally {
      leaveScope();
      p.exit();
    }
  }
}

/**
 * The main process's stdout or stderr: the log gets text (bytes decoded as UTF-8, a character
 * split between writes kept whole; a tty's \n as \r\n), nothing once the container has ended.
 */
class MainOutput implements Output {
  private readonly text = new Utf8Decoder();

  constructor(
    private readonly container: Container,
    private readonly to: (chunk: string) => void,
    private readonly tty: boolean,
  ) {}

  write(chunk: Chunk): void {
    if (this.container.killed) return;
    const t = this.text.write(chunk);
    if (t) this.to(this.tty ? ttyText(t) : t);
  }
}

/** A listening socket of a program (one object per socket, no closures). */
class PortListener implements Listener {
  readonly pid: number | undefined;
  readonly http: HttpHandler | undefined;
  readonly resp: RespHandler | undefined;
  /** The pod namespace's bind, when the container has a network. */
  binding: Binding | undefined;

  constructor(
    private readonly container: Container,
    public port: number,
    readonly protocol: 'TCP' | 'UDP',
    readonly address: string,
    opts: ListenOptions,
  ) {
    this.pid = opts.pid;
    this.http = opts.http;
    this.resp = opts.resp;
  }

  close(): void {
    this.container.portClosed(this);
    this.binding?.close();
  }
}

/** A process table entry's handle (registerProcess): one small object, no closures per process. */
class ProcessHandle {
  constructor(
    private readonly container: Container,
    readonly pid: number,
  ) {}

  exit(): void {
    this.container.processExited(this.pid);
  }

  onKill(fn: (sig: Signal) => void): void {
    this.container.processOnKill(this.pid, fn);
  }
}

/** A program's promise; a synchronous throw becomes its rejection. */
function runProgram(program: Program, ctx: ProcessContext): Promise<number> {
  try {
    return program(ctx);
  } catch (e) {
    return Promise.reject(e);
  }
}
