import type { Prefixed } from '../events.ts';
import { segment, tunings, type Profile, type ProfileTuning } from './profile.ts';

// A source path as `__FILE__` prints it: a basename, a relative path (`../library/ssl_tls.c`,
// `..\PolarSSL\src\ssl_tls.c`) or an absolute Windows path whose drive colon and spaces rule
// out "up to the first colon". Lazy, so the first `.c:`/`.h:` ends it.
const PATH = String.raw`(?:[A-Za-z]:[\\/][^:|*?"<>]*?|[^\s:|]+?)\.[ch]`;
const hasSourceRef = (s: string): boolean => s.includes('.c:') || s.includes('.h:');
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

function builtin(profile: Profile, tuning: ProfileTuning): Profile {
  tunings.set(profile, tuning);
  return profile;
}

const programsSsl = builtin(
  {
    name: 'programs-ssl',
    description: 'mbedTLS programs/ssl debug callback: `file:NNNN: |level| message`',
    regex: String.raw`^(?<file>${PATH}):(?<line>\d+): \|(?<level>\d)\| (?<body>.*)$`,
    samples: [
      { line: 'ssl_tls.c:4670: |2| => handshake', body: '=> handshake', file: 'ssl_tls.c', srcLine: 4670, level: 2 },
      { line: 'ssl_cli.c:0983: |2| => write client hello', body: '=> write client hello', file: 'ssl_cli.c', srcLine: 983, level: 2 },
      { line: 'ssl_tls.c:4670: |2| 0x2000abcd: => handshake', body: '=> handshake', file: 'ssl_tls.c', srcLine: 4670, level: 2, ctx: '0x2000abcd' },
    ],
  },
  { quick: (s) => s.includes(': |'), glue: /\.[ch]:\d+: \|\d\| /y, parse: parseProgramsSsl },
);

/**
 * The programs-ssl regex by hand, for the lines that make up most of a debug log. The file name
 * cannot hold a colon (second PATH alternative) unless it is a drive path (`C:/…`, first
 * alternative, colon at index 1): so it ends at the first colon, and everything after it is
 * fixed. Undefined (let the regex decide) for a drive path and for characters whose class the
 * regex decides differently (\s beyond ASCII).
 */
let lastFile = '';

/**
 * text.startsWith(name), a few times faster for the short names of source files: the engine's
 * comparison of a slice, twice as fast again as the charCodeAt loop this was (on lines cut from
 * their chunk, in the parse worker).
 */
function startsWithName(text: string, name: string): boolean {
  return text.slice(0, name.length) === name;
}

function parseProgramsSsl(text: string): Prefixed | null | undefined {
  let colon: number;
  let file: string;
  // A few source files print most lines: a line that starts with the last good file name and
  // a colon has that name (it holds no colon), already checked and already a string.
  if (text.charCodeAt(lastFile.length) === 0x3a && lastFile !== '' && startsWithName(text, lastFile)) {
    colon = lastFile.length;
    file = lastFile;
  } else {
    colon = text.indexOf(':');
    if (colon === 1) return undefined;
    // `x.c` at least, ending in `.c` or `.h`.
    if (colon < 3 || text.charCodeAt(colon - 2) !== 0x2e) return null;
    const ext = text.charCodeAt(colon - 1);
    if (ext !== 0x63 && ext !== 0x68) return null;
    for (let i = 0; i < colon; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x7c /* | */ || c === 0x20 || (c >= 9 && c <= 13)) return null;
      if (c < 0x20 || c >= 0x7f) return undefined;
    }
    file = text.slice(0, colon);
  }
  let p = colon + 1;
  let srcLine = 0;
  for (let c = text.charCodeAt(p); isDigit(c); c = text.charCodeAt(++p)) srcLine = srcLine * 10 + (c - 0x30);
  if (p === colon + 1) return null;
  // Beyond 2^53 the sum above rounds differently from parseInt.
  if (p - colon - 1 > 15) srcLine = Number.parseInt(text.slice(colon + 1, p), 10);
  // `: |N| `
  if (
    text.charCodeAt(p) !== 0x3a ||
    text.charCodeAt(p + 1) !== 0x20 ||
    text.charCodeAt(p + 2) !== 0x7c ||
    !isDigit(text.charCodeAt(p + 3)) ||
    text.charCodeAt(p + 4) !== 0x7c ||
    text.charCodeAt(p + 5) !== 0x20
  ) {
    return null;
  }
  lastFile = file;
  const body = text.slice(p + 6);
  // The usual case built in one go, with the fields in segment()'s order.
  if (Number.isFinite(srcLine) && !(body.charCodeAt(0) === 0x30 && body.charCodeAt(1) === 0x78)) {
    return { profile: 'programs-ssl', body, file, srcLine, level: text.charCodeAt(p + 3) - 0x30 };
  }
  return segment('programs-ssl', body, file, srcLine, text.charCodeAt(p + 3) - 0x30, undefined);
}

