import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PsaParser } from '../../parsers/psa.ts';
import { parseKeyline } from '../../parsers/keyline.ts';
import type { DeviceEvent, Line, Prefixed } from '../../parsers/events.ts';
import {
  PSA_STATUSES,
  mbedtlsErrorsForPsa,
  psaAlgName,
  psaKeyTypeName,
  psaStatus,
  psaStatusByName,
  psaStatusesForMbedtls,
  psaUsageNames,
} from '../../parsers/tables/psa-status.ts';

function run(lines: string[]): DeviceEvent[] {
  const p = new PsaParser();
  const out: DeviceEvent[] = [];
  lines.forEach((text, seq) => {
    const line: Line = { seq, t: seq * 10, text };
    const seg: Prefixed = { profile: 'none', body: text };
    out.push(...p.feed(seg, line));
  });
  out.push(...p.flush());
  return out;
}

describe('PSA status table', () => {
  // Values and names from device-log-formats.md §5 (crypto_values.h), typed in by hand.
  it.each([
    [0, 'PSA_SUCCESS'], [-132, 'PSA_ERROR_GENERIC_ERROR'], [-133, 'PSA_ERROR_NOT_PERMITTED'],
    [-134, 'PSA_ERROR_NOT_SUPPORTED'], [-135, 'PSA_ERROR_INVALID_ARGUMENT'], [-136, 'PSA_ERROR_INVALID_HANDLE'],
    [-137, 'PSA_ERROR_BAD_STATE'], [-138, 'PSA_ERROR_BUFFER_TOO_SMALL'], [-139, 'PSA_ERROR_ALREADY_EXISTS'],
    [-140, 'PSA_ERROR_DOES_NOT_EXIST'], [-141, 'PSA_ERROR_INSUFFICIENT_MEMORY'], [-142, 'PSA_ERROR_INSUFFICIENT_STORAGE'],
    [-143, 'PSA_ERROR_INSUFFICIENT_DATA'], [-144, 'PSA_ERROR_SERVICE_FAILURE'], [-145, 'PSA_ERROR_COMMUNICATION_FAILURE'],
    [-146, 'PSA_ERROR_STORAGE_FAILURE'], [-147, 'PSA_ERROR_HARDWARE_FAILURE'], [-148, 'PSA_ERROR_INSUFFICIENT_ENTROPY'],
    [-149, 'PSA_ERROR_INVALID_SIGNATURE'], [-150, 'PSA_ERROR_INVALID_PADDING'], [-151, 'PSA_ERROR_CORRUPTION_DETECTED'],
    [-152, 'PSA_ERROR_DATA_CORRUPT'], [-153, 'PSA_ERROR_DATA_INVALID'], [-248, 'PSA_OPERATION_INCOMPLETE'],
  ])('%i is %s, with a meaning', (value, name) => {
    expect(psaStatus(value)?.name).toBe(name);
    expect(psaStatus(value)?.meaning.length).toBeGreaterThan(10);
    expect(psaStatusByName(name)?.value).toBe(value);
  });

  it('has exactly the 24 statuses of the reference and knows no others', () => {
    expect(PSA_STATUSES).toHaveLength(24);
    expect(psaStatus(-131)).toBeNull();
    expect(psaStatusByName('NOT_PERMITTED')?.value).toBe(-133);
  });
});

