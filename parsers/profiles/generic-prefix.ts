/**
 * The mbedTLS debug shape after a prefix no profile knows. Whatever a platform puts in front
 * (level words, timestamps, thread names, absolute paths), the mbedTLS debug callback always
 * hands over `file`, `line` and the message, and nearly every port prints them as
 * `…library/ssl_tls.c:3939 => handshake`: a source file of the mbedTLS library, a colon and a
 * line number (then maybe `)` or `:`), an optional `|L|` level and `0xADDR:` context, then
 * the message. The esp-rs/mbedtls-rs form, for instance:
 *
 *   INFO - 2 /mnt/c/projects/esp/esp-mbedtls/build_mbedtls/tmpsrc/mbedtls/library/ssl_tls.c:3939 => handshake
 *   TRACE - 4 (/home/ivan/dev/esp-mbedtls/esp-mbedtls-sys/mbedtls/library/ssl_msg.c:2804) 0020:  a6 3c b5 98 …
 *
 * (esp-rs/mbedtls-rs#3 and #11, #72). Only files of the mbedTLS library count, so an
 * application's own `main.c:12 …` lines are not taken for debug output. The text before the
 * file is the guessed prefix; the caller counts lines per guess so the user sees what was assumed.
 */
import type { Prefixed } from '../events.ts';

/** Basenames of mbedTLS library sources (3.6 and 2.28) and of the vendor TLS glue that prints like them. */
const MBEDTLS_FILE = /^(?:ssl_|x509|pk|psa_|debug|ecp|ecdh|ecdsa|rsa|bignum|cipher|md|sha|aes|gcm|ccm|chacha|poly|ctr_drbg|hmac_drbg|entropy|net_sockets|oid|asn1|base64|pem|platform|hkdf|constant_time|mps_|cy_tls)[a-z0-9_]*\.[ch]$/;

const LEVEL_MARK = /^\|([0-4])\|[ \t]*/;
const CTX = /^(0x[0-9a-fA-F]{1,16}):[ \t]+/;
/** A level digit printed just before the file (`INFO - 2 /…`, `TRACE - 4 (…`). */
const LEVEL_BEFORE = /(?:^|[\s\-:[])([0-4])[ \t]*\(?$/;

export interface GuessedSegment {
  seg: Prefixed;
  /** The prefix in front of the file, digits as N (`INFO - N`), '' when there is none. */
  guess: string;
}

const isNameChar = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
// A path runs back to a blank or an opening bracket; `C:/…` keeps its drive colon.
const endsPath = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x28 || c === 0x5b || c === 0x3c;

/** Where a `file.c:LINE` reference of an mbedTLS source starts and ends in the line (scanned, not backtracked). */
function findSourceRef(text: string): { start: number; fileEnd: number; line: number; after: number } | null {
  let c = text.indexOf('.c:');
  let h = text.indexOf('.h:');
  while (c >= 0 || h >= 0) {
    const dot = c < 0 ? h : h < 0 ? c : Math.min(c, h);
    let j = dot;
    while (j > 0 && isNameChar(text.charCodeAt(j - 1))) j--;
    let k = dot + 3;
    while (k < text.length && k - dot - 3 < 6 && isDigit(text.charCodeAt(k))) k++;
    if (j < dot && k > dot + 3 && MBEDTLS_FILE.test(text.slice(j, dot + 2))) {
      let after = k;
      const t = text.charCodeAt(after);
      if (t === 0x29 /* ) */ || t === 0x3a /* : */) after++;
      const blank = after;
      while (after < text.length && (text.charCodeAt(after) === 0x20 || text.charCodeAt(after) === 0x09)) after++;
      if (after > blank) {
        let start = j;
        while (start > 0 && !endsPath(text.charCodeAt(start - 1))) start--;
        return { start, fileEnd: dot + 2, line: Number(text.slice(dot + 3, k)), after };
      }
    }
    if (dot === c) c = text.indexOf('.c:', c + 1);
    else h = text.indexOf('.h:', h + 1);
  }
  return null;
}

export function matchGenericPrefix(text: string): GuessedSegment | null {
  const ref = findSourceRef(text);
  if (ref === null) return null;
  const before = text.slice(0, ref.start);
  let rest = text.slice(ref.after);
  const file = text.slice(ref.start, ref.fileEnd);
  let level: number | undefined;
  const mark = LEVEL_MARK.exec(rest);
  if (mark !== null) {
    level = Number(mark[1]);
    rest = rest.slice(mark[0].length);
  } else {
    const lb = LEVEL_BEFORE.exec(before);
    if (lb !== null) level = Number(lb[1]);
  }
  const seg: Prefixed = { profile: 'generic', body: rest, file, srcLine: ref.line };
  if (level !== undefined) seg.level = level;
  const c = CTX.exec(rest);
  if (c !== null) {
    seg.ctx = c[1]!;
    seg.body = rest.slice(c[0].length);
  }
  if (seg.body.length === 0) return null;
  return { seg, guess: before.replace(/\d+/g, 'N').replace(/(?<![\s(])[\s(]+$/, '').slice(0, 60) };
}
