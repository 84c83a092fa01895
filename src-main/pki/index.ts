/**
 * The cluster's PKI: a self-signed CA, the API server's serving certificate and the admin bearer
 * token, kept in `<dataDir>/pki/` so kubeconfigs written on one start keep working on the next.
 *
 * May import: node built-ins only.
 * Must not import: anything else in src-main (the cluster wiring imports this, not the reverse).
 */
import { X509Certificate, createPrivateKey, randomBytes, type KeyObject } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { createCa, createServerCert } from './generate';

export interface Pki {
  /** PEM of the self-signed cluster CA (a kubeconfig's certificate-authority-data). */
  caCertPem: string;
  /** PEM of the API server's serving certificate, signed by the CA. */
  serverCertPem: string;
  /** PKCS#8 PEM of the serving certificate's private key. */
  serverKeyPem: string;
  /** Bearer token of the cluster admin. */
  adminToken: string;
}

export interface PkiOptions {
  /** Clock for validity checks and new certificates (tests). Default: the real one. */
  now?: () => Date;
}

/** Names the serving certificate is valid for: loopback plus the in-cluster `kubernetes` service. */
export const SERVER_SANS: readonly string[] = [
  '127.0.0.1',
  'localhost',
  '::1',
  'kubernetes',
  'kubernetes.default',
  'kubernetes.default.svc',
  'kubernetes.default.svc.cluster.local',
  '10.96.0.1',
];

const DAY_MS = 24 * 60 * 60 * 1000;
export const CA_VALIDITY_DAYS = 3650;
export const SERVER_VALIDITY_DAYS = 365;
/** A certificate with fewer days than this left is replaced on start. */
export const RENEW_BEFORE_DAYS = 30;

export const PKI_FILES = {
  caCert: 'ca.crt',
  caKey: 'ca.key',
  serverCert: 'apiserver.crt',
  serverKey: 'apiserver.key',
  adminToken: 'admin.token',
} as const;

const SECRET = 0o600;
const PUBLIC = 0o644;

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`pki: cannot read ${path}: ${(e as Error).message}`);
  }
}

/** Writes via a temp file and rename so a crash never leaves half a key behind. */
function writeAtomic(path: string, data: string, mode: number): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data, { mode });
  chmodSync(tmp, mode); // the umask may have narrowed or the file pre-existed
  renameSync(tmp, path);
}

function parseCert(pem: string | undefined): X509Certificate | undefined {
  if (!pem) return undefined;
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}

function parseKey(pem: string | undefined): KeyObject | undefined {
  if (!pem) return undefined;
  try {
    return createPrivateKey(pem);
  } catch {
    return undefined;
  }
}

function daysLeft(cert: X509Certificate, now: Date): number {
  return (new Date(cert.validTo).getTime() - now.getTime()) / DAY_MS;
}

function notYetValid(cert: X509Certificate, now: Date): boolean {
  return new Date(cert.validFrom).getTime() > now.getTime();
}

/** SANs as node prints them: `DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1`. */
function sanSet(cert: X509Certificate): Set<string> {
  const out = new Set<string>();
  for (const part of (cert.subjectAltName ?? '').split(/,\s*/)) {
    const m = /^(DNS|IP Address):(.*)$/.exec(part.trim());
    if (!m) continue;
    out.add(m[1] === 'DNS' ? m[2] : normaliseIp(m[2]));
  }
  return out;
}

function normaliseIp(ip: string): string {
  if (isIP(ip) !== 6) return ip;
  // Expand then compress so `0:0:0:0:0:0:0:1` and `::1` compare equal.
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return groups.map((g) => parseInt(g, 16).toString(16)).join(':');
}

function hasAllSans(cert: X509Certificate): boolean {
  const have = sanSet(cert);
  return SERVER_SANS.every((n) => have.has(isIP(n) ? normaliseIp(n) : n));
}

/**
 * Loads the PKI from `<dataDir>/pki/`, creating whatever is missing or unusable:
 * - no CA (or an unreadable, expiring or mismatched one): a new CA, a new serving certificate;
 * - a serving certificate that is missing, not signed by the CA, lacks a SAN or has fewer than
 *   30 days left: a new one from the existing CA (existing kubeconfigs stay valid);
 * - no admin token: a new random one (kept otherwise).
 */
export async function loadOrCreatePki(dataDir: string, opts: PkiOptions = {}): Promise<Pki> {
  const now = (opts.now ?? (() => new Date()))();
  const dir = join(dataDir, 'pki');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = (name: keyof typeof PKI_FILES) => join(dir, PKI_FILES[name]);

  let caCertPem = readOrUndefined(file('caCert'));
  let caKeyPem = readOrUndefined(file('caKey'));
  const ca = parseCert(caCertPem);
  const caKey = parseKey(caKeyPem);
  const caUsable =
    ca !== undefined && caKey !== undefined && ca.ca && ca.checkPrivateKey(caKey) && !notYetValid(ca, now) && daysLeft(ca, now) >= RENEW_BEFORE_DAYS;

  let serverCertPem = readOrUndefined(file('serverCert'));
  let serverKeyPem = readOrUndefined(file('serverKey'));
  let serverUsable = false;
  if (caUsable) {
    const cert = parseCert(serverCertPem);
    const key = parseKey(serverKeyPem);
    serverUsable =
      cert !== undefined &&
      key !== undefined &&
      cert.checkPrivateKey(key) &&
      cert.checkIssued(ca) &&
      cert.verify(ca.publicKey) &&
      !notYetValid(cert, now) &&
      daysLeft(cert, now) >= RENEW_BEFORE_DAYS &&
      hasAllSans(cert);
  }

  if (!caUsable || !serverUsable) {
    if (!caUsable) {
      const created = createCa(now, CA_VALIDITY_DAYS);
      caCertPem = created.certPem;
      caKeyPem = created.keyPem;
      writeAtomic(file('caKey'), caKeyPem, SECRET);
      writeAtomic(file('caCert'), caCertPem, PUBLIC);
    }
    const server = createServerCert(caCertPem!, caKeyPem!, now, SERVER_VALIDITY_DAYS, SERVER_SANS);
    serverCertPem = server.certPem;
    serverKeyPem = server.keyPem;
    writeAtomic(file('serverKey'), serverKeyPem, SECRET);
    writeAtomic(file('serverCert'), serverCertPem, PUBLIC);
  }

  let adminToken = readOrUndefined(file('adminToken'))?.trim();
  if (!adminToken || !/^[A-Za-z0-9._~+/=-]{16,}$/.test(adminToken)) {
    adminToken = randomBytes(32).toString('base64url');
    writeAtomic(file('adminToken'), `${adminToken}\n`, SECRET);
  }

  return { caCertPem: caCertPem!, serverCertPem: serverCertPem!, serverKeyPem: serverKeyPem!, adminToken };
}
