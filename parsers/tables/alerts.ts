/**
 * TLS alert levels and descriptions (mbedtls-3.6.6 include/mbedtls/ssl.h:565-598 for the
 * MBEDTLS_SSL_ALERT_MSG_* subset; names as in RFC 8446 §6 / the TLS registry).
 */

export const ALERT_LEVELS: ReadonlyMap<number, string> = new Map([
  [1, 'warning'],
  [2, 'fatal'],
]);

export const ALERT_DESCRIPTIONS: ReadonlyMap<number, string> = new Map([
  [0, 'close_notify'],
  [10, 'unexpected_message'],
  [20, 'bad_record_mac'],
  [21, 'decryption_failed_RESERVED'],
  [22, 'record_overflow'],
  [30, 'decompression_failure_RESERVED'],
  [40, 'handshake_failure'],
  [41, 'no_certificate_RESERVED'],
  [42, 'bad_certificate'],
  [43, 'unsupported_certificate'],
  [44, 'certificate_revoked'],
  [45, 'certificate_expired'],
  [46, 'certificate_unknown'],
  [47, 'illegal_parameter'],
  [48, 'unknown_ca'],
  [49, 'access_denied'],
  [50, 'decode_error'],
  [51, 'decrypt_error'],
  [60, 'export_restriction_RESERVED'],
  [70, 'protocol_version'],
  [71, 'insufficient_security'],
  [80, 'internal_error'],
  [86, 'inappropriate_fallback'],
  [90, 'user_canceled'],
  [100, 'no_renegotiation_RESERVED'],
  [109, 'missing_extension'],
  [110, 'unsupported_extension'],
  [111, 'certificate_unobtainable_RESERVED'],
  [112, 'unrecognized_name'],
  [113, 'bad_certificate_status_response'],
  [114, 'bad_certificate_hash_value_RESERVED'],
  [115, 'unknown_psk_identity'],
  [116, 'certificate_required'],
  [120, 'no_application_protocol'],
]);

/** `unknown_ca` for 48; `alert_N` for a number no table names. */
export function alertName(description: number): string {
  return ALERT_DESCRIPTIONS.get(description) ?? `alert_${description}`;
}

/** `fatal` / `warning`, or `level_N`. */
export function alertLevelName(level: number): string {
  return ALERT_LEVELS.get(level) ?? `level_${level}`;
}
