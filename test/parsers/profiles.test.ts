import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { builtinProfiles, checkProfile, parseProfileConfig, ProfileMatcher, type Profile } from '../../parsers/profiles/index.ts';
import type { Prefixed } from '../../parsers/events.ts';

const recordings = new URL('../../recordings/', import.meta.url);
const corpusFiles = readdirSync(recordings).filter((f) => f.endsWith('.log'));
const corpusLines = new Map(corpusFiles.map((f) => [f, readFileSync(new URL(f, recordings), 'latin1').split(/\r?\n/)]));

const one = (line: string): Prefixed[] => new ProfileMatcher().split(line);

describe('builtin profiles on real corpus lines', () => {
  // [recording, line, expected segment]; the test first checks that the line is in the recording.
  it.each<[string, string, Prefixed]>([
    ['psa_tls12_opaque_ok.log', 'ssl_tls.c:4589: |2| client state: MBEDTLS_SSL_HELLO_REQUEST',
      { profile: 'programs-ssl', file: 'ssl_tls.c', srcLine: 4589, level: 2, body: 'client state: MBEDTLS_SSL_HELLO_REQUEST' }],
    ['psa_tls12_opaque_ok.log', 'ssl_misc.h:1353: |3| handshake state: 0 (MBEDTLS_SSL_HELLO_REQUEST) -> 1 (MBEDTLS_SSL_CLIENT_HELLO)',
      { profile: 'programs-ssl', file: 'ssl_misc.h', srcLine: 1353, level: 3, body: 'handshake state: 0 (MBEDTLS_SSL_HELLO_REQUEST) -> 1 (MBEDTLS_SSL_CLIENT_HELLO)' }],
    ['m228_tls12_mtls_ok.log', 'ssl_cli.c:0983: |2| => write client hello',
      { profile: 'programs-ssl', file: 'ssl_cli.c', srcLine: 983, level: 2, body: '=> write client hello' }],
    ['m228_tls12_mtls_ok.log', 'ssl_cli.c:1169: |3| client hello, add ciphersuite: 0xcca8 (TLS-ECDHE-RSA-WITH-CHACHA20-POLY1305-SHA256)',
      { profile: 'programs-ssl', file: 'ssl_cli.c', srcLine: 1169, level: 3, body: 'client hello, add ciphersuite: 0xcca8 (TLS-ECDHE-RSA-WITH-CHACHA20-POLY1305-SHA256)' }],
    ['psa_tls12_opaque_ok.log', 'ssl_client.c:0487: |3| 0000:  6b 02 f8 80 8c b9 3f 25 f5 81 4a cf e4 96 e1 9e  k.....?%..J.....',
      { profile: 'programs-ssl', file: 'ssl_client.c', srcLine: 487, level: 3, body: '0000:  6b 02 f8 80 8c b9 3f 25 f5 81 4a cf e4 96 e1 9e  k.....?%..J.....' }],
    ['tls12_gcm_debug4_ok.log', 'ssl_msg.c:3036: |4| 0000:  16 03 03 00 7d 01 00 00 79 03 03 6b 02 f8 7f 14  ....}...y..k....',
      { profile: 'programs-ssl', file: 'ssl_msg.c', srcLine: 3036, level: 4, body: '0000:  16 03 03 00 7d 01 00 00 79 03 03 6b 02 f8 7f 14  ....}...y..k....' }],
    ['tls12_no_shared_cipher.log', 'ssl_msg.c:5281: |1| is a fatal alert message (msg 40)',
      { profile: 'programs-ssl', file: 'ssl_msg.c', srcLine: 5281, level: 1, body: 'is a fatal alert message (msg 40)' }],
    ['tls12_server_untrusted.log', 'ssl_tls.c:9954: |1| x509_verify_cert() returned -9984 (-0x2700)',
      { profile: 'programs-ssl', file: 'ssl_tls.c', srcLine: 9954, level: 1, body: 'x509_verify_cert() returned -9984 (-0x2700)' }],
    ['tls12_server_untrusted.log', 'ssl_tls.c:7899: |3| serial number     : 41:E7:B8:16:83:F0:34:14:AD:76:39:45:E0:61:55:03:F6:5E:D2:CD',
      { profile: 'programs-ssl', file: 'ssl_tls.c', srcLine: 7899, level: 3, body: 'serial number     : 41:E7:B8:16:83:F0:34:14:AD:76:39:45:E0:61:55:03:F6:5E:D2:CD' }],
    ['tls13_mtls_ok.log', 'ssl_tls13_generic.c:1552: |1| Perform PSA-based ECDH/FFDH computation.',
      { profile: 'programs-ssl', file: 'ssl_tls13_generic.c', srcLine: 1552, level: 1, body: 'Perform PSA-based ECDH/FFDH computation.' }],
    ['m228_tls12_mtls_ok.log', '  . Seeding the random number generator... ok', { profile: 'none', body: '  . Seeding the random number generator... ok' }],
    ['tls12_server_untrusted.log', 'issuer name       : CN=Bench Test CA, O=Bench', { profile: 'none', body: 'issuer name       : CN=Bench Test CA, O=Bench' }],
    ['tls12_no_shared_cipher.log', '  ! mbedtls_ssl_handshake returned -0x7780', { profile: 'none', body: '  ! mbedtls_ssl_handshake returned -0x7780' }],
    ['tls12_no_shared_cipher.log', 'Last error was: -0x7780 - SSL - A fatal alert message was received from our peer',
      { profile: 'none', body: 'Last error was: -0x7780 - SSL - A fatal alert message was received from our peer' }],
  ])('%s: %s', (file, line, expected) => {
    expect(corpusLines.get(file)).toContain(line);
    expect(one(line)).toEqual([expected]);
  });
});

