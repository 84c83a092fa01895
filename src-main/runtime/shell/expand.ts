/**
 * Word expansion: tilde, parameters, command substitution, arithmetic, field splitting,
 * pathname expansion and quote removal, in POSIX order.
 */
import { evalArith, ArithError } from './arith';
import { hasGlob, patternToRegExp, trimPattern } from './pattern';
import { parseHereDoc, parseWord, type Part } from './word';
import type { FileSystem } from '../vfs';
import { resolvePath } from '../vfs';

export interface ExpandContext {
  getVar(name: string): string | undefined;
  setVar(name: string, value: string): void;
  positional(): string[];
  /** `$?`, `$$`, `$!`, `$0`, `$-`. */
  special(name: string): string;
  commandSubst(src: string): Promise<string>;
  fs: FileSystem;
  cwd(): string;
}

/** An expansion error (`${x:?}`, bad substitution, arithmetic): the shell reports it and fails. */
export class ExpansionError extends Error {}

interface Seg {
  s: string;
  /** Quoted: not subject to splitting or globbing. */
  q: boolean;
}
interface Field {
  segs: Seg[];
  touched: boolean;
}

/** Expands to fields (command arguments, `for` lists). */
export async function expandFields(words: string[], ctx: ExpandContext): Promise<string[]> {
  const out: string[] = [];
  for (const w of words) {
    if (!/[$`'"\\~*?[]/.test(w)) {
      out.push(w);
      continue;
    }
    const fields = await expandParts(parseWord(w), ctx, true);
    for (const f of fields) {
      const pattern = f.segs.map((s) => (s.q ? escapeGlob(s.s) : s.s)).join('');
      if (hasGlob(pattern)) {
        const matches = glob(pattern, ctx);
        if (matches.length) {
          out.push(...matches);
          continue;
        }
      }
      out.push(f.segs.map((s) => s.s).join(''));
    }
  }
  return out;
}

/** Expands to one string without splitting or globbing (assignments, `case` words, redirect targets). */
export async function expandString(word: string, ctx: ExpandContext): Promise<string> {
  if (!/[$`'"\\~]/.test(word)) return word;
  const fields = await expandParts(parseWord(word), ctx, false);
  return fields.map((f) => f.segs.map((s) => s.s).join('')).join(' ');
}

/** Expands to a pattern: quoted characters come out escaped. */
export async function expandPattern(word: string, ctx: ExpandContext): Promise<string> {
  const fields = await expandParts(parseWord(word), ctx, false);
  return fields.map((f) => f.segs.map((s) => (s.q ? escapeGlob(s.s) : s.s)).join('')).join(' ');
}

export async function expandHereDoc(body: string, ctx: ExpandContext): Promise<string> {
  const fields = await expandParts(parseHereDoc(body), ctx, false);
  return fields.map((f) => f.segs.map((s) => s.s).join('')).join(' ');
}

function escapeGlob(s: string): string {
  return s.replace(/[\\*?[\]]/g, (c) => `\\${c}`);
}

async function expandParts(parts: Part[], ctx: ExpandContext, split: boolean): Promise<Field[]> {
  const fields: Field[] = [{ segs: [], touched: false }];
  const cur = () => fields[fields.length - 1]!;
  const ifs = ctx.getVar('IFS') ?? ' \t\n';
  const push = (s: string, q: boolean) => {
    cur().segs.push({ s, q });
    cur().touched = true;
  };
  const pushExpanded = (text: string, quoted: boolean) => {
    if (quoted || !split) {
      push(text, true);
      return;
    }
    if (text === '') return;
    let piece = '';
    for (const ch of text) {
      if (ifs.includes(ch)) {
        if (piece) push(piece, false);
        piece = '';
        if (cur().touched) fields.push({ segs: [], touched: false });
      } else piece += ch;
    }
    if (piece) push(piece, false);
  };
  const newField = () => {
    if (cur().touched || !split) fields.push({ segs: [], touched: false });
  };

  for (const p of parts) {
    switch (p.k) {
      case 'lit':
        push(p.s, p.q);
        break;
      case 'tilde': {
        const home = p.user === '' ? (ctx.getVar('HOME') ?? '/') : p.user === 'root' ? '/root' : `~${p.user}`;
        push(home, true);
        break;
      }
      case 'cmd': {
        const text = (await ctx.commandSubst(p.src)).replace(/\n+$/, '');
        pushExpanded(text, p.q);
        break;
      }
      case 'arith': {
        const src = await expandString(p.src.replace(/"/g, ''), ctx);
        let v: number;
        try {
          v = evalArith(src, { get: (n) => ctx.getVar(n), set: (n, val) => ctx.setVar(n, val) });
        } catch (e) {
          if (e instanceof ArithError) throw new ExpansionError(e.message);
          throw e;
        }
        pushExpanded(String(v), p.q);
        break;
      }
      case 'param': {
        if ((p.name === '@' || p.name === '*') && !p.op && !p.length) {
          const args = ctx.positional();
          if (p.name === '*' && p.q) {
            pushExpanded(args.join(ifs.slice(0, 1)), true);
            break;
          }
          args.forEach((a, idx) => {
            if (idx > 0) newField();
            pushExpanded(a, p.q);
          });
          break;
        }
        const v = await paramValue(p, ctx);
        if (v !== undefined) pushExpanded(v, p.q);
        break;
      }
    }
  }
  return fields.filter((f) => f.touched || !split);
}

function lookup(name: string, ctx: ExpandContext): string | undefined {
  if (/^\d+$/.test(name) && name !== '0') return ctx.positional()[Number(name) - 1];
  if (name === '#') return String(ctx.positional().length);
  if (name === '@' || name === '*') {
    const a = ctx.positional();
    return a.length ? a.join(' ') : undefined;
  }
  if (['?', '$', '!', '0', '-'].includes(name)) return ctx.special(name);
  return ctx.getVar(name);
}

async function paramValue(p: Extract<Part, { k: 'param' }>, ctx: ExpandContext): Promise<string | undefined> {
  if (p.op === 'bad') throw new ExpansionError(`\${${p.arg}}: bad substitution`);
  const v = lookup(p.name, ctx);
  if (p.length) return String((v ?? '').length);
  if (!p.op) return v ?? '';
  const arg = p.arg ?? '';
  const colon = p.op.startsWith(':') && p.op.length === 2;
  const unset = v === undefined || (colon && v === '');
  switch (p.op.replace(/^:(?=.)/, '')) {
    case '-':
      return unset ? expandString(arg, ctx) : v;
    case '=': {
      if (!unset) return v;
      const val = await expandString(arg, ctx);
      ctx.setVar(p.name, val);
      return val;
    }
    case '?':
      if (!unset) return v;
      throw new ExpansionError(`${p.name}: ${arg ? await expandString(arg, ctx) : 'parameter not set'}`);
    case '+':
      return unset ? '' : expandString(arg, ctx);
    case '#':
    case '##':
    case '%':
    case '%%':
      return trimPattern(v ?? '', await expandPattern(arg, ctx), p.op as '#');
    case '/':
    case '//': {
      const slash = findUnescapedSlash(arg);
      const pat = await expandPattern(slash < 0 ? arg : arg.slice(0, slash), ctx);
      const rep = slash < 0 ? '' : await expandString(arg.slice(slash + 1), ctx);
      return replacePattern(v ?? '', pat, rep, p.op === '//');
    }
    case ':': {
      const [off, len] = arg.split(':');
      const s = v ?? '';
      const vars = { get: (n: string) => ctx.getVar(n), set: (n: string, val: string) => ctx.setVar(n, val) };
      let o = evalArith(off ?? '0', vars);
      if (o < 0) o = Math.max(0, s.length + o);
      if (len === undefined) return s.slice(o);
      const l = evalArith(len, vars);
      return l < 0 ? s.slice(o, s.length + l) : s.slice(o, o + l);
    }
  }
  return v ?? '';
}

function findUnescapedSlash(s: string): number {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '/') return i;
  }
  return -1;
}

function replacePattern(value: string, pattern: string, rep: string, all: boolean): string {
  if (pattern.startsWith('#')) {
    const re = patternToRegExp(pattern.slice(1));
    for (let end = value.length; end >= 0; end--) if (re.test(value.slice(0, end))) return rep + value.slice(end);
    return value;
  }
  if (pattern.startsWith('%')) {
    const re = patternToRegExp(pattern.slice(1));
    for (let start = 0; start <= value.length; start++) if (re.test(value.slice(start))) return value.slice(0, start) + rep;
    return value;
  }
  const re = patternToRegExp(pattern);
  let out = '';
  let i = 0;
  while (i < value.length) {
    let matched = -1;
    for (let end = value.length; end > i; end--) {
      if (re.test(value.slice(i, end))) {
        matched = end;
        break;
      }
    }
    if (matched > i) {
      out += rep;
      i = matched;
      if (!all) return out + value.slice(i);
      continue;
    }
    out += value[i];
    i++;
  }
  return out;
}

/** Pathname expansion over the container's filesystem; sorted matches, or [] for none. */
function glob(pattern: string, ctx: ExpandContext): string[] {
  const absolute = pattern.startsWith('/');
  const comps = pattern.split('/').filter((c, i) => c !== '' || i === 0);
  let paths: string[] = [absolute ? '/' : ''];
  for (const comp of comps) {
    if (comp === '') continue;
    const next: string[] = [];
    for (const base of paths) {
      const dir = resolvePath(ctx.cwd(), base || '.');
      if (!hasGlob(comp)) {
        const lit = comp.replace(/\\(.)/g, '$1');
        const p = base === '' ? lit : base === '/' ? `/${lit}` : `${base}/${lit}`;
        if (ctx.fs.stat(resolvePath(ctx.cwd(), p))) next.push(p);
        continue;
      }
      let names: string[];
      try {
        if (ctx.fs.stat(dir)?.kind !== 'dir') continue;
        names = ctx.fs.readdir(dir);
      } catch {
        continue;
      }
      const re = patternToRegExp(comp);
      for (const n of names) {
        if (n.startsWith('.') && !comp.startsWith('.') && !comp.startsWith('\\.')) continue;
        if (re.test(n)) next.push(base === '' ? n : base === '/' ? `/${n}` : `${base}/${n}`);
      }
    }
    paths = next;
    if (!paths.length) return [];
  }
  return paths.sort();
}