const cyTls = builtin(
  {
    name: 'cy-tls',
    description:
      'Infineon secure-sockets callback `printf("%s:%04d: %s \\n")` (any `file:line: message` callback): ' +
      'the space it adds before the newline is removed',
    regex: String.raw`^(?<file>${PATH}):(?<line>\d+): (?!\|\d\| )(?<body>.*?) ?$`,
    samples: [
      { line: 'ssl_tls.c:4528: client state: MBEDTLS_SSL_SERVER_HELLO ', body: 'client state: MBEDTLS_SSL_SERVER_HELLO', file: 'ssl_tls.c', srcLine: 4528 },
      {
        line: 'C:/mtw/mqtt_client/mtb_shared/ifx-mbedtls/release-v3.6.400/library/ssl_tls.c:4528: client state: MBEDTLS_SSL_SERVER_HELLO ',
        body: 'client state: MBEDTLS_SSL_SERVER_HELLO',
        file: 'C:/mtw/mqtt_client/mtb_shared/ifx-mbedtls/release-v3.6.400/library/ssl_tls.c',
        srcLine: 4528,
      },
      { line: 'library/ssl_msg.c:0123: 0x08003a10: => flush output ', body: '=> flush output', file: 'library/ssl_msg.c', srcLine: 123, ctx: '0x08003a10' },
    ],
  },
  { quick: (s) => s.charCodeAt(0) > 0x20 && hasSourceRef(s), glue: /\.[ch]:\d{4}: (?!\|\d\| )/y },
);

const espIdf = builtin(
  {
    name: 'esp-idf',
    description: 'ESP-IDF mbedtls_esp_debug: `L (ms) tag: file:line message`, mbedTLS levels 1-4 printed as W I D V',
    regex: String.raw`^(?<level>[EWIDV]) \((?<ts>[0-9:.]+)\) [^\s:]+: (?<file>${PATH}):(?<line>\d+) (?<body>.*)$`,
    levelMap: { E: 1, W: 1, I: 2, D: 3, V: 4 },
    samples: [
      { line: 'I (1234) mbedtls: ssl_tls.c:4667 => handshake', body: '=> handshake', file: 'ssl_tls.c', srcLine: 4667, level: 2 },
      {
        line: 'V (16710) mbedtls: ssl_tls.c:3091 0010:  02 f5 d4 b3 45 11 a5 80 e0 15 34 1e 6f b1 9b fc  ....E.....4.o...',
        body: '0010:  02 f5 d4 b3 45 11 a5 80 e0 15 34 1e 6f b1 9b fc  ....E.....4.o...',
        file: 'ssl_tls.c',
        srcLine: 3091,
        level: 4,
      },
    ],
  },
  {
    quick: (s) => s.charCodeAt(1) === 0x20 && s.charCodeAt(2) === 0x28 && 'EWIDV'.includes(s.charAt(0)),
  },
);

