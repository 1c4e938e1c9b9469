import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PRIVATE_KEY_MARK, SESSION_SECRET_MARK, SecretRedactor } from '../../parsers/secrets.ts';
import { PemParser, type PemEvent } from '../../parsers/pem.ts';

const recording = (f: string) => readFileSync(new URL(`../../recordings/${f}`, import.meta.url), 'utf8').split('\n');

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}
const OPENSSL = hasOpenssl();
if (!OPENSSL) console.log('secrets.test: openssl not found, private-key transcript tests skipped');

describe('SecretRedactor on tls12_gcm_debug4_ok.log', () => {
  const lines = recording('tls12_gcm_debug4_ok.log');
  const r = new SecretRedactor();
  const out = lines.map((l) => r.redact(l));
  // 1-based line numbers, read off `grep -n "secret\|random\|key block\|Master-Key"` and the rows below them.
  const n = (i: number) => out[i - 1]!;

  it('redacts the premaster secret rows (562: 32 bytes → 2 rows)', () => {
    expect(n(562)).toEqual({ text: lines[561], secret: 'session-secret', begins: true });
    expect(n(563).text).toBe(`ssl_tls.c:7219: |3| 0000:  ${SESSION_SECRET_MARK}`);
    expect(n(564).text).toBe(`ssl_tls.c:7219: |3| 0010:  ${SESSION_SECRET_MARK}`);
    expect(n(565)).toEqual({ text: 'ssl_tls.c:8775: |3| ciphersuite = TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256', secret: null });
  });

  it('redacts the master secret rows (566: 48 bytes → 3 rows) and the key block (575: 256 bytes → 16 rows)', () => {
    for (const i of [567, 568, 569]) expect(n(i)).toMatchObject({ text: expect.stringContaining(SESSION_SECRET_MARK), secret: 'session-secret' });
    for (let i = 576; i <= 591; i++) expect(n(i).text).toMatch(/^ssl_tls\.c:8779: \|4\| 00[0-9a-f]0: {2}\[redacted by hsmon: session secret\]$/);
    expect(n(592).text).toBe('ssl_tls.c:8897: |3| keylen: 16, minlen: 24, ivlen: 12, maclen: 0');
  });

  it('leaves public values alone: randoms, the session hash', () => {
    expect(n(21).text).toBe(lines[20]); // client hello random row
    expect(n(560).text).toBe(lines[559]); // session hash for extended master secret
    expect(n(571).text).toBe(lines[570]); // 'random bytes' rows
  });

  it("redacts the ECDH shared secret MPI (531: 'ECDH: z', 254 bits → 2 rows)", () => {
    expect(n(531)).toMatchObject({ secret: 'session-secret', begins: true });
    expect(n(532).text).toBe(`ssl_tls12_client.c:2924: |3|  ${SESSION_SECRET_MARK}`);
    expect(n(533).text).toBe(`ssl_tls12_client.c:2924: |3|  ${SESSION_SECRET_MARK}`);
    expect(n(534).text).toBe(lines[533]);
  });

  it("redacts OpenSSL's Master-Key line", () => {
    expect(n(1527)).toEqual({ text: `    Master-Key: ${SESSION_SECRET_MARK}`, secret: 'session-secret', begins: true });
  });

  it('redacts a Master-Key line that firmware echoed behind its own prefix, before any secret was learned', () => {
    // The value of recordings/tls12_gcm_debug4_ok.log:1527 (`grep -n 'Master-Key' F`), echoed by an ESP-IDF log call.
    const value = lines[1526]!.split('Master-Key: ')[1]!;
    const r = new SecretRedactor().redact(`I (1234) app: Master-Key: ${value}`);
    expect(r).toEqual({ text: `I (1234) app: Master-Key: ${SESSION_SECRET_MARK}`, secret: 'session-secret', begins: true });
  });

  it("names the TLS 1.3 status page's Resumption PSK a session secret, and hides it when it comes again", () => {
    // recordings/tls13_mtls_ok.log:910 (`grep -n 'Resumption PSK' F`); its credential patterns match `PSK` too.
    const line = readFileSync(resolve(import.meta.dirname, '../../recordings/tls13_mtls_ok.log'), 'latin1').split('\n')[909]!.replace(/\r$/, '');
    const value = line.split('Resumption PSK: ')[1]!;
    const red = new SecretRedactor();
    expect(red.redact(line)).toEqual({ text: `    Resumption PSK: ${SESSION_SECRET_MARK}`, secret: 'session-secret', begins: true });
    const again = red.redact(`app: psk was ${value.toLowerCase()}`);
    expect(again.secret).toBe('session-secret');
    expect(again.text).not.toContain(value.toLowerCase().slice(0, 16));
  });

  it("hides the master secret where the test server's status page echoes it inside a dump of application data (1415-1421)", () => {
    // grep -n 'ssl_msg.c:4195: |4| 0c[c-f]0\|ssl_msg.c:4195: |4| 0d[0-2]0' recordings/tls12_gcm_debug4_ok.log: `Master-Key: 1AA9` … `331A7606ED80.`
    for (let i = 1415; i <= 1421; i++) expect(n(i).text).toBe(`ssl_msg.c:4195: |4| 0${(0xcc0 + (i - 1415) * 16).toString(16)}:  ${SESSION_SECRET_MARK}`);
    expect(n(1414).text).toBe(lines[1413]);
    expect(n(1422).text).toBe(lines[1421]);
  });

  it('changes exactly those lines', () => {
    const changed = out.flatMap((o, i) => (o.text !== lines[i] ? [i + 1] : []));
    const want = [532, 533, 563, 564, 567, 568, 569, ...Array.from({ length: 16 }, (_, i) => 576 + i), ...Array.from({ length: 7 }, (_, i) => 1415 + i), 1527];
    expect(changed).toEqual(want);
  });

  it('redacts the glued Master-Key in m228_tls12_mtls_ok.log:707 but keeps the debug line glued to it', () => {
    const m = recording('m228_tls12_mtls_ok.log');
    const red = new SecretRedactor();
    const got = m.map((l) => red.redact(l).text);
    expect(got[706]).toBe(`    Master-Key: ${SESSION_SECRET_MARK}ssl_msg.c:5182: |2| => read`);
  });
});

