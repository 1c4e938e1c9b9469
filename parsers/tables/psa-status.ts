/**
 * PSA Crypto status codes, the PSA → mbedTLS error mapping, and decoders for the numeric key
 * attributes (type, algorithm, usage, lifetime) that firmware prints.
 *
 * Status values and names: mbedtls-3.6.6 include/psa/crypto_values.h (device-log-formats.md §5).
 * Mapping: mbedtls-3.6.6 library/psa_util.c:84-180, plus the TLS 1.2 client's PSA ECDH path,
 * which returns MBEDTLS_ERR_SSL_HW_ACCEL_FAILED for any PSA failure without a debug line of its
 * own (DESIGN.md, "Failure knowledge").
 * Key attribute encodings: PSA Certified Crypto API 1.1 (crypto_values.h macros).
 */

export interface PsaStatusInfo {
  value: number;
  name: string;
  meaning: string;
}

const STATUS_ROWS: [number, string, string][] = [
  [0, 'PSA_SUCCESS', 'The action completed successfully.'],
  [-132, 'PSA_ERROR_GENERIC_ERROR', 'An error occurred that does not correspond to any defined failure cause.'],
  [-133, 'PSA_ERROR_NOT_PERMITTED', "The key's policy does not allow this operation (usage flags or permitted algorithm)."],
  [-134, 'PSA_ERROR_NOT_SUPPORTED', 'The algorithm, key type or key size is not supported by this implementation.'],
  [-135, 'PSA_ERROR_INVALID_ARGUMENT', 'A parameter is invalid (e.g. a key type/algorithm combination that makes no sense).'],
  [-136, 'PSA_ERROR_INVALID_HANDLE', 'The key identifier does not refer to an existing key (wrong id, or the key was destroyed).'],
  [-137, 'PSA_ERROR_BAD_STATE', 'The operation is not valid in the current state (e.g. psa_crypto_init() not called).'],
  [-138, 'PSA_ERROR_BUFFER_TOO_SMALL', 'An output buffer is too small for the result.'],
  [-139, 'PSA_ERROR_ALREADY_EXISTS', 'A key with this identifier already exists in persistent storage.'],
  [-140, 'PSA_ERROR_DOES_NOT_EXIST', 'No key with this identifier exists in persistent storage.'],
  [-141, 'PSA_ERROR_INSUFFICIENT_MEMORY', 'Not enough runtime memory (in TF-M: the request or an output buffer is too large for the secure partition).'],
  [-142, 'PSA_ERROR_INSUFFICIENT_STORAGE', 'Not enough persistent storage for the key.'],
  [-143, 'PSA_ERROR_INSUFFICIENT_DATA', 'A derivation or input source does not have enough data.'],
  [-144, 'PSA_ERROR_SERVICE_FAILURE', 'The crypto service (e.g. the secure partition) failed.'],
  [-145, 'PSA_ERROR_COMMUNICATION_FAILURE', 'Communication with the crypto processor or secure partition failed.'],
  [-146, 'PSA_ERROR_STORAGE_FAILURE', 'The key storage failed (flash/ITS error).'],
  [-147, 'PSA_ERROR_HARDWARE_FAILURE', 'A hardware (crypto accelerator) failure was detected.'],
  [-148, 'PSA_ERROR_INSUFFICIENT_ENTROPY', 'Not enough entropy to generate a key or random data.'],
  [-149, 'PSA_ERROR_INVALID_SIGNATURE', 'The signature, MAC or hash is incorrect.'],
  [-150, 'PSA_ERROR_INVALID_PADDING', 'The decrypted padding is incorrect.'],
  [-151, 'PSA_ERROR_CORRUPTION_DETECTED', 'A tampering attempt or internal memory corruption was detected.'],
  [-152, 'PSA_ERROR_DATA_CORRUPT', 'Stored key data is corrupt.'],
  [-153, 'PSA_ERROR_DATA_INVALID', 'Stored key data is not valid for its declared type.'],
  [-248, 'PSA_OPERATION_INCOMPLETE', 'An interruptible operation has not finished yet; call it again.'],
];

export const PSA_STATUSES: readonly PsaStatusInfo[] = STATUS_ROWS.map(([value, name, meaning]) => ({ value, name, meaning }));

const byValue = new Map(PSA_STATUSES.map((s) => [s.value, s]));
const byName = new Map(PSA_STATUSES.map((s) => [s.name, s]));

export function psaStatus(value: number): PsaStatusInfo | null {
  return byValue.get(value) ?? null;
}

/** Accepts the full name (`PSA_ERROR_NOT_PERMITTED`) or the short one (`NOT_PERMITTED`). */
export function psaStatusByName(name: string): PsaStatusInfo | null {
  const n = name.trim().toUpperCase();
  return byName.get(n) ?? byName.get(`PSA_ERROR_${n}`) ?? byName.get(`PSA_${n}`) ?? null;
}