const zephyr = builtin(
  {
    name: 'zephyr',
    description: 'Zephyr zephyr_mbedtls_debug: `W: file:NNNN: message` (minimal log) or `[time] <wrn> mbedtls: …`',
    regex: String.raw`^(?:\[(?<ts>[0-9:.,]+)\] +)?<?(?<level>[EWID]|err|wrn|inf|dbg)>?(?: [A-Za-z0-9_]+)?: (?<file>${PATH}):(?<line>\d+): (?<body>.*)$`,
    levelMap: { E: 1, W: 2, I: 3, D: 4, err: 1, wrn: 2, inf: 3, dbg: 4 },
    samples: [
      {
        line: 'W: WEST_TOPDIR/modules/crypto/mbedtls/library/ssl_tls.c:4667: => handshake',
        body: '=> handshake',
        file: 'WEST_TOPDIR/modules/crypto/mbedtls/library/ssl_tls.c',
        srcLine: 4667,
        level: 2,
      },
      { line: '[00:00:02.345,000] <inf> mbedtls: ssl_tls.c:4589: client state: MBEDTLS_SSL_SERVER_HELLO', body: 'client state: MBEDTLS_SSL_SERVER_HELLO', file: 'ssl_tls.c', srcLine: 4589, level: 3 },
    ],
  },
  {
    quick: (s) => {
      const c = s.charAt(0);
      return (c === '[' || c === '<' || 'EWIDewid'.includes(c)) && hasSourceRef(s);
    },
  },
);

const freertos = builtin(
  {
    name: 'freertos',
    description: 'Amazon FreeRTOS configPRINTF: `msgno ticks [task] mbedTLS: |level| message`',
    regex: String.raw`^(?:\d+ )?(?<ts>\d+) \[[^\]]*\] mbedTLS: \|(?<level>\d)\| (?<body>.*)$`,
    samples: [
      {
        line: '1091 1555 [iot_thread] mbedTLS: |3| 0x3ffe3424: handshake message: msglen = 4, type = 14, hslen = 4',
        body: 'handshake message: msglen = 4, type = 14, hslen = 4',
        level: 3,
        ctx: '0x3ffe3424',
      },
    ],
  },
  { quick: (s) => isDigit(s.charCodeAt(0)) && s.includes('mbedTLS: |') },
);

const cyLog = builtin(
  {
    name: 'cy-log',
    description:
      'Infineon cy_log default output `[Ffacility] : [Llevel] : seq hh:mm:ss.mmm message`; ' +
      'an empty message means the text (a format beginning with \\n) is on the next line',
    regex: String.raw`^\[F\d+\] : \[L\d+\] : (?:\d{4,5} (?:(?<ts>\d{2,}:\d{2}:\d{2}\.\d{3})(?: |$))?)?(?<body>.*)$`,
    bodyOnNextLine: true,
    samples: [
      { line: '[F4] : [L1] : 0012 00:00:07.431 mbedtls_ssl_handshake failed 0x2700', body: 'mbedtls_ssl_handshake failed 0x2700' },
      { line: '[F4] : [L1] : 0013 00:00:07.432 ', body: '' },
      { line: '[F0] : [L10] : Performing the TLS handshake', body: 'Performing the TLS handshake' },
    ],
  },
  { quick: (s) => s.startsWith('[F') },
);

const seggerRtt = builtin(
  {
    name: 'segger-rtt',
    description: 'SEGGER RTT viewer/client terminal prefix `00> `; what follows is matched again',
    regex: String.raw`^\d{1,2}> (?<body>.*)$`,
    wraps: true,
    samples: [
      { line: '00> 0x2203d6bc: => handshake', body: '=> handshake', ctx: '0x2203d6bc' },
      {
        line: '00> F:/Repos/LwIP_MQTT/Middlewares/Third_Party/mbedTLS/library/ssl_tls.c:4233: 0210:  88 db 92 a6',
        body: 'F:/Repos/LwIP_MQTT/Middlewares/Third_Party/mbedTLS/library/ssl_tls.c:4233: 0210:  88 db 92 a6',
      },
    ],
  },
  { quick: (s) => isDigit(s.charCodeAt(0)) && (s.charCodeAt(1) === 0x3e || s.charCodeAt(2) === 0x3e) },
);

const mbedtlsCtx = builtin(
  {
    name: 'mbedtls-ctx',
    description: 'a bare MBEDTLS_THREADING_C context prefix `%p: message` (a callback that prints only the message)',
    regex: String.raw`^(?<ctx>0x[0-9a-fA-F]{1,16}): (?<body>.*)$`,
    samples: [{ line: '0x2000abcd: <= handshake', body: '<= handshake', ctx: '0x2000abcd' }],
  },
  { quick: (s) => s.startsWith('0x') },
);

/** In priority order; the built-ins never match the same line (a test checks their samples). */
export const builtinProfiles: Profile[] = [programsSsl, cyTls, espIdf, zephyr, freertos, cyLog, seggerRtt, mbedtlsCtx];
