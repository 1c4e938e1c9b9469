/**
 * The finding catalog: every code hsmon can report, what it means, the evidence it needs and
 * the fix, for `hsmon findings`, `hsmon explain CODE`, the MCP `findings` tool and AGENTS.md.
 * The codes are a contract scripts and agents match on: test/diagnosis/catalog.test.ts pins the
 * list. A code is never renamed in place: the new name gets an entry and the old one a line in
 * ALIASES, so `explain OLD` still answers.
 *
 * Messages and hints of a real finding are built from its evidence (the rule files); the text
 * here is the general form, written to be read without a log.
 */
import type { Severity } from '../contracts/summary.ts';
import type { Family } from './rule.ts';

export interface CatalogEntry {
  code: string;
  severity: Severity;
  /** The rule family, or `input` for findings about the log itself. */
  family: Family | 'input';
  title: string;
  /** What happened, in the developer's terms. */
  meaning: string;
  /** The log lines hsmon needs to see before it says so (and the debug level that prints them). */
  evidence: string;
  /** The change to make. */
  fix: string;
}

export const CATALOG: readonly CatalogEntry[] = [
  {
    code: 'client-cert-rejected',
    severity: 'error',
    family: 'certificates',
    title: 'The server rejected the client certificate',
    meaning: 'The server answered the device\'s Certificate (or CertificateVerify/Finished) with a fatal alert 42–49, or 116 certificate_required when the device sent none: mutual TLS failed on the device\'s side.',
    evidence: 'A received fatal alert 42–49 or 116 (`got an alert message, type: [2:48]`, debug level 2) after a `client state:` line at or past CLIENT_CERTIFICATE (TLS 1.2) / CLIENT_CERTIFICATE_VERIFY (TLS 1.3).',
    fix: 'Register the device certificate (or its issuing CA) with the broker (AWS IoT: register, activate, attach a policy; Mosquitto: the CA in cafile with require_certificate true), and check the device sends the certificate that matches its key (mbedtls_ssl_conf_own_cert(); an opaque PSA key via mbedtls_pk_setup_opaque()).',
  },
  {
    code: 'server-cert-untrusted',
    severity: 'error',
    family: 'certificates',
    title: 'The device does not trust the server certificate',
    meaning: 'Certificate verification failed with X509_CERT_VERIFY_FAILED (-0x2700) and the NOT_TRUSTED flag (0x08): the server\'s chain does not end in a CA the device loaded.',
    evidence: '`! Certificate verification flags 00000008` (debug level 1) and the -0x2700 error in SERVER_CERTIFICATE; the server certificate\'s issuer when it was printed (level 3).',
    fix: 'Load the CA that issued the server\'s certificate into the device trust store (mbedtls_x509_crt_parse() + mbedtls_ssl_conf_ca_chain()) — for AWS IoT, Amazon Root CA 1. Do not switch to MBEDTLS_SSL_VERIFY_OPTIONAL.',
  },
  {
    code: 'device-clock-unset',
    severity: 'error',
    family: 'certificates',
    title: 'The device clock was never set',
    meaning: 'The server certificate looks expired or not yet valid (BADCERT_EXPIRED 0x01 / BADCERT_FUTURE 0x200) because the device clock reads a date before 2020 (1970 after reset) or no time was printed.',
    evidence: 'Verification flags with 0x01 or 0x200; a device time line before 2020, or none.',
    fix: 'Set the device clock before connecting: SNTP (or the RTC), and wait until it is set before mbedtls_ssl_handshake(); mbedTLS reads it through mbedtls_time() / MBEDTLS_PLATFORM_TIME_ALT.',
  },
  {
    code: 'server-cert-date-invalid',
    severity: 'error',
    family: 'certificates',
    title: 'The server certificate is expired or not yet valid',
    meaning: 'The device clock is plausible and the server certificate is outside its validity period at that time.',
    evidence: 'Verification flags with 0x01 (expired) or 0x200 (future) and a device time line from 2020 on.',
    fix: 'Renew the server certificate (expired), or check the device clock, time zone and RTC drift (not yet valid).',
  },
  {
    code: 'no-shared-ciphersuite',
    severity: 'error',
    family: 'ciphersuites',
    title: 'Client and server share no ciphersuite',
    meaning: 'The server found nothing it accepts in the ClientHello and answered fatal alert 40 (handshake_failure) while the device waited for the ServerHello.',
    evidence: 'A received fatal alert 40 in SERVER_HELLO; the offered list (`client hello, add ciphersuite:`, debug level 3) says what was missing.',
    fix: 'Offer a suite the server allows: enable it in the mbedTLS configuration (AES-256 suites need MBEDTLS_SHA384_C / PSA_WANT_ALG_SHA_384; an EC-only client cannot use an RSA server certificate), check mbedtls_ssl_conf_ciphersuites() does not narrow the list, or widen the server\'s list.',
  },
  {
    code: 'psa-ecdh-export-failed',
    severity: 'error',
    family: 'psa',
    title: 'PSA ECDH failed in CLIENT_KEY_EXCHANGE',
    meaning: 'mbedTLS asked the PSA service (TF-M) to export the ECDH public key into a buffer of about MBEDTLS_SSL_OUT_CONTENT_LEN bytes; TF-M answered PSA_ERROR_INSUFFICIENT_MEMORY (-141) and mbedTLS returned -0x7F80 HW_ACCEL_FAILED without a debug line of its own.',
    evidence: '`Perform PSA-based ECDH computation.` as the last step, then -0x7F80 in CLIENT_KEY_EXCHANGE (`mbedtls_ssl_handshake failed 0x7f80`); a -141 status when the platform prints it.',
    fix: 'Lower MBEDTLS_SSL_OUT_CONTENT_LEN and MBEDTLS_SSL_IN_CONTENT_LEN to 2048 and advertise max_fragment_length (MBEDTLS_SSL_MAX_FRAGMENT_LENGTH + mbedtls_ssl_conf_max_frag_len(&conf, MBEDTLS_SSL_MAX_FRAG_LEN_2048)).',
  },
  {
    code: 'psa-key-policy-mismatch',
    severity: 'error',
    family: 'psa',
    title: 'The PSA key policy forbids what TLS asks',
    meaning: 'Signing with the device key was refused with PSA_ERROR_NOT_PERMITTED (-133), or -0x3F00 PK_TYPE_MISMATCH from an opaque key: its policy algorithm is e.g. PSA_ALG_SHA_256 instead of PSA_ALG_ECDSA(PSA_ALG_SHA_256).',
    evidence: 'A PSA call with status -133, or -0x3F00 in CERTIFICATE_VERIFY; the key\'s attributes when printed.',
    fix: 'Create the key with usage PSA_KEY_USAGE_SIGN_HASH | PSA_KEY_USAGE_VERIFY_HASH and algorithm PSA_ALG_ECDSA(PSA_ALG_SHA_256). A persistent key\'s policy cannot change: psa_destroy_key() it, generate it again and re-issue its certificate.',
  },
  {
    code: 'psa-algorithm-unsupported',
    severity: 'error',
    family: 'psa',
    title: 'The PSA service lacks a key type or algorithm',
    meaning: 'A PSA call returned PSA_ERROR_NOT_SUPPORTED (-134): the crypto service (TF-M on PSOC Edge) does not implement it — RSA key generation, for one.',
    evidence: 'A PSA call or handshake error with status -134.',
    fix: 'Use an EC key on secp256r1 (PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1), 256 bits, PSA_ALG_ECDSA(PSA_ALG_SHA_256)), or enable the algorithm in the TF-M crypto partition build (PSA_WANT_*).',
  },
  {
    code: 'record-exceeds-buffer',
    severity: 'error',
    family: 'buffers',
    title: 'A record did not fit the input buffer',
    meaning: 'The server sent a record larger than MBEDTLS_SSL_IN_CONTENT_LEN (`bad message length`, -0x7200 INVALID_RECORD): it ignored or was never offered max_fragment_length (AWS IoT does not negotiate it).',
    evidence: 'An input record longer than the buffer (`input record: msgtype = …, msglen = …`, debug level 3/4), `bad message length`, -0x7200.',
    fix: 'Raise MBEDTLS_SSL_IN_CONTENT_LEN (16384 for servers that ignore max_fragment_length), or use a server that honours max_fragment_length and request it (mbedtls_ssl_conf_max_frag_len()).',
  },
  {
    code: 'mfl-not-honored',
    severity: 'warning',
    family: 'buffers',
    title: 'max_fragment_length was negotiated but not kept',
    meaning: 'Records larger than the negotiated max_fragment_length crossed the link (the server\'s, or the device\'s own in mbedTLS up to 3.6.6); the peer may answer record_overflow (alert 22).',
    evidence: 'The negotiated max_fragment_length and record lengths above it (debug level 3).',
    fix: 'Size MBEDTLS_SSL_IN_CONTENT_LEN for the records the server really sends, or upgrade mbedTLS past 3.6.6 / keep MBEDTLS_SSL_OUT_CONTENT_LEN at the negotiated length for outgoing records.',
  },
  {
    code: 'handshake-fragmentation-unsupported',
    severity: 'error',
    family: 'buffers',
    title: 'A fragmented handshake message cannot be reassembled',
    meaning: 'The server split a handshake message across records and the mbedTLS on the device (before 3.6.6) cannot put it back together: -0x7080 FEATURE_UNAVAILABLE.',
    evidence: '`TLS handshake fragmentation not supported` and -0x7080.',
    fix: 'Upgrade mbedTLS to 3.6.6 or later; until then the server must send each handshake message in one record (no small record size limit, a shorter chain, a large enough MBEDTLS_SSL_IN_CONTENT_LEN).',
  },
  {
    code: 'out-of-memory',
    severity: 'error',
    family: 'memory',
    title: 'The device ran out of heap',
    meaning: 'An allocation failed during the handshake (`alloc(N bytes) failed`, an *_ALLOC_FAILED code, PSA_ERROR_INSUFFICIENT_MEMORY); it can also surface as an X.509 verification error (-0x2700).',
    evidence: 'An allocation-failure line or an *_ALLOC_FAILED error code.',
    fix: 'Give mbedTLS more heap (linker script, configTOTAL_HEAP_SIZE, MBEDTLS_MEMORY_BUFFER_ALLOC_C) or make it need less: lower MBEDTLS_SSL_IN_CONTENT_LEN / OUT_CONTENT_LEN, negotiate max_fragment_length, free other TLS contexts first.',
  },
  {
    code: 'connect-retry-loop',
    severity: 'warning',
    family: 'retries',
    title: 'The device retries and fails the same way',
    meaning: 'Several attempts in a row failed in the same state with the same error and alert: retrying will not fix it.',
    evidence: 'Three or more consecutive failed handshakes with the same failing state, error and alert.',
    fix: 'Fix the cause named by the other findings of these attempts; back off between attempts (exponential, capped) meanwhile.',
  },
  {
    code: 'session-secrets-in-log',
    severity: 'warning',
    family: 'secrets',
    title: 'The log holds TLS session secrets',
    meaning: 'At debug level 3 and up mbedTLS dumps the master secret, randoms or traffic secrets: with a capture of the traffic, this log decrypts the session.',
    evidence: '`dumping \'master secret\'` (or another secret dump) lines; hsmon redacts their bytes.',
    fix: 'Lower the debug threshold below 3 for production logs (mbedtls_debug_set_threshold()), and share logs only with people allowed to read the traffic.',
  },
  {
    code: 'private-key-exposed',
    severity: 'error',
    family: 'secrets',
    title: 'A private key was printed on the UART',
    meaning: 'A `-----BEGIN … PRIVATE KEY-----` block went over the UART: anyone with this log has the key.',
    evidence: 'A PEM block labelled PRIVATE KEY; hsmon redacts it.',
    fix: 'Remove the code that prints it and treat the key as compromised: generate a new one (best a persistent PSA key that never leaves the device), re-issue and re-register its certificate.',
  },
  {
    code: 'credential-in-log',
    severity: 'error',
    family: 'secrets',
    title: 'The device printed a credential',
    meaning: 'The firmware printed a Wi-Fi passphrase, an MQTT or HTTP password, the password of a `user:password@` URL, an API key or a token on the UART: anyone with this log can use it.',
    evidence: 'A line the built-in credential patterns or the config file\'s `redact.patterns` match (`secret.redacted` of kind `credential`); hsmon redacts the value. With --no-redact nothing looks for them, and this finding is not raised.',
    fix: 'Print the SSID, user or host without the secret (or mask it), and change the password or revoke the token: logs already taken hold it.',
  },
  {
    code: 'garbled-input',
    severity: 'warning',
    family: 'input',
    title: 'The input is not a readable log',
    meaning: 'Most of the first bytes (after start or a reconnect) are bytes no firmware log contains: the baud rate is wrong, or the file is not a device log.',
    evidence: 'The share of unprintable bytes in the first 64 KiB.',
    fix: 'Pass the baud rate the firmware uses (--baud; often 115200 or 921600) and check 8N1, or give hsmon the device\'s text output or an hsmon recording.',
  },
  {
    code: 'pem-incomplete',
    severity: 'warning',
    family: 'input',
    title: 'A PEM block was cut short',
    meaning: 'A certificate, CSR or key block printed by the device is incomplete (no END line, bad base64): it cannot be read.',
    evidence: 'A `-----BEGIN …-----` line without its matching END, or a body that does not decode.',
    fix: 'Check the UART for dropped bytes (baud rate, flow control, a print buffer that overflows) and print the block again.',
  },
  {
    code: 'pem-unreadable',
    severity: 'warning',
    family: 'input',
    title: 'A PEM block is not what its label says',
    meaning: 'A complete PEM block does not parse as the certificate or CSR its label names.',
    evidence: 'A complete PEM block whose DER does not parse.',
    fix: 'Print the DER from the same buffer the TLS stack uses (mbedtls_x509_crt_parse) and compare; a corrupted certificate on the UART usually means one in flash too.',
  },
  {
    code: 'prefix-guessed',
    severity: 'info',
    family: 'input',
    title: 'Lines with an unknown prefix were read anyway',
    meaning: 'Lines whose prefix no profile knows were read as mbedTLS debug output because the `file.c:LINE message` shape follows the prefix; the facts from them are likely right, but hsmon guessed.',
    evidence: 'Debug lines after a prefix that no built-in or configured profile matches (counted per prefix, digits as N).',
    fix: 'Describe the prefix in a profile (hsmon.json `profiles`, see parsers/profiles/README.md) so hsmon no longer has to guess.',
  },
];

/**
 * Other name → current code: every old name of a renamed code (add a line whenever a code is
 * renamed; never remove one), and names users reach for first.
 */
export const ALIASES: Readonly<Record<string, string>> = {
  // OpenSSL's words, and the simulator scenario that shows it.
  'no-shared-cipher': 'no-shared-ciphersuite',
};

/** The entry for `code` or one of its aliases (case-insensitive), or null. */
export function catalogEntry(code: string): CatalogEntry | null {
  const c = code.trim().toLowerCase();
  const current = ALIASES[c] ?? c;
  return CATALOG.find((e) => e.code === current) ?? null;
}

/** The codes nearest to an unknown one, for the error message. */
export function similarCodes(code: string): string[] {
  const parts = code.toLowerCase().split(/[^a-z0-9]+/).filter((p) => p.length > 2);
  return CATALOG.filter((e) => parts.some((p) => e.code.includes(p))).map((e) => e.code).slice(0, 3);
}