describe('builtin profiles on the documented formats', () => {
  it.each<[string, string, Prefixed[]]>([
    // device-log-formats.md §1 / §8: secure-sockets callback "%s:%04d: %s \n"
    ['cy_tls, relative path, trailing space', 'ssl_tls.c:4528: client state: MBEDTLS_SSL_SERVER_HELLO ',
      [{ profile: 'cy-tls', file: 'ssl_tls.c', srcLine: 4528, body: 'client state: MBEDTLS_SSL_SERVER_HELLO' }]],
    ['cy_tls, absolute Windows path (a colon in the file)',
      'C:/Users/dev/mtw/mqtt_client/mtb_shared/ifx-mbedtls/release-v3.6.400/library/ssl_tls.c:4528: client state: MBEDTLS_SSL_SERVER_HELLO ',
      [{ profile: 'cy-tls', file: 'C:/Users/dev/mtw/mqtt_client/mtb_shared/ifx-mbedtls/release-v3.6.400/library/ssl_tls.c', srcLine: 4528, body: 'client state: MBEDTLS_SSL_SERVER_HELLO' }]],
    ['cy_tls, Windows path with a space, body with colons',
      'C:/Users/Jane Doe/mtw/ifx-mbedtls/library/ssl_msg.c:3027: output record: msgtype = 22, version = [3:3], msglen = 264 ',
      [{ profile: 'cy-tls', file: 'C:/Users/Jane Doe/mtw/ifx-mbedtls/library/ssl_msg.c', srcLine: 3027, body: 'output record: msgtype = 22, version = [3:3], msglen = 264' }]],
    ['cy_tls-style callback, backslash path (mbedtls issue 2941)', '..\\PolarSSL\\src\\ssl_tls.c:4095: is a fatal alert message (msg 40)',
      [{ profile: 'cy-tls', file: '..\\PolarSSL\\src\\ssl_tls.c', srcLine: 4095, body: 'is a fatal alert message (msg 40)' }]],
    ['cy_tls removes only the space the callback added', 'ssl_tls.c:0100: two spaces  ',
      [{ profile: 'cy-tls', file: 'ssl_tls.c', srcLine: 100, body: 'two spaces ' }]],
    ['cy_tls with the MBEDTLS_THREADING_C context', 'C:/mtw/library/ssl_tls.c:4609: 0x08012345: => handshake ',
      [{ profile: 'cy-tls', file: 'C:/mtw/library/ssl_tls.c', srcLine: 4609, ctx: '0x08012345', body: '=> handshake' }]],
    ['programs/ssl with the context', 'ssl_tls.c:4670: |2| 0x2000abcd: => handshake',
      [{ profile: 'programs-ssl', file: 'ssl_tls.c', srcLine: 4670, level: 2, ctx: '0x2000abcd', body: '=> handshake' }]],
    ['programs/ssl of mbedTLS 2.x with a 3-digit line (mbed-os-example-tls issue 294)', 'ssl_cli.c:874: |2| => write client hello',
      [{ profile: 'programs-ssl', file: 'ssl_cli.c', srcLine: 874, level: 2, body: '=> write client hello' }]],
    // peer-tools.md §9
    ['ESP-IDF W is mbedTLS level 1', 'W (1234) mbedtls: ssl_tls.c:4667 => handshake',
      [{ profile: 'esp-idf', file: 'ssl_tls.c', srcLine: 4667, level: 1, body: '=> handshake' }]],
    ['ESP-IDF D is level 3', 'D (2345) mbedtls: ssl_cli.c:3298 client state: 3',
      [{ profile: 'esp-idf', file: 'ssl_cli.c', srcLine: 3298, level: 3, body: 'client state: 3' }]],
    ['ESP-IDF V is level 4 (esp-idf issue 2296)', 'V (16710) mbedtls: ssl_tls.c:3091 0010:  02 f5 d4 b3 45 11 a5 80 e0 15 34 1e 6f b1 9b fc  ....E.....4.o...',
      [{ profile: 'esp-idf', file: 'ssl_tls.c', srcLine: 3091, level: 4, body: '0010:  02 f5 d4 b3 45 11 a5 80 e0 15 34 1e 6f b1 9b fc  ....E.....4.o...' }]],
    ['Zephyr minimal log, W is level 2', 'W: WEST_TOPDIR/modules/crypto/mbedtls/library/ssl_tls.c:4667: => handshake',
      [{ profile: 'zephyr', file: 'WEST_TOPDIR/modules/crypto/mbedtls/library/ssl_tls.c', srcLine: 4667, level: 2, body: '=> handshake' }]],
    ['Zephyr E is level 1', 'E: ssl_tls.c:9954: x509_verify_cert() returned -9984 (-0x2700)',
      [{ profile: 'zephyr', file: 'ssl_tls.c', srcLine: 9954, level: 1, body: 'x509_verify_cert() returned -9984 (-0x2700)' }]],
    ['Zephyr full log format', '[00:00:02.345,000] <dbg> mbedtls: ssl_msg.c:3036: dumping \'output record sent to network\' (130 bytes)',
      [{ profile: 'zephyr', file: 'ssl_msg.c', srcLine: 3036, level: 4, body: "dumping 'output record sent to network' (130 bytes)" }]],
    ['FreeRTOS with context', '1091 1555 [iot_thread] mbedTLS: |3| 0x3ffe3424: handshake message: msglen = 4, type = 14, hslen = 4',
      [{ profile: 'freertos', level: 3, ctx: '0x3ffe3424', body: 'handshake message: msglen = 4, type = 14, hslen = 4' }]],
    // device-log-formats.md §7
    ['cy_log', '[F4] : [L1] : 0012 00:00:07.431 mbedtls_ssl_handshake failed 0x2700',
      [{ profile: 'cy-log', body: 'mbedtls_ssl_handshake failed 0x2700' }]],
    ['cy_log_printf (no sequence or time)', '[F0] : [L10] : Performing the TLS handshake',
      [{ profile: 'cy-log', body: 'Performing the TLS handshake' }]],
    // amazon-freertos issue 1999: RTT around a full-path callback line
    ['SEGGER RTT around a file prefix',
      '00> F:/Wahdan/Repos/LwIp_Mqtt/LwIP_MQTT/Middlewares/Third_Party/mbedTLS/library/ssl_tls.c:4233: 0210:  88 db 92 a6 f7 d5 8c 73 a1 08 d7 f5 9d 9b f4 39  .......s.......9',
      [{ profile: 'segger-rtt+cy-tls', file: 'F:/Wahdan/Repos/LwIp_Mqtt/LwIP_MQTT/Middlewares/Third_Party/mbedTLS/library/ssl_tls.c', srcLine: 4233,
        body: '0210:  88 db 92 a6 f7 d5 8c 73 a1 08 d7 f5 9d 9b f4 39  .......s.......9' }]],
    ['SEGGER RTT with only the context (mbedtls issue 10957)', '00> 0x2203d6bc: handshake state: 1 (MBEDTLS_SSL_CLIENT_HELLO) -> 2 (MBEDTLS_SSL_SERVER_HELLO)',
      [{ profile: 'segger-rtt', ctx: '0x2203d6bc', body: 'handshake state: 1 (MBEDTLS_SSL_CLIENT_HELLO) -> 2 (MBEDTLS_SSL_SERVER_HELLO)' }]],
    ['SEGGER RTT around application output', '00> Connecting to broker', [{ profile: 'segger-rtt', body: 'Connecting to broker' }]],
    ['bare context prefix', '0x2000abcd: <= handshake', [{ profile: 'mbedtls-ctx', ctx: '0x2000abcd', body: '<= handshake' }]],
    ['an mbedTLS hex row is no context', '0000:  16 03 03 00 7d', [{ profile: 'none', body: '0000:  16 03 03 00 7d' }]],
  ])('%s', (_name, line, expected) => {
    expect(one(line)).toEqual(expected);
  });
});

