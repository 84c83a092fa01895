/** Splits a raw shell word into its parts: literals (quoted or not) and expansions. */
import { scanDollar } from './lexer';

export type Part =
  | { k: 'lit'; s: string; q: boolean }
  | { k: 'param'; name: string; length: boolean; op?: string; arg?: string; q: boolean }
  | { k: 'cmd'; src: string; q: boolean }
  | { k: 'arith'; src: string; q: boolean }
  | { k: 'tilde'; user: string };

const cache = new Map<string, Part[]>();

export function parseWord(raw: string): Part[] {
  const hit = cache.get(raw);
  if (hit) return hit;
  const parts = parseParts(raw, false, true);
  if (cache.size > 5000) cache.clear();
  cache.set(raw, parts);
  return parts;
}

/** Parses the inside of a here-document (no quote removal; `\` only escapes `$`, backtick, `\`). */
export function parseHereDoc(body: string): Part[] {
  return parseParts(body, true, false, true);
}

const SPECIAL = new Set(['?', '$', '!', '#', '@', '*', '-', '0']);

function parseParts(raw: string, inDouble: boolean, atStart: boolean, heredoc = false): Part[] {
  const parts: Part[] = [];
  let lit = '';
  let litQ = inDouble;
  const flush = () => {
    if (lit) parts.push({ k: 'lit', s: lit, q: litQ });
    lit = '';
  };
  const addLit = (s: string, q: boolean) => {
    if (lit && litQ !== q) flush();
    litQ = q;
    lit += s;
  };
  let i = 0;
  if (atStart && !inDouble && raw[0] === '~') {
    let j = 1;
    while (j < raw.length && /[A-Za-z0-9_.-]/.test(raw[j]!)) j++;
    if (j === raw.length || raw[j] === '/') {
      parts.push({ k: 'tilde', user: raw.slice(1, j) });
      i = j;
    }
  }
  while (i < raw.length) {
    const c = raw[i]!;
    if (c === '\\') {
      const n = raw[i + 1];
      if (n === undefined) {
        addLit('\\', inDouble);
        i++;
      } else if (!inDouble) {
        if (n !== '\n') addLit(n, true);
        i += 2;
      } else if (n === '$' || n === '`' || n === '\\' || (!heredoc && n === '"')) {
        addLit(n, true);
        i += 2;
      } else if (n === '\n') i += 2;
      else {
        addLit('\\', true);
        i++;
      }
      continue;
    }
    if (c === "'" && !inDouble) {
      const end = raw.indexOf("'", i + 1);
      addLit(raw.slice(i + 1, end), true);
      // an empty '' still makes the word exist
      if (end === i + 1) {
        flush();
        parts.push({ k: 'lit', s: '', q: true });
      }
      i = end + 1;
      continue;
    }
    if (c === '"' && !inDouble) {
      const end = findDoubleEnd(raw, i + 1);
      flush();
      const inner = parseParts(raw.slice(i + 1, end), true, false);
      if (!inner.length) parts.push({ k: 'lit', s: '', q: true });
      parts.push(...inner);
      i = end + 1;
      continue;
    }
    if (c === '`') {
      let j = i + 1;
      let src = '';
      while (j < raw.length && raw[j] !== '`') {
        if (raw[j] === '\\' && (raw[j + 1] === '`' || raw[j + 1] === '\\' || raw[j + 1] === '$')) {
          src += raw[j + 1];
          j += 2;
        } else src += raw[j++];
      }
      flush();
      parts.push({ k: 'cmd', src, q: inDouble });
      i = j + 1;
      continue;
    }
    if (c === '$') {
      const end = scanDollar(raw, i);
      const part = dollarPart(raw, i, end, inDouble);
      if (part) {
        flush();
        parts.push(part);
        i = part.k === 'param' && !raw.startsWith('${', i) ? i + 1 + part.name.length : end;
        continue;
      }
      addLit('$', inDouble);
      i++;
      continue;
    }
    addLit(c, inDouble);
    i++;
  }
  flush();
  return parts;
}

function findDoubleEnd(raw: string, i: number): number {
  while (i < raw.length) {
    const c = raw[i];
    if (c === '"') return i;
    if (c === '\\') i += 2;
    else if (c === '$' && (raw[i + 1] === '(' || raw[i + 1] === '{')) i = scanDollar(raw, i);
    else if (c === '`') {
      i++;
      while (i < raw.length && raw[i] !== '`') i += raw[i] === '\\' ? 2 : 1;
      i++;
    } else i++;
  }
  return raw.length;
}

function dollarPart(raw: string, i: number, end: number, q: boolean): Part | undefined {
  const next = raw[i + 1];
  if (next === '(') {
    if (raw[i + 2] === '(' && raw[end - 2] === ')') return { k: 'arith', src: raw.slice(i + 3, end - 2), q };
    return { k: 'cmd', src: raw.slice(i + 2, end - 1), q };
  }
  if (next === '{') return braced(raw.slice(i + 2, end - 1), q);
  if (next === undefined) return undefined;
  if (SPECIAL.has(next) || /\d/.test(next)) return { k: 'param', name: next, length: false, q };
  const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(raw.slice(i + 1));
  if (m) return { k: 'param', name: m[0], length: false, q };
  return undefined;
}

function braced(body: string, q: boolean): Part {
  let length = false;
  let rest = body;
  if (rest.startsWith('#') && rest.length > 1 && !/^#[:=?+\-#%]/.test(rest.slice(0, 2)) ) {
    length = true;
    rest = rest.slice(1);
  } else if (rest === '#') return { k: 'param', name: '#', length: false, q };
  let name: string;
  const m = /^([A-Za-z_][A-Za-z0-9_]*|\d+|[?$!#@*\-0])/.exec(rest);
  if (!m) return { k: 'param', name: '', length: false, op: 'bad', arg: body, q };
  name = m[1]!;
  rest = rest.slice(name.length);
  if (!rest) return { k: 'param', name, length, q };
  const op = /^(:[-=?+]|[-=?+]|##|#|%%|%|\/\/|\/|:)/.exec(rest)?.[1];
  if (!op || length) return { k: 'param', name, length, op: 'bad', arg: body, q };
  return { k: 'param', name, length, op, arg: rest.slice(op.length), q };
}
