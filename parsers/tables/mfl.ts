/**
 * max_fragment_length codes (RFC 6066 §4; mbedtls-3.6.6 include/mbedtls/ssl.h:311-316, the
 * same numbers Infineon secure-sockets uses for CY_SOCKET_SO_TLS_MFL).
 */

/** Code → bytes. 0 is MBEDTLS_SSL_MAX_FRAG_LEN_NONE (not negotiated). */
export const MFL_BYTES: ReadonlyMap<number, number> = new Map([
  [1, 512],
  [2, 1024],
  [3, 2048],
  [4, 4096],
]);

/** Bytes for a code 1-4, else null. */
export function mflBytes(code: number): number | null {
  return MFL_BYTES.get(code) ?? null;
}

/** Code for 512/1024/2048/4096, else null. */
export function mflCode(bytes: number): number | null {
  for (const [code, b] of MFL_BYTES) if (b === bytes) return code;
  return null;
}

/** The largest record plaintext without max_fragment_length (RFC 8446 §5.1, RFC 5246 §6.2.1: 2^14). */
export const MAX_PLAINTEXT = 16384;