describe('glued lines', () => {
  it.each<[string, string, string, string, number, number, string]>([
    ['m228_tls12_mtls_ok.log', '  . Setting up the SSL/TLS structure...ssl_msg.c:0056: |3| set_timer to 0 ms', '  . Setting up the SSL/TLS structure...', 'ssl_msg.c', 56, 3, 'set_timer to 0 ms'],
    ['m228_tls12_mtls_ok.log', '  . Performing the SSL/TLS handshake...ssl_tls.c:5922: |2| => handshake', '  . Performing the SSL/TLS handshake...', 'ssl_tls.c', 5922, 2, '=> handshake'],
    ['m228_tls12_mtls_ok.log', '  > Write to server:ssl_msg.c:5570: |2| => write', '  > Write to server:', 'ssl_msg.c', 5570, 2, '=> write'],
    ['m228_tls12_mtls_ok.log', '  < Read from server:ssl_msg.c:5182: |2| => read', '  < Read from server:', 'ssl_msg.c', 5182, 2, '=> read'],
    ['m228_tls12_mtls_ok.log', 'SSLv3      :RSA-PSK-AES256-CBC-SHA    SSLv3      :DHE-PSK-AES256-ssl_msg.c:5182: |2| => read',
      'SSLv3      :RSA-PSK-AES256-CBC-SHA    SSLv3      :DHE-PSK-AES256-', 'ssl_msg.c', 5182, 2, '=> read'],
    ['m228_tls12_mtls_ok.log', '    Master-Key: B7F5CDssl_msg.c:5182: |2| => read', '    Master-Key: B7F5CD', 'ssl_msg.c', 5182, 2, '=> read'],
    ['m228_tls12_mtls_ok.log', '        30:46:02:ssl_msg.c:5182: |2| => read', '        30:46:02:', 'ssl_msg.c', 5182, 2, '=> read'],
    ['m228_tls12_mtls_ok.log', '  . Closing the connection...ssl_msg.c:5612: |2| => write close notify', '  . Closing the connection...', 'ssl_msg.c', 5612, 2, '=> write close notify'],
    ['tls12_gcm_debug4_ok.log', '  . Setting up the SSL/TLS structure...ssl_tls.c:1342: |4| The SSL configuration is tls12 only.',
      '  . Setting up the SSL/TLS structure...', 'ssl_tls.c', 1342, 4, 'The SSL configuration is tls12 only.'],
    ['psa_tls12_opaque_ok.log', '  > Write to server:ssl_msg.c:6251: |2| => write', '  > Write to server:', 'ssl_msg.c', 6251, 2, '=> write'],
  ])('%s: %s', (file, line, before, srcFile, srcLine, level, body) => {
    expect(corpusLines.get(file)).toContain(line);
    const m = new ProfileMatcher();
    expect(m.split(line)).toEqual([
      { profile: 'none', body: before },
      { profile: 'programs-ssl', file: srcFile, srcLine, level, body },
    ]);
    expect(m.unmatched).toBe(0);
  });

  it('cuts lower-case hex printed right before the file name', () => {
    expect(one('    Master-Key: b7f5cdssl_msg.c:5182: |2| => read')).toEqual([
      { profile: 'none', body: '    Master-Key: b7f5cd' },
      { profile: 'programs-ssl', file: 'ssl_msg.c', srcLine: 5182, level: 2, body: '=> read' },
    ]);
  });

  it('finds a cy_tls line with a Windows path glued to application output', () => {
    expect(one('Connecting to broker...C:/mtw/ifx-mbedtls/library/ssl_tls.c:4609: => handshake ')).toEqual([
      { profile: 'none', body: 'Connecting to broker...' },
      { profile: 'cy-tls', file: 'C:/mtw/ifx-mbedtls/library/ssl_tls.c', srcLine: 4609, body: '=> handshake' },
    ]);
  });

  it('keeps the directories of a glued relative path, not the text before an ellipsis', () => {
    expect(one('  . Connecting...library/ssl_tls.c:4670: |2| => handshake')).toEqual([
      { profile: 'none', body: '  . Connecting...' },
      { profile: 'programs-ssl', file: 'library/ssl_tls.c', srcLine: 4670, level: 2, body: '=> handshake' },
    ]);
  });

  // Guards against regexes that backtrack quadratically (the first glue search took 10 s on
  // this line); the linear search takes a few ms.
  it('stays linear on a 64 KiB line full of near-misses', { timeout: 5000 }, () => {
    const m = new ProfileMatcher();
    const digits = 'x.c:' + '1'.repeat(65536);
    expect(m.split(digits)).toEqual([{ profile: 'none', body: digits }]);
    const dots = 'ab.c:'.repeat(13000);
    expect(m.split(dots)).toEqual([{ profile: 'none', body: dots }]);
    const letters = 'a'.repeat(65536) + 'x.c:12: zz';
    expect(m.split(letters)).toEqual([{ profile: 'cy-tls', file: 'a'.repeat(65536) + 'x.c', srcLine: 12, body: 'zz' }]);
    const glued = '. '.repeat(32768) + 'x.c:' + '1'.repeat(65536);
    expect(m.split(glued)).toEqual([{ profile: 'none', body: glued }]);
  });

  it('treats an indented debug line as one segment', () => {
    expect(one('   ssl_tls.c:4670: |2| => handshake')).toEqual([
      { profile: 'programs-ssl', file: 'ssl_tls.c', srcLine: 4670, level: 2, body: '=> handshake' },
    ]);
  });

  it('splits every corpus line as grep counts them: 7473 prefixed lines and 38 glued ones', () => {
    // grep -h ': |[0-9]| ' recordings/*.log | wc -l → 7511; grep -h '^[^ ]*\.[ch]:[0-9]*: |[0-9]| ' … → 7473
    // start with `file.c:N: |L| `, 38 more carry it after application output. (Recounted when the
    // last three corpus logs joined recordings/: it said 4095 and 27 for the first seven.)
    let programsSsl = 0;
    let twoSegments = 0;
    for (const lines of corpusLines.values()) {
      const m = new ProfileMatcher();
      for (const line of lines) {
        const segs = m.split(line);
        if (segs.length === 2) twoSegments++;
        programsSsl += segs.filter((s) => s.profile === 'programs-ssl').length;
        expect(segs.length).toBeLessThanOrEqual(2);
      }
    }
    expect(twoSegments).toBe(38);
    expect(programsSsl).toBe(7473 + 38);
  });
});