export interface MbedtlsErrorRef {
  code: number;
  /** As mbedTLS prints it: `-0x7f00` style, upper-case digits: `-0x7F00`. */
  hex: string;
  name: string;
  /** Which translation produces it: the SSL table, the PK table, the generic fallback, or a code path. */
  via: 'ssl' | 'pk' | 'generic' | 'ssl-psa-ecdh';
  /** When it applies only on a code path: the functions and handshake state involved. */
  fns?: string[];
  state?: string;
  note?: string;
}

function hex(code: number): string {
  return `-0x${(-code).toString(16).toUpperCase().padStart(4, '0')}`;
}

function ref(code: number, name: string, via: MbedtlsErrorRef['via'], extra: Partial<MbedtlsErrorRef> = {}): MbedtlsErrorRef {
  return { code, hex: hex(code), name, via, ...extra };
}

const SSL_MAP: Record<string, [number, string]> = {
  PSA_ERROR_INSUFFICIENT_MEMORY: [-0x7f00, 'MBEDTLS_ERR_SSL_ALLOC_FAILED'],
  PSA_ERROR_NOT_SUPPORTED: [-0x7080, 'MBEDTLS_ERR_SSL_FEATURE_UNAVAILABLE'],
  PSA_ERROR_INVALID_SIGNATURE: [-0x7180, 'MBEDTLS_ERR_SSL_INVALID_MAC'],
  PSA_ERROR_INVALID_ARGUMENT: [-0x7100, 'MBEDTLS_ERR_SSL_BAD_INPUT_DATA'],
  PSA_ERROR_BAD_STATE: [-0x6c00, 'MBEDTLS_ERR_SSL_INTERNAL_ERROR'],
  PSA_ERROR_BUFFER_TOO_SMALL: [-0x6a00, 'MBEDTLS_ERR_SSL_BUFFER_TOO_SMALL'],
};

const PK_MAP: Record<string, [number, string]> = {
  PSA_ERROR_INVALID_HANDLE: [-0x3d00, 'MBEDTLS_ERR_PK_KEY_INVALID_FORMAT'],
  PSA_ERROR_NOT_PERMITTED: [-0x3f00, 'MBEDTLS_ERR_PK_TYPE_MISMATCH'],
  PSA_ERROR_INVALID_ARGUMENT: [-0x3a80, 'MBEDTLS_ERR_PK_INVALID_ALG'],
  PSA_ERROR_DATA_CORRUPT: [-0x3e00, 'MBEDTLS_ERR_PK_FILE_IO_ERROR'],
  PSA_ERROR_DATA_INVALID: [-0x3e00, 'MBEDTLS_ERR_PK_FILE_IO_ERROR'],
  PSA_ERROR_STORAGE_FAILURE: [-0x3e00, 'MBEDTLS_ERR_PK_FILE_IO_ERROR'],
};

function genericFor(name: string): [number, string] {
  switch (name) {
    case 'PSA_ERROR_NOT_SUPPORTED': return [-0x0072, 'MBEDTLS_ERR_PLATFORM_FEATURE_UNSUPPORTED'];
    case 'PSA_ERROR_CORRUPTION_DETECTED': return [-0x006e, 'MBEDTLS_ERR_ERROR_CORRUPTION_DETECTED'];
    case 'PSA_ERROR_COMMUNICATION_FAILURE':
    case 'PSA_ERROR_HARDWARE_FAILURE': return [-0x0070, 'MBEDTLS_ERR_PLATFORM_HW_ACCEL_FAILED'];
    default: return [-0x0001, 'MBEDTLS_ERR_ERROR_GENERIC_ERROR'];
  }
}

/** PSA functions the TLS 1.2 client calls for PSA-based ECDH in CLIENT_KEY_EXCHANGE. */
export const PSA_ECDH_CLIENT_FNS = ['psa_generate_key', 'psa_export_public_key', 'psa_raw_key_agreement'] as const;
const CLIENT_KEY_EXCHANGE = 'MBEDTLS_SSL_CLIENT_KEY_EXCHANGE';

/**
 * The mbedTLS errors a failed PSA status can surface as, most specific first. With `fn`/`state`
 * given, rules for other code paths are left out.
 */
