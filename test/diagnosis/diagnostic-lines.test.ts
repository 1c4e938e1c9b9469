/** The diagnostic-lines parser on the bodies mbedTLS prints (format strings in its header). */
import { describe, expect, test } from 'vitest';
import { createDiagnosticLinesParser } from '../../parsers/diagnostic-lines.ts';

const feed = (body: string) => createDiagnosticLinesParser().feed({ profile: 'mbedtls', body }, { seq: 7, t: 3, text: body });

describe('diagnostic lines', () => {
  test.each([
    ['bad message length', 'bad-message-length', [], null],
    ['requesting more data than fits', 'buffer-too-small', [], null],
    ['TLS handshake fragmentation not supported', 'fragmentation-unsupported', [], null],
    ['alloc(16717 bytes) failed', 'alloc-failed', [16717], null],
    ['fragment larger than the (negotiated) maximum fragment length: 833 > 512', 'fragment-too-large', [833, 512], null],
    ['non-matching max fragment length extension', 'mfl-mismatch', [], null],
    ['got no certificate to send', 'no-client-certificate', [], null],
    ['build version: Mbed TLS 3.6.6 (build 50726400)', 'mbedtls-build', [], '3.6.6'],
    ['Perform PSA-based ECDH computation.', 'psa-step', [], 'ECDH computation'],
    ['client hello, current time: 1795356399', 'device-time', [1795356399], null],
    ["dumping 'master secret' (48 bytes)", 'secret-dump', [], 'master secret'],
    ["value of 'ECDH: z' (254 bits) is:", 'secret-dump', [], 'ECDH: z'],
    ['    Master-Key: [redacted by hsmon: session secret]', 'secret-dump', [], 'Master-Key'],
  ] as const)('%s → %s', (body, what, numbers, text) => {
    expect(feed(body)).toEqual([{ kind: 'device.diagnostic', t: 3, line: 7, ctx: null, what, numbers, text }]);
  });

  test.each([
    "dumping 'session hash for extended master secret' (32 bytes)",
    "dumping 'client hello, random bytes' (32 bytes)",
    'server hello, current time: 1718730389',
    'Mbed TLS 3.6.6 is great',
    'handshake message: msglen = 426, type = 11, hslen = 426',
  ])('ignores %s', (body) => {
    expect(feed(body)).toEqual([]);
  });
});
