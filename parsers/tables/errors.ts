/**
 * mbedTLS error codes: name and text per version.
 *
 * Data extracted from Mbed-TLS/mbedtls at tag mbedtls-3.6.6 (include/mbedtls/*.h for the
 * values, library/error.c for the texts, "MODULE - " prefix removed) and, for the codes whose
 * meaning differs, mbedtls-2.28.10. The same hex can name different errors in 2.28 and 3.6
 * (e.g. -0x7800 is PEER_VERIFY_FAILED in 2.28, UNRECOGNIZED_NAME in 3.6), so decoding needs
 * the version. Names are stored without the `MBEDTLS_ERR_` prefix.
 */
import type { ErrorCode } from '../events.ts';

type Row = readonly [code: number, name: string, text: string];

/** 3.6.6: absolute value of the code, name without MBEDTLS_ERR_, text. */
const ERRORS_36: readonly Row[] = [
  [0x0001, 'ERROR_GENERIC_ERROR', 'Generic error'],
  [0x0002, 'MPI_FILE_IO_ERROR', 'An error occurred while reading from or writing to a file'],
  [0x0003, 'HMAC_DRBG_REQUEST_TOO_BIG', 'Too many random requested in single call'],
  [0x0004, 'MPI_BAD_INPUT_DATA', 'Bad input parameters to function'],
  [0x0005, 'HMAC_DRBG_INPUT_TOO_BIG', 'Input too large (Entropy + additional)'],
  [0x0006, 'MPI_INVALID_CHARACTER', 'There is an invalid character in the digit string'],
  [0x0007, 'HMAC_DRBG_FILE_IO_ERROR', 'Read/write error in file'],
  [0x0008, 'MPI_BUFFER_TOO_SMALL', 'The buffer is too small to write to'],
  [0x0009, 'HMAC_DRBG_ENTROPY_SOURCE_FAILED', 'The entropy source failed'],
  [0x000a, 'MPI_NEGATIVE_VALUE', 'The input arguments are negative or result in illegal output'],
  [0x000b, 'OID_BUF_TOO_SMALL', 'output buffer is too small'],
  [0x000c, 'MPI_DIVISION_BY_ZERO', 'The input argument for division is zero, which is not allowed'],
  [0x000d, 'CCM_BAD_INPUT', 'Bad input parameters to the function'],
  [0x000e, 'MPI_NOT_ACCEPTABLE', 'The input arguments are not acceptable'],
  [0x000f, 'CCM_AUTH_FAILED', 'Authenticated decryption failed'],
  [0x0010, 'MPI_ALLOC_FAILED', 'Memory allocation failed'],
  [0x0011, 'LMS_BAD_INPUT_DATA', 'Bad data has been input to an LMS function'],
  [0x0012, 'GCM_AUTH_FAILED', 'Authenticated decryption failed'],
  [0x0013, 'LMS_OUT_OF_PRIVATE_KEYS', 'Specified LMS key has utilised all of its private keys'],
  [0x0014, 'GCM_BAD_INPUT', 'Bad input parameters to function'],
  [0x0015, 'LMS_VERIFY_FAILED', 'LMS signature verification failed'],
  [0x0016, 'GCM_BUFFER_TOO_SMALL', 'An output buffer is too small'],
  [0x0017, 'LMS_ALLOC_FAILED', 'LMS failed to allocate space for a private key'],
  [0x0019, 'LMS_BUFFER_TOO_SMALL', 'Input/output buffer is too small to contain requited data'],
  [0x001c, 'THREADING_BAD_INPUT_DATA', 'Bad input parameters to function'],
  [0x001e, 'THREADING_MUTEX_ERROR', 'Locking / unlocking / free failed with error code'],
  [0x0020, 'AES_INVALID_KEY_LENGTH', 'Invalid key length'],
  [0x0021, 'AES_BAD_INPUT_DATA', 'Invalid input data'],
  [0x0022, 'AES_INVALID_INPUT_LENGTH', 'Invalid data input length'],
  [0x0024, 'CAMELLIA_BAD_INPUT_DATA', 'Bad input data'],
  [0x0026, 'CAMELLIA_INVALID_INPUT_LENGTH', 'Invalid data input length'],
  [0x002a, 'BASE64_BUFFER_TOO_SMALL', 'Output buffer too small'],
  [0x002c, 'BASE64_INVALID_CHARACTER', 'Invalid character in input'],
  [0x002e, 'OID_NOT_FOUND', 'OID is not found'],
  [0x0032, 'DES_INVALID_INPUT_LENGTH', 'The data input has an invalid length'],
  [0x0034, 'CTR_DRBG_ENTROPY_SOURCE_FAILED', 'The entropy source failed'],
  [0x0036, 'CTR_DRBG_REQUEST_TOO_BIG', 'The requested random buffer length is too big'],
  [0x0038, 'CTR_DRBG_INPUT_TOO_BIG', 'The input (entropy + additional data) is too large'],
  [0x003a, 'CTR_DRBG_FILE_IO_ERROR', 'Read or write error in file'],
  [0x003c, 'ENTROPY_SOURCE_FAILED', 'Critical entropy source failure'],
  [0x003d, 'ENTROPY_NO_STRONG_SOURCE', 'No strong sources have been added to poll'],
  [0x003e, 'ENTROPY_MAX_SOURCES', 'No more sources can be added'],
  [0x003f, 'ENTROPY_FILE_IO_ERROR', 'Read/write error in file'],
  [0x0040, 'ENTROPY_NO_SOURCES_DEFINED', 'No sources have been added to poll'],
  [0x0042, 'NET_SOCKET_FAILED', 'Failed to open a socket'],
  [0x0043, 'NET_BUFFER_TOO_SMALL', 'Buffer is too small to hold the data'],
  [0x0044, 'NET_CONNECT_FAILED', 'The connection to the given server / port failed'],
  [0x0045, 'NET_INVALID_CONTEXT', 'The context is invalid, eg because it was free()ed'],
  [0x0046, 'NET_BIND_FAILED', 'Binding of the socket failed'],
  [0x0047, 'NET_POLL_FAILED', 'Polling the net context failed'],
  [0x0048, 'NET_LISTEN_FAILED', 'Could not listen on the socket'],
  [0x0049, 'NET_BAD_INPUT_DATA', 'Input invalid'],
  [0x004a, 'NET_ACCEPT_FAILED', 'Could not accept the incoming connection'],
  [0x004c, 'NET_RECV_FAILED', 'Reading information from the socket failed'],
  [0x004e, 'NET_SEND_FAILED', 'Sending information through the socket failed'],
  [0x0050, 'NET_CONN_RESET', 'Connection was reset by peer'],
  [0x0051, 'CHACHA20_BAD_INPUT_DATA', 'Invalid input parameter(s)'],
  [0x0052, 'NET_UNKNOWN_HOST', 'Failed to get an IP address for the given hostname'],
  [0x0054, 'CHACHAPOLY_BAD_STATE', 'The requested operation is not permitted in the current state'],
  [0x0056, 'CHACHAPOLY_AUTH_FAILED', 'Authenticated decryption failed: data was not authentic'],
  [0x0057, 'POLY1305_BAD_INPUT_DATA', 'Invalid input parameter(s)'],
  [0x005c, 'ARIA_BAD_INPUT_DATA', 'Bad input data'],
  [0x005e, 'ARIA_INVALID_INPUT_LENGTH', 'Invalid data input length'],
  [0x0060, 'ASN1_OUT_OF_DATA', 'Out of data when parsing an ASN1 data structure'],
  [0x0062, 'ASN1_UNEXPECTED_TAG', 'ASN1 tag was of an unexpected value'],
  [0x0064, 'ASN1_INVALID_LENGTH', 'Error when trying to determine the length or invalid length'],
  [0x0066, 'ASN1_LENGTH_MISMATCH', 'Actual length differs from expected length'],
  [0x0068, 'ASN1_INVALID_DATA', 'Data is invalid'],
  [0x006a, 'ASN1_ALLOC_FAILED', 'Memory allocation failed'],
  [0x006c, 'ASN1_BUF_TOO_SMALL', 'Buffer too small when writing ASN.1 data structure'],
  [0x006e, 'ERROR_CORRUPTION_DETECTED', 'This is a bug in the library'],
  [0x0070, 'PLATFORM_HW_ACCEL_FAILED', 'Hardware accelerator failed'],
  [0x0072, 'PLATFORM_FEATURE_UNSUPPORTED', 'The requested feature is not supported by the platform'],
  [0x0073, 'SHA1_BAD_INPUT_DATA', 'SHA-1 input data was malformed'],
  [0x0074, 'SHA256_BAD_INPUT_DATA', 'SHA-256 input data was malformed'],
  [0x0075, 'SHA512_BAD_INPUT_DATA', 'SHA-512 input data was malformed'],
  [0x0076, 'SHA3_BAD_INPUT_DATA', 'SHA-3 input data was malformed'],
  [0x1080, 'PEM_NO_HEADER_FOOTER_PRESENT', 'No PEM header or footer found'],
  [0x1100, 'PEM_INVALID_DATA', 'PEM string is not as expected'],
  [0x1180, 'PEM_ALLOC_FAILED', 'Failed to allocate memory'],
  [0x1200, 'PEM_INVALID_ENC_IV', 'RSA IV is not in hex-format'],
  [0x1280, 'PEM_UNKNOWN_ENC_ALG', 'Unsupported key encryption algorithm'],
  [0x1300, 'PEM_PASSWORD_REQUIRED', 'Private key password can\'t be empty'],
  [0x1380, 'PEM_PASSWORD_MISMATCH', 'Given private key password does not allow for correct decryption'],
  [0x1400, 'PEM_FEATURE_UNAVAILABLE', 'Unavailable feature, e.g. hashing/encryption combination'],
  [0x1480, 'PEM_BAD_INPUT_DATA', 'Bad input parameters to function'],
  [0x1e00, 'PKCS12_PASSWORD_MISMATCH', 'Given private key password does not allow for correct decryption'],
  [0x1e80, 'PKCS12_PBE_INVALID_FORMAT', 'PBE ASN.1 data not as expected'],
  [0x1f00, 'PKCS12_FEATURE_UNAVAILABLE', 'Feature not available, e.g. unsupported encryption scheme'],
  [0x1f80, 'PKCS12_BAD_INPUT_DATA', 'Bad input parameters to function'],
  [0x2080, 'X509_FEATURE_UNAVAILABLE', 'Unavailable feature, e.g. RSA hashing/encryption combination'],
  [0x2100, 'X509_UNKNOWN_OID', 'Requested OID is unknown'],
  [0x2180, 'X509_INVALID_FORMAT', 'The CRT/CRL/CSR format is invalid, e.g. different type expected'],
  [0x2200, 'X509_INVALID_VERSION', 'The CRT/CRL/CSR version element is invalid'],
  [0x2280, 'X509_INVALID_SERIAL', 'The serial tag or value is invalid'],
  [0x2300, 'X509_INVALID_ALG', 'The algorithm tag or value is invalid'],
  [0x2380, 'X509_INVALID_NAME', 'The name tag or value is invalid'],
  [0x2400, 'X509_INVALID_DATE', 'The date tag or value is invalid'],
  [0x2480, 'X509_INVALID_SIGNATURE', 'The signature tag or value invalid'],
  [0x2500, 'X509_INVALID_EXTENSIONS', 'The extension tag or value is invalid'],
  [0x2580, 'X509_UNKNOWN_VERSION', 'CRT/CRL/CSR has an unsupported version number'],
  [0x2600, 'X509_UNKNOWN_SIG_ALG', 'Signature algorithm (oid) is unsupported'],
  [0x2680, 'X509_SIG_MISMATCH', 'Signature algorithms do not match. (see \\\\c ::mbedtls_x509_crt sig_oid)'],
  [0x2700, 'X509_CERT_VERIFY_FAILED', 'Certificate verification failed, e.g. CRL, CA or signature check failed'],
  [0x2780, 'X509_CERT_UNKNOWN_FORMAT', 'Format not recognized as DER or PEM'],
  [0x2800, 'X509_BAD_INPUT_DATA', 'Input invalid'],
  [0x2880, 'X509_ALLOC_FAILED', 'Allocation of memory failed'],
  [0x2900, 'X509_FILE_IO_ERROR', 'Read/write of file failed'],
  [0x2980, 'X509_BUFFER_TOO_SMALL', 'Destination buffer is too small'],
  [0x2e00, 'PKCS5_PASSWORD_MISMATCH', 'Given private key password does not allow for correct decryption'],
  [0x2e80, 'PKCS5_FEATURE_UNAVAILABLE', 'Requested encryption or digest alg not available'],
  [0x2f00, 'PKCS5_INVALID_FORMAT', 'Unexpected ASN.1 data'],
  [0x2f80, 'PKCS5_BAD_INPUT_DATA', 'Bad input parameters to function'],
  [0x3000, 'X509_FATAL_ERROR', 'A fatal error occurred, eg the chain is too long or the vrfy callback failed'],
  [0x3080, 'DHM_BAD_INPUT_DATA', 'Bad input parameters'],
  [0x3100, 'DHM_READ_PARAMS_FAILED', 'Reading of the DHM parameters failed'],
  [0x3180, 'DHM_MAKE_PARAMS_FAILED', 'Making of the DHM parameters failed'],
  [0x3200, 'DHM_READ_PUBLIC_FAILED', 'Reading of the public values failed'],
  [0x3280, 'DHM_MAKE_PUBLIC_FAILED', 'Making of the public value failed'],
  [0x3300, 'DHM_CALC_SECRET_FAILED', 'Calculation of the DHM secret failed'],
  [0x3380, 'DHM_INVALID_FORMAT', 'The ASN.1 data is not formatted correctly'],
  [0x3400, 'DHM_ALLOC_FAILED', 'Allocation of memory failed'],
  [0x3480, 'DHM_FILE_IO_ERROR', 'Read or write of file failed'],
  [0x3580, 'DHM_SET_GROUP_FAILED', 'Setting the modulus and generator failed'],
  [0x3880, 'PK_BUFFER_TOO_SMALL', 'The output buffer is too small'],
  [0x3900, 'PK_SIG_LEN_MISMATCH', 'The buffer contains a valid signature followed by more data'],
  [0x3980, 'PK_FEATURE_UNAVAILABLE', 'Unavailable feature, e.g. RSA disabled for RSA key'],
  [0x3a00, 'PK_UNKNOWN_NAMED_CURVE', 'Elliptic curve is unsupported (only NIST curves are supported)'],
  [0x3a80, 'PK_INVALID_ALG', 'The algorithm tag or value is invalid'],
  [0x3b00, 'PK_INVALID_PUBKEY', 'The pubkey tag or value is invalid (only RSA and EC are supported)'],
  [0x3b80, 'PK_PASSWORD_MISMATCH', 'Given private key password does not allow for correct decryption'],
  [0x3c00, 'PK_PASSWORD_REQUIRED', 'Private key password can\'t be empty'],
  [0x3c80, 'PK_UNKNOWN_PK_ALG', 'Key algorithm is unsupported (only RSA and EC are supported)'],
  [0x3d00, 'PK_KEY_INVALID_FORMAT', 'Invalid key tag or value'],
  [0x3d80, 'PK_KEY_INVALID_VERSION', 'Unsupported key version'],
  [0x3e00, 'PK_FILE_IO_ERROR', 'Read/write of file failed'],
  [0x3e80, 'PK_BAD_INPUT_DATA', 'Bad input parameters to function'],
  [0x3f00, 'PK_TYPE_MISMATCH', 'Type mismatch, eg attempt to encrypt with an ECDSA key'],
  [0x3f80, 'PK_ALLOC_FAILED', 'Memory allocation failed'],
  [0x4080, 'RSA_BAD_INPUT_DATA', 'Bad input parameters to function'],
  [0x4100, 'RSA_INVALID_PADDING', 'Input data contains invalid padding and is rejected'],
  [0x4180, 'RSA_KEY_GEN_FAILED', 'Something failed during generation of a key'],
  [0x4200, 'RSA_KEY_CHECK_FAILED', 'Key failed to pass the validity check of the library'],
  [0x4280, 'RSA_PUBLIC_FAILED', 'The public key operation failed'],
  [0x4300, 'RSA_PRIVATE_FAILED', 'The private key operation failed'],
  [0x4380, 'RSA_VERIFY_FAILED', 'The PKCS#1 verification failed'],
  [0x4400, 'RSA_OUTPUT_TOO_LARGE', 'The output buffer for decryption is not large enough'],
  [0x4480, 'RSA_RNG_FAILED', 'The random generator failed to generate non-zeros'],
  [0x4b00, 'ECP_IN_PROGRESS', 'Operation in progress, call again with the same parameters to continue'],
  [0x4c00, 'ECP_SIG_LEN_MISMATCH', 'The buffer contains a valid signature followed by more data'],
  [0x4c80, 'ECP_INVALID_KEY', 'Invalid private or public key'],
  [0x4d00, 'ECP_RANDOM_FAILED', 'Generation of random value, such as ephemeral key, failed'],
  [0x4d80, 'ECP_ALLOC_FAILED', 'Memory allocation failed'],
  [0x4e00, 'ECP_VERIFY_FAILED', 'The signature is not valid'],
  [0x4e80, 'ECP_FEATURE_UNAVAILABLE', 'The requested feature is not available, for example, the requested curve is not supported'],
  [0x4f00, 'ECP_BUFFER_TOO_SMALL', 'The buffer is too small to write to'],
  [0x4f80, 'ECP_BAD_INPUT_DATA', 'Bad input parameters to function'],
  [0x5080, 'MD_FEATURE_UNAVAILABLE', 'The selected feature is not available'],
  [0x5100, 'MD_BAD_INPUT_DATA', 'Bad input parameters to function'],
  [0x5180, 'MD_ALLOC_FAILED', 'Failed to allocate memory'],
  [0x5200, 'MD_FILE_IO_ERROR', 'Opening or reading of file failed'],
  [0x5300, 'PKCS7_INVALID_FORMAT', 'The format is invalid, e.g. different type expected'],
  [0x5380, 'PKCS7_FEATURE_UNAVAILABLE', 'Unavailable feature, e.g. anything other than signed data'],
  [0x5400, 'PKCS7_INVALID_VERSION', 'The PKCS #7 version element is invalid or cannot be parsed'],
  [0x5480, 'PKCS7_INVALID_CONTENT_INFO', 'The PKCS #7 content info is invalid or cannot be parsed'],
  [0x5500, 'PKCS7_INVALID_ALG', 'The algorithm tag or value is invalid or cannot be parsed'],
  [0x5580, 'PKCS7_INVALID_CERT', 'The certificate tag or value is invalid or cannot be parsed'],
  [0x5600, 'PKCS7_INVALID_SIGNATURE', 'Error parsing the signature'],
  [0x5680, 'PKCS7_INVALID_SIGNER_INFO', 'Error parsing the signer\'s info'],
  [0x5700, 'PKCS7_BAD_INPUT_DATA', 'Input invalid'],
  [0x5780, 'PKCS7_ALLOC_FAILED', 'Allocation of memory failed'],
  [0x5800, 'PKCS7_VERIFY_FAIL', 'Verification Failed'],
  [0x5880, 'PKCS7_CERT_DATE_INVALID', 'The PKCS #7 date issued/expired dates are invalid'],
  [0x5d80, 'SSL_CERTIFICATE_VERIFICATION_WITHOUT_HOSTNAME', 'Attempt to verify a certificate without an expected hostname. This is usually insecure.'],
  [0x5e80, 'SSL_BAD_CONFIG', 'Invalid value in SSL config'],
  [0x5f00, 'SSL_VERSION_MISMATCH', 'An operation failed due to an unexpected version or configuration'],
  [0x5f80, 'HKDF_BAD_INPUT_DATA', 'Bad input parameters to function'],
  [0x6000, 'SSL_UNEXPECTED_CID', 'An encrypted DTLS-frame with an unexpected CID was received'],
  [0x6080, 'CIPHER_FEATURE_UNAVAILABLE', 'The selected feature is not available'],
  [0x6100, 'CIPHER_BAD_INPUT_DATA', 'Bad input parameters'],
  [0x6180, 'CIPHER_ALLOC_FAILED', 'Failed to allocate memory'],
  [0x6200, 'CIPHER_INVALID_PADDING', 'Input data contains invalid padding and is rejected'],
  [0x6280, 'CIPHER_FULL_BLOCK_EXPECTED', 'Decryption of block requires a full block'],
  [0x6300, 'CIPHER_AUTH_FAILED', 'Authentication failed (for AEAD modes)'],
  [0x6380, 'CIPHER_INVALID_CONTEXT', 'The context is invalid. For example, because it was freed'],
  [0x6480, 'SSL_EARLY_MESSAGE', 'Internal-only message signaling that a message arrived early'],
  [0x6500, 'SSL_ASYNC_IN_PROGRESS', 'The asynchronous operation is not completed yet'],
  [0x6580, 'SSL_CONTINUE_PROCESSING', 'Internal-only message signaling that further message-processing should be done'],
  [0x6600, 'SSL_ILLEGAL_PARAMETER', 'A field in a message was incorrect or inconsistent with other fields'],
  [0x6680, 'SSL_NON_FATAL', 'The alert message received indicates a non-fatal error'],
  [0x6700, 'SSL_UNEXPECTED_RECORD', 'Record header looks valid but is not expected'],
  [0x6780, 'SSL_CLIENT_RECONNECT', 'The client initiated a reconnect from the same port'],
  [0x6800, 'SSL_TIMEOUT', 'The operation timed out'],
  [0x6880, 'SSL_WANT_WRITE', 'Connection requires a write call'],
  [0x6900, 'SSL_WANT_READ', 'No data of requested type currently available on underlying transport'],
  [0x6a00, 'SSL_BUFFER_TOO_SMALL', 'A buffer is too small to receive or write a message'],
  [0x6a80, 'SSL_HELLO_VERIFY_REQUIRED', 'DTLS client must retry for hello verification'],
  [0x6b00, 'SSL_WAITING_SERVER_HELLO_RENEGO', 'Unexpected message at ServerHello in renegotiation'],
  [0x6b80, 'SSL_COUNTER_WRAPPING', 'A counter would wrap (eg, too many messages exchanged)'],
  [0x6c00, 'SSL_INTERNAL_ERROR', 'Internal error (eg, unexpected failure in lower-level module)'],
  [0x6c80, 'SSL_UNKNOWN_IDENTITY', 'Unknown identity received (eg, PSK identity)'],
  [0x6d00, 'SSL_PK_TYPE_MISMATCH', 'Public key type mismatch (eg, asked for RSA key exchange and presented EC key)'],
  [0x6d80, 'SSL_SESSION_TICKET_EXPIRED', 'Session ticket has expired'],
  [0x6e00, 'SSL_HANDSHAKE_FAILURE', 'The handshake negotiation failed'],
  [0x6e80, 'SSL_BAD_PROTOCOL_VERSION', 'Handshake protocol not within min/max boundaries'],
  [0x6f80, 'SSL_HW_ACCEL_FALLTHROUGH', 'Hardware acceleration function skipped / left alone data'],
  [0x7000, 'SSL_CRYPTO_IN_PROGRESS', 'A cryptographic operation is in progress. Try again later'],
  [0x7080, 'SSL_FEATURE_UNAVAILABLE', 'The requested feature is not available'],
  [0x7100, 'SSL_BAD_INPUT_DATA', 'Bad input parameters to function'],
  [0x7180, 'SSL_INVALID_MAC', 'Verification of the message MAC failed'],
  [0x7200, 'SSL_INVALID_RECORD', 'An invalid SSL record was received'],
  [0x7280, 'SSL_CONN_EOF', 'The connection indicated an EOF'],
  [0x7300, 'SSL_DECODE_ERROR', 'A message could not be parsed due to a syntactic error'],
  [0x7400, 'SSL_NO_RNG', 'No RNG was provided to the SSL module'],
  [0x7480, 'SSL_NO_CLIENT_CERTIFICATE', 'No client certification received from the client, but required by the authentication mode'],
  [0x7500, 'SSL_UNSUPPORTED_EXTENSION', 'Client received an extended server hello containing an unsupported extension'],
  [0x7580, 'SSL_NO_APPLICATION_PROTOCOL', 'No ALPN protocols supported that the client advertises'],
  [0x7600, 'SSL_PRIVATE_KEY_REQUIRED', 'The own private key or pre-shared key is not set, but needed'],
  [0x7680, 'SSL_CA_CHAIN_REQUIRED', 'No CA Chain is set, but required to operate'],
  [0x7700, 'SSL_UNEXPECTED_MESSAGE', 'An unexpected message was received from our peer'],
  [0x7780, 'SSL_FATAL_ALERT_MESSAGE', 'A fatal alert message was received from our peer'],
  [0x7800, 'SSL_UNRECOGNIZED_NAME', 'No server could be identified matching the client\'s SNI'],
  [0x7880, 'SSL_PEER_CLOSE_NOTIFY', 'The peer notified us that the connection is going to be closed'],
  [0x7a00, 'SSL_BAD_CERTIFICATE', 'Processing of the Certificate handshake message failed'],
  [0x7b00, 'SSL_RECEIVED_NEW_SESSION_TICKET', 'A TLS 1.3 NewSessionTicket message has been received'],
  [0x7b80, 'SSL_CANNOT_READ_EARLY_DATA', 'Not possible to read early data'],
  [0x7c00, 'SSL_RECEIVED_EARLY_DATA', '* Early data has been received as part of an on-going handshake. This error code can be returned only on server side if and only if early data has been enabled by means of the mbedtls_ssl_conf_early_data() API. This error code can then be returned by mbedtls_ssl_handshake(), mbedtls_ssl_handshake_step(), mbedtls_ssl_read() or mbedtls_ssl_write() if early data has been received as part of the handshake sequence they triggered. To read the early data, call mbedtls_ssl_read_early_data()'],
  [0x7c80, 'SSL_CANNOT_WRITE_EARLY_DATA', 'Not possible to write early data'],
  [0x7e80, 'SSL_CACHE_ENTRY_NOT_FOUND', 'Cache entry not found'],
  [0x7f00, 'SSL_ALLOC_FAILED', 'Memory allocation failed'],
  [0x7f80, 'SSL_HW_ACCEL_FAILED', 'Hardware acceleration function returned with error'],
];

