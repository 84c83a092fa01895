/**
 * Finds where a JSON text stops being valid, for error messages that point at the problem
 * (Node's JSON.parse does not always say where). Only run after JSON.parse has failed.
 */

export interface JsonSyntaxError {
  offset: number;
  /** Go encoding/json's wording: `invalid character '}' looking for beginning of value`. */
  message: string;
}

export function locateJsonError(text: string): JsonSyntaxError | undefined {
  let i = 0;
  const n = text.length;
  const ws = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  };
  const fail = (what: string): never => {
    if (i >= n) throw { offset: n, message: 'unexpected end of JSON input' } satisfies JsonSyntaxError;
    const ch = text[i] === "'" ? "\\'" : text[i];
    throw { offset: i, message: `invalid character '${ch}' ${what}` } satisfies JsonSyntaxError;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('looking for beginning of object key string');
        string();
        ws();
        if (text[i] !== ':') fail('after object key');
        i++;
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail('after object key:value pair');
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail('after array element');
      }
    } else if (c === '"') string();
    else if (c === '-' || (c >= '0' && c <= '9')) number();
    else if (text.startsWith('true', i)) i += 4;
    else if (text.startsWith('false', i)) i += 5;
    else if (text.startsWith('null', i)) i += 4;
    else fail('looking for beginning of value');
  };
  const string = () => {
    i++;
    while (i < n && text[i] !== '"') {
      if (text[i] === '\\') i++;
      else if (text.charCodeAt(i) < 0x20) fail('in string literal');
      i++;
    }
    if (i >= n) fail('in string literal');
    i++;
  };
  const number = () => {
    if (text[i] === '-') i++;
    if (!(text[i] >= '0' && text[i] <= '9')) fail('in numeric literal');
    while (i < n && /[0-9.eE+-]/.test(text[i])) i++;
  };
  try {
    value();
    ws();
    if (i < n) fail('after top-level value');
    return undefined;
  } catch (e) {
    return e as JsonSyntaxError;
  }
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let k = 0; k < offset && k < text.length; k++) {
    if (text[k] === '\n') {
      line++;
      last = k;
    }
  }
  return { line, column: offset - last };
}