describe('PSA → mbedTLS errors', () => {
  it('INSUFFICIENT_MEMORY is SSL_ALLOC_FAILED in the SSL table', () => {
    const refs = mbedtlsErrorsForPsa(-141);
    expect(refs.find((r) => r.via === 'ssl')).toMatchObject({ code: -0x7f00, hex: '-0x7F00', name: 'MBEDTLS_ERR_SSL_ALLOC_FAILED' });
  });

  it('-141 in psa_export_public_key during CLIENT_KEY_EXCHANGE surfaces as HW_ACCEL_FAILED', () => {
    const refs = mbedtlsErrorsForPsa(-141, { fn: 'psa_export_public_key', state: 'MBEDTLS_SSL_CLIENT_KEY_EXCHANGE' });
    expect(refs[0]).toMatchObject({ code: -0x7f80, hex: '-0x7F80', name: 'MBEDTLS_ERR_SSL_HW_ACCEL_FAILED', via: 'ssl-psa-ecdh' });
    expect(refs[0]?.note).toMatch(/MBEDTLS_SSL_OUT_CONTENT_LEN/);
  });

  it('leaves out the ECDH path for other functions and states', () => {
    expect(mbedtlsErrorsForPsa(-141, { fn: 'psa_sign_hash' }).some((r) => r.code === -0x7f80)).toBe(false);
    expect(mbedtlsErrorsForPsa(-141, { state: 'MBEDTLS_SSL_CERTIFICATE_VERIFY' }).some((r) => r.code === -0x7f80)).toBe(false);
  });

  it.each([
    [-134, 'ssl', -0x7080], [-149, 'ssl', -0x7180], [-135, 'ssl', -0x7100], [-137, 'ssl', -0x6c00], [-138, 'ssl', -0x6a00],
    [-136, 'pk', -0x3d00], [-133, 'pk', -0x3f00], [-135, 'pk', -0x3a80], [-152, 'pk', -0x3e00], [-146, 'pk', -0x3e00],
    [-134, 'generic', -0x0072], [-151, 'generic', -0x006e], [-145, 'generic', -0x0070], [-147, 'generic', -0x0070], [-148, 'generic', -0x0001],
  ] as const)('%i via %s → %i', (status, via, code) => {
    expect(mbedtlsErrorsForPsa(status).find((r) => r.via === via)?.code).toBe(code);
  });

  it('success maps to nothing', () => {
    expect(mbedtlsErrorsForPsa(0)).toEqual([]);
  });

  it('ties -0x7F80 back to INSUFFICIENT_MEMORY first, and -0x7F00 only to it', () => {
    expect(psaStatusesForMbedtls(-0x7f80)[0]?.status.name).toBe('PSA_ERROR_INSUFFICIENT_MEMORY');
    expect(psaStatusesForMbedtls(-0x7f00).map((s) => s.status.name)).toEqual(['PSA_ERROR_INSUFFICIENT_MEMORY']);
  });
});

describe('key attribute decoding', () => {
  it.each([
    [0x7112, 'ECC_KEY_PAIR(SECP_R1)'], [0x4112, 'ECC_PUBLIC_KEY(SECP_R1)'], [0x7001, 'RSA_KEY_PAIR'],
    [0x2400, 'AES'], [0x7141, 'ECC_KEY_PAIR(MONTGOMERY)'], [0x9999, '0x9999'],
  ])('type %i → %s', (v, name) => expect(psaKeyTypeName(v)).toBe(name));

  it.each([
    [0x06000609, 'ECDSA(SHA_256)'], [0x06000709, 'DETERMINISTIC_ECDSA(SHA_256)'], [0x02000009, 'SHA_256'],
    [0x09020000, 'ECDH'], [0x06000209, 'RSA_PKCS1V15_SIGN(SHA_256)'], [0x05500100, 'CCM'], [0x12345678, '0x12345678'],
  ])('alg %i → %s', (v, name) => expect(psaAlgName(v)).toBe(name));

  it('usage flags', () => {
    expect(psaUsageNames(0x3000)).toEqual(['SIGN_HASH', 'VERIFY_HASH']);
    expect(psaUsageNames(0x4001)).toEqual(['EXPORT', 'DERIVE']);
  });
});

