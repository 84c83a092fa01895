/**
 * tr on bytes, as GNU and busybox do it: SET1 → SET2 translation, `-d` delete, `-s` squeeze,
 * `-c`/`-C` complement; ranges, `[:class:]`, `[c*n]` repeats and `\n \t \\ \NNN` escapes.
 * `tr -dc 'a-zA-Z0-9' < /dev/urandom | head -c 16` reads an endless stream until head is done.
 */
import type { Tool } from './common';
import { parseOpts } from './common';

const CLASSES: Record<string, (b: number) => boolean> = {
  alnum: (b) => (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122),
  alpha: (b) => (b >= 65 && b <= 90) || (b >= 97 && b <= 122),
  digit: (b) => b >= 48 && b <= 57,
  lower: (b) => b >= 97 && b <= 122,
  upper: (b) => b >= 65 && b <= 90,
  space: (b) => b === 32 || (b >= 9 && b <= 13),
  blank: (b) => b === 32 || b === 9,
  punct: (b) => b > 32 && b < 127 && !CLASSES.alnum!(b),
  xdigit: (b) => (b >= 48 && b <= 57) || (b >= 65 && b <= 70) || (b >= 97 && b <= 102),
  cntrl: (b) => b < 32 || b === 127,
  print: (b) => b >= 32 && b < 127,
  graph: (b) => b > 32 && b < 127,
};

/** The bytes of a set, in order (classes in byte order; other characters as their UTF-8 bytes). */
function expandSet(spec: string): number[] {
  const src = [...Buffer.from(spec, 'utf8')];
  const out: number[] = [];
  // one byte of the spec with its escape resolved, and how many bytes it took
  const atom = (i: number): [number, number] => {
    if (src[i] !== 92 || i + 1 >= src.length) return [src[i]!, 1];
    const n = src[i + 1]!;
    const esc: Record<number, number> = { 110: 10, 116: 9, 114: 13, 102: 12, 118: 11, 97: 7, 98: 8, 92: 92 };
    if (esc[n] !== undefined) return [esc[n]!, 2];
    if (n >= 48 && n <= 55) {
      let v = 0;
      let k = 1;
      while (k <= 3 && i + k < src.length && src[i + k]! >= 48 && src[i + k]! <= 55) v = v * 8 + src[i + k++]! - 48;
      return [v & 0xff, k];
    }
    return [n, 2];
  };
  for (let i = 0; i < src.length; ) {
    if (src[i] === 91 /* [ */ && src[i + 1] === 58 /* : */) {
      const rest = Buffer.from(src.slice(i + 2)).toString('latin1');
      const close = rest.indexOf(':]');
      const cls = close >= 0 ? CLASSES[rest.slice(0, close)] : undefined;
      if (cls) {
        for (let b = 0; b < 256; b++) if (cls(b)) out.push(b);
        i += 2 + close + 2;
        continue;
      }
    }
    if (src[i] === 91 && i + 3 < src.length) {
      // [c*n]: c repeated n times (n empty: as often as needed, filled in later by the caller's length)
      const m = /^\[(.)\*(\d*)\]/s.exec(Buffer.from(src.slice(i)).toString('latin1'));
      if (m) {
        const count = m[2] ? Number(m[2]) : 0;
        for (let k = 0; k < (count || 1); k++) out.push(m[1]!.charCodeAt(0));
        i += m[0].length;
        continue;
      }
    }
    const [lo, used] = atom(i);
    if (src[i + used] === 45 /* - */ && i + used + 1 < src.length) {
      const [hi, used2] = atom(i + used + 1);
      for (let b = lo; b <= hi; b++) out.push(b);
      i += used + 1 + used2;
      continue;
    }
    out.push(lo);
    i += used;
  }
  return out;
}

export const tr: Tool = async (ctx, style) => {
  const { flags, rest } = parseOpts(ctx.argv.slice(1), '');
  const del = flags.has('d') || flags.has('--delete');
  const squeeze = flags.has('s') || flags.has('--squeeze-repeats');
  const complement = flags.has('c') || flags.has('C') || flags.has('--complement');
  if (!rest.length || (!del && !squeeze && rest.length < 2)) {
    ctx.stderr.write(style === 'gnu' ? (rest.length ? `tr: missing operand after '${rest[0]}'\nTwo strings must be given when translating.\n` : 'tr: missing operand\n') + "Try 'tr --help' for more information.\n" : 'BusyBox tr: missing operand\n');
    return 1;
  }
  let set1 = expandSet(rest[0]!);
  if (complement) {
    const inSet = new Set(set1);
    set1 = [];
    for (let b = 0; b < 256; b++) if (!inSet.has(b)) set1.push(b);
  }
  const set2 = expandSet(rest[1] ?? '');
  const map = new Int16Array(256).fill(-1);
  const deleted = new Uint8Array(256);
  if (del) for (const b of set1) deleted[b] = 1;
  else if (set2.length) set1.forEach((b, i) => (map[b] = set2[Math.min(i, set2.length - 1)]!));
  // squeezed: the last set given (SET2 when translating, else SET1)
  const squeezed = new Uint8Array(256);
  if (squeeze) for (const b of del || !set2.length ? (del ? set2 : set1) : set2) squeezed[b] = 1;
  let last = -1;
  for (;;) {
    const chunk = await ctx.stdin.readBytes();
    if (chunk === null) break;
    const out = Buffer.allocUnsafe(chunk.length);
    let n = 0;
    for (const x of chunk) {
      if (deleted[x]) continue;
      const m = map[x]!;
      const o = m >= 0 ? m : x;
      if (squeezed[o] && o === last) continue;
      out[n++] = o;
      last = o;
    }
    if (n) ctx.stdout.write(out.subarray(0, n));
    const d = ctx.stdout.drain?.();
    if (d) await d;
    // an endless input (/dev/urandom) must not hold the CPU while nothing passes
    await ctx.host.yieldCpu();
  }
  return 0;
};
