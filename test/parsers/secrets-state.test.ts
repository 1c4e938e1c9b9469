/**
 * SecretRedactor as a state: regions that survive other lines and split headers, and values it
 * learns and hides wherever they come back. Secrets are random bytes made here; the rows are
 * printed the way mbedTLS's debug_print_buf prints them (`%04x:  ` + `%02x ` × 16 + ASCII).
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CREDENTIAL_MARK, PRIVATE_KEY_MARK, SESSION_SECRET_MARK, SecretRedactor } from '../../parsers/secrets.ts';
import { createAppParser } from '../../parsers/app.ts';
import { createMqttParser } from '../../parsers/mqtt.ts';
import { findLeaks } from '../helpers/leak.ts';
import { dumpRows, ecKeyPem } from '../helpers/secret-transcripts.ts';

const run = (lines: string[], r = new SecretRedactor()) => lines.map((l) => r.redact(l).text);

describe('regions that survive interruptions', () => {
  it('a PEM key body interrupted by other lines: every body line hidden, the others shown', () => {
    const { pem, der } = ecKeyPem();
    const body = pem.filter((l) => !l.startsWith('-----'));
    const lines = [pem[0]!, body[0]!, 'ssl_tls.c:4670: |2| => handshake', 'Wi-Fi Connecting to \'lab\'', body[1]!, body[2]!, pem[pem.length - 1]!];
    const out = run(lines);
    expect(out).toEqual([pem[0], PRIVATE_KEY_MARK, lines[2], lines[3], PRIVATE_KEY_MARK, PRIVATE_KEY_MARK, pem[pem.length - 1]]);
    expect(findLeaks(out.join('\n'), der)).toEqual([]);
  });

  it('a BEGIN header split over two lines (and two profiles prefixes) opens the block', () => {
    const { pem, der } = ecKeyPem('EC PRIVATE KEY');
    const lines = ['cy_tls.c:0999: -----BEGIN EC PRIV', 'cy_tls.c:0999: ATE KEY-----', ...pem.slice(1).map((l) => `cy_tls.c:0999: ${l}`)];
    const out = run(lines);
    expect(out.slice(2, -1).every((l) => l === PRIVATE_KEY_MARK)).toBe(true);
    expect(findLeaks(out.join('\n'), der)).toEqual([]);
  });

  it('a master secret dump interrupted by another line: the rows after it are hidden too', () => {
    const secret = randomBytes(48);
    const rows = dumpRows('ssl_tls.c:8777: |3| ', secret);
    const lines = ["ssl_tls.c:8777: |3| dumping 'master secret' (48 bytes)", rows[0]!, 'ssl_msg.c:2787: |2| => write handshake message', rows[1]!, 'Publisher: Publishing \'TURN ON\' on the topic \'ledstatus\'', rows[2]!, 'ssl_tls.c:8897: |3| keylen: 16'];
    const out = run(lines);
    expect(out).toEqual([lines[0], `ssl_tls.c:8777: |3| 0000:  ${SESSION_SECRET_MARK}`, lines[2], `ssl_tls.c:8777: |3| 0010:  ${SESSION_SECRET_MARK}`, lines[4], `ssl_tls.c:8777: |3| 0020:  ${SESSION_SECRET_MARK}`, lines[6]]);
  });

  it('per %p context: interleaved dumps of two TLS contexts, only the secret one hidden', () => {
    const secret = randomBytes(32);
    const random = randomBytes(32);
    const a = dumpRows('ssl_tls.c:7219: |3| 0x20001000: ', secret);
    const b = dumpRows('ssl_tls.c:7219: |3| 0x20002000: ', random);
    const lines = ["ssl_tls.c:7219: |3| 0x20001000: dumping 'premaster secret' (32 bytes)", "ssl_tls.c:7219: |3| 0x20002000: dumping 'client random' (32 bytes)", a[0]!, b[0]!, a[1]!, b[1]!];
    const out = run(lines);
    expect(out[2]).toContain(SESSION_SECRET_MARK);
    expect(out[4]).toContain(SESSION_SECRET_MARK);
    expect([out[3], out[5]]).toEqual([b[0], b[1]]);
  });
});

describe('learned values, hidden in every later form', () => {
  const secret = randomBytes(48);
  const hex = secret.toString('hex');
  const learn = () => {
    const r = new SecretRedactor();
    run(["ssl_tls.c:8777: |3| dumping 'master secret' (48 bytes)", ...dumpRows('ssl_tls.c:8777: |3| ', secret)], r);
    return r;
  };
  // The same bytes somewhere in another dump, starting at byte 5 so that they cross rows.
  const carrier = Buffer.concat([randomBytes(5), secret, randomBytes(11)]);
  const cases: [string, string[]][] = [
    ['another hex dump, across row boundaries', ["ssl_msg.c:4195: |4| dumping 'input record from network' (64 bytes)", ...dumpRows('ssl_msg.c:4195: |4| ', carrier)]],
    ['continuous hex, lower case', [`secret: ${hex}`]],
    ['continuous hex, upper case, wrapped at 32 characters', [hex.toUpperCase().slice(0, 32), hex.toUpperCase().slice(32, 64), hex.toUpperCase().slice(64)]],
    ['separated hex and a C array', [hex.match(/../g)!.join(':'), `uint8_t ms[] = { ${hex.match(/../g)!.map((b) => `0x${b}`).join(', ')} };`]],
    ['a key-log line', [`CLIENT_RANDOM ${randomBytes(32).toString('hex')} ${hex}`]],
    ['base64 at each alignment', [secret.toString('base64'), Buffer.concat([randomBytes(1), secret]).toString('base64'), Buffer.concat([randomBytes(2), secret]).toString('base64url')]],
    ["the test server's Master-Key echoed in a dump of application data", dumpRows('ssl_msg.c:4195: |4| ', Buffer.from(`Session-ID-ctx: 01000000\n    Master-Key: ${hex.toUpperCase()}\n    PSK identity: None\n`, 'latin1'))],
  ];
  it.each(cases)('%s', (_name, lines) => {
    const out = run(lines, learn());
    expect(findLeaks(lines.join('\n'), secret).length).toBeGreaterThan(0); // the case does carry the secret
    expect(findLeaks(out.join('\n'), secret)).toEqual([]);
    expect(out.join('\n')).toContain('[redacted by hsmon: ');
  });

  it('leaves other dumps and hex alone', () => {
    const other = dumpRows('ssl_msg.c:4195: |4| ', randomBytes(64));
    expect(run(other, learn())).toEqual(other);
  });

  it('PSA-exported key material: `psa_export_key() = 0` and its rows, `Exported private key:` on one line, `dumping \'private key\'`', () => {
    const k1 = randomBytes(32);
    const k2 = randomBytes(32);
    const k3 = randomBytes(32);
    const r = new SecretRedactor();
    const lines = [
      'psa_export_key() = 0',
      k1.subarray(0, 16).toString('hex').match(/../g)!.join(' '),
      k1.subarray(16).toString('hex').match(/../g)!.join(' '),
      `Exported private key: ${k2.toString('hex')}`,
      "ssl_tls.c:100: |3| dumping 'private key' (32 bytes)",
      ...dumpRows('ssl_tls.c:100: |3| ', k3),
      'psa_export_public_key() = 0',
      `04${randomBytes(32).toString('hex')}`,
      `later: ${k1.toString('hex')} ${k2.toString('base64')} ${k3.toString('hex').toUpperCase()}`,
    ];
    const out = run(lines, r);
    for (const k of [k1, k2, k3]) expect(findLeaks(out.join('\n'), k)).toEqual([]);
    expect(out[1]).toBe(PRIVATE_KEY_MARK);
    expect(out[3]).toBe(`Exported private key: ${PRIVATE_KEY_MARK}`);
    expect(out[8]).toBe(lines[8]); // a public key stays
  });
});

describe('credentials from firmware', () => {
  const lines = [
    "Connecting to Wi-Fi AP 'lab-net' with password 'correct horse battery'",
    'wifi_password=Tr0ub4dor&3',
    'MQTT password: s3cr3t-mqtt-pw',
    "'psoc-client' connecting to MQTT broker 'broker.lab' user 'dev' password 'mqtt-pass-42'...",
    'connecting to mqtts://dev:url-pass-77@broker.lab:8883',
    'api_key = ak_live_0123456789abcdef',
    'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ',
    'HTTP GET /status 200',
  ];
  const secrets = ['correct horse battery', 'Tr0ub4dor&3', 's3cr3t-mqtt-pw', 'mqtt-pass-42', 'url-pass-77', 'ak_live_0123456789abcdef', 'eyJhbGciOiJIUzI1NiJ9'];

  it('hides the value and keeps the label', () => {
    const out = run(lines);
    expect(out[0]).toBe(`Connecting to Wi-Fi AP 'lab-net' with password '${CREDENTIAL_MARK}'`);
    expect(out[1]).toBe(`wifi_password=${CREDENTIAL_MARK}`);
    expect(out[4]).toBe(`connecting to mqtts://dev:${CREDENTIAL_MARK}@broker.lab:8883`);
    expect(out[7]).toBe(lines[7]);
    for (const s of secrets) expect(out.join('\n')).not.toContain(s);
  });

  it('and every later occurrence of a value it learned, as text, hex or base64', () => {
    const r = new SecretRedactor();
    run(lines, r);
    const later = ['echo Tr0ub4dor&3', Buffer.from('s3cr3t-mqtt-pw').toString('hex'), Buffer.from('correct horse battery').toString('base64')];
    const out = run(later, r).join('\n');
    for (const s of ['Tr0ub4dor&3', 's3cr3t-mqtt-pw', 'correct horse battery']) expect(findLeaks(out, s)).toEqual([]);
  });

  it('redact.patterns from the config file add shapes of the user\'s own', () => {
    const r = new SecretRedactor({ patterns: ['device-token:(\\S+)', 'LICENSE-[0-9A-F]{8}'] });
    expect(run(['device-token:tok-998877', 'LICENSE-DEADBEEF ok'], r)).toEqual([`device-token:${CREDENTIAL_MARK}`, `${CREDENTIAL_MARK} ok`]);
  });

  it('event fields stop at their closing quote: the SSID and the broker host never hold a secret', () => {
    const app = createAppParser();
    const mqtt = createMqttParser();
    const r = new SecretRedactor();
    const evs = [lines[0]!, lines[3]!].flatMap((raw, seq) => {
      const text = r.redact(raw).text;
      return [...app.feed({ profile: 'none', body: text }, { seq, t: 0, text }), ...mqtt.feed({ profile: 'none', body: text }, { seq, t: 0, text })];
    });
    expect(evs).toEqual([
      expect.objectContaining({ kind: 'wifi.connecting', ssid: 'lab-net' }),
      expect.objectContaining({ kind: 'mqtt.connecting', clientId: 'psoc-client', host: 'broker.lab' }),
    ]);
  });
});

describe('safePrefix: what of an unfinished line may be written now', () => {
  it('ordinary text up to its last blank; nothing inside a region; never the start of a secret', () => {
    const r = new SecretRedactor();
    expect(r.safePrefix('Booting PSOC Edge MCU')).toBe('Booting PSOC Edge '.length);
    expect(r.safePrefix('-----BEGIN EC PRIV')).toBe(0);
    expect(r.safePrefix('ssl_tls.c:8777: |3| 0000:  1a a9')).toBe(0);
    expect(r.safePrefix('Connecting with password ')).toBe('Connecting with '.length);
    r.redact('-----BEGIN PRIVATE KEY-----');
    expect(r.safePrefix('Booting PSOC Edge MCU')).toBe(0);
  });
});
