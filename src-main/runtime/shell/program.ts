/**
 * `sh` / `bash` as a program: `sh -c 'script' [name [args…]]`, `sh script [args…]`, or commands
 * read from stdin (none and no tty: exits 0 at once, like the busybox image's default `sh`).
 */
import { KillScope, SIGNAL_NUMBERS, type Program, type ProcessContext } from '../program';
import { Tty } from '../tty';
import { resolvePath } from '../vfs';
import { Shell } from './shell';
import type { ShellFlavor } from './flavor';
import { ShellSyntaxError } from './lexer';
import { parse } from './parser';
import { ExitSignal } from './control';

export function shellProgram(flavor: ShellFlavor): Program {
  return (ctx) => runShell(ctx, flavor, ctx.tty ?? false);
}

async function runShell(ctx: ProcessContext, flavor: ShellFlavor, tty: boolean): Promise<number> {
  const argv = ctx.argv;
  const invoked = argv[0]!.slice(argv[0]!.lastIndexOf('/') + 1);
  let i = 1;
  let command: string | undefined;
  let errexit = false;
  let xtrace = false;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (!/^[-+][a-zA-Z]+$/.test(a)) break;
    for (const f of a.slice(1)) {
      if (f === 'c') command = '';
      else if (f === 'e') errexit = true;
      else if (f === 'x') xtrace = true;
    }
  }
  if (command !== undefined) {
    const script = argv[i];
    if (script === undefined) {
      ctx.stderr.write(`${invoked}: -c requires an argument\n`);
      return 2;
    }
    const name = argv[i + 1] ?? invoked;
    const sh = new Shell(ctx, flavor, name, true, true);
    sh.positional = argv.slice(i + 2);
    sh.errexit = errexit;
    sh.xtrace = xtrace;
    return sh.runMain(script);
  }
  const file = argv[i];
  if (file !== undefined) {
    const path = resolvePath(ctx.cwd, file);
    let text: string;
    try {
      text = ctx.host.fs.readFile(path);
    } catch {
      ctx.stderr.write(
        flavor === 'bash' ? `${invoked}: ${file}: No such file or directory\n` : flavor === 'dash' ? `${invoked}: 0: cannot open ${file}: No such file\n` : `${invoked}: can't open '${file}': No such file or directory\n`,
      );
      return flavor === 'bash' ? 127 : 2;
    }
    const sh = new Shell(ctx, flavor, file, true, false);
    sh.positional = argv.slice(i + 1);
    sh.errexit = errexit;
    sh.xtrace = xtrace;
    return sh.runMain(text.startsWith('#!') ? text.slice(text.indexOf('\n') + 1) : text);
  }
  return interactive(ctx, flavor, invoked, tty, errexit, xtrace);
}

/**
 * Reads commands from stdin, one complete command at a time (prompting on a tty). On a terminal
 * (tty.ts) the shell does job control as interactive shells do: each command line runs as the
 * terminal's foreground job (Ctrl-C/Ctrl-\\ kill it: status 130/131, a newline, a fresh prompt);
 * at the prompt Ctrl-C drops the line (status 130) and Ctrl-\\ is ignored; Ctrl-D ends the shell.
 * bash says `exit` when it leaves by `exit` or end-of-file; ash and dash say nothing.
 */
async function interactive(ctx: ProcessContext, flavor: ShellFlavor, name: string, tty: boolean, errexit: boolean, xtrace: boolean): Promise<number> {
  const sh = new Shell(ctx, flavor, name, true, false);
  sh.errexit = errexit;
  sh.xtrace = xtrace;
  const term = ctx.terminal instanceof Tty && ctx.stdin === ctx.terminal.input ? ctx.terminal : undefined;
  const prompt = () => {
    if (!tty) return;
    if (flavor === 'bash') ctx.stdout.write(`root@${ctx.host.hostname}:${sh.cwd}# `);
    else if (flavor === 'dash') ctx.stdout.write('# ');
    else ctx.stdout.write(`${sh.cwd} # `);
  };
  const sayExit = () => {
    if (tty && flavor === 'bash') ctx.stderr.write('exit\n');
  };
  // at the prompt the shell is the foreground group: Ctrl-C interrupts the line being read
  let interrupted = false;
  const untrack = term?.setForeground({
    signal: (sig) => {
      if (sig !== 'SIGINT') return;
      interrupted = true;
      term.input.push('\n');
    },
  });
  let pending = '';
  let lines = 0;
  let startLine = 1;
  try {
    prompt();
    for (;;) {
      const line = await ctx.stdin.readLine();
      if (interrupted) {
        interrupted = false;
        pending = '';
        sh.status = 130;
        ctx.stdout.write('\n');
        prompt();
        continue;
      }
      if (line === null) {
        sayExit();
        return await sh.finish(sh.status);
      }
      if (!pending) startLine = lines + 1;
      lines++;
      pending += line + '\n';
      try {
        parse(pending, { doubleBracket: flavor !== 'dash' });
      } catch (e) {
        if (e instanceof ShellSyntaxError && e.token === undefined) {
          if (tty) ctx.stdout.write('> ');
          continue;
        }
      }
      const src = pending;
      pending = '';
      sh.lineBase = startLine;
      const code = await runLine(sh, src, term, flavor, ctx);
      if (code !== undefined) {
        sayExit();
        return await sh.finish(code);
      }
      prompt();
    }
  } finally {
    untrack?.();
  }
}

/** One command line as the foreground job; the code when the shell is to exit (`exit`). */
async function runLine(sh: Shell, src: string, term: Tty | undefined, flavor: ShellFlavor, ctx: ProcessContext): Promise<number | undefined> {
  if (!term) {
    try {
      await sh.runSource(src, true);
    } catch (e) {
      if (e instanceof ExitSignal) return e.code;
      throw e;
    }
    return undefined;
  }
  if (flavor === 'bash' && term.cols > 0) {
    // checkwinsize: bash keeps COLUMNS and LINES as the terminal's size
    sh.setVar('COLUMNS', String(term.cols));
    sh.setVar('LINES', String(term.rows));
  }
  const job = new KillScope();
  const untrack = term.setForeground({
    signal: (sig) => {
      term.input.abortReads();
      job.fire(sig);
    },
  });
  sh.scope = job;
  try {
    await sh.runSource(src, true);
  } catch (e) {
    if (!(e instanceof ExitSignal)) throw e;
    if (!job.signal) return e.code;
  } finally {
    untrack();
    sh.scope = undefined;
  }
  if (job.signal) {
    sh.status = 128 + SIGNAL_NUMBERS[job.signal];
    // the shell reports a job killed from the keyboard on its own line
    if (job.signal === 'SIGINT') ctx.stdout.write('\n');
    else if (job.signal === 'SIGQUIT') ctx.stdout.write(flavor === 'bash' ? 'Quit (core dumped)\n' : '\n');
  }
  return undefined;
}
