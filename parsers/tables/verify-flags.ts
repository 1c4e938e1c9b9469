/**
 * Bits of `! Certificate verification flags %08x` (mbedtls-3.6.6 include/mbedtls/x509.h:91-110;
 * texts from MBEDTLS_X509_CRT_ERROR_INFO_LIST in x509_crt.h, as `mbedtls_x509_crt_verify_info`
 * prints them).
 */

export interface VerifyFlag {
  bit: number;
  /** Without the MBEDTLS_X509_ prefix: `BADCERT_NOT_TRUSTED`. */
  name: string;
  text: string;
}

export const VERIFY_FLAGS: readonly VerifyFlag[] = [
  { bit: 0x01, name: 'BADCERT_EXPIRED', text: 'The certificate validity has expired' },
  { bit: 0x02, name: 'BADCERT_REVOKED', text: 'The certificate has been revoked (is on a CRL)' },
  { bit: 0x04, name: 'BADCERT_CN_MISMATCH', text: 'The certificate Common Name (CN) does not match with the expected CN' },
  { bit: 0x08, name: 'BADCERT_NOT_TRUSTED', text: 'The certificate is not correctly signed by the trusted CA' },
  { bit: 0x10, name: 'BADCRL_NOT_TRUSTED', text: 'The CRL is not correctly signed by the trusted CA' },
  { bit: 0x20, name: 'BADCRL_EXPIRED', text: 'The CRL is expired' },
  { bit: 0x40, name: 'BADCERT_MISSING', text: 'Certificate was missing' },
  { bit: 0x80, name: 'BADCERT_SKIP_VERIFY', text: 'Certificate verification was skipped' },
  { bit: 0x100, name: 'BADCERT_OTHER', text: 'Other reason (can be used by verify callback)' },
  { bit: 0x200, name: 'BADCERT_FUTURE', text: 'The certificate validity starts in the future' },
  { bit: 0x400, name: 'BADCRL_FUTURE', text: 'The CRL is from the future' },
  { bit: 0x800, name: 'BADCERT_KEY_USAGE', text: 'Usage does not match the keyUsage extension' },
  { bit: 0x1000, name: 'BADCERT_EXT_KEY_USAGE', text: 'Usage does not match the extendedKeyUsage extension' },
  { bit: 0x2000, name: 'BADCERT_NS_CERT_TYPE', text: 'Usage does not match the nsCertType extension' },
  { bit: 0x4000, name: 'BADCERT_BAD_MD', text: 'The certificate is signed with an unacceptable hash.' },
  { bit: 0x8000, name: 'BADCERT_BAD_PK', text: 'The certificate is signed with an unacceptable PK alg (eg RSA vs ECDSA).' },
  { bit: 0x10000, name: 'BADCERT_BAD_KEY', text: 'The certificate is signed with an unacceptable key (eg bad curve, RSA too short).' },
  { bit: 0x20000, name: 'BADCRL_BAD_MD', text: 'The CRL is signed with an unacceptable hash.' },
  { bit: 0x40000, name: 'BADCRL_BAD_PK', text: 'The CRL is signed with an unacceptable PK alg (eg RSA vs ECDSA).' },
  { bit: 0x80000, name: 'BADCRL_BAD_KEY', text: 'The CRL is signed with an unacceptable key (eg bad curve, RSA too short).' },
];

/**
 * The flags set in `flags`, lowest bit first. Bits no table row names come out as
 * `UNKNOWN_0x…` so that nothing the device said is dropped.
 * @example decodeVerifyFlags(0x208) → [NOT_TRUSTED, FUTURE]
 */
export function decodeVerifyFlags(flags: number): VerifyFlag[] {
  const out: VerifyFlag[] = [];
  let rest = flags >>> 0;
  for (const f of VERIFY_FLAGS) {
    if (rest & f.bit) {
      out.push(f);
      rest &= ~f.bit;
    }
  }
  for (let bit = 1; rest !== 0 && bit !== 0; bit = (bit << 1) >>> 0) {
    if (rest & bit) {
      const hex = '0x' + bit.toString(16);
      out.push({ bit, name: `UNKNOWN_${hex}`, text: `Unknown flag ${hex}` });
      rest = (rest & ~bit) >>> 0;
    }
  }
  return out;
}

/** Just the names: `['BADCERT_NOT_TRUSTED']`. */
export function verifyFlagNames(flags: number): string[] {
  return decodeVerifyFlags(flags).map((f) => f.name);
}
