/** Recursive-descent parser for the POSIX shell grammar (the parts containers use). */
import type { AndOr, Case, Command, Compound, Cond, For, Group, If, List, Loop, Pipeline, Redir, Simple } from './ast';
import { lex, ShellSyntaxError, type HereDoc, type Token } from './lexer';

const RESERVED = new Set(['if', 'then', 'elif', 'else', 'fi', 'while', 'until', 'do', 'done', 'for', 'in', 'case', 'esac', '{', '}', '!']);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ASSIGN = /^[A-Za-z_][A-Za-z0-9_]*=/;

const cache = new Map<string, List>();

/**
 * Parses a script; trees are immutable, so the same script (every replica's command) parses once.
 * `doubleBracket`: `[[ … ]]` is syntax (bash, busybox ash), not a command (dash).
 */
export function parse(src: string, opts: { doubleBracket?: boolean } = {}): List {
  const key = (opts.doubleBracket ? 'b' : 'p') + src;
  const hit = cache.get(key);
  if (hit) return hit;
  const list = new Parser(src, opts.doubleBracket ?? false).program();
  if (src.length < 4096) {
    if (cache.size >= 500) cache.delete(cache.keys().next().value!);
    cache.set(key, list);
  }
  return list;
}

class Parser {
  private toks: Token[];
  private pos = 0;
  private heredocs: HereDoc[];
  private heredocIndex = 0;

  constructor(
    src: string,
    private readonly doubleBracket: boolean,
  ) {
    const r = lex(src);
    this.toks = r.tokens;
    this.heredocs = r.heredocs;
  }

  private peek(): Token {
    return this.toks[this.pos]!;
  }
  private next(): Token {
    return this.toks[this.pos++]!;
  }
  private isWord(w: string): boolean {
    const t = this.peek();
    return t.t === 'word' && t.raw === w;
  }
  private isOp(op: string): boolean {
    const t = this.peek();
    return t.t === 'op' && t.op === op;
  }
  private fail(expecting?: string): never {
    const t = this.peek();
    throw new ShellSyntaxError(t.t === 'eof' ? undefined : t.t === 'word' ? t.raw : t.t === 'op' ? t.op : t.t === 'nl' ? 'newline' : String(t.fd), expecting);
  }
  private expectWord(w: string): void {
    if (!this.isWord(w)) this.fail(w);
    this.pos++;
  }
  private skipNewlines(): void {
    while (this.peek().t === 'nl') this.pos++;
  }

  program(): List {
    this.skipNewlines();
    const list = this.list([]);
    this.skipNewlines();
    if (this.peek().t !== 'eof') this.fail();
    return list;
  }

