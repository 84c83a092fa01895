/**
 * The shell interpreter: runs a parsed script against one container's host. Output is written
 * as it is produced; every await is a point where a SIGKILL unwinds the script (ProcessKilled);
 * trapped signals run at command boundaries, as POSIX shells do.
 */
import type { AndOr, Command, List, Pipeline, Redir, Simple } from './ast';
import { parse } from './parser';
import { ShellSyntaxError } from './lexer';
import { expandFields, expandHereDoc, expandPattern, expandString, ExpansionError, type ExpandContext } from './expand';
import { matchPattern } from './pattern';
import { braceExpand } from './brace';
import { CondError, evalCond } from './cond';
import { cannotCreate, cannotOpen, failStatus, notFound, prefix, syntaxError, type ShellFlavor, type Where } from './flavor';
import { BUILTINS, SPECIAL_BUILTINS } from './builtins';
import { ExitSignal, LoopSignal, ReturnSignal } from './control';
export { ExitSignal, LoopSignal, ReturnSignal, trapKey } from './control';
import { Collector, Input, Pipe, BrokenPipe, discard, type Output } from '../streams';
import { KillScope, ProcessKilled, SIGNAL_NUMBERS, type ProcessContext, type Signal } from '../program';
import { deviceInput, FsError, resolvePath } from '../vfs';

export interface ShellIO {
  stdin: Input;
  stdout: Output;
  stderr: Output;
}

interface Var {
  value: string;
  exported: boolean;
  readonly?: boolean;
}

interface Job {
  pid: number;
  done: Promise<number>;
  status?: number;
}

/** Largest value a variable holds (ash: `out of memory` beyond what the container has). */
const MAX_VALUE = 64 * 1024 * 1024;
/** Function nesting at which the real shells run out of stack (SIGSEGV, 139). */
const MAX_DEPTH = 4000;

export class Shell {
  vars = new Map<string, Var>();
  funcs = new Map<string, Command>();
  positional: string[] = [];
  cwd: string;
  status = 0;
  lastBg = '';
  errexit = false;
  xtrace = false;
  pipefail = false;
  traps = new Map<Signal | 'EXIT', string>();
  jobs: Job[] = [];
  /** Saved variables of the enclosing function calls (`local`). */
  locals: Map<string, Var | undefined>[] = [];
  private pending: Signal[] = [];
  private wakers = new Set<() => void>();
  private condDepth = 0;
  /** Status of the last command substitution (a command of only assignments returns it). */
  private substStatus: number | undefined;
  private steps = 0;
  line = 1;
  /** Line of the script where the source being run starts (interactive input, eval). */
  lineBase = 1;
  io: ShellIO;

  constructor(
    readonly ctx: ProcessContext,
    readonly flavor: ShellFlavor,
    public name: string,
    /** The container's main shell (PID 1's signals reach it). */
    readonly isMain: boolean,
    readonly commandString: boolean,
  ) {
    this.cwd = ctx.cwd;
    this.io = { stdin: ctx.stdin, stdout: ctx.stdout, stderr: ctx.stderr };
    for (const [k, v] of ctx.env) this.vars.set(k, { value: v, exported: true });
    if (!this.vars.has('IFS')) this.vars.set('IFS', { value: ' \t\n', exported: false });
    this.vars.set('PWD', { value: this.cwd, exported: true });
    if (flavor === 'ash' || flavor === 'bash') {
      const lvl = Number(ctx.env.get('SHLVL') ?? '0') + 1;
      this.vars.set('SHLVL', { value: String(lvl), exported: true });
    }
  }

  get host() {
    return this.ctx.host;
  }

  where(): Where {
    return { name: this.name, line: this.line, commandString: this.commandString };
  }

  diag(msg: string, io: ShellIO = this.io): void {
    io.stderr.write(`${prefix(this.flavor, this.where())}${msg}\n`);
  }

  /** A subshell: a copy of this shell's state (pipelines, `( )`, `$( )`, background jobs). */
  subshell(io: ShellIO): Shell {
    const s = new Shell(this.ctx, this.flavor, this.name, false, this.commandString);
    s.vars = new Map([...this.vars].map(([k, v]) => [k, { ...v }]));
    s.funcs = this.funcs;
    s.positional = this.positional;
    s.cwd = this.cwd;
    s.status = this.status;
    s.lastBg = this.lastBg;
    s.errexit = this.errexit;
    s.xtrace = this.xtrace;
    s.pipefail = this.pipefail;
    s.line = this.line;
    s.loopDepth = this.loopDepth;
    s.scope = this.scope;
    for (const [k, v] of this.traps) if (v === '') s.traps.set(k, '');
    s.io = io;
    return s;
  }

