/**
 * The mbedTLS client handshake states the machine has a node for, and the groups of them the
 * machine reasons with. The names and the visiting order come from parsers/tables/states.ts
 * (the 3.6 enum holds the TLS 1.2 and 1.3 client states; 2.28 adds one name 3.6 renamed).
 */
import { STATES_228, STATES_36, TLS12_LADDER, TLS13_LADDER } from '../parsers/tables/states.ts';

export const CLIENT_STATES: readonly string[] = [...new Set([...STATES_36, ...STATES_228])];

const known = new Set<string>(CLIENT_STATES);
export const isClientState = (s: string): boolean => known.has(s);

const P = 'MBEDTLS_SSL_';

/** States only a TLS 1.3 handshake visits: seeing one tells the version. */
export const TLS13_ONLY = new Set<string>(
  ['HELLO_RETRY_REQUEST', 'ENCRYPTED_EXTENSIONS', 'END_OF_EARLY_DATA', 'CLIENT_CERTIFICATE_VERIFY',
    'CLIENT_CCS_AFTER_SERVER_FINISHED', 'CLIENT_CCS_BEFORE_2ND_CLIENT_HELLO', 'SERVER_CCS_AFTER_SERVER_HELLO',
    'CLIENT_CCS_AFTER_CLIENT_HELLO', 'SERVER_CCS_AFTER_HELLO_RETRY_REQUEST', 'TLS1_3_NEW_SESSION_TICKET',
    'TLS1_3_NEW_SESSION_TICKET_FLUSH'].map((s) => P + s),
);

/**
 * States from which `<= handshake` with no error means the handshake completed. mbedTLS also
 * prints `<= handshake` when mbedtls_ssl_handshake() returns WANT_READ/WANT_WRITE (non-blocking
 * sockets), and print_ret stays silent for those: a `<= handshake` from an earlier state is a
 * pause, not an end.
 */
export const COMPLETING_STATES = new Set<string>(
  ['FLUSH_BUFFERS', 'HANDSHAKE_WRAPUP', 'HANDSHAKE_OVER', 'TLS1_3_NEW_SESSION_TICKET', 'TLS1_3_NEW_SESSION_TICKET_FLUSH'].map((s) => P + s),
);

/** The order a TLS 1.2 / 1.3 client visits its states: the ladder view and backward-jump checks. */
export const TLS12_ORDER = TLS12_LADDER;
export const TLS13_ORDER = TLS13_LADDER;
