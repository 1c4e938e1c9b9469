/**
 * The regexes MbedtlsParser's dispatch applies once a line's first characters have chosen it.
 * Compiled once: the parser sees every line of multi-megabyte debug-4 logs.
 */

export const RE_OUT_RECORD = /^output record: msgtype = (\d+), version = \[(\d+):(\d+)\], msglen = (\d+)/;
export const RE_IN_RECORD_36 = /^input record: msgtype = (\d+), version = \[0x([0-9a-fA-F]+)\], msglen = (\d+)/;
export const RE_IN_RECORD_228 = /^input record: msgtype = (\d+), version = \[(\d+):(\d+)\], msglen = (\d+)/;
export const RE_HS_STATE = /^handshake state: (\d+) \(([^)]*)\) -> (\d+) \(([^)]*)\)/;
export const RE_OFFERED = /^client hello, add ciphersuite: (?:0x)?([0-9a-fA-F]{1,4})(?:, | \()([^\s)]+)/;
export const RE_GOT_ALERT = /^got an alert message, type: \[(\d+):(\d+)\]/;
export const RE_FATAL_ALERT = /^is a fatal alert message \(msg (\d+)\)/;
export const RE_SEND_ALERT = /^send alert level=(\d+) message=(\d+)/;
export const RE_DUMP = /^dumping '(.*)' \((\d+) bytes\)$/;
export const RE_FLAGS = /^! Certificate verification flags ([0-9a-fA-F]+)/;
export const RE_PEER_CERT = /^peer certificate #(\d+):/;
export const RE_RSL = /^RecordSizeLimit: (\d+) Bytes/;

/** mbedTLS stops a hex dump after this many bytes (debug.c `if (i >= 4096) break;`). */
export const DUMP_LIMIT = 4096;
