/**
 * The tar archive format on bytes: 512-byte headers (ustar / GNU magic, octal fields, checksum),
 * GNU `L`/`K` long names, PAX `x` records (what Go's archive/tar writes for long names), ustar's
 * prefix field.
 */

export const BLOCK = 512;

export interface TarEntry {
  name: string;
  /** '0' file, '5' directory, '2' symlink, '1' hard link (others are kept as read). */
  type: string;
  mode: number;
  size: number;
  /** Seconds since the epoch. */
  mtime: number;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  linkname: string;
  data: Buffer;
}

function octal(value: number, width: number): string {
  // width-1 digits and a NUL, as GNU tar writes them
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function putString(buf: Buffer, offset: number, width: number, s: string): void {
  buf.write(s.slice(0, width), offset, width, 'utf8');
}

/** One header block: GNU magic (`ustar  \0`), as GNU tar and busybox write. */
export function headerBlock(e: Omit<TarEntry, 'data'>): Buffer {
  const h = Buffer.alloc(BLOCK);
  putString(h, 0, 100, e.name);
  putString(h, 100, 8, octal(e.mode & 0o7777, 8));
  putString(h, 108, 8, octal(e.uid, 8));
  putString(h, 116, 8, octal(e.gid, 8));
  putString(h, 124, 12, octal(e.size, 12));
  putString(h, 136, 12, octal(Math.max(0, Math.floor(e.mtime)), 12));
  h.write('        ', 148, 8, 'latin1');
  h.write(e.type, 156, 1, 'latin1');
  putString(h, 157, 100, e.linkname);
  h.write('ustar  \0', 257, 8, 'latin1');
  putString(h, 265, 32, e.uname);
  putString(h, 297, 32, e.gname);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'latin1');
  return h;
}

function pad(n: number): number {
  return (BLOCK - (n % BLOCK)) % BLOCK;
}

/** An entry's blocks: a GNU `././@LongLink` entry first when the name does not fit 100 bytes. */
export function entryBlocks(e: TarEntry): Buffer {
  const parts: Buffer[] = [];
  const long = (type: 'L' | 'K', value: string) => {
    const data = Buffer.from(value + '\0', 'utf8');
    parts.push(headerBlock({ name: '././@LongLink', type, mode: 0o644, size: data.length, mtime: 0, uid: 0, gid: 0, uname: 'root', gname: 'root', linkname: '' }));
    parts.push(data, Buffer.alloc(pad(data.length)));
  };
  let name = e.name;
  let linkname = e.linkname;
  if (Buffer.byteLength(linkname) > 100) {
    long('K', linkname);
    linkname = linkname.slice(0, 100);
  }
  if (Buffer.byteLength(name) > 100) {
    long('L', name);
    name = name.slice(0, 100);
  }
  parts.push(headerBlock({ ...e, name, linkname, size: e.data.length }));
  if (e.data.length) parts.push(e.data, Buffer.alloc(pad(e.data.length)));
  return Buffer.concat(parts);
}

/** The end of an archive: two zero blocks. */
export function endBlocks(): Buffer {
  return Buffer.alloc(2 * BLOCK);
}

/** GNU tar pads the archive to its record size (20 blocks). */
export function recordPadding(written: number): Buffer {
  const rec = 20 * BLOCK;
  return Buffer.alloc((rec - (written % rec)) % rec);
}

export class TarFormatError extends Error {
  constructor(
    readonly kind: 'not-tar' | 'eof' | 'checksum',
    message = kind,
  ) {
    super(message);
  }
}

function str(b: Buffer, offset: number, width: number): string {
  const s = b.subarray(offset, offset + width);
  const nul = s.indexOf(0);
  return (nul < 0 ? s : s.subarray(0, nul)).toString('utf8');
}

function num(b: Buffer, offset: number, width: number): number {
  const f = b.subarray(offset, offset + width);
  if (f[0]! & 0x80) {
    // base-256 (GNU/Go for big values)
    let v = 0;
    for (let i = 1; i < f.length; i++) v = v * 256 + f[i]!;
    return v;
  }
  const t = f.toString('latin1').replace(/[\0 ]+$/, '').trim();
  return t ? parseInt(t, 8) : 0;
}

function checksumOk(h: Buffer): boolean {
  const want = num(h, 148, 8);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 32 : h[i]!;
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return want === unsigned || want === signed;
}

function paxRecords(data: Buffer): Map<string, string> {
  const m = new Map<string, string>();
  let i = 0;
  while (i < data.length) {
    const sp = data.indexOf(0x20, i);
    if (sp < 0) break;
    const len = parseInt(data.subarray(i, sp).toString('latin1'), 10);
    if (!(len > 0)) break;
    const rec = data.subarray(sp + 1, i + len - 1).toString('utf8');
    const eq = rec.indexOf('=');
    if (eq > 0) m.set(rec.slice(0, eq), rec.slice(eq + 1));
    i += len;
  }
  return m;
}

/** Reads the entries of an archive (extended headers applied to the entry they precede). */
export function parseArchive(buf: Buffer): TarEntry[] {
  const out: TarEntry[] = [];
  let off = 0;
  let longName: string | undefined;
  let longLink: string | undefined;
  let pax = new Map<string, string>();
  const global = new Map<string, string>();
  let first = true;
  for (;;) {
    if (off + BLOCK > buf.length) {
      if (first && off === buf.length) throw new TarFormatError('eof');
      if (off >= buf.length) throw new TarFormatError('eof');
      throw new TarFormatError(first ? 'not-tar' : 'eof');
    }
    const h = buf.subarray(off, off + BLOCK);
    if (h.every((b) => b === 0)) return out;
    if (!checksumOk(h)) throw new TarFormatError(first ? 'not-tar' : 'checksum');
    first = false;
    off += BLOCK;
    const type = String.fromCharCode(h[156]!) === '\0' ? '0' : String.fromCharCode(h[156]!);
    const size = num(h, 124, 12);
    if (off + size > buf.length) throw new TarFormatError('eof');
    const data = Buffer.from(buf.subarray(off, off + size));
    off += size + pad(size);
    if (type === 'L') {
      longName = str(data, 0, data.length);
      continue;
    }
    if (type === 'K') {
      longLink = str(data, 0, data.length);
      continue;
    }
    if (type === 'x') {
      pax = paxRecords(data);
      continue;
    }
    if (type === 'g') {
      for (const [k, v] of paxRecords(data)) global.set(k, v);
      continue;
    }
    const magic = h.subarray(257, 263).toString('latin1');
    const prefix = magic === 'ustar\0' ? str(h, 345, 155) : '';
    let name = str(h, 0, 100);
    if (prefix) name = `${prefix}/${name}`;
    const get = (k: string) => pax.get(k) ?? global.get(k);
    out.push({
      name: longName ?? get('path') ?? name,
      type,
      mode: num(h, 100, 8),
      size,
      mtime: Math.floor(Number(get('mtime') ?? num(h, 136, 12))),
      uid: Number(get('uid') ?? num(h, 108, 8)),
      gid: Number(get('gid') ?? num(h, 116, 8)),
      uname: get('uname') ?? str(h, 265, 32),
      gname: get('gname') ?? str(h, 297, 32),
      linkname: longLink ?? get('linkpath') ?? str(h, 157, 100),
      data,
    });
    longName = longLink = undefined;
    pax = new Map();
  }
}
