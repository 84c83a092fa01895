/**
 * The DNS wire format (RFC 1035, RFC 2782 SRV, RFC 3596 AAAA, RFC 6891 OPT): messages to bytes and
 * back. Decoding follows compression pointers (with a loop guard); encoding compresses names.
 * Names are kept without the trailing dot (`redis.default.svc.cluster.local`; the root is `''`).
 * Malformed input throws `DnsFormatError` (a server answers FORMERR, a client drops the packet).
 */
import { formatIpv6, parseIpv4, parseIpv6 } from './ip';

export const TYPE = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, SRV: 33, OPT: 41, ANY: 255 } as const;
export type TypeName = keyof typeof TYPE;
const TYPE_NAMES = new Map<number, TypeName>(Object.entries(TYPE).map(([k, v]) => [v, k as TypeName]));

export const CLASS_IN = 1;

export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
export const RCODE_NAMES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'YXDOMAIN', 'YXRRSET', 'NXRRSET', 'NOTAUTH', 'NOTZONE'];

/** The mnemonic of a type code (`A`, `SRV`), or `TYPE<n>` as dig prints unknown ones. */
export function typeName(code: number): string {
  return TYPE_NAMES.get(code) ?? `TYPE${code}`;
}

/** The code of a type mnemonic (`a`, `SRV`, `TYPE99`), or undefined. */
export function typeCode(name: string): number | undefined {
  const up = name.toUpperCase();
  if (up in TYPE) return TYPE[up as TypeName];
  const m = /^TYPE(\d{1,5})$/.exec(up);
  return m && Number(m[1]) < 65536 ? Number(m[1]) : undefined;
}

export interface DnsQuestion {
  name: string;
  type: number;
  class: number;
}

interface RrBase {
  name: string;
  ttl: number;
  /** Default IN (1). For OPT: the requester's UDP payload size. */
  class?: number;
}

export type WireRecord =
  | (RrBase & { type: 'A' | 'AAAA'; address: string })
  | (RrBase & { type: 'CNAME' | 'PTR' | 'NS'; target: string })
  | (RrBase & { type: 'SRV'; priority: number; weight: number; port: number; target: string })
  | (RrBase & { type: 'MX'; preference: number; exchange: string })
  | (RrBase & { type: 'TXT'; text: string })
  | (RrBase & { type: 'SOA'; mname: string; rname: string; serial: number; refresh: number; retry: number; expire: number; minimum: number })
  /** Any other type (OPT included), rdata as is. */
  | (RrBase & { type: 'RAW'; code: number; rdata: Buffer });

export interface DnsMessage {
  id: number;
  /** Response (true) or query. */
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  ad: boolean;
  cd: boolean;
  rcode: number;
  questions: DnsQuestion[];
  answers: WireRecord[];
  authorities: WireRecord[];
  additionals: WireRecord[];
}

export class DnsFormatError extends Error {}

/** A query message with one question (RD set, as stub resolvers send). */
export function makeQuery(id: number, name: string, type: number, opts: { rd?: boolean; ad?: boolean } = {}): DnsMessage {
  return { id, qr: false, opcode: 0, aa: false, tc: false, rd: opts.rd ?? true, ra: false, ad: opts.ad ?? false, cd: false, rcode: 0, questions: [{ name: trimDot(name), type, class: CLASS_IN }], answers: [], authorities: [], additionals: [] };
}

/** The numeric type of a record. */
export function recordTypeCode(r: WireRecord): number {
  return r.type === 'RAW' ? r.code : TYPE[r.type];
}

export function trimDot(name: string): string {
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

// ---- encoding --------------------------------------------------------------------------------

const HAS_UPPER = /[A-Z]/;

class Writer {
  private buf = Buffer.allocUnsafe(512);
  len = 0;
  /** Lower-cased name suffix → offset of its first occurrence (compression targets). */
  private names = new Map<string, number>();

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.len++] = v & 0xff;
  }

  u16(v: number): void {
    this.ensure(2);
    this.buf.writeUInt16BE(v & 0xffff, this.len);
    this.len += 2;
  }

  u32(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32BE(v >>> 0, this.len);
    this.len += 4;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  setU16(at: number, v: number): void {
    this.buf.writeUInt16BE(v, at);
  }

  name(name: string, compress = true): void {
    if (name === '' || name === '.') {
      this.u8(0);
      return;
    }
    const full = name.charCodeAt(name.length - 1) === 46 ? name.slice(0, -1) : name;
    const lower = HAS_UPPER.test(full) ? full.toLowerCase() : full;
    let start = 0;
    while (start < full.length) {
      let end = full.indexOf('.', start);
      if (end < 0) end = full.length;
      if (compress) {
        const at = this.names.get(start === 0 ? lower : lower.slice(start));
        if (at !== undefined) {
          this.u16(0xc000 | at);
          return;
        }
        if (this.len < 0x3fff) this.names.set(start === 0 ? lower : lower.slice(start), this.len);
      }
      const len = end - start;
      if (len === 0 || len > 63) throw new DnsFormatError(`invalid label in ${JSON.stringify(name)}`);
      let ascii = true;
      for (let i = start; i < end; i++) if (full.charCodeAt(i) > 0x7f) ascii = false;
      if (ascii) {
        this.ensure(len + 1);
        this.buf[this.len++] = len;
        for (let i = start; i < end; i++) this.buf[this.len++] = full.charCodeAt(i);
      } else {
        const label = Buffer.from(full.slice(start, end), 'utf8');
        if (label.length > 63) throw new DnsFormatError(`invalid label in ${JSON.stringify(name)}`);
        this.u8(label.length);
        this.bytes(label);
      }
      start = end + 1;
    }
    this.u8(0);
  }

  result(): Buffer {
    return this.buf.subarray(0, this.len);
  }
}

