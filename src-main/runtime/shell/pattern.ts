/**
 * Shell pattern matching (`case`, `${x#pat}`, globbing). Patterns arrive with quoted characters
 * escaped by a backslash, so `"*"` matches a literal star.
 */

const cache = new Map<string, RegExp>();

export function patternToRegExp(pattern: string, anchored = true): RegExp {
  const key = (anchored ? 'a' : 'u') + pattern;
  const hit = cache.get(key);
  if (hit) return hit;
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      i++;
      re += escape(pattern[i] ?? '\\');
    } else if (c === '*') re += '[\\s\\S]*';
    else if (c === '?') re += '[\\s\\S]';
    else if (c === '[') {
      const end = findClassEnd(pattern, i);
      if (end < 0) re += '\\[';
      else {
        let body = pattern.slice(i + 1, end);
        let neg = false;
        if (body.startsWith('!') || body.startsWith('^')) {
          neg = true;
          body = body.slice(1);
        }
        body = body.replace(/\[:(\w+):\]/g, (_m, cls: string) => CLASSES[cls] ?? '');
        re += `[${neg ? '^' : ''}${body.replace(/\\(?![\]\-^\\])/g, '\\\\')}]`;
        i = end;
      }
    } else re += escape(c);
  }
  const out = new RegExp(anchored ? `^${re}$` : re);
  if (cache.size > 500) cache.clear();
  cache.set(key, out);
  return out;
}

const CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: 'a-zA-Z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v',
  xdigit: '0-9a-fA-F',
  punct: '!-\\/:-@\\[-`{-~',
};

function findClassEnd(p: string, i: number): number {
  let j = i + 1;
  if (p[j] === '!' || p[j] === '^') j++;
  if (p[j] === ']') j++;
  while (j < p.length && p[j] !== ']') {
    if (p[j] === '[' && p[j + 1] === ':') {
      const e = p.indexOf(':]', j + 2);
      if (e > 0) j = e + 2;
      else j++;
    } else j++;
  }
  return j < p.length ? j : -1;
}

function escape(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

export function matchPattern(pattern: string, text: string): boolean {
  return patternToRegExp(pattern).test(text);
}

/** True if the (escaped) pattern has an unescaped glob character. */
export function hasGlob(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '*' || c === '?' || c === '[') return true;
  }
  return false;
}

/** Removes a prefix/suffix matching `pattern`: `#`, `##`, `%`, `%%`. */
export function trimPattern(value: string, pattern: string, op: '#' | '##' | '%' | '%%'): string {
  const re = patternToRegExp(pattern);
  if (op === '#' || op === '##') {
    const lens = [...Array(value.length + 1).keys()];
    if (op === '##') lens.reverse();
    for (const l of lens) if (re.test(value.slice(0, l))) return value.slice(l);
    return value;
  }
  const starts = [...Array(value.length + 1).keys()];
  if (op === '%') starts.reverse();
  for (const s of starts) if (re.test(value.slice(s))) return value.slice(0, s);
  return value;
}
