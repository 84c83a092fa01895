/** Shell builtins: commands that change the shell itself, plus the usual fast ones. */
import type { Shell, ShellIO } from './shell';
import { ExitSignal, LoopSignal, ReturnSignal, trapKey } from './control';
import { echo, outputChunk, printf } from '../tools/format';
import { evalTest, TestSyntaxError } from '../tools/test-expr';
import { resolvePath } from '../vfs';
import { SIGNAL_NUMBERS, type Signal } from '../program';
import { ExpansionError } from './expand';

export type Builtin = (sh: Shell, argv: string[], io: ShellIO) => Promise<number>;

/** POSIX special builtins: assignments before them persist, errors can end the shell. */
export const SPECIAL_BUILTINS = new Set(['break', ':', 'continue', '.', 'eval', 'exec', 'exit', 'export', 'readonly', 'return', 'set', 'shift', 'trap', 'unset']);

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function err(sh: Shell, io: ShellIO, msg: string): void {
  sh.diag(msg, io);
}

function loopLevels(argv: string[]): number {
  const n = argv[1] === undefined ? 1 : Number(argv[1]);
  return Number.isInteger(n) && n > 0 ? n : 1;
}

const SIGNALS_BY_NUMBER = new Map(Object.entries(SIGNAL_NUMBERS).map(([k, v]) => [v, k as Signal]));

