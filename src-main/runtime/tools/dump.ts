/**
 * Looking at bytes: `od` (GNU and busybox: `-A d|o|x|n`, `-t c|a|xN|oN|dN|uN`, `-c -b -x -o -d`,
 * `-N`, `-j`, `-v`; 16 bytes a line, repeated lines as `*`) and busybox `hexdump -C`.
 */
import type { ProcessContext } from '../program';
import { FsError } from '../vfs';
import { cantOpen, openRead, toolName, type Tool, type ToolStyle } from './common';

const C_ESCAPES: Record<number, string> = { 0: '\\0', 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r' };
const NAMES = ['nul', 'soh', 'stx', 'etx', 'eot', 'enq', 'ack', 'bel', 'bs', 'ht', 'nl', 'vt', 'ff', 'cr', 'so', 'si', 'dle', 'dc1', 'dc2', 'dc3', 'dc4', 'nak', 'syn', 'etb', 'can', 'em', 'sub', 'esc', 'fs', 'gs', 'rs', 'us', 'sp'];

interface OdType {
  size: number;
  width: number;
  format(b: Buffer, at: number): string;
}

/** One `-t` type: `c`, `a`, or a letter of d/o/u/x with a size in bytes (1, 2, 4, 8; C/S/I/L names). */
function odType(spec: string): OdType | undefined {
  if (spec === 'c')
    return { size: 1, width: 4, format: (b, at) => { const x = b[at]!; return C_ESCAPES[x] ?? (x >= 32 && x < 127 ? String.fromCharCode(x) : x.toString(8).padStart(3, '0')); } };
  if (spec === 'a') return { size: 1, width: 4, format: (b, at) => { const x = b[at]! & 0x7f; return x === 127 ? 'del' : (NAMES[x] ?? String.fromCharCode(x)); } };
  const m = /^([doux])([1248]|[CSIL])?$/.exec(spec);
  if (!m) return undefined;
  const size = ({ C: 1, S: 2, I: 4, L: 8 } as Record<string, number>)[m[2] ?? ''] ?? Number(m[2] ?? 4);
  const kind = m[1]!;
  const max = 2n ** BigInt(size * 8) - 1n;
  const radix = kind === 'x' ? 16 : kind === 'o' ? 8 : 10;
  const digits = kind === 'd' ? (max / 2n).toString(10).length + 1 : max.toString(radix).length;
  const read = (b: Buffer, at: number): bigint => {
    let v = 0n;
    for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[at + i] ?? 0);
    if (kind === 'd' && v > max / 2n) v -= max + 1n;
    return v;
  };
  return {
    size,
    width: digits + 1,
    format: (b, at) => {
      const v = read(b, at);
      const s = v.toString(radix);
      return kind === 'x' || kind === 'o' ? s.padStart(digits, '0') : s;
    },
  };
}

function offset(n: number, radix: string): string {
  if (radix === 'n') return '';
  if (radix === 'x') return n.toString(16).padStart(6, '0');
  if (radix === 'd') return n.toString(10).padStart(7, '0');
  return n.toString(8).padStart(7, '0');
}

/** All the inputs' bytes (od and hexdump read their files as one stream); undefined after a message. */
async function inputs(ctx: ProcessContext, style: ToolStyle, files: string[], skip: number, limit: number): Promise<{ bytes: Buffer; ok: boolean }> {
  const parts: Buffer[] = [];
  let got = 0;
  let toSkip = skip;
  let ok = true;
  for (const f of files.length ? files : ['-']) {
    let src: ReturnType<typeof openRead>;
    try {
      src = openRead(ctx, f);
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      cantOpen(ctx, style, f, e);
      ok = false;
      continue;
    }
    while (got < limit) {
      let b = await src.input.readBytes();
      if (b === null) break;
      if (toSkip) {
        const s = Math.min(toSkip, b.length);
        toSkip -= s;
        b = b.subarray(s);
      }
      if (got + b.length > limit) b = b.subarray(0, limit - got);
      parts.push(b);
      got += b.length;
      if (src.endless) await ctx.host.yieldCpu();
    }
    if (src.input !== ctx.stdin) src.input.close();
    if (got >= limit) break;
  }
  return { bytes: Buffer.concat(parts), ok };
}

/** `-N 16`, `-j 1k`: byte counts with b/k/m suffixes (GNU also KB/MB). */
function count(s: string): number | undefined {
  const m = /^(0x[0-9a-f]+|\d+)(b|k|K|m|M|KB|MB)?$/i.exec(s);
  if (!m) return undefined;
  const unit = { b: 512, k: 1024, m: 1 << 20, kb: 1000, mb: 1e6 }[(m[2] ?? '').toLowerCase() as 'b'] ?? 1;
  return Number(m[1]) * unit;
}

