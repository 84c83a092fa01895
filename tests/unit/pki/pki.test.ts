import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, readFileSync, writeFileSync, unlinkSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreatePki, PKI_FILES, SERVER_SANS } from '../../../src-main/pki';
import { int, oid, time, tlv } from '../../../src-main/pki/der';

const DAY = 24 * 60 * 60 * 1000;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubesim-pki-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;

describe('loadOrCreatePki', () => {
  it('creates a CA and a serving certificate that chains to it', async () => {
    const pki = await loadOrCreatePki(dir);
    const ca = new X509Certificate(pki.caCertPem);
    const server = new X509Certificate(pki.serverCertPem);
    expect(ca.ca).toBe(true);
    expect(server.ca).toBe(false);
    expect(ca.verify(ca.publicKey)).toBe(true);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.checkIssued(ca)).toBe(true);
    expect(server.checkPrivateKey(createPrivateKey(pki.serverKeyPem))).toBe(true);
    expect(server.subject).toContain('CN=kube-apiserver');
  });

  it('puts every loopback and in-cluster name in the SANs, IPs as IP addresses', async () => {
    const server = new X509Certificate((await loadOrCreatePki(dir)).serverCertPem);
    const san = server.subjectAltName ?? '';
    for (const dns of ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local']) {
      expect(san).toContain(`DNS:${dns}`);
    }
    expect(san).toContain('IP Address:127.0.0.1');
    expect(san).toContain('IP Address:10.96.0.1');
    expect(san).toMatch(/IP Address:(0:0:0:0:0:0:0:1|::1)/);
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(server.checkIP('::1')).toBeDefined();
    expect(server.checkHost('kubernetes.default.svc.cluster.local')).toBe('kubernetes.default.svc.cluster.local');
    expect(SERVER_SANS).toHaveLength(8);
  });

  it('uses ECDSA P-256, CA valid 10 years, server 1 year', async () => {
    const now = new Date('2030-06-01T12:00:00Z');
    const pki = await loadOrCreatePki(dir, { now: () => now });
    const ca = new X509Certificate(pki.caCertPem);
    const server = new X509Certificate(pki.serverCertPem);
    expect(createPublicKey(pki.serverCertPem).asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    const years = (c: X509Certificate) => (new Date(c.validTo).getTime() - now.getTime()) / (365 * DAY);
    expect(years(ca)).toBeGreaterThan(9.9);
    expect(years(ca)).toBeLessThan(10.1);
    expect(years(server)).toBeGreaterThan(0.99);
    expect(years(server)).toBeLessThan(1.01);
    expect(new Date(server.validFrom).getTime()).toBeLessThanOrEqual(now.getTime());
  });

  it('persists with 0600 on keys and token, and reuses everything on the next start', async () => {
    const first = await loadOrCreatePki(dir);
    const pkiDir = join(dir, 'pki');
    if (process.platform !== 'win32') {
      for (const f of [PKI_FILES.caKey, PKI_FILES.serverKey, PKI_FILES.adminToken]) {
        expect(statSync(join(pkiDir, f)).mode & 0o777).toBe(0o600);
      }
    }
    expect(readFileSync(join(pkiDir, PKI_FILES.adminToken), 'utf8').trim()).toBe(first.adminToken);
    const second = await loadOrCreatePki(dir);
    expect(second).toEqual(first);
    expect(first.adminToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('renews the serving certificate within 30 days of expiry, keeping CA and token', async () => {
    const first = await loadOrCreatePki(dir);
    const expiry = new Date(new X509Certificate(first.serverCertPem).validTo).getTime();
    const later = await loadOrCreatePki(dir, { now: () => new Date(expiry - 29 * DAY) });
    expect(later.caCertPem).toBe(first.caCertPem);
    expect(later.adminToken).toBe(first.adminToken);
    expect(later.serverCertPem).not.toBe(first.serverCertPem);
    const renewed = new X509Certificate(later.serverCertPem);
    expect(renewed.verify(new X509Certificate(later.caCertPem).publicKey)).toBe(true);
    expect(new Date(renewed.validTo).getTime()).toBeGreaterThan(expiry);
    // 31 days before expiry: still kept
    const kept = await loadOrCreatePki(dir, { now: () => new Date(new Date(renewed.validTo).getTime() - 31 * DAY) });
    expect(kept.serverCertPem).toBe(later.serverCertPem);
  });

  it('reissues a missing serving certificate from the existing CA, and recreates a missing CA', async () => {
    const first = await loadOrCreatePki(dir);
    unlinkSync(join(dir, 'pki', PKI_FILES.serverCert));
    const again = await loadOrCreatePki(dir);
    expect(again.caCertPem).toBe(first.caCertPem);
    expect(again.serverCertPem).not.toBe(first.serverCertPem);

    writeFileSync(join(dir, 'pki', PKI_FILES.caKey), 'garbage');
    const fresh = await loadOrCreatePki(dir);
    expect(fresh.caCertPem).not.toBe(first.caCertPem);
    expect(new X509Certificate(fresh.serverCertPem).verify(new X509Certificate(fresh.caCertPem).publicKey)).toBe(true);
    expect(fresh.adminToken).toBe(first.adminToken);
  });

  it.runIf(hasOpenssl)('passes openssl verification (strict DER, serverAuth purpose)', async () => {
    await loadOrCreatePki(dir);
    const p = join(dir, 'pki');
    const out = execFileSync('openssl', ['verify', '-purpose', 'sslserver', '-CAfile', join(p, PKI_FILES.caCert), join(p, PKI_FILES.serverCert)], { encoding: 'utf8' });
    expect(out).toContain(': OK');
    const text = execFileSync('openssl', ['x509', '-in', join(p, PKI_FILES.serverCert), '-noout', '-text'], { encoding: 'utf8' });
    expect(text).toContain('TLS Web Server Authentication');
    expect(text).toContain('ecdsa-with-SHA256');
  });
});

describe('der encoders', () => {
  it('encodes lengths, integers, OIDs and times minimally', () => {
    expect(tlv(0x04, Buffer.alloc(127)).subarray(0, 2)).toEqual(Buffer.from([0x04, 0x7f]));
    expect(tlv(0x04, Buffer.alloc(128)).subarray(0, 3)).toEqual(Buffer.from([0x04, 0x81, 0x80]));
    expect(tlv(0x04, Buffer.alloc(300)).subarray(0, 4)).toEqual(Buffer.from([0x04, 0x82, 0x01, 0x2c]));
    expect(int(0)).toEqual(Buffer.from([0x02, 0x01, 0x00]));
    expect(int(2)).toEqual(Buffer.from([0x02, 0x01, 0x02]));
    expect(int(128)).toEqual(Buffer.from([0x02, 0x02, 0x00, 0x80]));
    expect(int(Buffer.from([0, 0, 0x7f]))).toEqual(Buffer.from([0x02, 0x01, 0x7f]));
    expect(oid('1.2.840.10045.4.3.2').toString('hex')).toBe('06082a8648ce3d040302');
    expect(oid('2.5.29.17').toString('hex')).toBe('0603551d11');
    expect(time(new Date('2049-12-31T23:59:59Z')).toString('latin1')).toBe('\x17\x0d491231235959Z');
    expect(time(new Date('2050-01-01T00:00:00Z')).toString('latin1')).toBe('\x18\x0f20500101000000Z');
  });
});
