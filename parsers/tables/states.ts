/**
 * mbedTLS handshake states (`mbedtls_ssl_states`) per version, and the order in which a client
 * visits them, for the ladder view.
 *
 * 3.6: include/mbedtls/ssl.h:745-779 at mbedtls-3.6.6 (identical in 3.6.0 and in
 * ifx-mbedtls 3.6.400). 2.28: include/mbedtls/ssl.h:561ff at mbedtls-2.28.10; values 0-15 are
 * the same as 3.6 and differ from 16 up, so a 2.x `client state: 16` is HANDSHAKE_OVER while a
 * 3.6 16 is NEW_SESSION_TICKET.
 */
import type { MbedtlsVersion } from './errors.ts';

const P = 'MBEDTLS_SSL_';

const COMMON = [
  'HELLO_REQUEST', 'CLIENT_HELLO', 'SERVER_HELLO', 'SERVER_CERTIFICATE', 'SERVER_KEY_EXCHANGE',
  'CERTIFICATE_REQUEST', 'SERVER_HELLO_DONE', 'CLIENT_CERTIFICATE', 'CLIENT_KEY_EXCHANGE',
  'CERTIFICATE_VERIFY', 'CLIENT_CHANGE_CIPHER_SPEC', 'CLIENT_FINISHED', 'SERVER_CHANGE_CIPHER_SPEC',
  'SERVER_FINISHED', 'FLUSH_BUFFERS', 'HANDSHAKE_WRAPUP',
];

/** Index = enum value. */
export const STATES_36: readonly string[] = [
  ...COMMON,
  'NEW_SESSION_TICKET', 'SERVER_HELLO_VERIFY_REQUEST_SENT', 'HELLO_RETRY_REQUEST',
  'ENCRYPTED_EXTENSIONS', 'END_OF_EARLY_DATA', 'CLIENT_CERTIFICATE_VERIFY',
  'CLIENT_CCS_AFTER_SERVER_FINISHED', 'CLIENT_CCS_BEFORE_2ND_CLIENT_HELLO',
  'SERVER_CCS_AFTER_SERVER_HELLO', 'CLIENT_CCS_AFTER_CLIENT_HELLO',
  'SERVER_CCS_AFTER_HELLO_RETRY_REQUEST', 'HANDSHAKE_OVER', 'TLS1_3_NEW_SESSION_TICKET',
  'TLS1_3_NEW_SESSION_TICKET_FLUSH',
].map((s) => P + s);

/** Index = enum value. */
export const STATES_228: readonly string[] = [
  ...COMMON, 'HANDSHAKE_OVER', 'SERVER_NEW_SESSION_TICKET', 'SERVER_HELLO_VERIFY_REQUEST_SENT',
].map((s) => P + s);

/** Each name, to itself: the one copy of the string that everything kept can share. */
const BY_NAME = new Map<string, string>([...STATES_36, ...STATES_228].map((n) => [n, n]));

/** The state name for an enum value of that version, or null when out of range. */
export function stateName(version: MbedtlsVersion, n: number): string | null {
  const table = version === '2.28' ? STATES_228 : STATES_36;
  return Number.isInteger(n) && n >= 0 ? (table[n] ?? null) : null;
}

/** The enum value of a state name in that version, or null. */
export function stateNumber(version: MbedtlsVersion, name: string): number | null {
  const i = (version === '2.28' ? STATES_228 : STATES_36).indexOf(name);
  return i < 0 ? null : i;
}

/** True for any state name of any supported version. */
export function isStateName(name: string): boolean {
  return BY_NAME.has(name);
}

/** The table's own copy of a state name (`name` itself when unknown), for what is kept long. */
export function sharedStateName(name: string): string {
  return BY_NAME.get(name) ?? name;
}

/**
 * TLS 1.2 client states in the order of first visit. mbedTLS 3.6 goes
 * SERVER_CHANGE_CIPHER_SPEC → NEW_SESSION_TICKET → SERVER_CHANGE_CIPHER_SPEC → SERVER_FINISHED
 * when the server sends a ticket (seen as `handshake state: 12 -> 16` then `16 -> 12`); 2.28
 * parses the ticket inside state 12 and prints `client state: 12` twice. HANDSHAKE_OVER is
 * only printed by 3.6.4+ (`handshake state: 15 -> 27`).
 */
export const TLS12_LADDER: readonly string[] = [
  'HELLO_REQUEST', 'CLIENT_HELLO', 'SERVER_HELLO', 'SERVER_CERTIFICATE', 'SERVER_KEY_EXCHANGE',
  'CERTIFICATE_REQUEST', 'SERVER_HELLO_DONE', 'CLIENT_CERTIFICATE', 'CLIENT_KEY_EXCHANGE',
  'CERTIFICATE_VERIFY', 'CLIENT_CHANGE_CIPHER_SPEC', 'CLIENT_FINISHED', 'SERVER_CHANGE_CIPHER_SPEC',
  'NEW_SESSION_TICKET', 'SERVER_FINISHED', 'FLUSH_BUFFERS', 'HANDSHAKE_WRAPUP', 'HANDSHAKE_OVER',
].map((s) => P + s);

/**
 * TLS 1.3 client states in the order of first visit: the states of
 * mbedtls_ssl_tls13_handshake_client_step (mbedtls-3.6.6 ssl_tls13_client.c:3073-3180) placed
 * in the order recordings/tls13_mtls_ok.log walks them. Optional steps: the two CCS states
 * after CLIENT_HELLO (early data / HelloRetryRequest, after which CLIENT_HELLO repeats) and
 * END_OF_EARLY_DATA. TLS1_3_NEW_SESSION_TICKET is post-handshake and not part of the ladder.
 */
export const TLS13_LADDER: readonly string[] = [
  'HELLO_REQUEST', 'CLIENT_HELLO', 'CLIENT_CCS_AFTER_CLIENT_HELLO', 'CLIENT_CCS_BEFORE_2ND_CLIENT_HELLO',
  'SERVER_HELLO', 'ENCRYPTED_EXTENSIONS', 'CERTIFICATE_REQUEST', 'SERVER_CERTIFICATE',
  'CERTIFICATE_VERIFY', 'SERVER_FINISHED', 'END_OF_EARLY_DATA', 'CLIENT_CCS_AFTER_SERVER_FINISHED',
  'CLIENT_CERTIFICATE', 'CLIENT_CERTIFICATE_VERIFY', 'CLIENT_FINISHED', 'FLUSH_BUFFERS',
  'HANDSHAKE_WRAPUP', 'HANDSHAKE_OVER',
].map((s) => P + s);