export const od: Tool = async (ctx, style) => {
  const args = ctx.argv.slice(1);
  const types: OdType[] = [];
  let radix = 'o';
  let skip = 0;
  let limit = Infinity;
  let all = false;
  const files: string[] = [];
  const bad = (msg: string) => {
    ctx.stderr.write(`${toolName(ctx)}: ${msg}\n`);
    return 1;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--' || !a.startsWith('-') || a === '-') {
      files.push(...(a === '--' ? args.slice(i + 1) : [a]));
      if (a === '--') break;
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const f = a[j]!;
      const value = () => a.slice(j + 1) || args[++i] || '';
      if (f === 'A' || f === 't' || f === 'N' || f === 'j') {
        const v = value();
        j = a.length;
        if (f === 'A') {
          if (!'doxn'.includes(v) || v.length !== 1) return bad(`invalid output address radix '${v}'; it must be one character from [doxn]`);
          radix = v;
        } else if (f === 't') {
          for (const part of v.match(/[doux](?:[1248CSIL])?|[ac]/g) ?? []) {
            const t = odType(part);
            if (t) types.push(t);
          }
          if (!types.length) return bad(`invalid type string '${v}'`);
        } else {
          const n = count(v);
          if (n === undefined) return bad(`invalid ${f === 'N' ? '-N' : '-j'} argument '${v}'`);
          if (f === 'N') limit = n;
          else skip = n;
        }
      } else if (f === 'c') types.push(odType('c')!);
      else if (f === 'b') types.push(odType('o1')!);
      else if (f === 'x') types.push(odType('x2')!);
      else if (f === 'o') types.push(odType('o2')!);
      else if (f === 'd') types.push(odType('u2')!);
      else if (f === 'v') all = true;
      else return bad(style === 'gnu' ? `invalid option -- '${f}'\nTry 'od --help' for more information.` : `invalid option -- '${f}'`);
    }
  }
  if (!types.length) types.push(odType('o2')!);
  const { bytes, ok } = await inputs(ctx, style, files, skip, limit);
  // every type lines up under the widest field per byte
  const perByte = Math.max(...types.map((t) => t.width / t.size));
  let out = await rows(ctx, bytes, all, (line, at) =>
    types
      .map((t, k) => {
        let row = k === 0 ? offset(skip + at, radix) : ' '.repeat(offset(0, radix).length);
        for (let i = 0; i < line.length; i += t.size) row += t.format(line, i).padStart(perByte * t.size);
        return `${row}\n`;
      })
      .join(''),
  );
  if (radix !== 'n') out += `${offset(skip + bytes.length, radix)}\n`;
  ctx.stdout.write(out);
  return ok ? 0 : 1;
};

/**
 * The 16-byte rows of od and hexdump: `row` renders each (at its offset); a full row equal to the
 * one before is squeezed into one `*` line unless `all` (-v). Long output is written in chunks,
 * yielding the CPU between them; returns the unwritten rest.
 */
async function rows(ctx: ProcessContext, bytes: Buffer, all: boolean, row: (line: Buffer, at: number) => string): Promise<string> {
  let out = '';
  let prev: Buffer | undefined;
  let starred = false;
  for (let at = 0; at < bytes.length; at += 16) {
    const line = bytes.subarray(at, at + 16);
    if (!all && prev && line.length === 16 && line.equals(prev)) {
      if (!starred) out += '*\n';
      starred = true;
      continue;
    }
    starred = false;
    prev = line;
    out += row(line, at);
    if (out.length > 65_536) {
      ctx.stdout.write(out);
      out = '';
      await ctx.host.yieldCpu();
    }
  }
  return out;
}

/** busybox `hexdump -C` (canonical hex+ASCII); other formats are not simulated. */
export const hexdump: Tool = async (ctx, style) => {
  const args = ctx.argv.slice(1);
  if (!args.includes('-C')) {
    ctx.stderr.write('hexdump: only -C (canonical hex+ASCII) is simulated\n');
    return 1;
  }
  const all = args.includes('-v');
  const files = args.filter((a) => !a.startsWith('-') || a === '-');
  const { bytes, ok } = await inputs(ctx, style, files, 0, Infinity);
  let out = await rows(ctx, bytes, all, (line, at) => {
    let hex = '';
    let text = '';
    for (let i = 0; i < 16; i++) {
      if (i === 8) hex += ' ';
      const x = line[i];
      hex += x === undefined ? '   ' : `${x.toString(16).padStart(2, '0')} `;
      if (x !== undefined) text += x >= 32 && x < 127 ? String.fromCharCode(x) : '.';
    }
    return `${at.toString(16).padStart(8, '0')}  ${hex} |${text}|\n`;
  });
  if (bytes.length) out += `${bytes.length.toString(16).padStart(8, '0')}\n`;
  ctx.stdout.write(out);
  return ok ? 0 : 1;
};
