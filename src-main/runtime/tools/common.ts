/** Helpers shared by the /bin tools: option parsing, input files, line streaming, messages. */
import type { ProcessContext } from '../program';
import { Input } from '../streams';
import { deviceInput, FsError, resolvePath } from '../vfs';

/** `busybox` applets and GNU coreutils word their errors differently. */
export type ToolStyle = 'busybox' | 'gnu';

export type Tool = (ctx: ProcessContext, style: ToolStyle) => Promise<number>;

export function toolName(ctx: ProcessContext): string {
  const a = ctx.argv[0]!;
  return a.slice(a.lastIndexOf('/') + 1);
}

/** Splits `-abc`, `-n5`, `--long` options from operands (stops at `--` or the first operand). */
export function parseOpts(args: string[], withValue: string): { flags: Map<string, string | true>; rest: string[] } {
  const flags = new Map<string, string | true>();
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      flags.set(eq < 0 ? a : a.slice(0, eq), eq < 0 ? true : a.slice(eq + 1));
      continue;
    }
    if (/^-\d+$/.test(a)) {
      flags.set('n', a.slice(1));
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const f = a[j]!;
      if (withValue.includes(f)) {
        const v = a.slice(j + 1) || args[++i];
        flags.set(f, v ?? '');
        break;
      }
      flags.set(f, true);
    }
  }
  return { flags, rest: args.slice(i) };
}

export function readPath(ctx: ProcessContext, file: string): string {
  return ctx.host.fs.readFile(resolvePath(ctx.cwd, file));
}

/**
 * An input file opened for reading (`-`: stdin): a device as an endless stream, a file as its
 * exact bytes. Throws FsError as open(2) would.
 */
export function openRead(ctx: ProcessContext, file: string): { input: Input; endless: boolean } {
  if (file === '-') return { input: ctx.stdin, endless: false };
  const path = resolvePath(ctx.cwd, file);
  const st = ctx.host.fs.stat(path);
  if (st?.device) return { input: deviceInput(st.device), endless: st.device !== 'null' };
  return { input: Input.of(ctx.host.fs.readFileBytes(path)), endless: false };
}

/** Writes and honours the reader's back-pressure; loops over endless inputs also let others run. */
export async function writeOut(ctx: ProcessContext, chunk: string | Uint8Array, endless = false): Promise<void> {
  ctx.stdout.write(chunk);
  const d = ctx.stdout.drain?.();
  if (d) await d;
  if (endless) await ctx.host.yieldCpu();
}

/** The exact bytes of each input (stdin read to its end; a device gives one block). */
export async function readInputBytes(ctx: ProcessContext, style: ToolStyle, files: string[]): Promise<{ inputs: { file: string; bytes: Buffer }[]; ok: boolean }> {
  const inputs: { file: string; bytes: Buffer }[] = [];
  let ok = true;
  for (const f of files.length ? files : ['-']) {
    if (f === '-') {
      inputs.push({ file: '-', bytes: await ctx.stdin.readAllBytes() });
      continue;
    }
    try {
      inputs.push({ file: f, bytes: ctx.host.fs.readFileBytes(resolvePath(ctx.cwd, f)) });
    } catch (e) {
      cantOpen(ctx, style, f, e);
      ok = false;
    }
  }
  return { inputs, ok };
}

export function cantOpen(ctx: ProcessContext, style: ToolStyle, file: string, e: unknown): void {
  const why = e instanceof FsError ? e.message : String(e);
  ctx.stderr.write(style === 'busybox' ? `${toolName(ctx)}: can't open '${file}': ${why}\n` : `${toolName(ctx)}: ${file}: ${why}\n`);
}

/** Calls `onLine` for each line of the inputs (stdin streamed line by line); returns false if a file failed. */
export async function eachLine(ctx: ProcessContext, style: ToolStyle, files: string[], onLine: (line: string, file: string) => boolean | void): Promise<boolean> {
  let ok = true;
  const list = files.length ? files : ['-'];
  for (const f of list) {
    if (f === '-') {
      for (;;) {
        ctx.host.checkAlive();
        const line = await ctx.stdin.readLine();
        if (line === null) break;
        if (onLine(line, f) === false) {
          ctx.stdin.close();
          return ok;
        }
      }
      continue;
    }
    let text: string;
    try {
      text = readPath(ctx, f);
    } catch (e) {
      cantOpen(ctx, style, f, e);
      ok = false;
      continue;
    }
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    for (const l of lines) if (onLine(l, f) === false) return ok;
  }
  return ok;
}

/** The whole text of the inputs (for tools that need everything: sort, tail, wc). */
export async function readInputs(ctx: ProcessContext, style: ToolStyle, files: string[]): Promise<{ texts: { file: string; text: string }[]; ok: boolean }> {
  const texts: { file: string; text: string }[] = [];
  let ok = true;
  for (const f of files.length ? files : ['-']) {
    if (f === '-') {
      texts.push({ file: '-', text: await ctx.stdin.readAll() });
      continue;
    }
    try {
      texts.push({ file: f, text: readPath(ctx, f) });
    } catch (e) {
      cantOpen(ctx, style, f, e);
      ok = false;
    }
  }
  return { texts, ok };
}

/** POSIX basic regular expression → JavaScript (ERE passes through mostly unchanged). */
export function toRegExpSource(re: string, extended: boolean): string {
  if (extended) return re.replace(/\[\[:(\w+):\]\]/g, (_m, c: string) => `[${CLASS[c] ?? ''}]`).replace(/\[:(\w+):\]/g, (_m, c: string) => CLASS[c] ?? '');
  let out = '';
  for (let i = 0; i < re.length; i++) {
    const c = re[i]!;
    if (c === '\\' && i + 1 < re.length) {
      const n = re[++i]!;
      if ('(){}|+?'.includes(n)) out += n;
      else out += '\\' + n;
    } else if ('(){}|+?'.includes(c)) out += '\\' + c;
    else if (c === '[') {
      const end = re.indexOf(']', i + (re[i + 1] === ']' ? 2 : re[i + 1] === '^' && re[i + 2] === ']' ? 3 : 1));
      const body = end < 0 ? re.slice(i) : re.slice(i, end + 1);
      out += body.replace(/\[:(\w+):\]/g, (_m, cls: string) => CLASS[cls] ?? '');
      i = end < 0 ? re.length : end;
    } else if (c === '*' && (i === 0 || out.endsWith('('))) out += '\\*';
    else out += c;
  }
  return out;
}

const CLASS: Record<string, string> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: 'a-zA-Z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: '\\s',
  blank: ' \\t',
  xdigit: '0-9a-fA-F',
  punct: '!-\\/:-@\\[-`{-~',
};
