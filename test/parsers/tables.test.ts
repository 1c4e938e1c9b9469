// Samples of each protocol table checked against the values in the reference
// (device-log-formats.md §2, §4, §6 and the x509.h flag list), copied here by hand.
import { describe, expect, it } from 'vitest';
import { stateName, stateNumber, STATES_36, STATES_228, TLS12_LADDER, TLS13_LADDER } from '../../parsers/tables/states.ts';
import { decodeError, errorHex } from '../../parsers/tables/errors.ts';
import { alertName, alertLevelName } from '../../parsers/tables/alerts.ts';
import { ciphersuiteId, ciphersuiteName } from '../../parsers/tables/ciphersuites.ts';
import { decodeVerifyFlags, verifyFlagNames } from '../../parsers/tables/verify-flags.ts';
import { handshakeTypeName } from '../../parsers/tables/handshake-types.ts';
import { contentTypeName } from '../../parsers/tables/content-types.ts';
import { mflBytes, mflCode } from '../../parsers/tables/mfl.ts';

describe('states', () => {
  it.each([
    ['3.6', 0, 'MBEDTLS_SSL_HELLO_REQUEST'],
    ['3.6', 2, 'MBEDTLS_SSL_SERVER_HELLO'],
    ['3.6', 15, 'MBEDTLS_SSL_HANDSHAKE_WRAPUP'],
    ['3.6', 16, 'MBEDTLS_SSL_NEW_SESSION_TICKET'],
    ['3.6', 19, 'MBEDTLS_SSL_ENCRYPTED_EXTENSIONS'],
    ['3.6', 22, 'MBEDTLS_SSL_CLIENT_CCS_AFTER_SERVER_FINISHED'],
    ['3.6', 27, 'MBEDTLS_SSL_HANDSHAKE_OVER'],
    ['3.6', 29, 'MBEDTLS_SSL_TLS1_3_NEW_SESSION_TICKET_FLUSH'],
    ['2.28', 12, 'MBEDTLS_SSL_SERVER_CHANGE_CIPHER_SPEC'],
    ['2.28', 16, 'MBEDTLS_SSL_HANDSHAKE_OVER'],
    ['2.28', 17, 'MBEDTLS_SSL_SERVER_NEW_SESSION_TICKET'],
    ['2.28', 18, 'MBEDTLS_SSL_SERVER_HELLO_VERIFY_REQUEST_SENT'],
  ] as const)('%s state %i is %s', (v, n, name) => {
    expect(stateName(v, n)).toBe(name);
    expect(stateNumber(v, name)).toBe(n);
  });

  it('has 30 states in 3.6 and 19 in 2.28, and nothing past the end', () => {
    expect(STATES_36).toHaveLength(30);
    expect(STATES_228).toHaveLength(19);
    expect(stateName('3.6', 30)).toBeNull();
    expect(stateName('2.28', 19)).toBeNull();
    expect(stateName('3.6', -1)).toBeNull();
    expect(stateName('3.6', 1.5)).toBeNull();
  });

  it('ladders follow the client order of the corpus', () => {
    // grep -o 'client state: .*' recordings/psa_tls12_opaque_ok.log (first visits) + 15 -> 27
    const tls12 = ['HELLO_REQUEST', 'CLIENT_HELLO', 'SERVER_HELLO', 'SERVER_CERTIFICATE', 'SERVER_KEY_EXCHANGE',
      'CERTIFICATE_REQUEST', 'SERVER_HELLO_DONE', 'CLIENT_CERTIFICATE', 'CLIENT_KEY_EXCHANGE', 'CERTIFICATE_VERIFY',
      'CLIENT_CHANGE_CIPHER_SPEC', 'CLIENT_FINISHED', 'SERVER_CHANGE_CIPHER_SPEC', 'SERVER_FINISHED', 'FLUSH_BUFFERS',
      'HANDSHAKE_WRAPUP', 'HANDSHAKE_OVER'].map((s) => 'MBEDTLS_SSL_' + s);
    expect(TLS12_LADDER.filter((s) => tls12.includes(s))).toEqual(tls12);
    // grep -o 'handshake state: .*' recordings/tls13_mtls_ok.log
    const tls13 = ['HELLO_REQUEST', 'CLIENT_HELLO', 'SERVER_HELLO', 'ENCRYPTED_EXTENSIONS', 'CERTIFICATE_REQUEST',
      'SERVER_CERTIFICATE', 'CERTIFICATE_VERIFY', 'SERVER_FINISHED', 'CLIENT_CCS_AFTER_SERVER_FINISHED',
      'CLIENT_CERTIFICATE', 'CLIENT_CERTIFICATE_VERIFY', 'CLIENT_FINISHED', 'FLUSH_BUFFERS', 'HANDSHAKE_WRAPUP',
      'HANDSHAKE_OVER'].map((s) => 'MBEDTLS_SSL_' + s);
    expect(TLS13_LADDER.filter((s) => tls13.includes(s))).toEqual(tls13);
    for (const s of [...TLS12_LADDER, ...TLS13_LADDER]) expect(STATES_36).toContain(s);
  });
});

