/**
 * One running container: resolves its argv, environment and working directory, checks the
 * executable like runc (StartError 128), runs the program as PID 1, delivers signals with PID-1
 * semantics (no handler → SIGTERM/SIGINT/SIGQUIT ignored; SIGKILL always ends it, 137), counts
 * simulated memory (OOMKilled past the limit) and CPU. Idle containers hold no timers.
 */
import type { ContainerConfig, ContainerExit, ContainerProcess, ExecIO, ExecSession } from './types';
import type { ContainerHost, HttpHandler, HttpRequest, HttpResponse, Listener, RespHandler, RespValue, Program, ProcessContext, ProcessInfo, Signal, SpawnOptions } from './program';
import { ProcessKilled, SIGNAL_NUMBERS } from './program';
import type { ResolvedImage } from './catalog';
import { resolveCommand } from './command';
import { ContainerFs, SubFs, resolvePath } from './vfs';
import { Input, type Output } from './streams';
import { genericProgram } from './images/generic';
import { LineDiscipline, ttyText } from './tty';
import { StubResolver } from './dns/resolver';

const MAX_TIMER_MS = 2 ** 31 - 1;
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const RUNC = 'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process:';

/** The kubelet-managed /etc/hosts of a pod. */
function kubeletHostsFile(hostname: string, podIP: string | undefined): string {
  return (
    '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n' +
    (podIP ? `${podIP}\t${hostname}\n` : '')
  );
}

interface Sleeper {
  handle: unknown;
  reject: (e: Error) => void;
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
  private sleepers = new Set<Sleeper>();
  private foreverPromise: Promise<never> | undefined;
  private rejectForever: ((e: Error) => void) | undefined;
  private memory = 0;
  private cpu = 0;
  private busyAt = -Infinity;
  private procs = new Map<number, ProcessInfo>();
  private nextPid = 1;
  private ports: Listener[] = [];
  private mainEnv = new Map<string, string>();
  private mainCwd = '/';
  /** The container's stdin when the pod asked for one (`stdin: true`): stays open until closed. */
  readonly stdin: Input;

  constructor(
    private readonly config: ContainerConfig,
    private readonly image: ResolvedImage,
    private readonly programs: Map<string, Program>,
  ) {
    this.id = config.id;
    this.hostname = config.pod.hostname;
    this.tty = config.tty;
    this.fs = new ContainerFs(image.tree, () => config.clock.now());
    this.fs.provide('/etc/hostname', () => `${config.pod.hostname}\n`);
    this.fs.provide('/etc/hosts', () => kubeletHostsFile(config.pod.hostname, config.pod.podIP));
    this.fs.provide('/etc/resolv.conf', () => `search ${config.pod.namespace}.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n`);
    this.exited = new Promise((resolve) => (this.settle = resolve));
    this.stdin = config.stdin ? new Input() : Input.empty();
  }

  private discipline: LineDiscipline | undefined;

  /**
   * Feeds the main process's stdin (attach); `closeStdin` sends end-of-file. With a tty the
   * runtime plays the terminal (tty.ts): echo, backspace, Ctrl-C, Ctrl-D, whole lines.
   */
  writeStdin(chunk: string): void {
    if (this.done || !this.config.stdin) return;
    if (!this.config.tty) {
      this.stdin.push(chunk);
      return;
    }
    this.discipline ??= new LineDiscipline(this.stdin, (echo) => this.config.stdout(echo));
    this.discipline.write(chunk);
  }

  closeStdin(): void {
    this.stdin.end();
  }