describe('SecretRedactor on printed private keys', () => {
  function genKey(args: string[]): string {
    return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  }

  const cases: [string, () => string][] = [
    ['PKCS#8 EC (PRIVATE KEY)', () => genKey(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'])],
    ['SEC1 EC (EC PRIVATE KEY)', () => genKey(['ecparam', '-name', 'prime256v1', '-genkey', '-noout'])],
    ['PKCS#8 RSA 2048', () => genKey(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'])],
  ];

  it.skipIf(!OPENSSL).each(cases)('%s printed through the Infineon callback is fully redacted', (_name, make) => {
    const pem = make().trim().split('\n');
    const body = pem.filter((l) => !l.startsWith('-----'));
    expect(body.length).toBeGreaterThan(1);
    // Throwaway key, generated for this test only. Printed like the secure-sockets callback does.
    const transcript = [
      'PSOC Edge MCU: Wi-Fi MQTT Client',
      'Device key:',
      ...pem.flatMap((l) => [`cy_tls.c:0999: ${l} `, ' ']),
      'Wi-Fi Connecting to \'lab\'',
    ];
    const r = new SecretRedactor();
    const out = transcript.map((l) => r.redact(l));
    const text = out.map((o) => o.text).join('\n');
    for (const b of body) {
      for (let i = 0; i + 16 <= b.length; i += 8) expect(text).not.toContain(b.slice(i, i + 16));
    }
    expect(out[2]).toMatchObject({ secret: 'private-key', begins: true, text: transcript[2] });
    expect(out[transcript.length - 3]).toMatchObject({ secret: 'private-key', text: transcript[transcript.length - 3] });
    expect(out.filter((o) => o.text === PRIVATE_KEY_MARK)).toHaveLength(body.length);
    expect(out[transcript.length - 1]).toEqual({ text: "Wi-Fi Connecting to 'lab'", secret: null });

    // The PEM parser sees the redacted lines: a complete private key block, no body.
    const p = new PemParser();
    const evs = out.flatMap((o, seq) => p.feed({ profile: 'none', body: o.text }, { seq, t: seq, text: o.text })) as PemEvent[];
    expect(evs).toEqual([expect.objectContaining({ secret: true, complete: true, body: '' })]);
  });

  it('a key block cut short ends at the first line of ordinary output', () => {
    const r = new SecretRedactor();
    const lines = ['-----BEGIN PRIVATE KEY-----', 'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg', 'PSOC Edge MCU: Wi-Fi MQTT Client', 'psa_generate_key() = 0'];
    expect(lines.map((l) => r.redact(l).text)).toEqual(['-----BEGIN PRIVATE KEY-----', PRIVATE_KEY_MARK, lines[2], lines[3]]);
  });

  it('keeps legacy encrypted-PEM headers inside the block', () => {
    const r = new SecretRedactor();
    const lines = ['-----BEGIN RSA PRIVATE KEY-----', 'Proc-Type: 4,ENCRYPTED', 'DEK-Info: AES-128-CBC,0123456789ABCDEF', '', 'MIIEowIBAAKCAQEAzzz', '-----END RSA PRIVATE KEY-----'];
    expect(lines.map((l) => r.redact(l).text)).toEqual([lines[0], PRIVATE_KEY_MARK, PRIVATE_KEY_MARK, '', PRIVATE_KEY_MARK, lines[5]]);
  });

  it('redacts a one-line key between its markers', () => {
    const r = new SecretRedactor();
    expect(r.redact('key: -----BEGIN EC PRIVATE KEY-----MHcCAQEEIOrandomrandomrandom-----END EC PRIVATE KEY-----')).toEqual({
      text: `key: -----BEGIN EC PRIVATE KEY-----${PRIVATE_KEY_MARK}-----END EC PRIVATE KEY-----`,
      secret: 'private-key',
      begins: true,
    });
    expect(r.redact('next line').secret).toBeNull();
  });
});

it('SecretRedactor never throws, and redacted lines never grow without a mark', () => {
  const pieces = fc.constantFrom('-----BEGIN PRIVATE KEY-----', '-----END PRIVATE KEY-----', "dumping 'master secret' (48 bytes)", '0000:  aa bb ', 'Master-Key: ABCD', "value of 'ECDH: z' (256 bits) is:", ' 01 02 03', 'MIIB', ' ');
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.string(), fc.array(pieces).map((a) => a.join('')))), (lines) => {
      const r = new SecretRedactor();
      for (const l of lines) {
        const o = r.redact(l);
        if (o.text !== l) expect(o.text).toMatch(/\[redacted by hsmon: /);
      }
    }),
  );
});
