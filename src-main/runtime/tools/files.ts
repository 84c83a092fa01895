/** File tools: cat, ls, mkdir, touch, rm, head, tail, wc, tee — on bytes (binary files pass unchanged). */
import type { Tool, ToolStyle } from './common';
import { cantOpen, openRead, parseOpts, readInputBytes, writeOut } from './common';
import { FsError, resolvePath } from '../vfs';
import type { ProcessContext } from '../program';

export const cat: Tool = async (ctx, style) => {
  const { flags, rest } = parseOpts(ctx.argv.slice(1), '');
  const number = flags.has('n');
  let n = 0;
  const ok = await eachOpened(ctx, style, rest.length ? rest : ['-'], async ({ input, endless }) => {
    try {
      for (;;) {
        if (number) {
          const line = await input.readLine();
          if (line === null) break;
          await writeOut(ctx, `${String(++n).padStart(6)}\t${line}\n`, endless);
          continue;
        }
        // the bytes as they come (text stays text): binary files pass unchanged
        const chunk = await input.readRaw();
        if (chunk === null) break;
        await writeOut(ctx, chunk, endless);
      }
    } finally {
      if (input !== ctx.stdin) input.close();
    }
  });
  return ok ? 0 : 1;
};

/** Linux's numbers for the memory devices (major 1). */
const DEVICE_NUMBERS: Record<string, [number, number]> = { null: [1, 3], zero: [1, 5], random: [1, 8], urandom: [1, 9] };