describe('PsaParser', () => {
  const call = (fn: string, status: number, name: string | null, keyId: number | null = null) =>
    expect.objectContaining({ kind: 'psa.call', fn, status, name, keyId });

  it.each([
    ['psa_generate_key() = 0', call('psa_generate_key', 0, 'PSA_SUCCESS')],
    ['psa_export_public_key returned -141', call('psa_export_public_key', -141, 'PSA_ERROR_INSUFFICIENT_MEMORY')],
    ['ssl_tls.c:1234: |1| psa_sign_hash() returned -133 (-0x0085)', call('psa_sign_hash', -133, 'PSA_ERROR_NOT_PERMITTED')],
    ['psa_generate_key failed, status: PSA_ERROR_NOT_SUPPORTED', call('psa_generate_key', -134, 'PSA_ERROR_NOT_SUPPORTED')],
    ['psa_crypto_init: PSA_SUCCESS', call('psa_crypto_init', 0, 'PSA_SUCCESS')],
    ['psa_import_key status=0xffffff73', call('psa_import_key', -141, 'PSA_ERROR_INSUFFICIENT_MEMORY')],
    ['psa_sign_hash(key id 0x1) returned -133 (-0x0085)', call('psa_sign_hash', -133, 'PSA_ERROR_NOT_PERMITTED', 1)],
    ['Signing failed: PSA_ERROR_NOT_PERMITTED', call('unknown', -133, 'PSA_ERROR_NOT_PERMITTED')],
    ['psa_foo() = -999', call('psa_foo', -999, null)],
  ])('%s', (text, want) => {
    const evs = run([text]);
    expect(evs).toEqual([want]);
  });

  it('ties a bare status to the psa_* function named a few lines before', () => {
    const evs = run(['Calling psa_generate_key...', 'status: -134']);
    expect(evs).toEqual([expect.objectContaining({ kind: 'psa.call', fn: 'psa_generate_key', status: -134, line: 1 })]);
  });

  it('does not take a bare number without a psa_* function nearby', () => {
    expect(run(['status: -134'])).toEqual([]);
  });

  it.each([
    'ssl_tls.c:7328: |2| => PSA calc verify',
    'psa_its: 3 files',
    'ssl_msg.c:3242: |3| handshake message: msglen = 4, type = 14, hslen = 4',
    'ssl_tls.c:7899: |3| EC key size       : 256 bits',
    'ssl_tls.c:7899: |3| key usage         : Digital Signature',
    'cert. type        : SSL Client',
  ])('ignores %s', (text) => {
    expect(run([text])).toEqual([]);
  });

  it('emits a psa.step for the mbedTLS PSA ECDH line (the last line before -0x7F80)', () => {
    const evs = run(['ssl_tls12_client.c:2803: |3| Perform PSA-based ECDH computation.']);
    expect(evs).toEqual([expect.objectContaining({ kind: 'psa.step', name: 'ECDH computation', source: 'mbedtls', status: null })]);
  });

  it('reads the device clock from the ClientHello time line', () => {
    // `date -u -d @1795356799` prints Sun Nov 22 14:13:19 UTC 2026.
    const evs = run(['ssl_client.c:0724: |3| client hello, current time: 1795356799']);
    expect(evs).toEqual([expect.objectContaining({ kind: 'device.clock', iso: '2026-11-22T14:13:19.000Z', source: 'mbedtls' })]);
  });

  it('collects free-form key attribute lines into one psa.key', () => {
    const evs = run(['Key ID: 0x00000003', 'Key type: 0x7112', 'Key bits: 256', 'Algorithm: 0x06000609', 'Usage: 0x00003000', 'Lifetime: 0x00000001', 'done']);
    expect(evs).toEqual([expect.objectContaining({
      kind: 'psa.key', line: 0, id: 3, type: 'ECC_KEY_PAIR(SECP_R1)', bits: 256, alg: 'ECDSA(SHA_256)',
      usage: ['SIGN_HASH', 'VERIFY_HASH'], lifetime: 'persistent', status: null, source: 'log',
    })]);
  });

  it('reads one-line attributes and emits at the end of input', () => {
    const evs = run(['key id=2 type=PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1) bits=256 alg=PSA_ALG_SHA_256']);
    expect(evs).toEqual([expect.objectContaining({ kind: 'psa.key', id: 2, type: 'ECC_KEY_PAIR(SECP_R1)', alg: 'SHA_256', bits: 256 })]);
  });

  it('reads the printed public key point', () => {
    const point = `04${'ab'.repeat(64)}`;
    expect(run([`Device public key: ${point}`])).toEqual([expect.objectContaining({ kind: 'psa.pubkey', point, id: null, source: 'log' })]);
  });
});

