/**
 * Shell tokenizer: words (kept raw, with their quotes, for expansion later), operators,
 * newlines, IO numbers, and here-document bodies (attached to their `<<` token).
 */

export type Token =
  | { t: 'word'; raw: string; line: number }
  | { t: 'op'; op: string }
  | { t: 'nl' }
  | { t: 'io'; fd: number }
  | { t: 'eof' };

export interface HereDoc {
  delim: string;
  strip: boolean;
  quoted: boolean;
  body: string;
}

export class ShellSyntaxError extends Error {
  /** `token` is the unexpected token's text; undefined means end of file. */
  constructor(
    readonly token: string | undefined,
    readonly expecting?: string,
  ) {
    super(token === undefined ? 'unexpected end of file' : `unexpected "${token}"`);
  }
}

const OPS = ['&&', '||', ';;', '<<-', '<<', '>>', '<&', '>&', '<>', '>|', ';', '&', '|', '(', ')', '<', '>'];
const META = new Set([' ', '\t', '\n', ';', '&', '|', '<', '>', '(', ')']);

export interface LexResult {
  tokens: Token[];
  /** Heredocs in the order their `<<` appears; each `<<` op token is followed by its delimiter word. */
  heredocs: HereDoc[];
}

export function lex(src: string): LexResult {
  const tokens: Token[] = [];
  const heredocs: HereDoc[] = [];
  const pending: HereDoc[] = [];
  let i = 0;
  const n = src.length;
  let line = 1;
  const countLines = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (src.charCodeAt(k) === 10) line++;
  };

  while (i < n) {
    const c = src[i]!;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '\\' && src[i + 1] === '\n') {
      i += 2;
      line++;
      continue;
    }
    if (c === '#') {
      while (i < n && src[i] !== '\n') i++;
      continue;
    }
    if (c === '\n') {
      tokens.push({ t: 'nl' });
      i++;
      line++;
      for (const h of pending.splice(0)) {
        const from = i;
        i = readHereDoc(src, i, h);
        countLines(from, i);
      }
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op) {
      tokens.push({ t: 'op', op });
      i += op.length;
      if (op === '<<' || op === '<<-') {
        while (src[i] === ' ' || src[i] === '\t') i++;
        const start = i;
        i = scanWord(src, i);
        const raw = src.slice(start, i);
        if (!raw) throw new ShellSyntaxError(i < n ? src[i] : undefined);
        tokens.push({ t: 'word', raw, line });
        countLines(start, i);
        const quoted = /['"\\]/.test(raw);
        const h: HereDoc = { delim: raw.replace(/['"\\]/g, ''), strip: op === '<<-', quoted, body: '' };
        heredocs.push(h);
        pending.push(h);
      }
      continue;
    }
    const start = i;
    i = scanWord(src, i);
    const raw = src.slice(start, i);
    if (/^\d+$/.test(raw) && (src[i] === '<' || src[i] === '>')) tokens.push({ t: 'io', fd: Number(raw) });
    else tokens.push({ t: 'word', raw, line });
    countLines(start, i);
  }
  if (pending.length) for (const h of pending) h.body = '';
  tokens.push({ t: 'eof' });
  return { tokens, heredocs };
}

function readHereDoc(src: string, i: number, h: HereDoc): number {
  let body = '';
  while (i < src.length) {
    let end = src.indexOf('\n', i);
    if (end < 0) end = src.length;
    let line = src.slice(i, end);
    i = end + 1;
    if (h.strip) line = line.replace(/^\t+/, '');
    if (line === h.delim) break;
    body += line + '\n';
  }
  h.body = body;
  return Math.min(i, src.length);
}

/** Scans one word starting at `i`; returns the index after it. */
export function scanWord(src: string, i: number): number {
  const n = src.length;
  while (i < n) {
    const c = src[i]!;
    if (META.has(c)) break;
    i = scanUnit(src, i);
  }
  return i;
}

/** Scans one quoted/expansion unit or single character. */
function scanUnit(src: string, i: number): number {
  const c = src[i]!;
  if (c === '\\') return Math.min(i + 2, src.length);
  if (c === "'") {
    const end = src.indexOf("'", i + 1);
    if (end < 0) throw new ShellSyntaxError(undefined, "'");
    return end + 1;
  }
  if (c === '"') return scanDouble(src, i + 1);
  if (c === '`') return scanBacktick(src, i + 1);
  if (c === '$') return scanDollar(src, i);
  return i + 1;
}

function scanDouble(src: string, i: number): number {
  while (i < src.length) {
    const c = src[i]!;
    if (c === '"') return i + 1;
    if (c === '\\') i += 2;
    else if (c === '`') i = scanBacktick(src, i + 1);
    else if (c === '$') i = scanDollar(src, i);
    else i++;
  }
  throw new ShellSyntaxError(undefined, '"');
}

function scanBacktick(src: string, i: number): number {
  while (i < src.length) {
    if (src[i] === '\\') i += 2;
    else if (src[i] === '`') return i + 1;
    else i++;
  }
  throw new ShellSyntaxError(undefined, '`');
}

/** `$x`, `${…}`, `$(…)`, `$((…))` starting at the `$`. */
export function scanDollar(src: string, i: number): number {
  const next = src[i + 1];
  if (next === '{') {
    let j = i + 2;
    while (j < src.length && src[j] !== '}') j = src[j] === '$' || src[j] === '"' || src[j] === "'" || src[j] === '\\' ? scanUnit(src, j) : j + 1;
    if (j >= src.length) throw new ShellSyntaxError(undefined, '}');
    return j + 1;
  }
  if (next === '(') return scanParens(src, i + 2);
  return i + 1;
}

/** From just after `(`: finds the matching `)` (quotes, nested parens and case patterns aware). */
function scanParens(src: string, i: number): number {
  let depth = 1;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '(') {
      depth++;
      i++;
    } else if (c === ')') {
      depth--;
      i++;
      if (depth === 0) return i;
    } else if (c === '#' && /[\s;(]/.test(src[i - 1] ?? ' ')) {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '\\' || c === "'" || c === '"' || c === '`' || c === '$') i = scanUnit(src, i);
    else i++;
  }
  throw new ShellSyntaxError(undefined, ')');
}