describe('errors', () => {
  it.each([
    [-0x7780, '-0x7780', 'MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE', 'A fatal alert message was received from our peer'],
    [-0x2700, '-0x2700', 'MBEDTLS_ERR_X509_CERT_VERIFY_FAILED', 'Certificate verification failed, e.g. CRL, CA or signature check failed'],
    [-0x7f80, '-0x7f80', 'MBEDTLS_ERR_SSL_HW_ACCEL_FAILED', 'Hardware acceleration function returned with error'],
    [-0x7200, '-0x7200', 'MBEDTLS_ERR_SSL_INVALID_RECORD', 'An invalid SSL record was received'],
    [-0x6e00, '-0x6e00', 'MBEDTLS_ERR_SSL_HANDSHAKE_FAILURE', 'The handshake negotiation failed'],
    [-0x7800, '-0x7800', 'MBEDTLS_ERR_SSL_UNRECOGNIZED_NAME', null],
    [-0x3f00, '-0x3f00', 'MBEDTLS_ERR_PK_TYPE_MISMATCH', null],
    [-0x4e00, '-0x4e00', 'MBEDTLS_ERR_ECP_VERIFY_FAILED', null],
    [-0x0062, '-0x0062', 'MBEDTLS_ERR_ASN1_UNEXPECTED_TAG', null],
    [-0x0050, '-0x0050', 'MBEDTLS_ERR_NET_CONN_RESET', null],
  ])('3.6 %i is %s %s', (code, hex, name, text) => {
    const e = decodeError(code);
    expect(e.code).toBe(code);
    expect(e.hex).toBe(hex);
    expect(e.name).toBe(name);
    if (text !== null) expect(e.text).toBe(text);
    else expect(typeof e.text).toBe('string');
  });

  it.each([
    [-0x7800, 'MBEDTLS_ERR_SSL_PEER_VERIFY_FAILED', 'MBEDTLS_ERR_SSL_UNRECOGNIZED_NAME'],
    [-0x7a00, 'MBEDTLS_ERR_SSL_BAD_HS_CERTIFICATE', 'MBEDTLS_ERR_SSL_BAD_CERTIFICATE'],
    [-0x6600, 'MBEDTLS_ERR_SSL_INVALID_VERIFY_HASH', 'MBEDTLS_ERR_SSL_ILLEGAL_PARAMETER'],
    [-0x7e80, 'MBEDTLS_ERR_SSL_BAD_HS_FINISHED', 'MBEDTLS_ERR_SSL_CACHE_ENTRY_NOT_FOUND'],
    [-0x6980, 'MBEDTLS_ERR_SSL_NO_USABLE_CIPHERSUITE', null],
  ])('%i is %s in 2.28 and %s in 3.6', (code, n228, n36) => {
    expect(decodeError(code, '2.28').name).toBe(n228);
    expect(decodeError(code, '3.6').name).toBe(n36);
  });

  it('keeps a code both versions agree on', () => {
    expect(decodeError(-0x7780, '2.28').name).toBe('MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE');
  });

  it('decodes a composite high + low code', () => {
    // -0x2180 + -0x0062 = -0x21E2 (reference §6)
    const e = decodeError(-0x21e2);
    expect(e.hex).toBe('-0x21e2');
    expect(e.name).toBe('MBEDTLS_ERR_X509_INVALID_FORMAT + MBEDTLS_ERR_ASN1_UNEXPECTED_TAG');
  });

  it('takes a positive value as the magnitude (cy_tls prints -ret)', () => {
    expect(decodeError(0x7f80)).toMatchObject({ code: -0x7f80, hex: '-0x7f80', name: 'MBEDTLS_ERR_SSL_HW_ACCEL_FAILED' });
  });

  it('gives null names for unknown or absurd codes without throwing', () => {
    expect(decodeError(-0x0f7f).name).toBeNull();
    // one known part is still worth saying
    expect(decodeError(-0x7fff).name).toBe('MBEDTLS_ERR_SSL_HW_ACCEL_FAILED + -0x007f');
    expect(decodeError(0).name).toBeNull();
    expect(decodeError(Number.NaN).name).toBeNull();
    expect(decodeError(-1e20).name).toBeNull();
    expect(errorHex(-0x62)).toBe('-0x0062');
  });
});