  // ---- variables -------------------------------------------------------------------------

  getVar(name: string): string | undefined {
    const v = this.vars.get(name);
    if (v) return v.value;
    if (name === 'RANDOM') return String(Math.floor(Math.random() * 32768));
    if (name === 'PPID') return this.isMain ? '0' : '1';
    if (name === 'LINENO') return String(this.line);
    return undefined;
  }

  setVar(name: string, value: string, exported?: boolean): void {
    if (value.length > MAX_VALUE) throw new ExpansionError('out of memory');
    const v = this.vars.get(name);
    if (v?.readonly) throw new ExpansionError(`${name}: is read only`);
    if (v?.exported || exported) this.envCache = undefined;
    if (v) {
      v.value = value;
      if (exported) v.exported = true;
    } else this.vars.set(name, { value, exported: exported ?? false });
    if (name === 'PWD') this.cwd = value;
  }

  unsetVar(name: string): void {
    if (this.vars.get(name)?.exported) this.envCache = undefined;
    this.vars.delete(name);
  }

  private envCache: Map<string, string> | undefined;

  /** Call after changing an exported variable or an export flag. */
  invalidateEnv(): void {
    this.envCache = undefined;
  }

  /** The environment of a command (programs must not change the map they get). */
  exportedEnv(extra?: Map<string, string>): Map<string, string> {
    if (!this.envCache) {
      const env = new Map<string, string>();
      for (const [k, v] of this.vars) if (v.exported) env.set(k, v.value);
      this.envCache = env;
    }
    if (!extra?.size) return this.envCache;
    const env = new Map(this.envCache);
    for (const [k, v] of extra) env.set(k, v);
    return env;
  }

  expandContext(io: ShellIO): ExpandContext {
    return {
      getVar: (n) => this.getVar(n),
      setVar: (n, v) => this.setVar(n, v),
      positional: () => this.positional,
      special: (n) => {
        switch (n) {
          case '?':
            return String(this.status);
          case '$':
            return '1';
          case '!':
            return this.lastBg;
          case '0':
            return this.name;
          default:
            return (this.errexit ? 'e' : '') + (this.xtrace ? 'x' : '');
        }
      },
      commandSubst: (src) => this.commandSubst(src, io),
      fs: this.host.fs,
      cwd: () => this.cwd,
    };
  }

  private async commandSubst(src: string, io: ShellIO): Promise<string> {
    const out = new Collector();
    const sub = this.subshell({ stdin: io.stdin, stdout: out, stderr: io.stderr });
    try {
      this.substStatus = await sub.runSource(src);
    } catch (e) {
      if (e instanceof BrokenPipe) this.substStatus = 141;
      else if (e instanceof ReturnSignal || e instanceof ExitSignal) this.substStatus = e.code;
      else throw e;
    }
    return out.text;
  }

  // ---- signals ---------------------------------------------------------------------------

  setTrap(key: Signal | 'EXIT', action: string | null): void {
    if (action === null) this.traps.delete(key);
    else this.traps.set(key, action);
    if (!this.isMain || key === 'EXIT') return;
    this.host.onSignal(
      key,
      action === null
        ? null
        : action === ''
          ? () => {}
          : (sig) => {
              this.pending.push(sig);
              for (const w of [...this.wakers]) w();
            },
    );
  }

  /** Waits for `p`, but returns early (with 128+signal) when a trapped signal arrives. */
  async interruptible<T>(p: Promise<T>): Promise<T | { signal: Signal }> {
    if (this.pending.length) return { signal: this.pending[0]! };
    let wake!: () => void;
    const woke = new Promise<{ signal: Signal }>((resolve) => {
      wake = () => resolve({ signal: this.pending[0]! });
    });
    this.wakers.add(wake);
    try {
      return await Promise.race([p, woke, this.host.forever()]);
    } finally {
      this.wakers.delete(wake);
    }
  }

  async runTraps(): Promise<void> {
    while (this.pending.length) {
      const sig = this.pending.shift()!;
      const action = this.traps.get(sig);
      if (!action) continue;
      const saved = this.status;
      await this.evalString(action, this.io);
      this.status = saved;
    }
  }

  /** Set on a background job's shell: killing the job kills the commands it runs. */
  scope: KillScope | undefined;