/** 2.28.10 rows whose name or text differs from 3.6.6, or that 3.6 no longer has. */
const ERRORS_228_DIFF: readonly Row[] = [
  [0x0011, 'CCM_HW_ACCEL_FAILED', 'CCM hardware accelerator failed'],
  [0x0013, 'GCM_HW_ACCEL_FAILED', 'GCM hardware accelerator failed'],
  [0x0016, 'BLOWFISH_BAD_INPUT_DATA', 'Bad input data'],
  [0x0017, 'BLOWFISH_HW_ACCEL_FAILED', 'Blowfish hardware accelerator failed'],
  [0x0018, 'BLOWFISH_INVALID_INPUT_LENGTH', 'Invalid data input length'],
  [0x0019, 'ARC4_HW_ACCEL_FAILED', 'ARC4 hardware accelerator failed'],
  [0x001a, 'THREADING_FEATURE_UNAVAILABLE', 'The selected feature is not available'],
  [0x0023, 'AES_FEATURE_UNAVAILABLE', 'Feature not available. For example, an unsupported AES key size'],
  [0x0025, 'AES_HW_ACCEL_FAILED', 'AES hardware accelerator failed'],
  [0x0027, 'CAMELLIA_HW_ACCEL_FAILED', 'Camellia hardware accelerator failed'],
  [0x0028, 'XTEA_INVALID_INPUT_LENGTH', 'The data input has an invalid length'],
  [0x0029, 'XTEA_HW_ACCEL_FAILED', 'XTEA hardware accelerator failed'],
  [0x002b, 'MD2_HW_ACCEL_FAILED', 'MD2 hardware accelerator failed'],
  [0x002d, 'MD4_HW_ACCEL_FAILED', 'MD4 hardware accelerator failed'],
  [0x002f, 'MD5_HW_ACCEL_FAILED', 'MD5 hardware accelerator failed'],
  [0x0030, 'PADLOCK_DATA_MISALIGNED', 'Input data should be aligned'],
  [0x0031, 'RIPEMD160_HW_ACCEL_FAILED', 'RIPEMD160 hardware accelerator failed'],
  [0x0033, 'DES_HW_ACCEL_FAILED', 'DES hardware accelerator failed'],
  [0x0035, 'SHA1_HW_ACCEL_FAILED', 'SHA-1 hardware accelerator failed'],
  [0x0037, 'SHA256_HW_ACCEL_FAILED', 'SHA-256 hardware accelerator failed'],
  [0x0039, 'SHA512_HW_ACCEL_FAILED', 'SHA-512 hardware accelerator failed'],
  [0x0053, 'CHACHA20_FEATURE_UNAVAILABLE', 'Feature not available. For example, s part of the API is not implemented'],
  [0x0055, 'CHACHA20_HW_ACCEL_FAILED', 'Chacha20 hardware accelerator failed'],
  [0x0058, 'ARIA_HW_ACCEL_FAILED', 'ARIA hardware accelerator failed'],
  [0x0059, 'POLY1305_FEATURE_UNAVAILABLE', 'Feature not available. For example, s part of the API is not implemented'],
  [0x005a, 'ARIA_FEATURE_UNAVAILABLE', 'Feature not available. For example, an unsupported ARIA key size'],
  [0x005b, 'POLY1305_HW_ACCEL_FAILED', 'Poly1305 hardware accelerator failed'],
  [0x007a, 'CMAC_HW_ACCEL_FAILED', 'CMAC hardware accelerator failed'],
  [0x3500, 'DHM_HW_ACCEL_FAILED', 'DHM hardware accelerator failed'],
  [0x3880, 'PK_HW_ACCEL_FAILED', 'PK hardware accelerator failed'],
  [0x4500, 'RSA_UNSUPPORTED_OPERATION', 'The implementation does not offer the requested operation, for example, because of security violations or lack of functionality'],
  [0x4580, 'RSA_HW_ACCEL_FAILED', 'RSA hardware accelerator failed'],
  [0x4b80, 'ECP_HW_ACCEL_FAILED', 'The ECP hardware accelerator failed'],
  [0x5280, 'MD_HW_ACCEL_FAILED', 'MD hardware accelerator failed'],
  [0x5e00, 'SSL_CACHE_ENTRY_NOT_FOUND', 'Cache entry not found'],
  [0x6400, 'CIPHER_HW_ACCEL_FAILED', 'Cipher hardware accelerator failed'],
  [0x6600, 'SSL_INVALID_VERIFY_HASH', 'Couldn\'t set the hash for verifying CertificateVerify'],
  [0x6980, 'SSL_NO_USABLE_CIPHERSUITE', 'None of the common ciphersuites is usable (eg, no suitable certificate, see debug messages)'],
  [0x6e00, 'SSL_BAD_HS_NEW_SESSION_TICKET', 'Processing of the NewSessionTicket handshake message failed'],
  [0x6e80, 'SSL_BAD_HS_PROTOCOL_VERSION', 'Handshake protocol not within min/max boundaries'],
  [0x6f00, 'SSL_COMPRESSION_FAILED', 'Processing of the compression / decompression failed'],
  [0x7300, 'SSL_UNKNOWN_CIPHER', 'An unknown cipher was received'],
  [0x7380, 'SSL_NO_CIPHER_CHOSEN', 'The server has no ciphersuites in common with the client'],
  [0x7500, 'SSL_CERTIFICATE_TOO_LARGE', 'Our own certificate(s) is/are too large to send in an SSL message'],
  [0x7580, 'SSL_CERTIFICATE_REQUIRED', 'The own certificate is not set, but needed by the server'],
  [0x7800, 'SSL_PEER_VERIFY_FAILED', 'Verification of our peer failed'],
  [0x7900, 'SSL_BAD_HS_CLIENT_HELLO', 'Processing of the ClientHello handshake message failed'],
  [0x7980, 'SSL_BAD_HS_SERVER_HELLO', 'Processing of the ServerHello handshake message failed'],
  [0x7a00, 'SSL_BAD_HS_CERTIFICATE', 'Processing of the Certificate handshake message failed'],
  [0x7a80, 'SSL_BAD_HS_CERTIFICATE_REQUEST', 'Processing of the CertificateRequest handshake message failed'],
  [0x7b00, 'SSL_BAD_HS_SERVER_KEY_EXCHANGE', 'Processing of the ServerKeyExchange handshake message failed'],
  [0x7b80, 'SSL_BAD_HS_SERVER_HELLO_DONE', 'Processing of the ServerHelloDone handshake message failed'],
  [0x7c00, 'SSL_BAD_HS_CLIENT_KEY_EXCHANGE', 'Processing of the ClientKeyExchange handshake message failed'],
  [0x7c80, 'SSL_BAD_HS_CLIENT_KEY_EXCHANGE_RP', 'Processing of the ClientKeyExchange handshake message failed in DHM / ECDH Read Public'],
  [0x7d00, 'SSL_BAD_HS_CLIENT_KEY_EXCHANGE_CS', 'Processing of the ClientKeyExchange handshake message failed in DHM / ECDH Calculate Secret'],
  [0x7d80, 'SSL_BAD_HS_CERTIFICATE_VERIFY', 'Processing of the CertificateVerify handshake message failed'],
  [0x7e00, 'SSL_BAD_HS_CHANGE_CIPHER_SPEC', 'Processing of the ChangeCipherSpec handshake message failed'],
  [0x7e80, 'SSL_BAD_HS_FINISHED', 'Processing of the Finished handshake message failed'],
];

