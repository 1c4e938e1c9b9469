/**
 * The typed facts hsmon reads out of a device's UART text. Parsers produce them, machines and
 * the store consume them, NDJSON prints them (one per line, `kind` first).
 *
 * Every event carries `t` (ms since session start, the time of the first byte of its line)
 * and `line` (the `seq` of the source line) so that each fact can be traced back to raw text.
 */

import type { PsaEvent } from './psa.ts';
import type { PemEvent } from './pem.ts';
import type { MqttEvent } from './mqtt.ts';
import type { AppEvent } from './app.ts';
import type { DiagnosticEvent } from './diagnostic-lines.ts';

/** One line as framed from the byte stream. */
export interface Line {
  /** 0-based, increasing by one per line in a session. */
  seq: number;
  /** ms since session start at the first byte of this line. */
  t: number;
  /** Decoded text: ANSI escapes removed, invalid UTF-8 shown as U+FFFD, no line terminator. */
  text: string;
  /** The line was longer than the framer's cap and was cut there. */
  truncated?: boolean;
  /** The raw bytes held sequences that are not valid UTF-8. */
  invalidUtf8?: boolean;
}

/** What a prefix profile recognised on a line (or on one segment of a glued line). */
export interface Prefixed {
  /** Name of the profile that matched, or `none`. */
  profile: string;
  /** The message with the prefix removed. */
  body: string;
  /** Source file named in the prefix (`ssl_tls.c`, `C:/…/library/ssl_tls.c`). */
  file?: string;
  /** Source line number named in the prefix. */
  srcLine?: number;
  /** mbedTLS debug level 0–4 when the prefix names one (`|3|`, ESP `D`, …). */
  level?: number;
  /** TLS context pointer printed by MBEDTLS_THREADING_C builds (`0x20001234`). */
  ctx?: string;
}

export interface Base {
  t: number;
  line: number;
  /** TLS context (the `%p` prefix) the fact belongs to, when the device printed one. */
  ctx?: string | null;
}

export interface ErrorCode {
  code: number;
  /** As mbedTLS prints it: `-0x7780`. */
  hex: string;
  /** `MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE`, or `A + B` for composite codes; null when unknown. */
  name: string | null;
  /** Human description when known. */
  text?: string | null;
}

export interface Alert {
  direction: 'received' | 'sent';
  level: number;
  description: number;
  name: string;
}

export type TlsEvent =
  | (Base & { kind: 'tls.handshake.begin' })
  | (Base & { kind: 'tls.handshake.end' })
  /**
   * `client state: X`: mbedtls_ssl_handshake_step() begins a step in state X. Every fact until
   * the next such line belongs to this step.
   */
  | (Base & { kind: 'tls.state'; state: string; number: number | null; from?: string | null })
  /**
   * `handshake state: a (X) -> b (Y)` (3.6 upstream, level 3): mbedTLS set its state inside the
   * current step. Detail only: the step that wrote or reads the message is still the open one.
   */
  | (Base & { kind: 'tls.transition'; from: string; to: string; number: number })
  /**
   * `state`: the step (last `client state:`) the record went through in; `messages`: the
   * handshake messages it carries, by name (`Certificate`), from the `=> write …` lines before
   * an output record and the `handshake message:` lines after an input record; absent when
   * the record carries none or the log does not say.
   */
  | (Base & { kind: 'tls.record'; direction: 'in' | 'out'; contentType: number; version: string; length: number;
      state?: string | null; messages?: string[];
      /** The record holds more handshake messages after `messages`: later tls.hsmsg events name this record's line as their `record`. */
      moreMessages?: boolean })
  /**
   * `handshake message: msglen = M, type = T, hslen = H` (a handshake message or a fragment of
   * one). `record`: the line of the earlier record this message was left in (set only then).
   */
  | (Base & { kind: 'tls.hsmsg'; msglen: number; type: number; hslen: number; fragment: 'sole' | 'initial' | 'subsequent'; record?: number })
  | (Base & { kind: 'tls.ciphersuite.offered'; id: number; name: string })
  | (Base & { kind: 'tls.ciphersuite.chosen'; id: number | null; name: string | null })
  /** The version the handshake runs (from the chosen suite, the server hello, or the platform line). */
  | (Base & { kind: 'tls.version'; version: '1.2' | '1.3' })
  /** max_fragment_length: requested in the ClientHello / confirmed by the server. `bytes` 512…4096. */
  | (Base & { kind: 'tls.mfl'; stage: 'offered' | 'negotiated'; bytes: number | null })
  | (Base & { kind: 'tls.record_size_limit'; stage: 'offered' | 'negotiated'; bytes: number | null })
  | (Base & { kind: 'tls.alert' } & Alert)
  /** `fn() returned -N (-0xN)` with the code decoded. */
  | (Base & { kind: 'tls.error'; fn: string; error: ErrorCode })
  /** A platform line that ends a handshake: `mbedtls_ssl_handshake failed 0x7f80`. */
  | (Base & { kind: 'tls.platform.failed'; fn: string; error: ErrorCode })
  /** A platform line that says the handshake completed (`TLS handshake successful`). */
  | (Base & { kind: 'tls.platform.ok' })
  /** The peer certificate info block (`peer certificate #N:` + the x509 info lines). */
  | (Base & { kind: 'tls.peer_certificate'; index: number; subject: string | null; issuer: string | null;
      serial: string | null; notBefore: string | null; notAfter: string | null; signedUsing: string | null;
      keySize: string | null; truncated: boolean })
  | (Base & { kind: 'tls.verify_flags'; flags: number; names: string[] })
  /** `dumping 'NAME' (N bytes)`; `truncated` when mbedTLS stopped at 4096 bytes. */
  | (Base & { kind: 'tls.hexdump'; name: string; length: number; truncated: boolean })
  /** The mbedTLS version the lines reveal (file names, or the build banner). */
  | (Base & { kind: 'tls.mbedtls_version'; version: '2.28' | '3.6'; evidence: string })
  /** Something the log said that the handshake model cannot place (unknown state, backward jump). */
  | (Base & { kind: 'tls.anomaly'; message: string; skipped?: string[] });

/**
 * Lines read with a prefix no profile knows (parsers/profiles/generic-prefix.ts): once when a
 * prefix is first seen (`lines` 1, `line` the first such line) and once at the end with the total.
 */
export type PrefixGuessEvent = Base & { kind: 'device.prefix_guessed'; prefix: string; lines: number; example: string };

/** DiagnosticEvent: `device.diagnostic`, lines that explain a failure (parsers/diagnostic-lines.ts). */
export type DeviceEvent = TlsEvent | PsaEvent | PemEvent | MqttEvent | AppEvent | DiagnosticEvent | PrefixGuessEvent;
export type EventKind = DeviceEvent['kind'];

/** Narrow an event union member by kind. */
export type EventOf<K extends EventKind> = Extract<DeviceEvent, { kind: K }>;