  private async step(): Promise<void> {
    this.host.checkAlive();
    if (this.scope?.signal) throw new ExitSignal(128 + SIGNAL_NUMBERS[this.scope.signal]);
    if (++this.steps % 256 === 0) await this.host.yieldCpu();
    if (this.pending.length) await this.runTraps();
  }

  // ---- entry points ----------------------------------------------------------------------

  /** Runs a whole script as this shell's program: returns the exit status (EXIT trap included). */
  async runMain(src: string): Promise<number> {
    let code: number;
    try {
      code = await this.runSource(src, true);
    } catch (e) {
      // `return` outside a function ends the script like exit (ash, dash)
      if (e instanceof ExitSignal || e instanceof ReturnSignal) code = e.code;
      else if (e instanceof BrokenPipe) code = 141;
      else throw e;
    }
    return this.finish(code);
  }

  async finish(code: number): Promise<number> {
    const exitTrap = this.traps.get('EXIT');
    if (exitTrap) {
      this.traps.delete('EXIT');
      this.status = code;
      try {
        await this.evalString(exitTrap, this.io);
      } catch (e) {
        if (e instanceof ExitSignal) return e.code;
        throw e;
      }
    }
    return code;
  }

  /** Parses and runs `src`; a syntax error is reported and gives status 2. */
  async runSource(src: string, top = false): Promise<number> {
    let ast: List;
    try {
      ast = parse(src, { doubleBracket: this.flavor !== 'dash' });
    } catch (e) {
      if (e instanceof ShellSyntaxError) {
        this.io.stderr.write(syntaxError(this.flavor, this.where(), e));
        this.status = 2;
        if (top || !this.isMain) return 2;
        throw new ExitSignal(2);
      }
      throw e;
    }
    try {
      return await this.execList(ast, this.io);
    } catch (e) {
      if (!top && e instanceof ExitSignal && !this.isMain) return e.code;
      throw e;
    }
  }

  /** `eval`, `.` and trap actions: run in this shell. */
  async evalString(src: string, io: ShellIO): Promise<number> {
    let ast: List;
    try {
      ast = parse(src, { doubleBracket: this.flavor !== 'dash' });
    } catch (e) {
      if (e instanceof ShellSyntaxError) {
        io.stderr.write(syntaxError(this.flavor, this.where(), e));
        this.status = 2;
        return 2;
      }
      throw e;
    }
    return this.execList(ast, io);
  }

  // ---- execution -------------------------------------------------------------------------

  async execList(list: List, io: ShellIO): Promise<number> {
    for (const item of list.items) {
      await this.step();
      if (item.background) this.startJob(item.node, io);
      else await this.execAndOr(item.node, io);
      if (this.pending.length) await this.runTraps();
    }
    return this.status;
  }

  private startJob(node: AndOr, io: ShellIO): void {
    const sub = this.subshell({ ...io, stdin: Input.empty() });
    const proc = this.host.registerProcess([this.name]);
    // `kill $!` ends the job and whatever it is running
    const scope = new KillScope();
    sub.scope = scope;
    const killed = new Promise<number>((resolve) =>
      proc.onKill((sig) => {
        scope.fire(sig);
        resolve(128 + SIGNAL_NUMBERS[sig]);
      }),
    );
    const run = sub.execAndOr(node, sub.io);
    run.catch(() => {});
    const done = Promise.race([run, killed])
      .catch((e: unknown) => {
        if (e instanceof ExitSignal) return e.code;
        if (e instanceof ProcessKilled) return 137;
        if (e instanceof BrokenPipe) return 141;
        // never an unhandled rejection: a broken job ends like a crashed process
        try {
          io.stderr.write(`${this.name}: ${(e as Error)?.message ?? String(e)}\n`);
        } catch {
          /* the container is gone */
        }
        return 1;
      })
      .finally(() => proc.exit());
    const job: Job = { pid: proc.pid, done };
    void done.then((s) => (job.status = s));
    this.jobs.push(job);
    this.lastBg = String(proc.pid);
    this.status = 0;
  }

  async waitJobs(pids: number[]): Promise<number> {
    const targets = pids.length ? this.jobs.filter((j) => pids.includes(j.pid)) : this.jobs;
    let status = 0;
    for (const job of targets) {
      const r = await this.interruptible(job.done);
      if (typeof r === 'object') return 128 + SIGNAL_NUMBERS[r.signal];
      status = r;
    }
    this.jobs = this.jobs.filter((j) => !targets.includes(j) || j.status === undefined);
    return pids.length ? status : 0;
  }

