import { describe, expect, test } from 'vitest';
import { codes, derive, only, recording, run } from './transcripts.ts';

const opaque = recording('psa_tls12_opaque_ok.log');
const m228 = recording('m228_tls12_mtls_ok.log');
const notSecrets = (cs: string[]): string[] => cs.filter((c) => c !== 'session-secrets-in-log');

describe('record-exceeds-buffer', () => {
  // Edit: psa_tls12_opaque_ok.log lines 1–165, the server Certificate record (line 165) made
  // 16384 bytes long, then mbedTLS's `bad message length` and the -0x7200 returns appended.
  const text = derive(opaque, {
    keep: [1, 165],
    change: [{ line: 165, from: 'msglen = 426', to: 'msglen = 16384' }],
    append: [
      'ssl_msg.c:4011: |1| bad message length',
      'ssl_msg.c:4340: |1| ssl_get_next_record() returned -29184 (-0x7200)',
      'ssl_tls.c:7915: |1| mbedtls_ssl_read_record() returned -29184 (-0x7200)',
      'ssl_tls.c:4681: |2| <= handshake',
      ' failed',
      '  ! mbedtls_ssl_handshake returned -0x7200',
    ],
  });

  test('a 16384-byte record against the input buffer: raise MBEDTLS_SSL_IN_CONTENT_LEN', () => {
    const s = run(text);
    expect(s.handshakes[0]!.failedAt).toBe('MBEDTLS_SSL_SERVER_CERTIFICATE');
    expect(notSecrets(codes(s.findings))).toEqual(['record-exceeds-buffer']);
    const f = only(s, 'record-exceeds-buffer');
    expect(f.line).toBe(165); // appended line 166: `bad message length`
    expect(f.lines).toContain(164); // line 165: the record header
    // A -0x7200 return: line 168 `mbedtls_ssl_read_record()`; line 167 `ssl_get_next_record()` is not
    // an event today (the mbedTLS parser drops `returned` lines of functions starting with s/c/g/p…).
    expect(f.lines!.some((l) => l === 166 || l === 167)).toBe(true);
    expect(f.message).toContain('16384 bytes');
    expect(f.message).toContain('SERVER_CERTIFICATE');
    expect(f.message).toContain('did not ask for a smaller max_fragment_length');
    expect(f.hint).toContain('MBEDTLS_SSL_IN_CONTENT_LEN to at least 16384');
  });

  test('-0x7200 alone (no `bad message length` line at debug level 1) is enough (edit: appended line 166 dropped)', () => {
    const lines = text.trimEnd().split('\n');
    lines.splice(165, 1);
    const f = only(run(lines.join('\n') + '\n'), 'record-exceeds-buffer');
    // The first -0x7200 return: seq 165 `ssl_get_next_record()` or, as the parser is today, 166.
    expect([165, 166]).toContain(f.line);
  });
});

describe('mfl-not-honored', () => {
  test('max_fragment_length 2048 negotiated, a 3000-byte Certificate record arrives (edit: m228 line 173 msglen 426 → 3000)', () => {
    const s = run(derive(m228, { change: [{ line: 173, from: 'msglen = 426', to: 'msglen = 3000' }] }));
    expect(s.handshakes[0]!.maxFragmentLength).toBe(2048);
    expect(notSecrets(codes(s.findings))).toEqual(['mfl-not-honored']);
    const f = only(s, 'mfl-not-honored');
    expect(f.severity).toBe('warning');
    expect(f.line).toBe(172);
    expect(f.message).toContain('The server sent 1 record larger than the negotiated max_fragment_length 2048 (up to 3000 bytes, first in SERVER_CERTIFICATE)');
  });

  test('the device itself sends a record over the negotiated length (edit: m228 line 370 output msglen 456 → 2500)', () => {
    const s = run(derive(m228, { change: [{ line: 370, from: 'msglen = 456', to: 'msglen = 2500' }] }));
    const f = only(s, 'mfl-not-honored');
    expect(f.line).toBe(369);
    expect(f.message).toContain('The device sent 1 record of up to 2500 bytes');
    expect(f.message).toContain('record_overflow');
  });

  test('encrypted records may exceed the fragment length by the cipher overhead: m228 as recorded is silent', () => {
    // line 497: the server's encrypted Finished-flight record of 634 bytes… and after the
    // handshake, 2064-byte application records (2048 + 16-byte tag, lines 610, 662, 715).
    expect(notSecrets(codes(run(m228).findings))).toEqual([]);
  });
});

describe('handshake-fragmentation-unsupported', () => {
  // Edit: psa_tls12_opaque_ok.log lines 1–171, banner line 1 `3.6.6` → `3.6.2`, the Certificate
  // record (line 165) shortened to 300 bytes and line 171 `handshake message: msglen = 300, …,
  // hslen = 426`, then 3.6.2's refusal appended.
  const base = {
    keep: [1, 171] as [number, number],
    change: [
      { line: 1, from: 'Mbed TLS 3.6.6', to: 'Mbed TLS 3.6.2' },
      { line: 165, from: 'msglen = 426', to: 'msglen = 300' },
      { line: 171, from: 'msglen = 426, type = 11', to: 'msglen = 300, type = 11' },
    ],
  };
  const tail = [
    'ssl_msg.c:4395: |1| mbedtls_ssl_prepare_handshake_record() returned -28800 (-0x7080)',
    'ssl_tls.c:7915: |1| mbedtls_ssl_read_record() returned -28800 (-0x7080)',
    'ssl_tls.c:4681: |2| <= handshake',
    ' failed',
    '  ! mbedtls_ssl_handshake returned -0x7080',
  ];

  test('hslen > msglen and `TLS handshake fragmentation not supported` on 3.6.2', () => {
    const s = run(derive(opaque, { ...base, append: ['ssl_msg.c:3262: |1| TLS handshake fragmentation not supported', ...tail] }));
    expect(notSecrets(codes(s.findings))).toEqual(['handshake-fragmentation-unsupported']);
    const f = only(s, 'handshake-fragmentation-unsupported');
    expect(f.line).toBe(171);
    expect(f.lines).toContain(170);
    expect(f.message).toContain('hslen 426 > msglen 300');
    expect(f.message).toContain('mbedTLS 3.6.2');
    expect(f.hint).toContain('3.6.6');
  });

  test('without the debug line, a split message and -0x7080 on 3.6.2 are enough', () => {
    const f = only(run(derive(opaque, { ...base, append: tail })), 'handshake-fragmentation-unsupported');
    expect(f.line).toBe(170);
  });

  test('…but not on 3.6.6, which reassembles (edit: banner left at 3.6.6)', () => {
    const edit = { ...base, change: base.change.slice(1), append: tail };
    expect(codes(run(derive(opaque, edit)).findings)).not.toContain('handshake-fragmentation-unsupported');
  });
});
