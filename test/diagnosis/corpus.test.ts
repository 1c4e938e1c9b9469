/**
 * The corpus logs as recorded: the two failures are named with their cause and fix, and the
 * five good handshakes raise no alarm — except that they really do print session secrets
 * (debug level 3 dumps premaster/master secret; the s_server page echoes Master-Key, or in
 * TLS 1.3 the Resumption PSK).
 */
import { describe, expect, test } from 'vitest';
import { formatSummaryText } from '../../src/output/summary-text.ts';
import { OK_LOGS, codes, only, recording, run } from './transcripts.ts';

describe('ok logs: no false alarms', () => {
  test.each(OK_LOGS)('%s: no finding about the handshake', (name) => {
    const s = run(recording(name));
    expect(s.handshakes.every((h) => h.outcome === 'ok')).toBe(true);
    expect(s.findings.filter((f) => f.code !== 'session-secrets-in-log')).toEqual([]);
  });

  // First secret line per log, by grep -n (1-based) on recordings/:
  //   m228: 394 `value of 'ECDH: z'`; psa: 387 `dumping 'premaster secret'`;
  //   debug4: 531 `value of 'ECDH: z'`; rsa_server: 350 `Master-Key:` (s_server -www page);
  //   tls13_mtls: 910 `Resumption PSK:` (the same page, TLS 1.3).
  test.each([
    ['m228_tls12_mtls_ok.log', 393, ['ECDH: z', 'master secret', 'Master-Key']],
    ['psa_tls12_opaque_ok.log', 386, ['premaster secret', 'master secret', 'Master-Key']],
    ['tls12_gcm_debug4_ok.log', 530, ['ECDH: z', 'master secret', 'key block']],
    ['tls12_rsa_server_ok.log', 349, ['Master-Key']],
    ['tls13_mtls_ok.log', 909, ['Resumption PSK']],
  ] as const)('%s prints session secrets: session-secrets-in-log', (name, line, names) => {
    const f = only(run(recording(name)), 'session-secrets-in-log');
    expect(f.severity).toBe('warning');
    expect(f.line).toBe(line);
    for (const n of names) expect(f.message).toContain(`'${n}'`);
  });

  test("tls13_mtls_ok.log's Resumption PSK is a session secret, not a credential the firmware printed", () => {
    // The redactor names it a session secret (not a credential, which its patterns would also match: `PSK`).
    expect(codes(run(recording('tls13_mtls_ok.log')).findings)).toEqual(['session-secrets-in-log']);
  });

  test('with --no-redact the secrets are still found (from the dump lines themselves)', () => {
    const f = only(run(recording('tls12_gcm_debug4_ok.log'), { redact: false }), 'session-secrets-in-log');
    expect(f.line).toBe(530);
  });
});

describe('tls12_no_shared_cipher.log', () => {
  const s = run(recording('tls12_no_shared_cipher.log'));

  test('no-shared-ciphersuite, at the alert line, with what was offered and what is missing', () => {
    expect(codes(s.findings)).toEqual(['no-shared-ciphersuite']);
    const f = only(s, 'no-shared-ciphersuite');
    expect(f.severity).toBe('error');
    expect(f.line).toBe(132); // line 133: `got an alert message, type: [2:40]`
    expect(f.lines).toContain(135); // line 136: `mbedtls_ssl_read_record() returned -30592 (-0x7780)`
    expect(f.handshake).toBe(0);
    expect(f.message).toContain('alert 40 (handshake_failure)');
    expect(f.message).toContain('SERVER_HELLO');
    // line 23: the only `client hello, add ciphersuite:` line
    expect(f.message).toContain('offered 1: TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256');
    expect(f.message).toMatch(/no SHA-384 suite/);
    expect(f.hint).toContain('MBEDTLS_SHA384_C');
  });

  test('the text summary says in its first three lines what failed, why, and what to change', () => {
    const [l1, l2, l3] = formatSummaryText(s).split('\n');
    expect(l1).toMatch(/^FAILED: /);
    expect(l1).toContain('SERVER_HELLO');
    expect(l1).toContain('alert 40 (handshake_failure) received from the server');
    expect(l2).toMatch(/^Why: /);
    expect(l2).toContain('shares no ciphersuite');
    expect(l2).toContain('TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256');
    expect(l2).toContain('(line 133)');
    expect(l3).toMatch(/^Fix: /);
    expect(l3).toContain('MBEDTLS_SHA384_C');
    expect(l3).toContain('TLS-ECDHE-ECDSA-WITH-AES-256-GCM-SHA384');
  });

  test('without the offered list (debug level 2) it still names the cause and says the list is missing', () => {
    const text = recording('tls12_no_shared_cipher.log').split('\n').filter((l) => !l.includes('client hello, add ciphersuite')).join('\n');
    const f = only(run(text), 'no-shared-ciphersuite');
    expect(f.message).toContain('offered list was not printed');
  });
});

describe('tls12_server_untrusted.log', () => {
  const s = run(recording('tls12_server_untrusted.log'));

  test('server-cert-untrusted, at the verification flags line, naming the CA to load', () => {
    expect(codes(s.findings)).toEqual(['server-cert-untrusted']);
    const f = only(s, 'server-cert-untrusted');
    expect(f.line).toBe(320); // line 321: `! Certificate verification flags 00000008`
    expect(f.lines).toContain(309); // line 310: `x509_verify_cert() returned -9984 (-0x2700)`
    expect(f.message).toContain('0x00000008');
    expect(f.message).toContain('issued by CN=Bench Test CA, O=Bench'); // line 279 `issuer name` of peer certificate #1
    expect(f.hint).toContain('CN=Bench Test CA, O=Bench');
    expect(f.hint).toContain('mbedtls_ssl_conf_ca_chain');
  });

  test('the text summary says in its first three lines what failed, why, and what to change', () => {
    const [l1, l2, l3] = formatSummaryText(s).split('\n');
    expect(l1).toMatch(/^FAILED: .*SERVER_CERTIFICATE/);
    expect(l1).toContain('-0x2700');
    expect(l2).toMatch(/^Why: The device does not trust the server's certificate/);
    expect(l2).toContain('CA');
    expect(l2).toContain('(line 321)');
    expect(l3).toMatch(/^Fix: Load the CA that issued the server's certificate \(CN=Bench Test CA, O=Bench\)/);
  });
});