export function mbedtlsErrorsForPsa(status: number, ctx: { fn?: string; state?: string } = {}): MbedtlsErrorRef[] {
  const info = psaStatus(status);
  if (status === 0) return [];
  const out: MbedtlsErrorRef[] = [];
  const fnOk = ctx.fn === undefined || (PSA_ECDH_CLIENT_FNS as readonly string[]).includes(ctx.fn);
  const stateOk = ctx.state === undefined || ctx.state === CLIENT_KEY_EXCHANGE;
  if (fnOk && stateOk) {
    out.push(ref(-0x7f80, 'MBEDTLS_ERR_SSL_HW_ACCEL_FAILED', 'ssl-psa-ecdh', {
      fns: [...PSA_ECDH_CLIENT_FNS],
      state: CLIENT_KEY_EXCHANGE,
      note: status === -141
        ? 'psa_export_public_key is given a buffer of about MBEDTLS_SSL_OUT_CONTENT_LEN; TF-M answers INSUFFICIENT_MEMORY and mbedTLS returns HW_ACCEL_FAILED with no debug line (the last line is "Perform PSA-based ECDH computation."). Lower MBEDTLS_SSL_OUT_CONTENT_LEN / IN_CONTENT_LEN (e.g. 2048) and advertise max_fragment_length.'
        : 'The TLS 1.2 client returns HW_ACCEL_FAILED for any PSA failure during PSA-based ECDH, without a debug line of its own.',
    }));
  }
  if (!info) {
    out.push(ref(-0x0001, 'MBEDTLS_ERR_ERROR_GENERIC_ERROR', 'generic'));
    return out;
  }
  const ssl = SSL_MAP[info.name];
  if (ssl) out.push(ref(ssl[0], ssl[1], 'ssl'));
  const pk = PK_MAP[info.name];
  if (pk) out.push(ref(pk[0], pk[1], 'pk'));
  const [gc, gn] = genericFor(info.name);
  out.push(ref(gc, gn, 'generic'));
  return out;
}

/** The PSA statuses that can explain an mbedTLS error code (the inverse of mbedtlsErrorsForPsa). */
export function psaStatusesForMbedtls(code: number): { status: PsaStatusInfo; via: MbedtlsErrorRef['via']; note?: string }[] {
  const out: { status: PsaStatusInfo; via: MbedtlsErrorRef['via']; note?: string }[] = [];
  for (const s of PSA_STATUSES) {
    if (s.value === 0 || s.value === -248) continue;
    for (const r of mbedtlsErrorsForPsa(s.value)) {
      if (r.code !== code || (r.via === 'generic' && r.code === -0x0001)) continue;
      out.push(r.note ? { status: s, via: r.via, note: r.note } : { status: s, via: r.via });
    }
  }
  // INSUFFICIENT_MEMORY is by far the likeliest cause of -0x7F80 on TF-M (DESIGN.md); put it first.
  out.sort((a, b) => (a.status.value === -141 ? -1 : 0) - (b.status.value === -141 ? -1 : 0));
  return out;
}

// ---- Key attributes ------------------------------------------------------------------------

const ECC_FAMILIES: Record<number, string> = {
  0x12: 'SECP_R1', 0x17: 'SECP_K1', 0x1b: 'SECP_R2', 0x22: 'SECT_R1', 0x27: 'SECT_K1', 0x2b: 'SECT_R2',
  0x30: 'BRAINPOOL_P_R1', 0x33: 'FRP', 0x41: 'MONTGOMERY', 0x42: 'TWISTED_EDWARDS',
};
const DH_FAMILIES: Record<number, string> = { 0x03: 'RFC7919' };
const PLAIN_KEY_TYPES: Record<number, string> = {
  0x1001: 'RAW_DATA', 0x1100: 'HMAC', 0x1200: 'DERIVE', 0x1203: 'PASSWORD', 0x1205: 'PASSWORD_HASH', 0x1206: 'PEPPER',
  0x2004: 'CHACHA20', 0x2301: 'DES', 0x2400: 'AES', 0x2403: 'CAMELLIA', 0x2406: 'ARIA', 0x2405: 'SM4',
  0x4001: 'RSA_PUBLIC_KEY', 0x7001: 'RSA_KEY_PAIR',
};

/** `0x7112` → `ECC_KEY_PAIR(SECP_R1)`; unknown values come back as hex. */
export function psaKeyTypeName(type: number): string {
  const plain = PLAIN_KEY_TYPES[type];
  if (plain) return plain;
  const fam = type & 0xff;
  switch (type & 0xff00) {
    case 0x7100: return `ECC_KEY_PAIR(${ECC_FAMILIES[fam] ?? hexByte(fam)})`;
    case 0x4100: return `ECC_PUBLIC_KEY(${ECC_FAMILIES[fam] ?? hexByte(fam)})`;
    case 0x7200: return `DH_KEY_PAIR(${DH_FAMILIES[fam] ?? hexByte(fam)})`;
    case 0x4200: return `DH_PUBLIC_KEY(${DH_FAMILIES[fam] ?? hexByte(fam)})`;
    default: return `0x${type.toString(16).padStart(4, '0')}`;
  }
}

function hexByte(n: number): string {
  return `0x${n.toString(16).padStart(2, '0')}`;
}

