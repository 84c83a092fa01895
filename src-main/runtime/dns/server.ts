/**
 * A DNS server's message handling over a ClusterDnsZone: one wire-format query in, one
 * wire-format response out (what the simulated CoreDNS does for every UDP datagram and every
 * length-framed TCP message). Headers and sections are as CoreDNS writes them: `aa` set and `ra`
 * clear for the cluster zone (dig's "recursion requested but not available"), the zone's SOA in
 * the authority section of NXDOMAIN/NODATA answers, the requester's EDNS0 OPT echoed, UDP answers
 * truncated (TC) past 512 bytes or the EDNS size.
 */
import type { ClusterDnsZone, DnsAnswer, DnsQueryType, DnsRecord } from '../../network/types';
import { CLASS_IN, DnsFormatError, RCODE, RCODE_NAMES, TYPE, decodeMessage, encodeMessage, typeName, type DnsMessage, type WireRecord } from './wire';

const ZONE_TYPES = new Set<string>(['A', 'AAAA', 'CNAME', 'PTR', 'SRV', 'TXT', 'ANY', 'NS', 'SOA', 'MX']);
/**
 * What the root zone's servers put in the authority section of a negative answer; the Corefile's
 * `cache 30` caps its TTL at 30 on the way out.
 */
const ROOT_SOA: WireRecord = { name: '', type: 'SOA', ttl: 30, mname: 'a.root-servers.net', rname: 'nstld.verisign-grs.com', serial: 2025112300, refresh: 1800, retry: 900, expire: 604800, minimum: 86400 };
const EDNS_SIZE = 1232;

export interface ServeOptions {
  /** The cluster zone (`cluster.local`). */
  zone?: string;
  /** `udp` answers are limited to 512 bytes (or the EDNS size) and truncated with TC. */
  transport: 'udp' | 'tcp';
  /** The kubernetes block's `ttl` (the zone answers with 30, kubeadm's value). */
  ttl?: number;
  /** Called once a query is answered (the `log` plugin's line). */
  onAnswered?(info: AnsweredQuery): void;
}

/** What CoreDNS's `log` plugin prints of one exchange. */
export interface AnsweredQuery {
  id: number;
  /** `A`, `SRV`, … */
  type: string;
  class: string;
  /** With the trailing dot, as asked. */
  name: string;
  requestSize: number;
  /** The EDNS DO bit. */
  do: boolean;
  /** The EDNS buffer size, 512 without EDNS. */
  bufsize: number;
  rcode: string;
  /** `qr,aa,rd` … */
  flags: string;
  responseSize: number;
}

function soa(zone: string, serial: number, ttl: number): WireRecord {
  return { name: zone, type: 'SOA', ttl, mname: `ns.dns.${zone}`, rname: `hostmaster.${zone}`, serial, refresh: 7200, retry: 1800, expire: 86400, minimum: ttl };
}

function wire(r: DnsRecord): WireRecord {
  return r as WireRecord;
}

/** Answers one query packet; undefined when it is not even a header (nothing to answer). Never throws. */
export function serveDnsPacket(zoneData: ClusterDnsZone, packet: Buffer, opts: ServeOptions): Buffer | undefined {
  try {
    return answerPacket(zoneData, packet, opts);
  } catch {
    // an answer that cannot be encoded (or a zone that failed): SERVFAIL, as a plugin error is
    if (packet.length < 12) return undefined;
    const out = Buffer.alloc(12);
    packet.copy(out, 0, 0, 4);
    out[2] = (out[2]! | 0x80) & ~0x06;
    out[3] = RCODE.SERVFAIL;
    return out;
  }
}

