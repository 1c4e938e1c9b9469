/**
 * Device text that carries secrets, built from random bytes at test time (no key is committed):
 * mbedTLS dump rows as debug_print_buf prints them, and an EC private key in PEM whose DER has
 * the SEC1 shape (`30 77 02 01 01 04 20 <scalar> a0 0a <curve oid> a1 44 03 42 00 04 <point>`).
 */
import { randomBytes } from 'node:crypto';

/** `prefix` + `%04x:  ` + up to 16 `%02x ` + ` ` + the ASCII column, like mbedtls_debug_print_buf. */
export function dumpRows(prefix: string, bytes: Uint8Array): string[] {
  const rows: string[] = [];
  for (let off = 0; off < bytes.length; off += 16) {
    const row = bytes.subarray(off, off + 16);
    const hex = [...row].map((b) => `${b.toString(16).padStart(2, '0')} `).join('');
    const ascii = [...row].map((b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : '.')).join('');
    rows.push(`${prefix}${off.toString(16).padStart(4, '0')}:  ${hex.padEnd(48)} ${ascii}`);
  }
  return rows;
}

export function ecKeyPem(label = 'PRIVATE KEY'): { pem: string[]; der: Buffer; scalar: Buffer } {
  const scalar = randomBytes(32);
  const der = Buffer.concat([
    Buffer.from('307702010104' + '20', 'hex'), scalar,
    Buffer.from('a00a06082a8648ce3d030107a144034200' + '04', 'hex'), randomBytes(64),
  ]);
  const b64 = der.toString('base64').match(/.{1,64}/g)!;
  return { pem: [`-----BEGIN ${label}-----`, ...b64, `-----END ${label}-----`], der, scalar };
}
