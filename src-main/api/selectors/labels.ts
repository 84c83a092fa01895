/**
 * Label selectors as k8s.io/apimachinery/pkg/labels parses and matches them:
 *
 *   <selector>    ::= <requirement> | <requirement> "," <selector>
 *   <requirement> ::= [!] KEY [ ("in" | "notin") "(" VALUES ")" | ("=" | "==" | "!=" | ">" | "<") VALUE ]
 *
 * plus metav1.LabelSelector objects (matchLabels / matchExpressions). Parse errors are 400
 * BadRequest StatusErrors carrying upstream's wording (`unable to parse requirement: ...`,
 * `found '(', expected: ...`), which is what the API server answers for a bad `labelSelector`.
 *
 * Imports: api/errors, api/types and the name/value syntax checks in api/core/validation only.
 */
import { badRequest } from '../errors';
import { isObject } from '../types';
import { isQualifiedName, isValidLabelValue } from '../core/validation/names';

/** selection.Operator values, spelled as upstream. */
export type LabelOperator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  /** For parsed selectors: sorted, without duplicates (as upstream's string sets). */
  readonly values: readonly string[];
}

export type Labels = Readonly<Record<string, string>> | undefined | null;

/** A parsed label selector. Immutable. */
export interface LabelSelector {
  readonly requirements: readonly LabelRequirement[];
  /** True for the selector that selects nothing (a nil metav1.LabelSelector). */
  readonly matchesNothing: boolean;
  matches(labels: Labels): boolean;
  /** Does not restrict anything (no requirements, not the "nothing" selector). */
  empty(): boolean;
  /** Upstream's String(): `app=nginx,tier in (a,b)`; "" for everything and nothing. */
  toString(): string;
  /** The single value `key` must have (`=`, `==`, or `in` with one value), if any. */
  requiresExactMatch(key: string): string | undefined;
  /** A selector with more requirements (sorted by key, as upstream's Add). */
  add(...reqs: LabelRequirement[]): LabelSelector;
}

/** The "In"/"NotIn"/"Exists"/"DoesNotExist" of metav1.LabelSelectorRequirement. */
export interface LabelSelectorRequirementObject {
  key: string;
  operator: string;
  values?: string[];
}

/** metav1.LabelSelector as it appears in specs. */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirementObject[];
}

// ---------------------------------------------------------------------------------------------
// Requirements

const BINARY_OPERATORS: LabelOperator[] = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];
const UNARY_OPERATORS: LabelOperator[] = ['exists', '!'];

/** A Go `%#v`-ish rendering of a string slice, as field.Invalid prints non-string bad values. */
function goStringSlice(vals: readonly string[]): string {
  return `[]string{${vals.map((v) => JSON.stringify(v)).join(', ')}}`;
}

function invalid(field: string, badValue: string, detail: string): string {
  return `${field}: Invalid value: ${badValue}: ${detail}`;
}

/** Go's errors aggregate: one message alone, several as `[a, b]` (duplicates dropped). */
function aggregate(msgs: string[]): string {
  const uniq = [...new Set(msgs)];
  return uniq.length === 1 ? uniq[0] : `[${uniq.join(', ')}]`;
}

/** Label key errors (IsQualifiedName) at `field`, as labels.validateLabelKey words them. */
function labelKeyError(key: string, field: string): string | undefined {
  const errs = isQualifiedName(key);
  return errs.length ? invalid(field, JSON.stringify(key), errs.join('; ')) : undefined;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** strconv.ParseInt(s, 10, 64), or undefined when Go would fail. */
function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n < INT64_MIN || n > INT64_MAX ? undefined : n;
}

/**
 * labels.NewRequirement: validates key, operator, value count and value syntax. Returns the
 * requirement or the aggregated error text. `keyField` is the path used for key errors.
 */
