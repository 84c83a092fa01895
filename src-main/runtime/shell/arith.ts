/**
 * Shell arithmetic (`$((…))`): C integer expressions with variables, assignment operators,
 * ++/--, comparisons, logic, bit operations and `?:`. Division by zero is an error as upstream.
 */

export interface ArithVars {
  get(name: string): string | undefined;
  set(name: string, value: string): void;
}

export class ArithError extends Error {}

const TOKEN = /\s*(0[xX][0-9a-fA-F]+|\d+|[A-Za-z_][A-Za-z0-9_]*|\*\*=?|<<=|>>=|\+\+|--|&&|\|\||[<>=!]=|<<|>>|[-+*/%&|^]=|[-+*/%<>&|^!~?:=(),])/y;

export function evalArith(src: string, vars: ArithVars): number {
  const toks: string[] = [];
  TOKEN.lastIndex = 0;
  let i = 0;
  while (i < src.length) {
    if (/^\s*$/.test(src.slice(i))) break;
    TOKEN.lastIndex = i;
    const m = TOKEN.exec(src);
    if (!m) throw new ArithError(`arithmetic syntax error`);
    toks.push(m[1]!);
    i = TOKEN.lastIndex;
  }
  if (!toks.length) return 0;
  const p = new ArithParser(toks, vars);
  const v = p.comma();
  if (p.pos < toks.length) throw new ArithError('arithmetic syntax error');
  return v;
}

type Ref = { name?: string; value: number };

class ArithParser {
  pos = 0;
  constructor(
    private toks: string[],
    private vars: ArithVars,
  ) {}

  private peek(): string | undefined {
    return this.toks[this.pos];
  }
  private eat(t: string): boolean {
    if (this.toks[this.pos] === t) {
      this.pos++;
      return true;
    }
    return false;
  }

  private read(name: string): number {
    const raw = this.vars.get(name);
    if (raw === undefined || raw.trim() === '') return 0;
    const t = raw.trim();
    if (/^-?\d+$/.test(t)) return Number(t);
    if (/^0[xX][0-9a-fA-F]+$/.test(t)) return Number(t);
    if (/^[A-Za-z_]\w*$/.test(t)) return this.read(t);
    throw new ArithError(`arithmetic syntax error`);
  }

  comma(): number {
    let v = this.assign();
    while (this.eat(',')) v = this.assign();
    return v;
  }

  assign(): number {
    const t = this.peek();
    const op = this.toks[this.pos + 1];
    if (t && /^[A-Za-z_]/.test(t) && op && /^([-+*/%&|^]|\*\*|<<|>>)?=$/.test(op) && op !== '==') {
      this.pos += 2;
      const rhs = this.assign();
      const cur = op === '=' ? 0 : this.read(t);
      const v = op === '=' ? rhs : binary(op.slice(0, -1), cur, rhs);
      this.vars.set(t, String(v));
      return v;
    }
    return this.ternary();
  }

  ternary(): number {
    const c = this.binaryLevel(0);
    if (this.eat('?')) {
      const a = this.assign();
      if (!this.eat(':')) throw new ArithError('arithmetic syntax error');
      const b = this.assign();
      return c ? a : b;
    }
    return c;
  }

  private static LEVELS = [['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '>', '<=', '>='], ['<<', '>>'], ['+', '-'], ['*', '/', '%']];

  binaryLevel(level: number): number {
    if (level >= ArithParser.LEVELS.length) return this.power();
    let v = this.binaryLevel(level + 1);
    for (;;) {
      const op = this.peek();
      if (!op || !ArithParser.LEVELS[level]!.includes(op)) return v;
      this.pos++;
      const r = this.binaryLevel(level + 1);
      v = binary(op, v, r);
    }
  }

  power(): number {
    const b = this.unary();
    if (this.eat('**')) return binary('**', b, this.power());
    return b;
  }

  unary(): number {
    const t = this.peek();
    if (t === '-' || t === '+' || t === '!' || t === '~') {
      this.pos++;
      const v = this.unary();
      return t === '-' ? -v : t === '+' ? v : t === '!' ? Number(!v) : ~v;
    }
    if (t === '++' || t === '--') {
      this.pos++;
      const name = this.peek();
      if (!name || !/^[A-Za-z_]/.test(name)) throw new ArithError('arithmetic syntax error');
      this.pos++;
      const v = this.read(name) + (t === '++' ? 1 : -1);
      this.vars.set(name, String(v));
      return v;
    }
    return this.postfix();
  }

  postfix(): number {
    const r = this.primary();
    const t = this.peek();
    if (r.name && (t === '++' || t === '--')) {
      this.pos++;
      this.vars.set(r.name, String(r.value + (t === '++' ? 1 : -1)));
    }
    return r.value;
  }

  primary(): Ref {
    const t = this.toks[this.pos++];
    if (t === undefined) throw new ArithError('arithmetic syntax error');
    if (t === '(') {
      const v = this.comma();
      if (!this.eat(')')) throw new ArithError('arithmetic syntax error');
      return { value: v };
    }
    if (/^\d/.test(t)) {
      if (/^0\d+$/.test(t)) return { value: parseInt(t, 8) };
      return { value: Number(t) };
    }
    if (/^[A-Za-z_]/.test(t)) return { name: t, value: this.read(t) };
    throw new ArithError('arithmetic syntax error');
  }
}

function binary(op: string, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      if (b === 0) throw new ArithError('divide by zero');
      return Math.trunc(a / b);
    case '%':
      if (b === 0) throw new ArithError('divide by zero');
      return a % b;
    case '**':
      return a ** b;
    case '<<':
      return a << b;
    case '>>':
      return a >> b;
    case '&':
      return a & b;
    case '|':
      return a | b;
    case '^':
      return a ^ b;
    case '==':
      return Number(a === b);
    case '!=':
      return Number(a !== b);
    case '<':
      return Number(a < b);
    case '>':
      return Number(a > b);
    case '<=':
      return Number(a <= b);
    case '>=':
      return Number(a >= b);
    case '&&':
      return Number(Boolean(a) && Boolean(b));
    case '||':
      return Number(Boolean(a) || Boolean(b));
  }
  throw new ArithError('arithmetic syntax error');
}