function answerPacket(zoneData: ClusterDnsZone, packet: Buffer, opts: ServeOptions): Buffer | undefined {
  const zone = opts.zone ?? 'cluster.local';
  let query: DnsMessage;
  try {
    query = decodeMessage(packet);
  } catch (e) {
    if (!(e instanceof DnsFormatError) || packet.length < 12) return undefined;
    // miekg/dns answers an unparsable message with FORMERR and the request's id
    const out = Buffer.alloc(12);
    packet.copy(out, 0, 0, 4);
    out[2] = (out[2]! | 0x80) & ~0x06;
    out[3] = RCODE.FORMERR;
    return out;
  }
  if (query.qr) return undefined;
  const reply: DnsMessage = { id: query.id, qr: true, opcode: query.opcode, aa: false, tc: false, rd: query.rd, ra: false, ad: false, cd: query.cd, rcode: 0, questions: query.questions.slice(0, 1), answers: [], authorities: [], additionals: [] };
  const opt = query.additionals.find((r) => r.type === 'RAW' && r.code === TYPE.OPT);
  const maxUdp = opt ? Math.max(512, Math.min(opt.class ?? 512, 65535)) : 512;
  const finish = () => {
    if (opt) reply.additionals.push({ name: '', type: 'RAW', code: TYPE.OPT, class: EDNS_SIZE, ttl: 0, rdata: Buffer.alloc(0) });
    const out = encodeMessage(reply, opts.transport === 'udp' ? maxUdp : 65535);
    if (opts.onAnswered) {
      const q0 = query.questions[0];
      const tc = (out[2]! & 0x02) !== 0;
      opts.onAnswered({
        id: query.id,
        type: q0 ? typeName(q0.type) : 'TYPE0',
        class: q0?.class === CLASS_IN ? 'IN' : `CLASS${q0?.class ?? 0}`,
        name: `${q0?.name ?? ''}.`,
        requestSize: packet.length,
        do: opt ? (opt.ttl & 0x8000) !== 0 : false,
        bufsize: opt ? (opt.class ?? 512) : 512,
        rcode: RCODE_NAMES[reply.rcode] ?? String(reply.rcode),
        flags: ['qr', reply.aa && 'aa', tc && 'tc', reply.rd && 'rd', reply.ra && 'ra'].filter(Boolean).join(','),
        responseSize: out.length,
      });
    }
    return out;
  };
  if (query.opcode !== 0) {
    reply.rcode = RCODE.NOTIMP;
    return finish();
  }
  const q = query.questions[0];
  if (query.questions.length !== 1 || !q) {
    reply.rcode = RCODE.FORMERR;
    return finish();
  }
  if (q.class !== CLASS_IN) {
    reply.rcode = RCODE.REFUSED;
    return finish();
  }
  const qname = q.name.toLowerCase();
  const tname = typeName(q.type);
  const inZone = qname === zone || qname.endsWith(`.${zone}`);
  const serial = (zoneData as { serial?: number }).serial ?? Math.floor(Date.now() / 1000);
  const ttl = opts.ttl ?? 30;
  // the Corefile's ttl replaces the zone's for its records (not dns-version's fixed 28800)
  const withTtl = (r: WireRecord): WireRecord => (opts.ttl === undefined || r.ttl === 28800 ? r : { ...r, ttl });

  // the apex's own records (the plugin's NS/SOA handling)
  if (qname === zone && (tname === 'SOA' || tname === 'NS')) {
    reply.aa = true;
    if (tname === 'SOA') reply.answers.push(soa(zone, serial, ttl));
    else {
      reply.answers.push({ name: zone, type: 'NS', ttl, target: `ns.dns.${zone}` });
      const ns = zoneData.query(`ns.dns.${zone}`, 'A');
      reply.additionals.push(...ns.answers.map(wire));
    }
    return finish();
  }

  const asked: DnsQueryType = ZONE_TYPES.has(tname) ? (tname as DnsQueryType) : 'MX';
  let answer: DnsAnswer;
  try {
    answer = zoneData.query(qname, asked);
  } catch {
    reply.rcode = RCODE.SERVFAIL;
    return finish();
  }
  reply.rcode = RCODE[answer.rcode];
  const known = ZONE_TYPES.has(tname);
  // the question's own spelling is kept in answers (DNS is case-preserving)
  const own = (r: DnsRecord): WireRecord => withTtl((r.name === qname ? { ...r, name: q.name } : r) as WireRecord);
  if (known) {
    reply.answers.push(...answer.answers.map(own));
    reply.additionals.push(...(answer.additionals ?? []).map((r) => withTtl(wire(r))));
  }
  const authoritative = inZone || answer.authority === 'in-addr.arpa' || answer.authority === 'ip6.arpa' || (answer.rcode === 'NOERROR' && answer.answers.some((r) => r.type === 'PTR'));
  if (authoritative) reply.aa = true;
  else reply.ra = true; // the forward plugin relays the upstream's recursive answer
  if (!reply.answers.length && answer.authority !== undefined) {
    reply.authorities.push(answer.authority === '' ? ROOT_SOA : soa(answer.authority, serial, ttl));
  }
  return finish();
}