  async execAndOr(node: AndOr, io: ShellIO): Promise<number> {
    const n = node.rest.length;
    let status = await this.asCondition(n > 0, () => this.execPipeline(node.first, io, n === 0));
    for (let i = 0; i < n; i++) {
      const { op, pipeline } = node.rest[i]!;
      if ((op === '&&') !== (status === 0)) continue;
      const isLast = i === n - 1;
      status = await this.asCondition(!isLast, () => this.execPipeline(pipeline, io, isLast));
    }
    return status;
  }

  private async asCondition(yes: boolean, run: () => Promise<number>): Promise<number> {
    if (!yes) return run();
    this.condDepth++;
    try {
      return await run();
    } finally {
      this.condDepth--;
    }
  }

  private async execPipeline(p: Pipeline, io: ShellIO, errexitApplies: boolean): Promise<number> {
    if (p.negate) this.condDepth++;
    let status: number;
    try {
      if (p.commands.length === 1) status = await this.execCommand(p.commands[0]!, io);
      else status = await this.execStages(p, io);
    } finally {
      if (p.negate) this.condDepth--;
    }
    if (p.negate) status = status === 0 ? 1 : 0;
    this.status = status;
    if (this.errexit && status !== 0 && errexitApplies && !p.negate && this.condDepth === 0) throw new ExitSignal(status);
    return status;
  }

  private async execStages(p: Pipeline, io: ShellIO): Promise<number> {
    const n = p.commands.length;
    const pipes = Array.from({ length: n - 1 }, () => new Pipe());
    const runs = p.commands.map(async (cmd, i) => {
      const stdin = i === 0 ? io.stdin : pipes[i - 1]!.input;
      const stdout = i === n - 1 ? io.stdout : pipes[i]!.output;
      const sub = this.subshell({ stdin, stdout, stderr: io.stderr });
      let status: number;
      try {
        status = await sub.execCommand(cmd, sub.io);
      } catch (e) {
        if (e instanceof ExitSignal) status = e.code;
        else if (e instanceof BrokenPipe) status = 141;
        else throw e;
      } finally {
        if (i < n - 1) pipes[i]!.close();
        if (i > 0) pipes[i - 1]!.input.close();
      }
      return status;
    });
    const statuses = await Promise.all(runs);
    if (this.pipefail) return [...statuses].reverse().find((st) => st !== 0) ?? 0;
    return statuses[n - 1]!;
  }

  async execCommand(cmd: Command, io: ShellIO): Promise<number> {
    await this.step();
    switch (cmd.t) {
      case 'simple':
        return this.execSimple(cmd, io);
      case 'func':
        this.funcs.set(cmd.name, cmd.body);
        return (this.status = 0);
    }
    const rio = await this.redirect(cmd.redirs, io);
    if (!rio) return (this.status = failStatus(this.flavor));
    switch (cmd.t) {
      case 'group':
        return this.execList(cmd.body, rio);
      case 'subshell': {
        const sub = this.subshell(rio);
        try {
          return (this.status = await sub.execList(cmd.body, rio));
        } catch (e) {
          if (e instanceof ExitSignal) return (this.status = e.code);
          throw e;
        }
      }
      case 'if': {
        for (const c of cmd.clauses) {
          if ((await this.condition(c.cond, rio)) === 0) return this.execList(c.body, rio);
        }
        if (cmd.otherwise) return this.execList(cmd.otherwise, rio);
        return (this.status = 0);
      }
      case 'loop': {
        let status = 0;
        for (;;) {
          const c = await this.condition(cmd.cond, rio);
          if ((c === 0) === cmd.until) break;
          const r = await this.loopBody(cmd.body, rio);
          if (r === 'break') break;
          status = this.status;
        }
        return (this.status = status);
      }
      case 'for': {
        const items = cmd.items ? await expandFields(this.flavor === 'bash' ? cmd.items.flatMap(braceExpand) : cmd.items, this.expandContext(rio)) : [...this.positional];
        let status = 0;
        for (const item of items) {
          this.setVar(cmd.name, item);
          const r = await this.loopBody(cmd.body, rio);
          status = this.status;
          if (r === 'break') break;
        }
        return (this.status = status);
      }
      case 'cond': {
        try {
          const ok = await evalCond(cmd, this.expandContext(rio), this.host.fs, this.cwd, (n, v) => this.setVar(n, v));
          return (this.status = ok ? 0 : 1);
        } catch (e) {
          if (e instanceof CondError || e instanceof ExpansionError) {
            this.diag(e.message, rio);
            return (this.status = 2);
          }
          throw e;
        }
      }
      case 'case': {
        const ectx = this.expandContext(rio);
        const word = await expandString(cmd.word, ectx);
        for (const arm of cmd.arms) {
          for (const pat of arm.patterns) {
            if (matchPattern(await expandPattern(pat, ectx), word)) return this.execList(arm.body, rio);
          }
        }
        return (this.status = 0);
      }
    }
  }