function writeRecord(w: Writer, r: WireRecord): void {
  w.name(r.name);
  w.u16(recordTypeCode(r));
  w.u16(r.class ?? CLASS_IN);
  w.u32(r.ttl);
  const lenAt = w.len;
  w.u16(0);
  const start = w.len;
  switch (r.type) {
    case 'A':
      w.bytes(parseIpv4(r.address) ?? fail(`bad IPv4 address ${r.address}`));
      break;
    case 'AAAA':
      w.bytes(parseIpv6(r.address) ?? fail(`bad IPv6 address ${r.address}`));
      break;
    case 'CNAME':
    case 'PTR':
    case 'NS':
      w.name(r.target);
      break;
    case 'SRV':
      w.u16(r.priority);
      w.u16(r.weight);
      w.u16(r.port);
      w.name(r.target, false); // RFC 2782: the target is not compressed
      break;
    case 'MX':
      w.u16(r.preference);
      w.name(r.exchange);
      break;
    case 'TXT': {
      const data = Buffer.from(r.text, 'utf8');
      if (data.length === 0) w.u8(0);
      for (let i = 0; i < data.length; i += 255) {
        const part = data.subarray(i, i + 255);
        w.u8(part.length);
        w.bytes(part);
      }
      break;
    }
    case 'SOA':
      w.name(r.mname);
      w.name(r.rname);
      w.u32(r.serial);
      w.u32(r.refresh);
      w.u32(r.retry);
      w.u32(r.expire);
      w.u32(r.minimum);
      break;
    case 'RAW':
      w.bytes(r.rdata);
      break;
  }
  w.setU16(lenAt, w.len - start);
}

function fail(message: string): never {
  throw new DnsFormatError(message);
}

/** Encodes a message. `maxSize` (UDP: 512, or the EDNS size) truncates whole records and sets TC. */
export function encodeMessage(m: DnsMessage, maxSize = 65535): Buffer {
  const w = new Writer();
  w.u16(m.id);
  const flags = (m.qr ? 0x8000 : 0) | ((m.opcode & 0xf) << 11) | (m.aa ? 0x400 : 0) | (m.tc ? 0x200 : 0) | (m.rd ? 0x100 : 0) | (m.ra ? 0x80 : 0) | (m.ad ? 0x20 : 0) | (m.cd ? 0x10 : 0) | (m.rcode & 0xf);
  w.u16(flags);
  w.u16(m.questions.length);
  const countsAt = w.len;
  w.u16(0);
  w.u16(0);
  w.u16(0);
  for (const q of m.questions) {
    w.name(q.name);
    w.u16(q.type);
    w.u16(q.class);
  }
  const sections = [m.answers, m.authorities, m.additionals];
  const counts = [0, 0, 0];
  let truncated = false;
  for (let s = 0; s < 3 && !truncated; s++) {
    for (const r of sections[s]!) {
      const before = w.len;
      writeRecord(w, r);
      if (w.len > maxSize) {
        w.len = before;
        truncated = s < 2; // dropping additionals does not set TC (RFC 2181 9)
        break;
      }
      counts[s]!++;
    }
  }
  for (let s = 0; s < 3; s++) w.setU16(countsAt + 2 * s, counts[s]!);
  if (truncated) w.setU16(2, flags | 0x200);
  return w.result();
}

// ---- decoding --------------------------------------------------------------------------------

class Reader {
  pos = 0;
  constructor(readonly buf: Buffer) {}

