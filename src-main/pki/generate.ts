/**
 * Issues the CA and serving certificates: ECDSA P-256 keys from node:crypto, X.509 v3 encoded
 * with ./der and signed with ecdsa-with-SHA256. (Why not @peculiar/x509: importing it costs
 * ~190 ms and needs a Reflect metadata polyfill; this whole path takes a few ms. See README.md.)
 */
import { X509Certificate, createHash, createPrivateKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import { bits, bool, explicit, implicit, int, name, octets, oid, pem, seq, time } from './der';

const OID = {
  commonName: '2.5.4.3',
  organization: '2.5.4.10',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
} as const;

const DAY_MS = 24 * 60 * 60 * 1000;
/** notBefore is backdated a little for clocks slightly behind ours. */
const BACKDATE_MS = 5 * 60 * 1000;

export const CA_SUBJECT: [string, string][] = [
  [OID.organization, 'kubesim'],
  [OID.commonName, 'kubesim-ca'],
];
export const SERVER_SUBJECT: [string, string][] = [[OID.commonName, 'kube-apiserver']];

export interface Issued {
  certPem: string;
  /** PKCS#8 PEM. */
  keyPem: string;
}

function newKey(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
}

/** A positive 128-bit serial (Go rejects negative serials). */
function serial(): Buffer {
  const b = randomBytes(16);
  b[0] = (b[0] & 0x7f) | 0x01;
  return b;
}

/** RFC 5280 method 1: SHA-1 of the subjectPublicKey bits. */
function keyId(spki: Buffer): Buffer {
  // SubjectPublicKeyInfo ::= SEQUENCE { algorithm, BIT STRING }; the BIT STRING is last.
  // For P-256 the point is 65 bytes, so the BIT STRING body is the last 65 bytes of the SPKI.
  return createHash('sha1').update(spki.subarray(spki.length - 65)).digest();
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? seq(oid(id), bool(true), octets(value)) : seq(oid(id), octets(value));
}

function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

function sanExtension(names: readonly string[]): Buffer {
  return extension(
    OID.subjectAltName,
    false,
    seq(...names.map((n) => (isIP(n) ? implicit(7, ipBytes(n)) : implicit(2, Buffer.from(n, 'ascii'))))),
  );
}

function certificate(opts: {
  issuer: [string, string][];
  subject: [string, string][];
  notBefore: Date;
  notAfter: Date;
  spki: Buffer;
  extensions: Buffer[];
  signingKey: KeyObject;
}): string {
  const algorithm = seq(oid(OID.ecdsaWithSha256));
  const tbs = seq(
    explicit(0, int(2)), // v3
    int(serial()),
    algorithm,
    name(opts.issuer),
    seq(time(opts.notBefore), time(opts.notAfter)),
    name(opts.subject),
    opts.spki,
    explicit(3, seq(...opts.extensions)),
  );
  const signature = sign('sha256', tbs, opts.signingKey); // DER ECDSA-Sig-Value
  return pem('CERTIFICATE', seq(tbs, algorithm, bits(signature)));
}

function validity(now: Date, days: number): { notBefore: Date; notAfter: Date } {
  const notBefore = new Date(Math.floor((now.getTime() - BACKDATE_MS) / 1000) * 1000);
  return { notBefore, notAfter: new Date(notBefore.getTime() + days * DAY_MS) };
}

export function createCa(now: Date, days: number): Issued {
  const { privateKey, publicKey } = newKey();
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const certPem = certificate({
    issuer: CA_SUBJECT,
    subject: CA_SUBJECT,
    ...validity(now, days),
    spki,
    extensions: [
      // digitalSignature(0) | keyCertSign(5) | cRLSign(6): 1000 0110, one unused bit
      extension(OID.keyUsage, true, bits(Buffer.from([0x86]), 1)),
      extension(OID.basicConstraints, true, seq(bool(true))),
      extension(OID.subjectKeyIdentifier, false, octets(keyId(spki))),
    ],
    signingKey: privateKey,
  });
  return { certPem, keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
}

export function createServerCert(caCertPem: string, caKeyPem: string, now: Date, days: number, sans: readonly string[]): Issued {
  const ca = new X509Certificate(caCertPem);
  const caKey = createPrivateKey(caKeyPem);
  const caSpki = ca.publicKey.export({ type: 'spki', format: 'der' });
  const { privateKey, publicKey } = newKey();
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const v = validity(now, days);
  // Never outlive the issuer: Go rejects a chain whose CA expired, whatever the leaf says.
  const caEnd = new Date(ca.validTo);
  if (v.notAfter > caEnd) v.notAfter = caEnd;
  const certPem = certificate({
    issuer: CA_SUBJECT,
    subject: SERVER_SUBJECT,
    ...v,
    spki,
    extensions: [
      // digitalSignature(0): 1000 0000, seven unused bits
      extension(OID.keyUsage, true, bits(Buffer.from([0x80]), 7)),
      extension(OID.extKeyUsage, false, seq(oid(OID.serverAuth))),
      extension(OID.basicConstraints, true, seq()),
      extension(OID.authorityKeyIdentifier, false, seq(implicit(0, keyId(caSpki)))),
      sanExtension(sans),
    ],
    signingKey: caKey,
  });
  if (!new X509Certificate(certPem).verify(ca.publicKey)) {
    throw new Error('pki: the new serving certificate does not verify against the CA (is ca.key the key of ca.crt?)');
  }
  return { certPem, keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
}