describe('split on arbitrary text', () => {
  const fragment = fc.constantFrom('ssl_tls.c', ':4670', ': ', '|2| ', '0x2000abcd', '.c:', '.h:', 'C:/', '\\', '/', '...', '[F4] : [L1] : ',
    '00> ', 'W (12) mbedtls: ', 'W: ', ' ', 'x', 'B7', '\u00e9');
  it('never throws, and every body is a piece of the line', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fragment, fc.string({ maxLength: 4 })), { maxLength: 25 }), (parts) => {
        const text = parts.join('');
        const m = new ProfileMatcher();
        const segs = m.split(text);
        for (const seg of segs) expect(text).toContain(seg.body);
        expect(typeof m.explain(text)).toBe('string');
      }),
      { numRuns: 500 },
    );
  });
});

describe('blank lines, cy_log continuation, unmatched lines', () => {
  it.each(['', ' ', '   ', '\t', ' \t '])('gives no segment for %j', (line) => {
    const m = new ProfileMatcher();
    expect(m.split(line)).toEqual([]);
    expect(m.unmatched).toBe(0);
  });

  it('skips the blank line the Infineon callback prints after every message', () => {
    const m = new ProfileMatcher();
    const lines = ['ssl_tls.c:4609: => handshake ', ' ', 'ssl_tls.c:4528: client state: MBEDTLS_SSL_HELLO_REQUEST ', ' '];
    expect(lines.flatMap((l) => m.split(l)).map((s) => [s.profile, s.body])).toEqual([
      ['cy-tls', '=> handshake'],
      ['cy-tls', 'client state: MBEDTLS_SSL_HELLO_REQUEST'],
    ]);
  });

  it('attributes the line after an empty cy_log message to cy_log', () => {
    const m = new ProfileMatcher();
    expect(m.split('[F4] : [L1] : 0013 00:00:09.100 ')).toEqual([]);
    expect(m.split(' ')).toEqual([]);
    expect(m.split('cy_socket_connect failed with Error : [0x82A000E]')).toEqual([
      { profile: 'cy-log', body: 'cy_socket_connect failed with Error : [0x82A000E]' },
    ]);
    expect(m.split('Retrying')).toEqual([{ profile: 'none', body: 'Retrying' }]);
    expect(m.unmatched).toBe(1);
  });

  it('drops a pending cy_log continuation when the next line has a prefix of its own', () => {
    const m = new ProfileMatcher();
    expect(m.split('[F4] : [L4] : 0014 00:00:09.200')).toEqual([]);
    expect(m.split('ssl_tls.c:4670: |2| => handshake')[0]!.profile).toBe('programs-ssl');
    expect(m.split('plain')).toEqual([{ profile: 'none', body: 'plain' }]);
  });

  it('counts non-blank lines that no profile matched and keeps the last 200', () => {
    const m = new ProfileMatcher();
    m.split('  . Seeding the random number generator... ok');
    m.split('ssl_tls.c:4670: |2| => handshake');
    m.split(' ');
    m.split('  . Performing the SSL/TLS handshake...ssl_tls.c:4670: |2| => handshake');
    m.split(' ok');
    expect(m.unmatched).toBe(2);
    expect(m.recentUnmatched()).toEqual(['  . Seeding the random number generator... ok', ' ok']);
    for (let i = 1; i <= 250; i++) m.split(`app line ${i}`);
    expect(m.unmatched).toBe(252);
    const recent = m.recentUnmatched();
    expect(recent).toHaveLength(200);
    expect(recent[0]).toBe('app line 51');
    expect(recent[199]).toBe('app line 250');
  });
});