  need(n: number): void {
    if (this.pos + n > this.buf.length) throw new DnsFormatError('message too short');
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  bytes(n: number): Buffer {
    this.need(n);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  /** A possibly compressed name; `pos` ends after the name's bytes at this place. */
  name(): string {
    const labels: string[] = [];
    let pos = this.pos;
    let jumped = false;
    let hops = 0;
    let total = 0;
    for (;;) {
      if (pos >= this.buf.length) throw new DnsFormatError('name runs past the message');
      const len = this.buf[pos]!;
      if ((len & 0xc0) === 0xc0) {
        if (pos + 1 >= this.buf.length) throw new DnsFormatError('truncated compression pointer');
        const target = ((len & 0x3f) << 8) | this.buf[pos + 1]!;
        if (!jumped) this.pos = pos + 2;
        jumped = true;
        if (++hops > 64 || target >= this.buf.length) throw new DnsFormatError('bad compression pointer');
        pos = target;
        continue;
      }
      if (len & 0xc0) throw new DnsFormatError('unsupported label type');
      if (len === 0) {
        if (!jumped) this.pos = pos + 1;
        break;
      }
      if (pos + 1 + len > this.buf.length) throw new DnsFormatError('label runs past the message');
      total += len + 1;
      if (total > 255) throw new DnsFormatError('name too long');
      let label = '';
      for (let i = pos + 1; i <= pos + len; i++) label += String.fromCharCode(this.buf[i]!);
      labels.push(label);
      pos += 1 + len;
    }
    return labels.join('.');
  }
}

function readRecord(r: Reader): WireRecord {
  const name = r.name();
  r.need(10);
  const buf = r.buf;
  const type = buf.readUInt16BE(r.pos);
  const cls = buf.readUInt16BE(r.pos + 2);
  const ttl = buf.readUInt32BE(r.pos + 4);
  const rdlen = buf.readUInt16BE(r.pos + 8);
  r.pos += 10;
  r.need(rdlen);
  const end = r.pos + rdlen;
  let rec: WireRecord;
  switch (type) {
    case TYPE.A:
      if (rdlen !== 4) throw new DnsFormatError('bad A record length');
      rec = { name, ttl, class: cls, type: 'A', address: `${buf[r.pos]}.${buf[r.pos + 1]}.${buf[r.pos + 2]}.${buf[r.pos + 3]}` };
      r.pos += 4;
      break;
    case TYPE.AAAA:
      if (rdlen !== 16) throw new DnsFormatError('bad AAAA record length');
      rec = { name, ttl, class: cls, type: 'AAAA', address: formatIpv6(r.bytes(16)) };
      break;
    case TYPE.CNAME:
    case TYPE.PTR:
    case TYPE.NS:
      rec = { name, ttl, class: cls, type: type === TYPE.CNAME ? 'CNAME' : type === TYPE.PTR ? 'PTR' : 'NS', target: r.name() };
      break;
    case TYPE.SRV:
      rec = { name, ttl, class: cls, type: 'SRV', priority: r.u16(), weight: r.u16(), port: r.u16(), target: r.name() };
      break;
    case TYPE.MX:
      rec = { name, ttl, class: cls, type: 'MX', preference: r.u16(), exchange: r.name() };
      break;
    case TYPE.TXT: {
      const parts: Buffer[] = [];
      while (r.pos < end) parts.push(r.bytes(r.u8()));
      rec = { name, ttl, class: cls, type: 'TXT', text: Buffer.concat(parts).toString('utf8') };
      break;
    }
    case TYPE.SOA:
      rec = { name, ttl, class: cls, type: 'SOA', mname: r.name(), rname: r.name(), serial: r.u32(), refresh: r.u32(), retry: r.u32(), expire: r.u32(), minimum: r.u32() };
      break;
    default:
      rec = { name, ttl, class: cls, type: 'RAW', code: type, rdata: Buffer.from(r.bytes(rdlen)) };
  }
  if (r.pos !== end) throw new DnsFormatError('record data length mismatch');
  return rec;
}

/** Decodes a whole message; throws DnsFormatError when it is malformed. */
export function decodeMessage(buf: Buffer): DnsMessage {
  const r = new Reader(buf);
  if (buf.length < 12) throw new DnsFormatError('message shorter than a header');
  const id = r.u16();
  const flags = r.u16();
  const qd = r.u16();
  const an = r.u16();
  const ns = r.u16();
  const ar = r.u16();
  const questions: DnsQuestion[] = [];
  for (let i = 0; i < qd; i++) questions.push({ name: r.name(), type: r.u16(), class: r.u16() });
  const section = (n: number) => {
    const out: WireRecord[] = [];
    for (let i = 0; i < n; i++) out.push(readRecord(r));
    return out;
  };
  const answers = section(an);
  const authorities = section(ns);
  const additionals = section(ar);
  return {
    id,
    qr: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    aa: (flags & 0x400) !== 0,
    tc: (flags & 0x200) !== 0,
    rd: (flags & 0x100) !== 0,
    ra: (flags & 0x80) !== 0,
    ad: (flags & 0x20) !== 0,
    cd: (flags & 0x10) !== 0,
    rcode: flags & 0xf,
    questions,
    answers,
    authorities,
    additionals,
  };
}

/** Reads only the header's id and first question (a server's cheap path to FORMERR answers). */
export function peekId(buf: Buffer): number | undefined {
  return buf.length >= 2 ? buf.readUInt16BE(0) : undefined;
}