const HASHES: Record<number, string> = {
  0x03: 'MD5', 0x04: 'RIPEMD160', 0x05: 'SHA_1', 0x08: 'SHA_224', 0x09: 'SHA_256', 0x0a: 'SHA_384',
  0x0b: 'SHA_512', 0x0c: 'SHA_512_224', 0x0d: 'SHA_512_256', 0x10: 'SHA3_224', 0x11: 'SHA3_256',
  0x12: 'SHA3_384', 0x13: 'SHA3_512', 0x14: 'SM3', 0xff: 'ANY_HASH',
};
const PLAIN_ALGS: Record<number, string> = {
  0x06000200: 'RSA_PKCS1V15_SIGN_RAW', 0x06000600: 'ECDSA_ANY', 0x06000800: 'PURE_EDDSA',
  0x0600090b: 'ED25519PH', 0x06000915: 'ED448PH', 0x07000200: 'RSA_PKCS1V15_CRYPT',
  0x09020000: 'ECDH', 0x09010000: 'FFDH', 0x03c00200: 'CMAC', 0x03c00100: 'CBC_MAC',
  0x05500100: 'CCM', 0x05500200: 'GCM', 0x05100500: 'CHACHA20_POLY1305',
  0x04800100: 'STREAM_CIPHER', 0x04c01000: 'CTR', 0x04c01100: 'CFB', 0x04c01200: 'OFB', 0x04c01300: 'XTS',
  0x04404000: 'CBC_NO_PADDING', 0x04404100: 'CBC_PKCS7', 0x04404400: 'ECB_NO_PADDING', 0x04c01f00: 'CCM_STAR_NO_TAG',
  0x0: 'NONE',
};
const HASHED_ALGS: Record<number, string> = {
  0x02000000: '', 0x03800000: 'HMAC', 0x06000200: 'RSA_PKCS1V15_SIGN', 0x06000300: 'RSA_PSS',
  0x06001300: 'RSA_PSS_ANY_SALT', 0x06000600: 'ECDSA', 0x06000700: 'DETERMINISTIC_ECDSA',
  0x07000300: 'RSA_OAEP', 0x08000100: 'HKDF', 0x08000200: 'TLS12_PRF', 0x08000300: 'TLS12_PSK_TO_MS',
  0x08000400: 'HKDF_EXTRACT', 0x08000500: 'HKDF_EXPAND',
};

/** `0x06000609` → `ECDSA(SHA_256)`, `0x02000009` → `SHA_256`; unknown values come back as hex. */
export function psaAlgName(alg: number): string {
  const a = alg >>> 0;
  const plain = PLAIN_ALGS[a];
  if (plain !== undefined) return plain;
  const hash = HASHES[a & 0xff];
  const family = HASHED_ALGS[(a & ~0xff) >>> 0];
  if (hash && family !== undefined) return family === '' ? hash : `${family}(${hash})`;
  return `0x${a.toString(16).padStart(8, '0')}`;
}

const USAGE_FLAGS: [number, string][] = [
  [0x0001, 'EXPORT'], [0x0002, 'COPY'], [0x0004, 'CACHE'], [0x0100, 'ENCRYPT'], [0x0200, 'DECRYPT'],
  [0x0400, 'SIGN_MESSAGE'], [0x0800, 'VERIFY_MESSAGE'], [0x1000, 'SIGN_HASH'], [0x2000, 'VERIFY_HASH'],
  [0x4000, 'DERIVE'], [0x8000, 'VERIFY_DERIVATION'],
];

/** `0x3000` → `['SIGN_HASH', 'VERIFY_HASH']`; unnamed bits come back as one hex entry. */
export function psaUsageNames(usage: number): string[] {
  const out: string[] = [];
  let rest = usage >>> 0;
  for (const [bit, name] of USAGE_FLAGS) {
    if (rest & bit) { out.push(name); rest &= ~bit; }
  }
  if (rest) out.push(`0x${rest.toString(16)}`);
  return out;
}

/** The lower byte of a PSA lifetime is its persistence: 0 volatile, anything else persistent. */
export function psaLifetimeName(lifetime: number): 'persistent' | 'volatile' {
  return (lifetime & 0xff) === 0 ? 'volatile' : 'persistent';
}

/**
 * Turns the textual spellings firmware may print into the short form hsmon uses:
 * `PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1)` → `ECC_KEY_PAIR(SECP_R1)`,
 * `PSA_ALG_ECDSA(PSA_ALG_SHA_256)` → `ECDSA(SHA_256)`.
 */
export function normalizePsaName(text: string): string {
  return text
    .trim()
    .replace(/\bPSA_(?:KEY_TYPE|ECC_FAMILY|DH_FAMILY|ALG|KEY_USAGE|KEY_LIFETIME)_/g, '')
    .replace(/\s+/g, '');
}