export const BUILTINS: Record<string, Builtin> = {
  ':': async () => 0,
  true: async () => 0,
  false: async () => 1,

  echo: async (sh, argv, io) => {
    io.stdout.write(outputChunk(echo(argv.slice(1), sh.flavor === 'dash' ? 'dash' : sh.flavor === 'bash' ? 'bash' : 'busybox')));
    return 0;
  },

  printf: async (sh, argv, io) => {
    if (argv.length < 2) {
      err(sh, io, 'printf: usage: printf format [arguments]');
      return 2;
    }
    const r = printf(argv[1]!, argv.slice(2));
    io.stdout.write(outputChunk(r.out));
    for (const e of r.errors) err(sh, io, `printf: ${e}`);
    return r.errors.length ? 1 : 0;
  },

  test: async (sh, argv, io) => runTest(sh, argv.slice(1), io, 'test'),
  '[': async (sh, argv, io) => {
    if (argv[argv.length - 1] !== ']') {
      err(sh, io, "[: missing ]");
      return 2;
    }
    return runTest(sh, argv.slice(1, -1), io, '[');
  },

  pwd: async (sh, _argv, io) => {
    io.stdout.write(sh.cwd + '\n');
    return 0;
  },

  cd: async (sh, argv, io) => {
    let target = argv[1] ?? sh.getVar('HOME') ?? '/';
    if (target === '-') {
      target = sh.getVar('OLDPWD') ?? sh.cwd;
      io.stdout.write(target + '\n');
    }
    const path = resolvePath(sh.cwd, target);
    const st = sh.host.fs.stat(path);
    if (st?.kind !== 'dir') {
      const why = st ? 'Not a directory' : 'No such file or directory';
      if (sh.flavor === 'bash') err(sh, io, `cd: ${target}: ${why}`);
      else if (sh.flavor === 'dash') err(sh, io, `cd: can't cd to ${target}`);
      else err(sh, io, `cd: can't cd to ${target}: ${why}`);
      return sh.flavor === 'dash' ? 2 : 1;
    }
    sh.setVar('OLDPWD', sh.cwd, true);
    sh.setVar('PWD', path, true);
    sh.cwd = path;
    return 0;
  },

  exit: async (sh, argv, io) => {
    const code = argv[1] === undefined ? sh.status : Number(argv[1]);
    if (!Number.isInteger(code)) {
      if (sh.flavor === 'bash') err(sh, io, `exit: ${argv[1]}: numeric argument required`);
      else err(sh, io, `exit: Illegal number: ${argv[1]}`);
      throw new ExitSignal(2);
    }
    throw new ExitSignal(((code % 256) + 256) % 256);
  },

  return: async (sh, argv) => {
    const code = argv[1] === undefined ? sh.status : Number(argv[1]);
    throw new ReturnSignal(Number.isInteger(code) ? ((code % 256) + 256) % 256 : 2);
  },

  break: async (sh, argv, io) => {
    if (!sh.loopDepth) return outsideLoop(sh, io, 'break');
    throw new LoopSignal('break', Math.min(loopLevels(argv), sh.loopDepth));
  },
  continue: async (sh, argv, io) => {
    if (!sh.loopDepth) return outsideLoop(sh, io, 'continue');
    throw new LoopSignal('continue', Math.min(loopLevels(argv), sh.loopDepth));
  },

  export: async (sh, argv, io) => setAttr(sh, argv, io, 'export'),
  readonly: async (sh, argv, io) => setAttr(sh, argv, io, 'readonly'),

  local: async (sh, argv, io) => {
    const frame = sh.locals[sh.locals.length - 1];
    if (!frame) {
      err(sh, io, 'local: not in a function');
      return 1;
    }
    for (const a of argv.slice(1)) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a : a.slice(0, eq);
      if (!frame.has(name)) {
        const v = sh.vars.get(name);
        frame.set(name, v ? { ...v } : undefined);
      }
      if (eq >= 0) sh.setVar(name, a.slice(eq + 1));
      else if (!sh.vars.has(name)) sh.setVar(name, '');
    }
    return 0;
  },

  unset: async (sh, argv) => {
    let funcs = false;
    for (const a of argv.slice(1)) {
      if (a === '-f') funcs = true;
      else if (a === '-v') funcs = false;
      else if (funcs) sh.funcs.delete(a);
      else sh.unsetVar(a);
    }
    return 0;
  },

  set: async (sh, argv, io) => {
    const args = argv.slice(1);
    if (!args.length) {
      for (const [k, v] of [...sh.vars].sort(([a], [b]) => (a < b ? -1 : 1))) io.stdout.write(`${k}='${v.value.replace(/'/g, `'"'"'`)}'\n`);
      return 0;
    }
    let i = 0;
    for (; i < args.length; i++) {
      const a = args[i]!;
      if (a === '--') {
        i++;
        sh.positional = args.slice(i);
        return 0;
      }
      if (a === '-o' || a === '+o') {
        const opt = args[++i];
        if (opt === 'errexit') sh.errexit = a === '-o';
        else if (opt === 'xtrace') sh.xtrace = a === '-o';
        else if (opt === 'pipefail') sh.pipefail = a === '-o';
        continue;
      }
      if (!/^[-+][a-zA-Z]+$/.test(a)) break;
      const on = a[0] === '-';
      for (const f of a.slice(1)) {
        if (f === 'e') sh.errexit = on;
        else if (f === 'x') sh.xtrace = on;
      }
    }
    if (i < args.length) sh.positional = args.slice(i);
    return 0;
  },

  shift: async (sh, argv, io) => {
    const n = argv[1] === undefined ? 1 : Number(argv[1]);
    if (!Number.isInteger(n) || n < 0 || n > sh.positional.length) {
      err(sh, io, `shift: can't shift that many`);
      return sh.flavor === 'bash' ? 1 : 2;
    }
    sh.positional = sh.positional.slice(n);
    return 0;
  },

  trap: async (sh, argv, io) => {
    const args = argv.slice(1);
    if (!args.length) {
      for (const [k, v] of sh.traps) io.stdout.write(`trap -- '${v}' ${k === 'EXIT' ? 'EXIT' : k.slice(3)}\n`);
      return 0;
    }
    let action: string | null;
    let sigs: string[];
    if (args[0] === '-') {
      action = null;
      sigs = args.slice(1);
    } else if (args.length === 1 || /^\d+$/.test(args[0]!)) {
      action = null;
      sigs = args;
    } else {
      action = args[0]!;
      sigs = args.slice(1);
    }
    let status = 0;
    for (const s of sigs) {
      const key = trapKey(s);
      if (!key) {
        err(sh, io, `trap: ${s}: bad trap`);
        status = 1;
        continue;
      }
      sh.setTrap(key, action);
    }
    return status;
  },

  eval: async (sh, argv, io) => sh.evalString(argv.slice(1).join(' '), io),

  '.': async (sh, argv, io) => source(sh, argv, io),
  source: async (sh, argv, io) => source(sh, argv, io),

  exec: async (sh, argv, io) => {
    if (argv.length === 1) {
      sh.io = io;
      return 0;
    }
    // the program replaces the shell: same pid, the shell's traps are gone
    if (sh.isMain) for (const key of [...sh.traps.keys()]) if (key !== 'EXIT') sh.setTrap(key, null);
    sh.traps.delete('EXIT');
    const code = await sh.external(argv.slice(1), new Map(), io, sh.isMain ? sh.ctx.pid : undefined);
    throw new ExitSignal(code);
  },

  wait: async (sh, argv) => sh.waitJobs(argv.slice(1).map(Number).filter((n) => Number.isInteger(n))),

  read: async (sh, argv, io) => {
    let raw = false;
    const names: string[] = [];
    for (let i = 1; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === '-r') raw = true;
      else if (a === '-p') io.stderr.write(argv[++i] ?? '');
      else names.push(a);
    }
    if (!names.length) names.push('REPLY');
    let line = await io.stdin.readLine();
    if (line === null) {
      for (const n of names) sh.setVar(n, '');
      return 1;
    }
    if (!raw) line = line.replace(/\\(.)/g, '$1');
    const ifs = sh.getVar('IFS') ?? ' \t\n';
    const fields: string[] = [];
    let rest = line.replace(new RegExp(`^[${escapeClass(ifs)}]+`), '');
    for (let i = 0; i < names.length - 1 && rest; i++) {
      const m = new RegExp(`[${escapeClass(ifs)}]+`).exec(rest);
      if (!m) {
        fields.push(rest);
        rest = '';
        break;
      }
      fields.push(rest.slice(0, m.index));
      rest = rest.slice(m.index + m[0].length);
    }
    fields.push(rest.replace(new RegExp(`[${escapeClass(ifs)}]+$`), ''));
    names.forEach((n, i) => sh.setVar(n, fields[i] ?? ''));
    return 0;
  },

  kill: async (sh, argv, io) => {
    let sig: Signal = 'SIGTERM';
    const pids: string[] = [];
    for (let i = 1; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === '-l') {
        io.stdout.write(Object.keys(SIGNAL_NUMBERS).map((s) => s.slice(3)).join(' ') + '\n');
        return 0;
      }
      if (a === '-s') {
        const s = parseSignal(argv[++i] ?? '');
        if (!s) return badSignal(sh, io, argv[i] ?? '');
        sig = s;
      } else if (a.startsWith('-') && a.length > 1) {
        const s = parseSignal(a.slice(1));
        if (!s) return badSignal(sh, io, a.slice(1));
        sig = s;
      } else pids.push(a);
    }
    let status = 0;
    for (const p of pids) {
      const pid = Number(p);
      if (!sh.host.kill(pid, sig)) {
        err(sh, io, `kill: ${sh.flavor === 'bash' ? `(${p}) - ` : `can't kill pid ${p}: `}No such process`);
        status = 1;
      }
    }
    return status;
  },

  type: async (sh, argv, io) => {
    let status = 0;
    for (const n of argv.slice(1)) {
      const d = describe(sh, n);
      if (d) io.stdout.write(`${n} is ${d}\n`);
      else {
        io.stdout.write(`${n}: not found\n`);
        status = 1;
      }
    }
    return status;
  },

  command: async (sh, argv, io) => {
    if (argv[1] === '-v' || argv[1] === '-V') {
      let status = 0;
      for (const n of argv.slice(2)) {
        const path = BUILTINS[n] || sh.funcs.has(n) ? n : sh.host.which(n, sh.getVar('PATH') ?? '', sh.cwd);
        if (path) io.stdout.write(argv[1] === '-v' ? `${path}\n` : `${n} is ${describe(sh, n)}\n`);
        else status = 1;
      }
      return status;
    }
    const rest = argv.slice(1);
    if (!rest.length) return 0;
    const b = BUILTINS[rest[0]!];
    if (b) return b(sh, rest, io);
    return sh.external(rest, new Map(), io);
  },
};

