/** `echo` and `printf` formatting, shared by the shell builtins and the /bin tools. */

/**
 * A byte an escape produced (`\xff`, `\377`). Bytes 0x80–0xFF are not characters: they ride in
 * the text as U+DC80–U+DCFF (lone low surrogates, which decoded text never holds) until
 * `outputChunk` turns them back into those exact bytes.
 */
function byteChar(v: number): string {
  const b = v & 0xff;
  return String.fromCharCode(b >= 0x80 ? 0xdc00 + b : b);
}

/** What to write for text from `echo`/`printf`: the text itself, or bytes when escapes made raw bytes. */
export function outputChunk(s: string): string | Buffer {
  if (!/[\udc80-\udcff]/.test(s)) return s;
  const parts: Buffer[] = [];
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc80 || c > 0xdcff) continue;
    const prev = i > 0 ? s.charCodeAt(i - 1) : 0;
    if (prev >= 0xd800 && prev <= 0xdbff) continue; // the second half of a real surrogate pair
    parts.push(Buffer.from(s.slice(from, i), 'utf8'), Buffer.of(c - 0xdc00));
    from = i + 1;
  }
  parts.push(Buffer.from(s.slice(from), 'utf8'));
  return Buffer.concat(parts);
}

/** Backslash escapes of `echo -e` / `printf %b`; `\c` stops output (returned as `stop`). */
export function unescape(s: string, octalNeedsZero = true): { text: string; stop: boolean } {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '\\' || i === s.length - 1) {
      out += c;
      continue;
    }
    const n = s[++i]!;
    switch (n) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'a':
        out += '\x07';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'v':
        out += '\v';
        break;
      case 'e':
        out += '\x1b';
        break;
      case '\\':
        out += '\\';
        break;
      case 'c':
        return { text: out, stop: true };
      case '0': {
        const m = /^[0-7]{0,3}/.exec(s.slice(i + 1))![0];
        out += byteChar(parseInt(m || '0', 8));
        i += m.length;
        break;
      }
      case 'x': {
        const m = /^[0-9a-fA-F]{1,2}/.exec(s.slice(i + 1))?.[0];
        if (m) {
          out += byteChar(parseInt(m, 16));
          i += m.length;
        } else out += '\\x';
        break;
      }
      default:
        if (!octalNeedsZero && /[1-7]/.test(n)) {
          const m = /^[0-7]{1,3}/.exec(s.slice(i))![0];
          out += byteChar(parseInt(m, 8));
          i += m.length - 1;
        } else out += '\\' + n;
    }
  }
  return { text: out, stop: false };
}

export type EchoStyle = 'busybox' | 'dash' | 'bash' | 'gnu';

/** `echo`: busybox/bash/GNU take -n/-e/-E (escapes off by default); dash always interprets escapes and knows only -n. */
export function echo(args: string[], style: EchoStyle): string {
  let newline = true;
  let escapes = style === 'dash';
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (!/^-[neE]+$/.test(a) || (style === 'dash' && !/^-n+$/.test(a))) break;
    for (const f of a.slice(1)) {
      if (f === 'n') newline = false;
      else if (f === 'e') escapes = true;
      else if (f === 'E') escapes = false;
    }
  }
  let text = args.slice(i).join(' ');
  if (escapes) {
    const r = unescape(text);
    if (r.stop) return r.text;
    text = r.text;
  }
  return newline ? text + '\n' : text;
}

/** `printf FORMAT ARGS…` (the format is reused while arguments remain). */
export function printf(format: string, args: string[]): { out: string; errors: string[] } {
  let out = '';
  const errors: string[] = [];
  let ai = 0;
  const nextArg = () => (ai < args.length ? args[ai++]! : undefined);
  for (;;) {
    const startAi = ai;
    let consumed = false;
    let stop = false;
    for (let i = 0; i < format.length; i++) {
      const c = format[i]!;
      if (c === '\\') {
        const m = /^\\(0[0-7]{0,3}|[1-7][0-7]{0,2}|x[0-9a-fA-F]{1,2}|.)/.exec(format.slice(i));
        const seq = m ? m[0] : '\\';
        const u = unescape(seq, false);
        if (u.stop) {
          stop = true;
          break;
        }
        out += u.text;
        i += seq.length - 1;
        continue;
      }
      if (c !== '%') {
        out += c;
        continue;
      }
      const m = /^%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?([diouxXfeEgGcsb%])/.exec(format.slice(i));
      if (!m) {
        out += c;
        continue;
      }
      i += m[0].length - 1;
      const conv = m[4]!;
      if (conv === '%') {
        out += '%';
        continue;
      }
      const flags = m[1] ?? '';
      const width = m[2] === '*' ? Number(nextArg() ?? 0) : m[2] ? Number(m[2]) : undefined;
      const prec = m[3] === '*' ? Number(nextArg() ?? 0) : m[3] !== undefined ? Number(m[3]) : undefined;
      const arg = nextArg();
      consumed = true;
      let s: string;
      switch (conv) {
        case 's':
          s = arg ?? '';
          if (prec !== undefined) s = s.slice(0, prec);
          break;
        case 'b': {
          const u = unescape(arg ?? '');
          s = u.text;
          if (u.stop) stop = true;
          break;
        }
        case 'c':
          s = (arg ?? '').slice(0, 1);
          break;
        case 'd':
        case 'i':
        case 'o':
        case 'u':
        case 'x':
        case 'X': {
          const n = toNumber(arg, errors);
          const v = Math.trunc(n);
          s = conv === 'o' ? v.toString(8) : conv === 'x' ? v.toString(16) : conv === 'X' ? v.toString(16).toUpperCase() : String(Math.abs(v));
          if (conv === 'd' || conv === 'i' || conv === 'u') {
            if (prec !== undefined) s = s.padStart(prec, '0');
            s = (v < 0 ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '') + s;
          }
          break;
        }
        default: {
          const n = toNumber(arg, errors);
          const p = prec ?? 6;
          s = conv === 'f' ? n.toFixed(p) : conv === 'e' || conv === 'E' ? n.toExponential(p) : String(Number(n.toPrecision(p || 1)));
          if (conv === 'E' || conv === 'G') s = s.toUpperCase();
          if (flags.includes('+') && n >= 0) s = '+' + s;
        }
      }
      if (width !== undefined && s.length < width) {
        if (flags.includes('-')) s = s.padEnd(width);
        else if (flags.includes('0') && !/[sc]/.test(conv)) s = s.startsWith('-') ? '-' + s.slice(1).padStart(width - 1, '0') : s.padStart(width, '0');
        else s = s.padStart(width);
      }
      out += s;
      if (stop) break;
    }
    if (stop || !consumed || ai >= args.length || ai === startAi) break;
  }
  return { out, errors };
}

function toNumber(arg: string | undefined, errors: string[]): number {
  if (arg === undefined || arg === '') return 0;
  if (/^['"]./.test(arg)) return arg.charCodeAt(1);
  const t = arg.trim();
  if (/^[-+]?0[xX][0-9a-fA-F]+$/.test(t)) return parseInt(t, 16);
  if (/^[-+]?0[0-7]+$/.test(t)) return parseInt(t, 8);
  const n = Number(t);
  if (Number.isNaN(n)) {
    errors.push(`invalid number '${arg}'`);
    return 0;
  }
  return n;
}
