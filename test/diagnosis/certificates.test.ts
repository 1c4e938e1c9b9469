import { describe, expect, test } from 'vitest';
import { codes, derive, fixture, only, recording, run, seqOf } from './transcripts.ts';

describe('client-cert-rejected', () => {
  // test/fixtures/diagnosis/tls12_client_cert_rejected.log: psa_tls12_opaque_ok.log cut after the
  // client's Finished flight (line 457), fatal alert 42 appended (README there).
  const text = fixture('tls12_client_cert_rejected.log');

  test('fatal alert 42 received after the client sent its Certificate', () => {
    const s = run(text);
    expect(s.handshakes[0]!.outcome).toBe('failed');
    const f = only(s, 'client-cert-rejected');
    expect(f.severity).toBe('error');
    expect(f.line).toBe(459); // line 460: `got an alert message, type: [2:42]`
    // line 329: `client state: MBEDTLS_SSL_CLIENT_CERTIFICATE` opens that step. (Before step
    // semantics this was line 325, `handshake state: 6 -> 7`, which mbedTLS prints inside the
    // SERVER_HELLO_DONE step: grep -n 'CLIENT_CERTIFICATE' F.)
    expect(f.lines).toContain(328);
    expect(f.message).toContain('rejected the device\'s client certificate');
    expect(f.message).toContain('fatal alert 42 (bad_certificate)');
    expect(f.hint).toContain('Register the device certificate with the broker');
    // Not mistaken for the other alert-driven rules.
    expect(codes(s.findings).filter((c) => c !== 'session-secrets-in-log')).toEqual(['client-cert-rejected']);
  });

  test('alert 48 (unknown_ca): the broker does not know the issuer (edit: [2:42] → [2:48], msg 42 → msg 48)', () => {
    const s = run(derive(text, { change: [{ line: 460, from: '[2:42]', to: '[2:48]' }, { line: 461, from: '(msg 42)', to: '(msg 48)' }] }));
    const f = only(s, 'client-cert-rejected');
    expect(f.message).toContain('alert 48 (unknown_ca)');
    expect(f.message).toContain('does not know the CA');
  });

  test('the same alert in SERVER_HELLO, before any Certificate was sent, is not blamed on the client certificate', () => {
    // Edit: tls12_no_shared_cipher.log with alert 40 → 42 (lines 133, 134).
    const s = run(derive(recording('tls12_no_shared_cipher.log'), { change: [{ line: 133, from: '[2:40]', to: '[2:42]' }, { line: 134, from: '(msg 40)', to: '(msg 42)' }] }));
    expect(codes(s.findings)).toEqual([]);
  });
});

describe('device clock', () => {
  const untrusted = recording('tls12_server_untrusted.log');

  test('device-clock-unset: flags 0x200 with the device clock at 1970 (edit: line 18 time 1795356399 → 12, line 321 flags 00000008 → 00000200)', () => {
    const text = derive(untrusted, {
      change: [
        { line: 18, from: 'current time: 1795356399', to: 'current time: 12' },
        { line: 321, from: 'flags 00000008', to: 'flags 00000200' },
      ],
    });
    const s = run(text);
    expect(codes(s.findings)).toEqual(['device-clock-unset']);
    const f = only(s, 'device-clock-unset');
    expect(f.line).toBe(320);
    expect(f.lines).toContain(17);
    expect(f.message).toContain('1970-01-01 00:00:12 UTC');
    expect(f.message).toContain('not yet valid');
    expect(f.hint).toContain('SNTP');
  });

  test('device-clock-unset: flags 0x01 and no time printed (edit: line 18 removed, line 321 flags → 00000001)', () => {
    const lines = derive(untrusted, { change: [{ line: 321, from: 'flags 00000008', to: 'flags 00000001' }] }).split('\n');
    lines.splice(17, 1);
    const f = only(run(lines.join('\n')), 'device-clock-unset');
    expect(f.line).toBe(319);
    expect(f.message).toContain('printed no time');
  });

  test('a set clock with flags 0x200 is the certificate\'s dates, not the clock (edit: line 321 flags → 00000200)', () => {
    const s = run(derive(untrusted, { change: [{ line: 321, from: 'flags 00000008', to: 'flags 00000200' }] }));
    expect(codes(s.findings)).toEqual(['server-cert-date-invalid']);
    // `date -u -d @1795356399` → Sun Nov 22 14:06:39 UTC 2026
    expect(only(s, 'server-cert-date-invalid').message).toContain('2026-11-22 14:06:39 UTC');
  });

  test('flags 0x208: both the untrusted CA and the unset clock are named (edit: time → 12, flags → 00000208)', () => {
    const s = run(derive(untrusted, {
      change: [
        { line: 18, from: 'current time: 1795356399', to: 'current time: 12' },
        { line: 321, from: 'flags 00000008', to: 'flags 00000208' },
      ],
    }));
    expect(codes(s.findings)).toEqual(['device-clock-unset', 'server-cert-untrusted']);
  });

  test('seqOf agrees with grep -n on the corpus', () => {
    expect(seqOf(untrusted, 'Certificate verification flags')).toBe(320);
  });
});
