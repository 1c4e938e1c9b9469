/**
 * Handshake message types (mbedtls-3.6.6 include/mbedtls/ssl.h:600-614, RFC 8446 App. B.3).
 */

export const HANDSHAKE_TYPES: ReadonlyMap<number, string> = new Map([
  [0, 'hello_request'],
  [1, 'client_hello'],
  [2, 'server_hello'],
  [3, 'hello_verify_request'],
  [4, 'new_session_ticket'],
  [5, 'end_of_early_data'],
  [6, 'hello_retry_request_RESERVED'],
  [8, 'encrypted_extensions'],
  [11, 'certificate'],
  [12, 'server_key_exchange'],
  [13, 'certificate_request'],
  [14, 'server_hello_done'],
  [15, 'certificate_verify'],
  [16, 'client_key_exchange'],
  [20, 'finished'],
  [21, 'certificate_url_RESERVED'],
  [22, 'certificate_status_RESERVED'],
  [23, 'supplemental_data_RESERVED'],
  [24, 'key_update'],
  [254, 'message_hash'],
]);

/** `certificate` for 11; `handshake_N` otherwise. */
export function handshakeTypeName(type: number): string {
  return HANDSHAKE_TYPES.get(type) ?? `handshake_${type}`;
}

/** RFC names of the handshake messages, as the `messages` of a tls.record carry them. */
const MESSAGE_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'HelloRequest'], [1, 'ClientHello'], [2, 'ServerHello'], [3, 'HelloVerifyRequest'], [4, 'NewSessionTicket'],
  [5, 'EndOfEarlyData'], [8, 'EncryptedExtensions'], [11, 'Certificate'], [12, 'ServerKeyExchange'],
  [13, 'CertificateRequest'], [14, 'ServerHelloDone'], [15, 'CertificateVerify'], [16, 'ClientKeyExchange'],
  [20, 'Finished'], [24, 'KeyUpdate'],
]);

/** `Certificate` for 11; `handshake_N` for a type with no name. */
export function handshakeMessageName(type: number): string {
  return MESSAGE_NAMES.get(type) ?? `handshake_${type}`;
}