  /** A compound list, up to one of the `terminators` (reserved words) or `)` / `;;` / eof. */
  private list(terminators: string[]): List {
    const list: List = { t: 'list', items: [] };
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (t.t === 'eof') break;
      if (t.t === 'op' && (t.op === ')' || t.op === ';;')) break;
      if (t.t === 'word' && terminators.includes(t.raw)) break;
      const node = this.andOr();
      let background = false;
      if (this.isOp('&')) {
        background = true;
        this.pos++;
      } else if (this.isOp(';')) this.pos++;
      else if (this.peek().t !== 'nl') {
        list.items.push({ node, background });
        break;
      }
      list.items.push({ node, background });
    }
    return list;
  }

  private andOr(): AndOr {
    const first = this.pipeline();
    const rest: AndOr['rest'] = [];
    while (this.isOp('&&') || this.isOp('||')) {
      const op = (this.next() as { op: '&&' | '||' }).op;
      this.skipNewlines();
      rest.push({ op, pipeline: this.pipeline() });
    }
    return { t: 'andor', first, rest };
  }

  private pipeline(): Pipeline {
    let negate = false;
    if (this.isWord('!')) {
      negate = true;
      this.pos++;
    }
    const commands = [this.command()];
    while (this.isOp('|')) {
      this.pos++;
      this.skipNewlines();
      commands.push(this.command());
    }
    return { t: 'pipeline', negate, commands };
  }

  private command(): Command {
    const t = this.peek();
    if (t.t === 'op' && t.op === '(') {
      this.pos++;
      const body = this.list([]);
      if (!this.isOp(')')) this.fail(')');
      this.pos++;
      return this.withRedirs<Group>({ t: 'subshell', body, redirs: [] });
    }
    if (t.t === 'word') {
      switch (t.raw) {
        case '{': {
          this.pos++;
          const body = this.list(['}']);
          this.expectWord('}');
          return this.withRedirs<Group>({ t: 'group', body, redirs: [] });
        }
        case 'if':
          return this.withRedirs(this.ifClause());
        case 'while':
        case 'until':
          return this.withRedirs(this.loop());
        case 'for':
          return this.withRedirs(this.forClause());
        case 'case':
          return this.withRedirs(this.caseClause());
        case '[[':
          if (this.doubleBracket) return this.withRedirs(this.condClause());
          break;
        default:
          if (RESERVED.has(t.raw) && t.raw !== '!') this.fail();
      }
      const after = this.toks[this.pos + 1];
      const after2 = this.toks[this.pos + 2];
      if (NAME.test(t.raw) && after?.t === 'op' && after.op === '(' && after2?.t === 'op' && after2.op === ')') {
        this.pos += 3;
        this.skipNewlines();
        const body = this.command();
        if (body.t === 'simple' || body.t === 'func') this.fail();
        return { t: 'func', name: t.raw, body };
      }
    }
    return this.simple();
  }

  private withRedirs<T extends Compound>(node: T): T {
    for (;;) {
      const r = this.redirect();
      if (!r) return node;
      node.redirs.push(r);
    }
  }

  private redirect(): Redir | undefined {
    let fd: number | undefined;
    const t = this.peek();
    if (t.t === 'io') {
      fd = t.fd;
      this.pos++;
    }
    const o = this.peek();
    if (o.t !== 'op' || !['>', '>>', '<', '>&', '<&', '<<', '<<-', '>|', '<>'].includes(o.op)) {
      if (fd !== undefined) this.fail();
      return undefined;
    }
    this.pos++;
    const w = this.next();
    if (w.t !== 'word') {
      this.pos--;
      this.fail();
    }
    const op = o.op as Redir['op'];
    const r: Redir = { fd: fd ?? (op.startsWith('<') ? 0 : 1), op, target: w.raw };
    if (op === '<<' || op === '<<-') r.heredoc = this.heredocs[this.heredocIndex++];
    return r;
  }

  private simple(): Simple {
    const node: Simple = { t: 'simple', assigns: [], words: [], redirs: [] };
    for (;;) {
      const r = this.redirect();
      if (r) {
        node.redirs.push(r);
        continue;
      }
      const t = this.peek();
      if (t.t !== 'word') break;
      node.line ??= t.line;
      if (node.words.length === 0 && ASSIGN.test(t.raw)) node.assigns.push(t.raw);
      else node.words.push(t.raw);
      this.pos++;
    }
    if (!node.words.length && !node.assigns.length && !node.redirs.length) this.fail();
    return node;
  }

  private condClause(): Cond {
    this.pos++;
    const node: Cond = { t: 'cond', items: [], redirs: [] };
    for (;;) {
      const t = this.next();
      if (t.t === 'eof' || t.t === 'nl') {
        this.pos--;
        this.fail(']]');
      }
      if (t.t === 'word' && t.raw === ']]') break;
      if (t.t === 'word') node.items.push({ word: t.raw });
      else if (t.t === 'op') node.items.push({ op: t.op });
      else if (t.t === 'io') node.items.push({ word: String(t.fd) });
    }
    if (!node.items.length) this.fail();
    return node;
  }

  private ifClause(): If {
    this.expectWord('if');
    const node: If = { t: 'if', clauses: [], redirs: [] };
    const cond = this.list(['then']);
    this.expectWord('then');
    node.clauses.push({ cond, body: this.nonEmpty(this.list(['elif', 'else', 'fi'])) });
    for (;;) {
      if (this.isWord('elif')) {
        this.pos++;
        const c = this.list(['then']);
        this.expectWord('then');
        node.clauses.push({ cond: c, body: this.nonEmpty(this.list(['elif', 'else', 'fi'])) });
      } else if (this.isWord('else')) {
        this.pos++;
        node.otherwise = this.nonEmpty(this.list(['fi']));
      } else break;
    }
    this.expectWord('fi');
    return node;
  }

  private nonEmpty(l: List): List {
    if (!l.items.length) this.fail();
    return l;
  }

  private doGroup(): List {
    this.skipNewlines();
    this.expectWord('do');
    const body = this.nonEmpty(this.list(['done']));
    this.expectWord('done');
    return body;
  }

  private loop(): Loop {
    const until = (this.next() as { raw: string }).raw === 'until';
    const cond = this.list(['do']);
    return { t: 'loop', until, cond, body: this.doGroup(), redirs: [] };
  }

  private forClause(): For {
    this.pos++;
    const name = this.next();
    if (name.t !== 'word' || !NAME.test(name.raw)) {
      this.pos--;
      this.fail();
    }
    let items: string[] | undefined;
    this.skipNewlines();
    if (this.isWord('in')) {
      this.pos++;
      items = [];
      while (this.peek().t === 'word') items.push((this.next() as { raw: string }).raw);
      if (this.isOp(';')) this.pos++;
    } else if (this.isOp(';')) this.pos++;
    return { t: 'for', name: name.raw, items, body: this.doGroup(), redirs: [] };
  }

  private caseClause(): Case {
    this.pos++;
    const w = this.next();
    if (w.t !== 'word') {
      this.pos--;
      this.fail();
    }
    this.skipNewlines();
    this.expectWord('in');
    const node: Case = { t: 'case', word: w.raw, arms: [], redirs: [] };
    for (;;) {
      this.skipNewlines();
      if (this.isWord('esac')) break;
      if (this.isOp('(')) this.pos++;
      const patterns: string[] = [];
      for (;;) {
        const p = this.next();
        if (p.t !== 'word') {
          this.pos--;
          this.fail();
        }
        patterns.push(p.raw);
        if (this.isOp('|')) {
          this.pos++;
          continue;
        }
        break;
      }
      if (!this.isOp(')')) this.fail(')');
      this.pos++;
      const body = this.list(['esac']);
      node.arms.push({ patterns, body });
      if (this.isOp(';;')) {
        this.pos++;
        continue;
      }
      this.skipNewlines();
      if (!this.isWord('esac')) this.fail('esac');
    }
    this.expectWord('esac');
    return node;
  }
}
