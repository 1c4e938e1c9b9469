/**
 * Record content types (mbedtls-3.6.6 include/mbedtls/ssl.h:559-563; RFC 8446 §5.1). In TLS 1.3
 * every encrypted record carries the outer type 23 (application_data).
 */

export const CONTENT_TYPES: ReadonlyMap<number, string> = new Map([
  [0, 'invalid'],
  [20, 'change_cipher_spec'],
  [21, 'alert'],
  [22, 'handshake'],
  [23, 'application_data'],
  [25, 'tls12_cid'],
]);

/** `handshake` for 22; `content_N` otherwise. */
export function contentTypeName(type: number): string {
  return CONTENT_TYPES.get(type) ?? `content_${type}`;
}
