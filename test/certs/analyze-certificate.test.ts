/**
 * Certificate details checked against what OpenSSL prints for the same files, computed here by
 * running openssl (not pasted).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeCertificate } from '../../src/certs/analyze-certificate.ts';
import { analyzeCsr } from '../../src/certs/analyze-csr.ts';
import { cloudHints } from '../../src/certs/cloud-hints.ts';
import { sameDn } from '../../src/certs/dn.ts';

const PKI = new URL('../fixtures/pki/', import.meta.url).pathname;
const CERTS = ['ca.crt', 'device.crt', 'other.crt', 'rsaserver.crt', 'server.crt'];
const OPENSSL = spawnSync('openssl', ['version']).status === 0;
if (!OPENSSL) console.log('analyze-certificate.test: openssl not found, OpenSSL cross-checks skipped');

const openssl = (...args: string[]) => execFileSync('openssl', args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
/** OpenSSL's oneline names put spaces around `=`: `CN = x, O = y`. */
const osslDn = (s: string) => s.replace(/ = /g, '=');

function field(out: string, key: string): string {
  const line = out.split('\n').find((l) => l.startsWith(`${key}=`));
  if (!line) throw new Error(`openssl printed no ${key}`);
  return line.slice(key.length + 1).trim();
}

/** openssl verify with the file as its own only trust anchor: succeeds only for a certificate that signs itself. */
function opensslSelfSigned(file: string): boolean {
  return spawnSync('openssl', ['verify', '-no_check_time', '-check_ss_sig', '-CAfile', file, file], { stdio: 'pipe' }).status === 0;
}

describe.skipIf(!OPENSSL).each(CERTS)('%s against openssl x509', (name) => {
  const file = join(PKI, name);
  const pem = readFileSync(file, 'utf8');
  const ossl = OPENSSL ? openssl('x509', '-in', file, '-noout', '-subject', '-issuer', '-dates', '-fingerprint', '-sha256', '-serial') : '';
  const text = OPENSSL ? openssl('x509', '-in', file, '-noout', '-text') : '';

  it('subject, issuer, serial', async () => {
    const d = await analyzeCertificate(pem);
    expect(sameDn(d.subject, osslDn(field(ossl, 'subject')))).toBe(true);
    expect(sameDn(d.issuer, osslDn(field(ossl, 'issuer')))).toBe(true);
    expect(d.serial).toBe(field(ossl, 'serial').toLowerCase());
  });

  it('notBefore / notAfter', async () => {
    const d = await analyzeCertificate(pem);
    expect(d.notBefore).toBe(new Date(field(ossl, 'notBefore')).toISOString());
    expect(d.notAfter).toBe(new Date(field(ossl, 'notAfter')).toISOString());
  });

  it('SHA-256 fingerprint', async () => {
    const d = await analyzeCertificate(pem);
    expect(d.sha256).toBe(field(ossl, 'sha256 Fingerprint').replace(/:/g, '').toLowerCase());
  });

  it('self-signed means: openssl verifies it with itself as the only anchor', async () => {
    const d = await analyzeCertificate(pem);
    expect(d.selfSigned).toBe(opensslSelfSigned(file));
  });

  it('key and signature algorithm', async () => {
    const d = await analyzeCertificate(pem);
    const sig = /Signature Algorithm: (\S+)/.exec(text)?.[1];
    expect(d.signatureAlgorithm).toBe(sig);
    const bits = /Public-Key: \((\d+) bit\)/.exec(text)?.[1];
    const curve = /NIST CURVE: (\S+)/.exec(text)?.[1];
    expect(d.keyAlgorithm).toBe(curve ? `EC ${curve}` : `RSA ${bits}`);
  });

  it('SAN and basic constraints', async () => {
    const d = await analyzeCertificate(pem);
    const ext = openssl('x509', '-in', file, '-noout', '-ext', 'subjectAltName,basicConstraints');
    const sanLine = /Subject Alternative Name:[^\n]*\n\s*(.+)/.exec(ext)?.[1];
    const san = sanLine ? sanLine.split(', ').map((s) => s.replace('IP Address:', 'IP:')) : [];
    expect(d.san).toEqual(san);
    expect(d.basicConstraints?.ca ?? false).toBe(/CA:TRUE/.test(ext));
  });
});