describe('explain', () => {
  it('says which profile matches, with the fields, one line per profile', () => {
    const text = new ProfileMatcher().explain('ssl_tls.c:4670: |2| => handshake');
    const lines = text.split('\n');
    expect(lines).toHaveLength(builtinProfiles.length);
    expect(lines[0]).toBe('programs-ssl: matches: file=ssl_tls.c line=4670 level=2 body="=> handshake"');
    expect(lines.find((l) => l.startsWith('cy-tls:'))).toMatch(/^cy-tls: no match/);
  });

  it('says how far each profile got on a line that almost matches', () => {
    // The colon after the line number is missing: programs-ssl gets through "ssl_tls.c:4670".
    const text = new ProfileMatcher().explain('ssl_tls.c:4670 |2| => handshake');
    const programs = text.split('\n').find((l) => l.startsWith('programs-ssl:'))!;
    expect(programs).toContain('"ssl_tls.c:4670"');
    expect(programs).toContain('fails at column 14');
    expect(programs).toContain('" |2| => handshake"');
    const cyLog = text.split('\n').find((l) => l.startsWith('cy-log:'))!;
    expect(cyLog).toContain('fails at column 0');
    expect(text.split('\n').at(-1)).toBe('glued: no debug prefix inside the line');
  });

  it('reports a glued debug line', () => {
    const text = new ProfileMatcher().explain('  . Performing the SSL/TLS handshake...ssl_tls.c:4670: |2| => handshake');
    expect(text.split('\n').at(-1)).toBe('glued: programs-ssl prefix at column 39: file=ssl_tls.c line=4670 level=2 body="=> handshake"');
  });
});

