import { describe, expect, it } from 'vitest';
import { DnsFormatError, TYPE, decodeMessage, encodeMessage, makeQuery, typeCode, typeName, type DnsMessage } from '../../../../src-main/runtime/dns/wire';
import { addressFromReverse, formatIpv6, parseIpv6, reverseName } from '../../../../src-main/runtime/dns/ip';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('DNS wire format', () => {
  it('encodes a stub query byte for byte as a resolver sends it', () => {
    const q = encodeMessage(makeQuery(0x1234, 'www.example.com', TYPE.A));
    expect(q.toString('hex')).toBe('12340100000100000000000003777777076578616d706c6503636f6d0000010001');
  });

  it('decodes a real response with compression pointers (answer name → question, CNAME target → suffix)', () => {
    // id 0xbeef, QR AA RD, 1 question, 2 answers: www.example.com CNAME web.example.com; web.example.com A 93.184.216.34
    const pkt = hex(`
      beef 8500 0001 0002 0000 0000
      03 777777 07 6578616d706c65 03 636f6d 00 0001 0001
      c00c 0005 0001 0000012c 0006 03 776562 c010
      c02d 0001 0001 0000012c 0004 5db8d822`);
    const m = decodeMessage(pkt);
    expect(m).toMatchObject({ id: 0xbeef, qr: true, aa: true, rd: true, ra: false, rcode: 0 });
    expect(m.questions).toEqual([{ name: 'www.example.com', type: 1, class: 1 }]);
    expect(m.answers).toEqual([
      { name: 'www.example.com', ttl: 300, class: 1, type: 'CNAME', target: 'web.example.com' },
      { name: 'web.example.com', ttl: 300, class: 1, type: 'A', address: '93.184.216.34' },
    ]);
  });

  it('round-trips every record type and compresses repeated names', () => {
    const msg: DnsMessage = {
      id: 7, qr: true, opcode: 0, aa: true, tc: false, rd: true, ra: false, ad: false, cd: false, rcode: 3,
      questions: [{ name: '_http._tcp.web.default.svc.cluster.local', type: TYPE.SRV, class: 1 }],
      answers: [
        { name: '_http._tcp.web.default.svc.cluster.local', type: 'SRV', ttl: 30, class: 1, priority: 0, weight: 50, port: 80, target: '10-244-1-5.web.default.svc.cluster.local' },
        { name: 'x.default.svc.cluster.local', type: 'AAAA', ttl: 30, class: 1, address: 'fd00::1' },
        { name: '5.1.244.10.in-addr.arpa', type: 'PTR', ttl: 30, class: 1, target: 'web.default.svc.cluster.local' },
        { name: 'dns-version.cluster.local', type: 'TXT', ttl: 28800, class: 1, text: '1.1.0' },
        { name: 'ext.default.svc.cluster.local', type: 'CNAME', ttl: 30, class: 1, target: 'my.database.example.com' },
        { name: 'example.com', type: 'MX', ttl: 30, class: 1, preference: 10, exchange: 'mail.example.com' },
      ],
      authorities: [{ name: 'cluster.local', type: 'SOA', ttl: 30, class: 1, mname: 'ns.dns.cluster.local', rname: 'hostmaster.cluster.local', serial: 1700000000, refresh: 7200, retry: 1800, expire: 86400, minimum: 30 }],
      additionals: [{ name: '', type: 'RAW', code: TYPE.OPT, class: 1232, ttl: 0, rdata: Buffer.alloc(0) }],
    };
    const bytes = encodeMessage(msg);
    expect(decodeMessage(bytes)).toEqual(msg);
    // `default.svc.cluster.local` is written in the question and in the SRV target (never
    // compressed, RFC 2782); every other owner name and target points back at it
    expect(bytes.toString('latin1').split('default').length - 1).toBe(2);
  });

  it('splits long TXT strings into 255-byte character-strings and joins them back', () => {
    const text = 'x'.repeat(600);
    const bytes = encodeMessage({ ...makeQuery(1, 't.example', TYPE.TXT), qr: true, answers: [{ name: 't.example', type: 'TXT', ttl: 1, text }] });
    expect((decodeMessage(bytes).answers[0] as { text: string }).text).toBe(text);
  });

  it('truncates a UDP answer past the size limit and sets TC', () => {
    const answers = Array.from({ length: 60 }, (_, i) => ({ name: 'many.default.svc.cluster.local', type: 'A' as const, ttl: 30, address: `10.244.0.${i}` }));
    const bytes = encodeMessage({ ...makeQuery(2, 'many.default.svc.cluster.local', TYPE.A), qr: true, answers }, 512);
    expect(bytes.length).toBeLessThanOrEqual(512);
    const m = decodeMessage(bytes);
    expect(m.tc).toBe(true);
    expect(m.answers.length).toBeLessThan(60);
  });

  it('rejects malformed packets: short header, pointer loops, label past the end, bad rdlength', () => {
    expect(() => decodeMessage(hex('1234 0100'))).toThrow(DnsFormatError);
    expect(() => decodeMessage(hex('1234 0100 0001 0000 0000 0000 c00c 0001 0001'))).toThrow(/compression pointer/);
    expect(() => decodeMessage(hex('1234 0100 0001 0000 0000 0000 05 6162 00'))).toThrow(DnsFormatError);
    expect(() => decodeMessage(hex('1234 8100 0000 0001 0000 0000 00 0001 0001 00000001 0005 01020304'))).toThrow(DnsFormatError);
  });

  it('names types like dig', () => {
    expect(typeName(33)).toBe('SRV');
    expect(typeName(99)).toBe('TYPE99');
    expect(typeCode('srv')).toBe(33);
    expect(typeCode('TYPE65')).toBe(65);
    expect(typeCode('bogus')).toBeUndefined();
  });

  it('formats IPv6 and reverse names', () => {
    expect(formatIpv6(parseIpv6('fd00:0:0:0:0:0:0:1')!)).toBe('fd00::1');
    expect(formatIpv6(parseIpv6('::ffff:10.0.0.1')!)).toBe('::ffff:a00:1');
    expect(parseIpv6('1::2::3')).toBeUndefined();
    expect(reverseName('10.96.0.10')).toBe('10.0.96.10.in-addr.arpa');
    expect(addressFromReverse('10.0.96.10.in-addr.arpa.')).toBe('10.96.0.10');
    expect(addressFromReverse(reverseName('fd00::1')!)).toBe('fd00::1');
    expect(addressFromReverse('0.96.10.in-addr.arpa')).toBeUndefined();
  });
});