  private async condition(list: List, io: ShellIO): Promise<number> {
    this.condDepth++;
    try {
      return await this.execList(list, io);
    } finally {
      this.condDepth--;
    }
  }

  /** Loops being run (break/continue outside one do nothing). */
  loopDepth = 0;

  private async loopBody(body: List, io: ShellIO): Promise<'break' | 'continue' | undefined> {
    this.loopDepth++;
    try {
      await this.execList(body, io);
      return undefined;
    } catch (e) {
      if (e instanceof LoopSignal) {
        if (e.levels > 1) {
          e.levels--;
          throw e;
        }
        return e.kind;
      }
      throw e;
    } finally {
      this.loopDepth--;
    }
  }

  private async execSimple(cmd: Simple, io: ShellIO): Promise<number> {
    if (cmd.line !== undefined) this.line = this.lineBase + cmd.line - 1;
    const ectx = this.expandContext(io);
    let argv: string[];
    const assigns = new Map<string, string>();
    this.substStatus = undefined;
    try {
      argv = await expandFields(this.flavor === 'bash' ? cmd.words.flatMap(braceExpand) : cmd.words, ectx);
      for (const a of cmd.assigns) {
        const eq = a.indexOf('=');
        assigns.set(a.slice(0, eq), await expandString(a.slice(eq + 1), ectx));
      }
    } catch (e) {
      if (e instanceof ExpansionError) return this.expansionFailed(e, io);
      throw e;
    }
    const substStatus = this.substStatus ?? 0;
    const rio = await this.redirect(cmd.redirs, io);
    if (!rio) return (this.status = failStatus(this.flavor));
    if (this.xtrace && (argv.length || assigns.size)) {
      rio.stderr.write(`+ ${[...[...assigns].map(([k, v]) => `${k}=${v}`), ...argv].join(' ')}\n`);
    }
    if (!argv.length) {
      for (const [k, v] of assigns) this.setVar(k, v);
      return (this.status = substStatus);
    }
    const name = argv[0]!;
    const fn = this.funcs.get(name);
    const builtin = BUILTINS[name];
    try {
      if (builtin && SPECIAL_BUILTINS.has(name)) {
        for (const [k, v] of assigns) this.setVar(k, v);
        return (this.status = await builtin(this, argv, rio));
      }
      if (fn) return (this.status = await this.callFunction(fn, argv, assigns, rio));
      if (builtin) {
        const saved = new Map([...assigns.keys()].map((k) => [k, this.vars.get(k)]));
        for (const [k, v] of assigns) this.setVar(k, v, true);
        try {
          return (this.status = await builtin(this, argv, rio));
        } finally {
          for (const [k, v] of saved) v ? this.vars.set(k, v) : this.vars.delete(k);
          if (saved.size) this.envCache = undefined;
        }
      }
      return (this.status = await this.external(argv, assigns, rio));
    } catch (e) {
      if (e instanceof ExpansionError) return this.expansionFailed(e, rio);
      throw e;
    } finally {
      // a writer into a full pipe waits for its reader (a 64 KiB pipe buffer, as Linux)
      const d = rio.stdout.drain?.();
      if (d) await d;
    }
  }

  private expansionFailed(e: ExpansionError, io: ShellIO): number {
    this.diag(e.message, io);
    this.status = failStatus(this.flavor);
    if (!this.isMain && !this.commandString) return this.status;
    throw new ExitSignal(this.status);
  }

  async callFunction(body: Command, argv: string[], assigns: Map<string, string>, io: ShellIO): Promise<number> {
    if (this.locals.length >= MAX_DEPTH) throw new ExitSignal(139);
    const savedPos = this.positional;
    this.positional = argv.slice(1);
    this.locals.push(new Map());
    for (const [k, v] of assigns) this.setVar(k, v, true);
    try {
      return await this.execCommand(body, io);
    } catch (e) {
      if (e instanceof ReturnSignal) return e.code;
      throw e;
    } finally {
      this.positional = savedPos;
      const saved = this.locals.pop()!;
      for (const [k, v] of saved) v ? this.vars.set(k, v) : this.vars.delete(k);
      if (saved.size) this.envCache = undefined;
    }
  }