describe('hsmon key line', () => {
  it('parses a key line into attributes', () => {
    expect(parseKeyline('hsmon: key id=0x1 type=ECC_KEY_PAIR(SECP_R1) bits=256 alg=ECDSA(SHA_256) lifetime=persistent status=0')).toEqual({
      what: 'key', id: 1, type: 'ECC_KEY_PAIR(SECP_R1)', bits: 256, alg: 'ECDSA(SHA_256)', usage: null, lifetime: 'persistent', status: 0,
    });
  });

  it('accepts numeric attributes and status names, after a prefix', () => {
    expect(parseKeyline('[F4] : [L4] : 0003 00:00:02.000 hsmon: key id=7 type=0x7112 alg=0x06000709 usage=0x1000 lifetime=0 status=PSA_ERROR_NOT_PERMITTED')).toEqual({
      what: 'key', id: 7, type: 'ECC_KEY_PAIR(SECP_R1)', bits: null, alg: 'DETERMINISTIC_ECDSA(SHA_256)', usage: ['SIGN_HASH'], lifetime: 'volatile', status: -133,
    });
  });

  it('reads what the C snippet in docs/keyline.md prints', () => {
    // printf("hsmon: key id=0x%x type=0x%04x bits=%u alg=0x%08x usage=0x%04x lifetime=0x%08x status=%d\n", …)
    expect(parseKeyline('hsmon: key id=0x1 type=0x7112 bits=256 alg=0x06000609 usage=0x3000 lifetime=0x00000001 status=0')).toEqual({
      what: 'key', id: 1, type: 'ECC_KEY_PAIR(SECP_R1)', bits: 256, alg: 'ECDSA(SHA_256)', usage: ['SIGN_HASH', 'VERIFY_HASH'], lifetime: 'persistent', status: 0,
    });
    expect(parseKeyline('hsmon: time 1795356799')).toEqual({ what: 'time', iso: '2026-11-22T14:13:19.000Z' });
    const point = `04${'0f'.repeat(64)}`;
    expect(parseKeyline(`hsmon: pubkey id=0x1 ${point}`)).toEqual({ what: 'pubkey', id: 1, point });
  });

  it.each([
    ['hsmon: step name=csr.generate status=0', { what: 'step', name: 'csr.generate', fn: null, status: 0 }],
    ['hsmon: step name=tls.sign fn=psa_sign_hash status=-133', { what: 'step', name: 'tls.sign', fn: 'psa_sign_hash', status: -133 }],
    ['hsmon: time 2026-11-22T10:00:00Z', { what: 'time', iso: '2026-11-22T10:00:00.000Z' }],
    ['hsmon: time 0', null],
    ['hsmon: key bits=256', null],
    ['hsmon: step status=0', null],
    ['hsmon: pubkey id=1 04abcd', null],
    ['hsmon:key id=1', null],
  ])('%s', (text, want) => {
    expect(parseKeyline(text)).toEqual(want);
  });

  it('the parser turns key lines into psa.key/psa.step/device.clock events', () => {
    const evs = run(['hsmon: key id=0x1 type=ECC_KEY_PAIR(SECP_R1) bits=256 status=0', 'hsmon: step name=provision status=-134', 'hsmon: time 2026-11-22T10:00:00Z']);
    expect(evs.map((e) => e.kind)).toEqual(['psa.key', 'psa.step', 'device.clock']);
    expect(evs[0]).toMatchObject({ id: 1, statusName: 'PSA_SUCCESS', source: 'hsmon' });
    expect(evs[1]).toMatchObject({ name: 'provision', status: -134, statusName: 'PSA_ERROR_NOT_SUPPORTED', source: 'hsmon' });
  });
});

it('PsaParser never throws and emits only PSA kinds on arbitrary lines', () => {
  const pieces = fc.constantFrom('psa_sign_hash', '() = ', 'returned ', '-133', 'PSA_ERROR_NOT_PERMITTED', 'hsmon: key ', 'id=0x1 ', 'type=', 'Key ID: ', 'status: ', '0xffffff73', 'hsmon: time ', ' ');
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.string(), fc.array(pieces).map((a) => a.join('')))), (lines) => {
      for (const e of run(lines)) expect(['psa.call', 'psa.key', 'psa.step', 'psa.pubkey', 'device.clock']).toContain(e.kind);
    }),
  );
});