/** Codes 3.6 defines that 2.28 does not (LMS, PSA-internal, …). */
const ABSENT_IN_228: readonly number[] = [0x0015, 0x0076, 0x5300, 0x5380, 0x5400, 0x5480, 0x5500, 0x5580, 0x5600, 0x5680, 0x5700, 0x5780, 0x5800, 0x5880];

export type MbedtlsVersion = '2.28' | '3.6';

interface Entry { name: string; text: string }

function toMap(rows: readonly Row[]): Map<number, Entry> {
  const m = new Map<number, Entry>();
  for (const [code, name, text] of rows) m.set(code, { name: 'MBEDTLS_ERR_' + name, text });
  return m;
}

const TABLE_36 = toMap(ERRORS_36);
const TABLE_228 = (() => {
  const m = new Map(TABLE_36);
  for (const code of ABSENT_IN_228) m.delete(code);
  for (const [code, entry] of toMap(ERRORS_228_DIFF)) m.set(code, entry);
  return m;
})();

/** Name and text of one (non-composite) error, by absolute value. */
export function errorEntry(abs: number, version: MbedtlsVersion = '3.6'): Entry | undefined {
  return (version === '2.28' ? TABLE_228 : TABLE_36).get(abs);
}

/** `-0x7780` as mbedTLS prints it (`-0x%04x`: lowercase, at least four digits). */
export function errorHex(code: number): string {
  const abs = Math.abs(code);
  return (code < 0 ? '-0x' : '0x') + abs.toString(16).padStart(4, '0');
}