function modeString(kind: 'dir' | 'file', mode: number): string {
  const bits = 'rwxrwxrwx';
  let s = kind === 'dir' ? 'd' : '-';
  for (let i = 0; i < 9; i++) s += mode & (1 << (8 - i)) ? bits[i] : '-';
  return s;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function lsTime(ms: number): string {
  const d = new Date(ms);
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

export const ls: Tool = async (ctx, style) => {
  const { flags, rest } = parseOpts(ctx.argv.slice(1), '');
  const all = flags.has('a');
  const long = flags.has('l');
  const fs = ctx.host.fs;
  const targets = rest.length ? rest : ['.'];
  let status = 0;
  const line = (name: string, path: string) => {
    if (!long) return name + '\n';
    const st = fs.stat(path)!;
    const mtime = st.mtime || ctx.host.clock.now();
    // a character device shows `c` and its major, minor numbers where a file shows its size
    const dev = st.device ? DEVICE_NUMBERS[st.device] : undefined;
    const mode = dev ? `c${modeString(st.kind, st.mode).slice(1)}` : modeString(st.kind, st.mode);
    if (style === 'busybox') return `${mode}    ${st.kind === 'dir' ? 2 : 1} root     root    ${dev ? `${String(dev[0]).padStart(4)}, ${String(dev[1]).padStart(4)}` : String(st.size).padStart(10)} ${lsTime(mtime)} ${name}\n`;
    return `${mode} ${st.kind === 'dir' ? 2 : 1} root root ${dev ? `${dev[0]}, ${dev[1]}` : String(st.size).padStart(4)} ${lsTime(mtime)} ${name}\n`;
  };
  const dirs: string[] = [];
  for (const t of targets) {
    const path = resolvePath(ctx.cwd, t);
    const st = fs.stat(path);
    if (!st) {
      ctx.stderr.write(style === 'busybox' ? `ls: ${t}: No such file or directory\n` : `ls: cannot access '${t}': No such file or directory\n`);
      status = style === 'busybox' ? 1 : 2;
      continue;
    }
    if (st.kind === 'file' || flags.has('d')) ctx.stdout.write(line(t, path));
    else dirs.push(t);
  }
  for (const t of dirs) {
    const path = resolvePath(ctx.cwd, t);
    if (targets.length > 1) ctx.stdout.write(`${t}:\n`);
    let names = fs.readdir(path);
    if (!all) names = names.filter((n) => !n.startsWith('.'));
    else names = ['.', '..', ...names];
    if (long) ctx.stdout.write(`total ${names.length * 4}\n`);
    ctx.stdout.write(names.map((n) => line(n, resolvePath(path, n))).join(''));
  }
  return status;
};

export const mkdir: Tool = async (ctx, style) => {
  const { flags, rest } = parseOpts(ctx.argv.slice(1), 'm');
  let status = 0;
  for (const d of rest) {
    try {
      ctx.host.fs.mkdir(resolvePath(ctx.cwd, d), { parents: flags.has('p') });
    } catch (e) {
      const why = e instanceof FsError ? e.message : String(e);
      ctx.stderr.write(`mkdir: ${style === 'busybox' ? "can't" : 'cannot'} create directory '${d}': ${why}\n`);
      status = 1;
    }
  }
  return status;
};

export const touch: Tool = async (ctx, style) => {
  const { rest } = parseOpts(ctx.argv.slice(1), 'dtr');
  let status = 0;
  for (const f of rest) {
    const path = resolvePath(ctx.cwd, f);
    try {
      ctx.host.fs.writeFile(path, '', { append: true });
    } catch (e) {
      const why = e instanceof FsError ? e.message : String(e);
      ctx.stderr.write(style === 'busybox' ? `touch: ${f}: ${why}\n` : `touch: cannot touch '${f}': ${why}\n`);
      status = 1;
    }
  }
  return status;
};

export const rm: Tool = async (ctx, style) => {
  const { flags, rest } = parseOpts(ctx.argv.slice(1), '');
  const recursive = flags.has('r') || flags.has('R');
  const force = flags.has('f');
  let status = 0;
  for (const f of rest) {
    const path = resolvePath(ctx.cwd, f);
    const st = ctx.host.fs.stat(path);
    const cant = style === 'busybox' ? "can't remove" : 'cannot remove';
    if (!st) {
      if (!force) {
        ctx.stderr.write(`rm: ${cant} '${f}': No such file or directory\n`);
        status = 1;
      }
      continue;
    }
    if (st.kind === 'dir' && !recursive) {
      ctx.stderr.write(style === 'busybox' ? `rm: '${f}' is a directory\n` : `rm: cannot remove '${f}': Is a directory\n`);
      status = 1;
      continue;
    }
    ctx.host.fs.remove(path, { recursive });
  }
  return status;
};

export const head: Tool = async (ctx, style) => {
  const { flags, rest } = parseOpts(ctx.argv.slice(1), 'nc');
  const n = Number(flags.get('n') ?? 10);
  if (!Number.isInteger(n)) {
    ctx.stderr.write(style === 'busybox' ? `head: invalid number '${flags.get('n')}'\n` : `head: invalid number of lines: '${flags.get('n')}'\n`);
    return 1;
  }
  const files = rest.length ? rest : ['-'];
  if (flags.has('c')) {
    const spec = byteCount(String(flags.get('c')));
    const c = spec?.n ?? NaN;
    if (!spec || spec.from || !Number.isSafeInteger(c)) {
      ctx.stderr.write(style === 'busybox' ? `head: invalid number '${flags.get('c')}'\n` : `head: invalid number of bytes: '${flags.get('c')}'\n`);
      return 1;
    }
    const ok = await eachOpened(ctx, style, files, async (src) => {
      let left = c;
      while (left > 0) {
        const b = await src.input.readBytes();
        if (b === null) break;
        const piece = b.length > left ? b.subarray(0, left) : b;
        left -= piece.length;
        await writeOut(ctx, piece, src.endless);
      }
      // done with it: a writer still feeding the pipe gets SIGPIPE (`cat /dev/urandom | head -c 100`)
      src.input.close();
    });
    return ok ? 0 : 1;
  }
  // lines, counted in bytes: whatever the lines hold passes unchanged
  let count = 0;
  if (n <= 0) return 0;
  const ok = await eachOpened(ctx, style, files, async (src) => {
    while (count < n) {
      ctx.host.checkAlive();
      const b = await src.input.readBytes();
      if (b === null) break;
      let i = 0;
      while (count < n) {
        const nl = b.indexOf(10, i);
        if (nl < 0) break;
        count++;
        i = nl + 1;
      }
      await writeOut(ctx, count >= n ? b.subarray(0, i) : b, src.endless);
    }
    if (count >= n) {
      src.input.close();
      return 'stop';
    }
    if (src.input !== ctx.stdin) src.input.close();
  });
  return ok ? 0 : 1;
};

/**
 * The inputs of cat and head one after the other: `read` gets each opened file (a file that can't be opened
 * gets cantOpen's message and is skipped); 'stop' from it leaves the rest unopened. True when
 * every file opened.
 */
async function eachOpened(ctx: ProcessContext, style: ToolStyle, files: string[], read: (src: ReturnType<typeof openRead>) => Promise<'stop' | void>): Promise<boolean> {
  let ok = true;
  for (const f of files) {
    let src: ReturnType<typeof openRead>;
    try {
      src = openRead(ctx, f);
    } catch (e) {
      cantOpen(ctx, style, f, e);
      ok = false;
      continue;
    }
    if ((await read(src)) === 'stop') break;
  }
  return ok;
}

/** A `tail -c` count: `N` (the last N bytes) or `+N` (from byte N on), with GNU/busybox size suffixes. */
function byteCount(spec: string): { from: boolean; n: number } | undefined {
  const m = /^([+-]?)(\d+)(b|kB|KB|k|K|KiB|MB|m|M|MiB|GB|g|G|GiB)?$/.exec(spec);
  if (!m) return undefined;
  const unit: Record<string, number> = { b: 512, kB: 1000, KB: 1000, k: 1024, K: 1024, KiB: 1024, MB: 1e6, m: 1 << 20, M: 1 << 20, MiB: 1 << 20, GB: 1e9, g: 1 << 30, G: 1 << 30, GiB: 1 << 30 };
  return { from: m[1] === '+', n: Number(m[2]) * (m[3] ? unit[m[3]]! : 1) };
}

/** `tail -c N` / `tail -c +N` (kubectl cp --retries resumes with `tail -c+N`): the exact bytes. */
function tailBytes(ctx: ProcessContext, count: { from: boolean; n: number }, inputs: { bytes: Buffer }[]): void {
  for (const { bytes } of inputs) {
    const out = count.from ? bytes.subarray(Math.max(0, count.n - 1)) : bytes.subarray(Math.max(0, bytes.length - count.n));
    if (out.length) ctx.stdout.write(out);
  }
}

export const tail: Tool = async (ctx, style) => {
  const { flags, rest } = parseOpts(ctx.argv.slice(1), 'nc');
  const bytesSpec = flags.get('c') ?? flags.get('--bytes');
  const bytes = bytesSpec === undefined ? undefined : byteCount(String(bytesSpec));
  if (bytesSpec !== undefined && !bytes) {
    ctx.stderr.write(style === 'busybox' ? `tail: invalid number '${bytesSpec}'\n` : `tail: invalid number of bytes: '${bytesSpec}'\n`);
    return 1;
  }
  const spec = String(flags.get('n') ?? flags.get('--lines') ?? '10');
  const { inputs, ok } = await readInputBytes(ctx, style, rest);
  if (bytes) tailBytes(ctx, bytes, inputs);
  else
    for (const t of inputs) {
      // latin1 maps each byte to one character and back: lines are cut without decoding them
      const lines = t.bytes.toString('latin1').split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      const out = spec.startsWith('+') ? lines.slice(Number(spec.slice(1)) - 1) : lines.slice(Math.max(0, lines.length - Number(spec)));
      if (out.length) ctx.stdout.write(Buffer.from(out.join('\n') + '\n', 'latin1'));
    }
  if ((flags.has('f') || flags.has('F')) && rest.length) return follow(ctx, rest, inputs, flags.has('F'));
  if (flags.has('f') && ok) await ctx.host.forever();
  return ok ? 0 : 1;
};

/** `tail -f/-F FILE…`: polls once a second of cluster time and prints what was appended. */
async function follow(ctx: ProcessContext, files: string[], inputs: { file: string; bytes: Buffer }[], retry: boolean): Promise<number> {
  const sizes = new Map(files.map((f) => [f, inputs.find((t) => t.file === f)?.bytes.length ?? -1]));
  const multi = files.length > 1;
  let last = multi ? files[files.length - 1] : undefined;
  if (!retry && [...sizes.values()].every((s) => s < 0)) return 1;
  for (;;) {
    await ctx.host.sleep(1000);
    for (const f of files) {
      let text: Buffer;
      try {
        text = ctx.host.fs.readFileBytes(resolvePath(ctx.cwd, f));
      } catch {
        continue;
      }
      const prev = sizes.get(f)!;
      if (text.length === prev) continue;
      let chunk: Buffer;
      if (prev < 0) {
        if (retry) ctx.stderr.write(`tail: '${f}' has appeared;  following new file\n`);
        chunk = text;
      } else if (text.length < prev) {
        ctx.stderr.write(`tail: ${f}: file truncated\n`);
        chunk = text;
      } else chunk = text.subarray(prev);
      sizes.set(f, text.length);
      if (multi && last !== f) {
        ctx.stdout.write(`\n==> ${f} <==\n`);
        last = f;
      }
      ctx.stdout.write(chunk);
    }
  }
}

export const wc: Tool = async (ctx, style) => {
  const { flags, rest } = parseOpts(ctx.argv.slice(1), '');
  let which = ['l', 'w', 'c'].filter((f) => flags.has(f) || (f === 'c' && flags.has('m')));
  if (!which.length) which = ['l', 'w', 'c'];
  const { inputs, ok } = await readInputBytes(ctx, style, rest);
  const rows: { counts: number[]; name: string }[] = [];
  const total = [0, 0, 0];
  for (const t of inputs) {
    // only what is asked for is counted (wc -c of a big binary file does not look for words)
    const c = {
      l: which.includes('l') ? countByte(t.bytes, 10) : 0,
      w: which.includes('w') ? t.bytes.toString('latin1').split(/[ \t\n\v\f\r]+/).filter(Boolean).length : 0,
      c: t.bytes.length,
    };
    const counts = which.map((w) => c[w as 'l']);
    counts.forEach((v, i) => (total[i]! += v));
    rows.push({ counts, name: t.file === '-' ? '' : t.file });
  }
  if (rows.length > 1) rows.push({ counts: total.slice(0, which.length), name: 'total' });
  const single = which.length === 1 && rows.length === 1 && rows[0]!.name === '';
  const width = style === 'busybox' ? 9 : rows.some((r) => r.name === '') ? 7 : Math.max(1, ...rows.flatMap((r) => r.counts.map((v) => String(v).length)));
  for (const r of rows) {
    const nums = single ? String(r.counts[0]) : r.counts.map((v) => String(v).padStart(width)).join(' ');
    ctx.stdout.write(r.name ? `${nums} ${r.name}\n` : `${nums}\n`);
  }
  return ok ? 0 : 1;
};

function countByte(b: Buffer, byte: number): number {
  let n = 0;
  for (let i = b.indexOf(byte); i >= 0; i = b.indexOf(byte, i + 1)) n++;
  return n;
}

export const tee: Tool = async (ctx: ProcessContext) => {
  const { flags, rest } = parseOpts(ctx.argv.slice(1), '');
  const fs = ctx.host.fs;
  const paths = rest.map((f) => resolvePath(ctx.cwd, f));
  for (const p of paths) if (!flags.has('a')) fs.writeFile(p, '');
  for (;;) {
    const c = await ctx.stdin.readRaw();
    if (c === null) break;
    ctx.stdout.write(c);
    for (const p of paths) fs.writeFile(p, c, { append: true });
  }
  return 0;
};