  /**
   * `kubectl exec -i[t]`: a process whose input arrives as it is typed. With `tty`, the
   * session is a terminal (echo, line editing, `\r\n`, stderr on stdout) and shells prompt.
   */
  execInteractive(argv: string[], io: { tty: boolean; stdout(chunk: string): void; stderr(chunk: string): void }): ExecSession {
    const input = new Input();
    const stdout: Output = { write: (c) => c && io.stdout(io.tty ? ttyText(c) : c) };
    const stderr: Output = io.tty ? stdout : { write: (c) => c && io.stderr(c) };
    const discipline = io.tty ? new LineDiscipline(input, (e) => io.stdout(e)) : undefined;
    const exited = (async () => {
      if (this.done) return 126;
      const exe = argv.length ? this.which(argv[0]!, this.mainEnv.get('PATH') ?? DEFAULT_PATH, this.mainCwd) : undefined;
      if (!exe) {
        stderr.write(`OCI runtime exec failed: exec failed: unable to start container process: exec: "${argv[0] ?? ''}": executable file not found in $PATH: unknown\n`);
        return 127;
      }
      try {
        return await this.spawn(argv, { env: new Map(this.mainEnv), cwd: this.mainCwd, stdin: input, stdout, stderr, tty: io.tty });
      } catch (e) {
        if (e instanceof ProcessKilled) return 137;
        stderr.write(`kubesim: the simulated program crashed: ${(e as Error)?.message ?? String(e)}\n`);
        return 1;
      }
    })();
    return {
      write: (chunk) => (discipline ? discipline.write(chunk) : input.push(chunk)),
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
    const stdout: Output = { write: (c) => c && io.stdout(c) };
    const stderr: Output = { write: (c) => c && io.stderr(c) };
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
    try {
      this.begin();
    } catch (e) {
      this.startError(`${RUNC} ${(e as Error)?.message ?? String(e)}: unknown`);
    }
    return this;
  }

  private begin(): void {
    const cfg = this.config;
    const argv = resolveCommand(this.image.config, cfg.command, cfg.args);
    // containerd's order: the image's Env, HOSTNAME, the pod's env; runc adds HOME if missing
    const env = new Map<string, string>();
    for (const kv of this.image.config.env) {
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
    const cwd = resolvePath('/', cfg.workingDir || this.image.config.workingDir || '/');
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

    if (this.image.generic) {
      const known = argv.length ? this.which(argv[0]!, env.get('PATH') ?? DEFAULT_PATH, cwd) : undefined;
      if (!known) {
        const ports = [
          ...this.image.config.exposedPorts.filter((p) => p.endsWith('/tcp')).map((p) => Number(p.split('/')[0])),
          ...(cfg.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP').map((p) => p.containerPort),
        ];
        void this.runMain((ctx) => genericProgram(ctx, this.image.info.ref, ports), argv, '', env, cwd);
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
    void this.runMain(undefined, argv, exe, env, cwd);
    return;
  }

  private startError(message: string): void {
    this.finish({ exitCode: 128, reason: 'StartError', message });
  }

  private async runMain(program: Program | undefined, argv: string[], exe: string, env: Map<string, string>, cwd: string): Promise<void> {
    await Promise.resolve();
    // a tty turns \n into \r\n and carries stderr on the same stream
    const tty = this.config.tty;
    const stdout: Output = { write: (c) => !this.done && c && this.config.stdout(tty ? ttyText(c) : c) };
    const stderr: Output = tty ? stdout : { write: (c) => !this.done && c && this.config.stderr(c) };
    const opts: SpawnOptions = { env, cwd, stdin: this.stdin, stdout, stderr, tty };
    let code: number;
    try {
      code = program ? await this.runAs(program, argv, exe, opts) : await this.spawn(argv, opts);
    } catch (e) {
      if (e instanceof ProcessKilled || this.done) return;
      stderr.write(`kubesim: the simulated program crashed: ${(e as Error)?.message ?? String(e)}\n`);
      code = 1;
    }
    code = ((code % 256) + 256) % 256;
    this.finish({ exitCode: code, reason: code === 0 ? 'Completed' : 'Error' });
  }

  private finish(exit: ContainerExit): void {
    if (this.done) return;
    this.done = true;
    const killed = new ProcessKilled();
    for (const s of this.sleepers) {
      this.config.clock.clearTimeout(s.handle);
      s.reject(killed);
    }
    this.sleepers.clear();
    this.rejectForever?.(killed);
    this.handlers.clear();
    for (const l of this.ports) l.close();
    this.ports = [];
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
    const delivered: Signal = sig === 'SIGTERM' ? (this.image.config.stopSignal ?? 'SIGTERM') : sig;
    this.deliver(delivered);
  }

  /** PID 1 only gets signals it has a handler for (the kernel protects a namespace's init). */
  private deliver(sig: Signal): void {
    const h = this.handlers.get(sig);
    if (h) h(sig);
  }

  usage(): { cpuMillicores: number; memoryBytes: number } {
    const busy = this.config.clock.now() - this.busyAt < 1000;
    return { cpuMillicores: busy ? 1000 : this.cpu, memoryBytes: this.done ? 0 : this.memory + 350_000 * Math.max(1, this.procs.size) };
  }

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
            this.sleepers.delete(s);
            resolve();
          },
          Math.min(left, MAX_TIMER_MS),
        );
      };
      arm(ms);
      this.sleepers.add(s);
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
    this.cpu = millicores;
  }

  listen(port: number, protocol: 'TCP' | 'UDP' = 'TCP', opts: { address?: string; pid?: number; http?: HttpHandler; resp?: RespHandler } = {}): Listener {
    const l: Listener = {
      port,
      protocol,
      address: opts.address ?? '0.0.0.0',
      pid: opts.pid,
      http: opts.http,
      resp: opts.resp,
      close: () => {
        this.ports = this.ports.filter((x) => x !== l);
      },
    };
    this.ports.push(l);
    return l;
  }

  listeners(): Listener[] {
    return this.done ? [] : [...this.ports];
  }

  httpRequest(url: string, req: HttpRequest): Promise<HttpResponse> {
    const client = this.config.httpClient;
    if (!client) return Promise.reject(new Error('connect: Connection refused'));
    return client(url, req);
  }

  respRequest(host: string, port: number, args: string[]): Promise<RespValue> {
    if (host === 'localhost' || host === '127.0.0.1' || host === '::1' || host === this.hostname) {
      const l = this.ports.find((p) => p.port === port && p.resp);
      if (l) return Promise.resolve(l.resp!(args));
      if (host !== this.hostname || !this.config.respClient) return Promise.reject(new Error('Connection refused'));
    }
    const client = this.config.respClient;
    if (!client) return Promise.reject(new Error('Connection refused'));
    return client(host, port, args);
  }

  processes(): ProcessInfo[] {
    return [...this.procs.values()].sort((a, b) => a.pid - b.pid);
  }

  /** What `kill` does to a process other than PID 1 (its default action: terminate). */
  private killers = new Map<number, (sig: Signal) => void>();

  registerProcess(argv: string[], wanted?: number): { pid: number; exit(): void; onKill(fn: (sig: Signal) => void): void } {
    const pid = wanted !== undefined && !this.procs.has(wanted) ? wanted : this.nextPid++;
    if (pid >= this.nextPid) this.nextPid = pid + 1;
    this.procs.set(pid, { pid, argv, user: 'root', startedAt: this.config.clock.now() });
    return {
      pid,
      exit: () => {
        this.procs.delete(pid);
        this.killers.delete(pid);
      },
      onKill: (fn) => this.killers.set(pid, fn),
    };
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
    const k = this.killers.get(pid);
    if (k) queueMicrotask(() => k(sig));
    return true;
  }

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

  async spawn(argv: string[], opts: SpawnOptions): Promise<number> {
    this.checkAlive();
    const exe = this.which(argv[0]!, opts.env.get('PATH') ?? DEFAULT_PATH, opts.cwd);
    if (!exe) return 127;
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
        return 126;
      }
      av = [interp, ...(m?.[2] ? [m[2].trim()] : []), exe, ...argv.slice(1)];
    }
    return this.runAs(program, av, exe, opts);
  }

  private async runAs(program: Program, argv: string[], exe: string, opts: SpawnOptions): Promise<number> {
    let pid: number;
    let exit = () => {};
    let killed: Promise<number> | undefined;
    let leaveScope = () => {};
    if (opts.replacePid !== undefined && this.procs.has(opts.replacePid)) {
      pid = opts.replacePid;
      this.procs.get(pid)!.argv = argv;
    } else {
      const p = this.registerProcess(argv);
      pid = p.pid;
      exit = p.exit;
      // not PID 1: `kill` (or its job's kill) ends it with 128+signal, as the default action does
      killed = new Promise<number>((resolve) => {
        const die = (sig: Signal) => resolve(128 + SIGNAL_NUMBERS[sig]);
        p.onKill(die);
        if (opts.scope) leaveScope = opts.scope.add(die);
      });
    }
    const ctx: ProcessContext = { ...opts, argv, pid, host: this, exe };
    try {
      const run = program(ctx);
      if (!killed) return await run;
      run.catch(() => {});
      return await Promise.race([run, killed]);
    } finally {
      leaveScope();
      exit();
    }
  }
}