describe('builtin profile samples', () => {
  it.each(builtinProfiles.map((p) => [p.name, p] as const))('%s: its samples pass the config checks', (_name, profile) => {
    expect(checkProfile(profile)).toEqual([]);
  });

  it('no two builtins match the same sample line, and split gives each sample its profile', () => {
    const regexes = builtinProfiles.map((p) => [p.name, new RegExp(p.regex, 's')] as const);
    for (const p of builtinProfiles) {
      for (const s of p.samples) {
        expect(regexes.filter(([, re]) => re.test(s.line)).map(([n]) => n), s.line).toEqual([p.name]);
        const segs = new ProfileMatcher().split(s.line);
        if (s.body === '') expect(segs).toEqual([]);
        else expect(segs[0]!.profile.split('+')[0]).toBe(p.name);
      }
    }
  });

  it('gives the same segments whatever profile matched last', () => {
    const lines = builtinProfiles.flatMap((p) => p.samples.map((s) => s.line)).filter((l) => !l.startsWith('[F4] : [L1] : 0013'));
    const fresh = new Map(lines.map((l) => [l, new ProfileMatcher().split(l)]));
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...lines), { minLength: 1, maxLength: 30 }), (seq) => {
        const m = new ProfileMatcher();
        for (const l of seq) expect(m.split(l)).toEqual(fresh.get(l));
      }),
      { numRuns: 200 },
    );
  });
});

