import { describe, expect, test } from 'vitest';
import { formatSummaryText } from '../../src/output/summary-text.ts';
import { codes, derive, only, recording, run } from './transcripts.ts';

const opaque = recording('psa_tls12_opaque_ok.log');

describe('out-of-memory', () => {
  // Edit: psa_tls12_opaque_ok.log lines 1–171 (the server Certificate just read), then an
  // allocation failure while parsing it and the -0x7F00 returns appended.
  const tail = [
    'ssl_tls.c:7810: |1| alloc(1416 bytes) failed',
    'ssl_tls.c:7998: |1| mbedtls_ssl_parse_certificate() returned -32512 (-0x7f00)',
    'ssl_tls.c:4681: |2| <= handshake',
    ' failed',
    '  ! mbedtls_ssl_handshake returned -0x7f00',
  ];

  test('`alloc(N bytes) failed` and -0x7F00: give mbedTLS more heap or smaller buffers', () => {
    const s = run(derive(opaque, { keep: [1, 171], append: tail }));
    expect(codes(s.findings)).toEqual(['out-of-memory']);
    const f = only(s, 'out-of-memory');
    expect(f.line).toBe(171);
    expect(f.lines).toContain(172);
    expect(f.message).toContain('alloc(1416 bytes) failed');
    expect(f.message).toContain('SERVER_CERTIFICATE');
    expect(f.hint).toContain('MBEDTLS_SSL_IN_CONTENT_LEN');
  });

  test('-0x2700 with no verification flag next to an allocation failure is memory, not trust (edit: tls12_server_untrusted.log, `alloc(2048 bytes) failed` inserted before line 310, flags line 321 → 00000000)', () => {
    const text = derive(recording('tls12_server_untrusted.log'), {
      change: [{ line: 321, from: 'flags 00000008', to: 'flags 00000000' }],
      insertBefore: { line: 310, lines: ['x509_crt.c:1234: |1| alloc(2048 bytes) failed'] },
    });
    const s = run(text);
    expect(codes(s.findings)).toEqual(['out-of-memory']);
    expect(only(s, 'out-of-memory').message).toContain('not an untrusted certificate');
  });
});

describe('connect-retry-loop', () => {
  const once = recording('tls12_no_shared_cipher.log');

  test('three attempts, the same alert 40 each time (edit: the log three times in a row)', () => {
    const s = run(once + once + once);
    expect(s.handshakes.map((h) => h.outcome)).toEqual(['failed', 'failed', 'failed']);
    expect(codes(s.findings)).toEqual(['connect-retry-loop', 'no-shared-ciphersuite']);
    const loop = only(s, 'connect-retry-loop');
    expect(loop.severity).toBe('warning');
    expect(loop.message).toContain('3 times');
    expect(loop.message).toContain('every attempt failed the same way');
    expect(loop.message).toContain('alert 40 (handshake_failure)');
    // The repeated cause is reported once, at its newest occurrence: 144 lines per copy, alert at 133.
    expect(only(s, 'no-shared-ciphersuite').line).toBe(2 * 144 + 132);
    // The text summary still leads with the cause, not the loop.
    expect(formatSummaryText(s).split('\n')[1]).toMatch(/^Why: The server ended the handshake in SERVER_HELLO/);
  });

  test('two attempts are not a loop yet', () => {
    expect(codes(run(once + once).findings)).toEqual(['no-shared-ciphersuite']);
  });
});

describe('private-key-exposed', () => {
  // Edit: a PEM EC private key block (dummy body, not a real key) inserted before line 4 of tls13_mtls_ok.log.
  const block = [
    '-----BEGIN EC PRIVATE KEY-----',
    'MHcCAQEEIBuUJz0sYbD6kFzAbcDeFgHiJkLmNoPqRsTuVwXyZ0123oAoGCCqGSM49',
    'AwEHoUQDQgAE8xYz0123456789abcdefABCDEFghijklmnopqrstuvwxyzABCDEFGH',
    '-----END EC PRIVATE KEY-----',
  ];
  const text = derive(recording('tls13_mtls_ok.log'), { insertBefore: { line: 4, lines: block } });

  test.each([true, false])('found at the BEGIN line (redact %s)', (redact) => {
    const s = run(text, { redact });
    // (and the log's own Resumption PSK, line 910: grep -n 'Resumption PSK' recordings/tls13_mtls_ok.log)
    expect(codes(s.findings)).toEqual(['private-key-exposed', 'session-secrets-in-log']);
    const f = only(s, 'private-key-exposed');
    expect(f.severity).toBe('error');
    expect(f.line).toBe(3);
    expect(f.hint).toContain('compromised');
  });
});

describe('credential-in-log', () => {
  // Edit: an ESP-IDF Wi-Fi line with the passphrase and an MQTT URL with user:password inserted
  // before line 4 of tls13_mtls_ok.log (the redactor counts both as `credential`:
  // grep -nE 'password|://[^ ]*:[^ ]*@' of the edited text finds exactly these two lines).
  const lines = [
    'I (4210) wifi: connecting to SSID "bench-lab" with password "hunter2-Bench!"',
    'I (5120) mqtt: connecting to mqtts://device01:s3cr3t-mqtt-pw@broker.example.com:8883',
  ];
  const text = derive(recording('tls13_mtls_ok.log'), { insertBefore: { line: 4, lines } });

  test('a credential the firmware prints raises it at its line, once for the lines together', () => {
    const s = run(text);
    // (session-secrets-in-log: the log's own Resumption PSK, line 910)
    expect(codes(s.findings)).toEqual(['credential-in-log', 'session-secrets-in-log']);
    const f = only(s, 'credential-in-log');
    expect(f.severity).toBe('error');
    expect(f.line).toBe(3);
    expect(f.message).toContain('once'); // two lines in a row are one place
    expect(f.hint).toContain('revoke');
    // The finding names no secret: its text is printed in every output.
    expect(JSON.stringify(f)).not.toMatch(/hunter2|s3cr3t/);
  });

  test('the unedited log raises none: its Resumption PSK (hidden as a credential) is a session secret', () => {
    expect(codes(run(recording('tls13_mtls_ok.log')).findings)).toEqual(['session-secrets-in-log']);
  });

  test('with --no-redact nothing looks for credentials: no finding (the catalog says so)', () => {
    expect(codes(run(text, { redact: false }).findings)).not.toContain('credential-in-log');
  });
});