function outsideLoop(sh: Shell, io: ShellIO, name: string): number {
  if (sh.flavor === 'bash') err(sh, io, `${name}: only meaningful in a \`for', \`while', or \`until' loop`);
  return 0;
}

function describe(sh: Shell, n: string): string | undefined {
  if (sh.funcs.has(n)) return 'a shell function';
  if (BUILTINS[n]) return SPECIAL_BUILTINS.has(n) ? 'a special shell builtin' : 'a shell builtin';
  return sh.host.which(n, sh.getVar('PATH') ?? '', sh.cwd);
}

function escapeClass(s: string): string {
  return s.replace(/[\\\]^-]/g, '\\$&').replace(/\t/g, '\\t').replace(/\n/g, '\\n');
}

function parseSignal(s: string): Signal | undefined {
  if (/^\d+$/.test(s)) return SIGNALS_BY_NUMBER.get(Number(s));
  const name = ('SIG' + s.toUpperCase().replace(/^SIG/, '')) as Signal;
  return name in SIGNAL_NUMBERS ? name : undefined;
}

function badSignal(sh: Shell, io: ShellIO, s: string): number {
  err(sh, io, `kill: ${s}: invalid signal specification`);
  return 1;
}

async function runTest(sh: Shell, args: string[], io: ShellIO, name: string): Promise<number> {
  try {
    return evalTest(args, sh.host.fs, sh.cwd);
  } catch (e) {
    if (e instanceof TestSyntaxError) {
      err(sh, io, `${name}: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

async function setAttr(sh: Shell, argv: string[], io: ShellIO, kind: 'export' | 'readonly'): Promise<number> {
  sh.invalidateEnv();
  const args = argv.slice(1).filter((a) => a !== '-p' && a !== '--');
  if (!args.length) {
    for (const [k, v] of [...sh.vars].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (kind === 'export' ? v.exported : v.readonly) io.stdout.write(`${kind} ${k}='${v.value}'\n`);
    }
    return 0;
  }
  for (const a of args) {
    const eq = a.indexOf('=');
    const name = eq < 0 ? a : a.slice(0, eq);
    if (!NAME.test(name)) {
      err(sh, io, `${kind}: ${name}: bad variable name`);
      return sh.flavor === 'bash' ? 1 : 2;
    }
    if (eq >= 0) sh.setVar(name, a.slice(eq + 1));
    const v = sh.vars.get(name) ?? { value: '', exported: false };
    if (kind === 'export') v.exported = true;
    else v.readonly = true;
    if (!sh.vars.has(name) && eq < 0 && kind === 'export') {
      // `export X` of an unset variable marks it without giving it a value
      sh.vars.set(name, v);
      sh.vars.delete(name);
      continue;
    }
    sh.vars.set(name, v);
  }
  return 0;
}

async function source(sh: Shell, argv: string[], io: ShellIO): Promise<number> {
  const file = argv[1];
  if (!file) {
    err(sh, io, '.: filename argument required');
    return 2;
  }
  const path = file.includes('/') ? resolvePath(sh.cwd, file) : sh.host.which(file, sh.getVar('PATH') ?? '', sh.cwd) ?? resolvePath(sh.cwd, file);
  let text: string;
  try {
    text = sh.host.fs.readFile(path);
  } catch {
    err(sh, io, `.: can't open '${file}'`);
    throw new ExitSignal(sh.flavor === 'bash' ? 1 : 2);
  }
  const saved = sh.positional;
  if (argv.length > 2) sh.positional = argv.slice(2);
  try {
    return await sh.evalString(text, io);
  } catch (e) {
    if (e instanceof ReturnSignal) return e.code;
    throw e;
  } finally {
    sh.positional = saved;
  }
}

export { ExpansionError };
