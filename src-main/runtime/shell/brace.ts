/** bash brace expansion (`{a,b}`, `{1..5}`, `{a..e}`, `{01..10..2}`) on raw words, quotes respected. */

/** Expands the braces of one raw word; returns [word] when it has none. */
export function braceExpand(raw: string): string[] {
  const found = findBrace(raw);
  if (!found) return [raw];
  const { open, close, parts, range } = found;
  const pre = raw.slice(0, open);
  const post = raw.slice(close + 1);
  const alts = range ?? parts;
  const out: string[] = [];
  for (const a of alts) out.push(...braceExpand(pre + a + post));
  return out;
}

interface Found {
  open: number;
  close: number;
  parts: string[];
  range?: string[];
}

function findBrace(s: string): Found | undefined {
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    const skip = skipQuoted(s, i);
    if (skip === -1) return undefined;
    if (skip !== undefined) {
      i = skip;
      continue;
    }
    if (c === '$' && s[i + 1] === '{') {
      i = skipTo(s, i + 2, '}');
      continue;
    }
    if (c !== '{') continue;
    const r = scanGroup(s, i);
    if (r) return r;
  }
  return undefined;
}

/**
 * At a backslash or quote: the index of the last character it covers (the escaped character, the
 * closing quote), -1 for an unterminated single quote; undefined for any other character.
 */
function skipQuoted(s: string, i: number): number | undefined {
  const c = s[i];
  if (c === '\\') return i + 1;
  if (c === "'") return s.indexOf("'", i + 1);
  if (c === '"') return skipDouble(s, i + 1);
  return undefined;
}

function skipDouble(s: string, i: number): number {
  while (i < s.length && s[i] !== '"') i += s[i] === '\\' ? 2 : 1;
  return i;
}

function skipTo(s: string, i: number, ch: string): number {
  while (i < s.length && s[i] !== ch) i++;
  return i;
}

/** From `{` at `open`: the comma-separated parts at depth 1, or a sequence; undefined if not a brace group. */
function scanGroup(s: string, open: number): Found | undefined {
  let depth = 0;
  const parts: string[] = [];
  let start = open + 1;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    const skip = skipQuoted(s, i);
    if (skip === -1) return undefined;
    if (skip !== undefined) {
      i = skip;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) {
        parts.push(s.slice(start, i));
        if (parts.length > 1) return { open, close: i, parts };
        const range = sequence(parts[0]!);
        return range ? { open, close: i, parts, range } : undefined;
      }
    } else if (c === ',' && depth === 1) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  return undefined;
}

function sequence(body: string): string[] | undefined {
  const num = /^(-?\d+)\.\.(-?\d+)(?:\.\.(-?\d+))?$/.exec(body);
  if (num) {
    const a = Number(num[1]);
    const b = Number(num[2]);
    const step = Math.abs(Number(num[3] ?? 1)) || 1;
    const width = /^-?0\d/.test(num[1]!) || /^-?0\d/.test(num[2]!) ? Math.max(num[1]!.length, num[2]!.length) : 0;
    const out: string[] = [];
    for (let v = a; a <= b ? v <= b : v >= b; v += a <= b ? step : -step) {
      out.push(width ? (v < 0 ? '-' + String(-v).padStart(width - 1, '0') : String(v).padStart(width, '0')) : String(v));
      if (out.length > 100_000) break;
    }
    return out;
  }
  const chr = /^([A-Za-z])\.\.([A-Za-z])$/.exec(body);
  if (chr) {
    const a = chr[1]!.charCodeAt(0);
    const b = chr[2]!.charCodeAt(0);
    const out: string[] = [];
    for (let v = a; a <= b ? v <= b : v >= b; v += a <= b ? 1 : -1) out.push(String.fromCharCode(v));
    return out;
  }
  return undefined;
}