  /** Runs an executable from the image (busybox applets, coreutils, scripts). */
  async external(argv: string[], assigns: Map<string, string>, io: ShellIO, replacePid?: number): Promise<number> {
    const name = argv[0]!;
    const path = this.getVar('PATH') ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
    const exe = this.host.which(name, path, this.cwd);
    if (!exe) {
      if (name.includes('/')) {
        io.stderr.write(`${prefix(this.flavor, this.where())}${name}: ${this.flavor === 'bash' ? 'No such file or directory' : 'not found'}\n`);
        return 127;
      }
      io.stderr.write(notFound(this.flavor, this.where(), name));
      return 127;
    }
    return this.host.spawn(argv, {
      replacePid,
      scope: this.scope,
      tty: this.ctx.tty,
      terminal: this.ctx.terminal,
      env: this.exportedEnv(assigns),
      cwd: this.cwd,
      stdin: io.stdin,
      stdout: io.stdout,
      stderr: io.stderr,
    });
  }

  // ---- redirections ----------------------------------------------------------------------

  /** Applies redirections; undefined (after reporting) when one fails. */
  async redirect(redirs: Redir[], io: ShellIO): Promise<ShellIO | undefined> {
    if (!redirs.length) return io;
    const out: ShellIO = { ...io };
    const ectx = this.expandContext(io);
    for (const r of redirs) {
      if (r.op === '<<' || r.op === '<<-') {
        const body = r.heredoc?.body ?? '';
        const text = r.heredoc?.quoted ? body : await expandHereDoc(body, ectx);
        if (r.fd === 0) out.stdin = Input.of(text);
        continue;
      }
      let target: string;
      try {
        target = await expandString(r.target, ectx);
      } catch (e) {
        if (e instanceof ExpansionError) {
          this.diag(e.message, io);
          return undefined;
        }
        throw e;
      }
      if (r.op === '>&' || r.op === '<&') {
        const stream = target === '1' ? out.stdout : target === '2' ? out.stderr : target === '-' ? discard : undefined;
        if (target === '0' && r.fd === 0) continue;
        if (!stream) {
          this.diag(`${target}: bad file descriptor`, io);
          return undefined;
        }
        if (r.fd === 1) out.stdout = stream;
        else if (r.fd === 2) out.stderr = stream;
        continue;
      }
      if (r.op === '<' || r.op === '<>') {
        const path = resolvePath(this.cwd, target);
        // the file's exact bytes; a device (`< /dev/urandom`) as an endless stream
        let input: Input;
        const dev = this.host.fs.stat(path)?.device;
        if (dev) input = deviceInput(dev);
        else {
          try {
            input = Input.of(this.host.fs.readFileBytes(path));
          } catch (e) {
            if (e instanceof FsError) {
              io.stderr.write(cannotOpen(this.flavor, this.where(), target));
              return undefined;
            }
            throw e;
          }
        }
        if (r.fd === 0) out.stdin = input;
        continue;
      }
      const stream = this.openOutput(target, r.op === '>>', io);
      if (!stream) return undefined;
      if (r.fd === 1) out.stdout = stream;
      else if (r.fd === 2) out.stderr = stream;
    }
    return out;
  }

  private openOutput(target: string, append: boolean, io: ShellIO): Output | undefined {
    const path = resolvePath(this.cwd, target);
    if (path === '/dev/null') return discard;
    if (path === '/dev/stdout' || path === '/proc/1/fd/1' || path === '/proc/self/fd/1') return io.stdout;
    if (path === '/dev/stderr' || path === '/proc/1/fd/2' || path === '/proc/self/fd/2') return io.stderr;
    const fs = this.host.fs;
    try {
      fs.writeFile(path, '', { append });
    } catch (e) {
      if (e instanceof FsError) {
        io.stderr.write(cannotCreate(this.flavor, this.where(), target, e.code, e.message));
        return undefined;
      }
      throw e;
    }
    return {
      write: (chunk) => {
        try {
          fs.writeFile(path, chunk, { append: true });
        } catch {
          /* the file went away: like writing to an unlinked file */
        }
      },
    };
  }
}