/**
 * Decode an mbedTLS return value (negative, as returned; a positive value is taken as the
 * magnitude, which is how cy_tls prints `-ret`).
 *
 * Error codes are 16-bit: a high-level part (bits 7-14, e.g. -0x2180 X509_INVALID_FORMAT) may
 * be added to a low-level part (bits 0-6, e.g. -0x0062 ASN1_UNEXPECTED_TAG) by
 * mbedtls_error_add(); such a composite decodes to `HIGH + LOW`.
 *
 * @example decodeError(-30592) → { code: -30592, hex: '-0x7780', name: 'MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE', text: '…' }
 */
export function decodeError(code: number, version: MbedtlsVersion = '3.6'): ErrorCode {
  const safe = Number.isFinite(code) ? Math.trunc(code) : 0;
  const abs = Math.abs(safe);
  const signed = safe > 0 ? -safe : safe;
  const hex = errorHex(signed);
  if (abs === 0 || abs > 0xffff) return { code: signed, hex, name: null, text: null };
  const whole = errorEntry(abs, version);
  if (whole) return { code: signed, hex, name: whole.name, text: whole.text };
  const high = errorEntry(abs & 0xff80, version);
  const low = errorEntry(abs & 0x007f, version);
  if ((abs & 0xff80) !== 0 && (abs & 0x7f) !== 0 && (high || low)) {
    const hexOf = (v: number): string => errorHex(-v);
    const name = `${high?.name ?? hexOf(abs & 0xff80)} + ${low?.name ?? hexOf(abs & 0x7f)}`;
    const text = high && low ? `${high.text}: ${low.text}` : (high ?? low)?.text ?? null;
    return { code: signed, hex, name, text };
  }
  return { code: signed, hex, name: null, text: null };
}

/** Non-blocking I/O answers that mbedTLS retries: not failures. */
export const RETRY_CODES: ReadonlySet<number> = new Set([-0x6900, -0x6880, -0x6500, -0x7000]);
