/** Text tools: grep, sed (basics), sort, uniq, cut (tr is in tr.ts, on bytes). */
import type { Tool } from './common';
import { eachLine, parseOpts, readInputs, toRegExpSource } from './common';
import { resolvePath } from '../vfs';

export const grep: Tool = async (ctx, style) => {
  const args = ctx.argv.slice(1);
  const patterns: string[] = [];
  const filtered: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-e') patterns.push(args[++i] ?? '');
    else filtered.push(args[i]!);
  }
  const { flags, rest } = parseOpts(filtered, 'mABC');
  const extended = flags.has('E') || ctx.argv[0]!.endsWith('egrep');
  const fixed = flags.has('F');
  if (!patterns.length) {
    const p = rest.shift();
    if (p === undefined) {
      ctx.stderr.write(style === 'busybox' ? 'grep: bad usage\n' : "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n");
      return 2;
    }
    patterns.push(...p.split('\n'));
  }
  let src = patterns.map((p) => (fixed ? p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&') : toRegExpSource(p, extended))).join('|');
  if (flags.has('w')) src = `(?<![\\w])(?:${src})(?![\\w])`;
  if (flags.has('x')) src = `^(?:${src})$`;
  let re: RegExp;
  try {
    re = new RegExp(src, flags.has('i') ? 'i' : '');
  } catch {
    ctx.stderr.write(`grep: bad regex '${patterns[0]}'\n`);
    return 2;
  }
  const invert = flags.has('v');
  const quiet = flags.has('q');
  const showName = (rest.length > 1 || flags.has('H')) && !flags.has('h');
  const max = flags.has('m') ? Number(flags.get('m')) : Infinity;
  const counts = new Map<string, number>();
  let matched = 0;
  let lineNo = 0;
  let lastFile = '';
  const ok = await eachLine(ctx, style, rest, (line, file) => {
    if (file !== lastFile) {
      lineNo = 0;
      lastFile = file;
    }
    lineNo++;
    const hit = re.test(line) !== invert;
    if (!hit) return true;
    matched++;
    counts.set(file, (counts.get(file) ?? 0) + 1);
    if (quiet) return false;
    if (flags.has('c') || flags.has('l')) return true;
    const pre = (showName ? `${file === '-' ? '(standard input)' : file}:` : '') + (flags.has('n') ? `${lineNo}:` : '');
    if (flags.has('o') && !invert) {
      const g = new RegExp(re.source, re.flags + 'g');
      for (const m of line.matchAll(g)) if (m[0]) ctx.stdout.write(pre + m[0] + '\n');
    } else ctx.stdout.write(pre + line + '\n');
    return matched < max;
  });
  if (flags.has('c')) for (const f of rest.length ? rest : ['-']) ctx.stdout.write((showName ? `${f}:` : '') + `${counts.get(f) ?? 0}\n`);
  if (flags.has('l')) for (const f of counts.keys()) ctx.stdout.write(`${f === '-' ? '(standard input)' : f}\n`);
  if (!ok && !flags.has('s')) return 2;
  return matched ? 0 : 1;
};

interface SedCmd {
  addr?: { line?: number; last?: boolean; re?: RegExp };
  cmd: 's' | 'p' | 'd' | 'q';
  re?: RegExp;
  rep?: string;
  global?: boolean;
  print?: boolean;
}

function parseSed(script: string, extended: boolean): SedCmd[] {
  const cmds: SedCmd[] = [];
  for (const part of splitScript(script)) {
    let s = part.trim();
    if (!s) continue;
    const c: SedCmd = { cmd: 'p' };
    const num = /^(\d+|\$)/.exec(s);
    if (num) {
      c.addr = num[1] === '$' ? { last: true } : { line: Number(num[1]) };
      s = s.slice(num[0].length);
    } else if (s.startsWith('/')) {
      const end = findDelim(s, 1, '/');
      c.addr = { re: new RegExp(toRegExpSource(s.slice(1, end), extended)) };
      s = s.slice(end + 1);
    }
    s = s.trim();
    const op = s[0];
    if (op === 's') {
      const d = s[1]!;
      const e1 = findDelim(s, 2, d);
      const e2 = findDelim(s, e1 + 1, d);
      const flags = s.slice(e2 + 1);
      c.cmd = 's';
      c.re = new RegExp(toRegExpSource(s.slice(2, e1), extended), flags.includes('I') || flags.includes('i') ? 'gi' : 'g');
      c.rep = s.slice(e1 + 1, e2);
      c.global = flags.includes('g');
      c.print = flags.includes('p');
    } else if (op === 'p' || op === 'd' || op === 'q') c.cmd = op;
    else throw new Error(`unsupported command ${op ?? ''}`);
    cmds.push(c);
  }
  return cmds;
}

function splitScript(script: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inS = 0;
  let delim = '';
  for (let i = 0; i < script.length; i++) {
    const ch = script[i]!;
    if (inS) {
      cur += ch;
      if (ch === '\\') cur += script[++i] ?? '';
      else if (ch === delim) inS--;
      continue;
    }
    if (ch === 's' && /^\s*(\d+|\$|\/[^/]*\/)?\s*$/.test(cur) && script[i + 1]) {
      delim = script[i + 1]!;
      cur += ch + delim;
      i++;
      inS = 2;
      continue;
    }
    if (ch === ';' || ch === '\n') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

function findDelim(s: string, from: number, d: string): number {
  for (let i = from; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === d) return i;
  }
  throw new Error('unterminated `s\' command');
}

function jsReplacement(rep: string): string {
  return rep.replace(/\$/g, '$$$$').replace(/\\(\d)/g, '$$$1').replace(/(^|[^\\])&/g, '$1$$&').replace(/\\&/g, '&').replace(/\\n/g, '\n').replace(/\\\//g, '/');
}

export const sed: Tool = async (ctx, style) => {
  const args = ctx.argv.slice(1);
  const scripts: string[] = [];
  const files: string[] = [];
  let quiet = false;
  let extended = false;
  let inPlace = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-e') scripts.push(args[++i] ?? '');
    else if (a === '-n') quiet = true;
    else if (a === '-E' || a === '-r') extended = true;
    else if (a === '-i') inPlace = true;
    else if (/^-[nEri]+$/.test(a)) {
      quiet ||= a.includes('n');
      extended ||= /[Er]/.test(a);
      inPlace ||= a.includes('i');
    } else if (!scripts.length && !files.length) scripts.push(a);
    else files.push(a);
  }
  let cmds: SedCmd[];
  try {
    cmds = parseSed(scripts.join('\n'), extended);
  } catch (e) {
    ctx.stderr.write(`sed: -e expression #1, char 0: ${(e as Error).message}\n`);
    return 1;
  }
  const run = (line: string, n: number, last: boolean, out: (s: string) => void): boolean => {
    let text = line;
    for (const c of cmds) {
      if (c.addr) {
        if (c.addr.line !== undefined && c.addr.line !== n) continue;
        if (c.addr.last && !last) continue;
        if (c.addr.re && !c.addr.re.test(text)) continue;
      }
      if (c.cmd === 'd') return true;
      if (c.cmd === 'p') out(text + '\n');
      if (c.cmd === 'q') {
        if (!quiet) out(text + '\n');
        return false;
      }
      if (c.cmd === 's') {
        c.re!.lastIndex = 0;
        const before = text;
        if (c.global) text = text.replace(c.re!, jsReplacement(c.rep!));
        else text = text.replace(new RegExp(c.re!.source, c.re!.flags.replace('g', '')), jsReplacement(c.rep!));
        if (c.print && text !== before) out(text + '\n');
      }
    }
    if (!quiet) out(text + '\n');
    return true;
  };
  if (inPlace) {
    const { texts, ok } = await readInputs(ctx, style, files);
    for (const t of texts) {
      let out = '';
      const lines = t.text.split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      lines.every((l, i) => run(l, i + 1, i === lines.length - 1, (s) => (out += s)));
      ctx.host.fs.writeFile(resolvePath(ctx.cwd, t.file), out);
    }
    return ok ? 0 : 2;
  }
  let n = 0;
  let held: string | undefined;
  let stop = false;
  const ok = await eachLine(ctx, style, files, (line) => {
    if (held !== undefined) {
      if (!run(held, ++n, false, (s) => ctx.stdout.write(s))) {
        stop = true;
        return false;
      }
    }
    held = line;
    return true;
  });
  if (held !== undefined && !stop) run(held, ++n, true, (s) => ctx.stdout.write(s));
  return ok ? 0 : 2;
};

export const sort: Tool = async (ctx, style) => {
  const { flags, rest } = parseOpts(ctx.argv.slice(1), 'tko');
  const { texts, ok } = await readInputs(ctx, style, rest);
  let lines = texts.flatMap((t) => {
    const l = t.text.split('\n');
    if (l[l.length - 1] === '') l.pop();
    return l;
  });
  const key = (l: string) => {
    const k = flags.get('k');
    if (typeof k !== 'string') return l;
    const sep = flags.get('t');
    const fields = typeof sep === 'string' ? l.split(sep) : l.trim().split(/\s+/);
    return fields[Number(k.split(',')[0]) - 1] ?? '';
  };
  lines.sort(flags.has('n') ? (a, b) => (parseFloat(key(a)) || 0) - (parseFloat(key(b)) || 0) : (a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  if (flags.has('r')) lines.reverse();
  if (flags.has('u')) lines = lines.filter((l, i) => i === 0 || l !== lines[i - 1]);
  if (lines.length) ctx.stdout.write(lines.join('\n') + '\n');
  return ok ? 0 : 2;
};

export const uniq: Tool = async (ctx, style) => {
  const { flags, rest } = parseOpts(ctx.argv.slice(1), '');
  let prev: string | undefined;
  let count = 0;
  const flush = () => {
    if (prev === undefined) return;
    if (flags.has('d') && count < 2) return;
    if (flags.has('u') && count > 1) return;
    ctx.stdout.write(flags.has('c') ? `${String(count).padStart(7)} ${prev}\n` : `${prev}\n`);
  };
  const ok = await eachLine(ctx, style, rest.slice(0, 1), (line) => {
    if (line === prev) count++;
    else {
      flush();
      prev = line;
      count = 1;
    }
  });
  flush();
  return ok ? 0 : 1;
};

export const cut: Tool = async (ctx, style) => {
  const { flags, rest } = parseOpts(ctx.argv.slice(1), 'dfc');
  const delim = String(flags.get('d') ?? '\t');
  const list = String(flags.get('f') ?? flags.get('c') ?? '');
  const picks = (n: number) =>
    list.split(',').some((r) => {
      const [a, b] = r.split('-');
      const lo = a ? Number(a) : 1;
      const hi = r.includes('-') ? (b ? Number(b) : Infinity) : lo;
      return n >= lo && n <= hi;
    });
  const ok = await eachLine(ctx, style, rest, (line) => {
    if (flags.has('c')) ctx.stdout.write([...line].filter((_c, i) => picks(i + 1)).join('') + '\n');
    else if (!line.includes(delim)) ctx.stdout.write(line + '\n');
    else ctx.stdout.write(line.split(delim).filter((_f, i) => picks(i + 1)).join(delim) + '\n');
  });
  return ok ? 0 : 1;
};
