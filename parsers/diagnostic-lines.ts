/**
 * mbedTLS lines that carry no protocol fact of their own but explain a failure: the diagnosis
 * rules (src/diagnosis) need them as evidence, and the handshake model has no place for them.
 *
 * Format strings (mbedtls 3.6.6 / 2.28.10 library sources):
 *   `bad message length`                                   ssl_msg.c, record content > MBEDTLS_SSL_IN_CONTENT_LEN
 *   `requesting more data than fits`                       ssl_msg.c ssl_fetch_input
 *   `TLS handshake fragmentation not supported`            ssl_msg.c, hslen > msglen before 3.6.3
 *   `alloc(%zu bytes) failed`                              ssl_tls.c and others
 *   `fragment larger than the (negotiated) maximum fragment length: %zu > %zu`  ssl_msg.c
 *   `non-matching max fragment length extension`          ssl_tls12_client.c / ssl_cli.c
 *   `got no certificate to send`                           ssl_tls.c (client has no certificate)
 *   `build version: Mbed TLS 3.6.6 (build …)`              the full version (the mbedTLS parser keeps major.minor)
 *   `client hello, current time: %lu`                      the device clock (also a psa.ts device.clock; kept here so
 *                                                          the clock rules work whichever parsers a session runs)
 *   `Perform PSA-based ECDH computation.`                   the last line before a silent PSA failure (also a psa.ts
 *                                                          psa.step, for the same reason as the clock)
 *   `dumping 'master secret' (48 bytes)`, `value of 'ECDH: z' (256 bits) is:`, OpenSSL's `Master-Key:`
 *   and `Resumption PSK:` (TLS 1.3; both on s_server's -www status page an app may echo)
 *                                                          a session secret on the UART (named; the rows are redacted elsewhere)
 */
import type { Base, DeviceEvent, Line, Prefixed } from './events.ts';
import { NO_EVENTS, type RowAwareParser } from './family.ts';
import { isHexRow } from './mbedtls/hex-row.ts';
import { textAfter } from './linear-text.ts';
import { boundedInt, quoteNumber } from './device-number.ts';
import { isSecretDumpName } from './secrets.ts';

export type DiagnosticWhat =
  | 'bad-message-length'
  | 'buffer-too-small'
  | 'fragmentation-unsupported'
  | 'alloc-failed'
  | 'fragment-too-large'
  | 'mfl-mismatch'
  | 'no-client-certificate'
  | 'mbedtls-build'
  | 'secret-dump'
  | 'device-time'
  | 'psa-step';

export type DiagnosticEvent = Base & {
  kind: 'device.diagnostic';
  what: DiagnosticWhat;
  /** The numbers the line printed (allocation size; fragment length and limit; Unix time), in order. */
  numbers: number[];
  /** `3.6.6` for `mbedtls-build`; the secret's name for `secret-dump` (`master secret`, `Master-Key`); `ECDH computation` for `psa-step`; else null. */
  text: string | null;
};

/** `has`: a literal every match holds, tested before the regex (most lines that pass ANY are dump headers). */
const RULES: { what: DiagnosticWhat; re: RegExp; has: string | null }[] = [
  { what: 'bad-message-length', re: /\bbad message length\b/, has: 'bad message length' },
  { what: 'buffer-too-small', re: /\brequesting more data than fits\b/, has: 'requesting more data than fits' },
  { what: 'fragmentation-unsupported', re: /\bTLS handshake fragmentation not supported\b/, has: 'fragmentation not supported' },
  { what: 'alloc-failed', re: /\balloc\((\d+) bytes\) failed\b/, has: 'alloc(' },
  { what: 'fragment-too-large', re: /\bfragment larger than the (?:\(negotiated\) )?maximum fragment length: (\d+) > (\d+)/, has: 'fragment larger than' },
  { what: 'mfl-mismatch', re: /\bnon-matching max fragment length extension\b/, has: 'non-matching max fragment' },
  { what: 'no-client-certificate', re: /\bgot no certificate to send\b/, has: 'got no certificate to send' },
  { what: 'mbedtls-build', re: /\b(?:Mbed TLS|mbed TLS|MbedTLS|mbedTLS) (\d+\.\d+\.\d+)\b/, has: 'TLS ' },
  { what: 'psa-step', re: /^Perform PSA-based (.+)$/, has: 'Perform PSA-based ' },
  { what: 'device-time', re: /^client hello, current time: (\d+)/, has: 'client hello, current time: ' },
  { what: 'secret-dump', re: /(?:dumping|value of) '([^']+)' \(\d+ (?:bytes|bits)\)|\b(Master-Key|Resumption PSK):/, has: null },
];

/** Cheap pre-filter: every pattern above holds one of these words. */
const ANY = /message length|more data|fragment|alloc\(|no certificate|TLS \d|dumping|value of|Master-Key|Resumption PSK|current time|PSA-based/;

export function createDiagnosticLinesParser(): RowAwareParser {
  return {
    feed(segment: Prefixed, line: Line): DeviceEvent[] {
      const body = segment.body;
      // Hex dump rows are half a debug-4 log. Their 16-character text column is too short for
      // every rule but `Master-Key:`, which there is the payload of a dump (s_server's status
      // page), not the UART printout: SecretRedactor leaves it alone for the same reason.
      if (isHexRow(body) || !ANY.test(body)) return NO_EVENTS;
      for (const r of RULES) {
        if (r.has !== null && !body.includes(r.has)) continue;
        const m = r.re.exec(body);
        if (!m) continue;
        if (r.what === 'mbedtls-build') {
          // Only the banner: `Mbed TLS 3.6.6` also appears in unrelated prose.
          if (!/version/i.test(body)) return NO_EVENTS;
          return [{ kind: 'device.diagnostic', t: line.t, line: line.seq, ctx: segment.ctx ?? null, what: r.what, numbers: [], text: m[1]! }];
        }
        if (r.what === 'psa-step') {
          const name = textAfter(body, 'Perform PSA-based ');
          if (name === null) return NO_EVENTS;
          return [{ kind: 'device.diagnostic', t: line.t, line: line.seq, ctx: segment.ctx ?? null, what: r.what, numbers: [], text: name }];
        }
        if (r.what === 'secret-dump') {
          const name = m[1] ?? m[2]!;
          if (m[1] !== undefined && !isSecretDumpName(name)) return NO_EVENTS;
          return [{ kind: 'device.diagnostic', t: line.t, line: line.seq, ctx: segment.ctx ?? null, what: r.what, numbers: [], text: name }];
        }
        const digits = m.slice(1).filter((s): s is string => s !== undefined);
        const numbers = digits.map((d) => boundedInt(d));
        if (numbers.some((n) => n === null)) {
          // The PSA family reports the clock; any other number beyond 2^53 names no real size.
          if (r.what === 'device-time') return NO_EVENTS;
          const at = { t: line.t, line: line.seq, ctx: segment.ctx ?? null };
          return [{ kind: 'tls.anomaly', ...at, message: `${r.what} out of range: ${digits.map(quoteNumber).join(', ')}` }];
        }
        return [{ kind: 'device.diagnostic', t: line.t, line: line.seq, ctx: segment.ctx ?? null, what: r.what, numbers: numbers as number[], text: null }];
      }
      return NO_EVENTS;
    },
    wantsHexRow: () => false,
  };
}