describe.skipIf(!OPENSSL)('self-signed needs a signature that verifies', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hsmon-certs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('device.crt with one signature byte flipped: issuer == subject, but not self-signed (openssl agrees)', async () => {
    const der = execFileSync('openssl', ['x509', '-in', join(PKI, 'device.crt'), '-outform', 'DER']);
    der[der.length - 1] = der[der.length - 1]! ^ 0x01;
    const file = join(dir, 'tampered.der');
    writeFileSync(file, der);
    const pemFile = join(dir, 'tampered.crt');
    writeFileSync(pemFile, openssl('x509', '-inform', 'DER', '-in', file));
    const d = await analyzeCertificate(new Uint8Array(der));
    expect(d.selfIssued).toBe(true);
    expect(d.selfSigned).toBe(opensslSelfSigned(pemFile));
    expect(d.selfSigned).toBe(false);
  });
});

describe('validity against a clock', () => {
  const pem = readFileSync(join(PKI, 'device.crt'), 'utf8');
  // device.crt: notBefore 2026-11-22T14:06:30Z, notAfter 2027-11-22T14:06:30Z (openssl -dates).

  it('uses the device clock when given', async () => {
    const d = await analyzeCertificate(pem, { deviceNow: new Date('2027-11-21T14:06:30Z'), now: new Date('2000-01-01T00:00:00Z') });
    expect(d).toMatchObject({ clock: 'device', daysLeft: 1, expired: false, notYetValid: false, now: '2027-11-21T14:06:30.000Z' });
  });

  it('a device clock at 1970 makes it not yet valid', async () => {
    const d = await analyzeCertificate(pem, { deviceNow: new Date(0) });
    expect(d).toMatchObject({ clock: 'device', notYetValid: true, expired: false });
    expect(d.hints.some((h) => /device time/.test(h.message))).toBe(true);
  });

  it('falls back to the host clock; expired after notAfter', async () => {
    const d = await analyzeCertificate(pem, { now: new Date('2027-11-23T14:06:30Z') });
    expect(d).toMatchObject({ clock: 'host', daysLeft: -1, expired: true, notYetValid: false });
  });
});

describe('CSR', () => {
  it.skipIf(!OPENSSL)('subject, key and signature check match openssl req', async () => {
    const file = join(PKI, 'device.csr');
    const r = spawnSync('openssl', ['req', '-in', file, '-noout', '-subject', '-verify'], { encoding: 'utf8' });
    const d = await analyzeCsr(readFileSync(file, 'utf8'));
    expect(sameDn(d.subject, osslDn(field(r.stdout, 'subject')))).toBe(true);
    expect(d.signatureValid).toBe(/verify OK/.test(r.stdout + r.stderr));
    expect(d.keyAlgorithm).toBe('EC P-256');
    expect(d.signatureAlgorithm).toBe('ecdsa-with-SHA256');
  });

  it('a CSR whose signature was altered does not verify', async () => {
    const der = Buffer.from(readFileSync(join(PKI, 'device.csr'), 'utf8').replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
    der[der.length - 1] = der[der.length - 1]! ^ 0x01;
    expect((await analyzeCsr(new Uint8Array(der))).signatureValid).toBe(false);
  });
});

describe('cloud hints', () => {
  const base = { signatureAlgorithm: 'ecdsa-with-SHA256', selfSigned: false };
  it.each([
    ['EC P-256', false], ['EC P-384', false], ['RSA 2048', false], ['RSA 4096', false],
    ['RSA 1024', true], ['EC secp256k1', true], ['EC brainpoolP256r1', true], ['Ed25519', true],
  ])('AWS IoT and a %s key: warning %s', (keyAlgorithm, warn) => {
    const hints = cloudHints({ ...base, keyAlgorithm });
    expect(hints.some((h) => h.broker === 'aws-iot' && h.severity === 'warning')).toBe(warn);
  });

  it('warns on SHA-1 signatures', () => {
    expect(cloudHints({ ...base, keyAlgorithm: 'EC P-256', signatureAlgorithm: 'ecdsa-with-SHA1' }).some((h) => /SHA-256\/384\/512/.test(h.message))).toBe(true);
  });
});

describe('bad input', () => {
  it('throws on something that is not a certificate (callers turn it into a finding)', async () => {
    await expect(analyzeCertificate('-----BEGIN CERTIFICATE-----\nQUFBQQ==\n-----END CERTIFICATE-----')).rejects.toThrow();
    await expect(analyzeCertificate('hello')).rejects.toThrow();
  });
});