describe('alerts', () => {
  it.each([[0, 'close_notify'], [40, 'handshake_failure'], [42, 'bad_certificate'], [48, 'unknown_ca'],
    [49, 'access_denied'], [70, 'protocol_version'], [80, 'internal_error'], [116, 'certificate_required'], [120, 'no_application_protocol']])(
    '%i is %s', (d, name) => expect(alertName(d)).toBe(name));
  it('names levels and unknowns', () => {
    expect(alertLevelName(2)).toBe('fatal');
    expect(alertLevelName(1)).toBe('warning');
    expect(alertName(255)).toBe('alert_255');
  });
});

describe('ciphersuites', () => {
  it.each([
    [0x1301, 'TLS1-3-AES-128-GCM-SHA256'], [0x1302, 'TLS1-3-AES-256-GCM-SHA384'], [0x1303, 'TLS1-3-CHACHA20-POLY1305-SHA256'],
    [0xc02b, 'TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256'], [0xc02c, 'TLS-ECDHE-ECDSA-WITH-AES-256-GCM-SHA384'],
    [0xc02f, 'TLS-ECDHE-RSA-WITH-AES-128-GCM-SHA256'], [0xc030, 'TLS-ECDHE-RSA-WITH-AES-256-GCM-SHA384'],
    [0xcca8, 'TLS-ECDHE-RSA-WITH-CHACHA20-POLY1305-SHA256'], [0xcca9, 'TLS-ECDHE-ECDSA-WITH-CHACHA20-POLY1305-SHA256'],
    [0xc0ac, 'TLS-ECDHE-ECDSA-WITH-AES-128-CCM'],
  ])('0x%s is %s', (id, name) => {
    expect(ciphersuiteName(id)).toBe(name);
    expect(ciphersuiteId(name)).toBe(id);
  });
  it('knows 2.28-only suites and says null for unknown ids', () => {
    expect(ciphersuiteName(0x000a)).toBe('TLS-RSA-WITH-3DES-EDE-CBC-SHA');
    expect(ciphersuiteName(0xffff)).toBeNull();
  });
});

describe('verify flags', () => {
  it.each([
    [0x08, ['BADCERT_NOT_TRUSTED']],
    [0x01, ['BADCERT_EXPIRED']],
    [0x200, ['BADCERT_FUTURE']],
    [0x0c, ['BADCERT_CN_MISMATCH', 'BADCERT_NOT_TRUSTED']],
    [0x4000, ['BADCERT_BAD_MD']],
    [0x80000, ['BADCRL_BAD_KEY']],
    [0, []],
  ])('%i → %j', (flags, names) => expect(verifyFlagNames(flags)).toEqual(names));
  it('carries the mbedTLS text and keeps unknown bits', () => {
    expect(decodeVerifyFlags(0x08)[0]?.text).toBe('The certificate is not correctly signed by the trusted CA');
    expect(verifyFlagNames(0x100000 | 0x08)).toEqual(['BADCERT_NOT_TRUSTED', 'UNKNOWN_0x100000']);
  });
});

describe('handshake types, content types, MFL', () => {
  it.each([[1, 'client_hello'], [2, 'server_hello'], [4, 'new_session_ticket'], [8, 'encrypted_extensions'],
    [11, 'certificate'], [12, 'server_key_exchange'], [13, 'certificate_request'], [14, 'server_hello_done'],
    [15, 'certificate_verify'], [16, 'client_key_exchange'], [20, 'finished'], [99, 'handshake_99']])(
    'handshake %i is %s', (n, name) => expect(handshakeTypeName(n)).toBe(name));
  it.each([[20, 'change_cipher_spec'], [21, 'alert'], [22, 'handshake'], [23, 'application_data'], [25, 'tls12_cid'], [7, 'content_7']])(
    'content %i is %s', (n, name) => expect(contentTypeName(n)).toBe(name));
  it.each([[1, 512], [2, 1024], [3, 2048], [4, 4096]])('MFL code %i is %i bytes', (code, bytes) => {
    expect(mflBytes(code)).toBe(bytes);
    expect(mflCode(bytes)).toBe(code);
  });
  it('has no bytes for NONE/INVALID', () => {
    expect(mflBytes(0)).toBeNull();
    expect(mflBytes(5)).toBeNull();
    expect(mflCode(16384)).toBeNull();
  });
});