describe('user profiles', () => {
  const example = JSON.parse(readFileSync(new URL('../fixtures/profiles/example.json', import.meta.url), 'utf8')) as unknown;

  it('accepts the example config of the README', () => {
    const { profiles, errors } = parseProfileConfig(example);
    expect(errors).toEqual([]);
    expect(profiles.map((p) => p.name)).toEqual(['host-timestamp', 'vendor-sdk']);
    const m = new ProfileMatcher([...profiles, ...builtinProfiles]);
    expect(m.split('[12:00:01.123] ssl_tls.c:4670: |2| => handshake')).toEqual([
      { profile: 'host-timestamp+programs-ssl', file: 'ssl_tls.c', srcLine: 4670, level: 2, body: '=> handshake' },
    ]);
    expect(m.split('<W> ssl_tls.c#100 0x20001000: hello')).toEqual([
      { profile: 'vendor-sdk', file: 'ssl_tls.c', srcLine: 100, level: 2, ctx: '0x20001000', body: 'hello' },
    ]);
  });

  it('tries user profiles before the builtin that matched last', () => {
    const mine: Profile = {
      name: 'my-tls',
      description: 'only ssl_tls.c lines',
      regex: String.raw`^ssl_tls\.c:(?<line>\d+): \|(?<level>\d)\| (?<body>.*)$`,
      samples: [{ line: 'ssl_tls.c:1: |1| x', body: 'x', srcLine: 1, level: 1 }],
    };
    const m = new ProfileMatcher([mine, ...builtinProfiles]);
    expect(m.split('ssl_msg.c:2356: |2| => flush output')[0]!.profile).toBe('programs-ssl');
    expect(m.split('ssl_tls.c:4670: |2| => handshake')).toEqual([{ profile: 'my-tls', srcLine: 4670, level: 2, body: '=> handshake' }]);
  });

  const base = {
    name: 'p',
    description: 'd',
    regex: String.raw`^P (?<body>.*)$`,
    samples: [{ line: 'P hello', body: 'hello' }],
  };

  it.each<[string, unknown, string[]]>([
    ['not an object', [], ['config: expected an object {"profiles": [ … ]}']],
    ['regex that does not compile', { profiles: [{ ...base, name: 'broken', regex: '^(?<body>.*' }] }, ['profile "broken": regex does not compile']],
    ['no body group and an unknown group', { profiles: [{ ...base, regex: String.raw`^(?<file>\S+) (?<msg>.*)$` }] },
      ['profile "p": regex has no (?<body>…) group', 'profile "p": unknown group msg']],
    ['unanchored regex', { profiles: [{ ...base, regex: '(?<body>.*)' }] }, ['profile "p": regex must start with ^']],
    ['sample that does not match', { profiles: [{ ...base, samples: [{ line: 'P a', body: 'a' }, { line: 'Q b', body: 'b' }] }] },
      ['profile "p" sample 2: regex does not match "Q b"']],
    ['sample with another body', { profiles: [{ ...base, samples: [{ line: 'P hello', body: 'hell' }] }] },
      ['profile "p" sample 1: body is "hello", expected "hell"']],
    ['sample with another level', { profiles: [{ ...base, regex: String.raw`^(?<level>\d) (?<body>.*)$`, levelMap: undefined, samples: [{ line: '3 x', body: 'x', level: 2 }] }] },
      ['profile "p" sample 1: level is 3, expected 2']],
    ['no samples', { profiles: [{ ...base, samples: [] }] }, ['profile "p": needs at least one sample line']],
    ['malformed sample', { profiles: [{ ...base, samples: [{ line: 'P x' }] }] }, ['profile "p" sample 1: expected {"line": string']],
    ['name of a builtin', { profiles: [{ ...base, name: 'programs-ssl' }] }, ['profile "programs-ssl": the name is already used']],
    ['the name none', { profiles: [{ ...base, name: 'none' }] }, ['profile "none": the name is already used']],
    ['two profiles with one name', { profiles: [base, base] }, ['profile "p": the name is already used']],
    ['name with a +', { profiles: [{ ...base, name: 'a+b' }] }, ['profile "a+b": name must be']],
    ['levelMap to a non-level', { profiles: [{ ...base, levelMap: { W: 9 } }] }, ['profile "p": levelMap must map strings to mbedTLS levels 0-5']],
  ])('reports %s', (_name, config, expected) => {
    const { errors } = parseProfileConfig(config);
    expect(errors).toHaveLength(expected.length);
    expected.forEach((e, i) => expect(errors[i]).toContain(e));
  });

  it('keeps the good profiles of a config that also has bad ones', () => {
    const { profiles, errors } = parseProfileConfig({ profiles: [{ ...base, name: 'bad', regex: '^(' }, base] });
    expect(profiles.map((p) => p.name)).toEqual(['p']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^profile "bad": regex does not compile/);
  });
});
