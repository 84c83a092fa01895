/** `test` / `[`: POSIX expressions over the container's filesystem. */
import type { FileSystem } from '../vfs';
import { resolvePath } from '../vfs';

export class TestSyntaxError extends Error {}

const UNARY = new Set(['-n', '-z', '-e', '-f', '-d', '-s', '-r', '-w', '-x', '-L', '-h', '-b', '-c', '-p', '-S', '-t', '-g', '-u', '-k', '-O', '-G']);
const BINARY = new Set(['=', '==', '!=', '<', '>', '-eq', '-ne', '-lt', '-le', '-gt', '-ge', '-nt', '-ot', '-ef']);

/** Returns 0 (true), 1 (false); throws TestSyntaxError (status 2). */
export function evalTest(args: string[], fs: FileSystem, cwd: string): number {
  const p = new TestParser(args, fs, cwd);
  if (!args.length) return 1;
  const v = p.expr();
  if (p.pos < args.length) throw new TestSyntaxError(`${args[p.pos]}: unknown operand`);
  return v ? 0 : 1;
}

class TestParser {
  pos = 0;
  constructor(
    private a: string[],
    private fs: FileSystem,
    private cwd: string,
  ) {}

  expr(): boolean {
    let v = this.and();
    while (this.a[this.pos] === '-o') {
      this.pos++;
      v = this.and() || v;
    }
    return v;
  }
  and(): boolean {
    let v = this.not();
    while (this.a[this.pos] === '-a') {
      this.pos++;
      v = this.not() && v;
    }
    return v;
  }
  not(): boolean {
    const rest = this.a.length - this.pos;
    if (this.a[this.pos] === '!' && rest > 1) {
      this.pos++;
      return !this.not();
    }
    return this.primary();
  }
  primary(): boolean {
    const a = this.a;
    const t = a[this.pos];
    if (t === undefined) throw new TestSyntaxError('argument expected');
    if (t === '(' && a.length - this.pos > 2) {
      this.pos++;
      const v = this.expr();
      if (a[this.pos] !== ')') throw new TestSyntaxError(`')' expected`);
      this.pos++;
      return v;
    }
    if (a[this.pos + 1] !== undefined && BINARY.has(a[this.pos + 1]!) && a[this.pos + 2] !== undefined) {
      const l = t;
      const op = a[this.pos + 1]!;
      const r = a[this.pos + 2]!;
      this.pos += 3;
      return this.binary(l, op, r);
    }
    if (UNARY.has(t) && a[this.pos + 1] !== undefined) {
      this.pos += 2;
      return this.unary(t, a[this.pos - 1]!);
    }
    this.pos++;
    return t !== '';
  }
  unary(op: string, arg: string): boolean {
    if (op === '-n') return arg !== '';
    if (op === '-z') return arg === '';
    if (op === '-t') return false;
    const st = this.fs.stat(resolvePath(this.cwd, arg));
    if (arg === '') return false;
    switch (op) {
      case '-e':
        return !!st;
      case '-f':
        return st?.kind === 'file' && !st.device;
      case '-c':
        return !!st?.device;
      case '-d':
        return st?.kind === 'dir';
      case '-s':
        return !!st && st.size > 0;
      case '-r':
      case '-w':
        return !!st;
      case '-x':
        return !!st && (st.kind === 'dir' || (st.mode & 0o111) !== 0);
      default:
        return false;
    }
  }
  binary(l: string, op: string, r: string): boolean {
    switch (op) {
      case '=':
      case '==':
        return l === r;
      case '!=':
        return l !== r;
      case '<':
        return l < r;
      case '>':
        return l > r;
    }
    const x = int(l);
    const y = int(r);
    switch (op) {
      case '-eq':
        return x === y;
      case '-ne':
        return x !== y;
      case '-lt':
        return x < y;
      case '-le':
        return x <= y;
      case '-gt':
        return x > y;
      case '-ge':
        return x >= y;
    }
    return false;
  }
}

function int(s: string): number {
  const t = s.trim();
  if (!/^[-+]?\d+$/.test(t)) throw new TestSyntaxError(`${s}: bad number`);
  return Number(t);
}
