/**
 * test/fixtures/keys/device-transcript.log (see its README) through the PSA and PEM parsers,
 * then the summary builders: summary.keys and summary.certificates as the lead's store will
 * build them. Expected values are read off the fixture and the pki files by hand.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DeviceEvent, EventOf } from '../../parsers/events.ts';
import { PemParser, type PemEvent } from '../../parsers/pem.ts';
import { PsaParser } from '../../parsers/psa.ts';
import { SecretRedactor } from '../../parsers/secrets.ts';
import { analyzePemEvent, deviceKeyFromPem, withKeyMatches, type DeviceKey } from '../../src/certs/certificate-summary.ts';
import { keysFromEvents } from '../../src/certs/key-table.ts';
import type { CertificateSummary } from '../../src/session/types.ts';

const raw = readFileSync(new URL('../fixtures/keys/device-transcript.log', import.meta.url), 'utf8');
// A stand-in for the framer: CRLF lines, the clear-screen escape removed.
const lines = raw.replace(/\r\n$/, '').split('\r\n').map((l) => l.replace(/\x1b\[[0-9;]*[A-Za-z]/g, ''));
const seqOf = (text: string) => {
  const i = lines.findIndex((l) => l.trim() === text);
  if (i < 0) throw new Error(`fixture has no line ${text}`);
  return i;
};

function parse(): DeviceEvent[] {
  const redactor = new SecretRedactor();
  const psa = new PsaParser();
  const pem = new PemParser();
  const out: DeviceEvent[] = [];
  lines.forEach((text, seq) => {
    const red = redactor.redact(text);
    expect(red.secret).toBeNull();
    const seg = { profile: 'none', body: text };
    const line = { seq, t: seq * 5, text };
    out.push(...psa.feed(seg, line), ...pem.feed(seg, line));
  });
  out.push(...psa.flush(), ...pem.flush());
  return out;
}

const of = <K extends DeviceEvent['kind']>(evs: DeviceEvent[], kind: K) => evs.filter((e): e is EventOf<K> => e.kind === kind);

describe('device transcript', () => {
  const events = parse();

  it('PSA calls with decoded status, in order', () => {
    expect(of(events, 'psa.call').map((e) => [e.fn, e.status, e.name, e.keyId ?? null, e.line])).toEqual([
      ['psa_crypto_init', 0, 'PSA_SUCCESS', null, seqOf('psa_crypto_init() = 0')],
      ['psa_generate_key', 0, 'PSA_SUCCESS', null, seqOf('psa_generate_key() = 0')],
      ['psa_export_public_key', 0, 'PSA_SUCCESS', null, seqOf('psa_export_public_key() = 0')],
      ['psa_generate_key', -134, 'PSA_ERROR_NOT_SUPPORTED', null, seqOf('psa_generate_key failed, status: PSA_ERROR_NOT_SUPPORTED')],
      ['psa_export_public_key', -141, 'PSA_ERROR_INSUFFICIENT_MEMORY', null, seqOf('psa_export_public_key returned -141')],
      ['psa_sign_hash', -133, 'PSA_ERROR_NOT_PERMITTED', 1, seqOf('psa_sign_hash(key id 0x1) returned -133 (-0x0085)')],
    ]);
  });

  it('the PSA ECDH step comes right before the -141', () => {
    const step = of(events, 'psa.step')[0];
    expect(step).toMatchObject({ name: 'ECDH computation', source: 'mbedtls' });
    expect(step!.line + 1).toBe(seqOf('psa_export_public_key returned -141'));
  });

  it('the device clock', () => {
    expect(of(events, 'device.clock')).toEqual([expect.objectContaining({ iso: '2026-11-22T15:00:00.000Z', source: 'hsmon' })]);
  });

  it('summary.keys', () => {
    expect(keysFromEvents(events)).toEqual([
      // hsmon key line, then psa_sign_hash(key id 0x1) returned -133.
      { id: 1, type: 'ECC_KEY_PAIR(SECP_R1)', bits: 256, alg: 'ECDSA(SHA_256)', lifetime: 'persistent', lastStatus: 'PSA_ERROR_NOT_PERMITTED' },
      { id: 2, type: 'RSA_KEY_PAIR', bits: 2048, alg: 'RSA_PKCS1V15_SIGN(SHA_256)', lifetime: 'volatile', lastStatus: 'PSA_ERROR_NOT_SUPPORTED' },
      // Free-form lines: type 0x7112, alg 0x09020000 (ECDH), lifetime 0 (volatile), no status printed.
      { id: 3, type: 'ECC_KEY_PAIR(SECP_R1)', bits: 256, alg: 'ECDH', lifetime: 'volatile', lastStatus: null },
    ]);
  });

  it('PEM blocks: public key, certificate (Infineon blank lines), CSR (cy_log prefixes)', () => {
    const pems = of(events, 'cert.pem');
    expect(pems.map((p) => [p.label, p.complete, p.startLine])).toEqual([
      ['PUBLIC KEY', true, seqOf('-----BEGIN PUBLIC KEY-----')],
      ['CERTIFICATE', true, seqOf('-----BEGIN CERTIFICATE-----')],
      ['CERTIFICATE REQUEST', true, lines.findIndex((l) => l.endsWith('-----BEGIN CERTIFICATE REQUEST-----'))],
    ]);
    const crt = readFileSync(new URL('../fixtures/pki/device.crt', import.meta.url), 'utf8');
    expect(pems[1]!.body).toBe(crt.split('\n').filter((l) => l && !l.startsWith('-----')).join(''));
  });

  it('summary.certificates: device certificate on the device clock, CSR, and the key match', async () => {
    const clock = of(events, 'device.clock')[0]!;
    const pems = of(events, 'cert.pem') as PemEvent[];
    const certs: CertificateSummary[] = [];
    for (const p of pems) {
      const a = await analyzePemEvent(p, { deviceNow: new Date(clock.iso) });
      if (a?.ok) certs.push(a.summary);
    }
    const deviceKeys: DeviceKey[] = [
      ...pems.map(deviceKeyFromPem).filter((k): k is DeviceKey => k !== null),
      ...of(events, 'psa.pubkey').map((e) => ({ line: e.line, key: e.point })),
    ];
    const out = withKeyMatches(certs, deviceKeys);
    expect(out).toHaveLength(2);
    const [crt, csr] = out;
    expect(crt).toMatchObject({
      source: 'pem', kind: 'certificate', subject: 'CN=psoc-edge-device, O=Infineon PoC', issuer: 'CN=psoc-edge-device, O=Infineon PoC',
      selfSigned: true, notBefore: '2026-11-22T14:06:30.000Z', notAfter: '2027-11-22T14:06:30.000Z', keyAlgorithm: 'EC P-256',
      signatureAlgorithm: 'ecdsa-with-SHA256', line: seqOf('-----BEGIN CERTIFICATE-----'),
      // 2026-11-22T15:00Z → 2027-11-22T14:06:30Z is 365 days less 53.5 minutes.
      clock: 'device', daysLeft: 364, expired: false, notYetValid: false,
    });
    expect(crt!['keyMatch']).toEqual([
      { with: 'csr', line: csr!.line, result: 'match', reason: 'same public key' },
      { with: 'device-key', line: seqOf('-----BEGIN PUBLIC KEY-----'), result: 'match', reason: 'same public key' },
      { with: 'device-key', line: lines.findIndex((l) => l.startsWith('hsmon: pubkey')), result: 'match', reason: 'same public key' },
    ]);
    expect(csr).toMatchObject({ kind: 'csr', subject: 'CN=psoc-edge-device, O=Infineon PoC, C=DE', signatureValid: true, keyAlgorithm: 'EC P-256' });
  });

  it('a complete block that is not a certificate is reported, not thrown', async () => {
    const ev: PemEvent = { kind: 'cert.pem', t: 0, line: 4, label: 'CERTIFICATE', body: 'QUFBQQ==', complete: true, secret: false, startLine: 4, endLine: 6 };
    expect(await analyzePemEvent(ev)).toMatchObject({ ok: false, line: 4, label: 'CERTIFICATE' });
  });
});
