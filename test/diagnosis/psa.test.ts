import { describe, expect, test } from 'vitest';
import { codes, derive, fixture, only, recording, run } from './transcripts.ts';

const opaque = recording('psa_tls12_opaque_ok.log');
const notSecrets = (cs: string[]): string[] => cs.filter((c) => c !== 'session-secrets-in-log');

describe('psa-ecdh-export-failed', () => {
  // test/fixtures/diagnosis/psa_ecdh_export_failed.log: psa_tls12_opaque_ok.log lines 1–362
  // (`Perform PSA-based ECDH computation.` is line 362) + `mbedtls_ssl_handshake failed 0x7f80`.
  const text = fixture('psa_ecdh_export_failed.log');

  test('-0x7F80 in CLIENT_KEY_EXCHANGE right after the PSA ECDH step', () => {
    const s = run(text);
    expect(s.handshakes[0]!.failedAt).toBe('MBEDTLS_SSL_CLIENT_KEY_EXCHANGE');
    expect(notSecrets(codes(s.findings))).toEqual(['psa-ecdh-export-failed']);
    const f = only(s, 'psa-ecdh-export-failed');
    expect(f.line).toBe(362); // line 363: the platform line
    expect(f.lines).toContain(361); // line 362: `Perform PSA-based ECDH computation.`
    expect(f.message).toContain('-0x7F80');
    expect(f.message).toContain('PSA_ERROR_INSUFFICIENT_MEMORY');
    expect(f.hint).toContain('MBEDTLS_SSL_OUT_CONTENT_LEN');
    expect(f.hint).toContain('2048');
    expect(f.hint).toContain('max_fragment_length');
  });

  test('with the PSA status printed, it is cited, and not reported again as out-of-memory (edit: line `psa_export_public_key() returned -141` before the platform line)', () => {
    const lines = text.trimEnd().split('\n');
    lines.splice(362, 0, 'psa_export_public_key() returned -141');
    const s = run(lines.join('\n') + '\n');
    expect(notSecrets(codes(s.findings))).toEqual(['psa-ecdh-export-failed']);
    const f = only(s, 'psa-ecdh-export-failed');
    expect(f.message).toContain('psa_export_public_key returned PSA_ERROR_INSUFFICIENT_MEMORY (-141, line 363)');
  });

  test('the same error without the PSA ECDH step is not blamed on PSA (edit: line 362 removed)', () => {
    const lines = text.trimEnd().split('\n');
    lines.splice(361, 1);
    expect(codes(run(lines.join('\n') + '\n').findings)).not.toContain('psa-ecdh-export-failed');
  });
});

describe('psa-key-policy-mismatch', () => {
  test('opaque key signing in CERTIFICATE_VERIFY refused (edit: lines 1–377 kept, PK_TYPE_MISMATCH return + failure appended)', () => {
    const text = derive(opaque, {
      keep: [1, 377], // line 377: `=> write certificate verify`
      append: [
        'ssl_tls12_client.c:3393: |1| mbedtls_pk_sign_restartable() returned -16128 (-0x3f00)',
        'ssl_tls.c:4681: |2| <= handshake',
        ' failed',
        '  ! mbedtls_ssl_handshake returned -0x3f00',
      ],
    });
    const s = run(text);
    const f = only(s, 'psa-key-policy-mismatch');
    expect(f.line).toBe(377);
    expect(f.handshake).toBe(0);
    expect(f.message).toContain('CERTIFICATE_VERIFY');
    expect(f.message).toContain('PSA_ERROR_NOT_PERMITTED (-133)');
    expect(f.hint).toContain('PSA_ALG_ECDSA(PSA_ALG_SHA_256)');
    expect(f.hint).toContain('not PSA_ALG_SHA_256');
  });

  test('a firmware line with PSA_ERROR_NOT_PERMITTED (edit: appended `psa_sign_hash failed: PSA_ERROR_NOT_PERMITTED (-133)` after the log)', () => {
    const text = derive(opaque, { append: ['psa_sign_hash failed: PSA_ERROR_NOT_PERMITTED (-133)'] });
    const s = run(text);
    const f = only(s, 'psa-key-policy-mismatch');
    expect(f.line).toBe(750); // the file has 750 lines (wc -l): the appended one is seq 750
    expect(f.message).toContain('psa_sign_hash was refused with PSA_ERROR_NOT_PERMITTED (-133)');
    expect(f.handshake).toBeUndefined();
  });
});

describe('psa-algorithm-unsupported', () => {
  test('RSA key generation in TF-M (edit: `psa_generate_key() returned -134` inserted before line 5)', () => {
    const text = derive(opaque, { insertBefore: { line: 5, lines: ['psa_generate_key() returned -134'] } });
    const s = run(text);
    expect(notSecrets(codes(s.findings))).toEqual(['psa-algorithm-unsupported']);
    const f = only(s, 'psa-algorithm-unsupported');
    expect(f.line).toBe(4);
    expect(f.message).toContain('psa_generate_key returned PSA_ERROR_NOT_SUPPORTED (-134)');
    expect(f.message).toContain('RSA');
    expect(f.hint).toContain('PSA_ECC_FAMILY_SECP_R1');
  });
});
