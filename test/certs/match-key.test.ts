import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareKeys, matchKey, publicKeyId, spkiOf } from '../../src/certs/match-key.ts';

const PKI = new URL('../fixtures/pki/', import.meta.url).pathname;
const pem = (f: string) => readFileSync(join(PKI, f), 'utf8');
const OPENSSL = spawnSync('openssl', ['version']).status === 0;
if (!OPENSSL) console.log('match-key.test: openssl not found, tests with openssl-exported keys skipped');

/** What the device would print: its public key as PEM, and the raw point (last 65 bytes of the P-256 SPKI). */
function opensslPubkey(file: string, kind: 'x509' | 'req'): { pem: string; der: Buffer } {
  const p = execFileSync('openssl', [kind, '-in', join(PKI, file), '-pubkey', '-noout'], { encoding: 'utf8' });
  const der = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'DER'], { input: p });
  return { pem: p, der };
}

describe('key–certificate match', () => {
  it('device.crt and device.csr carry the same key', () => {
    expect(compareKeys(pem('device.crt'), pem('device.csr'))).toMatchObject({ result: 'match', a: 'EC P-256', b: 'EC P-256' });
  });

  it('device.crt and server.crt do not', () => {
    expect(compareKeys(pem('device.crt'), pem('server.crt')).result).toBe('mismatch');
    expect(matchKey(spkiOf(pem('device.crt')), spkiOf(pem('server.crt')))).toBe('mismatch');
  });

  it('an RSA certificate against an EC key is a mismatch of key types', () => {
    expect(compareKeys(pem('rsaserver.crt'), pem('device.crt'))).toMatchObject({ result: 'mismatch', reason: expect.stringMatching(/different key types/) });
  });

  describe.skipIf(!OPENSSL)('against the key the device exported', () => {
    const pub = OPENSSL ? opensslPubkey('device.crt', 'x509') : { pem: '', der: Buffer.alloc(0) };
    const point = pub.der.subarray(pub.der.length - 65);

    it('PUBLIC KEY PEM', () => {
      expect(compareKeys(pem('device.crt'), pub.pem).result).toBe('match');
      expect(compareKeys(pem('server.crt'), pub.pem).result).toBe('mismatch');
    });

    it('raw uncompressed point, as bytes and as printed hex', () => {
      expect(point[0]).toBe(0x04);
      expect(matchKey(spkiOf(pem('device.crt')), new Uint8Array(point))).toBe('match');
      expect(compareKeys(pem('device.crt'), point.toString('hex').replace(/(..)/g, '$1:')).result).toBe('match');
      expect(matchKey(spkiOf(pem('server.crt')), new Uint8Array(point))).toBe('mismatch');
    });

    it('compressed point: X with the parity of Y', () => {
      const x = point.subarray(1, 33);
      const yOdd = (point[64]! & 1) === 1;
      const right = Buffer.concat([Buffer.from([yOdd ? 3 : 2]), x]);
      const wrong = Buffer.concat([Buffer.from([yOdd ? 2 : 3]), x]);
      expect(compareKeys(pem('device.crt'), right.toString('hex')).result).toBe('match');
      expect(compareKeys(pem('device.crt'), wrong.toString('hex')).result).toBe('mismatch');
    });

    it('the CSR key exported by openssl req matches too', () => {
      const csrPub = opensslPubkey('device.csr', 'req');
      expect(compareKeys(pem('device.crt'), new Uint8Array(csrPub.der)).result).toBe('match');
    });
  });

  it('describes keys', () => {
    expect(publicKeyId(pem('rsaserver.crt')).algorithm).toBe('RSA 2048');
    expect(publicKeyId(pem('ca.crt')).algorithm).toBe('EC P-256');
  });

  it('throws on input that holds no public key', () => {
    expect(() => publicKeyId('-----BEGIN EC PRIVATE KEY-----\nQUFBQQ==\n-----END EC PRIVATE KEY-----')).toThrow();
    expect(() => publicKeyId('zz')).toThrow();
  });
});