function newRequirement(key: string, op: string, vals: string[], keyField = 'key'): { req?: LabelRequirement; error?: string } {
  const errs: string[] = [];
  const keyErr = labelKeyError(key, keyField);
  if (keyErr) errs.push(keyErr);
  switch (op) {
    case 'in':
    case 'notin':
      if (vals.length === 0) errs.push(invalid('values', goStringSlice(vals), "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=':
    case '==':
    case '!=':
      if (vals.length !== 1) errs.push(invalid('values', goStringSlice(vals), 'exact-match compatibility requires one single value'));
      break;
    case 'exists':
    case '!':
      if (vals.length !== 0) errs.push(invalid('values', goStringSlice(vals), 'values set must be empty for exists and does not exist'));
      break;
    case 'gt':
    case 'lt':
      if (vals.length !== 1) errs.push(invalid('values', goStringSlice(vals), "for 'Gt', 'Lt' operators, exactly one value is required"));
      vals.forEach((v, i) => {
        if (parseInt64(v) === undefined) errs.push(invalid(`values[${i}]`, JSON.stringify(v), "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
    default: {
      const sup = [...BINARY_OPERATORS, ...UNARY_OPERATORS].map((o) => JSON.stringify(o)).join(', ');
      errs.push(`operator: Unsupported value: ${JSON.stringify(op)}: supported values: ${sup}`);
    }
  }
  vals.forEach((v, i) => {
    const e = isValidLabelValue(v);
    if (e.length) errs.push(invalid(`values[${i}][${key}]`, JSON.stringify(v), e.join('; ')));
  });
  if (errs.length) return { error: aggregate(errs) };
  return { req: { key, operator: op as LabelOperator, values: vals } };
}

/**
 * Builds one requirement, validated as upstream's NewRequirement. Throws a 400 StatusError with
 * the field-error text (`key: Invalid value: ...`) when it is not valid.
 */
export function labelRequirement(key: string, operator: LabelOperator, values: string[] = []): LabelRequirement {
  const r = newRequirement(key, operator, [...values]);
  if (r.error !== undefined) throw badRequest(r.error);
  return r.req!;
}

function has(labels: Labels, key: string): boolean {
  return !!labels && Object.prototype.hasOwnProperty.call(labels, key);
}

/** Requirement.Matches. */
export function requirementMatches(r: LabelRequirement, labels: Labels): boolean {
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has(labels, r.key) && r.values.includes(labels![r.key]);
    case 'notin':
    case '!=':
      return !has(labels, r.key) || !r.values.includes(labels![r.key]);
    case 'exists':
      return has(labels, r.key);
    case '!':
      return !has(labels, r.key);
    case 'gt':
    case 'lt': {
      if (!has(labels, r.key)) return false;
      const lv = parseInt64(labels![r.key]);
      if (lv === undefined || r.values.length !== 1) return false;
      const rv = parseInt64(r.values[0]);
      if (rv === undefined) return false;
      return r.operator === 'gt' ? lv > rv : lv < rv;
    }
    default:
      return false;
  }
}

/** Requirement.String: `!a`, `a`, `a=b`, `a in (x,y)`; several values are printed sorted. */
export function requirementToString(r: LabelRequirement): string {
  let s = r.operator === '!' ? `!${r.key}` : r.key;
  switch (r.operator) {
    case 'exists':
    case '!':
      return s;
    case '=':
    case '==':
    case '!=':
      s += r.operator;
      break;
    case 'in':
      s += ' in ';
      break;
    case 'notin':
      s += ' notin ';
      break;
    case 'gt':
      s += '>';
      break;
    case 'lt':
      s += '<';
      break;
  }
  const vals = r.values.length === 1 ? r.values[0] : [...r.values].sort().join(',');
  return r.operator === 'in' || r.operator === 'notin' ? `${s}(${vals})` : s + vals;
}

// ---------------------------------------------------------------------------------------------
// Selectors

function sortByKey(reqs: LabelRequirement[]): LabelRequirement[] {
  // Array.prototype.sort is stable: requirements with the same key keep their order.
  return reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

class RequirementsSelector implements LabelSelector {
  readonly matchesNothing = false;
  readonly requirements: readonly LabelRequirement[];
  constructor(reqs: LabelRequirement[]) {
    this.requirements = Object.freeze(reqs);
  }
  matches(labels: Labels): boolean {
    for (const r of this.requirements) if (!requirementMatches(r, labels)) return false;
    return true;
  }
  empty(): boolean {
    return this.requirements.length === 0;
  }
  toString(): string {
    return this.requirements.map(requirementToString).join(',');
  }
  requiresExactMatch(key: string): string | undefined {
    for (const r of this.requirements) {
      if (r.key !== key) continue;
      if ((r.operator === '=' || r.operator === '==' || r.operator === 'in') && r.values.length === 1) return r.values[0];
      return undefined;
    }
    return undefined;
  }
  add(...reqs: LabelRequirement[]): LabelSelector {
    return new RequirementsSelector(sortByKey([...this.requirements, ...reqs]));
  }
}

class NothingSelector implements LabelSelector {
  readonly matchesNothing = true;
  readonly requirements: readonly LabelRequirement[] = Object.freeze([]);
  matches(): boolean {
    return false;
  }
  empty(): boolean {
    return false;
  }
  toString(): string {
    return '';
  }
  requiresExactMatch(): string | undefined {
    return undefined;
  }
  add(): LabelSelector {
    return this;
  }
}

const EVERYTHING: LabelSelector = new RequirementsSelector([]);
const NOTHING: LabelSelector = new NothingSelector();

/** labels.Everything(): selects every object. */
export function everythingLabelSelector(): LabelSelector {
  return EVERYTHING;
}

/** labels.Nothing(): selects no object (what a nil metav1.LabelSelector means). */
export function nothingLabelSelector(): LabelSelector {
  return NOTHING;
}

/** labels.SelectorFromSet: `k=v` for every entry, no validation; empty/undefined → everything. */
export function labelSelectorFromSet(set: Labels): LabelSelector {
  if (!set) return EVERYTHING;
  const reqs = Object.entries(set).map(([k, v]): LabelRequirement => ({ key: k, operator: '=', values: [v] }));
  return reqs.length ? new RequirementsSelector(sortByKey(reqs)) : EVERYTHING;
}

// ---------------------------------------------------------------------------------------------
// Lexer and parser (labels.Lexer / labels.Parser)

const enum Tok {
  Error,
  EndOfString,
  ClosedPar,
  Comma,
  DoesNotExist,
  DoubleEquals,
  Equals,
  GreaterThan,
  Identifier,
  In,
  LessThan,
  NotEquals,
  NotIn,
  OpenPar,
}

const STRING_TO_TOKEN: Record<string, Tok> = {
  ')': Tok.ClosedPar,
  ',': Tok.Comma,
  '!': Tok.DoesNotExist,
  '==': Tok.DoubleEquals,
  '=': Tok.Equals,
  '>': Tok.GreaterThan,
  in: Tok.In,
  '<': Tok.LessThan,
  '!=': Tok.NotEquals,
  notin: Tok.NotIn,
  '(': Tok.OpenPar,
};

function tokenOf(s: string): Tok | undefined {
  return Object.prototype.hasOwnProperty.call(STRING_TO_TOKEN, s) ? STRING_TO_TOKEN[s] : undefined;
}

interface Item {
  tok: Tok;
  lit: string;
}

const isWhitespace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecialSymbol = (ch: string): boolean => ch === '=' || ch === '!' || ch === '(' || ch === ')' || ch === ',' || ch === '>' || ch === '<';
const EOS = '\0';

class Lexer {
  private pos = 0;
  constructor(private readonly s: string) {}

  private read(): string {
    // Past the end: 0 without moving (a NUL in the input ends it too, as upstream).
    if (this.pos < this.s.length) return this.s[this.pos++];
    return EOS;
  }
  private unread(): void {
    this.pos--;
  }

  private scanIdOrKeyword(): Item {
    let buf = '';
    for (;;) {
      const ch = this.read();
      if (ch === EOS) break;
      if (isSpecialSymbol(ch) || isWhitespace(ch)) {
        this.unread();
        break;
      }
      buf += ch;
    }
    const t = tokenOf(buf);
    return t !== undefined ? { tok: t, lit: buf } : { tok: Tok.Identifier, lit: buf };
  }

  private scanSpecialSymbol(): Item {
    let last: Item | undefined;
    let buf = '';
    for (;;) {
      const ch = this.read();
      if (ch === EOS) break;
      if (isSpecialSymbol(ch)) {
        buf += ch;
        const t = tokenOf(buf);
        if (t !== undefined) last = { tok: t, lit: buf };
        else if (last) {
          this.unread();
          break;
        }
      } else {
        this.unread();
        break;
      }
    }
    if (!last) return { tok: Tok.Error, lit: `error expected: keyword found '${buf}'` };
    return last;
  }

  lex(): Item {
    let ch = this.read();
    while (isWhitespace(ch)) ch = this.read();
    if (ch === EOS) return { tok: Tok.EndOfString, lit: '' };
    this.unread();
    return isSpecialSymbol(ch) ? this.scanSpecialSymbol() : this.scanIdOrKeyword();
  }
}

const enum Ctx {
  KeyAndOperator,
  Values,
}

class ParseError extends Error {}

class Parser {
  private items: Item[] = [];
  private position = 0;
  constructor(private readonly lexer: Lexer) {}

  private adjust(it: Item, ctx: Ctx): Item {
    if (ctx === Ctx.Values && (it.tok === Tok.In || it.tok === Tok.NotIn)) return { tok: Tok.Identifier, lit: it.lit };
    return it;
  }
  private lookahead(ctx: Ctx): Item {
    return this.adjust(this.items[this.position], ctx);
  }
  private consume(ctx: Ctx): Item {
    return this.adjust(this.items[this.position++], ctx);
  }
  private scan(): void {
    for (;;) {
      const it = this.lexer.lex();
      this.items.push(it);
      if (it.tok === Tok.EndOfString) break;
    }
  }

  parse(): LabelRequirement[] {
    this.scan();
    const reqs: LabelRequirement[] = [];
    for (;;) {
      const { tok, lit } = this.lookahead(Ctx.Values);
      switch (tok) {
        case Tok.Identifier:
        case Tok.DoesNotExist: {
          let r: LabelRequirement;
          try {
            r = this.parseRequirement();
          } catch (e) {
            if (e instanceof ParseError) throw new ParseError(`unable to parse requirement: ${e.message}`);
            throw e;
          }
          reqs.push(r);
          const t = this.consume(Ctx.Values);
          if (t.tok === Tok.EndOfString) return reqs;
          if (t.tok === Tok.Comma) {
            const t2 = this.lookahead(Ctx.Values);
            if (t2.tok !== Tok.Identifier && t2.tok !== Tok.DoesNotExist) throw new ParseError(`found '${t2.lit}', expected: identifier after ','`);
            break;
          }
          throw new ParseError(`found '${t.lit}', expected: ',' or 'end of string'`);
        }
        case Tok.EndOfString:
          return reqs;
        default:
          throw new ParseError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      }
    }
  }

  private parseRequirement(): LabelRequirement {
    const { key, operator } = this.parseKeyAndInferOperator();
    let op = operator;
    let values: string[] = [];
    if (op !== 'exists' && op !== '!') {
      op = this.parseOperator();
      values = op === 'in' || op === 'notin' ? this.parseValues() : this.parseExactValue();
    }
    // sets.String.List(): sorted, unique.
    const sorted = [...new Set(values)].sort();
    const r = newRequirement(key, op, sorted);
    if (r.error !== undefined) throw new ParseError(r.error);
    return r.req!;
  }

  private parseKeyAndInferOperator(): { key: string; operator: LabelOperator | undefined } {
    let operator: LabelOperator | undefined;
    let it = this.consume(Ctx.Values);
    if (it.tok === Tok.DoesNotExist) {
      operator = '!';
      it = this.consume(Ctx.Values);
    }
    if (it.tok !== Tok.Identifier) throw new ParseError(`found '${it.lit}', expected: identifier`);
    // The parser's own path is nil, which field errors print as "<nil>".
    const keyErr = labelKeyError(it.lit, '<nil>');
    if (keyErr) throw new ParseError(keyErr);
    const next = this.lookahead(Ctx.Values).tok;
    if ((next === Tok.EndOfString || next === Tok.Comma) && operator !== '!') operator = 'exists';
    return { key: it.lit, operator };
  }

  private parseOperator(): LabelOperator {
    const { tok, lit } = this.consume(Ctx.KeyAndOperator);
    switch (tok) {
      case Tok.In:
        return 'in';
      case Tok.Equals:
        return '=';
      case Tok.DoubleEquals:
        return '==';
      case Tok.GreaterThan:
        return 'gt';
      case Tok.LessThan:
        return 'lt';
      case Tok.NotIn:
        return 'notin';
      case Tok.NotEquals:
        return '!=';
      default:
        throw new ParseError(`found '${lit}', expected: ${BINARY_OPERATORS.join(', ')}`);
    }
  }

  private parseValues(): string[] {
    const open = this.consume(Ctx.Values);
    if (open.tok !== Tok.OpenPar) throw new ParseError(`found '${open.lit}' expected: '('`);
    const { tok, lit } = this.lookahead(Ctx.Values);
    switch (tok) {
      case Tok.Identifier:
      case Tok.Comma: {
        const s = this.parseIdentifiersList();
        if (this.consume(Ctx.Values).tok !== Tok.ClosedPar) throw new ParseError(`found '${lit}', expected: ')'`);
        return s;
      }
      case Tok.ClosedPar:
        this.consume(Ctx.Values);
        return [''];
      default:
        throw new ParseError(`found '${lit}', expected: ',', ')' or identifier`);
    }
  }

  private parseIdentifiersList(): string[] {
    const s = new Set<string>();
    for (;;) {
      const { tok, lit } = this.consume(Ctx.Values);
      switch (tok) {
        case Tok.Identifier: {
          s.add(lit);
          const t2 = this.lookahead(Ctx.Values);
          if (t2.tok === Tok.Comma) continue;
          if (t2.tok === Tok.ClosedPar) return [...s];
          throw new ParseError(`found '${t2.lit}', expected: ',' or ')'`);
        }
        case Tok.Comma: {
          if (s.size === 0) s.add('');
          const t2 = this.lookahead(Ctx.Values).tok;
          if (t2 === Tok.ClosedPar) {
            s.add('');
            return [...s];
          }
          if (t2 === Tok.Comma) s.add('');
          continue;
        }
        default:
          throw new ParseError(`found '${lit}', expected: ',', or identifier`);
      }
    }
  }

  private parseExactValue(): string[] {
    const t = this.lookahead(Ctx.Values).tok;
    if (t === Tok.EndOfString || t === Tok.Comma) return [''];
    const it = this.consume(Ctx.Values);
    if (it.tok === Tok.Identifier) return [it.lit];
    throw new ParseError(`found '${it.lit}', expected: identifier`);
  }
}

/** The parse error text for `selector`, or undefined when it parses. */
export function labelSelectorError(selector: string): string | undefined {
  try {
    new Parser(new Lexer(selector)).parse();
    return undefined;
  } catch (e) {
    if (e instanceof ParseError) return e.message;
    throw e;
  }
}

/**
 * labels.Parse: parses a selector string (`app=web,tier in (a,b),!canary`). An empty string
 * selects everything. Throws a 400 BadRequest StatusError with upstream's message on bad input.
 */
export function parseLabelSelector(selector: string): LabelSelector {
  let reqs: LabelRequirement[];
  try {
    reqs = new Parser(new Lexer(selector)).parse();
  } catch (e) {
    if (e instanceof ParseError) throw badRequest(e.message);
    throw e;
  }
  return reqs.length ? new RequirementsSelector(sortByKey(reqs)) : EVERYTHING;
}

// ---------------------------------------------------------------------------------------------
// metav1.LabelSelector

const EXPRESSION_OPERATORS: Record<string, LabelOperator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/**
 * metav1.LabelSelectorAsSelector: null/undefined selects nothing, `{}` selects everything.
 * Throws a 400 StatusError for an unknown operator (`"Foo" is not a valid label selector
 * operator`) or an invalid key/value.
 */
export function labelSelectorFromObject(sel: LabelSelectorObject | null | undefined | unknown): LabelSelector {
  if (sel === null || sel === undefined) return NOTHING;
  if (!isObject(sel)) throw badRequest('label selector must be an object');
  const matchLabels = isObject(sel.matchLabels) ? sel.matchLabels : {};
  const exprs = Array.isArray(sel.matchExpressions) ? sel.matchExpressions : [];
  if (Object.keys(matchLabels).length + exprs.length === 0) return EVERYTHING;
  const reqs: LabelRequirement[] = [];
  for (const [k, v] of Object.entries(matchLabels)) {
    const r = newRequirement(k, '=', [String(v)]);
    if (r.error !== undefined) throw badRequest(r.error);
    reqs.push(r.req!);
  }
  for (const e of exprs) {
    const expr = isObject(e) ? e : {};
    const opName = typeof expr.operator === 'string' ? expr.operator : '';
    const op = Object.prototype.hasOwnProperty.call(EXPRESSION_OPERATORS, opName) ? EXPRESSION_OPERATORS[opName] : undefined;
    if (!op) throw badRequest(`${JSON.stringify(opName)} is not a valid label selector operator`);
    const values = Array.isArray(expr.values) ? expr.values.map(String) : [];
    const r = newRequirement(String(expr.key ?? ''), op, values);
    if (r.error !== undefined) throw badRequest(r.error);
    reqs.push(r.req!);
  }
  return new RequirementsSelector(sortByKey(reqs));
}

/** The selector string of a metav1.LabelSelector (`app=nginx,tier in (a,b)`); "" for `{}` or null. */
export function labelSelectorObjectToString(sel: LabelSelectorObject | null | undefined | unknown): string {
  return labelSelectorFromObject(sel).toString();
}

/** metav1.FormatLabelSelector, as kubectl describe prints it: `<none>` when empty, `<error>` when invalid. */
export function formatLabelSelector(sel: LabelSelectorObject | null | undefined | unknown): string {
  let s: string;
  try {
    s = labelSelectorFromObject(sel).toString();
  } catch {
    return '<error>';
  }
  return s || '<none>';
}

/** Does a metav1.LabelSelector select these labels? Invalid selectors select nothing. */
export function labelSelectorObjectMatches(sel: LabelSelectorObject | null | undefined | unknown, labels: Labels): boolean {
  try {
    return labelSelectorFromObject(sel).matches(labels);
  } catch {
    return false;
  }
}

