/** The engine and the rules on hand-built handshake views (no parser involved). */
import { describe, expect, test } from 'vitest';
import { initialHandshakeView } from '../../machines/handshake.ts';
import { Diagnoser, DiagnosticFacts } from '../../src/diagnosis/index.ts';
import { handshakeRule, sessionRule } from '../../src/diagnosis/rule.ts';
import { missingFromOffer } from '../../src/diagnosis/rules/ciphersuites.ts';
import type { HandshakeView, Snapshot } from '../../src/session/types.ts';

function snapshot(handshakes: HandshakeView[], lines = 1000): Snapshot {
  return {
    source: { type: 'file', name: 'x' }, status: { state: 'ended' }, lines, unmatchedLines: 0, log: [],
    handshakes, certificates: [], keys: [], psaCalls: [], mqtt: { connected: false, subscriptions: [], messages: [] }, findings: [],
  };
}

function failedView(index: number, start: number): HandshakeView {
  const h = initialHandshakeView({ index, connection: null, t: 0, line: start });
  return {
    ...h, outcome: 'failed', failedAt: 'MBEDTLS_SSL_SERVER_CERTIFICATE', current: 'MBEDTLS_SSL_SERVER_CERTIFICATE', endLine: start + 20,
    states: ['MBEDTLS_SSL_CLIENT_HELLO', 'MBEDTLS_SSL_SERVER_HELLO', 'MBEDTLS_SSL_SERVER_CERTIFICATE'],
    error: { code: -0x2700, hex: '-0x2700', name: 'MBEDTLS_ERR_X509_CERT_VERIFY_FAILED' },
    errors: [{ fn: 'x509_verify_cert', error: { code: -0x2700, hex: '-0x2700', name: 'MBEDTLS_ERR_X509_CERT_VERIFY_FAILED' }, line: start + 10, state: 'MBEDTLS_SSL_SERVER_CERTIFICATE' }],
    verifyFlags: { flags: 0x08, names: ['BADCERT_NOT_TRUSTED'], line: start + 12 },
    peerCertificates: [{ subject: 'CN=broker', issuer: 'CN=Real CA' }],
  };
}

describe('Diagnoser', () => {
  test('server-cert-untrusted from a hand-built view; the same finding on three attempts is kept once, the newest, and the loop is named', () => {
    const hs = [failedView(0, 0), failedView(1, 100), failedView(2, 200)];
    const found = new Diagnoser().run(snapshot(hs), new DiagnosticFacts().view());
    expect(found.map((f) => f.code).sort()).toEqual(['connect-retry-loop', 'server-cert-untrusted']);
    const f = found.find((x) => x.code === 'server-cert-untrusted')!;
    expect(f.line).toBe(212);
    expect(f.lines).toEqual([210]);
    expect(f.handshake).toBe(2);
    expect(f.hint).toContain('CN=Real CA');
  });

  test('findings come out in line order', () => {
    const rules = [
      sessionRule<null>({ code: 'b', severity: 'info', family: 'secrets', test: () => ({ lines: [50], data: null }), message: () => 'b', hint: () => 'b' }),
      sessionRule<null>({ code: 'a', severity: 'info', family: 'secrets', test: () => ({ lines: [7, 3], data: null }), message: () => 'a', hint: () => 'a' }),
    ];
    const found = new Diagnoser(rules).run(snapshot([]), new DiagnosticFacts().view());
    expect(found).toEqual([
      { code: 'a', severity: 'info', message: 'a', hint: 'a', line: 7, lines: [3] },
      { code: 'b', severity: 'info', message: 'b', hint: 'b', line: 50 },
    ]);
  });

  test('a rule that throws is skipped; the others still run', () => {
    const rules = [
      handshakeRule<null>({ code: 'boom', severity: 'error', family: 'buffers', test: () => { throw new Error('odd log'); }, message: () => '', hint: () => '' }),
      handshakeRule<null>({ code: 'fine', severity: 'error', family: 'buffers', test: ({ h }) => ({ lines: [h.startLine], data: null }), message: () => 'm', hint: () => 'h' }),
    ];
    // As the monitor runs (not strict): one rule's exception does not cost the others.
    const found = new Diagnoser(rules, false).run(snapshot([failedView(0, 5)]), new DiagnosticFacts().view());
    expect(found.map((f) => [f.code, f.line, f.handshake])).toEqual([['fine', 5, 0]]);
    // Under test (HSMON_STRICT=1, test/setup.ts) the exception surfaces: a rule that always
    // throws cannot pass a "no false alarm" test by saying nothing.
    expect(process.env['HSMON_STRICT']).toBe('1');
    expect(() => new Diagnoser(rules).run(snapshot([failedView(0, 5)]), new DiagnosticFacts().view())).toThrow('odd log');
  });

  test('an ok handshake view raises nothing', () => {
    const h = { ...initialHandshakeView({ index: 0, connection: null, t: 0, line: 0 }), outcome: 'ok' as const, endLine: 40 };
    expect(new Diagnoser().run(snapshot([h]), new DiagnosticFacts().view())).toEqual([]);
  });
});

describe('missingFromOffer', () => {
  test.each([
    [['TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256'], ['SHA-384', 'only ECDSA']],
    [['TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256', 'TLS-ECDHE-RSA-WITH-AES-256-GCM-SHA384'], ['only RSA']],
    [['TLS-ECDHE-ECDSA-WITH-AES-256-GCM-SHA384', 'TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256'], []],
    [[], []],
  ])('%j lacks %j', (offered, gaps) => {
    const found = missingFromOffer(offered).map((g) => g.text);
    expect(found).toHaveLength(gaps.length);
    gaps.forEach((g, i) => expect(found[i]).toContain(g));
  });
});
